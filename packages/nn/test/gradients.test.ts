// SPDX-License-Identifier: MIT
// Finite-difference checks of every module's gradient (w.r.t. parameters and input), via @calm/tensor's
// valueAndGrad. For a fixed random cotangent R the loss is L = Σ forward ⊙ R; along random directions D the
// analytic derivative Σ ∇L·D must match the central difference (L(P+εD) − L(P−εD))/2ε, with L accumulated
// in float64 on the host so float32 rounding of the sum does not swamp the difference.

import { add, mul, randn, Rng, sum, type Tensor, tensor, valueAndGrad } from "@calm/tensor";
import { describe, expect, it } from "vitest";
import * as nn from "../src/index.js";
import type { ParamTree } from "../src/index.js";

const EPS = 1e-3;

/** Worst |analytic − numeric| / (1 + |analytic|) over `directions` random directions. */
function gradError<P extends ParamTree>(f: (p: P) => Tensor, params: P, seed: number, directions = 2, gradScale = 1): number {
  const rng = new Rng(seed);
  const y0 = f(params);
  const r = randn(y0.shape, rng);
  const rv = r.dataSync();
  const loss64 = (p: P) => {
    const y = f(p).dataSync();
    let s = 0;
    for (let i = 0; i < y.length; i++) s += y[i] * rv[i];
    return s;
  };
  const { grads } = valueAndGrad((p: unknown) => sum(mul(f(p as P), r)))(params as unknown);
  const g = nn.flattenParams(grads[0] as ParamTree);
  let worst = 0;
  for (let k = 0; k < directions; k++) {
    const d = nn.mapParams(params, (_, t) => randn(t.shape, rng));
    const dFlat = nn.flattenParams(d);
    let analytic = 0;
    for (const [name, gt] of g) {
      const gv = gt.dataSync();
      const dv = dFlat.get(name)!.dataSync();
      for (let i = 0; i < gv.length; i++) analytic += gradScale * gv[i] * dv[i];
    }
    const shifted = (s: number) => nn.mapParams(params, (name, t) => add(t, mul(dFlat.get(name)!, s)));
    const numeric = (loss64(shifted(EPS)) - loss64(shifted(-EPS))) / (2 * EPS);
    worst = Math.max(worst, Math.abs(analytic - numeric) / (1 + Math.abs(analytic)));
  }
  return worst;
}

const TOL = 1e-3;

describe("module gradients match central differences", () => {
  const rng = new Rng(11);
  const x = randn([2, 4, 8], rng);

  it("Linear (weight, bias, input)", () => {
    const p = { ...nn.createLinear({ inFeatures: 8, outFeatures: 5, initStd: 0.5 }, rng), bias: randn([5], rng) };
    expect(gradError((q: { lin: typeof p; x: Tensor }) => nn.linearForward(q.lin, q.x), { lin: p, x }, 1)).toBeLessThan(TOL);
  });

  it("Embedding (table)", () => {
    const e = nn.createEmbedding({ numEmbeddings: 6, embeddingDim: 4, initStd: 1 }, rng);
    const ids = tensor([[0, 5, 5], [2, 0, 1]], [2, 3], "int32");
    expect(gradError((q: typeof e) => nn.embeddingForward(q, ids), e, 2)).toBeLessThan(TOL);
    // padding_idx: the PAD row (id 5) receives no gradient, the others still do.
    const { grads } = valueAndGrad((q: typeof e) => sum(nn.embeddingForward(q, ids, 5)))(e);
    const g = Array.from(grads[0].weight!.dataSync());
    expect(g.slice(20, 24)).toEqual([0, 0, 0, 0]);
    expect(g.slice(0, 4)).toEqual([2, 2, 2, 2]);
  });

  it("RMSNorm and LayerNorm (weight, bias, input)", () => {
    const rn = { weight: randn([8], rng) };
    expect(gradError((q: { n: typeof rn; x: Tensor }) => nn.rmsNormForward(q.n, q.x), { n: rn, x }, 3)).toBeLessThan(TOL);
    const ln = { weight: randn([8], rng), bias: randn([8], rng) };
    expect(gradError((q: { n: typeof ln; x: Tensor }) => nn.layerNormForward(q.n, q.x), { n: ln, x }, 4)).toBeLessThan(TOL);
    expect(nn.createRMSNorm({ dim: 8 }).weight.shape).toEqual([8]);
    expect(nn.createLayerNorm({ dim: 8 }).bias!.shape).toEqual([8]);
  });

  it("SwiGLU MLP", () => {
    const mlp = nn.createMLP({ hiddenSize: 8, intermediateSize: 12, initStd: 0.4 }, rng);
    expect(gradError((q: { m: typeof mlp; x: Tensor }) => nn.mlpForward(q.m, q.x), { m: mlp, x }, 5)).toBeLessThan(TOL);
  });

  it("causal self-attention with RoPE", () => {
    const cfg = { hiddenSize: 8, numHeads: 2, initStd: 0.4 };
    const a = nn.createAttention(cfg, rng);
    expect(gradError((q: { a: typeof a; x: Tensor }) => nn.attentionForward(q.a, cfg, q.x), { a, x }, 6)).toBeLessThan(TOL);
  });

  it("Transformer block and a 2-layer stack from token ids", () => {
    const cfg = { hiddenSize: 8, intermediateSize: 12, numHeads: 2, initStd: 0.3 };
    const b = nn.createTransformerBlock(cfg, rng);
    expect(gradError((q: { b: typeof b; x: Tensor }) => nn.transformerBlockForward(q.b, cfg, q.x), { b, x }, 7)).toBeLessThan(TOL);
    const sc = { ...cfg, vocabSize: 10, numLayers: 2 };
    const s = nn.createTransformer(sc, rng);
    const ids = tensor([[1, 2, 3], [9, 0, 9]], [2, 3], "int32");
    expect(gradError((q: typeof s) => nn.transformerForward(q, sc, ids), s, 8, 1)).toBeLessThan(TOL);
  });

  it("the check is tight enough to catch a gradient that is 1 % off", () => {
    const mlp = nn.createMLP({ hiddenSize: 8, intermediateSize: 12, initStd: 0.4 }, rng);
    expect(gradError((q: { m: typeof mlp; x: Tensor }) => nn.mlpForward(q.m, q.x), { m: mlp, x }, 5, 2, 1.01)).toBeGreaterThan(TOL);
  });
});
