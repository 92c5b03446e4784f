// SPDX-License-Identifier: MIT

import type { CrossEntropyOptions } from "../api.js";
import { withContext } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { mul } from "./binary.js";
import { neg } from "./unary.js";
import { gather } from "./gather.js";
import { sum } from "./reduce.js";
import { reshape } from "./shape.js";
import { logSoftmax } from "./softmax.js";
import { fromValues } from "../engine.js";
import { checkTensor, floatArg, fmt } from "./validate.js";

/**
 * Cross-entropy of integer targets under softmax(logits): ℓ_i = −log softmax(logits_i)[targets_i]
 * (= log Σ_v e^{z_v} − z_t), computed through logSoftmax so it never takes the log of a rounded probability.
 * logits [..., V] float32, targets [...] int32 ids in [0, V). Differentiable w.r.t. logits
 * (gradient softmax − onehot, scaled by the reduction).
 *
 * @throws TypeError if targets are not int32; RangeError if shapes do not match or an id is out of
 *   [0, V) (and not `ignoreIndex`); Error if disposed.
 * @example
 * ```ts
 * crossEntropy(tensor([[0, 0]]), tensor([1], [1], "int32")).item(); // ln 2 ≈ 0.693
 * ```
 */
export function crossEntropy(logits: Tensor, targets: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const z = floatArg(logits, "crossEntropy", "logits");
  const t = checkTensor(targets, "crossEntropy", "targets");
  if (t.dtype !== "int32") throw new TypeError(`crossEntropy: targets must be int32, got ${t.dtype}`);
  if (z.rank < 1 || z.rank !== t.rank + 1 || t.shape.some((d, i) => d !== z.shape[i])) {
    throw new RangeError(`crossEntropy: logits ${fmt(z.shape)} must be targets' shape ${fmt(t.shape)} plus a vocabulary axis`);
  }
  const reduction = options.reduction ?? "mean";
  if (reduction !== "mean" && reduction !== "sum" && reduction !== "none") {
    throw new RangeError(`crossEntropy: reduction must be "mean", "sum" or "none", got ${String(reduction)}`);
  }
  const vocab = z.shape[z.rank - 1];
  const n = t.size;
  const ids = t.dataSync() as Int32Array;
  const ignore = options.ignoreIndex;
  // Flat index n·V + target into the [N·V] log-probabilities; ignored targets read their row's entry 0 and get weight 0.
  const flat = new Int32Array(n);
  const weights = ignore === undefined ? null : new Float32Array(n);
  let counted = n;
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (ignore !== undefined && id === ignore) {
      flat[i] = i * vocab;
      counted--;
      continue;
    }
    if (id < 0 || id >= vocab) throw new RangeError(`crossEntropy: targets[${i}] = ${id} is out of range [0, ${vocab})`);
    flat[i] = i * vocab + id;
    if (weights !== null) weights[i] = 1;
  }
  return withContext("crossEntropy", () => {
    const logp = reshape(logSoftmax(z), [n * vocab]);
    let losses = neg(gather(logp, fromValues(flat, [n], "int32")));
    if (weights !== null) losses = mul(losses, fromValues(weights, [n], "float32"));
    if (reduction === "none") return reshape(losses, t.shape);
    const total = sum(losses);
    return reduction === "sum" ? total : mul(total, counted === 0 ? 0 : 1 / counted);
  });
}

