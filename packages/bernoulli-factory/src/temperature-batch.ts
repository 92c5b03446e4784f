// SPDX-License-Identifier: MIT
import type { BatchMethod, BatchTemperatureOptions, RandomSource, Rational } from "./api.js";
import { chooseRun } from "./discrete.js";
import { keyFor } from "./equality.js";
import { inverseTemperature, positiveInteger } from "./inverse-temperature.js";
import { mendoRun } from "./power.js";
import { describe } from "./rational.js";
import { sourceFromOptions } from "./temperature.js";

const DEFAULT_BATCH_SIZE = 200;

/** C(c, m) exactly (internal). */
function binomial(c: number, m: number): bigint {
  if (m < 0 || c < m) return 0n;
  let r = 1n;
  for (let j = 0; j < m; j++) r = (r * BigInt(c - j)) / BigInt(j + 1);
  return r;
}

/** Paper's Algorithm 2 on counts (internal): m* = min(n, max c), pick ∝ C(c_x, m*). */
function choosePaper(counts: readonly number[], n: number, source: RandomSource): number {
  const m = Math.min(n, Math.max(...counts));
  return chooseRun(counts.map((c) => binomial(c, m)), source);
}

/**
 * Plug-in method on counts (internal): index x with probability c_x^(n+α) / Σ c_z^(n+α), exactly.
 * Bernoulli race: pick x ∝ c_x^n (exact integers), accept with probability (c_x / c_max)^α (Mendo on the
 * coin Bernoulli(c_x/c_max)), else repeat. P(accept) ≥ (c_min/c_max)^α ≥ N^(−α), so at most N expected rounds.
 */
function choosePlugIn(counts: readonly number[], n: number, alphaNum: bigint, alphaDen: bigint, source: RandomSource): number {
  const big = counts.map((c) => BigInt(c) ** BigInt(n));
  if (alphaNum === 0n) return chooseRun(big, source);
  const cmax = Math.max(...counts);
  for (;;) {
    const i = chooseRun(big, source);
    const c = counts[i]!;
    if (c === cmax || mendoRun(() => source.bernoulli(c, cmax), alphaNum, alphaDen, source)) return i;
  }
}

/**
 * Batch approximation of temperature sampling (CALM paper §5.2, Algorithm 2; Theorem 3): draw N samples,
 * count each distinct outcome (c_x), and return x with probability ∝ C(c_x, m*), m* = min(n, max_x c_x) —
 * the fallback cascade m = n, n − 1, …, 1 of the paper stops at the first m reached by some count.
 * C(c_x, n)/C(N, n) is the unbiased U-statistic for P(x)^n, but normalising by the random total makes the
 * output law biased for every finite N (O(1/N); e.g. P = (.5,.3,.2), T = 1/2: total variation 0.158 at
 * N = 1, 0.040 at N = 10, 0.0027 at N = 200); it converges to P^(1/T)/Z_T as N → ∞. Exactly N sampler
 * calls, no loop. Use {@link batchTemperatureLaw} to compute the exact output law for a given P and N.
 *
 * `method: "plug-in"` (an extension, not in the paper) accepts any T ∈ (0, 1]: it returns x with
 * probability exactly c_x^(1/T) / Σ_z c_z^(1/T), i.e. exact temperature sampling of the batch's empirical
 * distribution (a Bernoulli race: x ∝ c_x^n, accepted with probability (c_x/c_max)^α by Mendo's factory).
 * It is consistent as N → ∞ and biased for finite N (no fixed-size batch can be unbiased for a fractional
 * power; estimators note §3.7); its bias is usually larger than the paper's at T = 1/n.
 *
 * T = 1 returns one draw. Draws are grouped by value (arrays of token ids element-wise) or `options.key`;
 * the returned draw is the first of its group.
 *
 * @param sample - draws from P.
 * @param temperature - T ∈ (0, 1]; with the default method 1/T must be an integer.
 * @param options - `batchSize` N (default 200), `random` or `seed` (required for T < 1), `key`, `method`.
 * @returns one draw.
 * @throws RangeError for a bad temperature, a non-integer 1/T with `method: "paper"`, or batchSize < 1;
 *   TypeError when randomness is missing or `equals` is given (grouping needs `key`).
 * @example
 * ```ts
 * const random = createRandom(3);
 * const sample = () => (random() < 0.5 ? "a" : random() < 0.6 ? "b" : "c");
 * sampleAtTemperatureBatch(sample, { numerator: 1, denominator: 2 }, { batchSize: 100, random });
 * ```
 */
export function sampleAtTemperatureBatch<T>(
  sample: () => T,
  temperature: Rational | number,
  options?: BatchTemperatureOptions<T>,
): T {
  const fn = "sampleAtTemperatureBatch";
  const inv = inverseTemperature(temperature, fn);
  const batchSize = positiveInteger(options?.batchSize ?? DEFAULT_BATCH_SIZE, fn, "options.batchSize");
  const method: BatchMethod = options?.method ?? "paper";
  if (method !== "paper" && method !== "plug-in") {
    throw new RangeError(`${fn}: options.method is ${describe(method)}, must be "paper" or "plug-in"`);
  }
  if (typeof sample !== "function") throw new TypeError(`${fn}: sample is ${describe(sample)}, must be a function`);
  const key = keyFor(options, fn);
  const fractional = inv.alpha.num > 0n;
  if (fractional && method === "paper") {
    throw new RangeError(
      `${fn}: temperature is ${inv.label}, 1/T = ${inv.n} + ${inv.alpha.num}/${inv.alpha.den} is not an integer; ` +
        `the paper's batch method needs T = 1/n (use method "plug-in", or the exact sampleAtTemperature)`,
    );
  }
  if (inv.n === 1 && !fractional) return sample();
  const source = sourceFromOptions(options, fn, `the batch method picks among candidates at T = ${inv.label}`, true);
  const groups = new Map<string, { value: T; count: number }>();
  for (let i = 0; i < batchSize; i++) {
    const x = sample();
    const k = key(x);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { value: x, count: 1 });
    else g.count += 1;
  }
  const list = [...groups.values()];
  const counts = list.map((g) => g.count);
  const index =
    method === "paper"
      ? choosePaper(counts, inv.n, source)
      : choosePlugIn(counts, inv.n, inv.alpha.num, inv.alpha.den, source);
  return list[index]!.value;
}
