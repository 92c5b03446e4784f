// SPDX-License-Identifier: MIT

import type { BinaryOp } from "../backend/kernels.js";
import { needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { sumTo } from "./reduce.js";
import { log, neg, square } from "./unary.js";
import type { TensorOrNumber } from "../api.js";
import { broadcastShapes, broadcastStrides, floatArg } from "./validate.js";

type BinaryGrad = (a: Tensor, b: Tensor, y: Tensor, dy: Tensor) => [Tensor | null, Tensor | null];

function binary(op: BinaryOp, aIn: TensorOrNumber, bIn: TensorOrNumber, grad: BinaryGrad | null): Tensor {
  const a = floatArg(aIn, op, "a");
  const b = floatArg(bIn, op, "b");
  const outShape = broadcastShapes(a.shape, b.shape, op);
  const y = runKernel(
    op,
    "Binary",
    { a, b },
    { op, outShape, aStrides: broadcastStrides(a.shape, outShape), bStrides: broadcastStrides(b.shape, outShape) },
    outShape,
    "float32",
  );
  if (grad !== null && needsGrad(a, b)) {
    record(op, y, [a, b], (dy) => {
      const [ga, gb] = grad(a, b, y, dy);
      return [ga === null ? null : sumTo(ga, a.shape), gb === null ? null : sumTo(gb, b.shape)];
    });
  }
  return y;
}

/**
 * a + b with NumPy broadcasting (numbers are scalars). Gradient (dy, dy), summed over broadcast axes.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * add(tensor([[1, 2], [3, 4]]), tensor([10, 20])); // [[11, 22], [13, 24]]
 * ```
 */
export function add(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("add", a, b, (_a, _b, _y, dy) => [dy, dy]);
}

/**
 * a − b with broadcasting. Gradient (dy, −dy).
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * sub(tensor([3]), 1); // [2]
 * ```
 */
export function sub(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("sub", a, b, (_a, _b, _y, dy) => [dy, neg(dy)]);
}

/**
 * a · b elementwise with broadcasting. Gradient (dy·b, dy·a).
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * mul(tensor([1, 2]), 3); // [3, 6]
 * ```
 */
export function mul(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("mul", a, b, (a, b, _y, dy) => [mul(dy, b), mul(dy, a)]);
}

/**
 * a / b with broadcasting. Gradient (dy/b, −dy·a/b²).
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * div(tensor([1]), 4); // [0.25]
 * ```
 */
export function div(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("div", a, b, (a, b, _y, dy) => [div(dy, b), neg(div(mul(dy, a), square(b)))]);
}

/**
 * a / b, and exactly 0 where b = 0 (TensorFlow's `divNoNan`). Gradient (dy ⊘ b, −(dy·a ⊘ b) ⊘ b) with ⊘ the
 * same zero-safe division, so no gradient flows where b = 0.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * divNoNan(tensor([1, 1]), tensor([2, 0])); // [0.5, 0]
 * ```
 */
export function divNoNan(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("divNoNan", a, b, (a, b, _y, dy) => [divNoNan(dy, b), neg(divNoNan(divNoNan(mul(dy, a), b), b))]);
}

/**
 * a^b elementwise (Math.pow semantics). Gradient (dy·b·a^(b−1), dy·y·ln a), the latter taken as 0 where a ≤ 0.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * pow(tensor([2, 3]), 2); // [4, 9]
 * ```
 */
export function pow(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("pow", a, b, (a, b, y, dy) => {
    const ga = mul(dy, mul(b, pow(a, sub(b, 1))));
    const positive = greater(a, 0);
    const gb = mul(mul(dy, y), mul(positive, log(maximum(a, 1e-30))));
    return [ga, gb];
  });
}

/**
 * Elementwise maximum (NaN propagates). Gradient goes to a where a ≥ b, else to b.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * maximum(tensor([1, 5]), 3); // [3, 5]
 * ```
 */
export function maximum(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("maximum", a, b, (a, b, _y, dy) => {
    const m = greaterEqual(a, b);
    return [mul(dy, m), mul(dy, sub(1, m))];
  });
}

/**
 * Elementwise minimum (NaN propagates). Gradient goes to a where a ≤ b, else to b.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * minimum(tensor([1, 5]), 3); // [1, 3]
 * ```
 */
export function minimum(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("minimum", a, b, (a, b, _y, dy) => {
    const m = lessEqual(a, b);
    return [mul(dy, m), mul(dy, sub(1, m))];
  });
}

/**
 * [a = b] as 1/0 (float32). Not differentiable (no gradient flows).
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * equal(tensor([1, 2]), 2); // [0, 1]
 * ```
 */
export function equal(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("equal", a, b, null);
}

/**
 * [a > b] as 1/0 (float32). Not differentiable.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * greater(tensor([1, 3]), 2); // [0, 1]
 * ```
 */
export function greater(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("greater", a, b, null);
}

/**
 * [a ≥ b] as 1/0 (float32). Not differentiable.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * greaterEqual(tensor([1, 2]), 2); // [0, 1]
 * ```
 */
export function greaterEqual(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("greaterEqual", a, b, null);
}

/**
 * [a < b] as 1/0 (float32). Not differentiable.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * less(tensor([1, 3]), 2); // [1, 0]
 * ```
 */
export function less(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("less", a, b, null);
}

/**
 * [a ≤ b] as 1/0 (float32). Not differentiable.
 * @throws RangeError if the shapes cannot be broadcast; TypeError for non-float32 input; Error if disposed.
 * @example
 * ```ts
 * lessEqual(tensor([2, 3]), 2); // [1, 0]
 * ```
 */
export function lessEqual(a: TensorOrNumber, b: TensorOrNumber): Tensor {
  return binary("lessEqual", a, b, null);
}
