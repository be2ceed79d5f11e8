import { fetchNoRedirect } from "../net/outbound-url.ts";
import type { HttpProviderConfig, ProviderKind } from "./config.ts";

/**
 * Small typed clients for the chat APIs Shifty speaks: OpenAI chat completions
 * (`POST {baseUrl}/chat/completions`, Bearer key) and Anthropic messages (`POST {baseUrl}/v1/messages`,
 * `x-api-key` and `anthropic-version`), and Workers AI through its binding (./workers-ai.ts). The base URL is configuration, so tests point both at a fake
 * provider that checks the requests and counts tokens; `fetch` is injected for the same reason.
 */
export type ChatRequest = { model: string; system: string; user: string; maxTokens: number };
export type ChatResult = { text: string; tokensIn: number; tokensOut: number; model: string };

export class ProviderError extends Error {
  /** 0 when the provider could not be reached. */
  readonly status: number;
  /** Worth another try: unreachable, timed out, 408, 409, 429 or 5xx. */
  readonly retryable: boolean;
  constructor(provider: ProviderKind, status: number, message: string) {
    super(`${provider} ${status === 0 ? "unreachable" : `answered ${status}`}: ${message}`.slice(0, 500));
    this.name = "ProviderError";
    this.status = status;
    this.retryable = status === 0 || status === 408 || status === 409 || status === 429 || status >= 500;
  }
}

export type ChatClient = { kind: ProviderKind; chat(request: ChatRequest): Promise<ChatResult> };

const TIMEOUT_MS = 30_000;

async function postJson(
  kind: ProviderKind,
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetchFn(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new ProviderError(kind, 0, String(error));
  }
  const text = await res.text();
  let payload: unknown = null;
  try {
    payload = JSON.parse(text);
  } catch {
    // not JSON: reported below with the raw text
  }
  const obj = (payload && typeof payload === "object" ? payload : {}) as Record<string, unknown>;
  if (!res.ok) {
    const error = obj.error as { message?: unknown } | undefined;
    throw new ProviderError(kind, res.status, String(error?.message ?? text.slice(0, 200)));
  }
  if (payload === null) throw new ProviderError(kind, 502, "the answer is not JSON");
  return obj;
}

const count = (v: unknown) => (typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.round(v) : 0);
const trimBase = (url: string) => url.replace(/\/+$/, "");

/**
 * What differs between the two HTTP chat APIs: the path, the authentication, the request body, where
 * the answer's text is (or a ProviderError when it has none) and the names of its token counts.
 */
type HttpDialect = {
  kind: "openai" | "anthropic";
  path: string;
  headers(config: HttpProviderConfig): Record<string, string>;
  body(request: ChatRequest): unknown;
  text(payload: Record<string, unknown>): string;
  usage: { in: string; out: string };
};

function httpChatClient(dialect: HttpDialect, config: HttpProviderConfig, fetchFn: typeof fetch): ChatClient {
  const send = fetchNoRedirect(fetchFn);
  return {
    kind: dialect.kind,
    async chat(request) {
      const url = `${trimBase(config.baseUrl)}${dialect.path}`;
      const payload = await postJson(dialect.kind, send, url, dialect.headers(config), dialect.body(request));
      const text = dialect.text(payload);
      const usage = (payload.usage ?? {}) as Record<string, unknown>;
      return {
        text,
        tokensIn: count(usage[dialect.usage.in]),
        tokensOut: count(usage[dialect.usage.out]),
        model: typeof payload.model === "string" ? payload.model : request.model,
      };
    },
  };
}

const OPENAI: HttpDialect = {
  kind: "openai",
  path: "/chat/completions",
  headers: (config) => ({ authorization: `Bearer ${config.apiKey}` }),
  body: (request) => ({
    model: request.model,
    max_tokens: request.maxTokens,
    messages: [
      { role: "system", content: request.system },
      { role: "user", content: request.user },
    ],
  }),
  text(payload) {
    const choices = Array.isArray(payload.choices) ? payload.choices : [];
    const message = (choices[0] as { message?: { content?: unknown } } | undefined)?.message;
    if (typeof message?.content !== "string") throw new ProviderError("openai", 502, "no message content");
    return message.content;
  },
  usage: { in: "prompt_tokens", out: "completion_tokens" },
};

const ANTHROPIC: HttpDialect = {
  kind: "anthropic",
  path: "/v1/messages",
  headers: (config) => ({ "x-api-key": config.apiKey, "anthropic-version": "2023-06-01" }),
  body: (request) => ({
    model: request.model,
    max_tokens: request.maxTokens,
    system: request.system,
    messages: [{ role: "user", content: request.user }],
  }),
  text(payload) {
    const blocks = Array.isArray(payload.content)
      ? (payload.content as { type?: unknown; text?: unknown }[])
      : [];
    const text = blocks
      .filter((b) => b.type === "text" && typeof b.text === "string")
      .map((b) => b.text)
      .join("");
    if (!text) throw new ProviderError("anthropic", 502, "no text content");
    return text;
  },
  usage: { in: "input_tokens", out: "output_tokens" },
};

export function openAiClient(config: HttpProviderConfig, fetchFn: typeof fetch): ChatClient {
  return httpChatClient(OPENAI, config, fetchFn);
}

export function anthropicClient(config: HttpProviderConfig, fetchFn: typeof fetch): ChatClient {
  return httpChatClient(ANTHROPIC, config, fetchFn);
}

export function chatClient(config: HttpProviderConfig, fetchFn: typeof fetch): ChatClient {
  return config.kind === "openai" ? openAiClient(config, fetchFn) : anthropicClient(config, fetchFn);
}
