// SPDX-License-Identifier: MIT
// WebAssembly SIMD exact GELU and its derivative for the CPU backend of @calm/tensor (re-exported by matmul.ts, so
// they live in the same module and memory as the matmul kernel).
//
// gelu(x) = ½x(1 + erf(x/√2)); gelu'(x) = ½(1 + erf(x/√2)) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
// Four lanes at a time, in float32: erf is the odd rational fit x·P(x²)/Q(x²) on [−4, 4] of the JS kernel
// (src/backends/cpu/elementwise.ts, the float32 fit used by Eigen and XNNPACK); e^x is 2^k·e^r with
// r = x − k·ln2 (ln2 split in two for float32) and e^r by its degree-7 Taylor polynomial. NaN propagates;
// gelu(+∞) = +∞ and gelu'(±∞) = Φ(±∞).
// Both functions read n floats at src and write n floats at dst, rounded up to a multiple of 4 (the host pads).

// @ts-ignore: decorator
@inline
function erf4(v: v128): v128 {
  const x = f32x4.max(f32x4.min(v, f32x4.splat(4)), f32x4.splat(-4));
  const x2 = f32x4.mul(x, x);
  let p = f32x4.splat(-2.72614225801306e-10);
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(2.77068142495902e-8));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-2.10102402082508e-6));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-5.69250639462346e-5));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-7.34990630326855e-4));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-2.95459980854025e-3));
  p = f32x4.add(f32x4.mul(p, x2), f32x4.splat(-1.60960333262415e-2));
  let q = f32x4.splat(-1.45660718464996e-5);
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-2.13374055278905e-4));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-1.68282697438203e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-7.37332916720468e-3));
  q = f32x4.add(f32x4.mul(q, x2), f32x4.splat(-1.42647390514189e-2));
  return f32x4.div(f32x4.mul(x, p), q);
}

/** e^v for v ≤ 0 (the only use here), clamped below at −87 where float32 e^v is subnormal. */
// @ts-ignore: decorator
@inline
function expNeg4(v: v128): v128 {
  const x = f32x4.max(v, f32x4.splat(-87));
  const k = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(k, f32x4.splat(0.693359375))), f32x4.mul(k, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.0 / 5040);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 720));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(k), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** dst[i] = gelu(src[i]) for i in [0, n) (n rounded up to a multiple of 4). */
export function geluF32(src: usize, dst: usize, n: i32): void {
  const half = f32x4.splat(0.5);
  const one = f32x4.splat(1);
  const invSqrt2 = f32x4.splat(0.7071067811865476);
  // Below −10, x·Φ(x) is −0 in float32; selecting it also keeps −Infinity from giving −Infinity·0 = NaN.
  const tail = f32x4.splat(-10);
  const negZero = f32x4.splat(-0.0);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const v = v128.load(src + o);
    const y = f32x4.mul(f32x4.mul(half, v), f32x4.add(one, erf4(f32x4.mul(v, invSqrt2))));
    v128.store(dst + o, v128.bitselect(negZero, y, f32x4.lt(v, tail)));
  }
}

/** dst[i] = gelu'(src[i]) = Φ(x) + x·φ(x) for i in [0, n) (n rounded up to a multiple of 4). */
export function geluGradF32(src: usize, dst: usize, n: i32): void {
  const half = f32x4.splat(0.5);
  const minusHalf = f32x4.splat(-0.5);
  const one = f32x4.splat(1);
  const invSqrt2 = f32x4.splat(0.7071067811865476);
  const invSqrt2Pi = f32x4.splat(0.3989422804014327);
  for (let i = 0; i < n; i += 4) {
    const o = <usize>i * 4;
    const v = v128.load(src + o);
    const cdf = f32x4.mul(half, f32x4.add(one, erf4(f32x4.mul(v, invSqrt2))));
    const arg = f32x4.mul(minusHalf, f32x4.mul(v, v));
    const pdf = f32x4.mul(invSqrt2Pi, expNeg4(arg));
    // x·φ(x) is below float32's range once x²/2 > 87 (|x| > 13.2): 0 there, so that gelu'(±∞) = Φ(±∞) ∈ {0, 1}.
    const tail = v128.andnot(f32x4.mul(v, pdf), f32x4.lt(arg, f32x4.splat(-87)));
    v128.store(dst + o, f32x4.add(cdf, tail));
  }
}
