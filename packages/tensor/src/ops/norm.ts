// SPDX-License-Identifier: MIT

import { needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { add, mul, sub } from "./binary.js";
import { zeros } from "./creation.js";
import { mean, sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { rsqrt, square } from "./unary.js";
import { floatArg, fmt } from "./validate.js";

function checkRowParam(p: Tensor, cols: number, op: string, arg: string, x: Tensor): void {
  if (p.rank !== 1 || p.shape[0] !== cols) {
    throw new RangeError(`${op}: ${arg} must have shape [${cols}] to match the last axis of x ${fmt(x.shape)}, got ${fmt(p.shape)}`);
  }
}

/** The checked arguments of a norm over the last axis: x of rank ≥ 1, weight [cols], eps finite and ≥ 0. */
function normArgs(x: Tensor, weight: Tensor, eps: number, op: string): { t: Tensor; w: Tensor; rows: number; cols: number } {
  const t = floatArg(x, op, "x");
  const w = floatArg(weight, op, "weight");
  if (t.rank < 1) throw new RangeError(`${op}: x must have rank ≥ 1, got a scalar`);
  const cols = t.shape[t.rank - 1];
  checkRowParam(w, cols, op, "weight", t);
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new RangeError(`${op}: eps must be a finite number ≥ 0, got ${eps}`);
  return { t, w, rows: cols === 0 ? 0 : t.size / cols, cols };
}

/**
 * RMSNorm over the last axis (Zhang & Sennrich 2019; HF Llama, CALM reference 2.2/9.4):
 * y = x / sqrt(mean_j x_j² + eps) ⊙ weight. Forward is one fused kernel; the gradient is written with public
 * ops: with r = 1/sqrt(mean x² + eps), x̂ = x·r, g = dy ⊙ weight:
 * dx = r·(g − x̂·mean(g ⊙ x̂)), dweight = Σ_rows dy ⊙ x̂.
 *
 * @param eps - default 1e-6 (the CALM reference value).
 * @throws RangeError if weight is not [x.shape[-1]] or eps < 0; TypeError for non-float32; Error if disposed.
 * @example
 * ```ts
 * rmsNorm(tensor([[3, 4]]), ones([2]), 0); // [[0.8485, 1.1314]]
 * ```
 */
export function rmsNorm(x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  const { t, w, rows, cols } = normArgs(x, weight, eps, "rmsNorm");
  const y = runKernel("rmsNorm", "RmsNorm", { x: t, weight: w }, { rows, cols, eps }, t.shape, "float32");
  if (needsGrad(t, w)) {
    record("rmsNorm", y, [t, w], (dy) => {
      const r = rsqrt(add(mean(square(t), -1, true), eps));
      const xhat = mul(t, r);
      const g = mul(dy, w);
      const dx = mul(r, sub(g, mul(xhat, mean(mul(g, xhat), -1, true))));
      const dw = reshape(sum(reshape(mul(dy, xhat), [rows, cols]), 0), [cols]);
      return [dx, dw];
    });
  }
  return y;
}

/**
 * LayerNorm over the last axis (Ba et al. 2016): y = (x − μ)/sqrt(σ² + eps) ⊙ weight + bias with the
 * biased variance σ². Forward is one fused kernel; with r = 1/sqrt(σ² + eps), x̂ = (x − μ)·r, g = dy ⊙ weight:
 * dx = r·(g − mean(g) − x̂·mean(g ⊙ x̂)), dweight = Σ_rows dy ⊙ x̂, dbias = Σ_rows dy.
 *
 * @param bias - [x.shape[-1]], or null for none.
 * @param eps - default 1e-6 (the CALM reference value for embed_proj and the head).
 * @throws RangeError if weight/bias are not [x.shape[-1]] or eps < 0; TypeError for non-float32; Error if disposed.
 * @example
 * ```ts
 * layerNorm(tensor([[1, 3]]), ones([2]), zeros([2]), 0); // [[-1, 1]]
 * ```
 */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor | null = null, eps = 1e-6): Tensor {
  const { t, w, rows, cols } = normArgs(x, weight, eps, "layerNorm");
  const b = bias === null ? null : floatArg(bias, "layerNorm", "bias");
  if (b !== null) checkRowParam(b, cols, "layerNorm", "bias", t);
  const bk = b ?? zeros([cols]);
  const y = runKernel("layerNorm", "LayerNorm", { x: t, weight: w, bias: bk }, { rows, cols, eps }, t.shape, "float32");
  if (b === null) bk.dispose();
  const inputs = b === null ? [t, w] : [t, w, b];
  if (needsGrad(...inputs)) {
    record("layerNorm", y, inputs, (dy) => {
      const centred = sub(t, mean(t, -1, true));
      const r = rsqrt(add(mean(square(centred), -1, true), eps));
      const xhat = mul(centred, r);
      const g = mul(dy, w);
      const dx = mul(r, sub(sub(g, mean(g, -1, true)), mul(xhat, mean(mul(g, xhat), -1, true))));
      const dw = reshape(sum(reshape(mul(dy, xhat), [rows, cols]), 0), [cols]);
      if (b === null) return [dx, dw];
      return [dx, dw, reshape(sum(reshape(dy, [rows, cols]), 0), [cols])];
    });
  }
  return y;
}
