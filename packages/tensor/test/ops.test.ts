// SPDX-License-Identifier: MIT
// Forward values of every op against naive float64 references, on random small shapes, plus exact cases.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { geluWasm } from "../src/backends/cpu/matmul-wasm.js";
import { BINARY_OPS, Rng, UNARY_OPS, type Tensor } from "../src/index.js";
import { broadcastPairArb, randTensor, shapeArb } from "./helpers/arbitraries.js";
import {
  refAttention,
  refBinary,
  refMatmul,
  refPermute,
  refReduce,
  refRope,
  refRows,
  refSlice,
  refSoftmaxRow,
  type Nd,
} from "./helpers/reference.js";

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const RUNS = Number(process.env.TENSOR_PROP_RUNS ?? 25);

function nd(t: Tensor): Nd {
  return { shape: [...t.shape], data: Array.from(t.dataSync()) };
}

function expectClose(t: Tensor, ref: Nd, tol = 1e-5): void {
  expect([...t.shape]).toEqual(ref.shape);
  const got = t.dataSync();
  for (let i = 0; i < ref.data.length; i++) {
    const want = ref.data[i];
    if (Number.isNaN(want)) expect(got[i]).toBeNaN();
    else if (!Number.isFinite(want)) expect(got[i]).toBe(want);
    else if (Math.abs(got[i] - want) > tol * (1 + Math.abs(want))) {
      throw new Error(`element ${i}: got ${got[i]}, want ${want} (shape [${ref.shape}])`);
    }
  }
}

const erfRef = (x: number): number => {
  // Series/continued-fraction-free check value: integrate e^{-t²} with Simpson's rule (float64).
  const n = 2000;
  const h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 === 1 ? 4 : 2) * Math.exp(-(i * h) * (i * h));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
};

const UNARY_REF: Record<string, (v: number) => number> = {
  neg: (v) => -v,
  abs: Math.abs,
  sign: Math.sign,
  square: (v) => v * v,
  reciprocal: (v) => 1 / v,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (v) => 1 / Math.sqrt(v),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
  relu: (v) => Math.max(v, 0),
  step: (v) => (v > 0 ? 1 : 0),
  silu: (v) => v / (1 + Math.exp(-v)),
  erf: erfRef,
  gelu: (v) => 0.5 * v * (1 + erfRef(v / Math.SQRT2)),
  geluGrad: (v) => 0.5 * (1 + erfRef(v / Math.SQRT2)) + (v * Math.exp(-0.5 * v * v)) / Math.sqrt(2 * Math.PI),
  siluGrad: (v) => {
    const s = 1 / (1 + Math.exp(-v));
    return s * (1 + v * (1 - s));
  },
};

const BINARY_REF: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: Math.pow,
  maximum: Math.max,
  minimum: Math.min,
  divNoNan: (x, y) => (y === 0 ? 0 : x / y),
  equal: (x, y) => +(x === y),
  greater: (x, y) => +(x > y),
  greaterEqual: (x, y) => +(x >= y),
  less: (x, y) => +(x < y),
  lessEqual: (x, y) => +(x <= y),
};

