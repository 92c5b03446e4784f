// SPDX-License-Identifier: MIT
// Argument checks shared by the module constructors (internal; messages name the function and argument).

import { Rng } from "@calm/tensor";

/** @internal */
export function positiveInt(value: unknown, fn: string, arg: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${fn}: ${arg} must be an integer ≥ 1, got ${String(value)}`);
  }
  return value;
}

/** @internal */
export function nonNegative(value: unknown, fn: string, arg: string): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${arg} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/** @internal */
export function checkRng(rng: unknown, fn: string): Rng {
  if (!(rng instanceof Rng)) throw new TypeError(`${fn}: rng must be an Rng from @calm/tensor, got ${rng === null ? "null" : typeof rng}`);
  return rng;
}
