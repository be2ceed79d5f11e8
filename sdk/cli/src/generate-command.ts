// Argument handling and the printed summary of `shifty generate` (the work is in ./generate.ts).
import type { CliHelpers, CommandIo } from "./command-helpers.ts";
import { apiPlanner, generate } from "./generate.ts";
import { generateOpenApiCommand } from "./generate-openapi.ts";
import { generateSessionCommand } from "./generate-session.ts";

type Io = CommandIo;

export type { CliHelpers };

function positiveInt(
  value: string | boolean | undefined,
  name: string,
  fallback: number,
  usage: CliHelpers["usage"],
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw usage(`--${name} must be a whole number from 0 to 1000`);
  return n;
}

export async function generateCommand(
  args: string[],
  io: Io,
  progress: (line: string) => void,
  h: CliHelpers,
): Promise<number> {
  if (args.some((a) => a === "--openapi" || a.startsWith("--openapi=")))
    return generateOpenApiCommand(args, io, progress, h);
  if (args.some((a) => a === "--session" || a.startsWith("--session=")))
    return generateSessionCommand(args, io, progress, h);
  const { values, positionals } = h.parse(
    args,
    {
      out: { type: "string" },
      "max-pages": { type: "string" },
      "max-tests": { type: "string" },
      verify: { type: "string" },
      browser: { type: "string" },
    },
    true,
  );
  if (positionals.length !== 1) throw h.usage("generate takes exactly one app URL");
  if (typeof values.out !== "string") throw h.usage("generate needs --out <dir>");
  let appUrl: URL;
  try {
    appUrl = new URL(positionals[0]!);
  } catch {
    throw h.usage(`not a URL: ${positionals[0]}`);
  }
  if (!/^https?:$/.test(appUrl.protocol)) throw h.usage("the app URL must be http(s)");
  const client = h.clientFrom(values, io, progress);
  const projectId = h.projectFrom(values, io);
  const browserPath = (values.browser as string | undefined) ?? io.env.CHROMIUM_PATH;
  const summary = await generate({
    appUrl: appUrl.href,
    out: values.out,
    maxPages: positiveInt(values["max-pages"], "max-pages", 10, h.usage) || 1,
    maxTests: positiveInt(values["max-tests"], "max-tests", 40, h.usage) || 1,
    verify: positiveInt(values.verify, "verify", 3, h.usage),
    browserPath,
    env: io.env,
    cwd: io.cwd,
    log: progress,
    plan: apiPlanner(client, projectId, progress),
  });
  if (values.json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const v = summary.verify;
  io.stdout(
    [
      `generated ${v ? v.kept : summary.planned} test(s) from ${summary.pages} page(s) and ${summary.interactions} interaction(s)`,
      v
        ? `verify: ${v.runs} runs, ${v.failedRuns} failed; ${v.rewritten} rewritten, ${v.dropped} dropped`
        : "verify: skipped",
      `files: ${summary.files.join(", ")}`,
      `time: ${(summary.totalMs / 1000).toFixed(1)} s`,
    ].join("\n") + "\n",
  );
  return 0;
}
