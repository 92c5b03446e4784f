// SPDX-License-Identifier: MIT
// Argument checks shared by the public ops. Every message names the op, the argument and what it got.

import type { DType, Shape } from "../api.js";
import { fromValues, liveRef } from "../engine.js";
import { Rng } from "../rng.js";
import { Tensor } from "../tensor.js";
import { fmt, sameShape, sizeOf, stridesOf } from "../shape-math.js";

export { fmt, sameShape, sizeOf, stridesOf };

/** Checks that `x` is a live tensor. @internal */
export function checkTensor(x: unknown, op: string, arg: string): Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${op}: ${arg} must be a Tensor, got ${describe(x)}`);
  }
  liveRef(x, op, arg);
  return x;
}

/** A live float32 tensor (numbers become scalars). @internal */
export function floatArg(x: unknown, op: string, arg: string): Tensor {
  if (typeof x === "number") return fromValues(new Float32Array([x]), [], "float32");
  const t = checkTensor(x, op, arg);
  if (t.dtype !== "float32") throw new TypeError(`${op}: ${arg} must be float32, got ${t.dtype}`);
  return t;
}

/** A live int32 tensor. @internal */
export function intArg(x: unknown, op: string, arg: string): Tensor {
  const t = checkTensor(x, op, arg);
  if (t.dtype !== "int32") throw new TypeError(`${op}: ${arg} must be int32, got ${t.dtype}`);
  return t;
}

/** Normalises a possibly negative axis. @internal */
export function normAxis(axis: number, rank: number, op: string, arg = "axis"): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: ${arg} ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** Checks a shape argument. @internal */
export function checkShape(shape: unknown, op: string, arg = "shape"): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`${op}: ${arg} must be an array of non-negative integers, got ${describe(shape)}`);
  }
  return shape.slice();
}

/** Checks an `rng` argument: a seeded {@link Rng}, passed explicitly. @internal */
export function checkRng(rng: unknown, op: string): Rng {
  if (!(rng instanceof Rng)) throw new TypeError(`${op}: rng must be an Rng (seeded, passed explicitly), got ${typeof rng}`);
  return rng;
}

/** Checks a dtype argument. @internal */
export function checkDType(dtype: unknown, op: string): DType {
  if (dtype !== "float32" && dtype !== "int32") {
    throw new TypeError(`${op}: dtype must be "float32" or "int32", got ${describe(dtype)}`);
  }
  return dtype;
}

/** Broadcast shape of two shapes (NumPy rules), or a RangeError naming the op. @internal */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const r = Math.max(a.length, b.length);
  const out = new Array<number>(r);
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(`${op}: shapes cannot be broadcast (a: ${fmt(a)}, b: ${fmt(b)})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides of `shape` read as right-aligned against `outShape`, 0 on broadcast axes. @internal */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const r = outShape.length;
  const s = new Array<number>(r).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const j = r - shape.length + i;
    s[j] = shape[i] === 1 ? 0 : own[i];
  }
  return s;
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a ${x.dtype} tensor of shape ${fmt(x.shape)}`;
  if (Array.isArray(x)) return `[${x.map((v) => (typeof v === "number" ? v : typeof v)).join(",")}]`;
  if (x === null) return "null";
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "number") return String(x);
  return typeof x;
}
