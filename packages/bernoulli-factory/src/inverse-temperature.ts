// SPDX-License-Identifier: MIT
import type { Rational } from "./api.js";
import { describe, type ExactRational, formatExact, reduce, toExact } from "./rational.js";

/**
 * 1/T = n + α with n = ⌊1/T⌋ and α = a/b ∈ [0, 1), exactly (internal). `label` prints T.
 */
export interface InverseTemperature {
  n: number;
  alpha: ExactRational;
  label: string;
}

/** Relative tolerance for snapping a float 1/T to an integer, as CALM's `math.isclose(rel_tol=1e-9)`. */
const SNAP = 1e-9;
/** Relative tolerance and largest denominator for reading a float 1/T as a simple fraction (0.4 → 5/2). */
const FRACTION_TOLERANCE = 1e-12;
const MAX_DENOMINATOR = 1_000_000;

/**
 * The first continued-fraction convergent p/q of x with |x − p/q| ≤ 1e−12·x and q ≤ 10^6, or undefined.
 * Floats such as 0.4 are meant as 2/5; reading them at their exact binary value would give 1/T with a
 * 54-bit denominator and a slow bigint path in stage 2.
 */
function simpleFraction(x: number): { p: bigint; q: bigint } | undefined {
  let [p0, q0, p1, q1] = [0n, 1n, 1n, 0n];
  let r = x;
  for (let step = 0; step < 40; step++) {
    const a = Math.floor(r);
    const ab = BigInt(a);
    [p0, q0, p1, q1] = [p1, q1, ab * p1 + p0, ab * q1 + q0];
    if (q1 > BigInt(MAX_DENOMINATOR)) return undefined;
    if (Math.abs(x - Number(p1) / Number(q1)) <= FRACTION_TOLERANCE * x) return { p: p1, q: q1 };
    const frac = r - a;
    if (frac === 0) return undefined;
    r = 1 / frac;
  }
  return undefined;
}

/**
 * Parses a temperature T ∈ (0, 1] into n and α (internal). Rationals are exact. Numbers: if 1/T is within
 * a relative 1e−9 of an integer it is snapped to it (so `1/49` means exactly 49); else if 1/T is within a
 * relative 1e−12 of a fraction with denominator ≤ 10^6 it is read as that fraction (0.4 → 1/T = 5/2);
 * otherwise T is taken at its exact binary value.
 * @throws RangeError for non-finite, non-positive or > 1 temperatures.
 */
export function inverseTemperature(temperature: Rational | number, fn: string): InverseTemperature {
  if (typeof temperature === "number" && Number.isFinite(temperature) && temperature > 0 && temperature <= 1) {
    const inv = 1 / temperature;
    const r = Math.round(inv);
    if (Math.abs(inv - r) <= SNAP * inv && Number.isSafeInteger(r)) {
      return { n: r, alpha: { num: 0n, den: 1n }, label: String(temperature) };
    }
    const f = simpleFraction(inv);
    if (f !== undefined) {
      return { n: Number(f.p / f.q), alpha: reduce(f.p % f.q, f.q), label: String(temperature) };
    }
  }
  const t = toExact(temperature, fn, "temperature");
  const label = typeof temperature === "number" ? String(temperature) : formatExact(t);
  if (t.num <= 0n) {
    throw new RangeError(`${fn}: temperature is ${label}, must be > 0 (T -> 0 is greedy decoding, not a distribution)`);
  }
  if (t.num > t.den) {
    throw new RangeError(
      `${fn}: temperature is ${label}, must be <= 1 (T > 1 needs P(x)^(1/T - 1) with a negative exponent, ` +
        `which no Bernoulli factory can simulate)`,
    );
  }
  // 1/T = den/num exactly.
  const n = t.den / t.num;
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${fn}: temperature is ${label}, 1/T must be at most 2^53 − 1`);
  }
  return { n: Number(n), alpha: reduce(t.den % t.num, t.num), label };
}

/** Validates a positive-integer option (internal). */
export function positiveInteger(value: unknown, fn: string, arg: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${fn}: ${arg} is ${describe(value)}, must be an integer >= 1`);
  }
  return value;
}
