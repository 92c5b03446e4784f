// SPDX-License-Identifier: MIT
// AdamW against a hand-computed example, clipping, schedules at known steps, gradient accumulation.

import { crossEntropy, Rng, reshape, slice, type Tensor, tensor, valueAndGrad, zerosLike } from "@calm/tensor";
import { describe, expect, it } from "vitest";
import {
  adamwStep,
  clipGradNorm,
  createAdamWState,
  createLayerNorm,
  createLinear,
  createTransformer,
  flattenParams,
  GradientAccumulator,
  learningRate,
  linearForward,
  mapParams,
  transformerForward,
} from "../src/index.js";
import { host, maxAbsDiff } from "./helpers.js";

describe("AdamW", () => {
  // Hand computation (lr 0.1, λ 0.1, β 0.9/0.999, ε 1e-8; gradients 0.5 then −1 for both parameters):
  // step 1, w (matrix, decays): w = 1·(1 − 0.01) = 0.99; m = 0.05, v = 0.00025; m̂ = 0.05/0.1 = 0.5,
  //   sqrt(v̂) = sqrt(0.00025/0.001) = 0.5; w = 0.99 − 0.1·0.5/(0.5 + 1e-8) = 0.890000002.
  // step 2: w = 0.890000002·0.99 = 0.88110000198; m = 0.045 − 0.1 = −0.055; v = 0.00024975 + 0.001 = 0.00124975;
  //   m̂ = −0.055/0.19 = −0.289473684; sqrt(v̂) = sqrt(0.00124975/0.001999) = 0.790688...;
  //   w = 0.88110000198 + 0.1·0.289473684/0.790688 = 0.91771035.
  // b (vector, no decay): 1 − 0.1 = 0.900000002, then 0.900000002 + 0.0366103… = 0.93661035.
  const cfg = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
  const run = () => {
    let params = { w: tensor([[1]]), b: tensor([1]) };
    let state = createAdamWState(params);
    const out: number[][] = [];
    for (const g of [0.5, -1]) {
      ({ params, state } = adamwStep(params, { w: tensor([[g]]), b: tensor([g]) }, state, 0.1, cfg));
      out.push([host(params.w)[0], host(params.b)[0], host(state.m.w)[0], host(state.v.w)[0]]);
    }
    return { out, state };
  };

  it("two steps match the hand computation (bias correction, decoupled decay on matrices only)", () => {
    const { out, state } = run();
    expect(state.step).toBe(2);
    const want = [
      [0.890000002, 0.900000002, 0.05, 0.00025],
      [0.9177103542, 0.9366103542, -0.055, 0.00124975],
    ];
    out.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
    // Mutants the numbers exclude: no bias correction (step 1 would move w by 0.1·0.05/sqrt(0.00025) ≈ 0.316),
    // decay on the bias (b would be 0.89 after step 1), L2-coupled decay (the gradient would include λw).
    expect(Math.abs(out[0][0] - (0.99 - 0.316))).toBeGreaterThan(0.1);
    expect(Math.abs(out[0][1] - 0.89)).toBeGreaterThan(0.005);
  });

  it("is a pure function of its inputs (same inputs, same bits) and validates them", () => {
    const a = run().out;
    const b = run().out;
    expect(a).toEqual(b);
    const p = { w: tensor([[1]]) };
    const s = createAdamWState(p);
    expect(() => adamwStep(p, {}, s, 0.1)).toThrow(/no gradient for parameter "w"/);
    expect(() => adamwStep(p, { w: tensor([1, 2]) }, s, 0.1)).toThrow(/shapes differ for "w": param \[1,1\], grad \[2\]/);
    expect(() => adamwStep(p, { w: tensor([[1]]) }, s, 0.1, { beta2: 1 })).toThrow(/config.beta2 must be in \[0, 1\), got 1/);
    expect(() => adamwStep(p, { w: tensor([[1]]) }, s, -1)).toThrow(/lr must be a finite number ≥ 0, got -1/);
  });

  it("on a real model tree, biases and RMSNorm/LayerNorm weights do not decay; Linear and Embedding weights do", () => {
    const rng = new Rng(3);
    const model = {
      transformer: createTransformer({ vocabSize: 7, hiddenSize: 8, intermediateSize: 12, numHeads: 2, numLayers: 1 }, rng),
      embed_proj: { 0: createLinear({ inFeatures: 16, outFeatures: 8 }, rng), 3: createLayerNorm({ dim: 8 }) },
    };
    // Zero gradients: m = v = 0, so the only change is the decoupled decay θ·(1 − lr·λ).
    const zero = mapParams(model, (_, t) => zerosLike(t));
    const next = adamwStep(model, zero, createAdamWState(model), 0.5, { weightDecay: 0.2 }).params;
    const before = flattenParams(model);
    const decayed: string[] = [];
    for (const [name, t] of flattenParams(next)) {
      const a = host(before.get(name)!);
      const b = host(t);
      if (a.some((v, i) => v !== b[i])) {
        decayed.push(name);
        expect(maxAbsDiff(b, a.map((v) => v * 0.9)), name).toBeLessThan(1e-7);
      }
    }
    expect(decayed.sort()).toEqual(
      [...before].filter(([, t]) => t.rank === 2).map(([n]) => n).sort(),
    );
    expect(decayed).toContain("transformer.embed_tokens.weight");
    expect(decayed).toContain("embed_proj.0.weight");
    for (const kept of ["embed_proj.0.bias", "embed_proj.3.weight", "transformer.norm.weight", "transformer.layers.0.input_layernorm.weight"]) {
      expect(decayed).not.toContain(kept);
    }
  });

  it("a custom decay rule by name is honoured", () => {
    const p = { w: tensor([[1]]) };
    const r = adamwStep(p, { w: tensor([[0]]) }, createAdamWState(p), 0.1, { weightDecay: 0.5, decay: () => false });
    expect(host(r.params.w)[0]).toBe(1);
    const r2 = adamwStep(p, { w: tensor([[0]]) }, createAdamWState(p), 0.1, { weightDecay: 0.5 });
    expect(host(r2.params.w)[0]).toBeCloseTo(0.95, 7);
  });
});

