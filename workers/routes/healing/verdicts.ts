import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AuditContext } from "../../../shared/audit/repository.ts";
import type { ReviewDecision } from "../../../shared/healing/store/feedback.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type ProblemStatus } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import type { routeGroup } from "../../route.ts";
import type { Services } from "../../services.ts";

type VerdictContext<Note> = Context<
  HonoEnv,
  string,
  { out: { param: Record<string, string>; json: Note | undefined } }
>;

/**
 * POST `<path>/approve` and `<path>/reject`: a person's verdict on what healing proposed (a healed
 * locator, the suggestion of an abstaining heal; docs/heal-review.md). A verdict is feedback, so it
 * needs `heal:write`. The body, a note to go with the verdict, may be left out. `review` records the
 * verdict and returns the reviewed record, under the name `answer.field`, which is the 200 answer,
 * and the retraining the verdict set off, which runs after the response. Registered approve, reject.
 */
export function verdictRoutes<F extends string, B extends z.ZodType, S extends z.ZodType>(
  group: ReturnType<typeof routeGroup>,
  path: string,
  verdicts: {
    /** The reviewed record's id in `path`: the parameter's name and the id's prefix (shared/ids.ts). */
    id: { name: string; prefix: string };
    summary: Record<ReviewDecision, string>;
    description: string;
    errors?: ProblemStatus[];
    note: B;
    answer: { field: F; schema: S; description: string };
    review: (
      s: Services,
      orgId: string,
      audit: AuditContext,
      id: string,
      verdict: ReviewDecision,
      note: z.infer<B>,
    ) => Promise<Record<F, z.output<S>> & { retraining: Promise<void> }>;
  },
) {
  const { id, summary, description, errors, note, answer, review } = verdicts;
  const params = idParam(id.name, id.prefix);
  for (const verdict of ["approve", "reject"] as const) {
    // As in org-settings.ts: the route's types hang on B, which TypeScript does not resolve inside
    // this generic function, so the handler is typed here by hand and handed over as such.
    async function verdictHandler(c: VerdictContext<z.infer<B>>) {
      const reviewed = await review(
        c.get("services"),
        orgIdOf(c),
        auditContext(c),
        c.req.valid("param")[id.name] as string,
        verdict,
        // A verdict sent without a body comes with an empty note.
        c.req.valid("json") ?? ({} as z.infer<B>),
      );
      c.executionCtx.waitUntil(reviewed.retraining);
      return c.json(reviewed[answer.field], 200);
    }
    group.handle(
      group.post(`${path}/${verdict}`, {
        errors,
        summary: summary[verdict],
        description,
        permission: "heal:write",
        request: { params, body: { ...jsonBody(note), required: false } },
        responses: { 200: jsonContent(answer.schema, answer.description) },
      }),
      verdictHandler as never,
    );
  }
}
