// SPDX-License-Identifier: MIT
// Argument checks shared by the module constructors (internal; messages name the function and argument).

import { Rng, type Tensor } from "@calm/tensor";

/**
 * Returns `value` if it is an integer ≥ 1 (a size, a count). Internal to the package.
 *
 * @throws RangeError `"<fn>: <arg> must be an integer ≥ 1, got <value>"`.
 * @internal
 * @example
 * ```ts
 * positiveInt(config.dim, "createRMSNorm", "config.dim");
 * ```
 */
export function positiveInt(value: unknown, fn: string, arg: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new RangeError(`${fn}: ${arg} must be an integer ≥ 1, got ${String(value)}`);
  }
  return value;
}

/**
 * Returns `value` if it is a finite number ≥ 0 (a rate, a standard deviation). Internal to the package.
 *
 * @throws RangeError `"<fn>: <arg> must be a finite number ≥ 0, got <value>"` (NaN and ∞ included).
 * @internal
 * @example
 * ```ts
 * nonNegative(config.initStd ?? 0.02, "createLinear", "config.initStd");
 * ```
 */
export function nonNegative(value: unknown, fn: string, arg: string): number {
  if (typeof value !== "number" || !(value >= 0) || !Number.isFinite(value)) {
    throw new RangeError(`${fn}: ${arg} must be a finite number ≥ 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Returns `rng` if it is an `Rng` of @calm/tensor (the only source of randomness here). Internal to the package.
 *
 * @throws TypeError `"<fn>: rng must be an Rng from @calm/tensor, got <type>"`.
 * @internal
 * @example
 * ```ts
 * randn([3, 4], checkRng(rng, "createLinear"));
 * ```
 */
export function checkRng(rng: unknown, fn: string): Rng {
  if (!(rng instanceof Rng)) throw new TypeError(`${fn}: rng must be an Rng from @calm/tensor, got ${rng === null ? "null" : typeof rng}`);
  return rng;
}

/**
 * Whether two tensors have the same shape. Internal to the package.
 *
 * @internal
 * @example
 * ```ts
 * if (!sameShape(grad, param)) throw new RangeError("shapes differ");
 * ```
 */
export function sameShape(a: Tensor, b: Tensor): boolean {
  return a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
}
