// SPDX-License-Identifier: MIT
// Finite-difference gradient checks for every differentiable op, on random small shapes (fast-check).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { Rng, type Tensor } from "../src/index.js";
import { broadcastPairArb, distinctTensor, randIds, randTensor, shapeArb } from "./helpers/arbitraries.js";
import { expectGradOk } from "./helpers/grad-check.js";

// TENSOR_PROP_RUNS raises the number of random cases (e.g. 300 for a soak run); 12 keeps the suite fast.
const RUNS = Number(process.env.TENSOR_PROP_RUNS ?? 12);
const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

function prop<A>(arb: fc.Arbitrary<A>, body: (a: A, rng: Rng) => void, numRuns = RUNS): void {
  fc.assert(
    fc.property(arb, seedArb, (a, seed) => body(a, new Rng(seed))),
    { numRuns },
  );
}

describe("unary gradients", () => {
  const cases: [string, (x: Tensor) => Tensor, { low?: number; high?: number; avoid?: number[] }][] = [
    ["neg", T.neg, {}],
    ["abs", T.abs, { avoid: [0] }],
    ["square", T.square, {}],
    ["reciprocal", T.reciprocal, { low: 0.5, high: 2 }],
    ["exp", T.exp, {}],
    ["log", T.log, { low: 0.3, high: 3 }],
    ["sqrt", T.sqrt, { low: 0.3, high: 3 }],
    ["rsqrt", T.rsqrt, { low: 0.3, high: 3 }],
    ["sigmoid", T.sigmoid, {}],
    ["tanh", T.tanh, {}],
    ["relu", T.relu, { avoid: [0] }],
    ["silu", T.silu, {}],
    ["erf", T.erf, {}],
    ["gelu", T.gelu, {}],
    ["geluGrad", T.geluGrad, {}],
    ["siluGrad", T.siluGrad, {}],
  ];
  for (const [name, op, domain] of cases) {
    it(`${name} matches central differences`, () => {
      prop(shapeArb(), (shape, rng) => expectGradOk(op, [randTensor(shape, rng, domain)]));
    });
  }
});

describe("binary gradients (with broadcasting)", () => {
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, (s: number[], rng: Rng, which: 0 | 1) => Tensor][] = [
    ["add", T.add, (s, r) => randTensor(s, r)],
    ["sub", T.sub, (s, r) => randTensor(s, r)],
    ["mul", T.mul, (s, r) => randTensor(s, r)],
    ["div", T.div, (s, r, w) => (w === 0 ? randTensor(s, r) : randTensor(s, r, { low: 0.5, high: 2 }))],
    ["divNoNan", T.divNoNan, (s, r, w) => (w === 0 ? randTensor(s, r) : randTensor(s, r, { low: -2, high: -0.5 }))],
    ["pow", T.pow, (s, r, w) => (w === 0 ? randTensor(s, r, { low: 0.5, high: 2 }) : randTensor(s, r, { low: -1.5, high: 1.5 }))],
    ["maximum", T.maximum, (s, r, w) => (w === 0 ? randTensor(s, r, { avoid: [0.5], margin: 0.15 }) : T.full(s, 0.5))],
    ["minimum", T.minimum, (s, r, w) => (w === 0 ? randTensor(s, r, { avoid: [0.5], margin: 0.15 }) : T.full(s, 0.5))],
  ];
  for (const [name, op, make] of cases) {
    it(`${name} matches central differences`, () => {
      prop(broadcastPairArb, ([sa, sb], rng) => expectGradOk(op, [make(sa, rng, 0), make(sb, rng, 1)]));
    });
  }
  it("maximum/minimum of two random tensors away from ties", () => {
    prop(shapeArb(), (s, rng) => {
      const a = randTensor(s, rng);
      const gapped = T.add(a, T.mul(T.sign(randTensor(s, rng, { avoid: [0] })), 0.5));
      expectGradOk(T.maximum, [a, gapped]);
      expectGradOk(T.minimum, [a, gapped]);
    });
  });
});

