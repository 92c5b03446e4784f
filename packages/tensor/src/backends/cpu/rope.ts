// SPDX-License-Identifier: MIT

import type { KernelFunc } from "../../backend/kernels.js";

type Data = Float32Array | Int32Array;

/**
 * CPU `Rope` kernel, HF rotate-half convention: for i < h = headDim/2 and angle = pos·theta^(−2i/headDim),
 * out[i] = x[i]·cos − x[i+h]·sin and out[i+h] = x[i+h]·cos + x[i]·sin (sin negated when `inverse`).
 *
 * @example
 * ```ts
 * ropeCpu({ x: { data: new Float32Array([1, 0]), shape: [1, 1, 2], dtype: "float32" },
 *   positions: { data: new Int32Array([0]), shape: [1], dtype: "int32" } },
 *   { batchHeads: 1, seq: 1, headDim: 2, theta: 10000, inverse: false }); // [1, 0]
 * ```
 */
export const ropeCpu: KernelFunc<"Rope", Data> = ({ x, positions }, { batchHeads, seq, headDim, theta, inverse }) => {
  const src = x.data as Float32Array;
  const pos = positions.data;
  const h = headDim >> 1;
  // cos/sin table [seq, h], shared by every batch·head row.
  const cos = new Float64Array(seq * h);
  const sin = new Float64Array(seq * h);
  for (let i = 0; i < h; i++) {
    const invFreq = Math.pow(theta, (-2 * i) / headDim);
    for (let s = 0; s < seq; s++) {
      const angle = pos[s] * invFreq;
      cos[s * h + i] = Math.cos(angle);
      sin[s * h + i] = inverse ? -Math.sin(angle) : Math.sin(angle);
    }
  }
  const out = new Float32Array(src.length);
  for (let bh = 0; bh < batchHeads; bh++) {
    for (let s = 0; s < seq; s++) {
      const base = (bh * seq + s) * headDim;
      const t = s * h;
      for (let i = 0; i < h; i++) {
        const x1 = src[base + i];
        const x2 = src[base + i + h];
        const c = cos[t + i];
        const sn = sin[t + i];
        out[base + i] = x1 * c - x2 * sn;
        out[base + i + h] = x2 * c + x1 * sn;
      }
    }
  }
  return out;
};
