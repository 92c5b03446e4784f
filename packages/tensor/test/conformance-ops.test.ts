// SPDX-License-Identifier: MIT
//
// Public ops end to end on the gpu.js backends (selected with setBackend): a small Transformer-shaped loss
// (embedding → LayerNorm → RoPE + causal attention → MLP with GELU → cross-entropy, plus the energy loss's
// pairwise distances) and its gradients must agree with the CPU backend's.

import { afterEach, describe, expect, it } from "vitest";
import {
  add,
  arange,
  causalAttention,
  concat,
  crossEntropy,
  embedding,
  gelu,
  getBackendName,
  layerNorm,
  matmul,
  mean,
  ones,
  pairwiseDistance,
  randn,
  reshape,
  rmsNorm,
  rope,
  Rng,
  setBackend,
  slice,
  softmax,
  tensor,
  valueAndGrad,
  zeros,
  type Tensor,
} from "../src/index.js";
import { registerGpuJsBackends } from "../src/backends/gpujs/index.js";

registerGpuJsBackends();
afterEach(() => setBackend("cpu"));

const T = 6;
const D = 8;
const H = 16;
const V = 11;

interface Result {
  readonly backend: string;
  readonly value: number;
  readonly grads: Record<string, Float32Array>;
  readonly probs: Float32Array;
}

function run(backend: string): Result {
  setBackend(backend);
  const rng = new Rng(2026);
  const params = {
    emb: randn([V, D], rng, 0, 0.5),
    g: add(ones([D]), randn([D], rng, 0, 0.1)),
    w1: randn([D, H], rng, 0, 0.3),
    b1: zeros([H]),
    w2: randn([H, V], rng, 0, 0.3),
  };
  const ids = tensor([1, 4, 2, 9, 4, 0], [T], "int32");
  const targets = tensor([4, 2, 9, 4, 0, 7], [T], "int32");
  const positions = arange(0, T);
  const loss = (p: typeof params): Tensor => {
    const x = layerNorm(embedding(p.emb, ids), p.g);
    const q = reshape(x, [1, 1, T, D]);
    const att = reshape(causalAttention(rope(q, positions), rope(q, positions), q), [T, D]);
    const h = gelu(add(matmul(rmsNorm(add(x, att), p.g), p.w1), p.b1));
    const logits = matmul(h, p.w2);
    // Energy-loss-shaped term: distances between two halves of the hidden states (one pair equal).
    const a = reshape(slice(h, [0, 0], [3, H]), [1, 3, H]);
    const b = reshape(concat([slice(h, [0, 0], [1, H]), slice(h, [3, 0], [2, H])]), [1, 3, H]);
    return add(crossEntropy(logits, targets), mean(pairwiseDistance(a, b)));
  };
  const { value, grads } = valueAndGrad(loss)(params);
  const probs = softmax(matmul(params.emb, params.w1));
  const out: Record<string, Float32Array> = {};
  for (const [k, g] of Object.entries(grads[0])) out[k] = (g as Tensor).dataSync() as Float32Array;
  return { backend: getBackendName(), value: value.item(), grads: out, probs: probs.dataSync() as Float32Array };
}

function close(got: Float32Array, want: Float32Array, rtol: number): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  let scale = 1e-3;
  for (const w of want) scale = Math.max(scale, Math.abs(w));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= rtol * scale)) return `[${i}]: got ${got[i]}, want ${want[i]}`;
  }
  return null;
}

describe("public ops on the gpu.js backends agree with the CPU backend", () => {
  const reference = run("cpu");

  for (const backend of ["gpujs-cpu", "gpujs-webasm"]) {
    it(`${backend}: loss, gradients of every parameter, softmax`, () => {
      const r = run(backend);
      expect(r.backend).toBe(backend);
      expect(Math.abs(r.value - reference.value)).toBeLessThan(1e-5 * Math.max(1, Math.abs(reference.value)));
      for (const [name, want] of Object.entries(reference.grads)) {
        expect(close(r.grads[name], want, 1e-4), `${backend} grad ${name}`).toBeNull();
      }
      expect(close(r.probs, reference.probs, 1e-5)).toBeNull();
    });
  }

  it("validation still names the op on a gpu.js backend (ids out of range)", () => {
    setBackend("gpujs-cpu");
    const table = zeros([3, 2]);
    expect(() => embedding(table, tensor([0, 5], [2], "int32"))).toThrow(/gather|embedding/);
  });
});
