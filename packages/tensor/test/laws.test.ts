// SPDX-License-Identifier: MIT
// Algebraic laws the ops must satisfy, on random inputs.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { Rng, type Tensor } from "../src/index.js";
import { broadcastPairArb, randTensor, shapeArb } from "./helpers/arbitraries.js";

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const RUNS = Number(process.env.TENSOR_PROP_RUNS ?? 30);

function maxAbsDiff(a: Tensor, b: Tensor): number {
  expect([...a.shape]).toEqual([...b.shape]);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

describe("laws", () => {
  it("broadcasting add and mul commute exactly", () => {
    fc.assert(
      fc.property(broadcastPairArb, seedArb, ([sa, sb], seed) => {
        const rng = new Rng(seed);
        const a = randTensor(sa, rng);
        const b = randTensor(sb, rng);
        expect(maxAbsDiff(T.add(a, b), T.add(b, a))).toBe(0);
        expect(maxAbsDiff(T.mul(a, b), T.mul(b, a))).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
  it("broadcasting equals explicit broadcastTo", () => {
    fc.assert(
      fc.property(broadcastPairArb, seedArb, ([sa, sb], seed) => {
        const rng = new Rng(seed);
        const a = randTensor(sa, rng);
        const b = randTensor(sb, rng);
        const out = T.add(a, b).shape;
        expect(maxAbsDiff(T.sub(a, b), T.sub(T.broadcastTo(a, out), T.broadcastTo(b, out)))).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
  it("transpose of transpose is the identity; a permutation then its inverse is the identity", () => {
    const arb = shapeArb(4, 3).chain((s) =>
      fc.tuple(fc.constant(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length }), seedArb),
    );
    fc.assert(
      fc.property(arb, ([shape, perm, seed]) => {
        const x = randTensor(shape, new Rng(seed));
        if (shape.length >= 2) expect(maxAbsDiff(T.transpose(T.transpose(x)), x)).toBe(0);
        const inv = new Array<number>(perm.length);
        perm.forEach((p, i) => (inv[p] = i));
        expect(maxAbsDiff(T.permute(T.permute(x, perm), inv), x)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
  it("matmul is associative within float32 tolerance, and (AB)ᵀ = BᵀAᵀ", () => {
    const dim = fc.integer({ min: 1, max: 8 });
    fc.assert(
      fc.property(dim, dim, dim, dim, seedArb, (m, k, n, p, seed) => {
        const rng = new Rng(seed);
        const a = randTensor([m, k], rng);
        const b = randTensor([k, n], rng);
        const c = randTensor([n, p], rng);
        const left = T.matmul(T.matmul(a, b), c);
        const right = T.matmul(a, T.matmul(b, c));
        // Entries are sums of k·n products of values in [-2, 2): |entry| ≤ 8kn, float32 error ≲ 1e-6 of that.
        expect(maxAbsDiff(left, right)).toBeLessThan(1e-5 * 8 * k * n);
        expect(maxAbsDiff(T.transpose(T.matmul(a, b)), T.matmul(b, a, { transA: true, transB: true }))).toBeLessThan(1e-5 * k);
      }),
      { numRuns: RUNS },
    );
  });
  it("softmax rows sum to 1 and logSoftmax = log(softmax)", () => {
    fc.assert(
      fc.property(shapeArb(3, 5), seedArb, (shape, seed) => {
        const x = T.mul(randTensor(shape, new Rng(seed)), 5);
        const p = T.softmax(x);
        const sums = T.sum(p, -1).dataSync();
        for (const s of sums) expect(Math.abs(s - 1)).toBeLessThan(1e-6);
        expect(maxAbsDiff(T.logSoftmax(x), T.log(p))).toBeLessThan(1e-5);
      }),
      { numRuns: RUNS },
    );
  });
  it("softmax is invariant to adding a constant per row", () => {
    fc.assert(
      fc.property(shapeArb(3, 5), fc.double({ min: -50, max: 50, noNaN: true }), seedArb, (shape, c, seed) => {
        const x = randTensor(shape, new Rng(seed));
        expect(maxAbsDiff(T.softmax(T.add(x, c)), T.softmax(x))).toBeLessThan(1e-5);
      }),
      { numRuns: RUNS },
    );
  });
  it("concat then split is the identity; reshape round-trips", () => {
    fc.assert(
      fc.property(shapeArb(3, 4), seedArb, (shape, seed) => {
        const x = randTensor(shape, new Rng(seed));
        const axis = shape.length - 1;
        const [a, b] = T.split(T.concat([x, x], axis), 2, axis);
        expect(maxAbsDiff(a, x)).toBe(0);
        expect(maxAbsDiff(b, x)).toBe(0);
        expect(maxAbsDiff(T.reshape(T.reshape(x, [-1]), shape), x)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });
  it("gather then scatterAdd (unique ids) restores the selected rows", () => {
    const table = T.tensor([[1, 2], [3, 4], [5, 6]]);
    const ids = T.tensor([2, 0], [2], "int32");
    expect(T.scatterAdd(T.gather(table, ids), ids, 3).toArray()).toEqual([[1, 2], [0, 0], [5, 6]]);
  });
  it("RoPE preserves norms and relative positions (q·k depends only on the position difference)", () => {
    const rng = new Rng(5);
    const q = randTensor([1, 1, 1, 8], rng);
    const k = randTensor([1, 1, 1, 8], rng);
    const dot = (pq: number, pk: number) =>
      T.sum(T.mul(T.rope(q, T.tensor([pq], [1], "int32")), T.rope(k, T.tensor([pk], [1], "int32")))).item();
    expect(dot(7, 3)).toBeCloseTo(dot(104, 100), 4);
    expect(T.sum(T.square(T.rope(q, T.tensor([37], [1], "int32")))).item()).toBeCloseTo(T.sum(T.square(q)).item(), 4);
  });
});