describe("reduction gradients", () => {
  const axesArb = shapeArb(3, 3).chain((shape) =>
    fc.tuple(fc.constant(shape), fc.subarray(shape.map((_, i) => i)), fc.boolean()),
  );
  for (const [name, op] of [
    ["sum", T.sum],
    ["mean", T.mean],
  ] as const) {
    it(`${name} over random axes`, () => {
      prop(axesArb, ([shape, axes, keep], rng) => expectGradOk((x) => op(x, axes, keep), [randTensor(shape, rng)]));
    });
  }
  for (const [name, op] of [
    ["max", T.max],
    ["min", T.min],
  ] as const) {
    it(`${name} over random axes (distinct values)`, () => {
      prop(axesArb, ([shape, axes, keep], rng) => expectGradOk((x) => op(x, axes.length ? axes : undefined, keep), [distinctTensor(shape, rng)]));
    });
  }
  it("sumTo inverts broadcasting", () => {
    prop(broadcastPairArb, ([sa, sb], rng) => {
      const out = T.broadcastTo(T.zeros(sa), T.add(T.zeros(sa), T.zeros(sb)).shape).shape;
      expectGradOk((x) => T.sumTo(x, sa), [randTensor(out, rng)]);
    });
  });
});

describe("shape op gradients", () => {
  it("reshape, expandDims, squeeze", () => {
    prop(shapeArb(), (shape, rng) => {
      const x = randTensor(shape, rng);
      expectGradOk((x) => T.reshape(x, [-1]), [x]);
      expectGradOk((x) => T.squeeze(T.expandDims(x, 0)), [x]);
    });
  });
  it("permute and transpose", () => {
    const arb = shapeArb(4, 3).chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray(s.map((_, i) => i), { minLength: s.length, maxLength: s.length })));
    prop(arb, ([shape, perm], rng) => {
      const x = randTensor(shape, rng);
      expectGradOk((x) => T.permute(x, perm), [x]);
      if (shape.length >= 2) expectGradOk((x) => T.transpose(x), [x]);
    });
  });
  it("broadcastTo", () => {
    prop(broadcastPairArb, ([sa, sb], rng) => {
      const out = T.add(T.zeros(sa), T.zeros(sb)).shape;
      expectGradOk((x) => T.broadcastTo(x, out), [randTensor(sa, rng)]);
    });
  });
  it("slice and pad", () => {
    const arb = shapeArb(3, 4).chain((s) =>
      fc.tuple(
        fc.constant(s),
        fc.tuple(...s.map((d) => fc.integer({ min: 0, max: d - 1 }))),
        fc.tuple(...s.map(() => fc.integer({ min: 0, max: 2 }))),
      ),
    );
    prop(arb, ([shape, begin, pads], rng) => {
      const x = randTensor(shape, rng);
      const size = shape.map((d, i) => d - begin[i]);
      expectGradOk((x) => T.slice(x, begin, size), [x]);
      expectGradOk((x) => T.pad(x, pads.map((p, i) => [p, i % 2] as [number, number])), [x]);
    });
  });
  it("concat, split and stack", () => {
    const arb = fc.tuple(shapeArb(3, 3), fc.integer({ min: 1, max: 3 }), fc.nat());
    prop(arb, ([shape, extra, axisSeed], rng) => {
      const axis = axisSeed % shape.length;
      const other = shape.map((d, i) => (i === axis ? extra : d));
      const a = randTensor(shape, rng);
      const b = randTensor(other, rng);
      expectGradOk((a, b) => T.concat([a, b, a], axis), [a, b]);
      expectGradOk((x) => T.mul(T.split(x, [shape[axis], extra], axis)[1], 2), [T.concat([a, b], axis)]);
      expectGradOk((a, c) => T.stack([a, c], axis), [a, randTensor(shape, rng)]);
    });
  });
});

describe("matmul gradients", () => {
  const arb = fc.record({
    m: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 1, max: 3 }),
    transA: fc.boolean(),
    transB: fc.boolean(),
    batchA: fc.constantFrom([], [2], [1], [3, 1]),
    batchB: fc.constantFrom([], [2], [1], [1, 2]),
  });
  it("all transpose variants with broadcast batch dims", () => {
    prop(arb, ({ m, k, n, transA, transB, batchA, batchB }, rng) => {
      const a = randTensor([...batchA, ...(transA ? [k, m] : [m, k])], rng);
      const b = randTensor([...batchB, ...(transB ? [n, k] : [k, n])], rng);
      expectGradOk((a, b) => T.matmul(a, b, { transA, transB }), [a, b]);
    });
  });
});

