// SPDX-License-Identifier: MIT

import { cast, embedding, equal, expandDims, mul, randn, type Rng, sub, type Tensor, tensor } from "@calm/tensor";
import type { EmbeddingConfig, EmbeddingParams } from "./api.js";
import { DEFAULT_INIT_STD } from "./linear.js";
import { checkRng, nonNegative, positiveInt } from "./validate.js";

/**
 * Creates a token embedding table [numEmbeddings, embeddingDim] drawn from N(0, initStd²) (default 0.02),
 * with the `paddingIdx` row set to zero as PyTorch does (CALM reference 3.1: the PAD row of `embed_tokens`).
 *
 * @throws RangeError for non-positive sizes or a paddingIdx outside [0, numEmbeddings).
 * @example
 * ```ts
 * const embed_tokens = createEmbedding({ numEmbeddings: 259, embeddingDim: 64 }, new Rng(0));
 * ```
 */
export function createEmbedding(config: EmbeddingConfig, rng: Rng): EmbeddingParams {
  const fn = "createEmbedding";
  const n = positiveInt(config.numEmbeddings, fn, "config.numEmbeddings");
  const d = positiveInt(config.embeddingDim, fn, "config.embeddingDim");
  const std = nonNegative(config.initStd ?? DEFAULT_INIT_STD, fn, "config.initStd");
  let weight = randn([n, d], checkRng(rng, fn), 0, std);
  const pad = config.paddingIdx;
  if (pad !== undefined) {
    if (!Number.isInteger(pad) || pad < 0 || pad >= n) {
      throw new RangeError(`${fn}: config.paddingIdx must be an integer in [0, ${n}), got ${pad}`);
    }
    const values = weight.dataSync() as Float32Array;
    values.fill(0, pad * d, (pad + 1) * d);
    weight = tensor(values, [n, d]);
  }
  return { weight };
}

/**
 * Looks up rows of the table for int32 token ids: ids [...] → [..., embeddingDim]. With `paddingIdx`,
 * positions holding that id give a zero vector and send no gradient to its row, as PyTorch's `padding_idx`
 * does (CALM reference 3.1: the PAD row is zero-initialised and never updated).
 *
 * @throws TypeError if ids are not int32; RangeError naming the first id outside the table.
 * @example
 * ```ts
 * const h = embeddingForward(embed_tokens, ids); // ids [batch, seq] → [batch, seq, 64]
 * ```
 */
export function embeddingForward(params: EmbeddingParams, ids: Tensor, paddingIdx?: number): Tensor {
  const rows = embedding(params.weight, ids);
  if (paddingIdx === undefined) return rows;
  // 0 at PAD positions, 1 elsewhere (ids < 2^24 are exact in float32); a constant, so no gradient reaches PAD's row.
  const keepMask = sub(1, equal(cast(ids, "float32"), paddingIdx));
  return mul(rows, expandDims(keepMask, -1));
}
