// SPDX-License-Identifier: MIT

import type { Tensor } from "../tensor.js";
import { maximum, minimum } from "./binary.js";
import { floatArg } from "./validate.js";

/**
 * Clamps every element to [low, high]: min(max(x, low), high). Gradient dy inside the interval, 0 outside.
 *
 * @throws RangeError if low > high; TypeError for non-float32 x; Error if disposed.
 * @example
 * ```ts
 * clip(tensor([-2, 0.5, 3]), -1, 1); // [-1, 0.5, 1]
 * ```
 */
export function clip(x: Tensor, low: number, high: number): Tensor {
  const t = floatArg(x, "clip", "x");
  if (!(low <= high)) throw new RangeError(`clip: need low ≤ high, got low ${low}, high ${high}`);
  return minimum(maximum(t, low), high);
}
