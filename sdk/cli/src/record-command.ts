// Argument handling and the printed summary of `shifty record` (the work is in ./record.ts).
import { appUrlFrom, type CliCommand, sessionIdFrom } from "./command-helpers.ts";
import { record } from "./record.ts";

export const recordCommand: CliCommand = async (args, io, progress, h) => {
  const { values, positionals } = h.parse(
    args,
    {
      session: { type: "string" },
      browser: { type: "string" },
      headless: { type: "boolean" },
      script: { type: "string" },
      "screenshot-key": { type: "string" },
    },
    true,
  );
  if (positionals.length !== 1) throw h.usage("record takes exactly one app URL");
  const appUrl = appUrlFrom(positionals[0], h);
  const sessionId = sessionIdFrom(values, h);
  const client = h.clientFrom(values, io, progress);
  const script = typeof values.script === "string" ? values.script : undefined;
  const summary = await record(client, {
    appUrl: appUrl.href,
    sessionId,
    browserPath: (values.browser as string | undefined) ?? io.env.CHROMIUM_PATH,
    headless: values.headless === true,
    script: script ? new URL(script, `file://${io.cwd.replace(/\/?$/, "/")}`).pathname : undefined,
    screenshotKey: typeof values["screenshot-key"] === "string" ? values["screenshot-key"] : "F9",
    log: progress,
  });
  if (values.json) io.stdout(`${JSON.stringify({ sessionId, ...summary })}\n`);
  else
    io.stdout(
      `recorded ${summary.steps} step(s) and ${summary.screenshots} screenshot(s) into session ${sessionId}` +
        `${summary.errors ? `; ${summary.errors} not delivered` : ""}\n`,
    );
  return summary.errors > 0 ? 1 : 0;
};
