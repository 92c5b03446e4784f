// SPDX-License-Identifier: MIT
import type { Coin, FactoryOptions, RandomLike, RandomSource, Rational } from "./api.js";
import { guardCoin } from "./coin.js";
import { chooseRun, integerWeights } from "./discrete.js";
import { integerPowerRun } from "./power.js";
import { describe, formatExact, toExact } from "./rational.js";
import { sourceFor } from "./random.js";

/**
 * A random count X ≥ 0 drawn through a {@link RandomSource} (so that it can be enumerated exactly).
 *
 * @example
 * ```ts
 * const X: CountSampler = geometricCount({ numerator: 1, denominator: 2 });
 * ```
 */
export type CountSampler = (source: RandomSource) => number;

/**
 * Probability-generating-function block (Dughmi, Hartline, Kleinberg & Niazadeh 2021; estimators note §2.7):
 * draw X from any count distribution, flip the coin until the first tail or X flips, and return `true` iff
 * all X flips were heads. P(true) = E[λ^X] = G_X(λ). E[flips] = E[(1 − λ^X)/(1 − λ)] ≤ E[X].
 * Examples: {@link geometricCount}(p) gives p/(1 − (1 − p)λ); {@link bernoulliCount}(q) gives 1 − q + qλ;
 * {@link finiteCount}(w) gives Σ_k w_k λ^k / Σ_k w_k (any polynomial with non-negative coefficients).
 *
 * @param coin - λ-coin.
 * @param count - draws X (must return a non-negative safe integer).
 * @param random - randomness passed to `count`.
 * @param options - `maxFlips` budget.
 * @returns `true` with probability G_X(λ).
 * @throws RangeError when `count` returns a bad value; TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * generatingFunction(coin, geometricCount(0.5), createRandom(1)); // 1/(2 − λ)
 * ```
 */
export function generatingFunction(
  coin: Coin,
  count: CountSampler,
  random: RandomLike,
  options?: FactoryOptions,
): boolean {
  const fn = "generatingFunction";
  const c = guardCoin(coin, fn, "coin", options);
  if (typeof count !== "function") throw new TypeError(`${fn}: count is ${describe(count)}, must be a function`);
  const x = count(sourceFor(random, fn, "random"));
  if (!Number.isSafeInteger(x) || x < 0) {
    throw new RangeError(`${fn}: count returned ${describe(x)}, must be a non-negative integer`);
  }
  return integerPowerRun(c, x);
}

function probability(p: Rational | number, fn: string, arg: string, open: boolean) {
  const e = toExact(p, fn, arg);
  if (e.num < 0n || e.num > e.den || (open && e.num === 0n)) {
    throw new RangeError(`${fn}: ${arg} is ${formatExact(e)}, must be in ${open ? "(0, 1]" : "[0, 1]"}`);
  }
  return e;
}

/**
 * Geometric count: P(X = k) = p(1 − p)^k, k ≥ 0 (stop at each step with probability p). Its generating
 * function is p/(1 − (1 − p)λ). E[X] = (1 − p)/p.
 *
 * @param p - stopping probability in (0, 1].
 * @returns a {@link CountSampler}.
 * @throws RangeError when p is not in (0, 1].
 * @example
 * ```ts
 * generatingFunction(coin, geometricCount({ numerator: 1, denominator: 3 }), random);
 * ```
 */
export function geometricCount(p: Rational | number): CountSampler {
  const e = probability(p, "geometricCount", "p", true);
  return (source) => {
    let k = 0;
    while (!source.bernoulli(e.num, e.den)) k++;
    return k;
  };
}

/**
 * Bernoulli count: X = 1 with probability q, else 0. Generating function 1 − q + qλ.
 *
 * @param q - probability in [0, 1].
 * @returns a {@link CountSampler}.
 * @throws RangeError when q is not in [0, 1].
 * @example
 * ```ts
 * generatingFunction(coin, bernoulliCount(0.25), random); // 0.75 + 0.25λ
 * ```
 */
export function bernoulliCount(q: Rational | number): CountSampler {
  const e = probability(q, "bernoulliCount", "q", false);
  return (source) => (source.bernoulli(e.num, e.den) ? 1 : 0);
}

/**
 * Count with finite support: P(X = k) = w_k / Σ w, drawn exactly by darts (see {@link sampleDiscrete}).
 * Generating function Σ_k w_k λ^k / Σ w: any polynomial with non-negative coefficients summing to 1.
 *
 * @param weights - non-negative integers (numbers or bigints), not all zero; index k is the count.
 * @returns a {@link CountSampler}.
 * @throws RangeError for bad weights.
 * @example
 * ```ts
 * generatingFunction(coin, finiteCount([1, 0, 3]), random); // (1 + 3λ²)/4
 * ```
 */
export function finiteCount(weights: readonly (number | bigint)[]): CountSampler {
  const big = integerWeights(weights, "finiteCount");
  return (source) => chooseRun(big, source);
}

/**
 * Convex combination Σ_i g_i·h_i(λ) (Wästlund 1999, Thm 2.7; estimators note §2.7): choose index i with
 * probability g_i (exact rational weights, normalised by their sum), then return one flip of factory i.
 * E[flips] = Σ_i g_i·E[flips of factory i].
 *
 * @param weights - non-negative exact rationals or numbers, not all zero (normalised by their sum).
 * @param factories - one flip-producing function per weight (for example `() => power(coin, 2, random)`).
 * @param random - randomness for the choice.
 * @returns `true` with probability Σ_i g_i·h_i(λ).
 * @throws RangeError for bad weights or a length mismatch; TypeError when a factory returns a non-boolean.
 * @example
 * ```ts
 * convexCombination([1, 2], [() => coin(), () => complement(coin)], random); // (λ + 2(1 − λ))/3
 * ```
 */
export function convexCombination(
  weights: readonly (Rational | number)[],
  factories: readonly (() => boolean)[],
  random: RandomLike,
): boolean {
  const fn = "convexCombination";
  if (!Array.isArray(weights) || weights.length === 0 || !Array.isArray(factories) || weights.length !== factories.length) {
    throw new RangeError(
      `${fn}: weights has ${describe(weights?.length)} entries and factories ${describe(factories?.length)}, ` +
        `must be equal and non-zero`,
    );
  }
  const exact = weights.map((w, i) => {
    const e = toExact(w, fn, `weights[${i}]`);
    if (e.num < 0n) throw new RangeError(`${fn}: weights[${i}] is ${formatExact(e)}, must be >= 0`);
    return e;
  });
  const common = exact.reduce((acc, e) => acc * e.den, 1n);
  const ints = exact.map((e) => (e.num * common) / e.den);
  if (ints.every((w) => w === 0n)) throw new RangeError(`${fn}: weights are all 0, need a positive weight`);
  const i = chooseRun(ints, sourceFor(random, fn, "random"));
  const f = factories[i]!;
  const r = guardCoin(f, fn, `factories[${i}]`)();
  return r;
}
