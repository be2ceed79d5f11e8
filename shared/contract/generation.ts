// Test generation: what the CLI's explorer observed in the app (the exploration), and the generation
// job that turns it into Playwright specs. The planner in shared/generation/ reads only these shapes.
import { z } from "@hono/zod-openapi";
import { timestamps } from "./common.ts";

const text = z.string().max(500);

/** How a spec finds an element: Playwright's user-facing locators only (checked unique while exploring). */
export const targetSchema = z
  .strictObject({
    by: z.enum(["role", "label", "placeholder", "text", "testid"]),
    role: z.string().max(40).optional(),
    name: text,
    exact: z.boolean().optional(),
    /** Narrows to the element inside a repeated container, e.g. the list item that contains "Milk". */
    within: z.strictObject({ role: z.string().max(40), hasText: text }).optional(),
  })
  .openapi("GenerationTarget");
export type Target = z.infer<typeof targetSchema>;

export const actionSchema = z
  .strictObject({
    type: z.enum(["fill", "press", "click", "dblclick", "check", "uncheck", "select", "goto", "reload"]),
    target: targetSchema.optional(),
    /** fill: the text; press: the key; select: the option label; goto: a relative URL. */
    value: text.optional(),
    /**
     * press without a target: the element that had the keyboard focus when the key was pressed while
     * exploring (the spec waits for it to be focused before pressing, as a page may focus it later).
     */
    focused: targetSchema.optional(),
  })
  .openapi("GenerationAction");
export type Action = z.infer<typeof actionSchema>;

/** ARIA states of controls that an `attribute` effect may assert (`toHaveAttribute`). */
export const CONTROL_STATES = ["aria-pressed", "aria-selected", "aria-expanded", "aria-current"] as const;

/** One observed consequence of an action, phrased as a web-first assertion. */
export const effectSchema = z
  .strictObject({
    kind: z.enum(["url", "text-visible", "text-gone", "count", "checked", "value", "enabled", "attribute"]),
    target: targetSchema.optional(),
    /** url: the relative URL; text-*: the text; value: the field's value; attribute: its value (absent: removed). */
    value: text.optional(),
    count: z.number().int().min(0).max(10_000).optional(),
    checked: z.boolean().optional(),
    /** enabled: whether the control can be used (false: disabled). */
    enabled: z.boolean().optional(),
    /** attribute: the ARIA state that changed or that the page starts in. */
    attribute: z.enum(CONTROL_STATES).optional(),
  })
  .openapi("GenerationEffect");
export type Effect = z.infer<typeof effectSchema>;

export const interactionSchema = z
  .strictObject({
    /** The relative URL the interaction starts from, in a fresh browser context. */
    path: z.string().max(500),
    /** Steps that bring the page into the state the action is tried in (their effects are other tests'). */
    setup: z.array(actionSchema).max(20),
    action: actionSchema,
    effects: z.array(effectSchema).max(40),
    /** What still holds after a reload (the state was persisted), if the action changed storage. */
    persisted: z.array(effectSchema).max(40).optional(),
  })
  .openapi("GenerationInteraction");
export type Interaction = z.infer<typeof interactionSchema>;

export const explorationSchema = z
  .strictObject({
    appUrl: z.string().url().max(2000),
    pages: z
      .array(
        z.strictObject({
          path: z.string().max(500),
          title: text,
          heading: text.optional(),
          /** What the page shows when a user lands on it in a fresh context (the arrival test). */
          arrival: z.array(effectSchema).max(40).optional(),
        }),
      )
      .max(200),
    interactions: z.array(interactionSchema).max(2000),
  })
  .openapi("Exploration");
export type Exploration = z.infer<typeof explorationSchema>;

export const generationOptionsSchema = z.strictObject({
  maxTests: z.number().int().min(1).max(500).default(40),
});

export const createGenerationSchema = z
  .strictObject({ exploration: explorationSchema, maxTests: z.number().int().min(1).max(500).optional() })
  .openapi("CreateGeneration");
export type CreateGeneration = z.infer<typeof createGenerationSchema>;

export const generatedFileSchema = z
  .strictObject({ path: z.string(), content: z.string(), tests: z.number().int() })
  .openapi("GeneratedFile");
export type GeneratedFile = z.infer<typeof generatedFileSchema>;

export const GENERATION_SOURCES = ["exploration", "session"] as const;
export type GenerationSource = (typeof GENERATION_SOURCES)[number];

const generationFields = {
  id: z.string(),
  projectId: z.string(),
  /** `exploration`: an exploration of the app (`shifty generate`); `session`: a manual session. */
  source: z.enum(GENERATION_SOURCES),
  sessionId: z.string().nullable(),
  status: z.enum(["queued", "planning", "succeeded", "failed"]),
  progress: z.number().min(0).max(1),
  appUrl: z.string(),
  figures: z.object({
    pages: z.number().int(),
    interactions: z.number().int(),
    tests: z.number().int(),
    assertions: z.number().int(),
  }),
  error: z.string().nullable(),
  ...timestamps,
};

export const generationSchema = z
  .object({ ...generationFields, files: z.array(generatedFileSchema) })
  .openapi("Generation");
export type Generation = z.infer<typeof generationSchema>;

/** A generation in a list: its files named without their contents (read one job for those). */
export const generationSummarySchema = z
  .object({
    ...generationFields,
    files: z.array(z.strictObject({ path: z.string(), tests: z.number().int() })),
  })
  .openapi("GenerationSummary");
export type GenerationSummary = z.infer<typeof generationSummarySchema>;

/** `POST /v1/sessions/{sessionId}/generate`: optional body (a session yields one test, so maxTests never trims). */
export const sessionGenerationRequestSchema = z
  .strictObject({ maxTests: z.number().int().min(1).max(500).optional() })
  .openapi("SessionGenerationRequest");
export type SessionGenerationRequest = z.infer<typeof sessionGenerationRequestSchema>;
