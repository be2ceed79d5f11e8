import type { z } from "@hono/zod-openapi";
import { HEAL_LIMITS } from "../../../shared/healing/schema.ts";
import { ApiError, zodFieldErrors } from "../../errors.ts";

/** Oversized input is a 413 (docs/heal-api.md, "Limits"), not a generic validation 400. */
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

/** The heal body's validation hook: 413 for size, else a 400 naming the fields of the intended form. */
export function healBodyHook(result: { success: true } | { success: false; error: z.ZodError }): undefined {
  if (result.success) return undefined;
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
}
