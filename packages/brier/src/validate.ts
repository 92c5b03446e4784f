// SPDX-License-Identifier: MIT
import type { Distribution } from "./api.js";

/**
 * Checks that `probs` is a probability vector: array-like, non-empty, every entry a finite number in [0, 1],
 * summing to 1 within `tolerance`. `where` prefixes the message (function, argument, position); `toleranceName` is
 * how the caller's user sets the tolerance (named in the message).
 *
 * @throws TypeError or RangeError naming `where`, the offending index and value.
 * @internal
 */
export function checkDistribution(probs: unknown, where: string, tolerance: number, toleranceName = "tolerance"): asserts probs is Distribution {
  if (probs === null || typeof probs !== "object" || typeof (probs as { length?: unknown }).length !== "number") {
    throw new TypeError(`${where} is ${describe(probs)}, must be an array of probabilities`);
  }
  const p = probs as ArrayLike<unknown>;
  if (p.length === 0) throw new RangeError(`${where} is empty, must hold one probability per token`);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (typeof v !== "number" || Number.isNaN(v) || v < 0 || v > 1) {
      throw new RangeError(`${where}[${i}] is ${describe(v)}, must be a number in [0, 1]`);
    }
    sum += v;
  }
  if (!(Math.abs(sum - 1) <= tolerance)) {
    throw new RangeError(
      `${where} sums to ${sum}, must sum to 1 within ${toleranceName} = ${tolerance} (a float32 softmax over a large vocabulary may need a larger ${toleranceName})`,
    );
  }
}

/**
 * Checks that `tokens` is an array-like of non-negative integer token ids.
 *
 * @throws TypeError naming `where` and the first bad index.
 * @internal
 */
export function checkTokens(tokens: unknown, where: string): asserts tokens is ArrayLike<number> {
  if (tokens === null || typeof tokens !== "object" || typeof (tokens as { length?: unknown }).length !== "number") {
    throw new TypeError(`${where} is ${describe(tokens)}, must be an array of token ids`);
  }
  const t = tokens as ArrayLike<unknown>;
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      throw new TypeError(`${where}[${i}] is ${describe(v)}, must be a non-negative integer token id`);
    }
  }
}

/** A short, printable description of any value for error messages. @internal */
export function describe(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === "function") return "a function";
  return `an object (${Object.prototype.toString.call(v)})`;
}
