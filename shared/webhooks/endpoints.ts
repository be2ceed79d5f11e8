import { type AuditContext, auditedInsert, auditedUpdate, deleteInOrg } from "../audit/repository.ts";
import type {
  CreateEndpointRequest,
  RotateEndpointSecretRequest,
  UpdateEndpointRequest,
} from "../contract/webhooks.ts";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg, requireInOrg } from "../db/org-scoped.ts";
import { webhookEndpoints } from "../db/schema/webhooks.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import { checkOutboundUrl } from "../net/outbound-url.ts";
import type { PageQuery } from "../pagination.ts";
import { previousSecretContext, secretContext } from "./outbound-signing.ts";
import { newStandardSecret } from "./routing.ts";

/** Outbound endpoints: tenant URLs subscribed to event types, signed per Standard Webhooks. */

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;

/** What endpoint writes need besides their input. */
export type EndpointDeps = {
  db: Db;
  encryptionKey: string;
  /** Local development only (ALLOW_LOOPBACK_WEBHOOKS): URLs on 127.0.0.0/8, ::1 and localhost. */
  allowLoopback: boolean;
  now: number;
};

/** The URL as the SSRF guard normalises it, or a 422 naming the reason. */
export function checkedEndpointUrl(raw: string, allowLoopback: boolean): string {
  const verdict = checkOutboundUrl(raw, { allowLoopback });
  if (!verdict.ok) {
    throw new ApiError("unprocessable", "The endpoint URL is not allowed", {
      errors: [{ path: "url", message: verdict.reason }],
    });
  }
  return verdict.url.toString();
}

/** Creates an active endpoint with a new signing secret, returned once. */
export async function createEndpoint(
  deps: EndpointDeps,
  orgId: string,
  audit: AuditContext,
  input: CreateEndpointRequest,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const { db, now } = deps;
  const url = checkedEndpointUrl(input.url, deps.allowLoopback);
  const id = newId("whe", now);
  const secret = newStandardSecret();
  const endpoint: WebhookEndpointRow = {
    id,
    orgId,
    url,
    description: input.description ?? null,
    eventTypes: [...new Set(input.eventTypes)],
    environment: input.environment ?? null,
    secretSealed: await encryptSecret(deps.encryptionKey, secret, secretContext(id)),
    previousSecretSealed: null,
    previousSecretExpiresAt: null,
    status: "active",
    disabledReason: null,
    disabledAt: null,
    consecutiveFailures: 0,
    firstFailureAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await auditedInsert(db, orgId, audit, webhookEndpoints, endpoint, {
    action: "webhook_endpoint.create",
    targetType: "webhook_endpoint",
    changes: { url, eventTypes: endpoint.eventTypes, environment: endpoint.environment },
  });
  return { endpoint, secret };
}

export function listEndpoints(db: Db, orgId: string, page: PageQuery) {
  return pageInOrg(db, webhookEndpoints, orgId, page);
}

export function requireEndpoint(db: Db, orgId: string, endpointId: string): Promise<WebhookEndpointRow> {
  return requireInOrg(db, webhookEndpoints, orgId, endpointId, "Webhook endpoint");
}

/** The endpoint after a patch; `enabled: true` also resets the circuit breaker. */
export function patchedEndpoint(
  before: WebhookEndpointRow,
  patch: UpdateEndpointRequest,
  url: string,
  now: number,
): WebhookEndpointRow {
  const after: WebhookEndpointRow = {
    ...before,
    url,
    eventTypes: patch.eventTypes ? [...new Set(patch.eventTypes)] : before.eventTypes,
    environment: patch.environment === undefined ? before.environment : patch.environment,
    description: patch.description === undefined ? before.description : patch.description,
    updatedAt: now,
  };
  if (patch.enabled === true) {
    return {
      ...after,
      status: "active",
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
      firstFailureAt: null,
    };
  }
  if (patch.enabled === false && before.status === "active") {
    return { ...after, status: "disabled", disabledReason: "Disabled by a user", disabledAt: now };
  }
  return after;
}

/** Updates, disables or re-enables the org's endpoint. */
export async function updateEndpoint(
  deps: EndpointDeps,
  orgId: string,
  audit: AuditContext,
  endpointId: string,
  patch: UpdateEndpointRequest,
): Promise<WebhookEndpointRow> {
  const { db, now } = deps;
  const before = await requireEndpoint(db, orgId, endpointId);
  const url = patch.url === undefined ? before.url : checkedEndpointUrl(patch.url, deps.allowLoopback);
  const after = patchedEndpoint(before, patch, url, now);
  await auditedUpdate(
    db,
    orgId,
    audit,
    webhookEndpoints,
    endpointId,
    {
      url: after.url,
      eventTypes: after.eventTypes,
      environment: after.environment,
      description: after.description,
      status: after.status,
      disabledReason: after.disabledReason,
      disabledAt: after.disabledAt,
      consecutiveFailures: after.consecutiveFailures,
      firstFailureAt: after.firstFailureAt,
      updatedAt: now,
    },
    {
      action: "webhook_endpoint.update",
      targetType: "webhook_endpoint",
      changes: patch,
    },
  );
  return after;
}

/**
 * Replaces the signing secret. For `graceSeconds` the old secret keeps signing alongside the new one
 * (outbound-signing.ts), so receivers can switch without dropping deliveries.
 */
export async function rotateEndpointSecret(
  deps: EndpointDeps,
  orgId: string,
  audit: AuditContext,
  endpointId: string,
  { graceSeconds }: RotateEndpointSecretRequest,
): Promise<{ endpoint: WebhookEndpointRow; secret: string }> {
  const { db, now, encryptionKey } = deps;
  const before = await requireEndpoint(db, orgId, endpointId);
  const secret = newStandardSecret();
  const oldSecret = await decryptSecret(encryptionKey, before.secretSealed, secretContext(endpointId));
  const after: WebhookEndpointRow = {
    ...before,
    secretSealed: await encryptSecret(encryptionKey, secret, secretContext(endpointId)),
    previousSecretSealed:
      graceSeconds > 0
        ? await encryptSecret(encryptionKey, oldSecret, previousSecretContext(endpointId))
        : null,
    previousSecretExpiresAt: graceSeconds > 0 ? now + graceSeconds * 1000 : null,
    updatedAt: now,
  };
  await auditedUpdate(
    db,
    orgId,
    audit,
    webhookEndpoints,
    endpointId,
    {
      secretSealed: after.secretSealed,
      previousSecretSealed: after.previousSecretSealed,
      previousSecretExpiresAt: after.previousSecretExpiresAt,
      updatedAt: now,
    },
    {
      action: "webhook_endpoint.rotate_secret",
      targetType: "webhook_endpoint",
      changes: { graceSeconds },
    },
  );
  return { endpoint: after, secret };
}

/** Deletes the org's endpoint; its pending deliveries are cancelled when they next come up. */
export async function deleteEndpoint(db: Db, orgId: string, audit: AuditContext, endpointId: string) {
  await deleteInOrg(db, orgId, audit, webhookEndpoints, endpointId, "Webhook endpoint", (endpoint) => ({
    action: "webhook_endpoint.delete",
    targetType: "webhook_endpoint",
    changes: { url: endpoint.url },
  }));
}
