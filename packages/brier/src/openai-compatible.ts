// SPDX-License-Identifier: MIT
import type { Random, SamplingModel } from "./api.js";
import { describe } from "./validate.js";

/** Options of {@link openAICompatibleModel}. */
export interface OpenAICompatibleOptions {
  /** API root including the version, e.g. `http://127.0.0.1:8080/v1`; requests go to `${baseURL}/completions`. */
  baseURL: string;
  /** The `model` field of each request (vLLM needs the served name; llama.cpp ignores it). */
  model?: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Per-attempt limit in milliseconds, from sending the request to reading the whole body. Default 60 000. */
  timeoutMs?: number;
  /** Extra attempts after a network error, a timeout, HTTP 429 or HTTP 5xx. Default 3. */
  retries?: number;
  /** First back-off in milliseconds, doubled at each retry (a `Retry-After` header is honoured up to 30 s). Default 500. */
  retryDelayMs?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /**
   * Merged into every completion request body (last wins), e.g. `{ top_k: 0 }` for a server that rejects -1, or
   * `{ ignore_eos: undefined }` to drop a field (undefined values are removed).
   */
  extraBody?: Record<string, unknown>;
  /** For servers that do not accept token ids as the prompt: turns the context into prompt text. */
  detokenize?: (ids: readonly number[]) => string;
  /**
   * For servers that return only text: turns each completion back into token ids. Re-tokenising generated text
   * is not always the sampled token sequence, so prefer servers that return ids.
   */
  tokenize?: (text: string) => readonly number[] | Promise<readonly number[]>;
  /** URL of the server's tokenizer endpoint for {@link OpenAICompatibleModel.tokenize}. Default: `baseURL` without `/v1`, plus `/tokenize`. */
  tokenizeURL?: string;
  /**
   * Most continuations asked for in one request (the `n` parameter); `sampleN` splits larger counts over several
   * requests, each with its own seed. Default: all in one request. Use 1 for servers that ignore `n`.
   */
  samplesPerRequest?: number;
  /** The fetch implementation (default: the global `fetch` of Node >= 18). */
  fetch?: typeof fetch;
}

