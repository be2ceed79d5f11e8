import { describe, expect, it } from "vitest";
import { GitHubClient } from "../../shared/ci/github.ts";
import { jiraSettingsBody } from "../../shared/contract/sessions.ts";
import { JiraClient } from "../../shared/jira/client.ts";
import { checkOutboundHost, checkOutboundUrl } from "../../shared/net/outbound-url.ts";

/** The one outbound-URL policy (shared/net/outbound-url.ts) for webhooks, Jira and GitHub. */

const production = { allowLoopback: false };

describe("outbound URL policy", () => {
  it.each([
    ["6to4 of 169.254.169.254", "http://[2002:a9fe:a9fe::1]/"],
    ["6to4 of 10.0.0.1", "http://[2002:0a00:0001::]/"],
    ["Teredo", "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/"],
    ["IPv4-translated", "http://[::ffff:0:a9fe:a9fe]/"],
    ["local-use NAT64", "http://[64:ff9b:1::a9fe:a9fe]/"],
    ["well-known NAT64 of a private v4", "http://[64:ff9b::a00:1]/"],
    ["site-local", "http://[fec0::1]/"],
    ["IPv4-mapped", "http://[::ffff:169.254.169.254]/"],
    ["metadata name", "http://metadata.google.internal/"],
    ["*.localhost", "http://api.localhost/"],
    ["Kubernetes service", "http://db.default.svc.cluster.local/"],
    ["Kubernetes short service", "http://db.default.svc/"],
  ])("refuses %s", (_label, url) => {
    expect(checkOutboundUrl(url, production).ok).toBe(false);
  });

  it("still allows public addresses, including public 6to4 and NAT64 of a public v4", () => {
    for (const url of [
      "https://hooks.example.com/x",
      "https://[2606:4700::1111]/",
      "https://[2002:0808:0808::1]/",
      "https://[64:ff9b::808:808]/",
    ]) {
      expect(checkOutboundUrl(url, production), url).toMatchObject({ ok: true });
    }
  });

  it("Jira hosts: the settings schema and the client refuse internal names", () => {
    for (const host of ["metadata.google.internal", "evil.localhost", "jira.svc.cluster.local"]) {
      expect(checkOutboundHost(host).ok, host).toBe(false);
      const parsed = jiraSettingsBody.safeParse({
        host,
        email: "a@b.co",
        apiToken: "token-123456",
        projectKey: "QA",
      });
      expect(parsed.success, host).toBe(false);
      expect(() => new JiraClient({ host, email: "a@b.c", apiToken: "t" })).toThrow();
    }
    expect(checkOutboundHost("acme.atlassian.net").ok).toBe(true);
  });

  it("Jira and GitHub clients never follow redirects", async () => {
    const seen: (RequestRedirect | undefined)[] = [];
    const redirecting: typeof fetch = async (_input, init) => {
      seen.push(init?.redirect);
      return new Response(null, { status: 302, headers: { location: "http://169.254.169.254/" } });
    };
    const jira = new JiraClient({ host: "acme.atlassian.net", email: "a@b.c", apiToken: "t" }, redirecting);
    await expect(
      jira.createIssue({
        projectKey: "QA",
        issueType: "Bug",
        summary: "x",
        description: { type: "doc", version: 1, content: [] },
      }),
    ).rejects.toMatchObject({ status: 302 });
    const gh = new GitHubClient({ baseUrl: "https://api.github.com", token: "t", fetch: redirecting });
    await expect(
      gh.createCheckRun("acme", "shop", { name: "x", headSha: "a".repeat(40), status: "completed" } as never),
    ).rejects.toThrow(/302/);
    expect(seen).toEqual(["manual", "manual"]);
  });
});
