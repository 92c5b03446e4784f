// SPDX-License-Identifier: MIT
// Module forwards against float64 loop oracles, initialisation, naming and parameter counts.

import { ones, randn, Rng, tensor } from "@calm/tensor";
import { describe, expect, it } from "vitest";
import {
  attentionForward,
  countParameters,
  createAttention,
  createEmbedding,
  createLayerNorm,
  createLinear,
  createMLP,
  createRMSNorm,
  createTransformer,
  createTransformerBlock,
  embeddingForward,
  flattenParams,
  layerNormForward,
  linearForward,
  mlpForward,
  rmsNormForward,
  transformerBlockForward,
  transformerForward,
  transformerParameterCount,
  unflattenParams,
} from "../src/index.js";
import { attentionRef, host, layerNormRef, mat, matVec, maxAbsDiff, mlpRef, rmsNormRef } from "./helpers.js";

describe("initialisation (HF Llama: normal 0.02, zero biases, norms at 1)", () => {
  it("Linear weight is N(0, 0.02²) drawn from the rng in row-major order, bias 0, layout [out, in]", () => {
    const lin = createLinear({ inFeatures: 5, outFeatures: 3 }, new Rng(9));
    expect(lin.weight.shape).toEqual([3, 5]);
    expect(host(lin.weight)).toEqual(host(randn([3, 5], new Rng(9), 0, 0.02)));
    expect(host(lin.bias!)).toEqual([0, 0, 0]);
    expect(createLinear({ inFeatures: 5, outFeatures: 3, bias: false }, new Rng(9))).not.toHaveProperty("bias");
  });

  it("the sample std of a large weight is 0.02 (±5 %, false-failure rate < 1e-9 at n = 65536)", () => {
    const w = host(createLinear({ inFeatures: 256, outFeatures: 256 }, new Rng(1)).weight);
    const sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(Math.abs(sd - 0.02)).toBeLessThan(0.001);
  });

  it("Embedding zeroes the padding row; norms start at 1 (LayerNorm bias at 0)", () => {
    const e = createEmbedding({ numEmbeddings: 6, embeddingDim: 4, paddingIdx: 5 }, new Rng(2));
    const r = mat(e.weight);
    expect(r[5]).toEqual([0, 0, 0, 0]);
    expect(r[0].some((v) => v !== 0)).toBe(true);
    expect(host(createRMSNorm({ dim: 3 }).weight)).toEqual([1, 1, 1]);
    const ln = createLayerNorm({ dim: 2 });
    expect([host(ln.weight), host(ln.bias!)]).toEqual([[1, 1], [0, 0]]);
    expect(() => createEmbedding({ numEmbeddings: 6, embeddingDim: 4, paddingIdx: 6 }, new Rng(2))).toThrow(/paddingIdx must be an integer in \[0, 6\), got 6/);
  });
});

