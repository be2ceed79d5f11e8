import type { z } from "zod";
import { ApiError, validationError } from "./errors.ts";

/**
 * A JSON body that may be left out: empty means `{}`; anything else must be JSON (else 400
 * `malformed_json`) matching the schema (else 400 with the field errors). For routes declared with
 * `bodyTypes: "any"` whose body is optional (docs/http-conventions.md, "Requests").
 */
export async function optionalJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  const raw = (await request.text()).trim();
  let json: unknown = {};
  if (raw) {
    try {
      json = JSON.parse(raw);
    } catch {
      throw new ApiError("malformed_json", "The request body is not valid JSON");
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, "body");
  return parsed.data;
}