describe("clipGradNorm", () => {
  it("scales by maxNorm/(‖g‖ + 1e-6) only when that is below 1, and returns the pre-clip norm", () => {
    const g = { a: tensor([3, 4]), b: [tensor([[0]])], ids: null };
    const { grads, norm } = clipGradNorm(g, 1);
    expect(norm).toBe(5);
    expect(maxAbsDiff(host(grads.a), [3 / (5 + 1e-6), 4 / (5 + 1e-6)])).toBeLessThan(1e-7);
    expect(grads.ids).toBeNull();
    const big = clipGradNorm(g, 10);
    expect(big.grads).toBe(g);
    expect(() => clipGradNorm(g, 0)).toThrow(/maxNorm must be > 0, got 0/);
  });
});

describe("learning-rate schedules (HF constant_with_warmup / cosine_with_warmup)", () => {
  it("linear warmup from 0, then constant", () => {
    const s = { peakLr: 1e-3, warmupSteps: 100, kind: "constant" as const };
    expect([0, 1, 50, 99, 100, 5000].map((t) => learningRate(s, t))).toEqual([0, 1e-5, 5e-4, 9.9e-4, 1e-3, 1e-3]);
  });

  it("cosine: peak at the end of warmup, half way at the midpoint, the floor at totalSteps and after", () => {
    const s = { peakLr: 1, warmupSteps: 10, kind: "cosine" as const, totalSteps: 110 };
    expect(learningRate(s, 5)).toBe(0.5);
    expect(learningRate(s, 10)).toBe(1);
    expect(learningRate(s, 35)).toBeCloseTo(0.5 * (1 + Math.SQRT1_2), 12);
    expect(learningRate(s, 60)).toBeCloseTo(0.5, 12);
    expect(learningRate(s, 110)).toBe(0);
    expect(learningRate(s, 500)).toBe(0);
    expect(learningRate({ ...s, minLr: 0.1 }, 60)).toBeCloseTo(0.55, 12);
    expect(() => learningRate({ ...s, totalSteps: undefined }, 20)).toThrow(/cosine needs config.totalSteps/);
    expect(() => learningRate(s, -1)).toThrow(/step must be an integer ≥ 0, got -1/);
  });
});

describe("gradient accumulation", () => {
  const config = { vocabSize: 9, hiddenSize: 8, intermediateSize: 12, numHeads: 2, numLayers: 1, initStd: 0.3 };
  const rng = new Rng(5);
  const params = { t: createTransformer(config, rng), head: createLinear({ inFeatures: 8, outFeatures: 9, bias: false, initStd: 0.3 }, rng) };
  const ids = tensor(Array.from({ length: 4 * 6 }, (_, i) => (i * 7 + 3) % 9), [4, 6], "int32");
  const targets = tensor(Array.from({ length: 4 * 6 }, (_, i) => (i * 5 + 1) % 9), [4, 6], "int32");
  const loss = (p: typeof params, x: Tensor, y: Tensor) => {
    const logits = linearForward(p.head, transformerForward(p.t, config, x));
    return crossEntropy(reshape(logits, [y.size, 9]), reshape(y, [y.size]));
  };
  const gradOf = (x: Tensor, y: Tensor) => valueAndGrad(loss)(params, x, y).grads[0];
  const rows = (t: Tensor, a: number, n: number) => slice(t, [a, 0], [n, 6]);
  const flat = (g: unknown) => [...flattenParams(g as never).values()].flatMap((t) => host(t));
  const big = flat(gradOf(ids, targets));

  it("the mean over k equal micro-batches equals one big batch (float tolerance)", () => {
    const acc = new GradientAccumulator();
    for (let i = 0; i < 4; i += 2) acc.add(gradOf(rows(ids, i, 2), rows(targets, i, 2)));
    expect(acc.count).toBe(2);
    expect(maxAbsDiff(flat(acc.mean()), big)).toBeLessThan(1e-6);
  });

  it("unequal micro-batches weighted by size, and a summing mutant that fails", () => {
    const acc = new GradientAccumulator();
    acc.add(gradOf(rows(ids, 0, 1), rows(targets, 0, 1)), 1);
    acc.add(gradOf(rows(ids, 1, 3), rows(targets, 1, 3)), 3);
    expect(maxAbsDiff(flat(acc.mean()), big)).toBeLessThan(1e-6);
    acc.reset();
    expect(() => acc.mean()).toThrow(/no gradients were added/);
    const sumNotMean = flat(gradOf(rows(ids, 0, 2), rows(targets, 0, 2))).map((v, i) => v + flat(gradOf(rows(ids, 2, 2), rows(targets, 2, 2)))[i]);
    expect(maxAbsDiff(sumNotMean, big)).toBeGreaterThan(1e-3);
  });

  it("AdamW with clipping drives the loss down on a fixed batch", () => {
    let p = params;
    let s = createAdamWState(p);
    const first = loss(p, ids, targets).item();
    for (let i = 0; i < 25; i++) {
      const { grads } = valueAndGrad(loss)(p, ids, targets);
      ({ params: p, state: s } = adamwStep(p, clipGradNorm(grads[0], 1).grads, s, 2e-2, { weightDecay: 0.01 }));
    }
    expect(loss(p, ids, targets).item()).toBeLessThan(first * 0.5);
  });
});