describe("forwards against float64 oracles", () => {
  const rng = new Rng(3);
  it("linear y = x·Wᵀ + b on a [2, 3, in] batch", () => {
    const lin = createLinear({ inFeatures: 4, outFeatures: 5, initStd: 0.5 }, rng);
    const b = host(randn([5], rng));
    const p = { weight: lin.weight, bias: tensor(b) };
    const x = randn([2, 3, 4], rng);
    const y = linearForward(p, x);
    expect(y.shape).toEqual([2, 3, 5]);
    const want = mat(x).map((xi) => matVec(mat(p.weight), xi).map((v, o) => v + b[o]));
    expect(maxAbsDiff(host(y), want.flat())).toBeLessThan(1e-5);
    expect(() => linearForward(p, randn([2, 3], rng))).toThrow(/last axis must be in = 4/);
  });

  it("embedding, RMSNorm, LayerNorm, SwiGLU MLP", () => {
    const e = createEmbedding({ numEmbeddings: 7, embeddingDim: 3 }, rng);
    const ids = tensor([[6, 0], [2, 2]], [2, 2], "int32");
    expect(embeddingForward(e, ids).shape).toEqual([2, 2, 3]);
    expect(mat(embeddingForward(e, ids))[0]).toEqual(mat(e.weight)[6]);

    const x = randn([4, 6], rng);
    const w = randn([6], rng);
    const bias = randn([6], rng);
    const got = mat(rmsNormForward({ weight: w }, x));
    mat(x).forEach((xi, i) => expect(maxAbsDiff(got[i], rmsNormRef(xi, host(w)))).toBeLessThan(1e-5));
    const gotEps = mat(rmsNormForward({ weight: w }, x, 0.5)); // ε is the forward's argument, and it is used
    mat(x).forEach((xi, i) => expect(maxAbsDiff(gotEps[i], rmsNormRef(xi, host(w), 0.5))).toBeLessThan(1e-5));
    expect(maxAbsDiff(gotEps.flat(), got.flat())).toBeGreaterThan(1e-2);
    const gotLn = mat(layerNormForward({ weight: w, bias }, x));
    mat(x).forEach((xi, i) => expect(maxAbsDiff(gotLn[i], layerNormRef(xi, host(w), host(bias)))).toBeLessThan(1e-5));

    const mlp = createMLP({ hiddenSize: 6, intermediateSize: 10, initStd: 0.4 }, rng);
    const gotMlp = mat(mlpForward(mlp, x));
    const ref = { gate: mat(mlp.gate_proj.weight), up: mat(mlp.up_proj.weight), down: mat(mlp.down_proj.weight) };
    mat(x).forEach((xi, i) => expect(maxAbsDiff(gotMlp[i], mlpRef(ref, xi))).toBeLessThan(1e-5));
  });

  const cfg = { hiddenSize: 8, numHeads: 2, initStd: 0.4 };
  const attn = createAttention(cfg, new Rng(4));
  const ref = { q: mat(attn.q_proj.weight), k: mat(attn.k_proj.weight), v: mat(attn.v_proj.weight), o: mat(attn.o_proj.weight) };
  const x = randn([2, 5, 8], new Rng(5));
  const seqs = [0, 1].map((b) => mat(x).slice(b * 5, b * 5 + 5));

  it("causal attention with rotate-half RoPE (θ = 10000) matches the Llama formula per sequence", () => {
    const got = mat(attentionForward(attn, cfg, x));
    seqs.forEach((xs, b) => expect(maxAbsDiff(got.slice(b * 5, b * 5 + 5).flat(), attentionRef(ref, xs, 2).flat())).toBeLessThan(1e-5));
  });

  it("the oracle tells the conventions apart: interleaved RoPE, another θ, or no causal mask would fail", () => {
    const got = mat(attentionForward(attn, cfg, x)).slice(0, 5).flat();
    expect(maxAbsDiff(got, attentionRef(ref, seqs[0], 2, 10000, "interleaved").flat())).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(got, attentionRef(ref, seqs[0], 2, 100).flat())).toBeGreaterThan(1e-3);
    // Causality: changing the last position leaves every earlier output unchanged.
    const x2 = tensor([...host(x).slice(0, 4 * 8), ...host(randn([8], new Rng(6))), ...host(x).slice(5 * 8)], [2, 5, 8]);
    const a = mat(attentionForward(attn, cfg, x));
    const b = mat(attentionForward(attn, cfg, x2));
    expect(maxAbsDiff(a.slice(0, 4).flat(), b.slice(0, 4).flat())).toBe(0);
    expect(maxAbsDiff(a[4], b[4])).toBeGreaterThan(1e-4);
  });

  it("a pre-norm block is x + Attn(RMSNorm(x)) then h + MLP(RMSNorm(h))", () => {
    const bc = { hiddenSize: 8, intermediateSize: 12, numHeads: 2, initStd: 0.3 };
    const block = createTransformerBlock(bc, new Rng(7));
    const w1 = host(block.input_layernorm.weight);
    const w2 = host(block.post_attention_layernorm.weight);
    const aRef = { q: mat(block.self_attn.q_proj.weight), k: mat(block.self_attn.k_proj.weight), v: mat(block.self_attn.v_proj.weight), o: mat(block.self_attn.o_proj.weight) };
    const mRef = { gate: mat(block.mlp.gate_proj.weight), up: mat(block.mlp.up_proj.weight), down: mat(block.mlp.down_proj.weight) };
    const got = mat(transformerBlockForward(block, bc, x));
    seqs.forEach((xs, b) => {
      const a = attentionRef(aRef, xs.map((xi) => rmsNormRef(xi, w1)), 2);
      const h = xs.map((xi, s) => xi.map((v, j) => v + a[s][j]));
      const want = h.map((hi) => {
        const m = mlpRef(mRef, rmsNormRef(hi, w2));
        return hi.map((v, j) => v + m[j]);
      });
      expect(maxAbsDiff(got.slice(b * 5, b * 5 + 5).flat(), want.flat())).toBeLessThan(1e-5);
    });
  });
});

