// SPDX-License-Identifier: MIT

import type { BinaryOp, KernelFunc, UnaryOp } from "../../backend/kernels.js";
import { sizeOf } from "../../shape-math.js";
import { expf } from "./fast-math.js";
import { geluWasm } from "./matmul-wasm.js";

/**
 * From this many elements, `gelu` and `geluGrad` run as WebAssembly SIMD (four lanes, float32; about 3× the JS
 * loop); below it the copy into kernel memory is not worth it.
 */
const GELU_WASM_MIN = 1024;

/**
 * Error function as an odd rational minimax approximation x·P(x²)/Q(x²) on [−4, 4], clamped outside (where
 * erf is ±1 to float32 precision). The coefficients are the float32 erf fit used by Eigen and XNNPACK;
 * measured here against Simpson-rule integration: |error| ≤ 6.5e-8 on [−6, 6]. Unlike the
 * Abramowitz–Stegun 7.1.26 form it needs no exp, so it is about twice as fast.
 *
 * @example
 * ```ts
 * erf(0); // 0
 * ```
 */
export function erf(v: number): number {
  const x = v > 4 ? 4 : v < -4 ? -4 : v;
  const x2 = x * x;
  let p = -2.72614225801306e-10;
  p = p * x2 + 2.77068142495902e-8;
  p = p * x2 - 2.10102402082508e-6;
  p = p * x2 - 5.69250639462346e-5;
  p = p * x2 - 7.34990630326855e-4;
  p = p * x2 - 2.95459980854025e-3;
  p = p * x2 - 1.60960333262415e-2;
  let q = -1.45660718464996e-5;
  q = q * x2 - 2.13374055278905e-4;
  q = q * x2 - 1.68282697438203e-3;
  q = q * x2 - 7.37332916720468e-3;
  q = q * x2 - 1.42647390514189e-2;
  // The rational fit overshoots |erf| = 1 by ~5e-8 near the clamp; left there, 1 + erf(v) goes negative and
  // gelu(v) = v·(1 + erf(v/√2))/2 of a large negative v comes out large and positive.
  const r = (x * p) / q;
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/**
 * Logistic sigmoid 1/(1+e^−x), evaluated so that neither branch overflows.
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + expf(-x));
  const e = expf(x);
  return e / (1 + e);
}

// Expression per op, spliced into a generated loop so that each op gets its own monomorphic loop body:
// a shared loop calling `f(a, b)` through a closure is megamorphic and several times slower in V8.
const UNARY_EXPR: Record<UnaryOp, string> = {
  neg: "-v",
  abs: "Math.abs(v)",
  sign: "(v > 0 ? 1 : v < 0 ? -1 : v)",
  square: "v * v",
  reciprocal: "1 / v",
  exp: "expf(v)",
  log: "Math.log(v)",
  sqrt: "Math.sqrt(v)",
  rsqrt: "1 / Math.sqrt(v)",
  sigmoid: "sigmoid(v)",
  tanh: "Math.tanh(v)",
  relu: "(v > 0 ? v : 0)",
  step: "(v > 0 ? 1 : 0)",
  silu: "v * sigmoid(v)",
  erf: "erf(v)",
  gelu: "(v < -10 ? -0 : 0.5 * v * (1 + erf(v * 0.7071067811865476)))",
  geluGrad: "0.5 * (1 + erf(v * 0.7071067811865476)) + (v > -40 && v < 40 ? v * 0.3989422804014327 * expf(-0.5 * v * v) : 0)",
  siluGrad: "siluGrad(v)",
};

/** d/dx x·σ(x) = σ(x)(1 + x(1 − σ(x))). */
function siluGrad(x: number): number {
  const s = sigmoid(x);
  return s * (1 + x * (1 - s));
}

const BINARY_EXPR: Record<BinaryOp, string> = {
  add: "x + y",
  sub: "x - y",
  mul: "x * y",
  div: "x / y",
  pow: "Math.pow(x, y)",
  maximum: "(x > y || x !== x ? x : y)",
  minimum: "(x < y || x !== x ? x : y)",
  divNoNan: "(y === 0 ? 0 : x / y)",
  equal: "(x === y ? 1 : 0)",
  greater: "(x > y ? 1 : 0)",
  greaterEqual: "(x >= y ? 1 : 0)",
  less: "(x < y ? 1 : 0)",
  lessEqual: "(x <= y ? 1 : 0)",
};

type UnaryLoop = (x: Float32Array, out: Float32Array) => void;
type BinaryLoop = (
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  outShape: readonly number[],
  aStrides: readonly number[],
  bStrides: readonly number[],
) => void;

const unaryLoops = new Map<UnaryOp, UnaryLoop>();
const binaryLoops = new Map<BinaryOp, BinaryLoop>();

function unaryLoop(op: UnaryOp): UnaryLoop {
  let loop = unaryLoops.get(op);
  if (loop === undefined) {
    const make = new Function(
      "sigmoid",
      "erf",
      "siluGrad",
      "expf",
      `return function unary_${op}(x, out) {
        for (let i = 0, n = x.length; i < n; i++) { const v = x[i]; out[i] = ${UNARY_EXPR[op]}; }
      };`,
    ) as (s: typeof sigmoid, e: typeof erf, g: typeof siluGrad, x: typeof expf) => UnaryLoop;
    loop = make(sigmoid, erf, siluGrad, expf);
    unaryLoops.set(op, loop);
  }
  return loop;
}

function binaryLoop(op: BinaryOp): BinaryLoop {
  let loop = binaryLoops.get(op);
  if (loop === undefined) {
    const e = BINARY_EXPR[op];
    // Three fast paths (same layout, scalar b, scalar a), then the general strided walk: the last axis is
    // the inner loop, the outer axes advance with an odometer (no per-element division).
    const make = new Function(
      `return function binary_${op}(a, b, out, shape, as, bs) {
        const r = shape.length, n = out.length;
        if (n === 0) return;
        if (r === 0) { const x = a[0], y = b[0]; out[0] = ${e}; return; }
        let contigA = true, contigB = true, scalarA = true, scalarB = true, s = 1;
        for (let d = r - 1; d >= 0; d--) {
          if (shape[d] !== 1) {
            if (as[d] !== s) contigA = false;
            if (bs[d] !== s) contigB = false;
            if (as[d] !== 0) scalarA = false;
            if (bs[d] !== 0) scalarB = false;
          }
          s *= shape[d];
        }
        if (contigA && contigB) { for (let i = 0; i < n; i++) { const x = a[i], y = b[i]; out[i] = ${e}; } return; }
        if (contigA && scalarB) { const y = b[0]; for (let i = 0; i < n; i++) { const x = a[i]; out[i] = ${e}; } return; }
        if (scalarA && contigB) { const x = a[0]; for (let i = 0; i < n; i++) { const y = b[i]; out[i] = ${e}; } return; }
        const inner = shape[r - 1], ai = as[r - 1], bi = bs[r - 1];
        const idx = new Array(r).fill(0);
        let ao = 0, bo = 0;
        for (let o = 0; o < n; o += inner) {
          for (let j = 0, pa = ao, pb = bo; j < inner; j++, pa += ai, pb += bi) { const x = a[pa], y = b[pb]; out[o + j] = ${e}; }
          for (let d = r - 2; d >= 0; d--) {
            idx[d]++; ao += as[d]; bo += bs[d];
            if (idx[d] < shape[d]) break;
            ao -= as[d] * shape[d]; bo -= bs[d] * shape[d]; idx[d] = 0;
          }
        }
      };`,
    ) as () => BinaryLoop;
    loop = make();
    binaryLoops.set(op, loop);
  }
  return loop;
}

/**
 * CPU `Unary` kernel.
 *
 * @example
 * ```ts
 * unaryCpu({ x: { data: new Float32Array([1]), shape: [1], dtype: "float32" } }, { op: "exp" });
 * ```
 */
export const unaryCpu: KernelFunc<"Unary", Float32Array | Int32Array> = ({ x }, { op }) => {
  const out = new Float32Array(x.data.length);
  const wasm = (op === "gelu" || op === "geluGrad") && out.length >= GELU_WASM_MIN;
  if (!wasm || !geluWasm(x.data as Float32Array, out, op === "geluGrad")) unaryLoop(op)(x.data as Float32Array, out);
  return out;
};

/**
 * CPU `Binary` kernel (broadcasting by strides).
 *
 * @example
 * ```ts
 * const t = (v: number[]) => ({ data: new Float32Array(v), shape: [v.length], dtype: "float32" as const });
 * binaryCpu({ a: t([1, 2]), b: t([3]) }, { op: "add", outShape: [2], aStrides: [1], bStrides: [0] }); // [4, 5]
 * ```
 */
export const binaryCpu: KernelFunc<"Binary", Float32Array | Int32Array> = ({ a, b }, { op, outShape, aStrides, bStrides }) => {
  const out = new Float32Array(sizeOf(outShape));
  binaryLoop(op)(a.data as Float32Array, b.data as Float32Array, out, outShape, aStrides, bStrides);
  return out;
};
