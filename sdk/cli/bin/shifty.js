#!/usr/bin/env node
// The `shifty` command. The code lives in dist/ (built by `npm run build` / `prepare`).
import { main } from "../dist/index.js";

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`shifty: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
