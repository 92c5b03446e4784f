// SPDX-License-Identifier: MIT

import type { Shape } from "../api.js";
import { fromValues, needsGrad, record, runKernel, shareData } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { sumTo } from "./reduce.js";
import { broadcastShapes, broadcastStrides, checkTensor, floatArg, fmt, normAxis, sameShape, sizeOf } from "./validate.js";

/**
 * Same data under a new shape (no copy). One entry may be −1 (inferred). Gradient: reshape back.
 *
 * @throws RangeError if the sizes differ or the shape is malformed; Error if disposed.
 * @example
 * ```ts
 * reshape(arange(0, 6, "float32"), [2, -1]); // shape [2, 3]
 * ```
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const t = checkTensor(x, "reshape", "x");
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array, got ${typeof shape}`);
  let infer = -1;
  let known = 1;
  const s = shape.slice();
  for (let i = 0; i < s.length; i++) {
    if (s[i] === -1 && infer < 0) infer = i;
    else if (!Number.isInteger(s[i]) || s[i] < 0) {
      throw new RangeError(`reshape: shape ${fmt(shape)} must hold non-negative integers and at most one -1`);
    } else known *= s[i];
  }
  if (infer >= 0) {
    if (known === 0 || t.size % known !== 0) {
      throw new RangeError(`reshape: cannot infer -1 in ${fmt(shape)} for a tensor of shape ${fmt(t.shape)} (${t.size} elements)`);
    }
    s[infer] = t.size / known;
  } else if (known !== t.size) {
    throw new RangeError(`reshape: shape ${fmt(shape)} has ${known} elements, x ${fmt(t.shape)} has ${t.size}`);
  }
  const y = shareData(t, s, "reshape");
  if (needsGrad(t)) record("reshape", y, [t], (dy) => [reshape(dy, t.shape)]);
  return y;
}

/**
 * Inserts an axis of size 1 at `axis` (−1 appends).
 *
 * @throws RangeError if `axis` is out of range [−rank−1, rank].
 * @example
 * ```ts
 * expandDims(zeros([3]), 0); // shape [1, 3]
 * ```
 */
export function expandDims(x: Tensor, axis = 0): Tensor {
  const t = checkTensor(x, "expandDims", "x");
  const a = normAxis(axis, t.rank + 1, "expandDims");
  return reshape(t, [...t.shape.slice(0, a), 1, ...t.shape.slice(a)]);
}

/**
 * Removes axes of size 1 (the given ones, or all).
 *
 * @throws RangeError if a given axis does not have size 1.
 * @example
 * ```ts
 * squeeze(zeros([1, 3, 1])); // shape [3]
 * ```
 */
export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  const t = checkTensor(x, "squeeze", "x");
  const list = axes === undefined ? null : (typeof axes === "number" ? [axes] : axes).map((a) => normAxis(a, t.rank, "squeeze"));
  if (list !== null) {
    for (const a of list) if (t.shape[a] !== 1) throw new RangeError(`squeeze: axis ${a} has size ${t.shape[a]}, not 1 (x: ${fmt(t.shape)})`);
  }
  return reshape(
    t,
    t.shape.filter((d, i) => (list === null ? d !== 1 : !list.includes(i))),
  );
}

/**
 * Reorders axes: output axis j is input axis perm[j] (strided copy). Gradient: the inverse permutation.
 *
 * @throws RangeError if `perm` is not a permutation of 0..rank−1.
 * @example
 * ```ts
 * permute(zeros([2, 3, 4]), [2, 0, 1]); // shape [4, 2, 3]
 * ```
 */
export function permute(x: Tensor, perm: readonly number[]): Tensor {
  const t = checkTensor(x, "permute", "x");
  if (!Array.isArray(perm) || perm.length !== t.rank || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) {
    throw new RangeError(`permute: perm ${Array.isArray(perm) ? fmt(perm) : String(perm)} is not a permutation of the ${t.rank} axes of x ${fmt(t.shape)}`);
  }
  if (perm.every((p, i) => p === i)) return reshape(t, t.shape);
  const shape = perm.map((p) => t.shape[p]);
  const y = runKernel("permute", "Permute", { x: t }, { perm }, shape, t.dtype);
  if (needsGrad(t)) {
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    record("permute", y, [t], (dy) => [permute(dy, inverse)]);
  }
  return y;
}

