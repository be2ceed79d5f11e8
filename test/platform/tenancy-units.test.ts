import { describe, expect, it } from "vitest";
import { auditCsv, csvField } from "../../shared/audit/csv.ts";
import type { AuditEntry } from "../../shared/contract/tenancy.ts";
import { PLAN_QUOTAS } from "../../shared/tenancy/plans.ts";
import { usageReport } from "../../shared/tenancy/usage.ts";

describe("audit CSV", () => {
  it("quotes fields with commas, quotes and line breaks (RFC 4180)", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(42)).toBe("42");
    expect(csvField({ a: 1 })).toBe('"{""a"":1}"');
  });

  it("defuses values a spreadsheet would run as a formula", () => {
    for (const lead of ["=", "+", "-", "@", "\t"]) expect(csvField(`${lead}SUM(A1)`)).toBe(`'${lead}SUM(A1)`);
    expect(csvField("=1,2")).toBe(`"'=1,2"`);
  });

  it("writes a header row and CRLF line ends", () => {
    const entry: AuditEntry = {
      id: "aud_1",
      seq: 1,
      actorType: "user",
      actorId: "usr_1",
      action: "project.create",
      targetType: "project",
      targetId: "prj_1",
      ip: null,
      userAgent: null,
      requestId: "req_1",
      changes: { name: "A" },
      createdAt: 5,
      hash: "h",
    };
    const lines = auditCsv([entry]).split("\r\n");
    expect(lines[0]).toBe(
      "createdAt,seq,actorType,actorId,action,targetType,targetId,ip,userAgent,requestId,changes,hash",
    );
    expect(lines[1]).toBe('5,1,user,usr_1,project.create,project,prj_1,,,req_1,"{""name"":""A""}",h');
    expect(lines[2]).toBe("");
  });
});

describe("usage report", () => {
  it("an unused policy is full; what is left never exceeds the plan's burst", () => {
    const report = usageReport("free", { heal: { remaining: 10_000, resetSeconds: 3 } });
    const heal = report.policies.find((p) => p.policy === "heal");
    const ai = report.policies.find((p) => p.policy === "ai");
    expect(report.plan).toBe("free");
    expect(heal).toEqual({ policy: "heal", ...PLAN_QUOTAS.free.heal, remaining: 60, resetSeconds: 3 });
    expect(ai).toEqual({ policy: "ai", ...PLAN_QUOTAS.free.ai, remaining: 20, resetSeconds: 0 });
    expect(usageReport("pro", { heal: { remaining: 7, resetSeconds: 1 } }).policies[1]?.remaining).toBe(7);
  });
});
