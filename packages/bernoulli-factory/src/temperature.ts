// SPDX-License-Identifier: MIT
import type { ExactTemperatureOptions, RandomSource, Rational, TemperatureAttempt, TemperatureOptions } from "./api.js";
import { equalityFor } from "./equality.js";
import { BudgetExceededError } from "./errors.js";
import { type InverseTemperature, inverseTemperature, positiveInteger } from "./inverse-temperature.js";
import { integerPowerRun, mendoRun } from "./power.js";
import { describe } from "./rational.js";
import { createRandom, sourceFor } from "./random.js";

const DEFAULT_MAX_DRAWS = 1_000_000;

function fractionalWhy(inv: InverseTemperature): string {
  return `1/T = ${inv.n} + ${inv.alpha.num}/${inv.alpha.den} has a fractional part, stage 2 makes random decisions`;
}

/** Randomness from `options.random` / `options.seed`, or a source that refuses to be used (internal). */
export function sourceFromOptions<T>(
  options: TemperatureOptions<T> | undefined,
  fn: string,
  why: string,
  required = false,
): RandomSource {
  if (options?.random !== undefined) return sourceFor(options.random, fn, "options.random");
  if (options?.seed !== undefined) return sourceFor(createRandom(options.seed), fn, "options.seed");
  const refuse = (): never => {
    throw new TypeError(`${fn}: options.random or options.seed is required (${why})`);
  };
  if (required) refuse();
  return { bit: refuse, bernoulli: refuse };
}

/**
 * One attempt of Algorithm 1 (internal): propose x* with one draw, then accept with probability
 * P(x*)^(1/T − 1) by flipping the coin "next draw equals x*": n − 1 plain flips (stage 1), then Mendo with
 * exponent α (stage 2). P(accept with x) = P(x)·P(x)^(n−1)·P(x)^α = P(x)^(1/T). Stopping stage 1 at the
 * first mismatch changes the cost, not the law.
 */
function attemptRun<T>(
  draw: () => T,
  equals: (a: T, b: T) => boolean,
  n: number,
  alphaNum: bigint,
  alphaDen: bigint,
  source: RandomSource,
  earlyRejection = true,
): { accepted: true; value: T } | { accepted: false } {
  const candidate = draw();
  const coin = (): boolean => equals(draw(), candidate);
  if (earlyRejection) {
    if (!integerPowerRun(coin, n - 1)) return { accepted: false };
  } else {
    let all = true;
    for (let j = 1; j < n; j++) all = coin() && all; // draw all n − 1, then decide
    if (!all) return { accepted: false };
  }
  if (alphaNum > 0n && !mendoRun(coin, alphaNum, alphaDen, source)) return { accepted: false };
  return { accepted: true, value: candidate };
}

/**
 * Validates the arguments of the exact sampler and returns its attempts (internal): each `attempt()` is one
 * pass of Algorithm 1; `draws()` counts sampler calls against one `maxDraws` budget shared by all attempts.
 */
function exactAttempts<T>(
  sample: () => T,
  temperature: Rational | number,
  options: ExactTemperatureOptions<T> | undefined,
  fn: string,
): { attempt: () => { accepted: true; value: T } | { accepted: false }; draws: () => number } {
  const inv = inverseTemperature(temperature, fn);
  const maxDraws = positiveInteger(options?.maxDraws ?? DEFAULT_MAX_DRAWS, fn, "options.maxDraws");
  const equals = equalityFor(options, fn);
  const source = sourceFromOptions(options, fn, fractionalWhy(inv), inv.alpha.num > 0n);
  const earlyRejection = options?.earlyRejection ?? true;
  if (typeof sample !== "function") {
    throw new TypeError(`${fn}: sample is ${describe(sample)}, must be a function () => draw`);
  }
  let draws = 0;
  const draw = (): T => {
    if (draws >= maxDraws) {
      throw new BudgetExceededError(
        `${fn}: no sample accepted after ${draws} sampler draws (options.maxDraws = ${maxDraws}) at T = ${inv.label}; ` +
          `exact temperature sampling costs about (n + Σ_x P(x)^(1/T−1))/Σ_x P(x)^(1/T) draws, which explodes ` +
          `as T -> 1 on large sample spaces and as T -> 0 on flat distributions (consider sampleAtTemperatureBatch)`,
        draws,
        "draws",
      );
    }
    draws += 1;
    return sample();
  };
  return {
    attempt: () => attemptRun(draw, equals, inv.n, inv.alpha.num, inv.alpha.den, source, earlyRejection),
    draws: () => draws,
  };
}

