import { describe, expect, it } from "vitest";
import { checkOutboundUrl } from "../../shared/net/outbound-url.ts";
import {
  DELIVERY_RETRY_SCHEDULE_SECONDS,
  deliveryRetryDelay,
  endpointWants,
  matchesEventType,
  processingRetryDelay,
} from "../../shared/webhooks/routing.ts";
import {
  signStandardWebhook,
  verifyGitHubSignature,
  verifyJiraSignature,
  verifySentrySignature,
  verifySharedToken,
  verifySlackSignature,
  verifyStandardWebhook,
} from "../../shared/webhooks/signatures.ts";
import { hexHmac } from "./helpers.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("GitHub X-Hub-Signature-256", () => {
  // GitHub's documented example ("Validating webhook deliveries").
  const secret = "It's a Secret to Everybody";
  const expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

  it("accepts the documented example", async () => {
    expect(await verifyGitHubSignature(secret, bytes("Hello, World!"), expected)).toEqual({ ok: true });
  });
  it("rejects a tampered body, a tampered signature, a missing header and the wrong secret", async () => {
    expect((await verifyGitHubSignature(secret, bytes("Hello, World?"), expected)).ok).toBe(false);
    expect(
      (await verifyGitHubSignature(secret, bytes("Hello, World!"), `${expected.slice(0, -1)}f`)).ok,
    ).toBe(false);
    expect((await verifyGitHubSignature(secret, bytes("Hello, World!"), null)).ok).toBe(false);
    expect((await verifyGitHubSignature("another secret", bytes("Hello, World!"), expected)).ok).toBe(false);
  });
});

describe("Standard Webhooks", () => {
  // The standard-webhooks repository's published test vector.
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  const ts = 1614265330;
  const body = '{"test": 2432232314}';
  const expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
  const at = ts * 1000;

  it("signs the published vector", async () => {
    expect(await signStandardWebhook(secret, id, ts, body)).toBe(expected);
  });
  it("verifies it, also when listed after another (rotated) signature", async () => {
    const headers = { id, timestamp: String(ts), signature: expected };
    expect(await verifyStandardWebhook(secret, bytes(body), headers, at)).toEqual({ ok: true });
    const rotated = { ...headers, signature: `v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${expected}` };
    expect(await verifyStandardWebhook(secret, bytes(body), rotated, at)).toEqual({ ok: true });
  });
  it("rejects tampered body, id, stale or future timestamp", async () => {
    const headers = { id, timestamp: String(ts), signature: expected };
    expect((await verifyStandardWebhook(secret, bytes('{"test": 2432232315}'), headers, at)).ok).toBe(false);
    expect((await verifyStandardWebhook(secret, bytes(body), { ...headers, id: "msg_other" }, at)).ok).toBe(
      false,
    );
    expect(await verifyStandardWebhook(secret, bytes(body), headers, at + 301_000)).toEqual({
      ok: false,
      reason: "stale or malformed timestamp",
    });
    expect((await verifyStandardWebhook(secret, bytes(body), headers, at - 301_000)).ok).toBe(false);
    expect((await verifyStandardWebhook(secret, bytes(body), headers, at + 299_000)).ok).toBe(true);
  });
});

describe("Slack v0 signing", () => {
  // Slack's documented example ("Verifying requests from Slack").
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";
  const ts = "1531420618";
  const body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  const expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
  const at = Number(ts) * 1000 + 10_000;

  it("accepts the documented example within five minutes", async () => {
    expect(await verifySlackSignature(secret, bytes(body), ts, expected, at)).toEqual({ ok: true });
  });
  it("rejects a stale timestamp, a tampered body and a changed timestamp", async () => {
    expect(
      (await verifySlackSignature(secret, bytes(body), ts, expected, Number(ts) * 1000 + 6 * 60_000)).ok,
    ).toBe(false);
    expect((await verifySlackSignature(secret, bytes(`${body}x`), ts, expected, at)).ok).toBe(false);
    expect((await verifySlackSignature(secret, bytes(body), "1531420619", expected, at)).ok).toBe(false);
  });
});

