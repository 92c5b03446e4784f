// SPDX-License-Identifier: MIT

/**
 * A source of uniform floats in [0, 1), like `Math.random` but seeded and passed explicitly.
 *
 * @example
 * ```ts
 * const random: Random = createRandom(42);
 * random(); // 0 <= u < 1
 * ```
 */
export type Random = () => number;

/** A value or a promise of it: models may be synchronous (an in-process n-gram) or asynchronous (an HTTP server). */
export type MaybePromise<T> = T | PromiseLike<T>;

/**
 * The next-token distribution of a model: entry `v` is P(v | context), every entry in [0, 1], summing to 1
 * (within the scorer's tolerance). Any array-like of numbers works (plain array, Float64Array, Float32Array).
 */
export type Distribution = ArrayLike<number>;

/**
 * A language model that can sample continuations: the only thing BrierLM needs (CALM paper, section 4.2).
 *
 * `sample(context, length, random)` returns `length` token ids drawn autoregressively from the model at
 * temperature 1 given `context` (token ids, oldest first). For a chunk model (CALM with K tokens per step)
 * `length` never exceeds `maxN`, so K >= maxN needs one generation step.
 *
 * `sampleN`, when present, returns `count` independent continuations at once (the `n` parameter of an
 * OpenAI-compatible server); the scorer then asks for both samples of a position in one call.
 *
 * @example
 * ```ts
 * const model: SamplingModel = { sample: (context, length, random) => Array.from({ length }, () => Math.floor(random() * 4)) };
 * ```
 */
export interface SamplingModel {
  /** The model's context window in tokens, when it has one: the scorer passes at most this many preceding tokens (saves copying long prefixes). */
  readonly contextLength?: number;
  sample(context: readonly number[], length: number, random: Random): MaybePromise<ArrayLike<number>>;
  sampleN?(context: readonly number[], length: number, count: number, random: Random): MaybePromise<ArrayLike<ArrayLike<number>>>;
}

/**
 * A language model that exposes its next-token distribution P(. | context) (a conventional Transformer,
 * an n-gram model). With it, the scorer computes the accuracy terms of Brier-n exactly and uses the
 * variance-reduced collision estimator of the reference implementation (`train_ar.py`).
 *
 * @example
 * ```ts
 * const uniform: ProbabilityModel = { nextTokenProbs: () => [0.25, 0.25, 0.25, 0.25] };
 * ```
 */
export interface ProbabilityModel {
  /** The model's context window in tokens, when it has one: the scorer passes at most this many preceding tokens. */
  readonly contextLength?: number;
  nextTokenProbs(context: readonly number[]): MaybePromise<Distribution>;
}

/**
 * Anything `brierLM` can score: a sampler, a probability model, or both (then probabilities are used unless
 * `mode: "sample"` is asked for).
 */
export type LanguageModel =
  | (SamplingModel & Partial<ProbabilityModel>)
  | (ProbabilityModel & Partial<SamplingModel>);

/**
 * How Brier-n is estimated at each scored position.
 *
 * - `"sample"`: the two-sample estimator 1[x1 = y] + 1[x2 = y] - 1[x1 = x2] on n-grams, from two independent
 *   continuations (CALM's `eval_brier`, K >= 4 branch). Needs `sample`.
 * - `"probs"`: exact accuracy 2 * prod_k P(y_k | prefix, y_<k), collision
 *   1[two sampled streams agree on n-1 tokens] * sum_v P(v | sampled prefix)^2 (the reference's estimator for
 *   conventional Transformers). Unbiased, lower variance; Brier-1 is exact. Needs `nextTokenProbs`.
 * - `"exact"`: exact accuracy and the exact collision mass C_n = sum over all n-grams s of P(s)^2 by the recursion
 *   C_m(h) = sum_v P(v|h)^2 C_{m-1}(h v). No randomness; costs up to V^(maxN-1) calls to `nextTokenProbs` per
 *   position, so only for small vocabularies or short horizons.
 * - `"auto"` (default): `"probs"` when `nextTokenProbs` exists, else `"sample"`.
 */
export type BrierMode = "auto" | "sample" | "probs" | "exact";

