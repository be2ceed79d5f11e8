import { z } from "@hono/zod-openapi";
import { canonicalJson } from "../../../shared/audit/chain.ts";
import { sha256Hex } from "../../../shared/crypto/hash.ts";
import { healAttempts } from "../../../shared/db/schema/healing.ts";
import {
  CandidatesHealRequestSchema,
  DomHealRequestSchema,
  HEAL_LIMITS,
  type CandidatesHealRequest,
  type DomHealRequest,
  healCandidates,
  healDom,
} from "../../../shared/healing/index.ts";
import { exampleKey, putExample } from "../../../shared/healing/records/examples.ts";
import { activeModel } from "../../../shared/healing/records/models.ts";
import { newId } from "../../../shared/ids.ts";
import { ApiError, zodFieldErrors } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { consume } from "../../middleware/rate-limit.ts";
import { jsonBody, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { aiReranker } from "./engine-options.ts";

const candidatesResult = z
  .object({
    healed: z.boolean(),
    index: z.number().int().nullable(),
    confidence: z.number(),
    strategy: z.string(),
    selector: z.string().nullable(),
    alternatives: z.array(z.object({ index: z.number().int(), confidence: z.number() })),
    attemptId: z.string(),
  })
  .openapi("HealCandidatesResult");

const domResult = z
  .object({
    healed: z.boolean(),
    confidence: z.number(),
    strategy: z.string(),
    selector: z.string().nullable(),
    xpath: z.string().nullable(),
    playwright: z.string().nullable(),
    alternatives: z.array(z.object({ selector: z.string(), confidence: z.number() })),
    attemptId: z.string(),
  })
  .openapi("HealDomResult");

const requestSchema = z.union([
  CandidatesHealRequestSchema.openapi("HealCandidatesRequest"),
  DomHealRequestSchema.openapi("HealDomRequest"),
]);

/** Oversized input is a 413 (the issue's contract), not a generic validation 400. */
function isSizeIssue(issue: z.core.$ZodIssue): boolean {
  const field = issue.path[0];
  if ((field === "dom" || field === "previousDom") && issue.message.includes("bytes")) return true;
  return field === "candidates" && issue.path.length === 1 && issue.code === "too_big";
}

/**
 * A union's error says little; report the issues of the form the body was trying to be: the branch
 * that did not complain about the other form's distinguishing key ("dom" or "candidates").
 */
function formIssues(error: z.ZodError): z.core.$ZodIssue[] {
  const union = error.issues.find((issue) => issue.code === "invalid_union");
  if (union?.code !== "invalid_union") return error.issues;
  const branches = union.errors;
  const foreign = (issues: z.core.$ZodIssue[], key: string) =>
    issues.some((i) => i.code === "unrecognized_keys" && i.keys.includes(key));
  const dom = branches[1] ?? [];
  const candidates = branches[0] ?? [];
  if (foreign(candidates, "dom") && !foreign(dom, "candidates")) return dom;
  if (foreign(dom, "candidates") && !foreign(candidates, "dom")) return candidates;
  return candidates.length <= dom.length ? candidates : dom;
}

/** Heavier requests cost more tokens of the `heal` policy: 1 per 1000 candidates or per MiB of HTML. */
function extraCost(body: CandidatesHealRequest | DomHealRequest): number {
  if ("candidates" in body) return Math.floor(body.candidates.length / 1000);
  const bytes = body.dom.length + (body.previousDom?.length ?? 0);
  return Math.floor(bytes / (1024 * 1024));
}

export function registerHealRoute(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/heal",
      rate: { policy: "heal" },
      bodyLimitBytes: 12 * 1024 * 1024, // dom + previousDom of 5 MiB each, or 5 000 candidates
      errors: [413],
      tags: ["Healing"],
      summary: "Heal a broken locator (candidates form or DOM form)",
      description:
        "Candidates form: the client describes the old element and the live page's candidates; the answer points into `candidates`. DOM form: the server parses `dom` (and `previousDom`) and returns a CSS selector matching exactly the healed element, an indexed xpath and a Playwright locator. `healed:false` means no candidate is confident enough: abstaining beats a wrong heal.",
      permission: "heal:write",
      request: { body: jsonBody(requestSchema) },
      responses: {
        200: {
          description: "The heal",
          content: { "application/json": { schema: z.union([candidatesResult, domResult]) } },
        },
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      const { db, config } = c.get("services");
      if (body.projectId) await requireProject(db, orgId, body.projectId);
      const extra = extraCost(body);
      if (extra > 0) await consume(c, orgId, "heal", extra);
      const model = await activeModel(db, c.get("services").cache, orgId);
      const opts = { model, ai: aiReranker(config) };
      const started = performance.now();
      const attemptId = newId("hea");
      const isCandidates = "candidates" in body;
      const result = isCandidates
        ? await healCandidates(
            { selector: body.selector, target: body.target, candidates: body.candidates },
            opts,
          )
        : await healDom(
            { selector: body.selector, dom: body.dom, previousDom: body.previousDom, target: body.target },
            opts,
          );
      const latencyMs = performance.now() - started;
      const key = exampleKey(orgId, attemptId);
      const row = {
        id: attemptId,
        orgId,
        projectId: body.projectId ?? null,
        form: isCandidates ? ("candidates" as const) : ("dom" as const),
        selector: body.selector ?? null,
        inputHash: await sha256Hex(canonicalJson(body)),
        candidateCount: isCandidates ? body.candidates.length : 0,
        healed: result.healed,
        confidence: result.confidence,
        strategy: result.strategy,
        resultIndex: "index" in result ? result.index : null,
        resultSelector: result.selector,
        alternatives: result.alternatives,
        latencyMs,
        modelVersion: model.version,
        exampleKey: key,
        createdAt: Date.now(),
      };
      await db.insert(healAttempts).values(row);
      // The example is only needed if feedback arrives later: keep it off the response path.
      c.executionCtx.waitUntil(
        putExample(
          c.get("services").artifacts,
          key,
          isCandidates
            ? {
                form: "candidates",
                selector: body.selector,
                target: body.target,
                candidates: body.candidates,
              }
            : {
                form: "dom",
                selector: body.selector,
                dom: body.dom,
                previousDom: body.previousDom,
                target: body.target,
              },
        ).catch((error: unknown) =>
          console.error(
            JSON.stringify({
              level: "error",
              msg: "heal example not stored",
              attemptId,
              error: String(error),
            }),
          ),
        ),
      );
      return c.json({ ...result, attemptId }, 200);
    },
    (result) => {
      if (result.success) return;
      const issues = formIssues(result.error);
      if (issues.some(isSizeIssue)) {
        throw new ApiError(
          "payload_too_large",
          `A heal takes at most ${HEAL_LIMITS.maxCandidates} candidates and ${HEAL_LIMITS.maxDomBytes} bytes of HTML per document`,
        );
      }
      throw new ApiError("validation_failed", "The request body is invalid", {
        errors: zodFieldErrors({ issues } as z.ZodError),
      });
    },
  );
}
