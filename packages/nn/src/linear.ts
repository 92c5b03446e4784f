// SPDX-License-Identifier: MIT

import { add, matmul, randn, reshape, type Rng, type Tensor, zeros } from "@calm/tensor";
import type { LinearConfig, LinearParams } from "./api.js";
import { checkRng, nonNegative, positiveInt } from "./validate.js";

/**
 * HF `initializer_range` (CALM reference: Llama init), the std of every Linear and Embedding weight.
 *
 * @example
 * ```ts
 * createLinear({ inFeatures: 64, outFeatures: 64, initStd: DEFAULT_INIT_STD }, rng); // the default
 * ```
 */
export const DEFAULT_INIT_STD = 0.02;

/**
 * Creates a linear layer y = x·Wᵀ + b with W [out, in] drawn from N(0, initStd²) (default 0.02, the HF
 * Llama init the reference inherits) and b = 0. Layout and names (`weight`, `bias`) are PyTorch's, so the
 * tensors exchange with reference checkpoints unchanged (CALM reference 9.2).
 *
 * @throws RangeError for a non-positive size or negative std; TypeError if rng is not an Rng.
 * @example
 * ```ts
 * const q_proj = createLinear({ inFeatures: 64, outFeatures: 64, bias: false }, new Rng(0));
 * ```
 */
export function createLinear(config: LinearConfig, rng: Rng): LinearParams {
  const fn = "createLinear";
  const inF = positiveInt(config.inFeatures, fn, "config.inFeatures");
  const outF = positiveInt(config.outFeatures, fn, "config.outFeatures");
  const std = nonNegative(config.initStd ?? DEFAULT_INIT_STD, fn, "config.initStd");
  const weight = randn([outF, inF], checkRng(rng, fn), 0, std);
  return config.bias === false ? { weight } : { weight, bias: zeros([outF]) };
}

/**
 * Applies a linear layer: y = x·Wᵀ + b over the last axis, x [..., in] → [..., out]. The leading axes are
 * folded into one so a whole batch is a single matrix product (matmul with transB, no transposed copy).
 *
 * @throws RangeError if x's last axis is not W's `in`; whatever matmul throws.
 * @example
 * ```ts
 * const y = linearForward(q_proj, x); // x [batch, seq, 64] → [batch, seq, 64]
 * ```
 */
export function linearForward(params: LinearParams, x: Tensor): Tensor {
  const [outF, inF] = params.weight.shape;
  if (x.rank < 1 || x.shape[x.rank - 1] !== inF) {
    throw new RangeError(`linearForward: x has shape [${x.shape.join(",")}], its last axis must be in = ${inF} (weight [${outF},${inF}])`);
  }
  const lead = x.shape.slice(0, -1);
  const rows = lead.reduce((a, b) => a * b, 1);
  const x2 = x.rank === 2 ? x : reshape(x, [rows, inF]);
  let y = matmul(x2, params.weight, { transB: true });
  if (params.bias !== undefined) y = add(y, params.bias);
  return x.rank === 2 ? y : reshape(y, [...lead, outF]);
}
