// SPDX-License-Identifier: MIT

import { add, keep, mul, type Tensor } from "@calm/tensor";
import type { ParamTree } from "./api.js";
import { flattenParams, mapParams } from "./param-tree.js";
import { sameShape } from "./validate.js";

/**
 * Sums gradient trees of k micro-batches and returns their weighted mean, so k micro-batches of a mean loss
 * give the gradient of the mean loss over the whole batch (equal to one big batch up to float rounding when
 * the micro-batches have equal size; pass weights proportional to their sizes otherwise).
 *
 * @example
 * ```ts
 * const acc = new GradientAccumulator();
 * for (const mb of microBatches) acc.add(valueAndGrad(loss)(params, mb).grads[0]);
 * const grads = acc.mean();
 * ```
 */
export class GradientAccumulator {
  private sum: Map<string, Tensor> | null = null;
  private template: ParamTree | undefined;
  private totalWeight = 0;

  /** Number of micro-batches added since the last reset. */
  count = 0;

  /**
   * Adds one micro-batch gradient tree, scaled by `weight` (default 1).
   *
   * @throws RangeError if the tree's names or shapes differ from the first one, or weight ≤ 0.
   * @example
   * ```ts
   * acc.add(grads, microBatchSize);
   * ```
   */
  add(grads: unknown, weight = 1): void {
    if (!(weight > 0) || !Number.isFinite(weight)) throw new RangeError(`GradientAccumulator.add: weight must be a finite number > 0, got ${weight}`);
    const flat = flattenParams(grads as ParamTree);
    if (this.sum === null) {
      this.template = grads as ParamTree;
      // Always a copy we own (kept out of tidy scopes), so later adds and reset() may dispose it.
      this.sum = new Map([...flat].map(([k, t]) => [k, keep(mul(t, weight))]));
    } else {
      if (flat.size !== this.sum.size) throw new RangeError(`GradientAccumulator.add: got ${flat.size} gradients, the first tree had ${this.sum.size}`);
      for (const [k, t] of flat) {
        const prev = this.sum.get(k);
        if (prev === undefined) throw new RangeError(`GradientAccumulator.add: unexpected gradient "${k}"`);
        if (!sameShape(prev, t)) {
          throw new RangeError(`GradientAccumulator.add: gradient "${k}" has shape [${t.shape.join(",")}], earlier [${prev.shape.join(",")}]`);
        }
        this.sum.set(k, keep(add(prev, weight === 1 ? t : mul(t, weight))));
        prev.dispose();
      }
    }
    this.totalWeight += weight;
    this.count++;
  }

  /**
   * The weighted mean Σ wᵢgᵢ / Σ wᵢ, with the structure of the first tree added.
   *
   * @throws Error if nothing was added.
   * @example
   * ```ts
   * const grads = acc.mean();
   * ```
   */
  mean<G = ParamTree>(): G {
    if (this.sum === null) throw new Error("GradientAccumulator.mean: no gradients were added");
    const sum = this.sum;
    const scale = 1 / this.totalWeight;
    return mapParams(this.template, (k) => mul(sum.get(k)!, scale)) as G;
  }

  /**
   * Forgets (and disposes) the accumulated sums, at the start of the next optimizer step. Tensors returned
   * by {@link GradientAccumulator.mean} are independent and stay valid.
   *
   * @example
   * ```ts
   * acc.reset();
   * ```
   */
  reset(): void {
    if (this.sum !== null) for (const t of this.sum.values()) t.dispose();
    this.sum = null;
    this.template = undefined;
    this.totalWeight = 0;
    this.count = 0;
  }
}
