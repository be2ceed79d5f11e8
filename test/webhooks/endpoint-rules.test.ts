import { describe, expect, it } from "vitest";
import { ApiError } from "../../shared/errors.ts";
import {
  breakerReason,
  breakerTrips,
  CIRCUIT_BREAKER_FAILURES,
  CIRCUIT_BREAKER_WINDOW_MS,
} from "../../shared/webhooks/breaker.ts";
import {
  checkedEndpointUrl,
  patchedEndpoint,
  type WebhookEndpointRow,
} from "../../shared/webhooks/endpoints.ts";
import { deliverMessage, eventMessage, webhookMessageSchema } from "../../shared/webhooks/message.ts";

const now = Date.UTC(2026, 10, 20, 12);

describe("circuit breaker", () => {
  const failing = (consecutiveFailures: number, sinceMs: number, status = "active") => ({
    status,
    consecutiveFailures,
    firstFailureAt: now - sinceMs,
  });

  it("trips only on enough consecutive failures spread over the window", () => {
    expect(breakerTrips(failing(CIRCUIT_BREAKER_FAILURES, CIRCUIT_BREAKER_WINDOW_MS), now)).toBe(true);
    expect(breakerTrips(failing(CIRCUIT_BREAKER_FAILURES + 5, 2 * CIRCUIT_BREAKER_WINDOW_MS), now)).toBe(
      true,
    );
    // A burst: many failures within minutes.
    expect(breakerTrips(failing(50, 5 * 60 * 1000), now)).toBe(false);
    // Long, but too few.
    expect(breakerTrips(failing(CIRCUIT_BREAKER_FAILURES - 1, 3 * CIRCUIT_BREAKER_WINDOW_MS), now)).toBe(
      false,
    );
    // Already disabled, or no failure on record.
    expect(breakerTrips(failing(20, 2 * CIRCUIT_BREAKER_WINDOW_MS, "disabled"), now)).toBe(false);
    expect(breakerTrips({ status: "active", consecutiveFailures: 20, firstFailureAt: null }, now)).toBe(
      false,
    );
  });

  it("says why, with the first failure's time and the last error", () => {
    expect(breakerReason(failing(10, CIRCUIT_BREAKER_WINDOW_MS), "HTTP 502")).toBe(
      "Circuit breaker: 10 consecutive failed attempts since 2026-11-20T11:00:00.000Z; last: HTTP 502",
    );
  });
});

const endpoint: WebhookEndpointRow = {
  id: "whe_01jd0000000000000000000000",
  orgId: "org_01jd0000000000000000000000",
  url: "https://a.example/",
  description: "old",
  eventTypes: ["*"],
  environment: "prod",
  secretSealed: "sealed",
  previousSecretSealed: null,
  previousSecretExpiresAt: null,
  status: "disabled",
  disabledReason: "Circuit breaker: …",
  disabledAt: now - 1000,
  consecutiveFailures: 12,
  firstFailureAt: now - 2 * CIRCUIT_BREAKER_WINDOW_MS,
  createdAt: now - 10_000,
  updatedAt: now - 1000,
};

describe("endpoint patch", () => {
  it("keeps omitted fields, clears nullable ones set to null, and dedupes event types", () => {
    const after = patchedEndpoint(
      endpoint,
      { eventTypes: ["github.*", "github.*", "sentry.*"], environment: null },
      "https://b.example/",
      now,
    );
    expect(after).toMatchObject({
      url: "https://b.example/",
      eventTypes: ["github.*", "sentry.*"],
      environment: null,
      description: "old",
      status: "disabled",
      consecutiveFailures: 12,
      updatedAt: now,
    });
  });

  it("re-enabling resets the breaker; disabling an active endpoint records a user as the reason", () => {
    expect(patchedEndpoint(endpoint, { enabled: true }, endpoint.url, now)).toMatchObject({
      status: "active",
      disabledReason: null,
      disabledAt: null,
      consecutiveFailures: 0,
      firstFailureAt: null,
    });
    const active = { ...endpoint, status: "active" as const, disabledReason: null, disabledAt: null };
    expect(patchedEndpoint(active, { enabled: false }, endpoint.url, now)).toMatchObject({
      status: "disabled",
      disabledReason: "Disabled by a user",
      disabledAt: now,
    });
    // Disabling an already disabled endpoint keeps its original reason.
    expect(patchedEndpoint(endpoint, { enabled: false }, endpoint.url, now).disabledReason).toBe(
      "Circuit breaker: …",
    );
  });

  it("refuses internal URLs with a 422 naming the field, and allows loopback only when asked", () => {
    expect(() => checkedEndpointUrl("http://10.1.2.3/", true)).toThrow(ApiError);
    try {
      checkedEndpointUrl("http://127.0.0.1:8080/hook", false);
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).code).toBe("unprocessable");
      expect((error as ApiError).errors).toEqual([
        { path: "url", message: "loopback addresses are not allowed" },
      ]);
    }
    expect(checkedEndpointUrl("http://127.0.0.1:8080/hook", true)).toBe("http://127.0.0.1:8080/hook");
    expect(checkedEndpointUrl("https://Hooks.Example.com", false)).toBe("https://hooks.example.com/");
  });
});

describe("queue messages", () => {
  it("builds messages the consumer's schema accepts", () => {
    const event = eventMessage({ orgId: "org_1", id: "evt_1", round: 2 });
    const deliver = deliverMessage({ orgId: "org_1", id: "dlv_1" });
    expect(event).toEqual({ kind: "event", orgId: "org_1", eventId: "evt_1", round: 2 });
    expect(deliver).toEqual({ kind: "deliver", orgId: "org_1", deliveryId: "dlv_1" });
    expect(webhookMessageSchema.safeParse(event).success).toBe(true);
    expect(webhookMessageSchema.safeParse(deliver).success).toBe(true);
    expect(webhookMessageSchema.safeParse({ ...event, round: -1 }).success).toBe(false);
  });
});
