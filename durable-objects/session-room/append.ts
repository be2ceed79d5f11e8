import type { EventMessage } from "../../shared/contract/room.ts";
import { newId } from "../../shared/ids.ts";
import { ALLOWED_BY_ROLE, eventData, type RoomActor } from "../../shared/sessions/room.ts";
import type { EventLog } from "./event-log.ts";
import type { FrameRefusal } from "./frames.ts";

/**
 * The data to store for a client's event message, or why the room refuses it: the role may not send
 * this type, an answer's `promptSeq` is not a prompt, or a finding's `stepSeqs` are not all steps.
 * Findings gain their `findingId` and de-duplicated `stepSeqs`.
 */
export function eventDataFor(
  log: EventLog,
  actor: RoomActor,
  message: EventMessage,
): { data: Record<string, unknown> } | { refusal: FrameRefusal } {
  if (!ALLOWED_BY_ROLE[actor.role].has(message.type)) {
    return {
      refusal: { code: "forbidden", message: `A ${actor.role} cannot send "${message.type}" messages` },
    };
  }
  const data = eventData(message);
  if (message.type === "answer" && log.kindOf(message.promptSeq) !== "prompt") {
    return { refusal: { code: "unknown_prompt", message: `Event #${message.promptSeq} is not a prompt` } };
  }
  if (message.type === "finding") {
    const seqs = [...new Set(message.stepSeqs ?? [])];
    if (seqs.length && log.countSteps(seqs) !== seqs.length) {
      return { refusal: { code: "unknown_step", message: "stepSeqs must all be seqs of step events" } };
    }
    data.stepSeqs = seqs;
    data.findingId = newId("fnd");
  }
  return { data };
}
