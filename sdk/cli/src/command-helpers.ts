// What index.ts lends to the `generate` and `record` sub-commands (argument parsing, the API client,
// usage errors), and the argument checks they share.
// A file of its own so the sub-commands and generate-command.ts can share it without an import cycle.
import type { ShiftyClient } from "@shifty/sdk";

export type CommandIo = {
  stdout: (t: string) => void;
  stderr: (t: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
};
export type ArgValues = Record<string, string | boolean | undefined>;
export type CliHelpers = {
  parse: (
    args: string[],
    options: Record<string, { type: "string" | "boolean" }>,
    positionals: boolean,
  ) => { values: ArgValues; positionals: string[] };
  clientFrom: (values: ArgValues, io: CommandIo, progress: (line: string) => void) => ShiftyClient;
  projectFrom: (values: ArgValues, io: CommandIo) => string;
  usage: (message: string) => Error;
};

/** A sub-command: its arguments after the command name, resolving to the exit code. */
export type CliCommand = (
  args: string[],
  io: CommandIo,
  progress: (line: string) => void,
  h: CliHelpers,
) => Promise<number>;

/** The app URL a command takes as its positional argument: an http(s) URL, else a usage error. */
export function appUrlFrom(arg: string | undefined, h: Pick<CliHelpers, "usage">): URL {
  let appUrl: URL;
  try {
    appUrl = new URL(arg!);
  } catch {
    throw h.usage(`not a URL: ${arg}`);
  }
  if (!/^https?:$/.test(appUrl.protocol)) throw h.usage("the app URL must be http(s)");
  return appUrl;
}

/** `--session`: a manual session's id (`ses_…`), else a usage error. */
export function sessionIdFrom(values: ArgValues, h: Pick<CliHelpers, "usage">): string {
  const sessionId = values.session;
  if (typeof sessionId !== "string" || !/^ses_[0-9a-z]{26}$/.test(sessionId))
    throw h.usage("--session needs a session id (ses_…)");
  return sessionId;
}

/** A count option (`--max-tests N`): a whole number from 0 to 1000, `fallback` when absent. */
export function countOption(
  value: string | boolean | undefined,
  name: string,
  fallback: number,
  h: Pick<CliHelpers, "usage">,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1000)
    throw h.usage(`--${name} must be a whole number from 0 to 1000`);
  return n;
}