/**
 * Swaps two axes (default the last two: the matrix transpose of each batch item).
 *
 * @throws RangeError if an axis is out of range.
 * @example
 * ```ts
 * transpose(zeros([2, 3])); // shape [3, 2]
 * ```
 */
export function transpose(x: Tensor, axis0 = -2, axis1 = -1): Tensor {
  const t = checkTensor(x, "transpose", "x");
  if (t.rank < 2 && axis0 === -2 && axis1 === -1) return reshape(t, t.shape);
  const a = normAxis(axis0, t.rank, "transpose", "axis0");
  const b = normAxis(axis1, t.rank, "transpose", "axis1");
  const perm = Array.from({ length: t.rank }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return permute(t, perm);
}

/**
 * Broadcasts `x` to `shape` (NumPy rules; materialised). Gradient: summed back to x's shape.
 *
 * @throws RangeError if x cannot be broadcast to `shape`.
 * @example
 * ```ts
 * broadcastTo(tensor([1, 2]), [3, 2]);
 * ```
 */
export function broadcastTo(x: Tensor, shape: Shape): Tensor {
  const t = floatArg(x, "broadcastTo", "x");
  const out = broadcastShapes(t.shape, shape, "broadcastTo");
  if (!sameShape(out, shape)) {
    throw new RangeError(`broadcastTo: x ${fmt(t.shape)} cannot be broadcast to ${fmt(shape)}`);
  }
  if (sameShape(t.shape, shape)) return reshape(t, shape);
  const zero = fromValues(new Float32Array(1), [], "float32");
  const y = runKernel(
    "broadcastTo",
    "Binary",
    { a: t, b: zero },
    { op: "add", outShape: out, aStrides: broadcastStrides(t.shape, out), bStrides: out.map(() => 0) },
    out,
    "float32",
  );
  zero.dispose();
  if (needsGrad(t)) record("broadcastTo", y, [t], (dy) => [sumTo(dy, t.shape)]);
  return y;
}

/**
 * The box x[begin : begin+size] (size −1: to the end of that axis). Gradient: zero-padded back.
 *
 * @param begin - start per axis (missing trailing axes start at 0).
 * @param size - extent per axis (missing trailing axes or −1: to the end).
 * @throws RangeError if the box leaves x.
 * @example
 * ```ts
 * slice(tensor([[1, 2, 3], [4, 5, 6]]), [0, 1], [2, 2]); // [[2, 3], [5, 6]]
 * ```
 */
export function slice(x: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
  const t = checkTensor(x, "slice", "x");
  if (!Array.isArray(begin) || begin.length > t.rank) {
    throw new RangeError(`slice: begin ${Array.isArray(begin) ? fmt(begin) : String(begin)} does not fit x ${fmt(t.shape)}`);
  }
  const b = t.shape.map((_, i) => begin[i] ?? 0);
  const s = t.shape.map((d, i) => {
    const want = size?.[i] ?? -1;
    return want === -1 ? d - b[i] : want;
  });
  for (let i = 0; i < t.rank; i++) {
    if (!Number.isInteger(b[i]) || !Number.isInteger(s[i]) || b[i] < 0 || s[i] < 0 || b[i] + s[i] > t.shape[i]) {
      throw new RangeError(`slice: box begin ${fmt(b)} size ${fmt(s)} leaves x ${fmt(t.shape)} on axis ${i}`);
    }
  }
  if (s.every((d, i) => d === t.shape[i])) return reshape(t, t.shape);
  const y = runKernel("slice", "Slice", { x: t }, { begin: b, size: s }, s, t.dtype);
  if (needsGrad(t)) record("slice", y, [t], (dy) => [padBox(dy, b, t.shape)]);
  return y;
}

function padBox(x: Tensor, begin: readonly number[], outShape: readonly number[]): Tensor {
  const y = runKernel("pad", "Pad", { x }, { begin, outShape }, outShape, x.dtype);
  if (needsGrad(x)) record("pad", y, [x], (dy) => [slice(dy, begin, x.shape)]);
  return y;
}

/**
 * Zero padding: `paddings[i] = [before, after]` zeros on axis i. Gradient: the inner box.
 *
 * @throws RangeError if `paddings` does not have one non-negative pair per axis.
 * @example
 * ```ts
 * pad(tensor([1, 2]), [[1, 0]]); // [0, 1, 2]
 * ```
 */
export function pad(x: Tensor, paddings: readonly (readonly [number, number])[]): Tensor {
  const t = checkTensor(x, "pad", "x");
  if (!Array.isArray(paddings) || paddings.length !== t.rank || !paddings.every((p) => Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))) {
    throw new RangeError(`pad: paddings must hold one [before, after] pair of non-negative integers per axis of x ${fmt(t.shape)}`);
  }
  const outShape = t.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  return padBox(
    t,
    paddings.map((p) => p[0]),
    outShape,
  );
}

