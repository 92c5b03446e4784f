// SPDX-License-Identifier: MIT

import type { CausalMask } from "../backend/kernels.js";
import { needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { mul, sub } from "./binary.js";
import { sum } from "./reduce.js";
import { exp } from "./unary.js";
import { floatArg, fmt, normAxis } from "./validate.js";

function lastAxis(x: Tensor, axis: number, op: string): void {
  if (x.rank === 0) throw new RangeError(`${op}: x must have rank ≥ 1, got a scalar`);
  if (normAxis(axis, x.rank, op) !== x.rank - 1) {
    throw new RangeError(`${op}: only the last axis is supported (got axis ${axis} for x ${fmt(x.shape)}); permute first`);
  }
}

/** Softmax with an optional causal mask (used by causalAttention). @internal */
export function maskedSoftmax(x: Tensor, causal: CausalMask | null, op: string): Tensor {
  const cols = x.shape[x.rank - 1];
  const rows = x.size / Math.max(cols, 1);
  const y = runKernel(op, "Softmax", { x }, { rows, cols, causal }, x.shape, "float32");
  // dx = y ⊙ (dy − Σ_j dy_j y_j); masked entries have y = 0 and so get no gradient.
  if (needsGrad(x)) record(op, y, [x], (dy) => [mul(y, sub(dy, sum(mul(dy, y), -1, true)))]);
  return y;
}

/**
 * Softmax over the last axis: softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x), each row sums to 1.
 * Gradient y ⊙ (dy − Σ dy ⊙ y).
 *
 * @param axis - must be the last axis (default −1).
 * @throws RangeError for another axis or a scalar; TypeError for non-float32; Error if disposed.
 * @example
 * ```ts
 * softmax(tensor([[0, 0]])); // [[0.5, 0.5]]
 * ```
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  const t = floatArg(x, "softmax", "x");
  lastAxis(t, axis, "softmax");
  return maskedSoftmax(t, null, "softmax");
}

/**
 * Log-softmax over the last axis: x_i − max x − log Σ_j exp(x_j − max x) (never takes log of a rounded
 * probability). Gradient dy − softmax(x)·Σ dy.
 *
 * @param axis - must be the last axis (default −1).
 * @throws RangeError for another axis or a scalar; TypeError for non-float32; Error if disposed.
 * @example
 * ```ts
 * logSoftmax(tensor([[0, 0]])); // [[-0.693, -0.693]]
 * ```
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const t = floatArg(x, "logSoftmax", "x");
  lastAxis(t, axis, "logSoftmax");
  const cols = t.shape[t.rank - 1];
  const rows = t.size / Math.max(cols, 1);
  const y = runKernel("logSoftmax", "LogSoftmax", { x: t }, { rows, cols, causal: null }, t.shape, "float32");
  if (needsGrad(t)) record("logSoftmax", y, [t], (dy) => [sub(dy, mul(exp(y), sum(dy, -1, true)))]);
  return y;
}
