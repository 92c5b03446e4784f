// SPDX-License-Identifier: MIT
// Shapes and seeded inputs for property tests (kept small: every gradient check costs 2 forward passes per
// input element).

import fc from "fast-check";
import { Rng, tensor, type Tensor } from "../../src/index.js";

/** A shape with 1..maxRank axes of size 1..maxDim. */
export const shapeArb = (maxRank = 3, maxDim = 3): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: 1, maxLength: maxRank });

/** Two shapes that broadcast together: b is a suffix of a with some axes set to 1, in random order. */
export const broadcastPairArb: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(shapeArb(3, 3), fc.integer({ min: 0, max: 2 }), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), fc.boolean())
  .map(([a, drop, ones, swap]) => {
    const b = a.slice(Math.min(drop, a.length - 1)).map((d, i) => (ones[i] ? 1 : d));
    return swap ? [b, a] : [a, b];
  });

export interface RandOptions {
  readonly low?: number;
  readonly high?: number;
  /** Resample values closer than `margin` to any of these points (kinks of non-smooth ops). */
  readonly avoid?: readonly number[];
  readonly margin?: number;
}

/** Uniform float32 values in [low, high) from a seeded Rng, avoiding kinks. */
export function randTensor(shape: readonly number[], rng: Rng, options: RandOptions = {}): Tensor {
  const low = options.low ?? -2;
  const high = options.high ?? 2;
  const avoid = options.avoid ?? [];
  const margin = options.margin ?? 0.1;
  let size = 1;
  for (const d of shape) size *= d;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v: number;
    do v = low + (high - low) * rng.nextFloat();
    while (avoid.some((a) => Math.abs(v - a) < margin));
    out[i] = v;
  }
  return tensor(out, shape);
}

/** Float32 values pairwise at least `gap` apart (for max/min/sort-like ops whose gradient has ties). */
export function distinctTensor(shape: readonly number[], rng: Rng, gap = 0.1): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  const values = Array.from({ length: size }, (_, i) => (i - size / 2) * gap * 1.5);
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    [values[i], values[j]] = [values[j], values[i]];
  }
  return tensor(values, shape);
}

/** Integer ids in [0, n). */
export function randIds(shape: readonly number[], n: number, rng: Rng): Tensor {
  let size = 1;
  for (const d of shape) size *= d;
  return tensor(Array.from({ length: size }, () => Math.floor(rng.nextFloat() * n)), shape, "int32");
}
