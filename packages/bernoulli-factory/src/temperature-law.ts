// SPDX-License-Identifier: MIT
import type { Rational } from "./api.js";
import { inverseTemperature } from "./inverse-temperature.js";
import { describe } from "./rational.js";

/** Validates a probability vector (internal). */
export function checkProbabilities(probabilities: readonly number[], fn: string): void {
  if (!Array.isArray(probabilities) || probabilities.length === 0) {
    throw new RangeError(`${fn}: probabilities is ${describe(probabilities)}, must be a non-empty array`);
  }
  let sum = 0;
  probabilities.forEach((p, i) => {
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) {
      throw new RangeError(`${fn}: probabilities[${i}] is ${describe(p)}, must be in [0, 1]`);
    }
    sum += p;
  });
  if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`${fn}: probabilities sum to ${sum}, must sum to 1`);
}

/** 1/T as a float from an exact n + a/b (internal). */
export function inverseAsNumber(temperature: Rational | number, fn: string): { n: number; alpha: number; beta: number } {
  const inv = inverseTemperature(temperature, fn);
  const alpha = Number(inv.alpha.num) / Number(inv.alpha.den);
  return { n: inv.n, alpha, beta: inv.n + alpha };
}

/**
 * The tempered distribution P_T(x) = P(x)^(1/T) / Z_T, Z_T = Σ_x P(x)^(1/T) (CALM paper §5, Theorem 1):
 * the law that {@link sampleAtTemperature} samples exactly.
 *
 * @param probabilities - P over a finite support (sums to 1 within 1e−9).
 * @param temperature - T ∈ (0, 1], as in {@link sampleAtTemperature}.
 * @returns P_T, same indexing.
 * @throws RangeError for bad probabilities or temperature.
 * @example
 * ```ts
 * temperedDistribution([0.5, 0.3, 0.2], { numerator: 1, denominator: 2 }); // [0.6579, 0.2368, 0.1053]
 * ```
 */
export function temperedDistribution(probabilities: readonly number[], temperature: Rational | number): number[] {
  const fn = "temperedDistribution";
  checkProbabilities(probabilities, fn);
  const { beta } = inverseAsNumber(temperature, fn);
  const w = probabilities.map((p) => (p > 0 ? p ** beta : 0));
  const z = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / z);
}

/**
 * Expected number of sampler calls of {@link sampleAtTemperature} per returned sample, with 1/T = n + α,
 * Z_T = Σ_x P(x)^(1/T), sums over the support (P(x) > 0):
 * - `earlyRejection: false` — the CALM paper's Theorem 2, Algorithm 1 as written (all n stage-1 draws):
 *   `(n + [α > 0] · Σ_x P(x)^(1/T − 1)) / Z_T`. Corollary: ≤ (1 + n)/Z_T for T ≤ 1/2,
 *   ≤ (1 + |X|^(2 − 1/T))/Z_T for 1/2 < T < 1.
 * - default (`earlyRejection: true`, stage 1 stops at the first mismatch):
 *   `(Σ_x P(x)·(1 + (1 − P(x)^(n−1))/(1 − P(x))) + [α > 0] · Σ_x P(x)^(1/T − 1)) / Z_T` (the fraction is
 *   n − 1 at P(x) = 1);
 *   equal to Theorem 2 for n ≤ 2, smaller for n ≥ 3.
 *
 * @param probabilities - P over a finite support.
 * @param temperature - T ∈ (0, 1].
 * @param options - `earlyRejection` as in {@link sampleAtTemperature} (default true).
 * @returns expected sampler calls (≥ 1; exactly 1 at T = 1).
 * @throws RangeError for bad probabilities or temperature.
 * @example
 * ```ts
 * expectedSamplerCalls([0.5, 0.3, 0.2], { numerator: 2, denominator: 5 }); // 10.6874488…
 * ```
 */
export function expectedSamplerCalls(
  probabilities: readonly number[],
  temperature: Rational | number,
  options?: { earlyRejection?: boolean },
): number {
  const fn = "expectedSamplerCalls";
  checkProbabilities(probabilities, fn);
  const { n, alpha, beta } = inverseAsNumber(temperature, fn);
  const early = options?.earlyRejection ?? true;
  let z = 0;
  let stage1 = 0;
  let stage2 = 0;
  for (const p of probabilities) {
    if (p <= 0) continue;
    z += p ** beta;
    // Early rejection: the candidate, then comparisons until the first mismatch (at most n − 1).
    stage1 += early ? p * (1 + (p === 1 ? n - 1 : (1 - p ** (n - 1)) / (1 - p))) : p * n;
    stage2 += p ** (beta - 1);
  }
  return (stage1 + (alpha > 0 ? stage2 : 0)) / z;
}
