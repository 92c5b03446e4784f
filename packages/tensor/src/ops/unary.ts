// SPDX-License-Identifier: MIT

import type { UnaryOp } from "../backend/kernels.js";
import { needsGrad, record, runKernel } from "../engine.js";
import type { Tensor } from "../tensor.js";
import { add, div, mul, sub } from "./binary.js";
import { floatArg } from "./validate.js";

/** Runs the Unary kernel and records `grad(x, y, dy)` when a gradient is needed. */
function unary(op: UnaryOp, xIn: Tensor, grad: ((x: Tensor, y: Tensor, dy: Tensor) => Tensor) | null): Tensor {
  const x = floatArg(xIn, op, "x");
  const y = runKernel(op, "Unary", { x }, { op }, x.shape, "float32");
  if (grad !== null && needsGrad(x)) record(op, y, [x], (dy) => [grad(x, y, dy)]);
  return y;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * −x. Gradient −dy.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * neg(tensor([1, -2])); // [-1, 2]
 * ```
 */
export function neg(x: Tensor): Tensor {
  return unary("neg", x, (_x, _y, dy) => neg(dy));
}

/**
 * |x|. Gradient dy·sign(x) (0 at x = 0).
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * abs(tensor([-2])); // [2]
 * ```
 */
export function abs(x: Tensor): Tensor {
  return unary("abs", x, (x, _y, dy) => mul(dy, sign(x)));
}

/**
 * sign(x) ∈ {−1, 0, 1}. Piecewise constant: no gradient flows through it.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * sign(tensor([-3, 0, 2])); // [-1, 0, 1]
 * ```
 */
export function sign(x: Tensor): Tensor {
  return unary("sign", x, null);
}

/**
 * x². Gradient 2x·dy.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * square(tensor([3])); // [9]
 * ```
 */
export function square(x: Tensor): Tensor {
  return unary("square", x, (x, _y, dy) => mul(dy, mul(x, 2)));
}

/**
 * 1/x. Gradient −dy/x² = −dy·y².
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * reciprocal(tensor([4])); // [0.25]
 * ```
 */
export function reciprocal(x: Tensor): Tensor {
  return unary("reciprocal", x, (_x, y, dy) => neg(mul(dy, square(y))));
}

/**
 * eˣ. Gradient dy·y.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * exp(tensor([0])); // [1]
 * ```
 */
export function exp(x: Tensor): Tensor {
  return unary("exp", x, (_x, y, dy) => mul(dy, y));
}

/**
 * Natural logarithm (NaN for x < 0, −Infinity at 0). Gradient dy/x.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * log(tensor([1])); // [0]
 * ```
 */
export function log(x: Tensor): Tensor {
  return unary("log", x, (x, _y, dy) => div(dy, x));
}

/**
 * √x. Gradient dy/(2y).
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * sqrt(tensor([9])); // [3]
 * ```
 */
export function sqrt(x: Tensor): Tensor {
  return unary("sqrt", x, (_x, y, dy) => div(dy, mul(y, 2)));
}

/**
 * 1/√x. Gradient −½·dy·y³.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * rsqrt(tensor([4])); // [0.5]
 * ```
 */
export function rsqrt(x: Tensor): Tensor {
  return unary("rsqrt", x, (_x, y, dy) => mul(dy, mul(mul(y, square(y)), -0.5)));
}

/**
 * Logistic sigmoid σ(x) = 1/(1+e^−x) ∈ (0, 1). Gradient dy·y(1−y).
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * sigmoid(tensor([0])); // [0.5]
 * ```
 */
export function sigmoid(x: Tensor): Tensor {
  return unary("sigmoid", x, (_x, y, dy) => mul(dy, mul(y, sub(1, y))));
}

/**
 * tanh x ∈ (−1, 1). Gradient dy(1−y²).
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * tanh(tensor([0])); // [0]
 * ```
 */
export function tanh(x: Tensor): Tensor {
  return unary("tanh", x, (_x, y, dy) => mul(dy, sub(1, square(y))));
}

/**
 * max(x, 0). Gradient dy·[x > 0].
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * relu(tensor([-1, 2])); // [0, 2]
 * ```
 */
export function relu(x: Tensor): Tensor {
  return unary("relu", x, (x, _y, dy) => mul(dy, step(x)));
}

/**
 * Heaviside step [x > 0] ∈ {0, 1}. Piecewise constant: no gradient flows through it.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * step(tensor([-1, 0, 2])); // [0, 0, 1]
 * ```
 */
export function step(x: Tensor): Tensor {
  return unary("step", x, null);
}

/**
 * SiLU (swish) x·σ(x) (Elfwing et al. 2018; Llama MLP, CALM reference 9.4). Gradient dy·σ(x)(1 + x(1−σ(x))).
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * silu(tensor([0])); // [0]
 * ```
 */
export function silu(x: Tensor): Tensor {
  return unary("silu", x, (x, _y, dy) => mul(dy, siluGrad(x)));
}

/**
 * Derivative of SiLU, σ(x)(1 + x(1 − σ(x))) (one fused kernel; used by silu's gradient rule). Its own
 * gradient, σ(x)(1 − σ(x))(2 + x(1 − 2σ(x))), is written with public ops so second order works.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * siluGrad(tensor([0])); // [0.5]
 * ```
 */
export function siluGrad(x: Tensor): Tensor {
  return unary("siluGrad", x, (x, _y, dy) => {
    const s = sigmoid(x);
    return mul(dy, mul(mul(s, sub(1, s)), add(2, mul(x, sub(1, mul(s, 2))))));
  });
}

/**
 * Error function erf x = (2/√π)∫₀ˣ e^−t² dt (|error| ≤ 1.5e-7; the CPU backend's rational fit is within 6.5e-8). Gradient dy·(2/√π)e^−x².
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * erf(tensor([0])); // [0]
 * ```
 */
export function erf(x: Tensor): Tensor {
  return unary("erf", x, (x, _y, dy) => mul(dy, mul(exp(neg(square(x))), 2 / Math.sqrt(Math.PI))));
}

/**
 * Exact GELU x·Φ(x) = ½x(1 + erf(x/√2)) (Hendrycks & Gimpel 2016; PyTorch `nn.GELU()` default, not the tanh
 * approximation). Gradient dy·(Φ(x) + x·φ(x)), φ the standard normal density.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * gelu(tensor([0])); // [0]
 * ```
 */
export function gelu(x: Tensor): Tensor {
  return unary("gelu", x, (x, _y, dy) => mul(dy, geluGrad(x)));
}

/**
 * Derivative of exact GELU, Φ(x) + x·φ(x) (one fused kernel; used by gelu's gradient rule). Its own gradient,
 * φ(x)(2 − x²), is written with public ops so second order works.
 * @throws TypeError if x is not a float32 tensor; Error if disposed.
 * @example
 * ```ts
 * geluGrad(tensor([0])); // [0.5]
 * ```
 */
export function geluGrad(x: Tensor): Tensor {
  return unary("geluGrad", x, (x, _y, dy) => {
    const pdf = mul(exp(mul(square(x), -0.5)), INV_SQRT_2PI);
    return mul(dy, mul(pdf, sub(2, square(x))));
  });
}


