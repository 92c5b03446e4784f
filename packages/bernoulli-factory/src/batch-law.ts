// SPDX-License-Identifier: MIT
import type { BatchMethod, Rational } from "./api.js";
import { positiveInteger } from "./inverse-temperature.js";
import { describe } from "./rational.js";
import { checkProbabilities, inverseAsNumber } from "./temperature-law.js";

function binom(c: number, m: number): number {
  if (m < 0 || c < m) return 0;
  let r = 1;
  for (let j = 0; j < m; j++) r = (r * (c - j)) / (j + 1);
  return r;
}

/**
 * The exact output law of {@link sampleAtTemperatureBatch} for a categorical P (estimators note §3.7):
 * `P_alg(x; N) = Σ_c Mult(c; N, P) · w(c_x) / Σ_z w(c_z)` over all count vectors c with Σ c = N, where
 * w(c) = C(c, m*), m* = min(n, max_z c_z) for the paper's method and w(c) = c^(1/T) for the plug-in
 * method. Cost: C(N + K − 1, K − 1) terms for K outcomes of positive probability (20 301 for K = 3,
 * N = 200). Useful to choose N: the total variation to {@link temperedDistribution} shrinks like O(1/N).
 *
 * @param probabilities - P over a finite support.
 * @param temperature - T ∈ (0, 1] (1/T an integer for the paper's method).
 * @param batchSize - N ≥ 1.
 * @param method - `"paper"` (default) or `"plug-in"`.
 * @returns the output law, same indexing as P.
 * @throws RangeError for bad inputs, or when the enumeration would exceed 10^7 terms.
 * @example
 * ```ts
 * batchTemperatureLaw([0.5, 0.3, 0.2], { numerator: 1, denominator: 2 }, 10); // [0.61745, 0.25719, 0.12536]
 * ```
 */
export function batchTemperatureLaw(
  probabilities: readonly number[],
  temperature: Rational | number,
  batchSize: number,
  method: BatchMethod = "paper",
): number[] {
  const fn = "batchTemperatureLaw";
  checkProbabilities(probabilities, fn);
  const N = positiveInteger(batchSize, fn, "batchSize");
  const { n, alpha, beta } = inverseAsNumber(temperature, fn);
  if (method !== "paper" && method !== "plug-in") {
    throw new RangeError(`${fn}: method is ${describe(method)}, must be "paper" or "plug-in"`);
  }
  if (method === "paper" && alpha > 0) {
    throw new RangeError(`${fn}: 1/T = ${beta} is not an integer, the paper's batch method needs T = 1/n`);
  }
  const support = probabilities.flatMap((p, i) => (p > 0 ? [i] : []));
  const K = support.length;
  let terms = 1;
  for (let j = 1; j < K; j++) terms = (terms * (N + j)) / j;
  if (terms > 1e7) throw new RangeError(`${fn}: ${Math.round(terms)} count vectors to enumerate, more than 10^7`);
  const logFact = [0];
  for (let i = 1; i <= N; i++) logFact.push(logFact[i - 1]! + Math.log(i));
  const logP = support.map((i) => Math.log(probabilities[i]!));
  const out = new Array<number>(probabilities.length).fill(0);
  const c = new Array<number>(K).fill(0);
  const visit = (j: number, left: number): void => {
    if (j === K - 1) {
      c[j] = left;
      let logMult = logFact[N]!;
      for (let t = 0; t < K; t++) logMult += c[t]! * logP[t]! - logFact[c[t]!]!;
      const mult = Math.exp(logMult);
      const m = Math.min(n, Math.max(...c));
      const w = c.map((x) => (method === "paper" ? binom(x, m) : x > 0 ? x ** beta : 0));
      const total = w.reduce((a, b) => a + b, 0);
      for (let t = 0; t < K; t++) out[support[t]!] += (mult * w[t]!) / total;
      return;
    }
    for (let x = 0; x <= left; x++) {
      c[j] = x;
      visit(j + 1, left - x);
    }
  };
  visit(0, N);
  return out;
}
