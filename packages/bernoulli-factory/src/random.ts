// SPDX-License-Identifier: MIT
import type { RandomLike, RandomSource, UniformRandom } from "./api.js";
import { compact, describe } from "./rational.js";

const TWO_POW_32 = 4294967296;
const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
/** Largest denominator for which the float path of `bernoulli` stays exact (2a must fit in 53 bits). */
const FAST_DENOMINATOR = 2 ** 51;

/** splitmix32-style finaliser: spreads a 32-bit counter over all output bits (seeding only). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x21f0aaad);
  x = Math.imul(x ^ (x >>> 15), 0x735a2d97);
  return (x ^ (x >>> 15)) >>> 0;
}

/**
 * A seeded uniform generator on [0, 1): sfc32 (Doty-Humphrey's small fast chaotic generator, 128-bit
 * state, 32-bit output) seeded through a splitmix32-style mixer, so that small or similar seeds give
 * unrelated streams. Each float takes the top 27 and top 26 bits of two outputs (53 bits, a multiple of
 * 2^−53), never the weaker low bits (see estimators note §6).
 *
 * @param seed - any safe integer (negative allowed); the same seed always gives the same stream.
 * @returns a function returning independent uniform doubles in [0, 1).
 * @throws RangeError when `seed` is not a safe integer.
 * @example
 * ```ts
 * const random = createRandom(2026);
 * random(); // 0 <= u < 1, reproducible
 * ```
 */
export function createRandom(seed: number): UniformRandom {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`createRandom: seed is ${describe(seed)}, must be a safe integer`);
  }
  const lo = seed >>> 0;
  const hi = Math.floor(seed / TWO_POW_32) >>> 0;
  let counter = lo;
  const next = (): number => {
    counter = (counter + 0x9e3779b9) | 0;
    return mix32(counter);
  };
  let a = next();
  let b = next();
  let c = next() ^ mix32(hi ^ 0x85ebca6b);
  let d = next() ^ mix32(hi ^ 0xc2b2ae35);
  const sfc32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // The first outputs of sfc32 are still correlated with the seed; discard a few.
  for (let i = 0; i < 12; i++) sfc32();
  return () => ((sfc32() >>> 5) * TWO_POW_26 + (sfc32() >>> 6)) / TWO_POW_53;
}

/** Throws unless a/b is a probability with integers 0 <= a <= b, b >= 1 (internal; shared with the tree evaluator). */
export function checkBernoulliArgs(a: number | bigint, b: number | bigint): void {
  const okInt = (v: number | bigint): boolean => typeof v === "bigint" || Number.isSafeInteger(v);
  if (!okInt(b) || b < 1) {
    throw new RangeError(`bernoulli: denominator is ${describe(b)}, must be an integer >= 1`);
  }
  if (!okInt(a) || a < 0 || a > b) {
    throw new RangeError(`bernoulli: numerator is ${describe(a)}, must be an integer in [0, ${describe(b)}]`);
  }
}

/**
 * Exact Bernoulli(a/b) from fair bits: compare a lazily generated uniform U with the binary expansion
 * of a/b digit by digit and stop at the first difference (E[bits] = 2). No rounding, any a/b.
 */
export function bernoulliFromBits(bit: () => boolean, a: number | bigint, b: number | bigint): boolean {
  checkBernoulliArgs(a, b);
  if (typeof a === "number" && typeof b === "number" && b <= FAST_DENOMINATOR) {
    if (a === 0) return false;
    if (a === b) return true;
    let r = a;
    for (;;) {
      r *= 2;
      const digit = r >= b;
      if (digit) r -= b;
      const u = bit();
      if (u !== digit) return digit; // U's digit 0 < p's digit 1 means U < p
      if (r === 0) return false; // remaining digits of p are 0; U < p has probability 0
    }
  }
  let r = BigInt(a);
  const bb = BigInt(b);
  if (r === 0n) return false;
  if (r === bb) return true;
  for (;;) {
    r *= 2n;
    const digit = r >= bb;
    if (digit) r -= bb;
    const u = bit();
    if (u !== digit) return digit;
    if (r === 0n) return false;
  }
}

class UniformBitSource implements RandomSource {
  private word = 0;
  private left = 0;
  constructor(private readonly random: UniformRandom) {}

  bit(): boolean {
    if (this.left === 0) {
      const u = this.random();
      if (typeof u !== "number" || !(u >= 0 && u < 1)) {
        throw new RangeError(`randomSource: random() returned ${describe(u)}, must be a number in [0, 1)`);
      }
      this.word = Math.floor(u * TWO_POW_32) >>> 0;
      this.left = 32;
    }
    this.left -= 1;
    return ((this.word >>> this.left) & 1) === 1;
  }

  bernoulli(numerator: number | bigint, denominator: number | bigint): boolean {
    return bernoulliFromBits(() => this.bit(), numerator, denominator);
  }
}

const sources = new WeakMap<UniformRandom, RandomSource>();

/**
 * The {@link RandomSource} view of a uniform source: fair bits are the top 32 bits of each `random()`
 * value, most significant first; `bernoulli(a, b)` compares a lazily built uniform with a/b bit by bit,
 * so it is exact for every rational (expected 2 bits per call). A {@link RandomSource} is returned as is.
 * The same function always maps to the same source object, so unused bits carry over between calls.
 *
 * @param random - a uniform source on [0, 1) or a RandomSource.
 * @throws TypeError when `random` is neither; RangeError (later, from `bit()`) when `random()` returns a
 *   value outside [0, 1).
 * @example
 * ```ts
 * const source = randomSource(createRandom(5));
 * source.bit();
 * source.bernoulli(2, 7);
 * ```
 */
export function randomSource(random: RandomLike): RandomSource {
  return sourceFor(random, "randomSource", "random");
}

/** {@link randomSource} with the caller's name and argument in its error message (internal). */
export function sourceFor(random: RandomLike, fn: string, arg: string): RandomSource {
  if (typeof random === "function") {
    let s = sources.get(random);
    if (s === undefined) {
      s = new UniformBitSource(random);
      sources.set(random, s);
    }
    return s;
  }
  if (
    typeof random === "object" &&
    random !== null &&
    typeof random.bit === "function" &&
    typeof random.bernoulli === "function"
  ) {
    return random;
  }
  throw new TypeError(
    `${fn}: ${arg} is ${describe(random)}, must be a function () => number in [0, 1) or a RandomSource`,
  );
}

/**
 * Bernoulli(a/(b·k)) as a function of the step k = 1, 2, … (internal): the step of Mendo's factory and of the
 * e^(−x) process. Uses safe-integer numbers while b·k is safe (the fast path of `bernoulli`), bigints beyond.
 */
export function bernoulliOverStep(source: RandomSource, a: bigint, b: bigint): (k: number) => boolean {
  const an = compact(a);
  const bn = compact(b);
  if (typeof an !== "number" || typeof bn !== "number") return (k) => source.bernoulli(a, b * BigInt(k));
  return (k) => {
    const den = bn * k;
    return Number.isSafeInteger(den) ? source.bernoulli(an, den) : source.bernoulli(a, b * BigInt(k));
  };
}
