// Argument handling and the printed summary of `shifty generate` (the work is in ./generate.ts).
import { appUrlFrom, type CliCommand, type CliHelpers, countOption } from "./command-helpers.ts";
import { apiPlanner, generate } from "./generate.ts";
import { generateOpenApiCommand } from "./generate-openapi.ts";
import { generateSessionCommand } from "./generate-session.ts";

export type { CliHelpers };

export const generateCommand: CliCommand = async (args, io, progress, h) => {
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
  const appUrl = appUrlFrom(positionals[0], h);
  const client = h.clientFrom(values, io, progress);
  const projectId = h.projectFrom(values, io);
  const browserPath = (values.browser as string | undefined) ?? io.env.CHROMIUM_PATH;
  const summary = await generate({
    appUrl: appUrl.href,
    out: values.out,
    maxPages: countOption(values["max-pages"], "max-pages", 10, h) || 1,
    maxTests: countOption(values["max-tests"], "max-tests", 40, h) || 1,
    verify: countOption(values.verify, "verify", 3, h),
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
};