describe("Sentry, Jira and shared tokens", () => {
  const body = '{"action":"created","data":{"issue":{"id":"1"}}}';
  it("Sentry-Hook-Signature is the hex HMAC of the body", async () => {
    expect(
      await verifySentrySignature("sentry-client-secret", bytes(body), hexHmac("sentry-client-secret", body)),
    ).toEqual({ ok: true });
    expect(
      (
        await verifySentrySignature(
          "sentry-client-secret",
          bytes(`${body} `),
          hexHmac("sentry-client-secret", body),
        )
      ).ok,
    ).toBe(false);
  });
  it("Jira X-Hub-Signature is method=hex", async () => {
    expect(
      await verifyJiraSignature(
        "jira-secret-123456",
        bytes(body),
        `sha256=${hexHmac("jira-secret-123456", body)}`,
      ),
    ).toEqual({ ok: true });
    expect(
      (
        await verifyJiraSignature(
          "jira-secret-123456",
          bytes(body),
          `sha1=${hexHmac("jira-secret-123456", body)}`,
        )
      ).ok,
    ).toBe(false);
  });
  it("shared tokens compare whole values", () => {
    expect(verifySharedToken("gitlab-token-abcdef", "gitlab-token-abcdef")).toEqual({ ok: true });
    expect(verifySharedToken("gitlab-token-abcdef", "gitlab-token-abcdeF").ok).toBe(false);
    expect(verifySharedToken("gitlab-token-abcdef", "gitlab-token-abcde").ok).toBe(false);
    expect(verifySharedToken("gitlab-token-abcdef", undefined).ok).toBe(false);
  });
});

describe("SSRF guard", () => {
  it.each([
    "http://127.0.0.1/hook",
    "http://localhost:8787/x",
    "http://api.localhost/x",
    "http://10.1.2.3/",
    "http://172.20.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[fe80::1]/",
    "http://[fd00::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://2130706433/",
    "http://0x7f.0.0.1/",
    "http://metadata.google.internal/",
    "http://printer.local/",
    "ftp://example.com/",
    "https://user:pass@example.com/",
  ])("refuses %s", (url) => {
    expect(checkOutboundUrl(url, { allowLoopback: false }).ok).toBe(false);
  });
  it("allows public hosts and, only when asked, loopback", () => {
    expect(checkOutboundUrl("https://hooks.example.com/shifty", { allowLoopback: false }).ok).toBe(true);
    expect(checkOutboundUrl("https://93.184.216.34/", { allowLoopback: false }).ok).toBe(true);
    expect(checkOutboundUrl("http://127.0.0.1:9000/", { allowLoopback: true }).ok).toBe(true);
    expect(checkOutboundUrl("http://[::1]:9000/", { allowLoopback: true }).ok).toBe(true);
    // Loopback permission never extends to private or link-local ranges.
    expect(checkOutboundUrl("http://169.254.169.254/", { allowLoopback: true }).ok).toBe(false);
    expect(checkOutboundUrl("http://10.0.0.1/", { allowLoopback: true }).ok).toBe(false);
  });
});

describe("routing and retry schedules", () => {
  it("matches `*`, `provider.*` and exact types, and the endpoint's environment", () => {
    expect(matchesEventType(["*"], "github.push")).toBe(true);
    expect(matchesEventType(["github.*"], "github.push")).toBe(true);
    expect(matchesEventType(["github.*"], "gitlab.push")).toBe(false);
    expect(matchesEventType(["sentry.issue.created"], "sentry.issue.created")).toBe(true);
    const ev = { provider: "github", type: "push", environment: "prod" };
    expect(endpointWants({ eventTypes: ["github.push"], environment: null }, ev)).toBe(true);
    expect(endpointWants({ eventTypes: ["github.push"], environment: "stg" }, ev)).toBe(false);
  });
  it("delivery retries follow 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 24 h with ±10 % jitter, then stop", () => {
    DELIVERY_RETRY_SCHEDULE_SECONDS.forEach((base, i) => {
      expect(deliveryRetryDelay(i + 1, () => 0.5)).toBe(base);
      expect(deliveryRetryDelay(i + 1, () => 0)).toBe(Math.round(base * 0.9));
      expect(deliveryRetryDelay(i + 1, () => 0.999_999)).toBeLessThanOrEqual(Math.round(base * 1.1));
    });
    expect(deliveryRetryDelay(8, () => 0.5)).toBeNull();
  });
  it("processing backoff grows exponentially with jitter and stays under the queue's 12 h cap", () => {
    expect(processingRetryDelay(1, () => 1)).toBe(5);
    expect(processingRetryDelay(4, () => 1)).toBe(40);
    expect(processingRetryDelay(4, () => 0)).toBe(20);
    expect(processingRetryDelay(40, () => 1)).toBe(12 * 3600);
  });
});
