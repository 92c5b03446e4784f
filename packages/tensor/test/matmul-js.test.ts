// SPDX-License-Identifier: MIT
import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { matmulF32 } from "../src/backends/cpu/matmul.js";
import { matmulF32Js } from "../src/backends/cpu/matmul-js.js";

/** float64 reference of op(A)·op(B). */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean) {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      c[i * n + j] = s;
    }
  return c;
}

describe("matmulF32Js", () => {
  test.prop([fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(), fc.integer()], { numRuns: 60 })(
    "matches a float64 reference for every transpose variant",
    (m, k, n, tA, tB, seed) => {
      let s = seed >>> 0;
      const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
      const a = Float32Array.from({ length: m * k }, rnd);
      const b = Float32Array.from({ length: k * n }, rnd);
      for (const f of [matmulF32Js, matmulF32]) {
        const c = new Float32Array(m * n).fill(7);
        f(a, b, c, m, k, n, tA, tB);
        const r = reference(a, b, m, k, n, tA, tB);
        for (let i = 0; i < m * n; i++) expect(Math.abs(c[i] - r[i])).toBeLessThanOrEqual(1e-5 * k);
      }
    },
  );
});