describe("elementwise", () => {
  it("every unary op matches its float64 definition", () => {
    fc.assert(
      fc.property(shapeArb(), seedArb, (shape, seed) => {
        const x = randTensor(shape, new Rng(seed), { low: 0.05, high: 3 });
        const xn = randTensor(shape, new Rng(seed), { low: -3, high: 3 });
        for (const op of UNARY_OPS) {
          const input = ["log", "sqrt", "rsqrt"].includes(op) ? x : xn;
          const f = (T as unknown as Record<string, (t: Tensor) => Tensor>)[op];
          const ref = nd(input);
          expectClose(f(input), { shape: ref.shape, data: ref.data.map(UNARY_REF[op]) }, 2e-6);
        }
      }),
      { numRuns: RUNS },
    );
  });
  it("gelu and geluGrad on large tensors (the WebAssembly SIMD kernels) match float64, keep NaN, and handle ±Infinity", () => {
    // 4099 points over [−10, 10] (not a multiple of 4: the padded tail), plus special values.
    const values = Array.from({ length: 4099 }, (_, i) => -10 + (20 * i) / 4098);
    values.push(0, -0, 1e-30, -87, 88, 200, -200);
    const x = T.tensor(values);
    for (const op of ["gelu", "geluGrad"] as const) {
      const y = T[op](x).dataSync();
      const wasm = new Float32Array(values.length);
      expect(geluWasm(x.dataSync() as Float32Array, wasm, op === "geluGrad")).toBe(true);
      expect(Array.from(y)).toEqual(Array.from(wasm)); // the op takes the wasm path at this size
      values.forEach((v, i) => {
        const want = UNARY_REF[op](Math.fround(v));
        expect(Math.abs(y[i] - want), `${op}(${v}) = ${y[i]}, want ${want}`).toBeLessThanOrEqual(2e-6 * (1 + Math.abs(want)));
      });
      const special = T[op](T.tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, ...new Array(2045).fill(0.5)])).dataSync();
      expect(Number.isNaN(special[0])).toBe(true);
      expect(special[1]).toBe(op === "gelu" ? Number.POSITIVE_INFINITY : 1);
      expect(special[2]).toBe(op === "gelu" ? -0 : 0); // gelu(−∞) = −∞·Φ(−∞) → −0, not −∞·0 = NaN
      // Below the wasm threshold the JS loop runs: the same limits (v·φ(v) → 0 at ±∞, not ∞·0 = NaN).
      // A large negative finite v is the case an erf fit that overshoots −1 gets badly wrong (gelu(−1e30) ≈ +2.5e22).
      const small = T[op](T.tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1e30, -200, -6])).dataSync();
      expect(Number.isNaN(small[0])).toBe(true);
      expect(Array.from(small.subarray(1, 5))).toEqual(op === "gelu" ? [Number.POSITIVE_INFINITY, -0, -0, -0] : [1, 0, 0, 0]);
      const want6 = UNARY_REF[op](-6);
      expect(Math.abs(small[5] - want6)).toBeLessThanOrEqual(2e-6 * (1 + Math.abs(want6)));
    }
  });
  it("gelu falls back to the JS loop when the tensor does not fit the kernel memory cap", () => {
    const x = T.tensor(Array.from({ length: 300_000 }, (_, i) => -6 + (12 * i) / 299_999));
    try {
      T.setMatmulMemoryLimit(2 ** 20); // 1 MiB: 300k floats in and out do not fit
      expect(geluWasm(x.dataSync() as Float32Array, new Float32Array(300_000), false)).toBe(false);
      const y = T.gelu(x).dataSync();
      for (const i of [0, 1234, 150_000, 299_999]) {
        const v = x.dataSync()[i];
        expect(Math.abs(y[i] - UNARY_REF.gelu(v))).toBeLessThanOrEqual(2e-6 * (1 + Math.abs(v)));
      }
    } finally {
      T.setMatmulMemoryLimit(2 ** 30); // the default: the shared memory's 16384 pages
    }
  });
  it("every binary op broadcasts like NumPy", () => {
    fc.assert(
      fc.property(broadcastPairArb, seedArb, ([sa, sb], seed) => {
        const rng = new Rng(seed);
        // Small integers make ties (equal, maximum) and exact zeros (divNoNan) common.
        const ints = (s: number[]) => T.tensor(Array.from({ length: s.reduce((p, q) => p * q, 1) }, () => Math.floor(rng.nextFloat() * 5) - 2), s);
        const a = ints(sa);
        const b = ints(sb);
        const pa = randTensor(sa, rng, { low: 0.1, high: 2 });
        for (const op of BINARY_OPS) {
          const f = (T as unknown as Record<string, (x: Tensor, y: Tensor) => Tensor>)[op];
          const x = op === "pow" ? pa : a;
          expectClose(f(x, b), refBinary(nd(x), nd(b), BINARY_REF[op]), 1e-6);
        }
      }),
      { numRuns: RUNS },
    );
  });
  it("exp is float32-accurate over its whole range, including overflow, underflow and NaN", () => {
    const xs = [-Infinity, -200, -103, -50, -1e-3, 0, 1e-3, 1, 10, 88, 88.7, 89, 200, Infinity, NaN];
    const got = T.exp(T.tensor(xs)).dataSync();
    xs.forEach((v, i) => {
      const want = Math.fround(Math.exp(Math.fround(v)));
      if (Number.isNaN(want)) expect(got[i]).toBeNaN();
      else if (want === 0 || !Number.isFinite(want)) expect(got[i]).toBe(want);
      else if (want < 1.1754943508222875e-38) expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(1.5e-45); // subnormal: 1 ulp
      else expect(Math.abs(got[i] - want) / want).toBeLessThan(2.5e-7);
    });
    // a dense sweep: relative error within 2 float32 ulps everywhere a normal float32 results
    const sweep = Array.from({ length: 4001 }, (_, i) => -87 + (175 * i) / 4000);
    const ys = T.exp(T.tensor(sweep)).dataSync();
    sweep.forEach((v, i) => {
      const want = Math.exp(Math.fround(v));
      expect(Math.abs(ys[i] - want) / want).toBeLessThan(2.5e-7);
    });
  });
  it("numbers are promoted to scalars on either side", () => {
    expect(T.sub(10, T.tensor([1, 2])).toArray()).toEqual([9, 8]);
    expect(T.div(T.tensor([1, 2]), 4).toArray()).toEqual([0.25, 0.5]);
  });
});

