// SPDX-License-Identifier: MIT
//
// One set of kernel specs for the backend conformance suite: each spec draws a small random case (shapes
// ≤ 64 per axis, values in sane ranges) with fast-check and says how tight the comparison must be. Every
// backend's output is compared with the CPU backend's on the same case.

import fc from "fast-check";
import {
  BINARY_OPS,
  CPU_KERNELS,
  UNARY_OPS,
  type BinaryOp,
  type DType,
  type KernelName,
  type KernelSignatures,
  type KernelTensor,
  type ReduceOp,
  type UnaryOp,
} from "../../src/index.js";
import { sizeOf, stridesOf } from "../../src/shape-math.js";

export type Host = Float32Array | Int32Array;
export type HostTensor = KernelTensor<Host>;

/** One drawn case of kernel K: inputs, attributes and an optional per-element tolerance scale. */
export interface Case<K extends KernelName = KernelName> {
  readonly kernel: K;
  readonly inputs: KernelSignatures<Host>[K]["inputs"];
  readonly attrs: KernelSignatures<Host>[K]["attrs"];
  /**
   * Conditioning of each output element (e.g. Σ|a_ip·b_pj| for matmul): the allowed error is
   * rtol·(|want| + scale) + atol. Absent: |want| alone (pure relative error).
   */
  readonly scale?: Float64Array;
}

export interface Spec<K extends KernelName = KernelName> {
  readonly kernel: K;
  readonly label: string;
  readonly arb: fc.Arbitrary<Case<K>>;
  /** fast-check runs per backend (each new shape compiles a gpu.js kernel, ~10–30 ms). */
  readonly numRuns: number;
}

// ---------------------------------------------------------------------------------------------------------
// Seeded values: fast-check draws shapes and a seed; values come from a small xorshift stream so that a
// failing case shrinks over shapes, not over thousands of floats.

function stream(seed: number): () => number {
  let s = (seed | 0) || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Float32 tensor with values uniform in [low, high), avoiding |v| < minAbs. */
export function floats(shape: readonly number[], seed: number, low = -2, high = 2, minAbs = 0): HostTensor {
  const next = stream(seed);
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    let v = low + (high - low) * next();
    if (Math.abs(v) < minAbs) v = v < 0 ? -minAbs : minAbs;
    data[i] = v;
  }
  return { data, shape, dtype: "float32" };
}

/** Int32 tensor with values uniform in [low, high). */
export function ints(shape: readonly number[], seed: number, low: number, high: number): HostTensor {
  const next = stream(seed);
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + Math.floor((high - low) * next());
  return { data, shape, dtype: "int32" };
}

function anyTensor(shape: readonly number[], seed: number, dtype: DType): HostTensor {
  return dtype === "int32" ? ints(shape, seed, -1000, 1000) : floats(shape, seed);
}

const seedArb = fc.integer({ min: 1, max: 0x7fffffff });
const dtypeArb = fc.constantFrom<DType>("float32", "int32");
const shapeArb = (maxRank: number, maxDim: number, minDim = 1): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: 1, maxLength: maxRank });

function absOf(t: HostTensor): HostTensor {
  return { ...t, data: (t.data as Float32Array).map(Math.abs) };
}

// ---------------------------------------------------------------------------------------------------------
// Specs

/** Input domain of each unary op (log/sqrt/rsqrt need positive inputs, reciprocal stays away from 0). */
const UNARY_DOMAIN: Partial<Record<UnaryOp, [number, number, number]>> = {
  log: [0.05, 4, 0],
  sqrt: [0, 4, 0],
  rsqrt: [0.05, 4, 0],
  reciprocal: [-2, 2, 0.05],
  exp: [-8, 8, 0],
  sigmoid: [-8, 8, 0],
  silu: [-8, 8, 0],
  siluGrad: [-8, 8, 0],
  erf: [-5, 5, 0],
  gelu: [-5, 5, 0],
  geluGrad: [-5, 5, 0],
};