/**
 * Which start positions t of the token sequence are scored: the n-gram y = tokens[t .. t+n) is predicted from
 * tokens[.. t). Positions whose maxN-gram runs past the end are not scored (as in the reference code).
 *
 * - `"all"` (default): every t from 1 (at least one context token) to `tokens.length - maxN`.
 * - `{ stride, offset }`: t = offset, offset + stride, … (offset defaults to `stride`).
 * - `{ chunkSize: K }`: chunk boundaries K, 2K, … (CALM scores only n-grams starting a chunk, reference code
 *   section 6.2; the first chunk has no context).
 * - an explicit list of start indices.
 */
export type PositionSpec = "all" | { stride: number; offset?: number } | { chunkSize: number } | readonly number[];

/** Options of {@link brierLM}. Every field is optional. */
export interface BrierLMOptions {
  /** Largest n-gram length N; BrierLM is the geometric mean of Brier-1..N. Integer >= 1, default 4 (the paper). */
  maxN?: number;
  /**
   * The model sees at most this many preceding tokens (reference plus sampled). Integer >= 1. Default: the
   * model's own `contextLength` when it declares one, else the whole prefix (the smaller of the two when both are set).
   * Contexts are copied for every model call, so leaving both unset costs time quadratic in the sequence length:
   * set it to the model's window (e.g. 2048, as the reference evaluates Transformers) for long sequences.
   */
  contextLength?: number;
  /** Which start positions are scored. Default `"all"`. */
  positions?: PositionSpec;
  /** Estimator, see {@link BrierMode}. Default `"auto"`. */
  mode?: BrierMode;
  /** Seed of the scorer's generator (sfc32). Position t draws from its own stream derived from (seed, t), so results do not depend on `concurrency` or on resuming. Default 0. */
  seed?: number;
  /** Alternative to `seed`: one 32-bit seed is drawn from it, then positions are seeded as with `seed`. */
  random?: Random;
  /** Positions scored at the same time (for asynchronous models such as servers). Integer >= 1, default 1. */
  concurrency?: number;
  /** Allowed |sum(P) - 1| for distributions returned by `nextTokenProbs`. Default 1e-6. */
  tolerance?: number;
  /** A previous (partial) result: its positions are not scored again and its estimates are reused. */
  resume?: BrierLMResult;
  /** Called after each scored position with (scored, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The result of {@link brierLM}.
 *
 * `brierN[n-1]` is the mean Brier-n over the scored positions (in [-1, 1]; higher is better),
 * `standardError[n-1]` its standard error (sample standard deviation / sqrt(count); positions are treated as
 * independent, which overlapping n-grams are not exactly).
 * `brierLM = 100 * (prod_n brierN[n-1])^(1/maxN)` (paper Eq. 15); it is `NaN` with `undefinedReason` set when
 * a Brier-n mean is <= 0, where the geometric mean is undefined. `referenceBrierLM` is what the reference code
 * prints (times 100): `100 * max(product, 0)^(1/maxN)`, which hides that case (and lets two negative means
 * give a positive product).
 */
export interface BrierLMResult {
  brierLM: number;
  /** Why `brierLM` is NaN (a Brier-n mean <= 0, or nothing scored); `null` when it is defined. */
  undefinedReason: string | null;
  /** `100 * max(prod brierN, 0)^(1/maxN)`: the reference code's clamped value, for comparison with published numbers. */
  referenceBrierLM: number;
  /** Delta-method standard error of `brierLM` from the covariance of the per-position estimates; NaN when undefined. */
  brierLMStandardError: number;
  brierN: number[];
  standardError: number[];
  /** Start positions scored, in the order of the requested positions. */
  positions: number[];
  /** `estimates[i][n-1]`: the Brier-n estimate at `positions[i]`. */
  estimates: number[][];
  /** Positions requested but not scored (non-empty only on a partial result carried by a {@link BrierLMError}). */
  pending: number[];
  /** The estimator used (after resolving `"auto"`). */
  mode: Exclude<BrierMode, "auto">;
  maxN: number;
}

/**
 * The conditionals one scored position needs, for the probability-based estimators
 * ({@link hybridBrierN}, {@link exactBrierN}).
 *
 * `reference(k)` is P(. | context, y_1..y_k) for k = 0..maxN-1 (teacher forcing on the reference n-gram);
 * `sampled(prefix)` is P(. | context, prefix) for a non-empty prefix of sampled tokens.
 */
export interface Conditionals {
  reference(k: number): MaybePromise<Distribution>;
  sampled(prefix: readonly number[]): MaybePromise<Distribution>;
}
