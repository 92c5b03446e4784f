// SPDX-License-Identifier: MIT
import type { Coin, FactoryOptions, RandomLike, Rational } from "./api.js";
import { guardCoin } from "./coin.js";
import { type ExactRational, formatExact, toExact } from "./rational.js";
import { sourceFor } from "./random.js";

function positiveConstant(v: Rational | number, fn: string, arg: string): ExactRational {
  const x = toExact(v, fn, arg);
  if (x.num <= 0n) throw new RangeError(`${fn}: ${arg} is ${formatExact(x)}, must be > 0`);
  return x;
}

/**
 * 1/(1 + λ) (a two-coin special case; estimators note §2.6): `loop { fair bit 1 → true; coin heads → false }`.
 * E[flips] = 1/(1 + λ) ≤ 1.
 *
 * @param coin - λ-coin.
 * @param random - randomness for the fair bits.
 * @param options - `maxFlips` budget.
 * @returns `true` with probability 1/(1 + λ).
 * @throws TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * oneOverOnePlus(coin, createRandom(1));
 * ```
 */
export function oneOverOnePlus(coin: Coin, random: RandomLike, options?: FactoryOptions): boolean {
  const c = guardCoin(coin, "oneOverOnePlus", "coin", options);
  const s = sourceFor(random, "oneOverOnePlus", "random");
  for (;;) {
    if (s.bit()) return true;
    if (c()) return false;
  }
}

/**
 * λ/(1 + λ): the complement of {@link oneOverOnePlus}. E[flips] = 1/(1 + λ). (Note §2.6.)
 *
 * @param coin - λ-coin.
 * @param random - randomness.
 * @param options - `maxFlips` budget.
 * @returns `true` with probability λ/(1 + λ).
 * @throws TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * lambdaOverOnePlus(coin, createRandom(1));
 * ```
 */
export function lambdaOverOnePlus(coin: Coin, random: RandomLike, options?: FactoryOptions): boolean {
  const c = guardCoin(coin, "lambdaOverOnePlus", "coin", options);
  const s = sourceFor(random, "lambdaOverOnePlus", "random");
  for (;;) {
    if (s.bit()) return false;
    if (c()) return true;
  }
}

/**
 * 1/(2 − λ): `loop { fair bit 1 → true; coin tails → false }`. E[flips] = 1/(2 − λ) ≤ 1. (Note §2.6.)
 *
 * @param coin - λ-coin.
 * @param random - randomness.
 * @param options - `maxFlips` budget.
 * @returns `true` with probability 1/(2 − λ).
 * @throws TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * oneOverTwoMinus(coin, createRandom(1));
 * ```
 */
export function oneOverTwoMinus(coin: Coin, random: RandomLike, options?: FactoryOptions): boolean {
  const c = guardCoin(coin, "oneOverTwoMinus", "coin", options);
  const s = sourceFor(random, "oneOverTwoMinus", "random");
  for (;;) {
    if (s.bit()) return true;
    if (!c()) return false;
  }
}

/**
 * Logistic factory cλ/(cλ + d) for constants c, d > 0 (Huber 2016; Morina et al.; estimators note §2.6):
 * `loop { with probability d/(c + d) → false; coin heads → true }`. E[flips] = c/(d + cλ).
 * With c = d = 1 it is λ/(1 + λ); with d/c = e^(−θ) it is the logistic function of θ + log λ.
 *
 * @param coin - λ-coin.
 * @param c - constant c > 0 (exact rational or number).
 * @param d - constant d > 0.
 * @param random - randomness.
 * @param options - `maxFlips` budget.
 * @returns `true` with probability cλ/(cλ + d).
 * @throws RangeError for non-positive c or d; TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * logistic(coin, 3, 2, createRandom(1)); // 3λ/(3λ + 2)
 * ```
 */
export function logistic(
  coin: Coin,
  c: Rational | number,
  d: Rational | number,
  random: RandomLike,
  options?: FactoryOptions,
): boolean {
  const fn = "logistic";
  const ce = positiveConstant(c, fn, "c");
  const de = positiveConstant(d, fn, "d");
  const flip = guardCoin(coin, fn, "coin", options);
  const s = sourceFor(random, fn, "random");
  // d/(c+d) = d1·c2 / (c1·d2 + d1·c2)
  const stopNum = de.num * ce.den;
  const stopDen = ce.num * de.den + stopNum;
  for (;;) {
    if (s.bernoulli(stopNum, stopDen)) return false;
    if (flip()) return true;
  }
}

/**
 * General two-coin factory (Gonçalves, Łatuszyński & Roberts 2017; Vats et al. 2022; estimators note §2.6):
 * `cλβ / (β(cλ + dμ) − (β − 1)(c + d))`, which is cλ/(cλ + dμ) for β = 1 (the default):
 * `loop { with probability 1 − β → false; with probability c/(c + d): λ heads → true; else: μ heads → false }`.
 * E[total flips] = β / (1 − β + β(cλ + dμ)/(c + d)). With β = 1, λ and μ must not both be 0 (it would never stop).
 *
 * @param lambdaCoin - λ-coin.
 * @param muCoin - μ-coin.
 * @param c - constant c > 0.
 * @param d - constant d > 0.
 * @param random - randomness.
 * @param options - `beta` β ∈ (0, 1] (default 1) and a `maxFlips` budget (over both coins).
 * @returns `true` with the probability above.
 * @throws RangeError for bad constants; TypeError when a coin returns a non-boolean.
 * @example
 * ```ts
 * twoCoin(lambdaCoin, muCoin, 1, 1, createRandom(1)); // λ/(λ + μ)
 * ```
 */
export function twoCoin(
  lambdaCoin: Coin,
  muCoin: Coin,
  c: Rational | number,
  d: Rational | number,
  random: RandomLike,
  options?: FactoryOptions & { beta?: Rational | number },
): boolean {
  const fn = "twoCoin";
  const ce = positiveConstant(c, fn, "c");
  const de = positiveConstant(d, fn, "d");
  const beta = positiveConstant(options?.beta ?? 1, fn, "options.beta");
  if (beta.num > beta.den) throw new RangeError(`${fn}: options.beta is ${formatExact(beta)}, must be in (0, 1]`);
  const shared = { flips: 0 }; // one budget over both coins
  const lam = guardCoin(lambdaCoin, fn, "lambdaCoin", options, shared);
  const mu = guardCoin(muCoin, fn, "muCoin", options, shared);
  const s = sourceFor(random, fn, "random");
  const pickNum = ce.num * de.den;
  const pickDen = pickNum + de.num * ce.den;
  for (;;) {
    if (beta.num !== beta.den && !s.bernoulli(beta.num, beta.den)) return false;
    if (s.bernoulli(pickNum, pickDen)) {
      if (lam()) return true;
    } else if (mu()) {
      return false;
    }
  }
}
