import { and, eq, lt, sql } from "drizzle-orm";
import { type AuditContext, auditedUpsert } from "../audit/repository.ts";
import {
  DEFAULT_SESSION_CALL_LIMIT,
  type McpPolicy,
  type PutMcpPolicy,
  putMcpPolicySchema,
} from "../contract/mcp.ts";
import type { Db } from "../db/client.ts";
import { mcpPolicies, mcpSessions } from "../db/schema/mcp.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";

/** The org's MCP policy; without a row every tool is allowed with the default call limit. */
export async function getMcpPolicy(db: Db, orgId: string): Promise<McpPolicy> {
  const [row] = await db.select().from(mcpPolicies).where(eq(mcpPolicies.orgId, orgId)).limit(1);
  if (!row) {
    return {
      allowedTools: null,
      deniedTools: [],
      sessionCallLimit: DEFAULT_SESSION_CALL_LIMIT,
      updatedAt: null,
    };
  }
  return {
    allowedTools: (row.allowedTools ?? null) as McpPolicy["allowedTools"],
    deniedTools: row.deniedTools as McpPolicy["deniedTools"],
    sessionCallLimit: row.sessionCallLimit,
    updatedAt: row.updatedAt,
  };
}

export async function putMcpPolicy(
  db: Db,
  orgId: string,
  audit: AuditContext,
  input: PutMcpPolicy,
  now = Date.now(),
): Promise<McpPolicy> {
  const policy = putMcpPolicySchema.parse(input);
  const values = {
    allowedTools: policy.allowedTools,
    deniedTools: policy.deniedTools,
    sessionCallLimit: policy.sessionCallLimit,
    updatedAt: now,
  };
  await auditedUpsert(
    db,
    orgId,
    audit,
    mcpPolicies,
    { id: newId("mcp", now), orgId, createdAt: now, ...values },
    { target: mcpPolicies.orgId, set: values },
    { action: "mcp.policy.update", targetType: "mcp_policy", changes: values },
  );
  return { ...values };
}

/** Whether the policy lets the org's callers use `tool` (deny wins over allow). */
export function toolAllowed(policy: McpPolicy, tool: string): boolean {
  if ((policy.deniedTools as string[]).includes(tool)) return false;
  return policy.allowedTools === null || (policy.allowedTools as string[]).includes(tool);
}

export async function openMcpSession(
  db: Db,
  orgId: string,
  actorId: string,
  clientName: string | null,
  now = Date.now(),
): Promise<string> {
  const id = newId("mcs", now);
  await db.insert(mcpSessions).values({ id, orgId, actorId, clientName, calls: 0, createdAt: now });
  return id;
}

/** The session if it exists for this org and caller (another org's or caller's session reads as unknown). */
export async function findMcpSession(db: Db, orgId: string, actorId: string, id: string) {
  const [row] = await db
    .select()
    .from(mcpSessions)
    .where(and(eq(mcpSessions.orgId, orgId), eq(mcpSessions.id, id), eq(mcpSessions.actorId, actorId)))
    .limit(1);
  return row ?? null;
}

/**
 * Counts one tool call against the session's limit in a single conditional UPDATE, so concurrent
 * calls cannot overshoot it. Throws `rate_limited` when the session has used its calls.
 */
export async function chargeMcpSession(db: Db, orgId: string, id: string, limit: number, now = Date.now()) {
  const updated = await db
    .update(mcpSessions)
    .set({ calls: sql`${mcpSessions.calls} + 1`, lastCallAt: now })
    .where(and(eq(mcpSessions.orgId, orgId), eq(mcpSessions.id, id), lt(mcpSessions.calls, limit)))
    .returning({ calls: mcpSessions.calls });
  if (updated.length === 0) {
    throw new ApiError(
      "rate_limited",
      `This MCP session has used its ${limit} tool calls; start a new session`,
    );
  }
  return updated[0]!.calls;
}

export function closeMcpSession(db: Db, orgId: string, id: string) {
  return db.delete(mcpSessions).where(and(eq(mcpSessions.orgId, orgId), eq(mcpSessions.id, id)));
}
