import { z } from "zod";

/** One active dashboard sign-in of the caller (a device or browser holding a token). */
export const signInRecordSchema = z
  .object({
    id: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: z.number().int(),
    lastSeenAt: z.number().int(),
    expiresAt: z.number().int(),
    /** The sign-in this request is made with. */
    current: z.boolean(),
  })
  .meta({ id: "SignInRecord" });
export type SignInRecord = z.infer<typeof signInRecordSchema>;

export const signInListSchema = z.object({ items: z.array(signInRecordSchema) }).meta({ id: "SignInList" });

export const passwordChangeSchema = z
  .strictObject({
    currentPassword: z.string().min(1).max(256),
    newPassword: z.string().min(10, { error: "must be at least 10 characters" }).max(256),
  })
  .meta({ id: "PasswordChange" });
export type PasswordChange = z.infer<typeof passwordChangeSchema>;
