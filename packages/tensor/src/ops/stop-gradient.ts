// SPDX-License-Identifier: MIT

import { shareData } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { checkTensor } from "./validate.js";

/**
 * The same values, cut out of the autograd graph: no gradient flows back through the result (PyTorch's
 * `detach`, JAX's `stop_gradient`). Shares storage with x.
 *
 * @throws Error if x was disposed.
 * @example
 * ```ts
 * const [g] = grad((x) => sum(mul(x, stopGradient(x))))(tensor([3])); // [3], not [6]
 * ```
 */
export function stopGradient(x: Tensor): Tensor {
  const t = checkTensor(x, "stopGradient", "x");
  return shareData(t, t.shape, "stopGradient");
}