describe("indexing gradients", () => {
  it("gather/embedding w.r.t. the table (repeated ids accumulate)", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), shapeArb(2, 2), shapeArb(2, 4));
    prop(arb, ([rows, rowShape, idShape], rng) => {
      const ids = randIds(idShape, rows, rng);
      expectGradOk((t) => T.gather(t, ids), [randTensor([rows, ...rowShape], rng)]);
    });
  });
  it("scatterAdd w.r.t. the updates", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 3 }));
    prop(arb, ([rows, n, d], rng) => {
      const ids = randIds([n], rows, rng);
      expectGradOk((u) => T.scatterAdd(u, ids, rows), [randTensor([n, d], rng)]);
    });
  });
});

describe("softmax family and losses", () => {
  it("softmax and logSoftmax", () => {
    prop(shapeArb(3, 4), (shape, rng) => {
      const x = randTensor(shape, rng);
      expectGradOk((x) => T.softmax(x), [x]);
      expectGradOk((x) => T.logSoftmax(x), [x]);
    });
  });
  it("crossEntropy (mean, sum, none, ignoreIndex)", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 5 }));
    prop(arb, ([n, v], rng) => {
      const logits = randTensor([n, v], rng, { low: -3, high: 3 });
      const targets = randIds([n], v, rng);
      expectGradOk((z) => T.crossEntropy(z, targets), [logits]);
      expectGradOk((z) => T.crossEntropy(z, targets, { reduction: "sum" }), [logits]);
      expectGradOk((z) => T.crossEntropy(z, targets, { reduction: "none" }), [logits]);
      expectGradOk((z) => T.crossEntropy(z, targets, { ignoreIndex: 0 }), [logits]);
    });
  });
});

/** Rows whose columns are ≥ 0.2 apart (a ramp plus small noise): keeps the variance, and so 1/σ, away from the
 * ill-conditioned near-constant rows where a central difference with ε = 1e-2 is not accurate. */
function spreadRows(lead: number[], d: number, rng: Rng): Tensor {
  return T.add(randTensor([...lead, d], rng, { low: -0.2, high: 0.2 }), T.mul(T.arange(0, d, "float32"), 0.6 * (rng.nextFloat() < 0.5 ? -1 : 1)));
}

/** Point sets whose cross distances are all ≥ 0.2 (the norm has a kink at distance 0). */
function separatedPoints(shapeA: number[], shapeB: number[], rng: Rng): [Tensor, Tensor] {
  for (;;) {
    const a = randTensor(shapeA, rng);
    const b = randTensor(shapeB, rng);
    if (T.min(T.pairwiseDistance(a, b)).item() >= 0.2) return [a, b];
  }
}

describe("normalisation gradients", () => {
  const arb = fc.tuple(shapeArb(2, 3), fc.integer({ min: 2, max: 5 }));
  it("rmsNorm w.r.t. x and weight", () => {
    prop(arb, ([lead, d], rng) => {
      expectGradOk((x, w) => T.rmsNorm(x, w, 1e-6), [spreadRows(lead, d, rng), randTensor([d], rng)]);
    });
  });
  it("layerNorm w.r.t. x, weight and bias (and without bias)", () => {
    prop(arb, ([lead, d], rng) => {
      const x = spreadRows(lead, d, rng);
      expectGradOk((x, w, b) => T.layerNorm(x, w, b, 1e-5), [x, randTensor([d], rng), randTensor([d], rng)]);
      expectGradOk((x, w) => T.layerNorm(x, w, null, 1e-5), [x, randTensor([d], rng)]);
    });
  });
});

