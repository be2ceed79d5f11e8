// CPU seconds used so far by every process of one process group (Linux /proc), e.g. wrangler dev and
// the workerd it starts. CPU per request is a figure that a busy machine disturbs far less than req/s.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export function groupCpuSeconds(pgid) {
  let out = "";
  try {
    out = execFileSync("pgrep", ["-g", String(pgid)], { encoding: "utf8" });
  } catch {
    return Number.NaN; // no /proc or pgrep here
  }
  let ticks = 0;
  for (const pid of out.split("\n").filter(Boolean)) {
    try {
      // Fields after the ") " that ends the command name: utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / TICKS_PER_SECOND;
}
