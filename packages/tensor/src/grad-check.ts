// SPDX-License-Identifier: MIT
//
// Finite-difference gradient checker, exported so that packages built on @calm/tensor can check the
// gradients of their own composite layers the same way this package checks its ops.
//
// The scalar probed is L(x) = Σ_i y_i·r_i with y = f(x) and a fixed random r, so the check covers the whole
// vector–Jacobian product, not just Σ y. L is accumulated in float64 on the host; the derivative is the
// central difference (L(x + εe_j) − L(x − εe_j)) / 2ε. With float32 forward values of order 1 the rounding
// error of that quotient is ≈ 6e-8·|L|/ε and the truncation error ≈ ε²·|L'''|/6, so ε = 1e-2 with
// tolerances |Δ| ≤ atol + rtol·|numeric| (atol 5e-3, rtol 2e-2 by default) sits far from both.

import type { GradCheckOptions, GradCheckResult } from "./api.js";
import { valueAndGrad } from "./grad.js";
import { mul } from "./ops/binary.js";
import { tensor } from "./ops/creation.js";
import { sum } from "./ops/reduce.js";
import { Rng } from "./rng.js";
import { fmt } from "./shape-math.js";
import type { Tensor } from "./tensor.js";

function weightedSum(y: Tensor, r: Float32Array): number {
  const v = y.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * r[i];
  return s;
}

/**
 * Compares the autograd gradient of Σ f(inputs)·r (r a fixed random cotangent) with central finite
 * differences, for every element of every float32 input. Costs 2 forward passes per input element: keep
 * shapes small. Inputs should avoid kinks (|x| near 0 for abs/relu, ties for max) by more than ε.
 *
 * @param f - the function to check; must be deterministic (re-seed any Rng inside it).
 * @param inputs - the point to check at.
 * @returns whether every element is within tolerance, and the worst element.
 * @example
 * ```ts
 * checkGradients((x) => softmax(x), [randn([2, 3], new Rng(0))]).ok; // true
 * ```
 */
export function checkGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): GradCheckResult {
  const eps = options.eps ?? 1e-2;
  const rtol = options.rtol ?? 2e-2;
  const atol = options.atol ?? 5e-3;
  const rng = new Rng(options.seed ?? 12345);
  const y0 = f(...inputs);
  // r is float32 so that the autograd side (through rT) and the finite-difference side weigh by the same values.
  const r = new Float32Array(y0.size);
  for (let i = 0; i < r.length; i++) r[i] = rng.nextNormal();
  const rT = tensor(r, y0.shape);
  const { grads } = valueAndGrad((...xs: Tensor[]) => sum(mul(f(...xs), rT)))(...inputs);
  const analytic = (grads as (Tensor | null)[]).map((g) => (g === null ? null : g.dataSync()));
  let worst: GradCheckResult["worst"] = null;
  let worstExcess = -Infinity;
  let ok = true;
  inputs.forEach((x, which) => {
    if (x.dtype !== "float32") return;
    const base = x.dataSync() as Float32Array;
    const g = analytic[which]!;
    for (let j = 0; j < base.length; j++) {
      const plus = Float32Array.from(base);
      plus[j] = base[j] + eps;
      const minus = Float32Array.from(base);
      minus[j] = base[j] - eps;
      const args = (v: Float32Array) => inputs.map((t, k) => (k === which ? tensor(v, t.shape) : t));
      const numeric = (weightedSum(f(...args(plus)), r) - weightedSum(f(...args(minus)), r)) / (2 * eps);
      const excess = Math.abs(g[j] - numeric) - (atol + rtol * Math.abs(numeric));
      if (!(excess <= 0)) ok = false;
      if (excess > worstExcess || Number.isNaN(excess)) {
        worstExcess = Number.isNaN(excess) ? Infinity : excess;
        worst = { input: which, index: j, analytic: g[j], numeric };
      }
    }
  });
  return { ok, worst };
}

/**
 * {@link checkGradients}, throwing a readable error (input, element, both values, shapes) on mismatch.
 *
 * @throws Error when any element is outside tolerance.
 * @example
 * ```ts
 * assertGradients((a, b) => matmul(a, b), [randn([2, 3], rng), randn([3, 2], rng)]);
 * ```
 */
export function assertGradients(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradCheckOptions = {},
): void {
  const res = checkGradients(f, inputs, options);
  if (!res.ok) {
    const w = res.worst!;
    throw new Error(
      `assertGradients: gradient mismatch at input ${w.input}, element ${w.index}: analytic ${w.analytic}, numeric ${w.numeric} ` +
        `(shapes ${inputs.map((t) => fmt(t.shape)).join(" ")})`,
    );
  }
}
