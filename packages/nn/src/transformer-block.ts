// SPDX-License-Identifier: MIT

import { add, type Rng, type Tensor } from "@calm/tensor";
import type { LayerKVCache, TransformerBlockConfig, TransformerBlockParams } from "./api.js";
import { attentionForward, createAttention } from "./attention.js";
import { createMLP, mlpForward } from "./mlp.js";
import { createRMSNorm, DEFAULT_NORM_EPS, rmsNormForward } from "./rms-norm.js";

/**
 * Creates a pre-norm Transformer block (HF `LlamaDecoderLayer`): `self_attn`, `mlp` (SwiGLU),
 * `input_layernorm`, `post_attention_layernorm` (RMSNorm weights 1). Attention is drawn from `rng` first.
 *
 * @throws RangeError for inconsistent sizes (see createAttention, createMLP).
 * @example
 * ```ts
 * const block = createTransformerBlock({ hiddenSize: 64, intermediateSize: 172, numHeads: 4 }, new Rng(0));
 * ```
 */
export function createTransformerBlock(config: TransformerBlockConfig, rng: Rng): TransformerBlockParams {
  const self_attn = createAttention(config, rng);
  const mlp = createMLP(config, rng);
  return {
    self_attn,
    mlp,
    input_layernorm: createRMSNorm({ dim: config.hiddenSize }),
    post_attention_layernorm: createRMSNorm({ dim: config.hiddenSize }),
  };
}

/**
 * h = x + Attn(RMSNorm₁(x)); y = h + MLP(RMSNorm₂(h)) (pre-norm residual block, CALM reference 3.1).
 * x [batch, seq, H] → [batch, seq, H].
 *
 * @throws RangeError if x is not [batch, seq, H].
 * @example
 * ```ts
 * const y = transformerBlockForward(block, config, x);
 * ```
 */
export function transformerBlockForward(
  params: TransformerBlockParams,
  config: TransformerBlockConfig,
  x: Tensor,
  cache?: LayerKVCache,
): Tensor {
  const eps = config.rmsNormEps ?? DEFAULT_NORM_EPS;
  const h = add(x, attentionForward(params.self_attn, config, rmsNormForward(params.input_layernorm, x, eps), cache));
  return add(h, mlpForward(params.mlp, rmsNormForward(params.post_attention_layernorm, h, eps)));
}
