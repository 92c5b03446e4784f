// SPDX-License-Identifier: MIT

import type { DType, NestedArray, Shape } from "../api.js";
import { fromValues } from "../engine.js";
import type { Rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { checkDType, checkRng, checkShape, fmt, sizeOf } from "./validate.js";

function alloc(dtype: DType, size: number): Float32Array | Int32Array {
  return dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
}

/**
 * One value for a tensor of int32 (`isInt`) or float32: a number, and for int32 an integer in range
 * (no silent truncation). `where` names the value in the error, e.g. `values[1][0]`.
 */
function checkValue(v: unknown, isInt: boolean, op: string, where: string): number {
  if (typeof v !== "number") throw new TypeError(`${op}: ${where} must be a number, got ${Array.isArray(v) ? "an array" : typeof v}`);
  if (isInt && !(Number.isInteger(v) && v >= -2147483648 && v <= 2147483647)) {
    throw new RangeError(`${op}: ${where} = ${v} is not a 32-bit integer (dtype int32)`);
  }
  return v;
}

function inferShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function flatten(values: NestedArray, shape: readonly number[], out: Float32Array | Int32Array, op: string): void {
  let k = 0;
  const isInt = out instanceof Int32Array;
  const walk = (v: NestedArray, axis: number, path: string): void => {
    if (axis === shape.length) {
      out[k++] = checkValue(v, isInt, op, `values${path}`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new RangeError(
        `${op}: ragged nested array: values${path} has ${Array.isArray(v) ? `length ${v.length}` : "a number"}, expected length ${shape[axis]}`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], axis + 1, `${path}[${i}]`);
  };
  walk(values, 0, "");
}

/**
 * Creates a tensor from nested arrays, a flat typed array or array plus a shape, or a single number.
 * Values are stored as float32 (rounded), or as int32, which accepts only integers in the int32 range.
 * Typed arrays are copied.
 *
 * @param values - nested arrays (shape inferred), a flat array/typed array (with `shape`), or a number.
 * @param shape - required for flat input whose length is not the intended 1-D shape.
 * @param dtype - `"float32"` (default; `"int32"` when `values` is an Int32Array).
 * @throws RangeError if nested arrays are ragged, `shape` does not match the number of values, or an int32
 *   value is not a 32-bit integer; TypeError if a value is not a number.
 * @example
 * ```ts
 * tensor([[1, 2], [3, 4]]);               // float32 [2, 2]
 * tensor([1, 2, 3, 4, 5, 6], [2, 3]);     // float32 [2, 3]
 * tensor([0, 3, 1], [3], "int32");        // token ids
 * ```
 */
export function tensor(
  values: NestedArray | Float32Array | Int32Array | readonly number[],
  shape?: Shape,
  dtype?: DType,
): Tensor {
  const op = "tensor";
  const type = checkDType(dtype ?? (values instanceof Int32Array ? "int32" : "float32"), op);
  if (values instanceof Float32Array || values instanceof Int32Array || (shape !== undefined && Array.isArray(values) && !values.some(Array.isArray))) {
    const flat = values as ArrayLike<number>;
    const s = shape === undefined ? [flat.length] : checkShape(shape, op);
    if (sizeOf(s) !== flat.length) {
      throw new RangeError(`${op}: shape ${fmt(s)} needs ${sizeOf(s)} values, got ${flat.length}`);
    }
    const out = alloc(type, flat.length);
    const isInt = type === "int32";
    for (let i = 0; i < flat.length; i++) out[i] = checkValue(flat[i], isInt, op, `values[${i}]`);
    return fromValues(out, s, type);
  }
  const inferred = inferShape(values as NestedArray);
  const out = alloc(type, sizeOf(inferred));
  flatten(values as NestedArray, inferred, out, op);
  if (shape !== undefined) {
    const s = checkShape(shape, op);
    if (sizeOf(s) !== out.length) throw new RangeError(`${op}: shape ${fmt(s)} needs ${sizeOf(s)} values, got ${out.length}`);
    return fromValues(out, s, type);
  }
  return fromValues(out, inferred, type);
}

/**
 * A 0-d tensor holding one number.
 *
 * @example
 * ```ts
 * scalar(2.5).item(); // 2.5
 * ```
 */
export function scalar(value: number, dtype: DType = "float32"): Tensor {
  const out = alloc(checkDType(dtype, "scalar"), 1);
  out[0] = checkValue(value, dtype === "int32", "scalar", "value");
  return fromValues(out, [], dtype);
}

/**
 * A tensor filled with `value`.
 *
 * @throws RangeError if `shape` is not an array of non-negative integers, or `value` is not a 32-bit integer
 * for dtype int32 (no silent truncation, as in {@link tensor}).
 * @example
 * ```ts
 * full([2, 2], 7);
 * ```
 */
export function full(shape: Shape, value: number, dtype: DType = "float32"): Tensor {
  return filled(shape, value, dtype, "full");
}

function filled(shape: Shape, value: number, dtype: DType, op: string): Tensor {
  const s = checkShape(shape, op);
  const out = alloc(checkDType(dtype, op), sizeOf(s));
  if (value !== 0) out.fill(checkValue(value, dtype === "int32", op, "value"));
  return fromValues(out, s, dtype);
}

/**
 * A tensor of zeros.
 *
 * @throws RangeError if `shape` is not an array of non-negative integers.
 * @example
 * ```ts
 * zeros([2, 3]);
 * ```
 */
export function zeros(shape: Shape, dtype: DType = "float32"): Tensor {
  return filled(shape, 0, dtype, "zeros");
}

/**
 * A tensor of ones.
 *
 * @throws RangeError if `shape` is not an array of non-negative integers.
 * @example
 * ```ts
 * ones([3]);
 * ```
 */
export function ones(shape: Shape, dtype: DType = "float32"): Tensor {
  return filled(shape, 1, dtype, "ones");
}

/**
 * Zeros with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * zerosLike(x);
 * ```
 */
export function zerosLike(x: Tensor): Tensor {
  return zeros(x.shape, x.dtype);
}

/**
 * Ones with the shape and dtype of `x`.
 *
 * @example
 * ```ts
 * onesLike(x);
 * ```
 */
export function onesLike(x: Tensor): Tensor {
  return ones(x.shape, x.dtype);
}

/**
 * Integers start, start+1, …, stop−1 (int32 by default: positions for `rope`, ids).
 *
 * @throws RangeError if start/stop are not integers or stop < start.
 * @example
 * ```ts
 * arange(0, 4).toArray(); // [0, 1, 2, 3]
 * ```
 */
export function arange(start: number, stop: number, dtype: DType = "int32"): Tensor {
  if (!Number.isInteger(start) || !Number.isInteger(stop) || stop < start) {
    throw new RangeError(`arange: need integers start ≤ stop, got start ${start}, stop ${stop}`);
  }
  const out = alloc(checkDType(dtype, "arange"), stop - start);
  for (let i = 0; i < out.length; i++) out[i] = start + i;
  return fromValues(out, [out.length], dtype);
}

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);

/** Largest float32 strictly below `x`. */
function below(x: number): number {
  f32[0] = x;
  if (f32[0] > 0) i32[0]--;
  else if (f32[0] < 0) i32[0]++;
  else return -1.401298464324817e-45;
  return f32[0];
}

/**
 * Normal samples N(mean, std²) (float32), drawn from `rng` in row-major order (Box–Muller).
 *
 * @param shape - output shape.
 * @param rng - the seeded generator to draw from (advanced by the call).
 * @param mean - default 0.
 * @param std - default 1, must be ≥ 0.
 * @throws RangeError for a bad shape or negative std; TypeError if `rng` is not an Rng.
 * @example
 * ```ts
 * const w = randn([128, 512], new Rng(0), 0, 0.02);
 * ```
 */
export function randn(shape: Shape, rng: Rng, mean = 0, std = 1): Tensor {
  const s = checkShape(shape, "randn");
  const r = checkRng(rng, "randn");
  if (!(std >= 0)) throw new RangeError(`randn: std must be ≥ 0, got ${std}`);
  const out = new Float32Array(sizeOf(s));
  for (let i = 0; i < out.length; i++) out[i] = mean + std * r.nextNormal();
  return fromValues(out, s, "float32");
}

/**
 * Uniform samples in [low, high) (float32), drawn from `rng` in row-major order.
 *
 * @param shape - output shape.
 * @param rng - the seeded generator to draw from (advanced by the call).
 * @param low - default 0.
 * @param high - default 1, must be ≥ low.
 * @throws RangeError for a bad shape or high < low; TypeError if `rng` is not an Rng.
 * @example
 * ```ts
 * const u = randu([4], new Rng(0)); // values in [0, 1)
 * ```
 */
export function randu(shape: Shape, rng: Rng, low = 0, high = 1): Tensor {
  const s = checkShape(shape, "randu");
  const r = checkRng(rng, "randu");
  if (!(high >= low)) throw new RangeError(`randu: need low ≤ high, got low ${low}, high ${high}`);
  const out = new Float32Array(sizeOf(s));
  const width = high - low;
  for (let i = 0; i < out.length; i++) {
    // Rounding to float32 can reach `high`; keep the interval half-open.
    const v = Math.fround(low + width * r.nextFloat());
    out[i] = v >= high && high > low ? below(high) : v;
  }
  return fromValues(out, s, "float32");
}
