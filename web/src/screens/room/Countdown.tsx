import { useEffect, useState } from "react";

/** `mm:ss`, or `h:mm:ss` from an hour up. */
function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/**
 * The session's timebox counting down from its start; past the end it counts the overrun instead. A
 * `timer` role is not announced on every tick (its live region is off), so screen readers stay quiet.
 */
export function Countdown({ startedAt, minutes }: { startedAt: number; minutes: number }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  const left = startedAt + minutes * 60_000 - now;
  const over = left < 0;
  return (
    <span
      className={`countdown${over ? " countdown-over" : left < 5 * 60_000 ? " countdown-soon" : ""}`}
      role="timer"
      aria-label={over ? "Timebox over by" : "Time left in the timebox"}
      data-testid="timebox"
    >
      {over ? `+${clock(-left)} over` : `${clock(left)} left`}
    </span>
  );
}