export function unarySpec(op: UnaryOp): Spec<"Unary"> {
  const [low, high, minAbs] = UNARY_DOMAIN[op] ?? [-3, 3, 0];
  return {
    kernel: "Unary",
    label: `Unary ${op}`,
    numRuns: 4,
    arb: fc.tuple(shapeArb(3, 16), seedArb).map(([shape, seed]) => ({
      kernel: "Unary" as const,
      inputs: { x: floats(shape, seed, low, high, minAbs) },
      attrs: { op },
    })),
  };
}

/** Two shapes broadcast as the op layer does: b is a suffix of a's rank with some axes set to 1. */
const broadcastArb = fc
  .tuple(shapeArb(4, 8), fc.integer({ min: 0, max: 3 }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), fc.boolean())
  .map(([a, drop, ones, swap]) => {
    const b = a.slice(Math.min(drop, a.length - 1)).map((d, i) => (ones[i] ? 1 : d));
    return (swap ? [b, a] : [a, b]) as [number[], number[]];
  });

function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const natural = stridesOf(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, d) => (d < off || shape[d - off] === 1 ? 0 : natural[d - off]));
}

export function binarySpec(op: BinaryOp): Spec<"Binary"> {
  const positiveBase = op === "pow";
  return {
    kernel: "Binary",
    label: `Binary ${op}`,
    numRuns: 5,
    arb: fc.tuple(broadcastArb, seedArb, fc.boolean()).map(([[sa, sb], seed, ties]) => {
      const r = Math.max(sa.length, sb.length);
      const outShape = Array.from({ length: r }, (_, d) => {
        const da = sa[d - (r - sa.length)] ?? 1;
        const db = sb[d - (r - sb.length)] ?? 1;
        return Math.max(da, db);
      });
      const a = positiveBase ? floats(sa, seed, 0.5, 2) : floats(sa, seed);
      // Comparisons need ties: with `ties`, b reuses a's stream so equal values meet at equal positions.
      const b = op === "divNoNan" || ties ? floats(sb, ties ? seed : seed + 1, -2, 2) : floats(sb, seed + 1);
      if (op === "divNoNan") for (let i = 0; i < b.data.length; i += 3) b.data[i] = 0;
      if (op === "div") for (let i = 0; i < b.data.length; i++) if (Math.abs(b.data[i]) < 0.05) b.data[i] = 0.05;
      return {
        kernel: "Binary" as const,
        inputs: { a, b },
        attrs: { op, outShape, aStrides: broadcastStrides(sa, outShape), bStrides: broadcastStrides(sb, outShape) },
      };
    }),
  };
}

const reduceDims = fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 12 }));

export function reduceSpec(op: ReduceOp): Spec<"Reduce"> {
  return {
    kernel: "Reduce",
    label: `Reduce ${op}`,
    numRuns: 5,
    arb: fc.tuple(reduceDims, seedArb).map(([[outer, reduce, inner], seed]) => {
      const x = floats([outer, reduce, inner], seed);
      const c: Case<"Reduce"> = { kernel: "Reduce", inputs: { x }, attrs: { op, outer, reduce, inner } };
      if (op !== "sum") return c;
      const scale = Float64Array.from(CPU_KERNELS.Reduce({ x: absOf(x) }, { op, outer, reduce, inner }) as Float32Array);
      return { ...c, scale };
    }),
  };
}

export const argMaxSpec: Spec<"ArgMax"> = {
  kernel: "ArgMax",
  label: "ArgMax",
  numRuns: 5,
  arb: fc.tuple(reduceDims, seedArb).map(([[outer, reduce, inner], seed]) => ({
    kernel: "ArgMax" as const,
    inputs: { x: floats([outer, reduce, inner], seed) },
    attrs: { outer, reduce, inner },
  })),
};

const causalArb = fc.option(fc.record({ queryLen: fc.integer({ min: 1, max: 8 }), offset: fc.integer({ min: 0, max: 4 }) }), {
  nil: null,
});

