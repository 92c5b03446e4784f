// SPDX-License-Identifier: MIT
import { describe } from "./validate.js";

type Outcome = number | ArrayLike<number>;

function same(a: Outcome, b: Outcome, fn: string): boolean {
  if (typeof a === "number" || typeof b === "number") {
    if (typeof a !== typeof b) throw new TypeError(`${fn}: cannot compare a token with an n-gram (${describe(a)} vs ${describe(b)})`);
    return a === b;
  }
  if (a.length !== b.length) throw new RangeError(`${fn}: n-grams differ in length (${a.length} vs ${b.length})`);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The unbiased two-sample Brier estimate `1[x1 = y] + 1[x2 = y] - 1[x1 = x2]` (CALM paper, section 4.2,
 * Eq. 13): with x1, x2 drawn independently from P its mean is exactly Brier(P, y) = 2P(y) - sum P^2, without
 * knowing P. Outcomes are tokens or n-grams; n-grams are compared element-wise as one atomic outcome
 * (Brier-n, Eq. 14). The value is in {-1, 0, 1}.
 *
 * @param y - the reference outcome (a token id or an n-gram).
 * @param x1 - first model sample, same kind and length as `y`.
 * @param x2 - second, independent model sample.
 * @throws TypeError or RangeError when a token is compared with an n-gram or n-gram lengths differ.
 * @example
 * ```ts
 * brierEstimate(3, 3, 5); // 1 + 0 - 0 = 1
 * brierEstimate([1, 2], [1, 0], [1, 0]); // 0 + 0 - 1 = -1
 * ```
 */
export function brierEstimate(y: Outcome, x1: Outcome, x2: Outcome): -1 | 0 | 1 {
  const fn = "brierEstimate";
  const v = Number(same(x1, y, fn)) + Number(same(x2, y, fn)) - Number(same(x1, x2, fn));
  return v as -1 | 0 | 1;
}

/**
 * Brier-1..maxN two-sample estimates from one pair of continuations, in one pass: entry n-1 is
 * brierEstimate(y[0..n), x1[0..n), x2[0..n)), computed with running products of the token equalities
 * (as CALM's `eval_brier` does with cumulative products).
 *
 * @param y - reference continuation, at least `maxN` tokens.
 * @param x1 - first sampled continuation, at least `maxN` tokens.
 * @param x2 - second, independent sampled continuation.
 * @returns `maxN` values in {-1, 0, 1}.
 * @example
 * ```ts
 * brierEstimatesByN([1, 2, 3], [1, 2, 0], [1, 0, 0], 3); // [1, 1, 0]
 * ```
 */
export function brierEstimatesByN(y: ArrayLike<number>, x1: ArrayLike<number>, x2: ArrayLike<number>, maxN: number): number[] {
  const out = new Array<number>(maxN);
  let a1 = 1;
  let a2 = 1;
  let c = 1;
  for (let k = 0; k < maxN; k++) {
    if (x1[k] !== y[k]) a1 = 0;
    if (x2[k] !== y[k]) a2 = 0;
    if (x1[k] !== x2[k]) c = 0;
    out[k] = a1 + a2 - c;
  }
  return out;
}