describe("reductions", () => {
  const arb = shapeArb(4, 3).chain((s) => fc.tuple(fc.constant(s), fc.subarray(s.map((_, i) => i)), fc.boolean(), seedArb));
  it("sum/mean/max/min over any axes match the reference; argMax picks the first maximum", () => {
    fc.assert(
      fc.property(arb, ([shape, axes, keep, seed]) => {
        const x = randTensor(shape, new Rng(seed));
        const r = nd(x);
        const ax = axes.length === 0 ? shape.map((_, i) => i) : axes;
        const arg = axes.length === 0 ? undefined : axes;
        expectClose(T.sum(x, arg, keep), refReduce(r, ax, (v) => v.reduce((p, q) => p + q, 0), keep));
        expectClose(T.mean(x, arg, keep), refReduce(r, ax, (v) => v.reduce((p, q) => p + q, 0) / v.length, keep));
        expectClose(T.max(x, arg, keep), refReduce(r, ax, (v) => Math.max(...v), keep));
        expectClose(T.min(x, arg, keep), refReduce(r, ax, (v) => Math.min(...v), keep));
        const last = shape.length - 1;
        const am = refReduce(r, [last], (v) => v.indexOf(Math.max(...v)), false);
        expect(Array.from(T.argMax(x).dataSync())).toEqual(am.data);
      }),
      { numRuns: RUNS },
    );
  });
  it("argMax returns the first of tied maxima", () => {
    expect(T.argMax(T.tensor([[1, 3, 3], [2, 2, 0]])).toArray()).toEqual([1, 0]);
  });
  it("sum of an empty axis is 0", () => {
    expect(T.sum(T.zeros([2, 0]), 1).toArray()).toEqual([0, 0]);
  });
});

