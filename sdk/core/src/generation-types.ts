/**
 * Test generation shapes, written to match the API's OpenAPI document (components Exploration and
 * Generation; the server's zod contract is shared/contract/generation.ts).
 */
export type GenerationTarget = {
  by: "role" | "label" | "placeholder" | "text" | "testid";
  role?: string;
  name: string;
  exact?: boolean;
  within?: { role: string; hasText: string };
};

export type GenerationAction = {
  type: "fill" | "press" | "click" | "dblclick" | "check" | "uncheck" | "select" | "goto" | "reload";
  target?: GenerationTarget;
  value?: string;
  /** press without a target: the element that had the keyboard focus when the key was pressed. */
  focused?: GenerationTarget;
};

export type GenerationEffect = {
  kind: "url" | "text-visible" | "text-gone" | "count" | "checked" | "value" | "enabled" | "attribute";
  target?: GenerationTarget;
  /** attribute: the state's value; absent when the attribute was removed. */
  value?: string;
  count?: number;
  checked?: boolean;
  enabled?: boolean;
  attribute?: "aria-pressed" | "aria-selected" | "aria-expanded" | "aria-current";
};

export type GenerationInteraction = {
  path: string;
  setup: GenerationAction[];
  action: GenerationAction;
  effects: GenerationEffect[];
  persisted?: GenerationEffect[];
};

export type Exploration = {
  appUrl: string;
  /** `arrival`: what each page shows when a user lands on it in a fresh context. */
  pages: { path: string; title: string; heading?: string; arrival?: GenerationEffect[] }[];
  interactions: GenerationInteraction[];
};

export type GeneratedFile = { path: string; content: string; tests: number };

export type Generation = {
  id: string;
  projectId: string;
  status: "queued" | "planning" | "succeeded" | "failed";
  progress: number;
  appUrl: string;
  figures: { pages: number; interactions: number; tests: number; assertions: number };
  files: GeneratedFile[];
  error: string | null;
  createdAt: number;
  updatedAt: number;
};
