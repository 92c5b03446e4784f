// SPDX-License-Identifier: MIT
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { BrierLMOptions, BrierLMResult, BrierMode, LanguageModel, PositionSpec } from "./api.js";
import { brierLM } from "./brier-lm.js";
import { BrierLMError } from "./errors.js";
import { fitKneserNey } from "./kneser-ney.js";
import { openAICompatibleModel } from "./openai-compatible.js";

/** Where {@link runCli} writes; `process.stdout`/`process.stderr` in the real command. */
export interface CliIO {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown; isTTY?: boolean };
}

const USAGE = `Usage: calm-brier <text-file> (--server URL | --module PATH | --ngram TRAIN-FILE) [options]

Scores a text with BrierLM (CALM, arXiv 2510.27688, section 4.2) and prints Brier-1..N, BrierLM and standard errors.

Model (one of):
  --server URL          OpenAI-compatible completions API root, e.g. http://127.0.0.1:8080/v1
      --model NAME        model name sent to the server      --api-key KEY   bearer token
      --timeout-ms MS     per request (60000)                --retries N     retries on errors (3)
  --module PATH         ES module exporting \`model\` (or a default export): { sample(context, length, random) }
                        and/or { nextTokenProbs(context) }; may export tokenize(text) -> token ids
  --ngram TRAIN-FILE    fit a byte-level interpolated Kneser-Ney model on a text file
      --order N           n-gram order (3)

Input:
  --tokens              the input file holds token ids (JSON array or whitespace-separated integers)
                        (default: a server's /tokenize, a module's tokenize(), else UTF-8 bytes)
Scoring:
  --max-n N             Brier-1..N (4)                     --mode auto|sample|probs|exact (auto)
  --context-length L    tokens of context the model sees   --seed S (0)
  --stride S | --chunk-size K   score every S-th position / chunk boundaries (default: every position)
  --limit N             score at most the first N positions
  --concurrency C       positions in flight (1; 8 with --server)
  --checkpoint FILE     on failure save what was scored there; rerun with it to resume
Output:
  --json                machine-readable result on stdout
  --no-progress         no progress line on stderr (it is shown only on a terminal)
  -h, --help
`;

const OPTIONS = {
  server: { type: "string" },
  model: { type: "string" },
  "api-key": { type: "string" },
  "timeout-ms": { type: "string" },
  retries: { type: "string" },
  module: { type: "string" },
  ngram: { type: "string" },
  order: { type: "string" },
  tokens: { type: "boolean" },
  "max-n": { type: "string" },
  mode: { type: "string" },
  "context-length": { type: "string" },
  seed: { type: "string" },
  stride: { type: "string" },
  "chunk-size": { type: "string" },
  limit: { type: "string" },
  concurrency: { type: "string" },
  checkpoint: { type: "string" },
  json: { type: "boolean" },
  "no-progress": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

class UsageError extends Error {}

function int(name: string, v: string | undefined, min: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} is "${v}", must be an integer >= ${min}`);
  return n;
}

function parseTokenFile(text: string, file: string): number[] {
  const t = text.trim();
  const ids = t.startsWith("[") ? (JSON.parse(t) as unknown[]) : t.split(/[\s,]+/).filter(Boolean).map(Number);
  ids.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new UsageError(`${file}: token ${i} is ${JSON.stringify(v)}, not a token id`);
  });
  return ids as number[];
}

const fmt = (x: number, digits = 4) => (Number.isNaN(x) ? "n/a" : x.toFixed(digits));

function progressLine(io: CliIO, enabled: boolean): { update(done: number, total: number): void; end(): void } {
  if (!enabled) return { update() {}, end() {} };
  const start = performance.now();
  let last = 0;
  let shown = false;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      const width = 24;
      const filled = Math.round((done / total) * width);
      const rate = done / Math.max((now - start) / 1000, 1e-9);
      const eta = rate > 0 ? (total - done) / rate : NaN;
      io.stderr.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(Math.floor((100 * done) / total)).padStart(3)}% ${done}/${total} positions, ${rate.toFixed(0)} pos/s, ETA ${Number.isFinite(eta) ? `${eta.toFixed(0)} s` : "?"}   `,
      );
    },
    end() {
      if (shown) io.stderr.write("\n");
    },
  };
}

function summary(r: BrierLMResult) {
  const n = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    mode: r.mode,
    maxN: r.maxN,
    positions: r.positions.length,
    pending: r.pending.length,
    brierN: r.brierN.map(n),
    standardError: r.standardError.map(n),
    brierLM: n(r.brierLM),
    brierLMStandardError: n(r.brierLMStandardError),
    undefinedReason: r.undefinedReason,
    referenceBrierLM: n(r.referenceBrierLM),
  };
}

function printTable(io: CliIO, r: BrierLMResult): void {
  for (let k = 0; k < r.maxN; k++) io.stdout.write(`Brier-${k + 1}  ${fmt(r.brierN[k]).padStart(8)} ± ${fmt(r.standardError[k])}\n`);
  if (r.undefinedReason === null) io.stdout.write(`BrierLM  ${fmt(r.brierLM, 2).padStart(8)} ± ${fmt(r.brierLMStandardError, 2)}\n`);
  else io.stdout.write(`BrierLM  undefined: ${r.undefinedReason} (the reference code's clamp would print ${fmt(r.referenceBrierLM, 2)})\n`);
}

