import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** One row per issued dashboard sign-in token (the JWT's `sid`); migrations/0007_sign_ins.sql. */
export const signIns = sqliteTable(
  "sign_ins",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("sign_ins_user").on(t.userId, t.id)],
);
