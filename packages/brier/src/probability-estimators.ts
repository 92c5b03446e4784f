// SPDX-License-Identifier: MIT
import type { Conditionals, Distribution } from "./api.js";
import { sumOfSquares } from "./brier-score.js";

async function accuracies(cond: Conditionals, y: ArrayLike<number>, maxN: number): Promise<number[]> {
  const acc = new Array<number>(maxN);
  let a = 1;
  for (let k = 0; k < maxN; k++) {
    // Once the reference n-gram has probability 0 every longer one has too: skip the forward passes.
    if (a > 0) a *= (await cond.reference(k))[y[k]];
    acc[k] = a;
  }
  return acc;
}

/**
 * Brier-1..maxN at one position with exact accuracy terms and the Rao-Blackwellised collision estimator of
 * the reference implementation for conventional Transformers (`train_ar.py`; estimators note section 3.2
 * item 4):
 *
 *   estimate_n = 2 prod_{k<n} P(y_k | context, y_<k) - 1[s1_<n = s2_<n] * sum_v P(v | context, s1_<n)^2
 *
 * where s1, s2 are two streams drawn step by step from the same conditional along stream 1, stopped at the
 * first disagreement. Its mean is exactly Brier-n = 2 P(y_1..n) - C_n, C_n = sum_s P(s)^2; Brier-1 has no
 * randomness at all. Calls `cond.sampled` only while the streams agree (at most maxN - 1 times).
 *
 * @param cond - the conditionals at this position (probabilities are not re-validated here).
 * @param y - the reference continuation, at least `maxN` tokens.
 * @param maxN - largest n (integer >= 1).
 * @param draw - draws a token from a distribution (e.g. `(p) => sampleIndex(p, random)`); called twice per
 *   agreeing step, for the two streams.
 * @returns `maxN` estimates, entry n-1 for Brier-n, each in [-1, 2].
 * @example
 * ```ts
 * const p = [0.5, 0.5];
 * await hybridBrierN({ reference: () => p, sampled: () => p }, [0], 1, (q) => sampleIndex(q, createRandom(1))); // [0.5]
 * ```
 */
export async function hybridBrierN(
  cond: Conditionals,
  y: ArrayLike<number>,
  maxN: number,
  draw: (probs: Distribution) => number,
): Promise<number[]> {
  const acc = await accuracies(cond, y, maxN);
  const out = new Array<number>(maxN);
  const prefix: number[] = [];
  let agree = true;
  for (let n = 1; n <= maxN; n++) {
    if (!agree) {
      out[n - 1] = 2 * acc[n - 1];
      continue;
    }
    const p = n === 1 ? await cond.reference(0) : await cond.sampled(prefix);
    out[n - 1] = 2 * acc[n - 1] - sumOfSquares(p);
    if (n < maxN) {
      const s1 = draw(p);
      const s2 = draw(p);
      if (s1 !== s2) agree = false;
      else prefix.push(s1);
    }
  }
  return out;
}

/**
 * Collision masses C_1..C_depth after `prefix`: C_m(h) = sum_v P(v | h)^2 C_{m-1}(h v), C_0 = 1
 * (estimators note section 3.2), i.e. C_m = sum over all m-grams s of P(s | h)^2. Skips zero-probability
 * branches, so it visits every continuation of positive probability up to depth-1 tokens.
 *
 * @example
 * ```ts
 * const p = [0.5, 0.5];
 * await collisionMasses({ reference: () => p, sampled: () => p }, 2); // [0.5, 0.25]
 * ```
 */
export async function collisionMasses(cond: Conditionals, depth: number, prefix: readonly number[] = []): Promise<number[]> {
  const p: Distribution = prefix.length === 0 ? await cond.reference(0) : await cond.sampled(prefix);
  const out = new Array<number>(depth).fill(0);
  out[0] = sumOfSquares(p);
  if (depth > 1) {
    for (let v = 0; v < p.length; v++) {
      const pv = p[v];
      if (!(pv > 0)) continue;
      const sub = await collisionMasses(cond, depth - 1, [...prefix, v]);
      const w = pv * pv;
      for (let m = 1; m < depth; m++) out[m] += w * sub[m - 1];
    }
  }
  return out;
}

/**
 * Exact Brier-1..maxN at one position: `Brier-n = 2 P(y_1..n | context) - C_n` with C_n from
 * {@link collisionMasses} (estimators note section 3.2). Deterministic; costs up to V^(maxN-1) calls to
 * `cond.sampled` for a vocabulary of V tokens, so it is for small vocabularies, short horizons or peaked models.
 *
 * @param cond - the conditionals at this position.
 * @param y - the reference continuation, at least `maxN` tokens.
 * @param maxN - largest n (integer >= 1).
 * @returns `maxN` exact values in [-1, 1].
 * @example
 * ```ts
 * const p = [0.5, 0.25, 0.125, 0.125];
 * await exactBrierN({ reference: () => p, sampled: () => p }, [0], 1); // [21/32]
 * ```
 */
export async function exactBrierN(cond: Conditionals, y: ArrayLike<number>, maxN: number): Promise<number[]> {
  const acc = await accuracies(cond, y, maxN);
  const coll = await collisionMasses(cond, maxN);
  return acc.map((a, k) => 2 * a - coll[k]);
}
