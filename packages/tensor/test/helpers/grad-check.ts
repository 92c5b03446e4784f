// SPDX-License-Identifier: MIT
// Finite-difference gradient checker for float32 ops.
//
// The scalar probed is L(x) = Σ_i y_i·r_i with y = f(x) and a fixed random r, so the check covers the whole
// vector–Jacobian product, not just Σ y. L is accumulated in float64 on the host; the derivative is the
// central difference (L(x + εe_j) − L(x − εe_j)) / 2ε. With float32 forward values of order 1 the rounding
// error of that quotient is ≈ 6e-8·|L|/ε and the truncation error ≈ ε²·|L'''|/6, so ε = 1e-2 with
// tolerances |Δ| ≤ atol + rtol·|g| (atol 5e-3, rtol 2e-2 by default) sits far from both.

import { Rng, Tensor, mul, sum, tensor, valueAndGrad } from "../../src/index.js";

export interface GradCheckOptions {
  readonly eps?: number;
  readonly rtol?: number;
  readonly atol?: number;
  /** Seed for the random cotangent r. */
  readonly seed?: number;
}

export interface GradCheckResult {
  readonly ok: boolean;
  readonly worst: { input: number; index: number; analytic: number; numeric: number } | null;
}

function weightedSum(y: Tensor, r: Float64Array): number {
  const v = y.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * r[i];
  return s;
}

/** Compares valueAndGrad's gradient of Σ f(xs)·r with central differences, for every element of every input. */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradCheckOptions = {}): GradCheckResult {
  const eps = options.eps ?? 1e-2;
  const rtol = options.rtol ?? 2e-2;
  const atol = options.atol ?? 5e-3;
  const rng = new Rng(options.seed ?? 12345);
  const y0 = f(...inputs);
  const r = new Float64Array(y0.size);
  for (let i = 0; i < r.length; i++) r[i] = rng.nextNormal();
  const rT = tensor(Float32Array.from(r), y0.shape);
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

/** Throws a readable error when the check fails (for use inside fast-check properties). */
export function expectGradOk(f: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradCheckOptions = {}): void {
  const res = gradCheck(f, inputs, options);
  if (!res.ok) {
    const w = res.worst!;
    throw new Error(
      `gradient mismatch at input ${w.input}, element ${w.index}: analytic ${w.analytic}, numeric ${w.numeric} ` +
        `(shapes ${inputs.map((t) => `[${t.shape.join(",")}]`).join(" ")})`,
    );
  }
}