describe("layout ops", () => {
  it("permute matches the reference for any permutation", () => {
    const arb = shapeArb(4, 3).chain((s) =>
      fc.tuple(fc.constant(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }), seedArb),
    );
    fc.assert(
      fc.property(arb, ([shape, perm, seed]) => {
        const x = randTensor(shape, new Rng(seed));
        expectClose(T.permute(x, perm), refPermute(nd(x), perm), 0);
      }),
      { numRuns: RUNS },
    );
  });
  it("slice, pad, concat and split match the reference", () => {
    const arb = shapeArb(3, 4).chain((s) =>
      fc.tuple(fc.constant(s), fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }))), seedArb),
    );
    fc.assert(
      fc.property(arb, ([shape, begin, seed]) => {
        const x = randTensor(shape, new Rng(seed));
        const size = shape.map((d, i) => Math.max(1, Math.floor((d - begin[i]) / 2)));
        const s = T.slice(x, begin, size);
        expectClose(s, refSlice(nd(x), begin, size), 0);
        const padded = T.pad(s, size.map((_, i) => [begin[i], shape[i] - begin[i] - size[i]] as [number, number]));
        expect([...padded.shape]).toEqual(shape);
        expectClose(T.slice(padded, begin, size), nd(s), 0);
        expect(T.sum(T.abs(padded)).item()).toBeCloseTo(T.sum(T.abs(s)).item(), 4);
        const axis = shape.length - 1;
        const parts = T.split(x, [begin[axis], shape[axis] - begin[axis]], axis);
        expectClose(T.concat(parts, axis), nd(x), 0);
      }),
      { numRuns: RUNS },
    );
  });
  it("concat of int32 tensors keeps the dtype", () => {
    const c = T.concat([T.tensor([1], [1], "int32"), T.tensor([2, 3], [2], "int32")]);
    expect(c.dtype).toBe("int32");
    expect(c.toArray()).toEqual([1, 2, 3]);
  });
  it("reshape infers -1 and shares data", () => {
    expect(T.reshape(T.arange(0, 6, "float32"), [3, -1]).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
  });
});

describe("matmul", () => {
  const arb = fc.record({
    m: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 1, max: 5 }),
    n: fc.integer({ min: 1, max: 5 }),
    transA: fc.boolean(),
    transB: fc.boolean(),
    batchA: fc.constantFrom([], [2], [1], [3, 1]),
    batchB: fc.constantFrom([], [2], [1], [1, 2]),
    seed: seedArb,
  });
  it("batched, broadcast, all transpose variants match the naive triple loop", () => {
    fc.assert(
      fc.property(arb, ({ m, k, n, transA, transB, batchA, batchB, seed }) => {
        const rng = new Rng(seed);
        const a = randTensor([...batchA, ...(transA ? [k, m] : [m, k])], rng);
        const b = randTensor([...batchB, ...(transB ? [n, k] : [k, n])], rng);
        expectClose(T.matmul(a, b, { transA, transB }), refMatmul(nd(a), nd(b), transA, transB), 1e-5);
      }),
      { numRuns: RUNS },
    );
  });
  it("exact small case", () => {
    expect(T.matmul(T.tensor([[1, 2], [3, 4]]), T.tensor([[5, 6], [7, 8]])).toArray()).toEqual([[19, 22], [43, 50]]);
  });
});

describe("rows: softmax, norms, cross-entropy", () => {
  const arb = fc.tuple(shapeArb(3, 4), seedArb);
  it("softmax and logSoftmax match the reference (large logits do not overflow)", () => {
    fc.assert(
      fc.property(arb, ([shape, seed]) => {
        const x = T.mul(randTensor(shape, new Rng(seed)), 40);
        const r = nd(x);
        expectClose(T.softmax(x), refRows(r, refSoftmaxRow), 1e-6);
        expectClose(T.logSoftmax(x), refRows(r, (row) => refSoftmaxRow(row).map((p, i) => row[i] - Math.max(...row) - Math.log(row.map((v) => Math.exp(v - Math.max(...row))).reduce((s, e) => s + e, 0)) + 0 * p)), 1e-5);
      }),
      { numRuns: RUNS },
    );
  });
  it("rmsNorm and layerNorm match the reference", () => {
    fc.assert(
      fc.property(arb, ([shape, seed]) => {
        const rng = new Rng(seed);
        const x = randTensor(shape, rng);
        const d = shape[shape.length - 1];
        const w = randTensor([d], rng);
        const b = randTensor([d], rng);
        const wv = Array.from(w.dataSync());
        const bv = Array.from(b.dataSync());
        const eps = 1e-6;
        expectClose(
          T.rmsNorm(x, w, eps),
          refRows(nd(x), (row) => {
            const r = 1 / Math.sqrt(row.reduce((s, v) => s + v * v, 0) / row.length + eps);
            return row.map((v, i) => v * r * wv[i]);
          }),
          1e-5,
        );
        expectClose(
          T.layerNorm(x, w, b, 1e-5),
          refRows(nd(x), (row) => {
            const mu = row.reduce((s, v) => s + v, 0) / row.length;
            const v2 = row.reduce((s, v) => s + (v - mu) ** 2, 0) / row.length;
            return row.map((v, i) => ((v - mu) / Math.sqrt(v2 + 1e-5)) * wv[i] + bv[i]);
          }),
          1e-4,
        );
      }),
      { numRuns: RUNS },
    );
  });
  it("crossEntropy equals the mean of −log softmax at the targets, and honours ignoreIndex", () => {
    const logits = T.tensor([[1, 2, 3], [0, 0, 0]]);
    const targets = T.tensor([2, 1], [2], "int32");
    const p0 = refSoftmaxRow([1, 2, 3])[2];
    const expected = (-Math.log(p0) + Math.log(3)) / 2;
    expect(T.crossEntropy(logits, targets).item()).toBeCloseTo(expected, 5);
    expect(T.crossEntropy(logits, targets, { reduction: "sum" }).item()).toBeCloseTo(2 * expected, 5);
    expect(T.crossEntropy(logits, targets, { reduction: "none" }).toArray()).toEqual([expect.closeTo(-Math.log(p0), 5), expect.closeTo(Math.log(3), 5)]);
    expect(T.crossEntropy(logits, targets, { ignoreIndex: 1 }).item()).toBeCloseTo(-Math.log(p0), 5);
  });
});