describe("state-dict names (CALM reference section 9.3) and parameter counts", () => {
  const config = { vocabSize: 11, hiddenSize: 8, intermediateSize: 12, numHeads: 2, numLayers: 2 };
  const params = createTransformer(config, new Rng(0));

  it("a 2-layer stack flattens to the HF Llama names with the reference shapes", () => {
    const names = [...flattenParams(params, "transformer")].map(([k, t]) => `${k} [${t.shape.join(",")}]`);
    const layer = (i: number) => [
      `transformer.layers.${i}.self_attn.q_proj.weight [8,8]`,
      `transformer.layers.${i}.self_attn.k_proj.weight [8,8]`,
      `transformer.layers.${i}.self_attn.v_proj.weight [8,8]`,
      `transformer.layers.${i}.self_attn.o_proj.weight [8,8]`,
      `transformer.layers.${i}.mlp.gate_proj.weight [12,8]`,
      `transformer.layers.${i}.mlp.up_proj.weight [12,8]`,
      `transformer.layers.${i}.mlp.down_proj.weight [8,12]`,
      `transformer.layers.${i}.input_layernorm.weight [8]`,
      `transformer.layers.${i}.post_attention_layernorm.weight [8]`,
    ];
    expect(names).toEqual(["transformer.embed_tokens.weight [11,8]", ...layer(0), ...layer(1), "transformer.norm.weight [8]"]);
    expect(flattenParams(createTransformer({ ...config, vocabSize: undefined }, new Rng(0))).has("embed_tokens.weight")).toBe(false);
  });

  it("a Transformer baseline tree { model, lm_head } flattens to HF LlamaForCausalLM names (untied LM head, reference 3.3)", () => {
    const baseline = { model: params, lm_head: createLinear({ inFeatures: 8, outFeatures: 11, bias: false }, new Rng(1)) };
    const names = [...flattenParams(baseline)].map(([k, t]) => `${k} [${t.shape.join(",")}]`);
    expect(names[0]).toBe("model.embed_tokens.weight [11,8]");
    expect(names).toContain("model.layers.1.post_attention_layernorm.weight [8]");
    expect(names.slice(-2)).toEqual(["model.norm.weight [8]", "lm_head.weight [11,8]"]);
    // CALM's input compression (reference 3.2/9.3): Sequential indices 0, 2, 3 with biases and an affine LayerNorm.
    const embed_proj = { 0: createLinear({ inFeatures: 32, outFeatures: 16 }, new Rng(2)), 2: createLinear({ inFeatures: 16, outFeatures: 8 }, new Rng(3)), 3: createLayerNorm({ dim: 8 }) };
    expect([...flattenParams({ embed_proj })].map(([k, t]) => `${k} [${t.shape.join(",")}]`)).toEqual([
      "embed_proj.0.weight [16,32]",
      "embed_proj.0.bias [16]",
      "embed_proj.2.weight [8,16]",
      "embed_proj.2.bias [8]",
      "embed_proj.3.weight [8]",
      "embed_proj.3.bias [8]",
    ]);
  });

  it("unflattenParams inverts flattenParams and names what is wrong", () => {
    const dict = flattenParams(params, "transformer");
    const back = unflattenParams(params, dict, { source: "test", prefix: "transformer" });
    expect(flattenParams(back, "transformer")).toEqual(dict);
    const missing = new Map(dict);
    missing.delete("transformer.layers.1.mlp.up_proj.weight");
    expect(() => unflattenParams(params, missing, { source: "x.safetensors", prefix: "transformer" })).toThrow(/x.safetensors is missing tensor "transformer.layers.1.mlp.up_proj.weight"/);
    const extra = new Map(dict).set("transformer.lm_head.weight", ones([2]));
    expect(() => unflattenParams(params, extra, { source: "x", prefix: "transformer" })).toThrow(/unexpected tensor "transformer.lm_head.weight"/);
    expect(flattenParams(unflattenParams(params, extra, { prefix: "transformer", ignoreUnexpected: true }), "transformer")).toEqual(dict);
    const wrong = new Map(dict).set("transformer.norm.weight", ones([9]));
    expect(() => unflattenParams(params, wrong, { source: "x", prefix: "transformer" })).toThrow(/"transformer.norm.weight" in x has shape \[9\], the model expects \[8\]/);
  });

  it("countParameters of a built stack equals the closed form", () => {
    expect(countParameters(params)).toBe(transformerParameterCount(config));
    expect(countParameters(params)).toBe(11 * 8 + 2 * (4 * 64 + 3 * 96 + 16) + 8);
    expect(countParameters(params, (n) => !n.startsWith("embed_tokens"))).toBe(countParameters(params) - 88);
  });

  it("rejects inconsistent configs and inputs with the argument named", () => {
    expect(() => createAttention({ hiddenSize: 10, numHeads: 3 }, new Rng(0))).toThrow(/hiddenSize 10 is not divisible by config.numHeads 3/);
    expect(() => createAttention({ hiddenSize: 6, numHeads: 2 }, new Rng(0))).toThrow(/head_dim = hiddenSize\/numHeads = 3 must be even/);
    expect(() => createLinear({ inFeatures: 0, outFeatures: 2 }, new Rng(0))).toThrow(/config.inFeatures must be an integer ≥ 1, got 0/);
    expect(() => createLinear({ inFeatures: 1, outFeatures: 2 }, {} as Rng)).toThrow(/rng must be an Rng/);
    const noEmbed = createTransformer({ ...config, vocabSize: undefined }, new Rng(0));
    expect(() => transformerForward(noEmbed, config, tensor([[1]], [1, 1], "int32"))).toThrow(/no embed_tokens/);
    expect(() => transformerForward(params, config, randn([2, 3, 7], new Rng(0)))).toThrow(/x must be \[batch, seq, 8\], got \[2,3,7\]/);
  });
});