/** A {@link SamplingModel} backed by an OpenAI-compatible completions server. */
export interface OpenAICompatibleModel extends SamplingModel {
  sample(context: readonly number[], length: number, random: Random): Promise<number[]>;
  sampleN(context: readonly number[], length: number, count: number, random: Random): Promise<number[][]>;
  /** Token ids of `text` from the server's `/tokenize` endpoint (llama.cpp and vLLM both serve one). */
  tokenize(text: string): Promise<number[]>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Token ids of one completion choice, from whichever field the server fills. */
function choiceTokens(choice: Record<string, unknown>): number[] | undefined {
  const ids = (choice.token_ids ?? choice.tokens) as unknown;
  if (Array.isArray(ids) && ids.every((v) => typeof v === "number")) return ids as number[];
  // vLLM with `return_tokens_as_token_ids`: logprobs.tokens are strings "token_id:<id>".
  const lp = choice.logprobs as { tokens?: unknown } | null | undefined;
  if (lp && Array.isArray(lp.tokens) && lp.tokens.length > 0 && lp.tokens.every((t) => typeof t === "string" && t.startsWith("token_id:"))) {
    return (lp.tokens as string[]).map((t) => Number(t.slice("token_id:".length)));
  }
  return undefined;
}

/**
 * A sampling model served by any OpenAI-compatible completions endpoint (llama.cpp server, vLLM, Ollama's
 * `/v1`, ...), for scoring with {@link brierLM} from samples alone (CALM paper, section 4.2: BrierLM needs
 * only two samples per position).
 *
 * Each `sampleN(context, length, count, random)` is one `POST ${baseURL}/completions` with the context as a
 * token-id prompt, `max_tokens: length`, `n: count` and the model's own distribution: `temperature: 1`,
 * `top_p: 1`, `top_k: -1`, `min_p: 0` (every truncation off; -1 disables top-k in vLLM and llama.cpp),
 * `ignore_eos: true` (so continuations have exactly `length` tokens), a `seed` drawn from `random` (servers
 * that honour it make runs reproducible), and `logprobs: 1` with `return_tokens_as_token_ids: true` and
 * `return_token_ids: true` so the sampled ids come back. Ids are read from `choices[i].token_ids`,
 * `choices[i].tokens` or vLLM's `"token_id:<id>"` logprob tokens, else through `options.tokenize`.
 * Network errors, timeouts, HTTP 429 and 5xx are retried with exponential back-off; other HTTP errors fail at once.
 *
 * @param options - {@link OpenAICompatibleOptions}; only `baseURL` is required.
 * @throws TypeError for a bad `baseURL` or option; the returned functions reject with an Error naming the URL,
 *   the HTTP status or timeout and the number of attempts.
 * @example
 * ```ts
 * const model = openAICompatibleModel({ baseURL: "http://127.0.0.1:8080/v1" });
 * const ids = await model.tokenize(text);
 * const r = await brierLM(model, ids, { positions: { stride: 16 }, concurrency: 8 });
 * ```
 */
export function openAICompatibleModel(options: OpenAICompatibleOptions): OpenAICompatibleModel {
  const fn = "openAICompatibleModel";
  if (options === null || typeof options !== "object" || typeof options.baseURL !== "string") {
    throw new TypeError(`${fn}: options.baseURL is ${describe(options?.baseURL)}, must be a URL string such as "http://127.0.0.1:8080/v1"`);
  }
  let base: URL;
  try {
    base = new URL(options.baseURL);
  } catch {
    throw new TypeError(`${fn}: options.baseURL is ${describe(options.baseURL)}, not a valid URL`);
  }
  const root = base.href.replace(/\/+$/, "");
  const completionsURL = `${root}/completions`;
  const tokenizeURL = options.tokenizeURL ?? `${root.replace(/\/v\d+$/, "")}/tokenize`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 500;
  for (const [name, v] of [["timeoutMs", timeoutMs], ["retries", retries], ["retryDelayMs", retryDelayMs]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) throw new TypeError(`${fn}: options.${name} is ${describe(v)}, must be a number >= 0`);
  }
  const perRequest = options.samplesPerRequest ?? Infinity;
  if (!(perRequest >= 1) || (perRequest !== Infinity && !Number.isInteger(perRequest))) {
    throw new TypeError(`${fn}: options.samplesPerRequest is ${describe(options.samplesPerRequest)}, must be an integer >= 1`);
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  if (typeof doFetch !== "function") throw new TypeError(`${fn}: no fetch available (Node >= 18 has one); pass options.fetch`);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json", ...options.headers };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;

  const post = async (url: string, body: unknown): Promise<unknown> => {
    let lastError = "";
    let retryAfterMs = 0;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(Math.max(retryDelayMs * 2 ** (attempt - 1), retryAfterMs), 30_000));
      retryAfterMs = 0;
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      let status = 0;
      let text = "";
      try {
        const res = await doFetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal });
        status = res.status;
        retryAfterMs = Number(res.headers.get("retry-after")) * 1000 || 0;
        text = await res.text();
      } catch (e) {
        lastError = controller.signal.aborted ? `timed out after ${timeoutMs} ms` : `network error: ${e instanceof Error ? e.message : String(e)}`;
        continue;
      } finally {
        clearTimeout(timer);
      }
      const snippet = text.length > 300 ? `${text.slice(0, 300)}…` : text;
      if (status >= 200 && status < 300) {
        try {
          return JSON.parse(text);
        } catch {
          throw new Error(`${fn}: POST ${url} returned HTTP ${status} with a body that is not JSON: ${snippet}`);
        }
      }
      lastError = `HTTP ${status}: ${snippet}`;
      if (status !== 429 && status < 500) throw new Error(`${fn}: POST ${url} returned ${lastError}`);
    }
    throw new Error(`${fn}: POST ${url} failed after ${retries + 1} attempt${retries === 0 ? "" : "s"}: ${lastError}`);
  };

  const request = async (context: readonly number[], length: number, count: number, random: Random): Promise<number[][]> => {
    const body: Record<string, unknown> = {
      model: options.model,
      prompt: options.detokenize ? options.detokenize(context) : Array.from(context),
      max_tokens: length,
      n: count,
      temperature: 1,
      top_p: 1,
      top_k: -1,
      min_p: 0,
      ignore_eos: true,
      seed: Math.floor(random() * 2147483648),
      logprobs: 1,
      return_tokens_as_token_ids: true,
      return_token_ids: true,
      stream: false,
      ...options.extraBody,
    };
    for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
    const res = (await post(completionsURL, body)) as { choices?: unknown };
    const choices = res?.choices;
    if (!Array.isArray(choices) || choices.length !== count) {
      throw new Error(`${fn}: POST ${completionsURL} answered with ${Array.isArray(choices) ? `${choices.length} choices` : "no choices array"}, expected ${count}`);
    }
    const ordered = [...choices].sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0)) as Record<string, unknown>[];
    return Promise.all(
      ordered.map(async (c, i) => {
        const ids = choiceTokens(c ?? {});
        if (ids !== undefined) return ids;
        if (options.tokenize && typeof c?.text === "string") return Array.from(await options.tokenize(c.text));
        throw new Error(
          `${fn}: choice ${i} from POST ${completionsURL} has no token ids (looked for token_ids, tokens and "token_id:<id>" logprob tokens); pass options.tokenize to re-tokenise its text`,
        );
      }),
    );
  };

  const sampleN = async (context: readonly number[], length: number, count: number, random: Random): Promise<number[][]> => {
    if (count <= perRequest) return request(context, length, count, random);
    const out: number[][] = [];
    for (let left = count; left > 0; left -= perRequest) out.push(...(await request(context, length, Math.min(left, perRequest), random)));
    return out;
  };

  return {
    sampleN,
    sample: async (context, length, random) => (await sampleN(context, length, 1, random))[0],
    tokenize: async (text) => {
      const res = (await post(tokenizeURL, { model: options.model, content: text, prompt: text })) as { tokens?: unknown };
      const tokens = res?.tokens;
      if (!Array.isArray(tokens) || !tokens.every((t) => typeof t === "number" || (typeof t === "object" && t !== null && "id" in t))) {
        throw new Error(`${fn}: POST ${tokenizeURL} answered without a tokens array`);
      }
      return tokens.map((t) => (typeof t === "number" ? t : Number((t as { id: unknown }).id)));
    },
  };
}