/**
 * One attempt of the exact temperature sampler (CALM paper, Algorithm 1; one pass of its outer loop):
 * draw x* ~ P; stage 1 draws n − 1 more and fails unless all equal x*; stage 2 (α > 0) draws until one
 * equals x*, failing after the i-th non-matching draw with probability α/i (Mendo's factory for
 * P(x*)^α). Succeeds with x with probability exactly P(x)^(1/T); succeeds at all with Z_T = Σ_x P(x)^(1/T).
 * Expected draws per attempt: Σ_x P(x)·(1 + (1 − P(x)^(n−1))/(1 − P(x)) + [α > 0]·P(x)^(n−1)·P(x)^(α−1)).
 * Useful to interleave attempts with other work, or to run them in parallel.
 *
 * @param sample - draws from P (any sampler: a CALM head, an API model, a simulator).
 * @param temperature - T ∈ (0, 1]; see {@link sampleAtTemperature}.
 * @param options - randomness (`random` or `seed`, needed when α > 0), equality (`key`/`equals`),
 *   `maxDraws` for this attempt (default 1 000 000).
 * @returns `{ accepted: true, value, draws }` or `{ accepted: false, draws }`.
 * @throws RangeError for a bad temperature; {@link BudgetExceededError} when `maxDraws` runs out.
 * @example
 * ```ts
 * const random = createRandom(1);
 * const sample = () => (random() < 0.7 ? "a" : "b");
 * const r = attemptAtTemperature(sample, { numerator: 2, denominator: 3 }, { random });
 * if (r.accepted) console.log(r.value);
 * ```
 */
export function attemptAtTemperature<T>(
  sample: () => T,
  temperature: Rational | number,
  options?: ExactTemperatureOptions<T>,
): TemperatureAttempt<T> {
  const { attempt, draws } = exactAttempts(sample, temperature, options, "attemptAtTemperature");
  const r = attempt();
  return r.accepted ? { accepted: true, value: r.value, draws: draws() } : { accepted: false, draws: draws() };
}

/**
 * Exact temperature sampling from any sampler (CALM paper §5.1, Algorithm 1, Theorem 1): returns a draw
 * with law P(x)^(1/T) / Z_T, Z_T = Σ_x P(x)^(1/T), using only calls to `sample` (no probabilities, no logits).
 * Write 1/T = n + α, n = ⌊1/T⌋, α ∈ [0, 1). Repeat {@link attemptAtTemperature} until one succeeds:
 * stage 1 needs n equal draws; stage 2 (α > 0) is Mendo's (2019) Bernoulli factory for P(x*)^α on the
 * coin "a fresh draw equals x*".
 *
 * Cost (Theorem 2): E[sampler calls] = (n + [α > 0]·Σ_x P(x)^(1/T − 1)) / Z_T for the algorithm as written;
 * this implementation stops stage 1 at the first mismatch (`earlyRejection`, default), which costs
 * (Σ_x P(x)·(1 + (1 − P(x)^(n−1))/(1 − P(x))) + [α > 0]·Σ_x P(x)^(1/T − 1)) / Z_T — the same for n ≤ 2, less for n ≥ 3
 * (see {@link expectedSamplerCalls}). Theorem 2's value is ≤ (1 + n)/Z_T for T ≤ 1/2 but can be of the order of the support size as T → 1, and grows like
 * |X|^(1/T − 1) on flat distributions as T → 0.
 *
 * Temperatures: pass an exact rational `{ numerator, denominator }` so that 1/T is exact. A number T is
 * accepted: if 1/T is within a relative 1e−9 of an integer it is snapped (CALM's `isclose`); else if 1/T is
 * within a relative 1e−12 of a fraction with denominator ≤ 10^6 it is read as that fraction (0.4 → 5/2);
 * otherwise T is used at its exact binary value. T = 1 returns one draw.
 *
 * @param sample - draws from P. Draws are compared by value (arrays of token ids element-wise), or by
 *   `options.key` / `options.equals`.
 * @param temperature - T ∈ (0, 1].
 * @param options - `random` or `seed` (required when α > 0), `key`/`equals`, `maxDraws` (default 1 000 000),
 *   `earlyRejection` (default true).
 * @returns one draw from P^(1/T)/Z_T.
 * @throws RangeError when T is not finite, ≤ 0 or > 1, or `maxDraws` < 1; TypeError when randomness is
 *   needed but missing; {@link BudgetExceededError} (with the number of draws spent) when `maxDraws` runs out.
 * @example
 * ```ts
 * const random = createRandom(7);
 * const sample = () => [random() < 0.6 ? 1 : 2, 3]; // a 2-token chunk
 * const x = sampleAtTemperature(sample, { numerator: 1, denominator: 2 }, { random }); // P^2 / Z
 * ```
 */
export function sampleAtTemperature<T>(
  sample: () => T,
  temperature: Rational | number,
  options?: ExactTemperatureOptions<T>,
): T {
  const { attempt } = exactAttempts(sample, temperature, options, "sampleAtTemperature");
  for (;;) {
    const r = attempt();
    if (r.accepted) return r.value;
  }
}
