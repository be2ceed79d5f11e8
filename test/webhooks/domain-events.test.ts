import { describe, expect, it } from "vitest";
import { domainEventsHandler, type InboundEvent } from "../../shared/webhooks/domain-events.ts";

const event = (type: string): InboundEvent => ({
  id: "evt_1",
  provider: "github",
  type,
  environment: null,
  body: "",
  receivedAt: 1_700_000_000_000,
});

describe("GitHub pipeline records", () => {
  it("a workflow run names its branch and last change itself", () => {
    const payload = {
      workflow_run: {
        id: 7,
        name: "CI",
        status: "completed",
        conclusion: "failure",
        head_sha: "abc",
        head_branch: "main",
        html_url: "https://github.com/octo/shop/actions/runs/7",
        updated_at: "2026-03-02T10:00:00Z",
      },
      repository: { full_name: "octo/shop" },
    };
    expect(domainEventsHandler(event("workflow_run"), payload)).toEqual([
      {
        table: "ci_pipeline",
        kind: "workflow_run",
        externalId: "7",
        name: "CI",
        status: "completed",
        conclusion: "failure",
        commitSha: "abc",
        branch: "main",
        htmlUrl: "https://github.com/octo/shop/actions/runs/7",
        repository: "octo/shop",
        sourceUpdatedAt: Date.parse("2026-03-02T10:00:00Z"),
      },
    ]);
  });

  it("a check run takes its branch from its suite and its time from completion, else its start", () => {
    const check = {
      id: 9,
      name: "lint",
      status: "in_progress",
      conclusion: null,
      head_sha: "def",
      check_suite: { head_branch: "feature" },
      html_url: "https://github.com/octo/shop/runs/9",
      started_at: "2026-03-02T11:00:00Z",
    };
    const [started] = domainEventsHandler(event("check_run"), { check_run: check });
    expect(started).toMatchObject({
      kind: "check_run",
      externalId: "9",
      branch: "feature",
      conclusion: null,
      repository: null,
      sourceUpdatedAt: Date.parse("2026-03-02T11:00:00Z"),
    });
    const done = { ...check, conclusion: "success", completed_at: "2026-03-02T11:05:00Z" };
    expect(domainEventsHandler(event("check_run"), { check_run: done })[0]).toMatchObject({
      conclusion: "success",
      sourceUpdatedAt: Date.parse("2026-03-02T11:05:00Z"),
    });
    expect(domainEventsHandler(event("check_run"), { check_run: { name: "no id" } })).toEqual([]);
  });
});
