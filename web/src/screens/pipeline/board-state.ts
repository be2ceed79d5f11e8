import type { BoardFrame, BoardSnapshot, LeadCard, LeadStatus } from "../../api-pipeline.ts";

/** Cards shown per column. */
export const COLUMN_CARDS = 12;

export type BoardState = { counts: Record<LeadStatus, number>; cards: Map<string, LeadCard> };

export function fromSnapshot(snapshot: BoardSnapshot): BoardState {
  return { counts: { ...snapshot.counts }, cards: new Map(snapshot.cards.map((c) => [c.id, c])) };
}

/** Applies socket frames: a card leaves its old column's count and joins the new one. */
export function applyFrames(state: BoardState, frames: BoardFrame[]): BoardState {
  const counts = { ...state.counts };
  const cards = new Map(state.cards);
  for (const frame of frames) {
    if (frame.type !== "lead") continue;
    const { card, from } = frame;
    const known = cards.get(card.id);
    // An older frame arriving late, or the same move seen twice (the acting tab applies its own answer,
    // then the socket echoes it).
    if (
      known &&
      (known.updatedAt > card.updatedAt ||
        (known.updatedAt === card.updatedAt && known.status === card.status))
    )
      continue;
    if (from && counts[from] > 0) counts[from] -= 1;
    counts[card.status] = (counts[card.status] ?? 0) + 1;
    cards.set(card.id, card);
  }
  return { counts, cards };
}

/** The newest cards of one column, after the persona and score filters. */
export function columnCards(
  state: BoardState,
  status: LeadStatus,
  filter: { persona: string; minScore: number },
): LeadCard[] {
  return [...state.cards.values()]
    .filter((c) => c.status === status)
    .filter((c) => !filter.persona || c.persona === filter.persona)
    .filter((c) => (c.score ?? 0) >= filter.minScore || (filter.minScore === 0 && c.score === null))
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, COLUMN_CARDS);
}
