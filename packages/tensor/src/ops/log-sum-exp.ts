// SPDX-License-Identifier: MIT

import type { Tensor } from "../tensor.js";
import { add, sub } from "./binary.js";
import { max, sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { stopGradient } from "./stop-gradient.js";
import { exp, log } from "./unary.js";
import { floatArg, normAxis } from "./validate.js";

/**
 * log Σ exp(x) along one axis, computed as m + log Σ exp(x − m) with m the (gradient-stopped) maximum, so
 * large inputs do not overflow. Gradient: softmax(x) along the axis.
 *
 * @param axis - default −1.
 * @throws RangeError for an axis out of range; TypeError for non-float32 x; Error if disposed.
 * @example
 * ```ts
 * logSumExp(tensor([[0, 0]])); // [ln 2]
 * ```
 */
export function logSumExp(x: Tensor, axis = -1, keepDims = false): Tensor {
  const t = floatArg(x, "logSumExp", "x");
  const a = normAxis(axis, t.rank, "logSumExp");
  const m = stopGradient(max(t, a, true));
  const out = add(log(sum(exp(sub(t, m)), a, true)), m);
  return keepDims ? out : reshape(out, t.shape.filter((_, i) => i !== a));
}
