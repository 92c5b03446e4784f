// SPDX-License-Identifier: MIT

import type { Rng, Tensor } from "@calm/tensor";
import type { KVCache, TransformerConfig, TransformerParams } from "./api.js";
import { createEmbedding, embeddingForward } from "./embedding.js";
import { createRMSNorm, DEFAULT_NORM_EPS, rmsNormForward } from "./rms-norm.js";
import { createTransformerBlock, transformerBlockForward } from "./transformer-block.js";
import { positiveInt } from "./validate.js";

/**
 * Options of {@link transformerForward}.
 *
 * @example
 * ```ts
 * transformerForward(params, config, nextIds, { cache });
 * ```
 */
export interface TransformerForwardOptions {
  /** KV cache for incremental decoding (see {@link createKVCache}); its length sets the RoPE positions. */
  readonly cache?: KVCache;
}

/**
 * Creates a Transformer stack (HF `LlamaModel`, the CALM backbone of reference 3.1): `embed_tokens`
 * (when `vocabSize` is given), `layers.{i}` pre-norm blocks, final RMSNorm `norm`. Flattened names are the
 * reference's (`layers.0.self_attn.q_proj.weight`, …; prefix `transformer.` inside a CALM checkpoint).
 * Initialisation: normal(0, 0.02) weights, norm weights 1, PAD embedding row 0.
 *
 * @throws RangeError for inconsistent sizes.
 * @example
 * ```ts
 * const config = { vocabSize: 259, hiddenSize: 64, intermediateSize: 172, numHeads: 4, numLayers: 2 };
 * const params = createTransformer(config, new Rng(0));
 * ```
 */
export function createTransformer(config: TransformerConfig, rng: Rng): TransformerParams {
  const n = positiveInt(config.numLayers, "createTransformer", "config.numLayers");
  const embed_tokens =
    config.vocabSize === undefined
      ? undefined
      : createEmbedding({ numEmbeddings: config.vocabSize, embeddingDim: config.hiddenSize, paddingIdx: config.paddingIdx, initStd: config.initStd }, rng);
  const layers = Array.from({ length: n }, () => createTransformerBlock(config, rng));
  const norm = createRMSNorm({ dim: config.hiddenSize });
  return embed_tokens === undefined ? { layers, norm } : { embed_tokens, layers, norm };
}

/**
 * Runs the stack: int32 token ids [batch, seq] (embedded with `embed_tokens`) or float32 embeddings
 * [batch, seq, H] (CALM feeds its compressed chunk vectors this way) → final-normed hidden states
 * [batch, seq, H]. With a cache, positions continue from the cache length.
 *
 * @throws RangeError if ids are given without `embed_tokens`, or the input or cache has the wrong layout.
 * @example
 * ```ts
 * const hidden = transformerForward(params, config, ids); // [batch, seq, H]
 * ```
 */
export function transformerForward(params: TransformerParams, config: TransformerConfig, input: Tensor, options: TransformerForwardOptions = {}): Tensor {
  const fn = "transformerForward";
  let x: Tensor;
  if (input.dtype === "int32") {
    if (params.embed_tokens === undefined) throw new RangeError(`${fn}: got int32 token ids but the stack has no embed_tokens (set config.vocabSize)`);
    if (input.rank !== 2) throw new RangeError(`${fn}: token ids must be [batch, seq], got [${input.shape.join(",")}]`);
    x = embeddingForward(params.embed_tokens, input, config.paddingIdx);
  } else {
    if (input.rank !== 3 || input.shape[2] !== config.hiddenSize) {
      throw new RangeError(`${fn}: x must be [batch, seq, ${config.hiddenSize}], got [${input.shape.join(",")}]`);
    }
    x = input;
  }
  const cache = options.cache;
  if (cache !== undefined && cache.layers.length !== params.layers.length) {
    throw new RangeError(`${fn}: cache has ${cache.layers.length} layers, the stack has ${params.layers.length}`);
  }
  params.layers.forEach((layer, i) => {
    x = transformerBlockForward(layer, config, x, cache?.layers[i]);
  });
  return rmsNormForward(params.norm, x, config.rmsNormEps ?? DEFAULT_NORM_EPS);
}
