// SPDX-License-Identifier: MIT
/**
 * Public types of `@calm/bernoulli-factory`.
 *
 * A Bernoulli factory turns flips of a coin with unknown heads probability λ into flips of a coin with
 * heads probability f(λ), using only the coin and extra randomness whose law is known (fair bits and
 * Bernoulli(a/b) draws with exact rational a/b). Keane & O'Brien (1994); Mendo (2019); CALM paper §5.
 *
 * @packageDocumentation
 */

/**
 * A coin with unknown heads probability λ ∈ [0, 1]: each call is one independent flip, `true` = heads.
 *
 * @example
 * ```ts
 * const random = createRandom(1);
 * const coin: Coin = () => random() < 0.3; // λ = 0.3 (up to float rounding of 0.3)
 * ```
 */
export type Coin = () => boolean;

/**
 * A uniform source on [0, 1). Each call must return an independent draw whose top 32 bits are uniformly
 * random: the library reads `floor(u · 2^32)` and consumes its bits one at a time, most significant first.
 * `Math.random` qualifies statistically but is not seedable; prefer {@link createRandom}.
 *
 * @example
 * ```ts
 * const random: UniformRandom = createRandom(42);
 * ```
 */
export type UniformRandom = () => number;

/**
 * The injectable randomness interface every algorithm of this package draws its extra randomness
 * through. Only two kinds of request exist, both with a known, exact law, which is what lets a
 * probability-tree evaluator enumerate every branch (see the `@calm/bernoulli-factory/testing` entry).
 *
 * @example
 * ```ts
 * const source: RandomSource = randomSource(createRandom(7));
 * source.bernoulli(1, 3); // true with probability exactly 1/3
 * ```
 */
export interface RandomSource {
  /** One fair bit: `true` with probability exactly 1/2. */
  bit(): boolean;
  /**
   * `true` with probability exactly `numerator / denominator`.
   * @param numerator - integer in [0, denominator] (number or bigint)
   * @param denominator - integer ≥ 1 (number or bigint)
   */
  bernoulli(numerator: number | bigint, denominator: number | bigint): boolean;
}

/**
 * Where randomness comes from: a uniform source on [0, 1) (wrapped by {@link randomSource}) or a
 * {@link RandomSource} used as is.
 *
 * @example
 * ```ts
 * const r: RandomLike = createRandom(3);
 * ```
 */
export type RandomLike = UniformRandom | RandomSource;

/**
 * An exact rational number `numerator / denominator` with integer parts (safe-integer numbers or
 * bigints). Used for exponents and temperatures so that 1/T is exact: `{ numerator: 1, denominator: 49 }`
 * has inverse exactly 49, whereas `1 / (1 / 49)` is `49.00000000000001` in floating point.
 *
 * @example
 * ```ts
 * const T: Rational = { numerator: 2, denominator: 5 }; // T = 0.4, 1/T = 5/2 exactly
 * ```
 */
export interface Rational {
  /** Integer numerator (sign of the number). */
  numerator: number | bigint;
  /** Integer denominator, non-zero. */
  denominator: number | bigint;
}

/**
 * Options of the coin-based factories.
 *
 * @example
 * ```ts
 * power(coin, { numerator: 1, denominator: 2 }, random, { maxFlips: 1_000_000 });
 * ```
 */
export interface FactoryOptions {
  /**
   * Largest number of coin flips one call may use (default: unlimited). Mendo's power factory has
   * infinite expected running time at λ = 0; a budget turns that into a {@link BudgetExceededError}.
   */
  maxFlips?: number;
}

/**
 * Options shared by the temperature samplers.
 *
 * @example
 * ```ts
 * const opts: TemperatureOptions<number[]> = { random: createRandom(1), maxDraws: 100_000 };
 * ```
 */
export interface TemperatureOptions<T> {
  /** Randomness for the algorithm's own decisions (not the sampler's). */
  random?: RandomLike;
  /** Seed for a fresh {@link createRandom} generator, used when `random` is absent. */
  seed?: number;
  /**
   * Identity of a draw: two draws are equal when their keys are equal (by value, as for draws).
   * Without `key` or `equals`, draws compare by value: primitives with `Object.is`, arrays and typed
   * arrays element-wise (recursively); other objects by identity.
   */
  key?: (draw: T) => unknown;
  /** Equality of two draws, overriding `key` and the default value equality. */
  equals?: (a: T, b: T) => boolean;
}

/**
 * Options of {@link sampleAtTemperature}.
 *
 * @example
 * ```ts
 * sampleAtTemperature(sample, { numerator: 1, denominator: 2 }, { seed: 1, maxDraws: 10_000 });
 * ```
 */
export interface ExactTemperatureOptions<T> extends TemperatureOptions<T> {
  /** Largest number of sampler calls before {@link BudgetExceededError} (default 1 000 000). */
  maxDraws?: number;
  /**
   * Stop stage 1 at the first draw that differs from the candidate (default `true`). Same output law,
   * never more draws. `false` draws all n stage-1 samples before comparing, as Algorithm 1 is written,
   * so that the cost is exactly the paper's Theorem 2 (which differs from the default only when n ≥ 3).
   */
  earlyRejection?: boolean;
}

/**
 * Options of {@link sampleAtTemperatureBatch}.
 *
 * @example
 * ```ts
 * sampleAtTemperatureBatch(sample, { numerator: 1, denominator: 2 }, { batchSize: 200, seed: 1 });
 * ```
 */
export interface BatchTemperatureOptions<T> extends TemperatureOptions<T> {
  /** Batch size N ≥ 1: the number of sampler calls (default 200, as in CALM's released code). */
  batchSize?: number;
  /**
   * `"paper"` (default): Algorithm 2 of the CALM paper, requires 1/T to be an integer n.
   * `"plug-in"`: any T ∈ (0, 1]; returns x with probability exactly c_x^(1/T) / Σ_z c_z^(1/T), i.e. exact
   * temperature sampling of the batch's empirical distribution (consistent as N → ∞, biased for finite N).
   */
  method?: BatchMethod;
}

/**
 * Which batch approximation {@link sampleAtTemperatureBatch} runs.
 *
 * @example
 * ```ts
 * const m: BatchMethod = "plug-in";
 * ```
 */
export type BatchMethod = "paper" | "plug-in";

/**
 * Result of one attempt of Algorithm 1 ({@link attemptAtTemperature}).
 *
 * @example
 * ```ts
 * const r: TemperatureAttempt<string> = { accepted: true, value: "a", draws: 3 };
 * ```
 */
export type TemperatureAttempt<T> =
  | { accepted: true; value: T; draws: number }
  | { accepted: false; draws: number };
