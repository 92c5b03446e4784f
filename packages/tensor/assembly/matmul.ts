// SPDX-License-Identifier: MIT
// WebAssembly SIMD float32 GEMM for the CPU backend of @calm/tensor.
//
// Layout (all pointers are byte offsets into the imported memory, chosen by the host):
// - packA: op(A) in row panels of MR rows, panel-major, p contiguous: element (i, p) of panel i/MR at
//   aPack[((i/MR)*k + p)*MR + i%MR]; rows past m are zero.
// - packB: op(B) in column panels of NR columns: element (p, j) at bPack[((j/NR)*k + p)*NR + j%NR];
//   columns past n are zero.
// - C is padded: row stride ldc (a multiple of NR), rows rounded up to MR, so every tile is full.
// Packing turns all four transpose variants into one kernel and gives the kernel unit-stride reads
// (compute-backends.md section 2, footnote 1: an unpacked B with a 4 KiB row stride halves the speed at n = 1024).

// The module also carries the SIMD GELU kernels (same memory; see gelu.ts).
export { geluF32, geluGradF32 } from "./gelu";

/** Rows of the register tile. */
const MR: i32 = 4;
/** Columns of the register tile (two f32x4). */
const NR: i32 = 8;
/** k-block: one B micro-panel (KC × NR floats = 8 KiB) stays in L1 while it is reused over MC rows. */
const KC: i32 = 256;
/** Row block: MC × KC floats of packed A (64 KiB) stay in L2. */
const MC: i32 = 64;

/** Rows of the register tile, for the host. */
export function tileRows(): i32 {
  return MR;
}

/** Columns of the register tile, for the host. */
export function tileCols(): i32 {
  return NR;
}

/**
 * Packs rows [i0, i1) of op(A) (i0, i1 multiples of MR; i1 may pass m) into row panels.
 * op(A)[i, p] is read at src + (i*rs + p*cs)*4: (rs, cs) = (k, 1) for A, (1, m) for Aᵀ.
 */
export function packA(src: usize, dst: usize, m: i32, k: i32, rs: i32, cs: i32, i0: i32, i1: i32): void {
  for (let i = i0; i < i1; i += MR) {
    let d = dst + <usize>(i * k) * 4;
    const rows = min(MR, m - i);
    if (rows == MR && cs == 1) {
      const s0 = src + <usize>(i * rs) * 4;
      const s1 = s0 + <usize>rs * 4;
      const s2 = s1 + <usize>rs * 4;
      const s3 = s2 + <usize>rs * 4;
      for (let p = 0; p < k; p++) {
        const o = <usize>p * 4;
        store<f32>(d, load<f32>(s0 + o));
        store<f32>(d, load<f32>(s1 + o), 4);
        store<f32>(d, load<f32>(s2 + o), 8);
        store<f32>(d, load<f32>(s3 + o), 12);
        d += 16;
      }
    } else if (rows == MR && rs == 1) {
      // Aᵀ: the MR values of one p are contiguous.
      for (let p = 0; p < k; p++) {
        store<v128>(d, v128.load(src + <usize>(p * cs + i) * 4));
        d += 16;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(d + <usize>r * 4, r < rows ? load<f32>(src + <usize>((i + r) * rs + p * cs) * 4) : 0);
        }
        d += 16;
      }
    }
  }
}

/**
 * Packs columns [j0, j1) of op(B) (j0, j1 multiples of NR; j1 may pass n) into column panels.
 * op(B)[p, j] is read at src + (p*rs + j*cs)*4: (rs, cs) = (n, 1) for B, (1, k) for Bᵀ.
 */
export function packB(src: usize, dst: usize, k: i32, n: i32, rs: i32, cs: i32, j0: i32, j1: i32): void {
  for (let j = j0; j < j1; j += NR) {
    const d0 = dst + <usize>(j * k) * 4;
    const cols = min(NR, n - j);
    if (cols == NR && cs == 1) {
      let d = d0;
      let s = src + <usize>j * 4;
      const step = <usize>rs * 4;
      for (let p = 0; p < k; p++) {
        store<v128>(d, v128.load(s));
        store<v128>(d, v128.load(s, 16), 16);
        d += 32;
        s += step;
      }
    } else if (rs == 1) {
      // Bᵀ: each column j is a contiguous run of k floats; write it with stride NR.
      for (let c = 0; c < NR; c++) {
        let d = d0 + <usize>c * 4;
        if (c < cols) {
          let s = src + <usize>((j + c) * cs) * 4;
          for (let p = 0; p < k; p++) {
            store<f32>(d, load<f32>(s));
            d += 32;
            s += 4;
          }
        } else {
          for (let p = 0; p < k; p++) {
            store<f32>(d, 0);
            d += 32;
          }
        }
      }
    } else {
      let d = d0;
      for (let p = 0; p < k; p++) {
        for (let c = 0; c < NR; c++) {
          store<f32>(d + <usize>c * 4, c < cols ? load<f32>(src + <usize>(p * rs + (j + c) * cs) * 4) : 0);
        }
        d += 32;
      }
    }
  }
}

