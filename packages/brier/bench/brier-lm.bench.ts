// SPDX-License-Identifier: MIT
// Positions per second of brierLM with the Kneser-Ney model, in sample-only, probability and exact modes.
// Sampler-only models are built as { sample, contextLength }: without a declared window every call would copy
// the whole prefix (quadratic in the sequence length).
// Run: pnpm --filter @calm/brier bench   (or: pnpm exec tsx --conditions=@calm/source packages/brier/bench/brier-lm.bench.ts)
import { brierLM, createRandom, fitKneserNey } from "../src/index.js";
import type { LanguageModel } from "../src/index.js";

const words = (
  "the of and to in a is that for it as was with be by on not he this are or his from at which but have an they " +
  "you were her she there been one all we their has would when if so no will more can said who out up about them"
).split(" ");

// Word-level text with a little structure (a word tends to follow its predecessor's neighbours), as UTF-8 bytes.
function text(n: number, seed: number): number[] {
  const random = createRandom(seed);
  const out: string[] = [];
  let w = 0;
  for (let i = 0; i < n; i++) {
    w = random() < 0.6 ? (w + 1 + Math.floor(random() * 3)) % words.length : Math.floor(random() * words.length);
    out.push(words[w]);
  }
  return Array.from(Buffer.from(out.join(" "), "utf8"));
}

async function time(label: string, model: LanguageModel, tokens: number[], options: Parameters<typeof brierLM>[2]) {
  await brierLM(model, tokens.slice(0, 2000), options); // warm-up
  const t0 = performance.now();
  const r = await brierLM(model, tokens, options);
  const s = (performance.now() - t0) / 1000;
  const rate = r.positions.length / s;
  console.log(
    `| ${label} | ${r.positions.length} | ${s.toFixed(2)} | ${rate.toFixed(0)} | ${r.brierN.map((b) => b.toFixed(4)).join(" / ")} | ${r.brierLM.toFixed(2)} ± ${r.brierLMStandardError.toFixed(2)} |`,
  );
}

const train = text(200_000, 1);
const test = text(25_000, 2);
const t0 = performance.now();
const lm = fitKneserNey(train, { order: 4, vocabSize: 256 });
console.log(`fit: ${train.length} byte tokens, order 4, V = 256, ${((performance.now() - t0) / 1000).toFixed(2)} s`);
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.log("| model, mode | positions | seconds | positions/s | Brier-1..4 | BrierLM |");
console.log("|---|---|---|---|---|---|");
await time("KN-4 bytes (V=256), sample", { sample: lm.sample, contextLength: lm.contextLength }, test, { mode: "sample", seed: 1 });
await time("KN-4 bytes (V=256), probs", lm, test, { mode: "probs", seed: 1 });
await time("KN-4 bytes (V=256), sample, async, concurrency 8", { sample: async (c, n, r) => lm.sample(c, n, r), contextLength: lm.contextLength }, test, { mode: "sample", seed: 1, concurrency: 8 });

// Exact mode needs V^(maxN-1) conditionals per position: a 5-token vocabulary.
const small = (n: number, seed: number) => {
  const random = createRandom(seed);
  const out = [0];
  for (let i = 1; i < n; i++) out.push(random() < 0.6 ? (out[i - 1] + 1) % 5 : Math.floor(random() * 5));
  return out;
};
const lm5 = fitKneserNey(small(50_000, 3), { order: 3, vocabSize: 5 });
const test5 = small(100_000, 4);
await time("KN-3 (V=5), sample", { sample: lm5.sample, contextLength: lm5.contextLength }, test5, { mode: "sample", seed: 1 });
await time("KN-3 (V=5), probs", lm5, test5, { mode: "probs", seed: 1 });
await time("KN-3 (V=5), exact", lm5, test5.slice(0, 10_000), { mode: "exact" });
