// What index.ts lends to the `generate` sub-commands (argument parsing, the API client, usage errors).
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
