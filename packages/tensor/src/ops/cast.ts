// SPDX-License-Identifier: MIT

import type { DType } from "../api.js";
import { runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { reshape } from "./shape.js";
import { checkDType, checkTensor } from "./validate.js";

/**
 * Converts to another dtype (float32 → int32 truncates toward zero). Not differentiable.
 *
 * @throws TypeError for an unknown dtype; Error if disposed.
 * @example
 * ```ts
 * cast(tensor([1.7, -1.7]), "int32"); // int32 [1, -1]
 * ```
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  const t = checkTensor(x, "cast", "x");
  const to = checkDType(dtype, "cast");
  if (to === t.dtype) return reshape(t, t.shape);
  return runKernel("cast", "Cast", { x: t }, { dtype: to }, t.shape, to);
}
