// SPDX-License-Identifier: MIT
// A tiny OpenAI-compatible completions server on 127.0.0.1 (port 0) serving samples of a known n-gram model.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRandom } from "../src/index.js";
import type { KneserNeyModel } from "../src/index.js";

export interface ServerBehaviour {
  /** Answer this many requests with HTTP 500 before serving normally. */
  failFirst?: number;
  /** Serve this many more requests normally, then answer HTTP 500 to every later one. */
  failAfter?: number;
  /** Answer every request with this status and an error body. */
  alwaysStatus?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How sampled ids are returned. */
  format?: "token_ids" | "vllm-logprobs" | "text-only";
  /** Return one token fewer than asked (a server that stopped at EOS). */
  truncate?: boolean;
}

export interface NgramServer {
  baseURL: string;
  requests: Record<string, unknown>[];
  behaviour: ServerBehaviour;
  close(): Promise<void>;
}

/** Same sampling as the server, in process: the reference the HTTP path must reproduce exactly. */
export function localSampleN(lm: KneserNeyModel) {
  return (context: readonly number[], length: number, count: number, random: () => number): number[][] => {
    const r = createRandom(Math.floor(random() * 2147483648));
    return Array.from({ length: count }, () => lm.sample(context, length, r));
  };
}

export async function startNgramServer(lm: KneserNeyModel, behaviour: ServerBehaviour = {}): Promise<NgramServer> {
  const requests: Record<string, unknown>[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const answer = () => {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(raw);
        } catch {
          return reply(400, { error: { message: "body is not JSON" } });
        }
        requests.push(body);
        if (behaviour.alwaysStatus) return reply(behaviour.alwaysStatus, { error: { message: `status ${behaviour.alwaysStatus} on purpose` } });
        if (behaviour.failAfter !== undefined && behaviour.failAfter-- <= 0) return reply(500, { error: { message: "server went away" } });
        if ((behaviour.failFirst ?? 0) > 0) {
          behaviour.failFirst!--;
          return reply(500, { error: { message: "transient failure" } });
        }
        if (req.url === "/tokenize") {
          return reply(200, { tokens: Array.from(Buffer.from(String(body.content), "utf8")).map((b) => b % lm.vocabSize) });
        }
        if (req.url !== "/v1/completions") return reply(404, { error: { message: `no route ${req.url}` } });
        const prompt = body.prompt;
        if (!Array.isArray(prompt)) return reply(400, { error: { message: "prompt must be token ids" } });
        const n = Number(body.n ?? 1);
        const samples = localSampleN(lm)(prompt as number[], Number(body.max_tokens), n, () => Number(body.seed) / 2147483648);
        const choices = samples.map((s, index) => {
          const ids = behaviour.truncate ? s.slice(0, -1) : s;
          const text = ids.map((v) => String.fromCharCode(97 + v)).join("");
          if (behaviour.format === "vllm-logprobs") return { index, text, logprobs: { tokens: ids.map((v) => `token_id:${v}`) } };
          if (behaviour.format === "text-only") return { index, text };
          return { index, text, token_ids: ids };
        });
        reply(200, { id: "cmpl-test", object: "text_completion", choices: choices.reverse() });
      };
      if (behaviour.delayMs) setTimeout(answer, behaviour.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
