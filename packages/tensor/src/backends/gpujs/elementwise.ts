// SPDX-License-Identifier: MIT

import type { BinaryOp, UnaryOp } from "../../backend/kernels.js";
import type { GpuKernelImpl } from "./kernel-impl.js";
import { sizeOf, stridesOf } from "../../shape-math.js";
import { axisMeta, toDType, type KernelThis } from "./runtime.js";

/**
 * Op codes of {@link unaryKernel} (the op is a constant, so each compiled kernel branches uniformly).
 *
 * @example
 * ```ts
 * UNARY_CODES.exp; // 5
 * ```
 */
const UNARY_CODES: Readonly<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  sign: 2,
  square: 3,
  reciprocal: 4,
  exp: 5,
  log: 6,
  sqrt: 7,
  rsqrt: 8,
  sigmoid: 9,
  tanh: 10,
  relu: 11,
  step: 12,
  silu: 13,
  erf: 14,
  gelu: 15,
  geluGrad: 16,
  siluGrad: 17,
};

/**
 * Op codes of {@link binaryKernel}.
 *
 * @example
 * ```ts
 * BINARY_CODES.add; // 0
 * ```
 */
const BINARY_CODES: Readonly<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  pow: 4,
  maximum: 5,
  minimum: 6,
  divNoNan: 7,
  equal: 8,
  greater: 9,
  greaterEqual: 10,
  less: 11,
  lessEqual: 12,
};

/**
 * gpu.js body of `Unary`: out[i] = op(x[i]). sigmoid is evaluated on the side where exp cannot overflow;
 * gelu is the exact x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel 2016), geluGrad = Φ(x) + x·φ(x),
 * siluGrad = σ(x)(1 + x(1 − σ(x))).
 * Constants: `op` (a {@link UNARY_CODES} value).
 *
 * @example
 * ```ts
 * runtime.launch({ name: "unary", source: unaryKernel, size: 1, constants: { op: 5 }, args: [x] });
 * ```
 */
function unaryKernel(this: KernelThis, x: Float32Array): number {
  const v = x[this.thread.x];
  const op = this.constants.op;
  if (op === 0) {
    return -v;
  }
  if (op === 1) {
    return Math.abs(v);
  }
  if (op === 2) {
    if (v > 0) {
      return 1;
    }
    if (v < 0) {
      return -1;
    }
    return v;
  }
  if (op === 3) {
    return v * v;
  }
  if (op === 4) {
    return 1 / v;
  }
  if (op === 5) {
    return Math.exp(v);
  }
  if (op === 6) {
    return Math.log(v);
  }
  if (op === 7) {
    return Math.sqrt(v);
  }
  if (op === 8) {
    return 1 / Math.sqrt(v);
  }
  if (op === 9 || op === 13 || op === 17) {
    let s = 0;
    if (v >= 0) {
      s = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      s = e / (1 + e);
    }
    if (op === 13) {
      return v * s;
    }
    if (op === 17) {
      return s * (1 + v * (1 - s));
    }
    return s;
  }
  if (op === 10) {
    return Math.tanh(v);
  }
  if (op === 11) {
    if (v > 0) {
      return v;
    }
    return 0;
  }
  if (op === 12) {
    if (v > 0) {
      return 1;
    }
    return 0;
  }
  // erf (14), gelu (15), geluGrad (16): erf(z) as the odd rational fit z·P(z²)/Q(z²) on [−4, 4], clamped
  // outside (the published float32 erf fit of Eigen/XNNPACK, |error| ≤ 6.5e-8; the CPU backend uses it too).
  let z = v;
  if (op !== 14) {
    z = v * 0.7071067811865476;
  }
  if (z > 4) {
    z = 4;
  }
  if (z < -4) {
    z = -4;
  }
  const z2 = z * z;
  let p = -2.72614225801306e-10;
  p = p * z2 + 2.77068142495902e-8;
  p = p * z2 - 2.10102402082508e-6;
  p = p * z2 - 5.69250639462346e-5;
  p = p * z2 - 7.34990630326855e-4;
  p = p * z2 - 2.95459980854025e-3;
  p = p * z2 - 1.60960333262415e-2;
  let q = -1.45660718464996e-5;
  q = q * z2 - 2.13374055278905e-4;
  q = q * z2 - 1.68282697438203e-3;
  q = q * z2 - 7.37332916720468e-3;
  q = q * z2 - 1.42647390514189e-2;
  // The fit overshoots |erf| = 1 by ~5e-8 at the clamp: cap it, or gelu of a large negative v turns large and positive.
  let r = (z * p) / q;
  if (r > 1) {
    r = 1;
  }
  if (r < -1) {
    r = -1;
  }
  if (op === 15) {
    if (v < -10) {
      return 0;
    }
    return 0.5 * v * (1 + r);
  }
  if (op === 16) {
    // x·φ(x) underflows to 0 beyond |x| = 40; the guard also keeps ±Infinity from giving Infinity·0.
    if (v > -40 && v < 40) {
      return 0.5 * (1 + r) + v * 0.3989422804014327 * Math.exp(-0.5 * v * v);
    }
    return 0.5 * (1 + r);
  }
  return r;
}

