// SPDX-License-Identifier: MIT
import type { Distribution, Random } from "./api.js";

const TWO_POW_32 = 4294967296;

/**
 * splitmix32 step: a bijective 32-bit mixer used to turn small or correlated seeds into well-spread generator
 * state (never seed sfc32 with raw small integers).
 */
function splitmix32(state: number): [next: number, output: number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return [next, (z ^ (z >>> 15)) >>> 0];
}

/**
 * A seeded uniform generator on [0, 1): sfc32 (Doty-Humphrey's small fast counting generator, 128-bit state)
 * seeded through splitmix32. Each float takes the top 26 and 27 bits of two outputs, so it is a multiple of
 * 2^-53 (the low bits of 32-bit generators are their weakest).
 *
 * @param seed - any number; it is reduced to 32 bits (`seed >>> 0`, after folding the high part for large
 *   integers), so seeds that differ only beyond 2^53 collide.
 * @returns a {@link Random}: each call returns u with 0 <= u < 1.
 * @throws TypeError when `seed` is not a finite number.
 * @example
 * ```ts
 * const random = createRandom(7);
 * const u = random(); // same value on every run
 * ```
 */
export function createRandom(seed: number): Random {
  if (typeof seed !== "number" || !Number.isFinite(seed)) {
    throw new TypeError(`createRandom: seed is ${String(seed)}, must be a finite number`);
  }
  const folded = (Math.floor(seed) ^ Math.floor(seed / TWO_POW_32)) >>> 0;
  let s = folded;
  let a: number, b: number, c: number, d: number;
  [s, a] = splitmix32(s);
  [s, b] = splitmix32(s);
  [s, c] = splitmix32(s);
  [, d] = splitmix32(s);
  if ((a | b | c | d) === 0) d = 1;
  const next32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Warm up so that nearby seeds decorrelate before the first output.
  for (let i = 0; i < 12; i++) next32();
  return () => ((next32() >>> 6) * 134217728 + (next32() >>> 5)) / 9007199254740992;
}

/**
 * Derives an independent-looking seed for stream `index` of a run seeded with `seed` (used to give each scored
 * position its own generator, so results do not depend on scheduling).
 *
 * @example
 * ```ts
 * const random = createRandom(deriveSeed(42, 17));
 * ```
 */
export function deriveSeed(seed: number, index: number): number {
  const [, h1] = splitmix32((seed >>> 0) ^ Math.imul(index | 0, 0x85ebca6b));
  const [, h2] = splitmix32(h1 ^ Math.floor(index / TWO_POW_32));
  return h2;
}

/**
 * Draws an index v with probability `probs[v] / sum(probs)` by inversion (one call to `random`).
 * Entries must be non-negative; they need not sum exactly to 1 (rounding in the sum is absorbed).
 *
 * @returns an index in [0, probs.length) whose probability is positive.
 * @throws RangeError when no entry is positive.
 * @example
 * ```ts
 * sampleIndex([0.5, 0.25, 0.25], createRandom(1)); // 0, 1 or 2
 * ```
 */
export function sampleIndex(probs: Distribution, random: Random): number {
  let total = 0;
  for (let i = 0; i < probs.length; i++) total += probs[i];
  if (!(total > 0)) throw new RangeError(`sampleIndex: probs has no positive entry (sum ${total})`);
  const u = random() * total;
  let acc = 0;
  let last = -1;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (p > 0) {
      acc += p;
      last = i;
      if (u < acc) return i;
    }
  }
  return last;
}
