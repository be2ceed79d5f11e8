import { z } from "zod";

/** `?limit=&cursor=` (docs/http-conventions.md). Ids are time-ordered, so the cursor is simply the last id seen. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .max(64)
    .regex(/^[a-z]{2,5}_[0-9a-z]{26}$/, { error: "cursor is not one this API issued" })
    .optional(),
});

export type PageQuery = z.infer<typeof pageQuerySchema>;

/** The same page with each item mapped to its API view (the cursor is the row id, which views keep). */
export function mapPage<T, U>(
  page: { items: T[]; nextCursor: string | null },
  view: (item: T) => U,
): { items: U[]; nextCursor: string | null } {
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

/** Fetch `limit + 1` rows newest first, then call this to split off the next cursor. */
export function toPage<T extends { id: string }>(
  rows: T[],
  limit: number,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