/**
 * gpu.js body of `Binary` with broadcasting. `layout` 0: both operands have the output's layout; 1: b is
 * a scalar; 2: a is a scalar; 3: general strided walk, where `meta` = [outShape, aStrides, bStrides] (each of
 * length `rank`) and the multi-index is peeled off the flat index from the last axis. Comparisons return 1
 * or 0; maximum/minimum propagate NaN; divNoNan is 0 where b is 0.
 * Constants: `op` (a {@link BINARY_CODES} value), `layout`, `rank`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "binary", source: binaryKernel, size: 2,
 *   constants: { op: 0, layout: 0, rank: 1 }, args: [a, b, meta] });
 * ```
 */
function binaryKernel(this: KernelThis, a: Float32Array, b: Float32Array, meta: Float32Array): number {
  const layout = this.constants.layout;
  const rank = this.constants.rank;
  let ia = this.thread.x;
  let ib = this.thread.x;
  if (layout === 1) {
    ib = 0;
  }
  if (layout === 2) {
    ia = 0;
  }
  if (layout === 3) {
    ia = 0;
    ib = 0;
    let rem = this.thread.x;
    for (let e = 0; e < rank; e++) {
      const d = rank - 1 - e;
      const s = meta[d];
      const q = Math.floor(rem / s);
      const i = rem - q * s;
      ia += i * meta[rank + d];
      ib += i * meta[2 * rank + d];
      rem = q;
    }
  }
  const x = a[ia];
  const y = b[ib];
  const op = this.constants.op;
  if (op === 0) {
    return x + y;
  }
  if (op === 1) {
    return x - y;
  }
  if (op === 2) {
    return x * y;
  }
  if (op === 3) {
    return x / y;
  }
  if (op === 4) {
    return Math.pow(x, y);
  }
  if (op === 5) {
    if (x > y || x !== x) {
      return x;
    }
    return y;
  }
  if (op === 6) {
    if (x < y || x !== x) {
      return x;
    }
    return y;
  }
  if (op === 7) {
    if (y === 0) {
      return 0;
    }
    return x / y;
  }
  if (op === 8) {
    if (x === y) {
      return 1;
    }
    return 0;
  }
  if (op === 9) {
    if (x > y) {
      return 1;
    }
    return 0;
  }
  if (op === 10) {
    if (x >= y) {
      return 1;
    }
    return 0;
  }
  if (op === 11) {
    if (x < y) {
      return 1;
    }
    return 0;
  }
  if (x <= y) {
    return 1;
  }
  return 0;
}

/**
 * gpu.js body of `Cast`: truncation toward zero when `toInt` is 1, else a copy (int32 → float32).
 * Constants: `toInt`.
 *
 * @example
 * ```ts
 * runtime.launch({ name: "cast", source: castKernel, size: 1, constants: { toInt: 1 }, args: [x] });
 * ```
 */
function castKernel(this: KernelThis, x: Float32Array): number {
  const v = x[this.thread.x];
  if (this.constants.toInt === 1) {
    return Math.trunc(v);
  }
  return v;
}

/**
 * gpu.js `Unary` kernel.
 *
 * @example
 * ```ts
 * unaryGpu(runtime, { x }, { op: "exp" });
 * ```
 */
export const unaryGpu: GpuKernelImpl<"Unary"> = (rt, { x }, { op }) =>
  rt.launch({ name: "unary", source: unaryKernel, size: sizeOf(x.shape), constants: { op: UNARY_CODES[op] }, args: [x.data] });

/**
 * gpu.js `Binary` kernel: picks the contiguous or scalar layout when the strides allow it (fewer index
 * divisions), else the general strided walk.
 *
 * @example
 * ```ts
 * binaryGpu(runtime, { a, b }, { op: "add", outShape: [2], aStrides: [1], bStrides: [0] });
 * ```
 */
export const binaryGpu: GpuKernelImpl<"Binary"> = (rt, { a, b }, { op, outShape, aStrides, bStrides }) => {
  const size = sizeOf(outShape);
  const natural = stridesOf(outShape);
  let contigA = true;
  let contigB = true;
  let scalarA = true;
  let scalarB = true;
  for (let d = 0; d < outShape.length; d++) {
    if (outShape[d] === 1) continue;
    if (aStrides[d] !== natural[d]) contigA = false;
    if (bStrides[d] !== natural[d]) contigB = false;
    if (aStrides[d] !== 0) scalarA = false;
    if (bStrides[d] !== 0) scalarB = false;
  }
  const layout = contigA && contigB ? 0 : contigA && scalarB ? 1 : scalarA && contigB ? 2 : 3;
  const { rank, meta } = axisMeta([outShape, aStrides, bStrides], [1, 0, 0]);
  return rt.launch({
    name: "binary",
    source: binaryKernel,
    size,
    constants: { op: BINARY_CODES[op], layout, rank },
    args: [a.data, b.data, meta],
  });
};

/**
 * gpu.js `Cast` kernel (float32 → int32 truncates toward zero; int32 values are exact below 2^24).
 *
 * @example
 * ```ts
 * castGpu(runtime, { x }, { dtype: "int32" });
 * ```
 */
export const castGpu: GpuKernelImpl<"Cast"> = (rt, { x }, { dtype }) =>
  toDType(
    rt,
    rt.launch({
      name: "cast",
      source: castKernel,
      size: sizeOf(x.shape),
      constants: { toInt: dtype === "int32" && x.dtype === "float32" ? 1 : 0 },
      args: [x.data],
    }),
    dtype,
  );