export function softmaxSpec(kernel: "Softmax" | "LogSoftmax"): Spec<"Softmax" | "LogSoftmax"> {
  return {
    kernel,
    label: kernel,
    numRuns: 6,
    arb: fc
      .tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 64 }), causalArb, seedArb)
      .map(([rows, cols, causal, seed]) => {
        const x = floats([rows, cols], seed, -6, 6);
        const c = { kernel, inputs: { x }, attrs: { rows, cols, causal } };
        if (kernel === "Softmax") return c;
        // log-softmax subtracts max + log Σ from x: the error scales with those magnitudes, not with the result.
        const scale = new Float64Array(rows * cols).fill(6 + Math.log(cols) + 6);
        return { ...c, scale };
      }),
  };
}

export const matmulSpec: Spec<"MatMul"> = {
  kernel: "MatMul",
  label: "MatMul",
  numRuns: 12,
  arb: fc
    .tuple(
      fc.integer({ min: 1, max: 24 }),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 1, max: 24 }),
      fc.boolean(),
      fc.boolean(),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 4 }),
      seedArb,
    )
    .map(([m, k, n, transA, transB, aCount, bCount, batch, seed]) => {
      const a = floats(transA ? [aCount, k, m] : [aCount, m, k], seed);
      const b = floats(transB ? [bCount, n, k] : [bCount, k, n], seed + 7);
      const next = stream(seed + 13);
      const aBatch = Array.from({ length: batch }, () => Math.floor(next() * aCount));
      const bBatch = Array.from({ length: batch }, () => Math.floor(next() * bCount));
      const attrs = { m, k, n, transA, transB, batch, aBatch, bBatch };
      const scale = Float64Array.from(CPU_KERNELS.MatMul({ a: absOf(a), b: absOf(b) }, attrs) as Float32Array);
      return { kernel: "MatMul" as const, inputs: { a, b }, attrs, scale };
    }),
};

export const gatherSpec: Spec<"Gather"> = {
  kernel: "Gather",
  label: "Gather",
  numRuns: 6,
  arb: fc
    .tuple(fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 32 }), dtypeArb, seedArb)
    .map(([numRows, rowSize, numIds, dtype, seed]) => ({
      kernel: "Gather" as const,
      inputs: { table: anyTensor([numRows, rowSize], seed, dtype), ids: ints([numIds], seed + 1, 0, numRows) },
      attrs: { numRows, rowSize, numIds },
    })),
};

export const scatterAddSpec: Spec<"ScatterAdd"> = {
  kernel: "ScatterAdd",
  label: "ScatterAdd",
  numRuns: 6,
  arb: fc
    .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 0, max: 48 }), seedArb)
    .map(([numRows, rowSize, numIds, seed]) => {
      const updates = floats([numIds, rowSize], seed);
      const ids = ints([numIds], seed + 1, 0, numRows);
      const attrs = { numRows, rowSize, numIds };
      const scale = Float64Array.from(CPU_KERNELS.ScatterAdd({ updates: absOf(updates), ids }, attrs) as Float32Array);
      return { kernel: "ScatterAdd" as const, inputs: { updates, ids }, attrs, scale };
    }),
};

export const permuteSpec: Spec<"Permute"> = {
  kernel: "Permute",
  label: "Permute",
  numRuns: 8,
  arb: fc
    .tuple(shapeArb(4, 6), seedArb, dtypeArb)
    .chain(([shape, seed, dtype]) =>
      fc
        .shuffledSubarray(
          shape.map((_, i) => i),
          { minLength: shape.length, maxLength: shape.length },
        )
        .map((perm) => ({ kernel: "Permute" as const, inputs: { x: anyTensor(shape, seed, dtype) }, attrs: { perm } })),
    ),
};

