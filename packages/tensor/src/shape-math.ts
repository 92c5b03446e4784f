// SPDX-License-Identifier: MIT
// Row-major shape arithmetic shared by the public ops and every backend (one definition, no package exports).

/**
 * A shape as error messages print it: `[2,3]` (`[]` for a scalar).
 *
 * @example
 * ```ts
 * fmt([2, 3]); // "[2,3]"
 * ```
 */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/**
 * Whether two shapes are equal (same rank, same size on every axis).
 *
 * @example
 * ```ts
 * sameShape([2, 3], [2, 3]); // true
 * ```
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * Number of elements of a shape: Π shape[d] (1 for the scalar shape `[]`).
 *
 * @example
 * ```ts
 * sizeOf([2, 3]); // 6
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major (C-order) strides: strides[d] = Π_{e > d} shape[e], so the last axis is contiguous.
 *
 * @example
 * ```ts
 * stridesOf([2, 3]); // [3, 1]
 * ```
 */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}
