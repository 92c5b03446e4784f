// SPDX-License-Identifier: MIT
import { afterEach, describe, expect, it } from "vitest";
import { BrierLMError, brierLM, createRandom, fitKneserNey, openAICompatibleModel } from "../src/index.js";
import { localSampleN, startNgramServer } from "./ngram-server.js";
import type { NgramServer } from "./ngram-server.js";

const random = createRandom(3);
const train = Array.from({ length: 3000 }, (_, i) => (i * 7 + Math.floor(random() * 3)) % 6);
const lm = fitKneserNey(train, { order: 3, vocabSize: 6 });
const tokens = train.slice(0, 81);

let server: NgramServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("openAICompatibleModel against a loopback server", () => {
  it("scores exactly like the same sampler in process (ids via token_ids), one request per position with n = 2", async () => {
    server = await startNgramServer(lm);
    const model = openAICompatibleModel({ baseURL: server.baseURL, model: "kn-3" });
    const viaHttp = await brierLM(model, tokens, { seed: 4, concurrency: 4 });
    const local = await brierLM({ sample: lm.sample, sampleN: localSampleN(lm) }, tokens, { seed: 4 });
    expect(viaHttp).toEqual(local);
    expect(server.requests).toHaveLength(tokens.length - 4);
    const req = server.requests[0];
    expect(req).toMatchObject({ model: "kn-3", n: 2, max_tokens: 4, temperature: 1, top_p: 1, top_k: -1, min_p: 0, ignore_eos: true });
    expect(Array.isArray(req.prompt)).toBe(true);
  });

  it("reads vLLM's token_id:<id> logprob tokens, and re-tokenises text when told to", async () => {
    server = await startNgramServer(lm, { format: "vllm-logprobs" });
    const a = await openAICompatibleModel({ baseURL: server.baseURL }).sampleN([1, 2], 3, 2, createRandom(1));
    server.behaviour.format = "text-only";
    const b = await openAICompatibleModel({
      baseURL: server.baseURL,
      tokenize: (text) => Array.from(text, (c) => c.charCodeAt(0) - 97),
    }).sampleN([1, 2], 3, 2, createRandom(1));
    expect(b).toEqual(a);
    await expect(openAICompatibleModel({ baseURL: server.baseURL }).sample([1], 3, createRandom(1))).rejects.toThrow(
      /choice 0 from POST http:\/\/127\.0\.0\.1:\d+\/v1\/completions has no token ids/,
    );
  });

  it("splits n over several requests when samplesPerRequest is 1 (servers that ignore n)", async () => {
    server = await startNgramServer(lm);
    const model = openAICompatibleModel({ baseURL: server.baseURL, samplesPerRequest: 1 });
    const pair = await model.sampleN([0, 1], 3, 2, createRandom(5));
    expect(pair).toHaveLength(2);
    expect(server.requests.map((r) => r.n)).toEqual([1, 1]);
    expect(server.requests[0].seed).not.toBe(server.requests[1].seed);
    expect(() => openAICompatibleModel({ baseURL: server!.baseURL, samplesPerRequest: 0 })).toThrow("options.samplesPerRequest is 0, must be an integer >= 1");
  });

  it("tokenizes through the server's /tokenize endpoint", async () => {
    server = await startNgramServer(lm);
    expect(await openAICompatibleModel({ baseURL: server.baseURL }).tokenize("ab")).toEqual([97 % 6, 98 % 6]);
  });

  it("retries HTTP 5xx and then succeeds", async () => {
    server = await startNgramServer(lm, { failFirst: 2 });
    const model = openAICompatibleModel({ baseURL: server.baseURL, retries: 3, retryDelayMs: 1 });
    const s = await model.sample([0, 1], 4, createRandom(2));
    expect(s).toHaveLength(4);
    expect(server.requests).toHaveLength(3);
  });

  it("gives up after the retries with the status, URL and attempt count; brierLM names the position", async () => {
    server = await startNgramServer(lm, { alwaysStatus: 503 });
    const model = openAICompatibleModel({ baseURL: server.baseURL, retries: 2, retryDelayMs: 1 });
    const err = await brierLM(model, tokens, { positions: [5, 6] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BrierLMError);
    expect((err as BrierLMError).message).toMatch(
      /^brierLM: position 5 .*model\.sampleN threw: openAICompatibleModel: POST http:\/\/127\.0\.0\.1:\d+\/v1\/completions failed after 3 attempts: HTTP 503: .*status 503 on purpose/,
    );
    expect((err as BrierLMError).partial.pending).toEqual([5, 6]);
    expect(server.requests).toHaveLength(3);
  });

  it("does not retry a client error (HTTP 400)", async () => {
    server = await startNgramServer(lm, { alwaysStatus: 400 });
    const model = openAICompatibleModel({ baseURL: server.baseURL, retries: 5, retryDelayMs: 1 });
    await expect(model.sample([0], 2, createRandom(1))).rejects.toThrow(/returned HTTP 400: .*status 400 on purpose/);
    expect(server.requests).toHaveLength(1);
  });

  it("times out a slow server", async () => {
    server = await startNgramServer(lm, { delayMs: 400 });
    const model = openAICompatibleModel({ baseURL: server.baseURL, timeoutMs: 40, retries: 1, retryDelayMs: 1 });
    await expect(model.sample([0], 2, createRandom(1))).rejects.toThrow(/failed after 2 attempts: timed out after 40 ms/);
  });

  it("a server that returns too few tokens is reported by brierLM with the position", async () => {
    server = await startNgramServer(lm, { truncate: true });
    const model = openAICompatibleModel({ baseURL: server.baseURL });
    await expect(brierLM(model, tokens, { positions: [7] })).rejects.toThrow(
      "brierLM: position 7 (predicting tokens[7..11)): model.sampleN (sample 1) returned 3 tokens, expected 4",
    );
  });

  it("an unreachable server is a network error after retries", async () => {
    const model = openAICompatibleModel({ baseURL: "http://127.0.0.1:9/v1", retries: 1, retryDelayMs: 1, timeoutMs: 2000 });
    await expect(model.sample([0], 2, createRandom(1))).rejects.toThrow(/failed after 2 attempts: (network error|timed out)/);
  });

  it("rejects a bad baseURL", () => {
    expect(() => openAICompatibleModel({ baseURL: "not a url" })).toThrow('openAICompatibleModel: options.baseURL is "not a url", not a valid URL');
  });
});
