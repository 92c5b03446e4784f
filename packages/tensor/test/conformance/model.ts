// SPDX-License-Identifier: MIT
//
// A Transformer-shaped loss for end-to-end backend checks: embedding → LayerNorm → RoPE + causal attention →
// RMSNorm → MLP with GELU → cross-entropy, plus mean pairwise distances between hidden states (one pair of
// rows equal, the energy loss's zero-gradient point), with the gradients of all 5 parameters.

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
} from "../../src/index.js";

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

/** Runs the model on `backend` (selected with setBackend) and reads everything back with `await data()`. */
async function runModel(backend: string): Promise<Result> {
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
  for (const [k, g] of Object.entries(grads[0])) out[k] = (await (g as Tensor).data()) as Float32Array;
  const name = getBackendName();
  return { backend: name, value: (await value.data())[0], grads: out, probs: (await probs.data()) as Float32Array };
}

/**
 * Runs the model on the CPU backend and on `backend`; null when `backend` was the one used and agrees (loss
 * within 1e-5 relative, every gradient within 1e-4 and the softmax within 1e-5 of the largest value), else
 * the first difference.
 */
export async function compareWithCpu(backend: string): Promise<string | null> {
  const want = await runModel("cpu");
  const got = await runModel(backend);
  if (got.backend !== backend) return `ran on ${got.backend}, not ${backend}`;
  if (!(Math.abs(got.value - want.value) < 1e-5 * Math.max(1, Math.abs(want.value)))) return `loss ${got.value}, want ${want.value}`;
  for (const [name, g] of Object.entries(want.grads)) {
    const problem = close(got.grads[name], g, 1e-4);
    if (problem !== null) return `grad ${name}: ${problem}`;
  }
  const problem = close(got.probs, want.probs, 1e-5);
  return problem === null ? null : `softmax: ${problem}`;
}

/** Null when every element is within rtol·max|want| (max at least 1e-3), else the first difference. */
function close(got: Float32Array, want: Float32Array, rtol: number): string | null {
  if (got.length !== want.length) return `length ${got.length} vs ${want.length}`;
  let scale = 1e-3;
  for (const w of want) scale = Math.max(scale, Math.abs(w));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= rtol * scale)) return `[${i}]: got ${got[i]}, want ${want[i]}`;
  }
  return null;
}

