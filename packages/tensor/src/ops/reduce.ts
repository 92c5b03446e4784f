// SPDX-License-Identifier: MIT

import type { Axes } from "../api.js";
import type { Shape } from "../api.js";
import type { ReduceOp } from "../backend/kernels.js";
import { needsGrad, record, runKernel, shareData } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { div, equal, mul } from "./binary.js";
import { broadcastTo, reshape } from "./shape.js";
import { checkTensor, floatArg, fmt, normAxis, sameShape, sizeOf } from "./validate.js";

function normAxes(axes: Axes, rank: number, op: string): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === "number" ? [axes] : axes;
  if (!Array.isArray(list)) throw new TypeError(`${op}: axes must be a number or an array of numbers, got ${typeof axes}`);
  const out = [...new Set(list.map((a) => normAxis(a, rank, op, "axis")))].sort((p, q) => p - q);
  return out;
}

function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Reduces runs of consecutive axes with one kernel call each, last run first. */
function reduceRaw(x: Tensor, axes: readonly number[], op: ReduceOp, name: string): Tensor {
  let cur = x;
  let shape = x.shape.slice();
  let i = axes.length - 1;
  if (axes.length === 0) return shareData(x, x.shape, name);
  while (i >= 0) {
    const end = axes[i];
    let start = end;
    while (i > 0 && axes[i - 1] === start - 1) {
      start--;
      i--;
    }
    i--;
    const outer = sizeOf(shape.slice(0, start));
    const reduce = sizeOf(shape.slice(start, end + 1));
    const inner = sizeOf(shape.slice(end + 1));
    const nextShape = [...shape.slice(0, start), ...shape.slice(end + 1)];
    const next = runKernel(name, "Reduce", { x: cur }, { op, outer, reduce, inner }, nextShape, "float32");
    if (cur !== x) cur.dispose();
    cur = next;
    shape = nextShape;
  }
  return cur;
}

function finish(y: Tensor, x: Tensor, axes: readonly number[], keepDims: boolean, name: string): Tensor {
  if (!keepDims) return y;
  const kept = keptShape(x.shape, axes);
  const out = shareData(y, kept, name);
  y.dispose();
  return out;
}

/**
 * Σ over `axes` (all axes when omitted). Accumulates in float64 on the CPU backend.
 * Gradient: dy broadcast back over the reduced axes.
 *
 * @param x - float32 tensor.
 * @param axes - axis or axes (negative counts from the end); all when undefined.
 * @param keepDims - keep reduced axes with size 1.
 * @throws RangeError for an axis out of range; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]), 1); // [3, 7]
 * ```
 */
export function sum(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const t = floatArg(x, "sum", "x");
  const ax = normAxes(axes, t.rank, "sum");
  const y = finish(reduceRaw(t, ax, "sum", "sum"), t, ax, keepDims, "sum");
  if (needsGrad(t)) {
    const kept = keptShape(t.shape, ax);
    record("sum", y, [t], (dy) => [broadcastTo(reshape(dy, kept), t.shape)]);
  }
  return y;
}

/**
 * Arithmetic mean over `axes` (all when omitted): sum / count.
 *
 * @throws RangeError for an axis out of range; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * mean(tensor([1, 2, 3])); // 2
 * ```
 */
export function mean(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  const t = floatArg(x, "mean", "x");
  const ax = normAxes(axes, t.rank, "mean");
  let count = 1;
  for (const a of ax) count *= t.shape[a];
  return mul(sum(t, ax, keepDims), 1 / count);
}

function extremum(op: "max" | "min", x: Tensor, axes: Axes, keepDims: boolean): Tensor {
  const t = floatArg(x, op, "x");
  const ax = normAxes(axes, t.rank, op);
  for (const a of ax) {
    if (t.shape[a] === 0) throw new RangeError(`${op}: cannot reduce over empty axis ${a} (x: ${fmt(t.shape)})`);
  }
  const y = finish(reduceRaw(t, ax, op, op), t, ax, keepDims, op);
  if (needsGrad(t)) {
    const kept = keptShape(t.shape, ax);
    record(op, y, [t], (dy) => {
      // Ties share the gradient equally (the subgradient PyTorch's amax/amin use).
      const mask = equal(t, reshape(y, kept));
      return [mul(mask, div(reshape(dy, kept), sum(mask, ax, true)))];
    });
  }
  return y;
}

/**
 * Maximum over `axes` (all when omitted). Gradient to the arg-max entries (ties share it equally).
 *
 * @throws RangeError for an axis out of range or empty; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * max(tensor([[1, 5], [7, 2]]), 1); // [5, 7]
 * ```
 */
export function max(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return extremum("max", x, axes, keepDims);
}

/**
 * Minimum over `axes` (all when omitted). Gradient to the arg-min entries (ties share it equally).
 *
 * @throws RangeError for an axis out of range or empty; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * min(tensor([3, 1, 2])); // 1
 * ```
 */
export function min(x: Tensor, axes?: Axes, keepDims = false): Tensor {
  return extremum("min", x, axes, keepDims);
}

/**
 * Index of the maximum along one axis (first one on ties), int32. Not differentiable.
 *
 * @param axis - default −1 (last).
 * @throws RangeError for an axis out of range or empty; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * argMax(tensor([[1, 5], [7, 2]])); // int32 [1, 0]
 * ```
 */
export function argMax(x: Tensor, axis = -1): Tensor {
  const t = floatArg(x, "argMax", "x");
  const a = normAxis(axis, t.rank, "argMax");
  if (t.rank === 0) return runKernel("argMax", "ArgMax", { x: t }, { outer: 1, reduce: 1, inner: 1 }, [], "int32");
  if (t.shape[a] === 0) throw new RangeError(`argMax: cannot reduce over empty axis ${a} (x: ${fmt(t.shape)})`);
  const outShape = [...t.shape.slice(0, a), ...t.shape.slice(a + 1)];
  return runKernel(
    "argMax",
    "ArgMax",
    { x: t },
    { outer: sizeOf(t.shape.slice(0, a)), reduce: t.shape[a], inner: sizeOf(t.shape.slice(a + 1)) },
    outShape,
    "int32",
  );
}

/**
 * Sums `x` down to `shape`, the inverse of broadcasting (`shape` must broadcast to x.shape): leading axes
 * and axes where `shape` has 1 are summed. Used by every broadcasting gradient.
 *
 * @throws RangeError if `shape` does not broadcast to `x.shape`.
 * @example
 * ```ts
 * sumTo(ones([2, 3]), [3]); // [2, 2, 2]
 * ```
 */
export function sumTo(x: Tensor, shape: Shape): Tensor {
  const t = checkTensor(x, "sumTo", "x");
  if (sameShape(t.shape, shape)) return t;
  const lead = t.rank - shape.length;
  if (lead < 0) throw new RangeError(`sumTo: shape ${fmt(shape)} has more axes than x ${fmt(t.shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < t.rank; i++) {
    if (i < lead) axes.push(i);
    else {
      const d = shape[i - lead];
      if (d === 1 && t.shape[i] !== 1) axes.push(i);
      else if (d !== t.shape[i]) throw new RangeError(`sumTo: shape ${fmt(shape)} does not broadcast to x ${fmt(t.shape)}`);
    }
  }
  return reshape(sum(t, axes, true), shape);
}
