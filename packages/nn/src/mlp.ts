// SPDX-License-Identifier: MIT

import { mul, type Rng, silu, type Tensor } from "@calm/tensor";
import type { MLPConfig, MLPParams } from "./api.js";
import { createLinear, linearForward } from "./linear.js";
import { positiveInt } from "./validate.js";

/**
 * Creates a SwiGLU MLP (Shazeer 2020; HF `LlamaMLP`, CALM reference 2.2/3.1): `gate_proj`, `up_proj`
 * [I, H] and `down_proj` [H, I], no biases, normal(0, 0.02) init. Drawn in that order from `rng`.
 *
 * @throws RangeError for non-positive sizes.
 * @example
 * ```ts
 * const mlp = createMLP({ hiddenSize: 64, intermediateSize: 172 }, new Rng(0));
 * ```
 */
export function createMLP(config: MLPConfig, rng: Rng): MLPParams {
  const h = positiveInt(config.hiddenSize, "createMLP", "config.hiddenSize");
  const i = positiveInt(config.intermediateSize, "createMLP", "config.intermediateSize");
  const initStd = config.initStd;
  return {
    gate_proj: createLinear({ inFeatures: h, outFeatures: i, bias: false, initStd }, rng),
    up_proj: createLinear({ inFeatures: h, outFeatures: i, bias: false, initStd }, rng),
    down_proj: createLinear({ inFeatures: i, outFeatures: h, bias: false, initStd }, rng),
  };
}

/**
 * y = down_proj(SiLU(gate_proj(x)) ⊙ up_proj(x)), x [..., H] → [..., H] (CALM reference 9.4).
 *
 * @throws RangeError if x's last axis is not H.
 * @example
 * ```ts
 * const y = mlpForward(mlp, x);
 * ```
 */
export function mlpForward(params: MLPParams, x: Tensor): Tensor {
  return linearForward(params.down_proj, mul(silu(linearForward(params.gate_proj, x)), linearForward(params.up_proj, x)));
}