describe("transformer ops", () => {
  it("rope matches the HF rotate-half formula and position 0 is the identity", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom(2, 4, 8), seedArb, (bh, seq, d, seed) => {
        const rng = new Rng(seed);
        const x = randTensor([bh, seq, d], rng);
        const pos = Array.from({ length: seq }, () => Math.floor(rng.nextFloat() * 2048));
        const y = T.rope(x, T.tensor(pos, [seq], "int32"));
        expectClose(y, refRope(nd(x), pos, 10000), 2e-5);
        expectClose(T.rope(y, T.tensor(pos, [seq], "int32"), { inverse: true }), nd(x), 2e-5);
        expectClose(T.rope(x, T.zeros([seq], "int32")), nd(x), 0);
      }),
      { numRuns: RUNS },
    );
  });
  it("causalAttention matches naive attention, with and without a KV-cache offset", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 4 }), seedArb, (sq, extra, d, seed) => {
        const rng = new Rng(seed);
        const sk = sq + extra;
        const q = randTensor([2, 2, sq, d], rng);
        const k = randTensor([2, 2, sk, d], rng);
        const v = randTensor([2, 2, sk, d + 1], rng);
        expectClose(T.causalAttention(q, k, v), refAttention(nd(q), nd(k), nd(v), extra), 1e-5);
        expectClose(T.causalAttention(q, k, v, { offset: 0 }), refAttention(nd(q), nd(k), nd(v), 0), 1e-5);
      }),
      { numRuns: RUNS },
    );
  });
  it("a query block with a KV cache equals the matching rows of full attention", () => {
    const rng = new Rng(3);
    const q = randTensor([1, 2, 5, 4], rng);
    const k = randTensor([1, 2, 5, 4], rng);
    const v = randTensor([1, 2, 5, 4], rng);
    const full = T.causalAttention(q, k, v);
    const last2 = T.causalAttention(T.slice(q, [0, 0, 3, 0]), k, v);
    expectClose(last2, nd(T.slice(full, [0, 0, 3, 0])), 1e-6);
  });
  it("pairwiseDistance matches the reference and is exactly 0 for equal rows", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), seedArb, (b, n, m, d, seed) => {
        const rng = new Rng(seed);
        const x = randTensor([b, n, d], rng);
        const y = randTensor([b, m, d], rng);
        const xv = nd(x);
        const yv = nd(y);
        const ref: number[] = [];
        for (let t = 0; t < b; t++)
          for (let i = 0; i < n; i++)
            for (let j = 0; j < m; j++) {
              let s = 0;
              for (let c = 0; c < d; c++) s += (xv.data[(t * n + i) * d + c] - yv.data[(t * m + j) * d + c]) ** 2;
              ref.push(Math.sqrt(s));
            }
        expectClose(T.pairwiseDistance(x, y), { shape: [b, n, m], data: ref }, 1e-5);
        const self = T.pairwiseDistance(x, x).dataSync();
        for (let t = 0; t < b; t++) for (let i = 0; i < n; i++) expect(self[(t * n + i) * n + i]).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
  it("pairwiseDistance has a zero (not NaN) gradient where the distance is 0", () => {
    const x = T.tensor([[[1, 2], [1, 2]]]);
    const [gx] = T.grad((x: Tensor) => T.sum(T.pairwiseDistance(x, x)))(x) as [Tensor];
    expect(Array.from(gx.dataSync())).toEqual([0, 0, 0, 0]);
    // Energy-loss initialisation: all N samples equal, so every model–model distance is exactly 0.
    const samples = T.zeros([2, 3, 4]);
    const [gs] = T.grad((s: Tensor) => T.mean(T.pairwiseDistance(s, s)))(samples) as [Tensor];
    expect(Array.from(gs.dataSync()).every((v) => v === 0)).toBe(true);
  });
  it("gather/embedding pick rows and scatterAdd accumulates repeated ids", () => {
    const table = T.tensor([[1, 2], [3, 4], [5, 6]]);
    const ids = T.tensor([[2, 0], [2, 2]], [2, 2], "int32");
    expect(T.embedding(table, ids).toArray()).toEqual([[[5, 6], [1, 2]], [[5, 6], [5, 6]]]);
    expect(T.scatterAdd(T.ones([3, 2]), T.tensor([0, 0, 2], [3], "int32"), 3).toArray()).toEqual([[2, 2], [0, 0], [1, 1]]);
  });
  it("dropout keeps E[y] = x, zeroes about p of the entries, and p = 0 is the identity", () => {
    // 20000 Bernoulli(0.25) draws: the kept fraction's sd is 0.003, so the ±0.02 band fails with p < 1e-9.
    const x = T.ones([20000]);
    const y = T.dropout(x, 0.25, new Rng(7)).dataSync();
    let zeros = 0;
    let badScale = 0;
    for (const v of y) {
      if (v === 0) zeros++;
      else if (Math.abs(v - 1 / 0.75) > 1e-6) badScale++;
    }
    expect(badScale).toBe(0);
    expect(Math.abs(zeros / 20000 - 0.25)).toBeLessThan(0.02);
    expect(T.dropout(x, 0, new Rng(7)).dataSync()).toEqual(x.dataSync());
    expect(T.dropout(x, 0.25, new Rng(7)).dataSync()).toEqual(y);
  });
});

