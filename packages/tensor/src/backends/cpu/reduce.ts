// SPDX-License-Identifier: MIT

import type { KernelFunc } from "../../backend/kernels.js";

type Data = Float32Array | Int32Array;

/**
 * CPU `Reduce` kernel: x viewed as [outer, reduce, inner] → [outer, inner]. Sums accumulate in float64.
 *
 * @example
 * ```ts
 * reduceCpu({ x: { data: new Float32Array([1, 2, 3, 4]), shape: [2, 2], dtype: "float32" } },
 *   { op: "sum", outer: 2, reduce: 2, inner: 1 }); // [3, 7]
 * ```
 */
export const reduceCpu: KernelFunc<"Reduce", Data> = ({ x }, { op, outer, reduce, inner }) => {
  const src = x.data as Float32Array;
  const out = new Float32Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * reduce;
      if (op === "sum") {
        let s = 0;
        for (let r = 0; r < reduce; r++) s += src[base + r];
        out[o] = s;
      } else if (op === "max") {
        let m = -Infinity;
        for (let r = 0; r < reduce; r++) {
          const v = src[base + r];
          if (v > m || v !== v) m = v;
          if (m !== m) break;
        }
        out[o] = m;
      } else {
        let m = Infinity;
        for (let r = 0; r < reduce; r++) {
          const v = src[base + r];
          if (v < m || v !== v) m = v;
          if (m !== m) break;
        }
        out[o] = m;
      }
    }
    return out;
  }
  // Strided case: walk the reduced axis in the outer loop so the inner loop stays contiguous.
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * reduce * inner;
    acc.fill(op === "sum" ? 0 : op === "max" ? -Infinity : Infinity);
    for (let r = 0; r < reduce; r++) {
      const row = base + r * inner;
      if (op === "sum") for (let i = 0; i < inner; i++) acc[i] += src[row + i];
      else if (op === "max")
        for (let i = 0; i < inner; i++) {
          const v = src[row + i];
          if (v > acc[i] || v !== v) acc[i] = v;
        }
      else
        for (let i = 0; i < inner; i++) {
          const v = src[row + i];
          if (v < acc[i] || v !== v) acc[i] = v;
        }
    }
    out.set(acc, o * inner);
  }
  return out;
};

/**
 * CPU `ArgMax` kernel: first index of the maximum along the middle axis of [outer, reduce, inner] (a NaN
 * counts as the maximum).
 *
 * @example
 * ```ts
 * argMaxCpu({ x: { data: new Float32Array([1, 5, 3]), shape: [3], dtype: "float32" } },
 *   { outer: 1, reduce: 3, inner: 1 }); // Int32Array [1]
 * ```
 */
export const argMaxCpu: KernelFunc<"ArgMax", Data> = ({ x }, { outer, reduce, inner }) => {
  const src = x.data;
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * reduce * inner + i;
      let best = src[base];
      let at = 0;
      for (let r = 1; r < reduce && best === best; r++) {
        const v = src[base + r * inner];
        if (v > best || v !== v) {
          best = v;
          at = r;
        }
      }
      out[o * inner + i] = at;
    }
  }
  return out;
};
