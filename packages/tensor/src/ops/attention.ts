// SPDX-License-Identifier: MIT

import type { CausalAttentionOptions } from "../api.js";
import { withContext } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { mul } from "./binary.js";
import { matmul } from "./matmul.js";
import { maskedSoftmax } from "./softmax.js";
import { floatArg, fmt } from "./validate.js";

/**
 * Causal scaled dot-product attention (Vaswani et al. 2017, section 3.2.1):
 * out = softmax(scale·q·kᵀ + causal mask)·v, the mask keeping key j for query i iff j ≤ offset + i.
 * q [..., seqQ, d], k [..., seqK, d], v [..., seqK, dv] with equal leading axes (e.g. [batch, heads]).
 * Built from matmul and a causal-masked softmax kernel (masked weights are exactly 0), so it is
 * differentiable w.r.t. q, k and v through their rules.
 *
 * @throws RangeError for mismatched shapes or a negative/non-integer offset; TypeError for non-float32.
 * @example
 * ```ts
 * const out = causalAttention(q, k, v); // [batch, heads, seq, headDim]
 * ```
 */
export function causalAttention(q: Tensor, k: Tensor, v: Tensor, options: CausalAttentionOptions = {}): Tensor {
  const op = "causalAttention";
  const tq = floatArg(q, op, "q");
  const tk = floatArg(k, op, "k");
  const tv = floatArg(v, op, "v");
  if (tq.rank < 2 || tk.rank !== tq.rank || tv.rank !== tq.rank) {
    throw new RangeError(`${op}: q, k, v must have the same rank ≥ 2 (q: ${fmt(tq.shape)}, k: ${fmt(tk.shape)}, v: ${fmt(tv.shape)})`);
  }
  const lead = tq.rank - 2;
  const same = (a: readonly number[], b: readonly number[]) => a.slice(0, lead).every((d, i) => d === b[i]);
  const seqQ = tq.shape[lead];
  const seqK = tk.shape[lead];
  const d = tq.shape[lead + 1];
  if (!same(tq.shape, tk.shape) || !same(tq.shape, tv.shape) || tk.shape[lead + 1] !== d || tv.shape[lead] !== seqK) {
    throw new RangeError(
      `${op}: expected q [..., seqQ, d], k [..., seqK, d], v [..., seqK, dv] with equal leading axes (q: ${fmt(tq.shape)}, k: ${fmt(tk.shape)}, v: ${fmt(tv.shape)})`,
    );
  }
  const offset = options.offset ?? seqK - seqQ;
  if (!Number.isInteger(offset) || offset < 0) {
    throw new RangeError(`${op}: offset must be a non-negative integer, got ${offset} (seqQ ${seqQ}, seqK ${seqK})`);
  }
  const scale = options.scale ?? 1 / Math.sqrt(d);
  return withContext(op, () => {
    const scores = mul(matmul(tq, tk, { transB: true }), scale);
    const weights = maskedSoftmax(scores, { queryLen: seqQ, offset }, "causalAttention.softmax");
    return matmul(weights, tv);
  });
}