/**
 * The `calm-brier` command: parses `argv` (without the node and script paths), scores the file and writes the
 * result. Exit status: 0 on success, 1 when scoring failed (the partial figures are printed), 2 on a usage error.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(["book.txt", "--ngram", "train.txt", "--json"], process);
 * ```
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    args = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    io.stderr.write(`calm-brier: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const v = args.values;
  if (v.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  try {
    if (args.positionals.length !== 1) throw new UsageError(`expected one text file, got ${args.positionals.length}`);
    const file = args.positionals[0];
    const sources = [v.server, v.module, v.ngram].filter((x) => x !== undefined);
    if (sources.length !== 1) throw new UsageError("give exactly one of --server, --module, --ngram");
    if (v.stride !== undefined && v["chunk-size"] !== undefined) throw new UsageError("give --stride or --chunk-size, not both");
    const text = readFileSync(file, "utf8");
    const bytes = (s: string) => Array.from(Buffer.from(s, "utf8"));

    let model: LanguageModel;
    let tokenize: (s: string) => number[] | Promise<number[]> = bytes;
    let label: string;
    if (v.server !== undefined) {
      const server = openAICompatibleModel({
        baseURL: v.server,
        model: v.model,
        apiKey: v["api-key"],
        timeoutMs: int("timeout-ms", v["timeout-ms"], 1),
        retries: int("retries", v.retries, 0),
      });
      model = server;
      tokenize = (s) => server.tokenize(s);
      label = v.server;
    } else if (v.module !== undefined) {
      const mod = (await import(pathToFileURL(resolve(v.module)).href)) as Record<string, unknown>;
      const m = (await (mod.model ?? mod.default)) as LanguageModel | undefined;
      if (m === undefined || m === null || typeof m !== "object") {
        throw new UsageError(`${v.module} exports no model object (export const model = { sample(...) } or { nextTokenProbs(...) })`);
      }
      model = m;
      if (typeof mod.tokenize === "function") tokenize = mod.tokenize as (s: string) => number[];
      label = v.module;
    } else {
      const order = int("order", v.order, 1) ?? 3;
      model = fitKneserNey(bytes(readFileSync(v.ngram!, "utf8")), { order, vocabSize: 256 });
      label = `byte-level Kneser-Ney, order ${order}, fitted on ${v.ngram}`;
    }
    const tokens = v.tokens ? parseTokenFile(text, file) : Array.from(await tokenize(text));

    const maxN = int("max-n", v["max-n"], 1) ?? 4;
    let positions: PositionSpec =
      v.stride !== undefined ? { stride: int("stride", v.stride, 1)! } : v["chunk-size"] !== undefined ? { chunkSize: int("chunk-size", v["chunk-size"], 1)! } : "all";
    const limit = int("limit", v.limit, 1);
    if (limit !== undefined) {
      const stride = typeof positions === "object" && "stride" in positions ? positions.stride : typeof positions === "object" && "chunkSize" in positions ? positions.chunkSize : 1;
      const list: number[] = [];
      for (let t = stride; t <= tokens.length - maxN && list.length < limit; t += stride) list.push(t);
      positions = list;
    }
    const mode = (v.mode ?? "auto") as BrierMode;
    if (!["auto", "sample", "probs", "exact"].includes(mode)) throw new UsageError(`--mode is "${mode}", must be auto, sample, probs or exact`);
    const options: BrierLMOptions = {
      maxN,
      mode,
      positions,
      contextLength: int("context-length", v["context-length"], 1),
      seed: int("seed", v.seed, 0) ?? 0,
      concurrency: int("concurrency", v.concurrency, 1) ?? (v.server !== undefined ? 8 : 1),
    };
    const checkpoint = v.checkpoint;
    if (checkpoint !== undefined && existsSync(checkpoint)) {
      options.resume = JSON.parse(readFileSync(checkpoint, "utf8")) as BrierLMResult;
      io.stderr.write(`calm-brier: resuming from ${checkpoint} (${options.resume.positions.length} positions already scored)\n`);
    }
    const progress = progressLine(io, !v["no-progress"] && io.stderr.isTTY === true);
    options.onProgress = (d, t) => progress.update(d, t);
    const started = performance.now();
    let result: BrierLMResult;
    try {
      result = await brierLM(model, tokens, options);
    } catch (e) {
      progress.end();
      if (!(e instanceof BrierLMError)) throw e;
      io.stderr.write(`calm-brier: ${e.message}\n`);
      if (checkpoint !== undefined) {
        writeFileSync(checkpoint, JSON.stringify(e.partial));
        io.stderr.write(`calm-brier: partial result saved to ${checkpoint}; rerun with the same --checkpoint to resume\n`);
      }
      if (v.json) io.stdout.write(`${JSON.stringify({ file, model: label, tokens: tokens.length, complete: false, error: e.message, ...summary(e.partial) }, null, 2)}\n`);
      else if (e.partial.positions.length > 0) {
        io.stdout.write(`Partial result over the ${e.partial.positions.length} positions scored before the failure:\n`);
        printTable(io, e.partial);
      }
      return 1;
    }
    progress.end();
    if (checkpoint !== undefined && existsSync(checkpoint)) rmSync(checkpoint);
    const seconds = (performance.now() - started) / 1000;
    if (v.json) {
      io.stdout.write(`${JSON.stringify({ file, model: label, tokens: tokens.length, complete: true, seconds, ...summary(result) }, null, 2)}\n`);
    } else {
      io.stdout.write(`${file}: ${tokens.length} tokens, ${result.positions.length} positions, mode ${result.mode}, model ${label} (${seconds.toFixed(1)} s)\n`);
      printTable(io, result);
    }
    return 0;
  } catch (e) {
    const usage = e instanceof UsageError;
    io.stderr.write(`calm-brier: ${(e as Error).message}\n${usage ? "Run calm-brier --help for the options.\n" : ""}`);
    return usage ? 2 : 1;
  }
}