export const sliceSpec: Spec<"Slice"> = {
  kernel: "Slice",
  label: "Slice",
  numRuns: 8,
  arb: fc.tuple(shapeArb(4, 8), seedArb, dtypeArb).map(([shape, seed, dtype]) => {
    const next = stream(seed + 3);
    const begin = shape.map((d) => Math.floor(next() * d));
    const size = shape.map((d, i) => Math.floor(next() * (d - begin[i] + 1)));
    return { kernel: "Slice" as const, inputs: { x: anyTensor(shape, seed, dtype) }, attrs: { begin, size } };
  }),
};

export const padSpec: Spec<"Pad"> = {
  kernel: "Pad",
  label: "Pad",
  numRuns: 8,
  arb: fc.tuple(shapeArb(4, 6), seedArb, dtypeArb).map(([shape, seed, dtype]) => {
    const next = stream(seed + 5);
    const begin = shape.map(() => Math.floor(next() * 3));
    const outShape = shape.map((d, i) => d + begin[i] + Math.floor(next() * 3));
    return { kernel: "Pad" as const, inputs: { x: anyTensor(shape, seed, dtype) }, attrs: { begin, outShape } };
  }),
};

export const concatSpec: Spec<"Concat"> = {
  kernel: "Concat",
  label: "Concat",
  numRuns: 8,
  arb: fc
    .tuple(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 4 }), seedArb, dtypeArb)
    .map(([outer, inners, seed, dtype]) => ({
      kernel: "Concat" as const,
      inputs: { xs: inners.map((w, i) => anyTensor([outer, w], seed + i, dtype)) },
      attrs: { outer, inners },
    })),
};

export const castSpec: Spec<"Cast"> = {
  kernel: "Cast",
  label: "Cast",
  numRuns: 6,
  arb: fc.tuple(shapeArb(2, 32), seedArb, fc.boolean()).map(([shape, seed, toInt]) => ({
    kernel: "Cast" as const,
    inputs: { x: toInt ? floats(shape, seed, -50, 50) : ints(shape, seed, -100000, 100000) },
    attrs: { dtype: toInt ? ("int32" as const) : ("float32" as const) },
  })),
};

const normDims = fc.tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 64 }), seedArb);

/** Conditioning of a row norm's output: |x − shift|·inv·|w| + |b| with x's own magnitude folded in. */
function normScale(x: Float32Array, rows: number, cols: number, w: Float32Array, b: Float32Array | null, center: boolean): Float64Array {
  const scale = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    let ss = 0;
    for (let c = 0; c < cols; c++) s += x[r * cols + c];
    const mu = center ? s / cols : 0;
    for (let c = 0; c < cols; c++) ss += (x[r * cols + c] - mu) ** 2;
    const inv = 1 / Math.sqrt(ss / cols + 1e-5);
    for (let c = 0; c < cols; c++) scale[r * cols + c] = (Math.abs(x[r * cols + c]) + Math.abs(mu)) * inv * Math.abs(w[c]) + (b === null ? 0 : Math.abs(b[c]));
  }
  return scale;
}

export const rmsNormSpec: Spec<"RmsNorm"> = {
  kernel: "RmsNorm",
  label: "RmsNorm",
  numRuns: 6,
  arb: normDims.map(([rows, cols, seed]) => {
    const x = floats([rows, cols], seed);
    const weight = floats([cols], seed + 1);
    return {
      kernel: "RmsNorm" as const,
      inputs: { x, weight },
      attrs: { rows, cols, eps: 1e-5 },
      scale: normScale(x.data as Float32Array, rows, cols, weight.data as Float32Array, null, false),
    };
  }),
};

export const layerNormSpec: Spec<"LayerNorm"> = {
  kernel: "LayerNorm",
  label: "LayerNorm",
  numRuns: 6,
  arb: normDims.map(([rows, cols, seed]) => {
    const x = floats([rows, cols], seed, -1, 3);
    const weight = floats([cols], seed + 1);
    const bias = floats([cols], seed + 2);
    return {
      kernel: "LayerNorm" as const,
      inputs: { x, weight, bias },
      attrs: { rows, cols, eps: 1e-5 },
      scale: normScale(x.data as Float32Array, rows, cols, weight.data as Float32Array, bias.data as Float32Array, true),
    };
  }),
};

