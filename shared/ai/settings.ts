import type { AuditContext } from "../audit/repository.ts";
import { auditedUpsert } from "../audit/repository.ts";
import type { AiLedgerEntry, AiSettings, AiUsage, PutAiSettings, WorkflowRun } from "../contract/ai.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg } from "../db/org-scoped.ts";
import { aiLedger, aiSettings, type aiWorkflowRuns } from "../db/schema/ai.ts";
import { ApiError } from "../errors.ts";
import { checkOutboundUrl } from "../net/outbound-url.ts";
import type { PageQuery } from "../pagination.ts";
import type { LlmConfig } from "./config.ts";
import { loadAiSettings, monthUsage } from "./ledger.ts";
import { DEFAULT_WINDOW_MINUTES } from "./workflows/deploy-monitor.ts";

const usd = (micros: number) => micros / 1_000_000;
const micros = (dollars: number) => Math.round(dollars * 1_000_000);

type SettingsRow = Omit<typeof aiSettings.$inferSelect, "orgId">;

function toAiSettings(row: SettingsRow | null): AiSettings {
  return {
    monthlyTokenCap: row?.monthlyTokenCap ?? null,
    monthlyCostCapUsd: row?.monthlyCostCapMicros == null ? null : usd(row.monthlyCostCapMicros),
    notifyUrl: row?.notifyUrl ?? null,
    deployWindowMinutes: row?.deployWindowMinutes ?? DEFAULT_WINDOW_MINUTES,
    models: row?.models ?? {},
    healTiebreak: row?.healTiebreak ?? false,
    updatedAt: row?.updatedAt ?? null,
  };
}

export async function getAiSettings(db: Db, orgId: string): Promise<AiSettings> {
  return toAiSettings(await loadAiSettings(db, orgId));
}

/** Replaces the organisation's AI settings; the notification URL must pass the outbound policy. */
export async function putAiSettings(
  db: Db,
  orgId: string,
  audit: AuditContext,
  input: PutAiSettings,
  options: { allowLoopback: boolean; now: number },
): Promise<AiSettings> {
  if (input.notifyUrl) {
    const verdict = checkOutboundUrl(input.notifyUrl, { allowLoopback: options.allowLoopback });
    if (!verdict.ok) {
      throw new ApiError("validation_failed", "The request body is invalid", {
        errors: [{ path: "notifyUrl", message: verdict.reason }],
      });
    }
  }
  const fields = {
    monthlyTokenCap: input.monthlyTokenCap,
    monthlyCostCapMicros: input.monthlyCostCapUsd === null ? null : micros(input.monthlyCostCapUsd),
    notifyUrl: input.notifyUrl,
    deployWindowMinutes: input.deployWindowMinutes,
    models: input.models,
    healTiebreak: input.healTiebreak,
    updatedAt: options.now,
  };
  await auditedUpsert(
    db,
    orgId,
    audit,
    aiSettings,
    { orgId, ...fields },
    { target: aiSettings.orgId, set: fields },
    {
      action: "ai.settings.update",
      targetType: "organization",
      targetId: orgId,
      changes: { ...fields, notifyUrl: fields.notifyUrl ? "(set)" : null },
    },
  );
  // What was just written is what a read would return: no second query.
  return toAiSettings(fields);
}

export async function getAiUsage(db: Db, orgId: string, llm: LlmConfig, now: number): Promise<AiUsage> {
  const [used, settings] = await Promise.all([monthUsage(db, orgId, now), getAiSettings(db, orgId)]);
  return {
    month: new Date(now).toISOString().slice(0, 7),
    calls: used.calls,
    tokensIn: used.tokensIn,
    tokensOut: used.tokensOut,
    costUsd: usd(used.costMicros),
    monthlyTokenCap: settings.monthlyTokenCap,
    monthlyCostCapUsd: settings.monthlyCostCapUsd,
    providers: llm.providers.map((p) => ({ kind: p.kind, model: p.model })),
  };
}

export async function listAiLedger(db: Db, orgId: string, page: PageQuery) {
  const { items, nextCursor } = await pageInOrg(db, aiLedger, orgId, page);
  return {
    items: items.map(
      ({ orgId: _org, costMicros, ...row }): AiLedgerEntry => ({ ...row, costUsd: usd(costMicros) }),
    ),
    nextCursor,
  };
}

export function toWorkflowRun(row: typeof aiWorkflowRuns.$inferSelect): WorkflowRun {
  const { orgId: _org, round: _round, costMicros, ...rest } = row;
  return { ...rest, costUsd: usd(costMicros) };
}
