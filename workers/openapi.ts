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

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: problemSchema } },
});

/** The error responses every authenticated route may give, for the OpenAPI document. */
export const errorResponses = {
  400: problem("Malformed request or validation failure"),
  401: problem("Missing or invalid credentials"),
  403: problem("Authenticated but not allowed"),
  404: problem("Not found, or belongs to another organisation"),
  429: problem("Rate limited; see Retry-After"),
} as const;

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
