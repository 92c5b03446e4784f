// SPDX-License-Identifier: MIT
// Finite-difference checks of every module's gradient (w.r.t. parameters and input) with @calm/tensor's
// exported checker: the tree's tensors are flattened into checkGradients' input list and rebuilt inside f,
// so every element of every parameter and of the input is compared with a central difference.

import { checkGradients, randn, Rng, sum, type Tensor, tensor, valueAndGrad } from "@calm/tensor";
import { describe, expect, it } from "vitest";
import * as nn from "../src/index.js";
import type { ParamTree } from "../src/index.js";

/** checkGradients over every tensor of a parameter tree; returns its result (ok and the worst element). */
function gradCheck<P extends ParamTree>(f: (p: P) => Tensor, params: P) {
  const flat = nn.flattenParams(params);
  const names = [...flat.keys()];
  const rebuild = (xs: Tensor[]) => nn.unflattenParams(params, new Map(names.map((n, i) => [n, xs[i]])));
  return checkGradients((...xs) => f(rebuild(xs)), [...flat.values()]);
}


describe("module gradients match central differences", () => {
  const rng = new Rng(11);
  const x = randn([2, 4, 8], rng);

  it("Linear (weight, bias, input)", () => {
    const p = { ...nn.createLinear({ inFeatures: 8, outFeatures: 5, initStd: 0.5 }, rng), bias: randn([5], rng) };
    expect(gradCheck((q: { lin: typeof p; x: Tensor }) => nn.linearForward(q.lin, q.x), { lin: p, x }).ok).toBe(true);
  });

  it("Embedding (table)", () => {
    const e = nn.createEmbedding({ numEmbeddings: 6, embeddingDim: 4, initStd: 1 }, rng);
    const ids = tensor([[0, 5, 5], [2, 0, 1]], [2, 3], "int32");
    expect(gradCheck((q: typeof e) => nn.embeddingForward(q, ids), e).ok).toBe(true);
    // padding_idx: the PAD row (id 5) receives no gradient, the others still do.
    const { grads } = valueAndGrad((q: typeof e) => sum(nn.embeddingForward(q, ids, 5)))(e);
    const g = Array.from(grads[0].weight!.dataSync());
    expect(g.slice(20, 24)).toEqual([0, 0, 0, 0]);
    expect(g.slice(0, 4)).toEqual([2, 2, 2, 2]);
  });

  it("RMSNorm and LayerNorm (weight, bias, input)", () => {
    const rn = { weight: randn([8], rng) };
    expect(gradCheck((q: { n: typeof rn; x: Tensor }) => nn.rmsNormForward(q.n, q.x), { n: rn, x }).ok).toBe(true);
    const ln = { weight: randn([8], rng), bias: randn([8], rng) };
    expect(gradCheck((q: { n: typeof ln; x: Tensor }) => nn.layerNormForward(q.n, q.x), { n: ln, x }).ok).toBe(true);
    expect(nn.createRMSNorm({ dim: 8 }).weight.shape).toEqual([8]);
    expect(nn.createLayerNorm({ dim: 8 }).bias!.shape).toEqual([8]);
  });

  it("SwiGLU MLP", () => {
    const mlp = nn.createMLP({ hiddenSize: 8, intermediateSize: 12, initStd: 0.4 }, rng);
    expect(gradCheck((q: { m: typeof mlp; x: Tensor }) => nn.mlpForward(q.m, q.x), { m: mlp, x }).ok).toBe(true);
  });

  it("causal self-attention with RoPE", () => {
    const cfg = { hiddenSize: 8, numHeads: 2, initStd: 0.4 };
    const a = nn.createAttention(cfg, rng);
    expect(gradCheck((q: { a: typeof a; x: Tensor }) => nn.attentionForward(q.a, cfg, q.x), { a, x }).ok).toBe(true);
  });

  it("Transformer block and a 2-layer stack from token ids", () => {
    const cfg = { hiddenSize: 8, intermediateSize: 12, numHeads: 2, initStd: 0.3 };
    const b = nn.createTransformerBlock(cfg, rng);
    expect(gradCheck((q: { b: typeof b; x: Tensor }) => nn.transformerBlockForward(q.b, cfg, q.x), { b, x }).ok).toBe(true);
    const sc = { ...cfg, vocabSize: 10, numLayers: 2 };
    const s = nn.createTransformer(sc, rng);
    const ids = tensor([[1, 2, 3], [9, 0, 9]], [2, 3], "int32");
    expect(gradCheck((q: typeof s) => nn.transformerForward(q, sc, ids), s).ok).toBe(true);
  });
});