/** One MR × NR tile: C[tile] (+)= Apanel[kc × MR] · Bpanel[kc × NR]. */
// @ts-ignore: decorator
@inline
function microKernel(a: usize, b: usize, kc: i32, c: usize, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let av = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(av, b0));
    c01 = f32x4.add(c01, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(av, b0));
    c11 = f32x4.add(c11, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(av, b0));
    c21 = f32x4.add(c21, f32x4.mul(av, b1));
    av = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(av, b0));
    c31 = f32x4.add(c31, f32x4.mul(av, b1));
    a += 16;
    b += 32;
  }
  const r1 = c + ldc * 4;
  const r2 = r1 + ldc * 4;
  const r3 = r2 + ldc * 4;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(r1));
    c11 = f32x4.add(c11, v128.load(r1, 16));
    c20 = f32x4.add(c20, v128.load(r2));
    c21 = f32x4.add(c21, v128.load(r2, 16));
    c30 = f32x4.add(c30, v128.load(r3));
    c31 = f32x4.add(c31, v128.load(r3, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(r1, c10);
  v128.store(r1, c11, 16);
  v128.store(r2, c20);
  v128.store(r2, c21, 16);
  v128.store(r3, c30);
  v128.store(r3, c31, 16);
}

/**
 * C[i0:i1, j0:j1] = op(A)·op(B) on packed operands, for rows [i0, i1) (multiples of MR) and
 * columns [j0, j1) (multiples of NR) of the padded C with row stride ldc.
 * Threads call this on disjoint row or column ranges of the same packed operands.
 */
export function gemmPacked(aPack: usize, bPack: usize, c: usize, k: i32, ldc: i32, i0: i32, i1: i32, j0: i32, j1: i32): void {
  const ldcU = <usize>ldc;
  if (k == 0) {
    for (let i = i0; i < i1; i++) memory.fill(c + <usize>(i * ldc + j0) * 4, 0, <usize>(j1 - j0) * 4);
    return;
  }
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc);
    const accumulate = pc > 0;
    for (let ic = i0; ic < i1; ic += MC) {
      const icEnd = min(i1, ic + MC);
      for (let j = j0; j < j1; j += NR) {
        const bp = bPack + <usize>(j * k + pc * NR) * 4;
        for (let i = ic; i < icEnd; i += MR) {
          const ap = aPack + <usize>(i * k + pc * MR) * 4;
          microKernel(ap, bp, kc, c + <usize>(i * ldc + j) * 4, ldcU, accumulate);
        }
      }
    }
  }
}

/**
 * out[r] = Σ_p mat[r, p]·vec[p] for a row-major [rows, len] matrix: matrix–vector products whose matrix rows are
 * contiguous (C = A·b with A [m, k], and c = a·Bᵀ with B [n, k]). Memory-bound, so no packing: one pass over mat.
 */
export function gemvDot(mat: usize, vec: usize, out: usize, rows: i32, len: i32): void {
  const len16 = len & ~15;
  for (let r = 0; r < rows; r++) {
    const row = mat + <usize>(r * len) * 4;
    let s0 = f32x4.splat(0);
    let s1 = f32x4.splat(0);
    let s2 = f32x4.splat(0);
    let s3 = f32x4.splat(0);
    let p = 0;
    for (; p < len16; p += 16) {
      const o = <usize>p * 4;
      s0 = f32x4.add(s0, f32x4.mul(v128.load(row + o), v128.load(vec + o)));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(row + o, 16), v128.load(vec + o, 16)));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(row + o, 32), v128.load(vec + o, 32)));
      s3 = f32x4.add(s3, f32x4.mul(v128.load(row + o, 48), v128.load(vec + o, 48)));
    }
    const s = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
    let t: f32 = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
    for (; p < len; p++) t += load<f32>(row + <usize>p * 4) * load<f32>(vec + <usize>p * 4);
    store<f32>(out + <usize>r * 4, t);
  }
}

/**
 * out[j] = Σ_r vec[r]·mat[r, j] for a row-major [rows, len] matrix: vector–matrix products that walk the matrix by
 * rows (c = a·B with B [k, n], and C = Aᵀ·b with A [k, m]). Four rows per pass, so out is read and written
 * once per four rows.
 */
export function gemvAxpy(mat: usize, vec: usize, out: usize, rows: i32, len: i32): void {
  memory.fill(out, 0, <usize>len * 4);
  const len4 = len & ~3;
  const stride = <usize>len * 4;
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const m0 = mat + <usize>r * stride;
    const m1 = m0 + stride;
    const m2 = m1 + stride;
    const m3 = m2 + stride;
    const v = vec + <usize>r * 4;
    const a0 = v128.load32_splat(v);
    const a1 = v128.load32_splat(v, 4);
    const a2 = v128.load32_splat(v, 8);
    const a3 = v128.load32_splat(v, 12);
    let j = 0;
    for (; j < len4; j += 4) {
      const o = <usize>j * 4;
      const t = f32x4.add(
        f32x4.add(f32x4.mul(a0, v128.load(m0 + o)), f32x4.mul(a1, v128.load(m1 + o))),
        f32x4.add(f32x4.mul(a2, v128.load(m2 + o)), f32x4.mul(a3, v128.load(m3 + o))),
      );
      v128.store(out + o, f32x4.add(v128.load(out + o), t));
    }
    const s0 = load<f32>(v);
    const s1 = load<f32>(v, 4);
    const s2 = load<f32>(v, 8);
    const s3 = load<f32>(v, 12);
    for (; j < len; j++) {
      const o = <usize>j * 4;
      store<f32>(out + o, load<f32>(out + o) + (s0 * load<f32>(m0 + o) + s1 * load<f32>(m1 + o) + (s2 * load<f32>(m2 + o) + s3 * load<f32>(m3 + o))));
    }
  }
  for (; r < rows; r++) {
    const m0 = mat + <usize>r * stride;
    const a0 = v128.load32_splat(vec + <usize>r * 4);
    const s0 = load<f32>(vec + <usize>r * 4);
    let j = 0;
    for (; j < len4; j += 4) {
      const o = <usize>j * 4;
      v128.store(out + o, f32x4.add(v128.load(out + o), f32x4.mul(a0, v128.load(m0 + o))));
    }
    for (; j < len; j++) {
      const o = <usize>j * 4;
      store<f32>(out + o, load<f32>(out + o) + s0 * load<f32>(m0 + o));
    }
  }
}
