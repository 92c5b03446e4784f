// SPDX-License-Identifier: MIT
// BPE training time and encode throughput on the full State of the Union corpus, against gpt-tokenizer's
// GPT-2 (r50k_base) encoder on the same text. Not part of the tests.
// Run from the repository root: node_modules/.bin/tsx packages/data/bench/tokenizer.bench.ts
import { cpus } from "node:os";
import { encode as gpt2Encode } from "gpt-tokenizer/encoding/r50k_base";
import { loadSotu, trainBpe } from "../src/index.js";

const REPEATS = 3;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeIt<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
}

const t0 = performance.now();
const texts = loadSotu().map((d) => d.text);
const loadS = (performance.now() - t0) / 1000;
const bytes = texts.reduce((s, t) => s + Buffer.byteLength(t), 0);

/** Encodes every speech separately (how a data pipeline calls it); returns [tokens, seconds]. */
function encodeAll(encode: (s: string) => number[]): [number, number] {
  const [n, s] = timeIt(() => texts.reduce((acc, t) => acc + encode(t).length, 0));
  return [n, s];
}

const rows: string[] = [];
for (const vocabSize of [1024, 4096, 8192]) {
  const trainTimes: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  let tokens = 0;
  for (let r = 0; r < REPEATS; r++) {
    const [tok, tt] = timeIt(() => trainBpe(texts, { vocabSize }));
    trainTimes.push(tt);
    const [n1, s1] = encodeAll((s) => tok.encode(s)); // empty word cache: first pass
    const [, s2] = encodeAll((s) => tok.encode(s)); // cache filled
    tokens = n1;
    cold.push(n1 / s1);
    warm.push(n1 / s2);
  }
  rows.push(
    `| BPE ${vocabSize} (ours) | ${median(trainTimes).toFixed(2)} | ${tokens.toLocaleString("en-US")} | ${(bytes / tokens).toFixed(2)} | ${(median(cold) / 1e6).toFixed(2)} M | ${(median(warm) / 1e6).toFixed(2)} M |`,
  );
}
{
  const cold: number[] = [];
  const warm: number[] = [];
  let tokens = 0;
  for (let r = 0; r < REPEATS; r++) {
    // gpt-tokenizer keeps its merge cache across calls, so only the very first pass is really cold.
    const [n1, s1] = encodeAll((s) => gpt2Encode(s));
    const [, s2] = encodeAll((s) => gpt2Encode(s));
    tokens = n1;
    cold.push(n1 / s1);
    warm.push(n1 / s2);
  }
  rows.push(
    `| gpt-tokenizer r50k (GPT-2) | — | ${tokens.toLocaleString("en-US")} | ${(bytes / tokens).toFixed(2)} | ${(cold[0] / 1e6).toFixed(2)} M (first run) | ${(median(warm) / 1e6).toFixed(2)} M |`,
  );
}

console.log(
  `SOTU: ${texts.length} speeches, ${(bytes / 1e6).toFixed(2)} MB UTF-8, loaded in ${loadS.toFixed(2)} s; ` +
    `Node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "?"}; median of ${REPEATS}`,
);
console.log("");
console.log("| tokenizer | train (s) | tokens | bytes/token | encode, first pass (tokens/s) | encode, cache warm (tokens/s) |");
console.log("| --- | --- | --- | --- | --- | --- |");
for (const r of rows) console.log(r);
