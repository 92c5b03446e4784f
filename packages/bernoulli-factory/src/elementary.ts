// SPDX-License-Identifier: MIT
import type { Coin, RandomLike, Rational } from "./api.js";
import { guardCoin } from "./coin.js";
import { formatExact, toExact } from "./rational.js";
import { sourceFor } from "./random.js";

/**
 * A flip with heads probability exactly `probability` (a known constant), drawn as Bernoulli(a/b) on an
 * exact rational: a lazily built uniform is compared with a/b bit by bit (E[fair bits] = 2).
 *
 * @param probability - p ∈ [0, 1], exact `{ numerator, denominator }` or a number (its exact binary value).
 * @param random - randomness.
 * @returns `true` with probability p.
 * @throws RangeError when p is not in [0, 1] or not finite.
 * @example
 * ```ts
 * bernoulliConstant({ numerator: 1, denominator: 3 }, createRandom(1));
 * ```
 */
export function bernoulliConstant(probability: Rational | number, random: RandomLike): boolean {
  const fn = "bernoulliConstant";
  const p = toExact(probability, fn, "probability");
  if (p.num < 0n || p.num > p.den) throw new RangeError(`${fn}: probability is ${formatExact(p)}, must be in [0, 1]`);
  return sourceFor(random, fn, "random").bernoulli(p.num, p.den);
}

/**
 * 1 − λ: one flip, negated. E[flips] = 1. (Estimators note §2.1.)
 *
 * @param coin - λ-coin.
 * @returns `true` with probability 1 − λ.
 * @throws TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * complement(() => false); // true
 * ```
 */
export function complement(coin: Coin): boolean {
  return !guardCoin(coin, "complement", "coin")();
}

/**
 * λ·μ: flip the λ-coin; on heads return a μ-flip. E[flips] = 1 λ-flip + λ μ-flips. (Note §2.1.)
 *
 * @param coinA - λ-coin.
 * @param coinB - μ-coin.
 * @returns `true` with probability λμ.
 * @throws TypeError when a coin returns a non-boolean.
 * @example
 * ```ts
 * product(coinA, coinB);
 * ```
 */
export function product(coinA: Coin, coinB: Coin): boolean {
  return guardCoin(coinA, "product", "coinA")() && guardCoin(coinB, "product", "coinB")();
}

/**
 * λ + μ − λμ (either coin shows heads): flip λ; on tails return a μ-flip. E[flips] = 1 + (1 − λ). (Note §2.1.)
 *
 * @param coinA - λ-coin.
 * @param coinB - μ-coin.
 * @returns `true` with probability λ + μ − λμ.
 * @throws TypeError when a coin returns a non-boolean.
 * @example
 * ```ts
 * either(coinA, coinB);
 * ```
 */
export function either(coinA: Coin, coinB: Coin): boolean {
  return guardCoin(coinA, "either", "coinA")() || guardCoin(coinB, "either", "coinB")();
}

/**
 * (λ + μ)/2: a fair bit chooses which coin to flip. E[flips] = 1 in total. (Note §2.1.)
 *
 * @param coinA - λ-coin.
 * @param coinB - μ-coin.
 * @param random - randomness for the fair bit.
 * @returns `true` with probability (λ + μ)/2.
 * @throws TypeError when a coin returns a non-boolean.
 * @example
 * ```ts
 * average(coinA, coinB, createRandom(1));
 * ```
 */
export function average(coinA: Coin, coinB: Coin, random: RandomLike): boolean {
  const a = guardCoin(coinA, "average", "coinA");
  const b = guardCoin(coinB, "average", "coinB");
  return sourceFor(random, "average", "random").bit() ? a() : b();
}

/**
 * ν·λ + (1 − ν)·μ: flip the ν-coin; heads → a λ-flip, tails → a μ-flip. E[flips] = 2. (Note §2.1.)
 *
 * @param selector - ν-coin.
 * @param whenHeads - λ-coin.
 * @param whenTails - μ-coin.
 * @returns `true` with probability νλ + (1 − ν)μ.
 * @throws TypeError when a coin returns a non-boolean.
 * @example
 * ```ts
 * mix(nuCoin, lambdaCoin, muCoin);
 * ```
 */
export function mix(selector: Coin, whenHeads: Coin, whenTails: Coin): boolean {
  return guardCoin(selector, "mix", "selector")()
    ? guardCoin(whenHeads, "mix", "whenHeads")()
    : guardCoin(whenTails, "mix", "whenTails")();
}

/**
 * (1 + λ)/2: a fair bit; heads → `true`, tails → a λ-flip. E[flips] = 1/2. (Note §2.1.)
 *
 * @param coin - λ-coin.
 * @param random - randomness for the fair bit.
 * @returns `true` with probability (1 + λ)/2.
 * @throws TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * halfOnePlus(coin, createRandom(1));
 * ```
 */
export function halfOnePlus(coin: Coin, random: RandomLike): boolean {
  const c = guardCoin(coin, "halfOnePlus", "coin");
  return sourceFor(random, "halfOnePlus", "random").bit() || c();
}

/**
 * (1 − λ)/2: a fair bit; heads → `false`, tails → a negated λ-flip. E[flips] = 1/2. (Note §2.1.)
 *
 * @param coin - λ-coin.
 * @param random - randomness for the fair bit.
 * @returns `true` with probability (1 − λ)/2.
 * @throws TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * halfOneMinus(coin, createRandom(1));
 * ```
 */
export function halfOneMinus(coin: Coin, random: RandomLike): boolean {
  const c = guardCoin(coin, "halfOneMinus", "coin");
  return !sourceFor(random, "halfOneMinus", "random").bit() && !c();
}
