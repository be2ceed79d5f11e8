/**
 * Structured JSON log lines (one object per line) for `wrangler tail --format json` and log
 * pipelines. Fields are data, never bodies or headers: they may carry secrets.
 */
export type LogFields = Record<string, unknown>;

export type Logger = {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines also carry `fields` (e.g. the request id). */
  with(fields: LogFields): Logger;
};

export function jsonLogger(base: LogFields = {}): Logger {
  const line = (level: "info" | "warn" | "error", msg: string, fields?: LogFields) => {
    const text = JSON.stringify({ level, msg, ...base, ...fields });
    if (level === "error") console.error(text);
    else console.log(text);
  };
  return {
    info: (msg, fields) => line("info", msg, fields),
    warn: (msg, fields) => line("warn", msg, fields),
    error: (msg, fields) => line("error", msg, fields),
    with: (fields) => jsonLogger({ ...base, ...fields }),
  };
}

/** Milliseconds since the epoch; injectable so tests and jobs can pin time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
