import { decryptSecret } from "../crypto/secret-box.ts";
import type { webhookEndpoints } from "../db/schema/webhooks.ts";
import { signStandardWebhook } from "./signatures.ts";

type Endpoint = Pick<
  typeof webhookEndpoints.$inferSelect,
  "id" | "secretSealed" | "previousSecretSealed" | "previousSecretExpiresAt"
>;

/** Where each sealed secret of an endpoint is bound (the AES-GCM context): rotation keeps them apart. */
export const secretContext = (endpointId: string) => endpointId;
export const previousSecretContext = (endpointId: string) => `${endpointId}:previous`;

/**
 * Standard Webhooks headers for one outbound request. The message id is the delivery id, the same on
 * every retry, so receivers can deduplicate. During a rotation's grace period the signature list holds
 * one signature per key (new first); receivers accept the request when any one matches.
 */
export async function signedHeaders(
  encryptionKey: string,
  endpoint: Endpoint,
  messageId: string,
  timestamp: number,
  body: string,
  now: number,
): Promise<Record<string, string>> {
  const secret = await decryptSecret(encryptionKey, endpoint.secretSealed, secretContext(endpoint.id));
  const signatures = [await signStandardWebhook(secret, messageId, timestamp, body)];
  if (endpoint.previousSecretSealed && (endpoint.previousSecretExpiresAt ?? 0) > now) {
    const previous = await decryptSecret(
      encryptionKey,
      endpoint.previousSecretSealed,
      previousSecretContext(endpoint.id),
    );
    signatures.push(await signStandardWebhook(previous, messageId, timestamp, body));
  }
  return {
    "content-type": "application/json",
    "user-agent": "Shifty-Webhooks/1.0",
    "webhook-id": messageId,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signatures.join(" "),
  };
}