/**
 * Joins tensors along `axis` (all other axes equal, same dtype). Gradient: the matching slices.
 *
 * @throws RangeError if `xs` is empty or shapes differ off `axis`; TypeError if dtypes differ.
 * @example
 * ```ts
 * concat([zeros([2, 1]), ones([2, 3])], 1); // shape [2, 4]
 * ```
 */
export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new RangeError(`concat: xs must be a non-empty array of tensors`);
  const ts = xs.map((x, i) => checkTensor(x, "concat", `xs[${i}]`));
  const first = ts[0];
  const a = normAxis(axis, first.rank, "concat");
  for (let i = 1; i < ts.length; i++) {
    const t = ts[i];
    if (t.dtype !== first.dtype) throw new TypeError(`concat: xs[${i}] is ${t.dtype}, xs[0] is ${first.dtype}`);
    if (t.rank !== first.rank || t.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      throw new RangeError(`concat: xs[${i}] ${fmt(t.shape)} does not match xs[0] ${fmt(first.shape)} off axis ${a}`);
    }
  }
  if (ts.length === 1) return reshape(first, first.shape);
  const outer = sizeOf(first.shape.slice(0, a));
  const inners = ts.map((t) => sizeOf(t.shape.slice(a)));
  const shape = first.shape.slice();
  shape[a] = ts.reduce((s, t) => s + t.shape[a], 0);
  const y = runKernel("concat", "Concat", { xs: ts }, { outer, inners }, shape, first.dtype);
  if (needsGrad(...ts)) {
    record("concat", y, ts, (dy) => {
      let offset = 0;
      return ts.map((t) => {
        const begin = t.shape.map((_, j) => (j === a ? offset : 0));
        offset += t.shape[a];
        return slice(dy, begin, t.shape);
      });
    });
  }
  return y;
}

/**
 * Splits along `axis` into `sections` equal parts (a number) or parts of the given sizes.
 *
 * @throws RangeError if the sizes do not add up to the axis length.
 * @example
 * ```ts
 * const [a, b] = split(zeros([4, 2]), 2); // two [2, 2]
 * ```
 */
export function split(x: Tensor, sections: number | readonly number[], axis = 0): Tensor[] {
  const t = checkTensor(x, "split", "x");
  const a = normAxis(axis, t.rank, "split");
  const n = t.shape[a];
  let sizes: number[];
  if (typeof sections === "number") {
    if (!Number.isInteger(sections) || sections <= 0 || n % sections !== 0) {
      throw new RangeError(`split: axis ${a} of length ${n} cannot be split into ${sections} equal parts (x: ${fmt(t.shape)})`);
    }
    sizes = new Array<number>(sections).fill(n / sections);
  } else {
    sizes = sections.slice();
    if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((p, q) => p + q, 0) !== n) {
      throw new RangeError(`split: sizes ${fmt(sizes)} do not add up to axis ${a} of length ${n} (x: ${fmt(t.shape)})`);
    }
  }
  let offset = 0;
  return sizes.map((s) => {
    const begin = t.shape.map((_, j) => (j === a ? offset : 0));
    const size = t.shape.map((d, j) => (j === a ? s : d));
    offset += s;
    return slice(t, begin, size);
  });
}

/**
 * Stacks same-shaped tensors along a new axis.
 *
 * @throws RangeError if shapes differ or `xs` is empty.
 * @example
 * ```ts
 * stack([zeros([3]), ones([3])]); // shape [2, 3]
 * ```
 */
export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(xs) || xs.length === 0) throw new RangeError(`stack: xs must be a non-empty array of tensors`);
  return concat(
    xs.map((x, i) => expandDims(checkTensor(x, "stack", `xs[${i}]`), axis)),
    axis,
  );
}
