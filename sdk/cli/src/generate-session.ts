// `shifty generate --session <sessionId> --out <dir>`: the API turns a manual session's recorded
// timeline into a spec (docs/test-generation.md, "From a session"); the CLI writes it like
// `shifty generate` does.

import { type CliCommand, sessionIdFrom } from "./command-helpers.ts";
import { writeSuite } from "./generate.ts";

export const generateSessionCommand: CliCommand = async (args, io, progress, h) => {
  const { values, positionals } = h.parse(
    args,
    { session: { type: "string" }, out: { type: "string" }, "max-tests": { type: "string" } },
    true,
  );
  if (positionals.length > 0) throw h.usage("generate --session takes no app URL");
  const sessionId = sessionIdFrom(values, h);
  if (typeof values.out !== "string") throw h.usage("generate needs --out <dir>");
  let maxTests: number | undefined;
  if (values["max-tests"] !== undefined) {
    maxTests = Number(values["max-tests"]);
    if (!Number.isInteger(maxTests) || maxTests < 1 || maxTests > 500)
      throw h.usage("--max-tests must be a whole number from 1 to 500");
  }
  const client = h.clientFrom(values, io, progress);
  const job = await client.generateFromSession(sessionId, maxTests);
  progress(`generation ${job.id}: ${job.status}`);
  if (job.status === "failed")
    throw new Error(`generation ${job.id} failed: ${job.error ?? "unknown error"}`);
  writeSuite(io.cwd, values.out, job.files);
  const specs = job.files.filter((f) => f.path.endsWith(".spec.ts"));
  if (values.json) {
    io.stdout(
      `${JSON.stringify({ generationId: job.id, figures: job.figures, files: job.files.map((f) => f.path) })}\n`,
    );
    return 0;
  }
  const f = job.figures;
  io.stdout(
    [
      `generated ${f.tests} test(s) with ${f.assertions} assertion(s) from ${f.interactions} step(s) on ${f.pages} page(s) of session ${sessionId}`,
      `files: ${job.files.map((file) => file.path).join(", ")} in ${values.out}`,
      `run: npx playwright test -c ${values.out}${specs.length ? "" : " (no spec was generated)"}`,
    ].join("\n") + "\n",
  );
  return 0;
};
