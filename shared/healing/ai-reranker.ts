/**
 * A small typed client for an OpenAI-compatible chat-completions endpoint that scores healing
 * candidates. Plug it into createAiReranker({ rerank: openAiCompatibleRerank({...}) }).
 * The engine is complete without it.
 */
import type { RerankFunction, RerankRequest } from "./strategies/ai.ts";
import type { ElementDescriptor } from "./types.ts";

export type OpenAiCompatibleConfig = {
  baseUrl: string;
  apiKey: string;
  model: string;
  fetch?: typeof fetch;
};

type ChatCompletion = { choices?: { message?: { content?: string } }[] };

function summarise(descriptor: ElementDescriptor): Record<string, unknown> {
  // Only what identifies an element; keeps prompts small and avoids sending whole pages.
  return {
    tag: descriptor.tag,
    attributes: descriptor.attributes,
    text: descriptor.text?.slice(0, 200),
    role: descriptor.role,
    accessibleName: descriptor.accessibleName,
    xpath: descriptor.xpath,
    neighborText: descriptor.neighborText,
  };
}

export function buildRerankMessages(request: RerankRequest) {
  return [
    {
      role: "system",
      content:
        "You match a UI element from an old page version to candidates on the new version. " +
        'Reply with JSON only: {"scores": {"<index>": <probability 0..1 that this candidate is the same element>}}.',
    },
    {
      role: "user",
      content: JSON.stringify({
        target: summarise(request.target),
        candidates: request.candidates.map((candidate) => ({
          index: candidate.index,
          ...summarise(candidate.descriptor),
        })),
      }),
    },
  ];
}

export function parseRerankReply(content: string): Record<number, number> {
  const json = content.slice(content.indexOf("{"), content.lastIndexOf("}") + 1);
  const parsed = JSON.parse(json) as { scores?: Record<string, unknown> };
  const scores: Record<number, number> = {};
  for (const [key, value] of Object.entries(parsed.scores ?? {})) {
    const index = Number(key);
    if (Number.isInteger(index) && typeof value === "number" && Number.isFinite(value)) scores[index] = value;
  }
  return scores;
}

export function openAiCompatibleRerank(config: OpenAiCompatibleConfig): RerankFunction {
  const doFetch = config.fetch ?? fetch;
  const url = `${config.baseUrl.replace(/\/+$/, "")}/chat/completions`;
  return async (request, signal) => {
    const response = await doFetch(url, {
      method: "POST",
      signal,
      headers: { "content-type": "application/json", authorization: `Bearer ${config.apiKey}` },
      body: JSON.stringify({
        model: config.model,
        temperature: 0,
        response_format: { type: "json_object" },
        messages: buildRerankMessages(request),
      }),
    });
    if (!response.ok) throw new Error(`reranker answered ${response.status}`);
    const body = (await response.json()) as ChatCompletion;
    const content = body.choices?.[0]?.message?.content;
    if (!content) throw new Error("reranker returned no content");
    return parseRerankReply(content);
  };
}
