// SPDX-License-Identifier: MIT
//
// FLOP accounting of the paper (CALM reference 8.4): a multiply–add is 2 FLOPs, every matmul weight is used
// once per token (2·params), attention costs 4·H FLOPs per token per layer per attended position (q·k and
// weights·v), and embedding lookups, norms, activations and softmax are not counted.

import type { TransformerConfig } from "./api.js";
import { positiveInt } from "./validate.js";

/**
 * Sizes entering the paper's FLOP formula for a Transformer.
 *
 * @example
 * ```ts
 * const transformerS: FlopConfig = { hiddenSize: 768, intermediateSize: 2048, numLayers: 12, lmHeadVocab: 128257 };
 * ```
 */
export interface FlopConfig {
  readonly hiddenSize: number;
  readonly intermediateSize: number;
  readonly numLayers: number;
  /** Output projection to a vocabulary (LM head V·H), 0 or absent when there is none (CALM's backbone). */
  readonly lmHeadVocab?: number;
  /**
   * Further multiply–adds per step, each weight used once counting its size (CALM: input compression
   * `embed_proj`, energy head, and the autoencoder decoder whose K × V × d vocabulary projection dominates).
   */
  readonly extraMatmulParams?: number;
  /**
   * Tokens produced per autoregressive step, an integer ≥ 1 (CALM: K = 4 tokens per chunk vector); the
   * per-step count is divided by it. Default 1 (a token-level Transformer).
   */
  readonly tokensPerStep?: number;
}

/**
 * Matmul parameters of the Transformer stack, excluding embeddings and norms: per layer 4·H² (q, k, v, o)
 * + 3·H·I (SwiGLU gate, up, down).
 *
 * @throws RangeError for non-positive sizes.
 * @example
 * ```ts
 * stackMatmulParams({ hiddenSize: 768, intermediateSize: 2048, numLayers: 12 }); // 84_934_656 (Transformer-S)
 * ```
 */
export function stackMatmulParams(config: FlopConfig): number {
  const h = positiveInt(config.hiddenSize, "stackMatmulParams", "config.hiddenSize");
  const i = positiveInt(config.intermediateSize, "stackMatmulParams", "config.intermediateSize");
  const l = positiveInt(config.numLayers, "stackMatmulParams", "config.numLayers");
  return l * (4 * h * h + 3 * h * i);
}

/**
 * Inference FLOPs per token by the paper's accounting (CALM reference 8.4, which reproduces Table 1):
 * [2·(non-embedding matmul params + LM head V·H + extra) + 4·layers·ctx·H] / tokensPerStep, ctx = attended
 * positions (the paper uses 2048 steps: 2048 tokens for a Transformer, 2048 chunks of K = 4 for CALM).
 * Transformer-S (H 768, I 2048, 12 layers, V 128257) gives 4.42e8 (Table 1: 4.4e8); CALM-M with its
 * input compression, energy head and autoencoder decoder as `extraMatmulParams` and K = 4 gives 2.91e8
 * (Table 1: 2.9e8).
 *
 * @param contextLength - attended positions per step, an integer ≥ 1.
 * @throws RangeError for non-positive sizes, a negative `extraMatmulParams` or `lmHeadVocab`.
 * @example
 * ```ts
 * flopsPerToken({ hiddenSize: 768, intermediateSize: 2048, numLayers: 12, lmHeadVocab: 128257 }, 2048); // 4.42e8
 * ```
 */
export function flopsPerToken(config: FlopConfig, contextLength: number): number {
  const fn = "flopsPerToken";
  const ctx = positiveInt(contextLength, fn, "contextLength");
  const k = positiveInt(config.tokensPerStep ?? 1, fn, "config.tokensPerStep");
  const vocab = config.lmHeadVocab ?? 0;
  const extra = config.extraMatmulParams ?? 0;
  if (!Number.isInteger(vocab) || vocab < 0) throw new RangeError(`${fn}: config.lmHeadVocab must be an integer ≥ 0, got ${vocab}`);
  if (!Number.isInteger(extra) || extra < 0) throw new RangeError(`${fn}: config.extraMatmulParams must be an integer ≥ 0, got ${extra}`);
  const matmul = stackMatmulParams(config) + vocab * config.hiddenSize + extra;
  return (2 * matmul + 4 * config.numLayers * ctx * config.hiddenSize) / k;
}

/**
 * FLOPs of one {@link transformerForward} call of the stack (no LM head) on [batch, seq] new positions with
 * `pastLength` cached positions, by the same accounting: 2·matmul params per token, plus per layer
 * 4·H·(pastLength + seq) per token for attention (counted over the full key range, as the paper counts
 * ctx per token; the causal mask's skipped half is not subtracted). A training step is ≈ 3× this.
 *
 * @throws RangeError for non-positive sizes or a negative pastLength.
 * @example
 * ```ts
 * forwardFlops(config, { batch: 8, seq: 64 });
 * ```
 */
export function forwardFlops(
  config: Pick<TransformerConfig, "hiddenSize" | "intermediateSize" | "numLayers">,
  shape: { readonly batch: number; readonly seq: number; readonly pastLength?: number },
): number {
  const b = positiveInt(shape.batch, "forwardFlops", "shape.batch");
  const s = positiveInt(shape.seq, "forwardFlops", "shape.seq");
  const past = shape.pastLength ?? 0;
  if (!Number.isInteger(past) || past < 0) throw new RangeError(`forwardFlops: shape.pastLength must be an integer ≥ 0, got ${past}`);
  const perToken = 2 * stackMatmulParams(config) + 4 * config.numLayers * config.hiddenSize * (past + s);
  return b * s * perToken;
}

/**
 * Parameter count of a {@link createTransformer} stack computed from its config without building it
 * (embedding V·H if present, 4H² + 3HI + 2H per layer, final norm H), plus an untied LM head V·H if asked.
 * Transformer-S with its LM head: 281,956,608 (paper: 281M).
 *
 * @throws RangeError for non-positive sizes.
 * @example
 * ```ts
 * transformerParameterCount({ vocabSize: 128257, hiddenSize: 768, intermediateSize: 2048, numHeads: 16, numLayers: 12 }, { lmHead: true });
 * ```
 */
export function transformerParameterCount(config: TransformerConfig, options: { readonly lmHead?: boolean } = {}): number {
  const fn = "transformerParameterCount";
  const h = positiveInt(config.hiddenSize, fn, "config.hiddenSize");
  const i = positiveInt(config.intermediateSize, fn, "config.intermediateSize");
  const layers = positiveInt(config.numLayers, fn, "config.numLayers");
  const v = config.vocabSize === undefined ? 0 : positiveInt(config.vocabSize, fn, "config.vocabSize");
  const perLayer = 4 * h * h + 3 * h * i + 2 * h;
  return v * h + layers * perLayer + h + (options.lmHead === true ? v * h : 0);
}
