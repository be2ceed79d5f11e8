import { z } from "zod";

/** A newest-first page of items and the cursor of the next one (`null` on the last page). */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * The answer of a "test connection" call on a project integration (Jira, GitHub): the provider was
 * asked with the stored credentials; a refusal is `ok: false` with its status and message, not an error.
 */
export const connectionCheckSchema = z
  .object({
    ok: z.boolean(),
    status: z.number().int().nullable().describe("The provider's HTTP status; null when no answer came"),
    message: z.string().describe("What was checked, or why it failed"),
  })
  .meta({ id: "ConnectionCheck" });
export type ConnectionCheck = z.infer<typeof connectionCheckSchema>;

/** A stored integration credential as answers show it: never the value, only its last 4 characters. */
export const maskedSecret = z.string().meta({ description: "Masked: only the last 4 characters are shown" });

/** When a resource was created and last changed, in epoch milliseconds (its row's created_at, updated_at). */
export const timestamps = { createdAt: z.number().int(), updatedAt: z.number().int() };

/** The client a request came from, as recorded with a sign-in or an audit entry; null when unknown. */
export const requestClient = { ip: z.string().nullable(), userAgent: z.string().nullable() };

/** How long a rotated secret keeps working beside its successor, in seconds: a day unless asked. */
export const rotationGraceSeconds = (maxSeconds: number) =>
  z.number().int().min(0).max(maxSeconds).default(86_400);

/** When it was first and last seen, epoch ms (a test in the reports, a participant in a session). */
export const firstLastSeen = { firstSeenAt: z.number().int(), lastSeenAt: z.number().int() };

// ---- Credentials: one rule each, for every form that takes them (sign-up, reset, change, sign-in) ----

/** An email address as accounts store it: trimmed and lower-cased, so "A@x.io " and "a@x.io" are one. */
export const emailAddress = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "must be an email address" }).max(254));

/** A password being set (sign-up, reset, change): the one place its minimum length is decided. */
export const newPassword = z.string().min(10, { error: "must be at least 10 characters" }).max(256);

/** A password being checked against the stored one (sign-in, re-authentication): any non-empty value. */
export const givenPassword = z.string().min(1).max(256);
