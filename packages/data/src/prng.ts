// SPDX-License-Identifier: MIT
import type { Prng, PrngState } from "./api.js";

// xoshiro128** (Blackman & Vigna, 2018): 128-bit state, period 2^128 - 1, passes BigCrush; small enough
// to checkpoint as four numbers. Written from the published recurrence.

const TWO_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seeds expand through a 32-bit splitmix-style mixer so nearby seeds give unrelated states. */
function mix32(state: { z: number }): number {
  state.z = (state.z + 0x9e3779b9) | 0;
  let z = state.z;
  z ^= z >>> 16;
  z = Math.imul(z, 0x21f0aaad);
  z ^= z >>> 15;
  z = Math.imul(z, 0x735a2d97);
  z ^= z >>> 15;
  return z >>> 0;
}

class Xoshiro128 implements Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(s: PrngState) {
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  nextFloat(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new RangeError(`Prng.nextInt: n is ${n}, must be an integer in [1, 2^32]`);
    }
    if (n === TWO_32) return this.nextUint32();
    // Rejection keeps every residue equally likely: accept only x below the largest multiple of n.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return x % n;
    }
  }

  state(): PrngState {
    return [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0];
  }
}

/**
 * Creates a seeded xoshiro128** generator (Blackman & Vigna 2018). The seed is reduced to 32 bits
 * (`seed mod 2^32`) and expanded to the 128-bit state with a splitmix-style mixer, so the same seed
 * gives the same stream on every machine.
 *
 * @param seed - any safe integer (negative seeds are taken modulo 2^32).
 * @returns a {@link Prng} whose {@link Prng.state} can be saved and restored with {@link prngFromState}.
 * @throws RangeError if `seed` is not a safe integer.
 * @example
 * const rng = createPrng(7);
 * rng.nextInt(10); // an integer in [0, 10)
 */
export function createPrng(seed: number): Prng {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`createPrng: seed is ${seed}, must be a safe integer`);
  }
  // ToUint32 is exact modulo 2^32 for every safe integer.
  const st = { z: seed >>> 0 };
  const s: [number, number, number, number] = [mix32(st), mix32(st), mix32(st), mix32(st)];
  // The all-zero state is the one fixed point of xoshiro; the mixer cannot produce it in practice, but be sure.
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return new Xoshiro128(s);
}

/**
 * Restores a generator from a saved {@link PrngState}; it continues exactly where the saved one was.
 *
 * @param state - four unsigned 32-bit integers, not all zero (as returned by {@link Prng.state}).
 * @throws RangeError if the state is malformed or all zero.
 * @example
 * const a = createPrng(1); a.nextUint32();
 * const b = prngFromState(a.state());
 * b.nextUint32() === a.nextUint32(); // true
 */
export function prngFromState(state: PrngState): Prng {
  if (!Array.isArray(state) || state.length !== 4) {
    throw new RangeError(`prngFromState: state is ${JSON.stringify(state)}, must be 4 unsigned 32-bit integers`);
  }
  for (let i = 0; i < 4; i++) {
    const w = state[i];
    if (!Number.isInteger(w) || w < 0 || w >= TWO_32) {
      throw new RangeError(`prngFromState: state[${i}] is ${w}, must be an integer in [0, 2^32)`);
    }
  }
  if (state.every((w) => w === 0)) {
    throw new RangeError("prngFromState: state is all zero, which xoshiro128** never leaves");
  }
  return new Xoshiro128(state);
}

/**
 * Shuffles `array` in place with the Fisher–Yates (Durstenfeld) algorithm: for i = n-1 down to 1 swap
 * a[i] with a[j], j uniform in [0, i]. Every permutation has probability exactly 1/n! given uniform draws.
 *
 * @param array - the array to permute (mutated).
 * @param rng - the generator to draw from (advanced by n-1 draws, more on rare rejections).
 * @returns the same array.
 * @example
 * shuffleInPlace([1, 2, 3], createPrng(0));
 */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(array: A, rng: Prng): A {
  for (let i = array.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}
