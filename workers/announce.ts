import { type EmitDeps, emitShiftyEvent, type ShiftyEvent } from "../shared/notifications/events.ts";
import type { Services } from "./services.ts";

/** What emitting a Shifty event needs, from the request's services (docs/notifications.md). */
const emitDepsOf = (s: Services): EmitDeps => ({
  db: s.db,
  queue: s.queues.webhooks,
  logger: s.logger,
  now: s.clock(),
});

/**
 * Emits Shifty events (after the response, from `waitUntil`), in order; a failure is logged and does
 * not stop the others: the request they describe has already succeeded.
 */
export async function announce(s: Services, events: readonly (ShiftyEvent | null)[]) {
  const deps = emitDepsOf(s);
  for (const event of events) {
    if (!event) continue;
    try {
      await emitShiftyEvent(deps, event);
    } catch (error) {
      s.logger.error("announce", { type: event.type, key: event.key, error: String(error) });
    }
  }
}
