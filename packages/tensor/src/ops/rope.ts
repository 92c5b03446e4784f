// SPDX-License-Identifier: MIT

import type { RopeOptions } from "../api.js";
import { needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { floatArg, fmt, intArg, sizeOf } from "./validate.js";

/**
 * Rotary position embedding (Su et al. 2021, RoFormer) in the HF Llama "rotate-half" convention (CALM
 * reference 3.1/9.4): with h = d/2 and angle_{s,i} = positions[s]·θ^(−2i/d) for i < h (the frequencies
 * repeated for both halves), y = x·cos + rotate_half(x)·sin with rotate_half(x) = [−x[h:], x[:h]].
 * x is [..., seq, d] (e.g. [batch, heads, seq, headDim]), positions int32 [seq] (explicit, so a KV-cache
 * block passes its absolute positions). A rotation is orthogonal: the gradient is the inverse rotation of dy.
 *
 * @throws RangeError if d is odd, positions is not [seq], or theta ≤ 0; TypeError for wrong dtypes.
 * @example
 * ```ts
 * const q2 = rope(q, arange(0, q.shape[2])); // q: [batch, heads, seq, headDim]
 * ```
 */
export function rope(x: Tensor, positions: Tensor, options: RopeOptions = {}): Tensor {
  const t = floatArg(x, "rope", "x");
  const p = intArg(positions, "rope", "positions");
  const theta = options.theta ?? 10000;
  const inverse = options.inverse === true;
  if (t.rank < 2) throw new RangeError(`rope: x must be [..., seq, headDim], got ${fmt(t.shape)}`);
  const seq = t.shape[t.rank - 2];
  const headDim = t.shape[t.rank - 1];
  if (headDim % 2 !== 0) throw new RangeError(`rope: headDim must be even, got ${headDim} (x: ${fmt(t.shape)})`);
  if (p.rank !== 1 || p.shape[0] !== seq) {
    throw new RangeError(`rope: positions must be [${seq}] (the seq axis of x ${fmt(t.shape)}), got ${fmt(p.shape)}`);
  }
  if (!(theta > 0) || !Number.isFinite(theta)) throw new RangeError(`rope: theta must be a finite number > 0, got ${theta}`);
  const batchHeads = sizeOf(t.shape.slice(0, -2));
  const y = runKernel("rope", "Rope", { x: t, positions: p }, { batchHeads, seq, headDim, theta, inverse }, t.shape, "float32");
  if (needsGrad(t)) record("rope", y, [t, p], (dy) => [rope(dy, p, { theta, inverse: !inverse }), null]);
  return y;
}
