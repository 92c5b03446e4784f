// SPDX-License-Identifier: MIT

import type { DType } from "../../api.js";
import type { KernelFunc } from "../../backend/kernels.js";
import { sizeOf, stridesOf } from "../../shape-math.js";

type Data = Float32Array | Int32Array;

function alloc(dtype: DType, size: number): Data {
  return dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
}

/**
 * Copies a strided box of `src` into contiguous `dst`: dst[i] = src[offset + Σ i_d·strides[d]] over `shape`.
 * The last axis is the inner loop (a block copy when its stride is 1); outer axes advance by odometer.
 */
function stridedCopy(src: Data, offset: number, strides: readonly number[], shape: readonly number[], dst: Data): void {
  const r = shape.length;
  const n = dst.length;
  if (n === 0) return;
  if (r === 0) {
    dst[0] = src[offset];
    return;
  }
  const inner = shape[r - 1];
  const si = strides[r - 1];
  const idx = new Array<number>(r).fill(0);
  let so = offset;
  // subarray() allocates a view object, so short contiguous runs are copied by hand.
  const block = si === 1 && inner >= 16;
  for (let o = 0; o < n; o += inner) {
    if (block) dst.set(src.subarray(so, so + inner), o);
    else for (let j = 0, p = so; j < inner; j++, p += si) dst[o + j] = src[p];
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      so += strides[d];
      if (idx[d] < shape[d]) break;
      so -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

/**
 * CPU `Permute` kernel.
 *
 * @example
 * ```ts
 * permuteCpu({ x: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: "float32" } },
 *   { perm: [1, 0] }); // [1, 4, 2, 5, 3, 6]
 * ```
 */
export const permuteCpu: KernelFunc<"Permute", Data> = ({ x }, { perm }) => {
  const inStrides = stridesOf(x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  const strides = perm.map((p) => inStrides[p]);
  const out = alloc(x.dtype, x.data.length);
  stridedCopy(x.data, 0, strides, outShape, out);
  return out;
};

/**
 * CPU `Slice` kernel.
 *
 * @example
 * ```ts
 * sliceCpu({ x: { data: new Float32Array([1, 2, 3]), shape: [3], dtype: "float32" } },
 *   { begin: [1], size: [2] }); // [2, 3]
 * ```
 */
export const sliceCpu: KernelFunc<"Slice", Data> = ({ x }, { begin, size }) => {
  const strides = stridesOf(x.shape);
  let offset = 0;
  for (let d = 0; d < begin.length; d++) offset += begin[d] * strides[d];
  const out = alloc(x.dtype, sizeOf(size));
  stridedCopy(x.data, offset, strides, size, out);
  return out;
};

/**
 * CPU `Pad` kernel: zeros of `outShape` with x written at `begin`.
 *
 * @example
 * ```ts
 * padCpu({ x: { data: new Float32Array([7]), shape: [1], dtype: "float32" } },
 *   { begin: [1], outShape: [3] }); // [0, 7, 0]
 * ```
 */
export const padCpu: KernelFunc<"Pad", Data> = ({ x }, { begin, outShape }) => {
  const out = alloc(x.dtype, sizeOf(outShape));
  const outStrides = stridesOf(outShape);
  const r = outShape.length;
  const src = x.data;
  const n = src.length;
  if (n === 0) return out;
  if (r === 0) {
    out[0] = src[0];
    return out;
  }
  let offset = 0;
  for (let d = 0; d < r; d++) offset += begin[d] * outStrides[d];
  const inner = x.shape[r - 1];
  const idx = new Array<number>(r).fill(0);
  let po = offset;
  for (let o = 0; o < n; o += inner) {
    if (inner >= 16) out.set(src.subarray(o, o + inner), po);
    else for (let j = 0; j < inner; j++) out[po + j] = src[o + j];
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      po += outStrides[d];
      if (idx[d] < x.shape[d]) break;
      po -= outStrides[d] * x.shape[d];
      idx[d] = 0;
    }
  }
  return out;
};

/**
 * CPU `Concat` kernel: inputs viewed as [outer, inners[i]] joined along the inner axis.
 *
 * @example
 * ```ts
 * const t = (v: number[]) => ({ data: new Float32Array(v), shape: [v.length], dtype: "float32" as const });
 * concatCpu({ xs: [t([1]), t([2, 3])] }, { outer: 1, inners: [1, 2] }); // [1, 2, 3]
 * ```
 */
export const concatCpu: KernelFunc<"Concat", Data> = ({ xs }, { outer, inners }) => {
  let total = 0;
  for (const w of inners) total += w;
  const dtype = xs.length > 0 ? xs[0].dtype : "float32";
  const out = alloc(dtype, outer * total);
  let col = 0;
  for (let i = 0; i < xs.length; i++) {
    const w = inners[i];
    const src = xs[i].data;
    if (outer === 1) out.set(src, col);
    else if (w >= 16) for (let o = 0; o < outer; o++) out.set(src.subarray(o * w, o * w + w), o * total + col);
    else for (let o = 0; o < outer; o++) for (let j = 0, p = o * w, q = o * total + col; j < w; j++) out[q + j] = src[p + j];
    col += w;
  }
  return out;
};

/**
 * CPU `Cast` kernel (float32 → int32 truncates toward zero).
 *
 * @example
 * ```ts
 * castCpu({ x: { data: new Float32Array([1.7]), shape: [1], dtype: "float32" } }, { dtype: "int32" }); // [1]
 * ```
 */
export const castCpu: KernelFunc<"Cast", Data> = ({ x }, { dtype }) => {
  const out = alloc(dtype, x.data.length);
  out.set(x.data);
  return out;
};
