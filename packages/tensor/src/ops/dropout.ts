// SPDX-License-Identifier: MIT

import { fromValues } from "../engine.js";
import type { Rng } from "../rng.js";
import type { Tensor } from "../tensor.js";
import { mul } from "./binary.js";
import { reshape } from "./shape.js";
import { checkRng, floatArg } from "./validate.js";

/**
 * Inverted dropout (Srivastava et al. 2014): each element is kept with probability 1 − p and scaled by
 * 1/(1 − p), else set to 0, so E[y] = x. The mask is drawn from `rng` (one uniform per element, row-major);
 * p = 0 returns x unchanged and draws nothing. Gradient: dy times the same mask.
 *
 * @param p - drop probability in [0, 1].
 * @throws RangeError if p ∉ [0, 1]; TypeError if rng is not an Rng or x is not float32.
 * @example
 * ```ts
 * const h = dropout(x, 0.15, rng);
 * ```
 */
export function dropout(x: Tensor, p: number, rng: Rng): Tensor {
  const t = floatArg(x, "dropout", "x");
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${p}`);
  checkRng(rng, "dropout");
  if (p === 0) return reshape(t, t.shape);
  const mask = new Float32Array(t.size);
  const keepScale = p === 1 ? 0 : 1 / (1 - p);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.nextFloat() >= p ? keepScale : 0;
  const m = fromValues(mask, t.shape, "float32");
  const y = mul(t, m);
  m.dispose();
  return y;
}
