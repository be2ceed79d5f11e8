import { OpenAPIHono, z } from "@hono/zod-openapi";
import { validationError } from "./errors.ts";
import type { HonoEnv } from "./hono-env.ts";

const WHERE: Record<string, string> = {
  json: "body",
  query: "query string",
  param: "path",
  header: "headers",
  form: "form",
  cookie: "cookies",
};

/** A router whose zod failures all become the same problem+json 400 (through app.onError). */
export function createRouter() {
  return new OpenAPIHono<HonoEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, WHERE[result.target] ?? result.target);
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const PROBLEM_DESCRIPTIONS = {
  400: "Malformed request or validation failure (`errors[]` names each field)",
  401: "Missing, invalid, expired or revoked credentials",
  402: "The organisation's monthly AI budget (tokens or cost) would be exceeded by this call (docs/ai.md)",
  403: "Authenticated, but the credential lacks a permission this operation needs",
  404: "Not found, or it belongs to another organisation",
  409: "Conflicts with the current state (a duplicate, or a state that does not allow it)",
  410: "Gone: it existed but has ended, expired or been used",
  413: "The request body (or a part of it) is larger than this operation accepts",
  415: "The body's media type is not one this operation accepts",
  422: "Well-formed, but semantically invalid for this operation",
  429: "Rate limited for the organisation's plan; retry after `Retry-After` seconds",
  503: "A dependency is unavailable or the service is not configured; retry later",
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

/** OpenAPI response entries for the given error statuses, each with its own description. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]) {
  const out = {} as Record<S, ReturnType<typeof problem>>;
  for (const status of statuses) out[status] = problem(PROBLEM_DESCRIPTIONS[status]);
  return out;
}

/** The error responses every authenticated route may give. */
export const errorResponses = problemResponses(400, 401, 403, 404, 429);

export function jsonBody<T extends z.ZodType>(schema: T, description = "JSON body") {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** A path parameter holding one of our prefixed ids; a malformed id is a 400, an unknown one a 404. */
export function idParam<N extends string>(name: N, prefix: string) {
  const schema = z
    .string()
    .regex(new RegExp(`^${prefix}_[0-9a-z]{26}$`), { error: `${name} must be a ${prefix}_… id` })
    .openapi({ param: { name, in: "path" }, example: `${prefix}_01jd0000000000000000000000` });
  return z.object({ [name]: schema } as { [K in N]: typeof schema });
}

export const security = [{ bearer: [] }];
