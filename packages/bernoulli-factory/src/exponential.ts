// SPDX-License-Identifier: MIT
import type { Coin, FactoryOptions, RandomLike, RandomSource, Rational } from "./api.js";
import { guardCoin } from "./coin.js";
import { type ExactRational, formatExact, toExact } from "./rational.js";
import { bernoulliOverStep, sourceFor } from "./random.js";

/**
 * e^(−x) for a constant 0 ≤ x ≤ 1 via the alternating process (internal): at step k = 1, 2, … an event of
 * probability x/k (and of the coin, when given) happens or not; K = first step where it does not;
 * P(K > k) = (λx)^k/k!, so P(K odd) = Σ_j (−λx)^j/j! = e^(−λx).
 */
function alternatingRun(coin: Coin | undefined, x: ExactRational, source: RandomSource): boolean {
  const event = bernoulliOverStep(source, x.num, x.den); // probability x/k at step k
  for (let k = 1; ; k++) {
    if (!event(k) || (coin !== undefined && !coin())) return k % 2 === 1;
  }
}

/** e^(−λ·x) for any x ≥ 0: ⌊x⌋ runs with x = 1 and one with the fractional part, all must succeed (internal). */
function expRun(coin: Coin | undefined, x: ExactRational, source: RandomSource): boolean {
  const whole = x.num / x.den;
  const frac = { num: x.num % x.den, den: x.den };
  const one = { num: 1n, den: 1n };
  for (let i = 0n; i < whole; i++) if (!alternatingRun(coin, one, source)) return false;
  return frac.num === 0n || alternatingRun(coin, frac, source);
}

function exactScale(scale: Rational | number, fn: string): ExactRational {
  const x = toExact(scale, fn, "scale");
  if (x.num < 0n) throw new RangeError(`${fn}: scale is ${formatExact(x)}, must be >= 0`);
  if (x.num / x.den > 1_000_000n) throw new RangeError(`${fn}: scale is ${formatExact(x)}, must be at most 10^6`);
  return x;
}

/**
 * The constant e^(−x), x ≥ 0 exact (Canonne, Kamath & Steinke 2020; estimators note §2.5): for x ≤ 1,
 * `r ← true; k ← 1; loop { with probability 1 − x/k return r; r ← ¬r; k ← k + 1 }` — the number of steps K
 * has P(K > k) = x^k/k!, so P(K odd) = e^(−x). For x > 1, ⌊x⌋ copies of e^(−1) and one of the fractional
 * part must all succeed. E[Bernoulli draws] ≤ e per copy. No coin.
 *
 * @param x - exponent x ≥ 0, at most 10^6 (exact rational or number).
 * @param random - randomness.
 * @returns `true` with probability e^(−x).
 * @throws RangeError for negative or non-finite x.
 * @example
 * ```ts
 * expMinusConstant({ numerator: 2, denominator: 3 }, createRandom(1)); // P(true) = e^(-2/3)
 * ```
 */
export function expMinusConstant(x: Rational | number, random: RandomLike): boolean {
  const fn = "expMinusConstant";
  return expRun(undefined, exactScale(x, fn), sourceFor(random, fn, "random"));
}

/**
 * e^(−z·λ) for a λ-coin and an exact scale z ≥ 0 (default 1). For z ≤ 1: at step k = 1, 2, … draw
 * Bernoulli(z/k) and, if it succeeds, flip the coin; K = the first step where either fails; return K odd
 * (P(K > k) = (zλ)^k/k!, the same alternating series as {@link expMinusConstant}). For z > 1, ⌊z⌋ runs
 * with z = 1 and one with the fractional part. E[flips] = (e^(zλ) − 1)/λ per run with z ≤ 1 (→ z at λ = 0),
 * so ≤ e − 1 for z = 1.
 * Also gives the Poisson generating function e^(μ(λ − 1)) = e^(−μ(1 − λ)): pass `() => !coin()` with scale μ.
 * Source: the constant-e^(−x) process of Canonne et al. (2020) with the coin thinning each step
 * (cf. Wästlund 1999 and Occil's exp(−λ·z); estimators note §2.5).
 *
 * @param coin - λ-coin.
 * @param random - randomness.
 * @param options - `scale` z (default 1, at most 10^6) and a `maxFlips` budget.
 * @returns `true` with probability e^(−zλ).
 * @throws RangeError for a negative scale; TypeError when the coin returns a non-boolean.
 * @example
 * ```ts
 * expMinus(coin, createRandom(1)); // P(true) = e^(−λ)
 * ```
 */
export function expMinus(
  coin: Coin,
  random: RandomLike,
  options?: FactoryOptions & { scale?: Rational | number },
): boolean {
  const fn = "expMinus";
  const z = exactScale(options?.scale ?? 1, fn);
  return expRun(guardCoin(coin, fn, "coin", options), z, sourceFor(random, fn, "random"));
}
