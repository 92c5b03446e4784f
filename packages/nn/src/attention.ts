// SPDX-License-Identifier: MIT

import { arange, causalAttention, concat, keep, permute, reshape, type Rng, rope, type Tensor } from "@calm/tensor";
import type { AttentionConfig, AttentionParams, LayerKVCache } from "./api.js";
import { createLinear, linearForward } from "./linear.js";
import { positiveInt } from "./validate.js";

/**
 * RoPE base θ of Llama and the CALM reference (section 3.1).
 *
 * @example
 * ```ts
 * rope(q, positions, { theta: DEFAULT_ROPE_THETA });
 * ```
 */
export const DEFAULT_ROPE_THETA = 10000;

function headDimOf(config: AttentionConfig, fn: string): number {
  const h = positiveInt(config.hiddenSize, fn, "config.hiddenSize");
  const n = positiveInt(config.numHeads, fn, "config.numHeads");
  if (h % n !== 0) throw new RangeError(`${fn}: config.hiddenSize ${h} is not divisible by config.numHeads ${n}`);
  const d = h / n;
  if (d % 2 !== 0) throw new RangeError(`${fn}: head_dim = hiddenSize/numHeads = ${d} must be even (rotate-half RoPE)`);
  return d;
}

/**
 * Creates causal multi-head self-attention (HF `LlamaAttention`, MHA): `q_proj`, `k_proj`, `v_proj`,
 * `o_proj`, each [H, H] without bias, normal(0, 0.02), drawn in that order.
 *
 * @throws RangeError if H is not divisible by numHeads or head_dim is odd.
 * @example
 * ```ts
 * const self_attn = createAttention({ hiddenSize: 64, numHeads: 4 }, new Rng(0));
 * ```
 */
export function createAttention(config: AttentionConfig, rng: Rng): AttentionParams {
  headDimOf(config, "createAttention");
  const h = config.hiddenSize;
  const lin = () => createLinear({ inFeatures: h, outFeatures: h, bias: false, initStd: config.initStd }, rng);
  return { q_proj: lin(), k_proj: lin(), v_proj: lin(), o_proj: lin() };
}

/**
 * Causal self-attention with rotary position embeddings, the Llama convention of CALM reference 3.1/9.4:
 * q, k, v = x·W_{q,k,v}ᵀ split into heads; q, k rotated by rotate-half RoPE (θ default 10000) at absolute
 * positions p₀…p₀+S−1; out = softmax(q·kᵀ/sqrt(head_dim) + causal mask)·v; heads merged and o_proj applied.
 * x is [batch, seq, H]. With a cache, p₀ is the cache length, the new keys/values are appended (the cache
 * entry is replaced by the extended tensors) and the queries attend to every cached position, so decoding
 * token by token reproduces the full forward pass.
 *
 * @throws RangeError if x is not [batch, seq, H] or the cache holds a different batch/head layout.
 * @example
 * ```ts
 * const y = attentionForward(self_attn, { hiddenSize: 64, numHeads: 4 }, x); // [2, 16, 64]
 * ```
 */
export function attentionForward(params: AttentionParams, config: AttentionConfig, x: Tensor, cache?: LayerKVCache): Tensor {
  const fn = "attentionForward";
  const hd = headDimOf(config, fn);
  const nh = config.numHeads;
  const h = config.hiddenSize;
  if (x.rank !== 3 || x.shape[2] !== h) {
    throw new RangeError(`${fn}: x must be [batch, seq, ${h}], got [${x.shape.join(",")}]`);
  }
  const [b, s] = x.shape;
  const past = cache?.k == null ? 0 : cache.k.shape[2];
  if (cache?.k != null && (cache.k.shape[0] !== b || cache.k.shape[1] !== nh || cache.k.shape[3] !== hd)) {
    throw new RangeError(`${fn}: cache holds keys [${cache.k.shape.join(",")}], incompatible with x [${x.shape.join(",")}] and ${nh} heads`);
  }
  const heads = (t: Tensor) => permute(reshape(t, [b, s, nh, hd]), [0, 2, 1, 3]);
  const positions = arange(past, past + s);
  const theta = config.ropeTheta ?? DEFAULT_ROPE_THETA;
  const q = rope(heads(linearForward(params.q_proj, x)), positions, { theta });
  let k = rope(heads(linearForward(params.k_proj, x)), positions, { theta });
  let v = heads(linearForward(params.v_proj, x));
  if (cache !== undefined) {
    const oldK = cache.k;
    const oldV = cache.v;
    if (oldK !== null && oldV !== null) {
      k = concat([oldK, k], 2);
      v = concat([oldV, v], 2);
    }
    cache.k = keep(k);
    cache.v = keep(v);
    // Superseded entries are ours; the tape (if any) still holds them until it ends.
    oldK?.dispose();
    oldV?.dispose();
  }
  const out = causalAttention(q, k, v, { offset: past });
  return linearForward(params.o_proj, reshape(permute(out, [0, 2, 1, 3]), [b, s, h]));
}
