// SPDX-License-Identifier: MIT
import type { Rational } from "./api.js";

/** A reduced rational with a positive bigint denominator (internal). */
export interface ExactRational {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function integerPart(value: unknown, where: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  throw new RangeError(`${where} is ${describe(value)}, must be a safe integer or a bigint`);
}

/** Short printable form of any value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object" && value !== null) {
    try {
      return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
    } catch {
      return String(value);
    }
  }
  return String(value);
}

/**
 * The exact value of a finite double as a reduced fraction: every double is m / 2^k, so doubling until
 * it is an integer is exact (no rounding happens below 2^53).
 */
function fromNumber(x: number): ExactRational {
  let k = 0n;
  while (!Number.isInteger(x)) {
    x *= 2;
    k += 1n;
  }
  return reduce(BigInt(x), 1n << k);
}

/** num/den in lowest terms with a positive denominator (internal). */
export function reduce(num: bigint, den: bigint): ExactRational {
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den);
  return g > 1n ? { num: num / g, den: den / g } : { num, den };
}

/**
 * Converts a {@link Rational} or a finite number to an exact reduced fraction.
 * Numbers are taken at their exact binary value (0.5 → 1/2, 0.1 → 3602879701896397/36028797018963968).
 * @throws RangeError naming `fn` and `arg` when the value is not a finite number or a valid rational.
 */
export function toExact(value: Rational | number, fn: string, arg: string): ExactRational {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${arg} is ${value}, must be a finite number`);
    return fromNumber(value);
  }
  if (typeof value !== "object" || value === null) {
    throw new TypeError(`${fn}: ${arg} is ${describe(value)}, must be a number or { numerator, denominator }`);
  }
  const num = integerPart(value.numerator, `${fn}: ${arg}.numerator`);
  const den = integerPart(value.denominator, `${fn}: ${arg}.denominator`);
  if (den === 0n) throw new RangeError(`${fn}: ${arg}.denominator is 0, must be non-zero`);
  return reduce(num, den);
}

/** Printable form `a/b` (or `a` when b = 1). */
export function formatExact(r: ExactRational): string {
  return r.den === 1n ? `${r.num}` : `${r.num}/${r.den}`;
}

/** A bigint as a number when it is a safe integer, otherwise the bigint itself. */
export function compact(x: bigint): number | bigint {
  return x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(x) : x;
}
