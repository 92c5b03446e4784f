// SPDX-License-Identifier: MIT
// Benchmark: coin flips / sampler draws per accepted sample against the theoretical expectation, and
// throughput. Run from the repository root:
//   node_modules/.bin/tsx --conditions=@calm/source packages/bernoulli-factory/bench/temperature.bench.ts
// Not part of the tests. Timings are wall-clock on whatever machine runs it (noisy on shared machines).
import {
  batchTemperatureLaw,
  createRandom,
  expectedSamplerCalls,
  power,
  randomSource,
  sampleAtTemperature,
  sampleAtTemperatureBatch,
  temperedDistribution,
} from "../src/index.js";
import type { Rational } from "../src/index.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 0.6);

function timed(body: () => void, maxIterations: number): { n: number; seconds: number } {
  const t0 = performance.now();
  let n = 0;
  while (n < maxIterations && performance.now() - t0 < SECONDS * 1000) {
    body();
    n++;
  }
  return { n, seconds: (performance.now() - t0) / 1000 };
}

const fmt = (x: number, d = 3) => (x >= 1e5 ? x.toExponential(2) : x.toFixed(d));
const row = (cells: (string | number)[]) => console.log(`| ${cells.join(" | ")} |`);

// 1. power(coin, α): flips per call vs E[flips].
console.log("\n### power(coin, exponent): coin flips per call\n");
row(["λ", "exponent", "E[flips] (theory)", "measured", "calls/s"]);
row(["---", "---", "---", "---", "---"]);
const random = createRandom(1);
const source = randomSource(random);
const powerTheory = (l: number, x: number, y: number) => {
  const k = Math.floor(x / y);
  const r = x % y;
  if (k === 0) return l ** (r / y - 1);
  const s = r + y;
  const a = Math.floor(s / 2) / y;
  const b = (s - Math.floor(s / 2)) / y;
  return (1 - l ** (k - 1)) / (1 - l) + l ** (k - 1) * (l ** (a - 1) + l ** a * l ** (b - 1));
};
for (const l of [0.9, 0.5, 0.2, 0.05]) {
  for (const [x, y] of [
    [1, 3],
    [1, 2],
    [5, 2],
  ] as const) {
    let flips = 0;
    const coin = () => (flips++, source.bernoulli(Math.round(l * 1000), 1000));
    const { n, seconds } = timed(() => power(coin, { numerator: x, denominator: y }, source), 400_000);
    row([l, `${x}/${y}`, fmt(powerTheory(l, x, y)), fmt(flips / n), fmt(n / seconds, 0)]);
  }
}

// 2. sampleAtTemperature on a small categorical: draws per sample vs expectedSamplerCalls, T -> 1.
function categorical(P: readonly number[]) {
  const cdf: number[] = [];
  P.reduce((s, p, i) => (cdf[i] = s + p), 0);
  return () => {
    const u = random();
    let i = 0;
    while (i < cdf.length - 1 && u >= cdf[i]!) i++;
    return i;
  };
}
const T = (numerator: number, denominator: number): Rational => ({ numerator, denominator });
const label = (t: Rational) => `${t.numerator}/${t.denominator}`;

console.log("\n### sampleAtTemperature, P = (0.5, 0.3, 0.2): sampler draws per accepted sample\n");
row(["T", "Theorem 2", "expected (early rejection)", "measured", "samples/s"]);
row(["---", "---", "---", "---", "---"]);
const P3 = [0.5, 0.3, 0.2];
for (const t of [T(1, 5), T(1, 4), T(1, 3), T(2, 5), T(1, 2), T(2, 3), T(4, 5), T(9, 10), T(99, 100), T(1, 1)]) {
  let draws = 0;
  const base = categorical(P3);
  const sample = () => (draws++, base());
  const { n, seconds } = timed(() => sampleAtTemperature(sample, t, { random }), 200_000);
  row([
    label(t),
    fmt(expectedSamplerCalls(P3, t, { earlyRejection: false })),
    fmt(expectedSamplerCalls(P3, t)),
    fmt(draws / n),
    fmt(n / seconds, 0),
  ]);
}

// 3. Support growth: K-token chunks, each token i.i.d. Zipf(1) over V tokens, support V^K.
// Theory in closed form: Σ_x P(x)^b = (Σ_v p_v^b)^K for a product distribution.
function zipf(V: number): number[] {
  const w = Array.from({ length: V }, (_, i) => 1 / (i + 1));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / s);
}
function chunkTheory(p: readonly number[], K: number, t: Rational): number {
  const beta = Number(t.denominator) / Number(t.numerator);
  const n = Math.floor(beta);
  const alpha = beta - n;
  const sum = (b: number) => p.reduce((s, q) => s + q ** b, 0) ** K;
  // Early rejection: the candidate, then comparison j (j = 1..n−1) happens with probability P(x)^(j−1):
  // Σ_x P(x)(1 + Σ_{j=1}^{n−1} P(x)^(j−1)) = 1 + Σ_{j=1}^{n−1} Σ_x P(x)^j.
  let stage1 = 1;
  for (let j = 1; j < n; j++) stage1 += sum(j);
  return (stage1 + (alpha > 1e-12 ? sum(beta - 1) : 0)) / sum(beta);
}
console.log("\n### sampleAtTemperature on 4-token chunks (tokens i.i.d. Zipf over V): cost as the support grows\n");
row(["V", "support V^4", "T", "expected draws", "measured", "samples measured", "samples/s"]);
row(["---", "---", "---", "---", "---", "---", "---"]);
for (const V of [4, 16, 64, 256]) {
  const p = zipf(V);
  const token = categorical(p);
  for (const t of [T(1, 3), T(1, 2), T(2, 3), T(4, 5), T(19, 20)]) {
    const theory = chunkTheory(p, 4, t);
    if (theory > 2e5) {
      row([V, V ** 4, label(t), fmt(theory), "(skipped)", "-", "-"]);
      continue;
    }
    let draws = 0;
    const sample = () => (draws++, [token(), token(), token(), token()]);
    const { n, seconds } = timed(() => sampleAtTemperature(sample, t, { random, maxDraws: 1e8 }), 100_000);
    row([V, V ** 4, label(t), fmt(theory), fmt(draws / n), n, fmt(n / seconds, 1)]);
  }
}

// 4. Batch approximation: fixed N draws, bias from the exact law, throughput.
console.log("\n### sampleAtTemperatureBatch, P = (0.5, 0.3, 0.2), T = 1/2: bias (exact) and throughput\n");
row(["N", "TV to P^2/Z (paper)", "TV (plug-in)", "samples/s (paper)"]);
row(["---", "---", "---", "---"]);
const target = temperedDistribution(P3, T(1, 2));
const tv = (a: number[]) => a.reduce((s, x, i) => s + Math.abs(x - target[i]!), 0) / 2;
for (const N of [1, 10, 50, 200]) {
  const base = categorical(P3);
  const { n, seconds } = timed(() => sampleAtTemperatureBatch(base, T(1, 2), { batchSize: N, random }), 100_000);
  row([N, fmt(tv(batchTemperatureLaw(P3, T(1, 2), N)), 6), fmt(tv(batchTemperatureLaw(P3, T(1, 2), N, "plug-in")), 6), fmt(n / seconds, 0)]);
}
