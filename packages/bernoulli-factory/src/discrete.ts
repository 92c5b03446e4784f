// SPDX-License-Identifier: MIT
import type { RandomLike, RandomSource } from "./api.js";
import { describe } from "./rational.js";
import { sourceFor } from "./random.js";

/** Darts over bigint weights (internal): index i with probability w_i / Σw, using only bernoulli(a, b). */
export function chooseRun(weights: readonly bigint[], source: RandomSource): number {
  let remaining = 0n;
  for (const w of weights) remaining += w;
  // Callers guarantee a positive weight; all-zero would silently pick the last index.
  if (remaining <= 0n) throw new RangeError("sampleDiscrete: weights are all 0, need a positive weight");
  for (let i = 0; i < weights.length - 1; i++) {
    const w = weights[i]!;
    if (w > 0n && source.bernoulli(w, remaining)) return i;
    remaining -= w;
  }
  return weights.length - 1;
}

/**
 * Draws an index i with probability exactly `weights[i] / Σ weights` for non-negative integer weights,
 * by the sequential "darts" rule of Wästlund (1999) / the estimators note §2.7: for i = 0, 1, …, stop at i
 * with probability w_i / (w_i + w_{i+1} + …). Uses at most `weights.length − 1` Bernoulli(a/b) draws
 * (about 2 fair bits each), no floating point.
 *
 * @param weights - non-negative safe integers or bigints, not all zero.
 * @param random - randomness.
 * @returns the chosen index.
 * @throws RangeError for an empty list, a negative or non-integer weight, or all-zero weights.
 * @example
 * ```ts
 * sampleDiscrete([3, 1], createRandom(1)); // 0 with probability 3/4
 * ```
 */
export function sampleDiscrete(weights: readonly (number | bigint)[], random: RandomLike): number {
  const fn = "sampleDiscrete";
  return chooseRun(integerWeights(weights, fn), sourceFor(random, fn, "random"));
}

/**
 * Validates non-negative integer weights, not all zero, and returns them as bigints (internal; shared by
 * {@link sampleDiscrete} and `finiteCount`).
 *
 * @throws RangeError naming `fn` for an empty list, a negative or non-integer weight, or all-zero weights.
 */
export function integerWeights(weights: readonly (number | bigint)[], fn: string): bigint[] {
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new RangeError(`${fn}: weights is ${describe(weights)}, must be a non-empty array`);
  }
  const big = weights.map((w, i) => {
    if (typeof w === "bigint" ? w < 0n : !(Number.isSafeInteger(w) && w >= 0)) {
      throw new RangeError(`${fn}: weights[${i}] is ${describe(w)}, must be a non-negative integer`);
    }
    return BigInt(w);
  });
  if (big.every((w) => w === 0n)) throw new RangeError(`${fn}: weights are all 0, need a positive weight`);
  return big;
}
