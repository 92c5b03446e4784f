// SPDX-License-Identifier: MIT
import type { Coin, FactoryOptions, RandomLike, RandomSource, Rational } from "./api.js";
import { guardCoin } from "./coin.js";
import { type ExactRational, formatExact, toExact } from "./rational.js";
import { bernoulliOverStep, sourceFor } from "./random.js";

/**
 * λ^k for an integer k ≥ 0: flip up to k times, stop at the first tail (internal).
 * E[flips] = (1 − λ^k)/(1 − λ) (= k at λ = 1).
 */
export function integerPowerRun(coin: Coin, k: number): boolean {
  for (let j = 0; j < k; j++) if (!coin()) return false;
  return true;
}

/**
 * Mendo (2019) factory for λ^(a/b), 0 < a/b ≤ 1 (internal; estimators note §2.2, CALM §5 stage 2):
 * `i ← 1; loop { heads → 1; with probability (a/b)/i → 0; i ← i + 1 }`.
 * P(1) = λ·Σ_k (1−λ)^k Π_{j≤k}(1 − α/j) = λ·λ^(α−1) = λ^α; E[flips] = λ^(α−1).
 */
export function mendoRun(coin: Coin, a: bigint, b: bigint, source: RandomSource): boolean {
  if (a === b) return coin();
  const stop = bernoulliOverStep(source, a, b); // probability (a/b)/i at step i
  for (let i = 1; ; i++) {
    if (coin()) return true;
    if (stop(i)) return false;
  }
}

/**
 * λ^(x/y) for any exact exponent x/y ≥ 0 (internal): integer exponents flip k times; 0 < x/y < 1 runs
 * Mendo; for x/y > 1 with fractional part r/y, borrow 1 from the integer part so that s = r + y ∈ (y, 2y)
 * is split into two Mendo runs with exponents ⌊s/2⌋/y and ⌈s/2⌉/y, both in [1/2, 1] (Mendo is slow for
 * small exponents), after ⌊x/y⌋ − 1 plain flips. The split follows Occil's `bernoulli.py` `power`,
 * with both errata of the markdown page (§2.3 of the estimators note) avoided.
 */
function powerRun(coin: Coin, e: ExactRational, source: RandomSource): boolean {
  const k = e.num / e.den;
  const r = e.num % e.den;
  if (r === 0n) return integerPowerRun(coin, Number(k));
  if (k === 0n) return mendoRun(coin, r, e.den, source);
  if (!integerPowerRun(coin, Number(k - 1n))) return false;
  const s = r + e.den;
  const h = s / 2n;
  if (!mendoRun(coin, h, e.den, source)) return false;
  return mendoRun(coin, s - h, e.den, source);
}

/** Validates an exponent ≥ 0 and returns it exactly (internal). */
function exactExponent(exponent: Rational | number, fn: string): ExactRational {
  const e = toExact(exponent, fn, "exponent");
  if (e.num < 0n) throw new RangeError(`${fn}: exponent is ${formatExact(e)}, must be >= 0`);
  if (e.num / e.den > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${fn}: exponent is ${formatExact(e)}, must be at most 2^53 − 1`);
  }
  return e;
}

/**
 * One flip of a coin with heads probability λ^exponent, for any exponent ≥ 0, from flips of a λ-coin.
 *
 * - exponent 0: returns `true` without flipping (λ^0 = 1, also at λ = 0).
 * - integer k: k flips, `false` at the first tail. E[flips] = (1 − λ^k)/(1 − λ).
 * - 0 < α < 1: Mendo (2019): `i ← 1; loop { heads → true; with probability α/i → false; i ← i+1 }`.
 *   E[flips] = λ^(α−1) (unbounded as λ → 0: at λ = 0 it terminates with probability 1 but has infinite
 *   expected time; set `options.maxFlips`).
 * - x/y > 1 non-integer, in lowest terms, x/y = k + r/y: k − 1 plain flips, then Mendo with ⌊s/2⌋/y and ⌈s/2⌉/y where
 *   s = r + y (both exponents ≥ 1/2). E[flips] = (1 − λ^(k−1))/(1 − λ) + λ^(k−1)·(λ^(a−1) + λ^a·λ^(b−1))
 *   with a = ⌊s/2⌋/y, b = ⌈s/2⌉/y.
 *
 * Source: Mendo, "An asymptotically optimal Bernoulli factory for certain functions that can be
 * expressed as power series" (2019); CALM paper §5.1 (stage 2 of Algorithm 1); estimators note §2.2–2.3.
 *
 * @param coin - flips of a coin with heads probability λ ∈ [0, 1]; must return booleans.
 * @param exponent - exact `{ numerator, denominator }` or a number (taken at its exact binary value).
 * @param random - randomness for the Bernoulli(α/i) steps.
 * @param options - `maxFlips` budget.
 * @returns `true` with probability exactly λ^exponent.
 * @throws RangeError for a negative or non-finite exponent (λ^β with β < 0 is not a probability);
 *   TypeError when `coin` returns a non-boolean; {@link BudgetExceededError} when `maxFlips` runs out.
 * @example
 * ```ts
 * const random = createRandom(1);
 * const coin = () => randomSource(random).bernoulli(1, 4); // λ = 1/4
 * power(coin, { numerator: 1, denominator: 2 }, random); // true with probability 1/2
 * ```
 */
export function power(
  coin: Coin,
  exponent: Rational | number,
  random: RandomLike,
  options?: FactoryOptions,
): boolean {
  const e = exactExponent(exponent, "power");
  return powerRun(guardCoin(coin, "power", "coin", options), e, sourceFor(random, "power", "random"));
}

/**
 * λ^μ with the exponent μ ∈ [0, 1] itself given as a coin (Occil's two-coin power; estimators note §2.2):
 * Mendo's loop with the step "with probability α/i → false" replaced by "μ-coin heads and
 * Bernoulli(1/i) → false", which has probability μ/i. E[λ-flips] = λ^(μ−1), E[μ-flips] = λ^(μ−1) − λ^μ.
 * λ and μ must not both be 0 (λ^0 at λ = 0 would never stop; set `maxFlips`).
 *
 * @param coin - λ-coin (the base).
 * @param exponentCoin - μ-coin (the exponent).
 * @param random - randomness for the Bernoulli(1/i) steps.
 * @param options - `maxFlips` budget over both coins.
 * @returns `true` with probability λ^μ.
 * @throws TypeError when a coin returns a non-boolean; {@link BudgetExceededError} when `maxFlips` runs out.
 * @example
 * ```ts
 * powerByCoin(baseCoin, exponentCoin, createRandom(1));
 * ```
 */
export function powerByCoin(
  coin: Coin,
  exponentCoin: Coin,
  random: RandomLike,
  options?: FactoryOptions,
): boolean {
  const fn = "powerByCoin";
  const shared = { flips: 0 };
  const base = guardCoin(coin, fn, "coin", options, shared);
  const mu = guardCoin(exponentCoin, fn, "exponentCoin", options, shared);
  const source = sourceFor(random, fn, "random");
  for (let i = 1; ; i++) {
    if (base()) return true;
    if (mu() && source.bernoulli(1, i)) return false;
  }
}
