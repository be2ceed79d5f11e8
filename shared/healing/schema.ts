/**
 * Request bodies for POST /v1/heal and its feedback (docs/heal-api.md), with the limits the HTTP layer enforces,
 * and the engine's answers (the API adds the attempt id).
 */
import { z } from "zod";
import { HEAL_LIMITS } from "./limits.ts";

export { HEAL_LIMITS } from "./limits.ts";

const finite = z.number().finite();
const size = z.number().finite().nonnegative();
const shortText = z.string().max(HEAL_LIMITS.maxTextLength);

/**
 * A field the client does not know: missing or null (clients in other languages serialise "unknown" as
 * null). Either way the engine sees it absent (docs/heal-api.md, "Descriptors").
 */
const absent = <T extends z.ZodType>(schema: T) =>
  schema
    .nullable()
    .transform((value): z.output<T> | undefined => value ?? undefined)
    .optional();

/**
 * Attribute values as DOM and WebDriver clients report them: strings, or numbers and booleans from
 * clients that type them. `false` and null mean the attribute is not there.
 */
const attributeValue = z.union([
  z.string().max(HEAL_LIMITS.maxAttributeValueLength),
  finite,
  z.boolean(),
  z.null(),
]);

function attributeStrings(
  attributes: Record<string, string | number | boolean | null>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== false) kept[name] = String(value);
  }
  return kept;
}

/**
 * A rectangle as `{x, y, width, height}`, or as a serialised DOMRect (`top`/`left`/`right`/`bottom` beside
 * or instead of `x`/`y`). Only the four the engine reads are kept.
 */
const rect = z
  .strictObject({
    x: finite.optional(),
    y: finite.optional(),
    width: size,
    height: size,
    left: finite.optional(),
    top: finite.optional(),
    right: finite.optional(),
    bottom: finite.optional(),
  })
  .refine((r) => (r.x ?? r.left) !== undefined && (r.y ?? r.top) !== undefined, {
    message: "a rectangle needs x (or left) and y (or top)",
  })
  .transform((r) => ({
    x: (r.x ?? r.left) as number,
    y: (r.y ?? r.top) as number,
    width: r.width,
    height: r.height,
  }));

export const ElementDescriptorSchema = z.strictObject({
  tag: z.string().trim().min(1).max(HEAL_LIMITS.maxTagLength),
  attributes: absent(
    z
      .record(z.string().min(1).max(HEAL_LIMITS.maxAttributeNameLength), attributeValue)
      .refine((attributes) => Object.keys(attributes).length <= HEAL_LIMITS.maxAttributes, {
        message: `at most ${HEAL_LIMITS.maxAttributes} attributes`,
      })
      .transform(attributeStrings),
  ),
  text: absent(shortText),
  xpath: absent(z.string().max(HEAL_LIMITS.maxXpathLength)),
  idXpath: absent(z.string().max(HEAL_LIMITS.maxXpathLength)),
  rect: absent(rect),
  neighborText: absent(
    z.strictObject({
      above: absent(shortText),
      below: absent(shortText),
      left: absent(shortText),
      right: absent(shortText),
    }),
  ),
  role: absent(z.string().max(100)),
  accessibleName: absent(shortText),
});

const projectId = z.string().min(1).max(100).optional();
const selector = z.string().min(1).max(HEAL_LIMITS.maxSelectorLength);

export const CandidatesHealRequestSchema = z.strictObject({
  selector: selector.optional(),
  target: ElementDescriptorSchema,
  candidates: z.array(ElementDescriptorSchema).max(HEAL_LIMITS.maxCandidates),
  projectId,
});

/** Byte length, not string length: the limit is about memory and parse time. */
const html = z
  .string()
  .refine((value) => new TextEncoder().encode(value).byteLength <= HEAL_LIMITS.maxDomBytes, {
    message: `at most ${HEAL_LIMITS.maxDomBytes} bytes`,
  });

export const DomHealRequestSchema = z.strictObject({
  selector,
  dom: html,
  previousDom: html.optional(),
  target: ElementDescriptorSchema.optional(),
  projectId,
});

export const HealRequestSchema = z.union([CandidatesHealRequestSchema, DomHealRequestSchema]);

export const FeedbackRequestSchema = z.strictObject({
  accepted: z.boolean(),
  correctIndex: z.number().int().nonnegative().optional(),
  correctSelector: selector.optional(),
});

/** The engine's answer in the candidates form. */
export const CandidatesHealResultSchema = z.object({
  healed: z.boolean(),
  index: z.number().int().nullable(),
  confidence: z.number(),
  strategy: z.string(),
  selector: z.string().nullable(),
  alternatives: z.array(z.object({ index: z.number().int(), confidence: z.number() })),
  suggestion: z
    .object({ index: z.number().int(), confidence: z.number(), selector: z.string().nullable() })
    .nullable()
    .meta({
      description:
        "When not healed: the engine's best guess, for a human to review (nothing was healed; `index` stays null). Null when healed or when nothing was ranked.",
    }),
});

/** The engine's answer in the DOM form: locators of the element it chose. */
export const DomHealResultSchema = z.object({
  healed: z.boolean(),
  confidence: z.number(),
  strategy: z.string(),
  selector: z.string().nullable(),
  xpath: z.string().nullable(),
  playwright: z.string().nullable(),
  alternatives: z.array(z.object({ selector: z.string(), confidence: z.number() })),
  suggestion: z
    .object({ selector: z.string(), xpath: z.string(), playwright: z.string(), confidence: z.number() })
    .nullable()
    .meta({
      description:
        "When not healed: locators of the engine's best guess, for a human to review. Null when healed or when nothing was ranked.",
    }),
});

export type CandidatesHealRequest = z.infer<typeof CandidatesHealRequestSchema>;
export type DomHealRequest = z.infer<typeof DomHealRequestSchema>;
