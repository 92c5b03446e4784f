// SPDX-License-Identifier: MIT
import type { Distribution } from "./api.js";
import { checkDistribution, describe } from "./validate.js";

/**
 * The exact Brier score of a categorical distribution P for the outcome y, in CALM's orientation (higher is
 * better): `Brier(P, y) = 2 P(y) - sum_x P(x)^2` (CALM paper, section 4.2, Eq. 12). It equals
 * 1 - the textbook Brier score sum_x (P(x) - 1[x = y])^2, lies in [-1, 1] and is strictly proper:
 * E_{y~Q} Brier(P, y) = sum Q^2 - sum (P - Q)^2.
 *
 * @param probs - P as an array-like of probabilities (entries in [0, 1], sum 1 within `tolerance`).
 * @param y - the observed outcome, an integer index into `probs`.
 * @param tolerance - allowed |sum(P) - 1|, default 1e-6.
 * @throws RangeError or TypeError naming the argument, e.g. `brierScore: probs[2] is -0.1, must be a number in [0, 1]`.
 * @example
 * ```ts
 * brierScore([0.5, 0.25, 0.125, 0.125], 0); // 21/32
 * ```
 */
export function brierScore(probs: Distribution, y: number, tolerance = 1e-6): number {
  checkDistribution(probs, "brierScore: probs", tolerance);
  if (!Number.isInteger(y) || y < 0 || y >= probs.length) {
    throw new RangeError(`brierScore: y is ${describe(y)}, must be an integer in [0, ${probs.length - 1}]`);
  }
  return 2 * probs[y] - sumOfSquares(probs);
}

/**
 * sum_x P(x)^2: the probability that two independent draws from P collide (the collision term of Brier).
 *
 * @example
 * ```ts
 * sumOfSquares([0.5, 0.5]); // 0.5
 * ```
 */
export function sumOfSquares(probs: Distribution): number {
  let s = 0;
  for (let i = 0; i < probs.length; i++) s += probs[i] * probs[i];
  return s;
}