describe("creation and read-back", () => {
  it("tensor() infers shapes, data() and toArray() round-trip, item() reads scalars", async () => {
    const x = T.tensor([[1, 2, 3], [4, 5, 6]]);
    expect([...x.shape]).toEqual([2, 3]);
    expect(Array.from(await x.data())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(x.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(T.scalar(2.5).item()).toBe(2.5);
    expect(T.tensor(7).toArray()).toBe(7);
    expect(T.full([2], 3).toArray()).toEqual([3, 3]);
    expect(T.cast(T.tensor([1.7, -1.7]), "int32").toArray()).toEqual([1, -1]);
    const copy = x.dataSync();
    copy[0] = 99;
    expect(x.dataSync()[0]).toBe(1);
  });
  it("randn and randu are reproducible from the seed and have the right moments", () => {
    // 50000 N(0,1) draws: sd of the mean 0.0045, of the variance 0.0063; the ±0.03 bands fail with p < 1e-6.
    const a = T.randn([50000], new Rng(11)).dataSync();
    expect(T.randn([50000], new Rng(11)).dataSync()).toEqual(a);
    let s = 0;
    let s2 = 0;
    for (const v of a) {
      s += v;
      s2 += v * v;
    }
    expect(Math.abs(s / a.length)).toBeLessThan(0.03);
    expect(Math.abs(s2 / a.length - 1)).toBeLessThan(0.03);
    const u = T.randu([50000], new Rng(12), -1, 3).dataSync();
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u)).toBeLessThan(3);
  });
});