describe("transformer op gradients", () => {
  it("rope w.r.t. x", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom(2, 4));
    prop(arb, ([bh, seq, d], rng) => {
      const pos = T.tensor(Array.from({ length: seq }, () => Math.floor(rng.nextFloat() * 50)), [seq], "int32");
      expectGradOk((x) => T.rope(x, pos), [randTensor([bh, 1, seq, d], rng)]);
    });
  });
  it("causalAttention w.r.t. q, k, v (self and KV-cache offset)", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 3 }));
    prop(arb, ([sq, extra, d], rng) => {
      const sk = sq + extra;
      const q = randTensor([1, 2, sq, d], rng);
      const k = randTensor([1, 2, sk, d], rng);
      const v = randTensor([1, 2, sk, d], rng);
      expectGradOk((q, k, v) => T.causalAttention(q, k, v), [q, k, v]);
    });
  });
  it("pairwiseDistance w.r.t. both point sets (batched and 2-D)", () => {
    const arb = fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }));
    prop(arb, ([b, n, m, d], rng) => {
      expectGradOk(T.pairwiseDistance, separatedPoints([b, n, d], [b, m, d], rng));
      expectGradOk(T.pairwiseDistance, separatedPoints([n, d], [m, d], rng));
    });
  });
  it("dropout w.r.t. x (same mask for the same rng state)", () => {
    prop(shapeArb(), (shape, rng) => {
      const seed = rng.nextU32();
      expectGradOk((x) => T.dropout(x, 0.3, new Rng(seed)), [randTensor(shape, rng)]);
    });
  });
});

describe("composite helpers", () => {
  it("clip (away from the bounds) and logSumExp", () => {
    prop(shapeArb(3, 4), (shape, rng) => {
      expectGradOk((x) => T.clip(x, -1, 1), [randTensor(shape, rng, { avoid: [-1, 1] })]);
      expectGradOk((x) => T.logSumExp(x), [T.mul(randTensor(shape, rng), 30)], { eps: 1e-2, atol: 1e-2 });
    });
  });
  it("stopGradient blocks the gradient and leaves the value", () => {
    const [g] = T.grad((x: Tensor) => T.sum(T.mul(x, T.stopGradient(x))))(T.tensor([3, -2]));
    expect(Array.from(g!.dataSync())).toEqual([3, -2]);
    expect(T.logSumExp(T.tensor([[1000, 1000]])).dataSync()[0]).toBe(Math.fround(1000 + Math.LN2)); // no overflow
  });
});

describe("second-order gradients (gradient rules are themselves differentiable)", () => {
  // g(x) = ∇ₓ Σ f(x)·r₀ is itself checked against central differences, so every rule used in f's backward
  // pass must have a correct rule of its own.
  const first = (f: (x: Tensor) => Tensor, r0: Tensor) => (x: Tensor) =>
    (T.grad((y: Tensor) => T.sum(T.mul(f(y), r0)))(x)[0] as Tensor);
  const cases: [string, (x: Tensor) => Tensor, { low?: number; high?: number }][] = [
    ["exp", T.exp, {}],
    ["log", T.log, { low: 0.5, high: 2 }],
    ["sqrt", T.sqrt, { low: 0.5, high: 2 }],
    ["sigmoid", T.sigmoid, {}],
    ["tanh", T.tanh, {}],
    ["silu", T.silu, {}],
    ["gelu", T.gelu, {}],
    ["softmax", (x) => T.softmax(x), {}],
    ["logSoftmax", (x) => T.logSoftmax(x), {}],
    ["rmsNorm", (x) => T.rmsNorm(T.add(x, T.mul(T.arange(0, x.shape[x.rank - 1], "float32"), 0.6)), T.ones([x.shape[x.rank - 1]])), { low: -0.2, high: 0.2 }],
    ["matmul (x·xᵀ)", (x) => T.matmul(x, x, { transB: true }), {}],
    ["max", (x) => T.max(x, -1), {}],
  ];
  for (const [name, f, domain] of cases) {
    it(`${name}`, () => {
      prop(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 3 })), ([r, c], rng) => {
        const x = name === "max" ? distinctTensor([r, c], rng) : randTensor([r, c], rng, domain);
        const r0 = randTensor(f(x).shape as number[], rng);
        expectGradOk(first(f, r0), [x], { rtol: 3e-2, atol: 1e-2 });
      }, Math.ceil(RUNS / 2));
    });
  }
});
