// SPDX-License-Identifier: MIT

import { mul } from "@calm/tensor";
import type { ParamTree } from "./api.js";
import { flattenParams, mapParams } from "./param-tree.js";

/**
 * Result of {@link clipGradNorm}.
 *
 * @example
 * ```ts
 * const { grads: clipped, norm }: ClipResult<typeof grads> = clipGradNorm(grads, 1.0);
 * ```
 */
export interface ClipResult<G> {
  /** The gradients, scaled by min(1, maxNorm/(norm + 1e-6)). */
  readonly grads: G;
  /** Global L2 norm sqrt(Σ g²) over every gradient, before clipping (what PyTorch's clip_grad_norm_ returns). */
  readonly norm: number;
}

/**
 * Gradient clipping by global norm (Pascanu et al. 2013; `torch.nn.utils.clip_grad_norm_`):
 * ‖g‖ = sqrt(Σ_tensors Σ g²) (accumulated in float64), and if maxNorm/(‖g‖ + 1e-6) < 1 every gradient is
 * multiplied by that factor. Null gradients are kept as they are.
 *
 * @param maxNorm - threshold, > 0 (the reference clips at 1.0).
 * @throws RangeError if maxNorm is not positive; a non-finite norm is returned as is (the caller decides).
 * @example
 * ```ts
 * const { grads: clipped, norm } = clipGradNorm(grads, 1.0);
 * ```
 */
export function clipGradNorm<G>(grads: G, maxNorm: number): ClipResult<G> {
  if (!(maxNorm > 0)) throw new RangeError(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  const tree = grads as ParamTree;
  let sq = 0;
  for (const t of flattenParams(tree).values()) {
    const v = t.dataSync();
    for (let i = 0; i < v.length; i++) sq += v[i] * v[i];
  }
  const norm = Math.sqrt(sq);
  const coef = maxNorm / (norm + 1e-6);
  if (!(coef < 1)) return { grads, norm };
  const scaled = mapParams(tree, (_, t) => mul(t, coef));
  return { grads: scaled as G, norm };
}

