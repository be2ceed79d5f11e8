/**
 * Request bodies for POST /v1/heal and its feedback (docs/heal-api.md), with the limits the HTTP layer enforces,
 * and the engine's answers (the API adds the attempt id).
 */
import { z } from "zod";
import { normaliseDescriptor } from "./descriptor-input.ts";
import { HEAL_LIMITS } from "./limits.ts";

export { HEAL_LIMITS } from "./limits.ts";

const finite = z.number().finite();
const size = z.number().finite().nonnegative();
const shortText = z.string().max(HEAL_LIMITS.maxTextLength);

/** The descriptor as the engine reads it: the shape the OpenAPI document and the SDK types show. */
const DescriptorShape = z.strictObject({
  tag: z.string().trim().min(1).max(HEAL_LIMITS.maxTagLength),
  attributes: z
    .record(
      z.string().min(1).max(HEAL_LIMITS.maxAttributeNameLength),
      z.string().max(HEAL_LIMITS.maxAttributeValueLength),
    )
    .refine((attributes) => Object.keys(attributes).length <= HEAL_LIMITS.maxAttributes, {
      message: `at most ${HEAL_LIMITS.maxAttributes} attributes`,
    })
    .optional(),
  text: shortText.optional(),
  xpath: z.string().max(HEAL_LIMITS.maxXpathLength).optional(),
  idXpath: z.string().max(HEAL_LIMITS.maxXpathLength).optional(),
  rect: z.strictObject({ x: finite, y: finite, width: size, height: size }).optional(),
  neighborText: z
    .strictObject({
      above: shortText.optional(),
      below: shortText.optional(),
      left: shortText.optional(),
      right: shortText.optional(),
    })
    .optional(),
  role: z.string().max(100).optional(),
  accessibleName: shortText.optional(),
});

/**
 * An element descriptor (docs/heal-api.md, "Candidates form"). Clients write a few fields their own
 * way (null for unknown, a serialised DOMRect, typed attribute values, long text, unindexed xpaths);
 * `normaliseDescriptor` turns those into the one shape above before it is checked, so the engine and
 * the stored attempt see only that shape.
 */
export const ElementDescriptorSchema = z.preprocess(normaliseDescriptor, DescriptorShape);

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