export const ropeSpec: Spec<"Rope"> = {
  kernel: "Rope",
  label: "Rope",
  numRuns: 6,
  arb: fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), fc.boolean(), seedArb)
    .map(([batchHeads, seq, half, inverse, seed]) => {
      const headDim = 2 * half;
      const x = floats([batchHeads, seq, headDim], seed);
      // The angle pos·θ^(−2i/d) is formed in float32 on the gpu.js side, so its error grows with the position;
      // the scale is |x_j| + |x_{j±h}| (both terms of the rotation), with positions drawn below 64.
      const scale = new Float64Array(x.data.length);
      for (let i = 0; i < x.data.length; i++) {
        const j = i % headDim;
        const partner = j < half ? i + half : i - half;
        scale[i] = Math.abs(x.data[i]) + Math.abs(x.data[partner]);
      }
      return {
        kernel: "Rope" as const,
        inputs: { x, positions: ints([seq], seed + 1, 0, 64) },
        attrs: { batchHeads, seq, headDim, theta: 10000, inverse },
        scale,
      };
    }),
};

export const pairwiseDistanceSpec: Spec<"PairwiseDistance"> = {
  kernel: "PairwiseDistance",
  label: "PairwiseDistance",
  numRuns: 6,
  arb: fc
    .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 16 }), seedArb)
    .map(([batch, n, m, dim, seed]) => {
      const a = floats([batch, n, dim], seed);
      const b = floats([batch, m, dim], seed + 1);
      // Equal rows must give exactly 0 (the energy loss's zero-gradient point): copy a's first row into b.
      for (let t = 0; t < batch; t++) b.data.set(a.data.subarray(t * n * dim, t * n * dim + dim), t * m * dim);
      return { kernel: "PairwiseDistance" as const, inputs: { a, b }, attrs: { batch, n, m, dim } };
    }),
};

/** Every spec: all unary and binary ops, every reduction, and every other kernel of the interface. */
export const ALL_SPECS: readonly Spec[] = [
  ...UNARY_OPS.map(unarySpec),
  ...BINARY_OPS.map(binarySpec),
  ...(["sum", "max", "min"] as const).map(reduceSpec),
  argMaxSpec,
  softmaxSpec("Softmax"),
  softmaxSpec("LogSoftmax"),
  matmulSpec,
  gatherSpec,
  scatterAddSpec,
  permuteSpec,
  sliceSpec,
  padSpec,
  concatSpec,
  castSpec,
  rmsNormSpec,
  layerNormSpec,
  ropeSpec,
  pairwiseDistanceSpec,
] as readonly Spec[];

/**
 * Rows and segments longer than gpu.js's default loop cap: it caps loops it cannot prove bounded at
 * `loopMaxIterations` (1000 by default), and these must still be summed in full.
 */
export const LONG_LOOP_SPECS: readonly Spec[] = [
  {
    kernel: "Reduce",
    label: "Reduce sum over 5000",
    numRuns: 1,
    arb: fc.constant({
      kernel: "Reduce" as const,
      inputs: { x: floats([2, 5000], 11) },
      attrs: { op: "sum" as const, outer: 2, reduce: 5000, inner: 1 },
      scale: new Float64Array(2).fill(5000 * 2),
    }),
  },
  {
    kernel: "ScatterAdd",
    label: "ScatterAdd of 3000 updates into one row",
    numRuns: 1,
    arb: fc.constant({
      kernel: "ScatterAdd" as const,
      inputs: { updates: floats([3000, 2], 12), ids: { data: new Int32Array(3000).fill(1), shape: [3000], dtype: "int32" as const } },
      attrs: { numRows: 3, rowSize: 2, numIds: 3000 },
      scale: new Float64Array(6).fill(3000 * 2),
    }),
  },
  {
    kernel: "Softmax",
    label: "Softmax over 3000 columns",
    numRuns: 1,
    arb: fc.constant({ kernel: "Softmax" as const, inputs: { x: floats([2, 3000], 13) }, attrs: { rows: 2, cols: 3000, causal: null } }),
  },
] as readonly Spec[];

