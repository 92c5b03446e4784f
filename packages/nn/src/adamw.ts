// SPDX-License-Identifier: MIT
//
// AdamW runs on host copies in float64 arithmetic, rounding each stored value to float32 once. That makes
// every step a pure function of (params, grads, state) independent of kernel scheduling, which is what
// bit-for-bit resume needs; the optimizer is a small fraction of a step's cost.

import { type Tensor, tensor, zerosLike } from "@calm/tensor";
import type { AdamWConfig, AdamWState, ParamTree } from "./api.js";
import { flattenParams, mapParams } from "./param-tree.js";
import { nonNegative, sameShape } from "./validate.js";

/**
 * Default decay rule: matrices (rank ≥ 2: Linear and Embedding weights) decay; vectors (biases, RMSNorm and
 * LayerNorm weights) do not, the usual practice (HF Trainer excludes biases and norm weights).
 *
 * @example
 * ```ts
 * defaultDecay("layers.0.mlp.up_proj.weight", w); // true
 * ```
 */
export function defaultDecay(_name: string, param: Tensor): boolean {
  return param.rank >= 2;
}

/**
 * Fresh AdamW state: step 0, m = v = 0 with the parameters' structure.
 *
 * @example
 * ```ts
 * let opt = createAdamWState(params);
 * ```
 */
export function createAdamWState<P extends ParamTree>(params: P): AdamWState<P> {
  return { step: 0, m: mapParams(params, (_, t) => zerosLike(t)), v: mapParams(params, (_, t) => zerosLike(t)) };
}

/**
 * Result of {@link adamwStep}.
 *
 * @example
 * ```ts
 * const { params: next, state } = adamwStep(params, grads, opt, 1e-3);
 * ```
 */
export interface AdamWStepResult<P extends ParamTree> {
  readonly params: P;
  readonly state: AdamWState<P>;
}

/**
 * One AdamW step (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", Algorithm 2), exactly
 * as `torch.optim.AdamW` computes it, with t = state.step + 1:
 * θ ← θ·(1 − lr·λ) (only for parameters that decay); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²;
 * θ ← θ − (lr/(1−β₁ᵗ))·m / (sqrt(v)/sqrt(1−β₂ᵗ) + ε).
 * Returns new parameter and state trees (tensors are immutable); the inputs are left as they are.
 *
 * @param grads - gradient tree with the parameters' structure (e.g. from valueAndGrad).
 * @param lr - learning rate for this step (see {@link learningRate}), ≥ 0.
 * @throws RangeError naming the parameter if a gradient or moment is missing or has another shape, or a
 *   hyper-parameter is out of range (β in [0, 1), ε ≥ 0, λ ≥ 0).
 * @example
 * ```ts
 * const { value, grads: [g] } = valueAndGrad(loss)(params);
 * ({ params, state: opt } = adamwStep(params, g, opt, 1e-3, { weightDecay: 0.1, beta2: 0.95 }));
 * ```
 */
export function adamwStep<P extends ParamTree>(
  params: P,
  grads: unknown,
  state: AdamWState<P>,
  lr: number,
  config: AdamWConfig = {},
): AdamWStepResult<P> {
  const fn = "adamwStep";
  const beta1 = config.beta1 ?? 0.9;
  const beta2 = config.beta2 ?? 0.999;
  const eps = nonNegative(config.eps ?? 1e-8, fn, "config.eps");
  const wd = nonNegative(config.weightDecay ?? 0.01, fn, "config.weightDecay");
  nonNegative(lr, fn, "lr");
  if (!(beta1 >= 0 && beta1 < 1)) throw new RangeError(`${fn}: config.beta1 must be in [0, 1), got ${beta1}`);
  if (!(beta2 >= 0 && beta2 < 1)) throw new RangeError(`${fn}: config.beta2 must be in [0, 1), got ${beta2}`);
  if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError(`${fn}: state.step must be an integer ≥ 0, got ${state.step}`);
  const decay = config.decay ?? defaultDecay;
  const g = flattenParams(grads as ParamTree);
  const m = flattenParams(state.m);
  const v = flattenParams(state.v);
  const t = state.step + 1;
  const bc1 = 1 - beta1 ** t;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  const stepSize = lr / bc1;
  const newM = new Map<string, Tensor>();
  const newV = new Map<string, Tensor>();
  const newParams = mapParams(params, (name, p) => {
    const gi = g.get(name);
    const mi = m.get(name);
    const vi = v.get(name);
    if (gi == null) throw new RangeError(`${fn}: no gradient for parameter "${name}"`);
    if (mi === undefined || vi === undefined) throw new RangeError(`${fn}: optimizer state has no moments for parameter "${name}"`);
    if (!sameShape(gi, p) || !sameShape(mi, p) || !sameShape(vi, p)) {
      throw new RangeError(
        `${fn}: shapes differ for "${name}": param [${p.shape.join(",")}], grad [${gi.shape.join(",")}], m [${mi.shape.join(",")}], v [${vi.shape.join(",")}]`,
      );
    }
    const pv = p.dataSync() as Float32Array;
    const gv = gi.dataSync() as Float32Array;
    const mv = mi.dataSync() as Float32Array;
    const vv = vi.dataSync() as Float32Array;
    const shrink = decay(name, p) ? 1 - lr * wd : 1;
    for (let j = 0; j < pv.length; j++) {
      const gj = gv[j];
      const mj = beta1 * mv[j] + (1 - beta1) * gj;
      const vj = beta2 * vv[j] + (1 - beta2) * gj * gj;
      mv[j] = mj;
      vv[j] = vj;
      // The moments are stored in float32 (as PyTorch does); the update reads the stored values.
      pv[j] = Math.fround(pv[j] * shrink) - (stepSize * mv[j]) / (Math.sqrt(vv[j]) / bc2Sqrt + eps);
    }
    newM.set(name, tensor(mv, p.shape));
    newV.set(name, tensor(vv, p.shape));
    return tensor(pv, p.shape);
  });
  return {
    params: newParams,
    state: { step: t, m: mapParams(params, (name) => newM.get(name)!), v: mapParams(params, (name) => newV.get(name)!) },
  };
}