const f0 = (shape: number[]): HostTensor => floats(shape, 5);
const one = <K extends KernelName>(kernel: K, label: string, c: Omit<Case<K>, "kernel">): Spec<K> => ({
  kernel,
  label,
  numRuns: 1,
  arb: fc.constant({ kernel, ...c } as Case<K>),
});

/** Large magnitudes, where a rational erf fit that overshoots ±1 makes gelu of a large negative input blow up. */
const EXTREME: HostTensor = { data: new Float32Array([-1e30, -200, -50, -12, -6, -4, 4, 6, 12, 200, 1e30]), shape: [11], dtype: "float32" };
export const EXTREME_SPECS: readonly Spec[] = (["erf", "gelu", "geluGrad"] as const).map((op) =>
  one("Unary", `Unary ${op} at large magnitudes`, { inputs: { x: EXTREME }, attrs: { op } }),
);

/** Empty tensors and empty reductions: every kernel must return the right (possibly empty) output. */
export const EMPTY_SPECS: readonly Spec[] = [
  one("Unary", "Unary exp of [0,3]", { inputs: { x: f0([0, 3]) }, attrs: { op: "exp" } }),
  one("Binary", "Binary add [0,3] + [3]", {
    inputs: { a: f0([0, 3]), b: f0([3]) },
    attrs: { op: "add", outShape: [0, 3], aStrides: [3, 1], bStrides: [0, 1] },
  }),
  one("Reduce", "Reduce sum with outer 0", { inputs: { x: f0([0, 4]) }, attrs: { op: "sum", outer: 0, reduce: 4, inner: 1 } }),
  one("Softmax", "Softmax of 0 rows", { inputs: { x: f0([0, 5]) }, attrs: { rows: 0, cols: 5, causal: null } }),
  one("MatMul", "MatMul with k = 0 (zeros)", {
    inputs: { a: f0([2, 0]), b: f0([0, 3]) },
    attrs: { m: 2, k: 0, n: 3, transA: false, transB: false, batch: 1, aBatch: [0], bBatch: [0] },
  }),
  one("MatMul", "MatMul with m = 0", {
    inputs: { a: f0([0, 4]), b: f0([4, 3]) },
    attrs: { m: 0, k: 4, n: 3, transA: false, transB: false, batch: 1, aBatch: [0], bBatch: [0] },
  }),
  one("RmsNorm", "RmsNorm of 0 rows", { inputs: { x: f0([0, 4]), weight: f0([4]) }, attrs: { rows: 0, cols: 4, eps: 1e-5 } }),
  one("Permute", "Permute of [0,2]", { inputs: { x: f0([0, 2]) }, attrs: { perm: [1, 0] } }),
  one("Pad", "Pad of [0] into [2]", { inputs: { x: f0([0]) }, attrs: { begin: [1], outShape: [2] } }),
  one("PairwiseDistance", "PairwiseDistance with n = 0", {
    inputs: { a: f0([1, 0, 3]), b: f0([1, 2, 3]) },
    attrs: { batch: 1, n: 0, m: 2, dim: 3 },
  }),
  one("PairwiseDistance", "PairwiseDistance with dim = 0 (zeros)", {
    inputs: { a: f0([1, 2, 0]), b: f0([1, 2, 0]) },
    attrs: { batch: 1, n: 2, m: 2, dim: 0 },
  }),
  one("ScatterAdd", "ScatterAdd of no updates (zeros)", {
    inputs: { updates: f0([0, 3]), ids: ints([0], 1, 0, 1) },
    attrs: { numRows: 2, rowSize: 3, numIds: 0 },
  }),
] as readonly Spec[];
