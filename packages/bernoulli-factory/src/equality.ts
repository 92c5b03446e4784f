// SPDX-License-Identifier: MIT
import type { TemperatureOptions } from "./api.js";
import { describe } from "./rational.js";

type ArrayLikeValue = ArrayLike<unknown> & object;

function isListLike(x: unknown): x is ArrayLikeValue {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

/**
 * Value equality of two draws: primitives by SameValueZero (`NaN` equals `NaN`, `0` equals `-0`),
 * arrays and typed arrays element-wise and recursively (so `[1, 2]` equals `Int32Array.of(1, 2)`), other
 * objects by identity. This is how two sampled token chunks are compared by default.
 *
 * @param a - a draw
 * @param b - another draw
 * @returns whether they are the same outcome
 * @example
 * ```ts
 * drawsEqual([5, 9, 2], [5, 9, 2]); // true
 * drawsEqual([5, 9], [5, 9, 2]); // false
 * ```
 */
export function drawsEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isListLike(a) && isListLike(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!drawsEqual(a[i], b[i])) return false;
    return true;
  }
  // SameValueZero: the only value not equal to itself is NaN.
  return a !== a && b !== b;
}

let nextObjectId = 0;
const objectIds = new WeakMap<object, number>();

function encode(x: unknown): string {
  if (isListLike(x)) {
    let s = "[";
    for (let i = 0; i < x.length; i++) s += (i > 0 ? "," : "") + encode(x[i]);
    return s + "]";
  }
  switch (typeof x) {
    case "number":
      return `n${x === 0 ? 0 : x}`;
    case "string":
      return `s${JSON.stringify(x)}`;
    case "bigint":
      return `b${x}`;
    case "boolean":
      return x ? "t" : "f";
    case "undefined":
      return "u";
    case "symbol":
    case "function":
    case "object": {
      if (x === null) return "null";
      let id = objectIds.get(x as object);
      if (id === undefined) {
        id = nextObjectId++;
        objectIds.set(x as object, id);
      }
      return `o${id}`;
    }
  }
}

/**
 * A string key such that `drawKey(a) === drawKey(b)` exactly when {@link drawsEqual}(a, b)
 * (symbols are not supported as draws). Used to count equal draws in a batch.
 *
 * @param x - a draw
 * @returns its canonical key
 * @example
 * ```ts
 * drawKey([1, 2]) === drawKey(Uint16Array.of(1, 2)); // true
 * ```
 */
export function drawKey(x: unknown): string {
  if (typeof x === "symbol") throw new TypeError(`drawKey: draw is ${String(x)}, symbols are not supported`);
  return encode(x);
}

/** The equality a temperature sampler uses, from its options (internal). */
export function equalityFor<T>(options: TemperatureOptions<T> | undefined, fn: string): (a: T, b: T) => boolean {
  if (options?.equals !== undefined) {
    if (typeof options.equals !== "function") {
      throw new TypeError(`${fn}: options.equals is ${describe(options.equals)}, must be a function`);
    }
    return options.equals;
  }
  const key = options?.key;
  if (key !== undefined) {
    if (typeof key !== "function") throw new TypeError(`${fn}: options.key is ${describe(key)}, must be a function`);
    return (a, b) => drawsEqual(key(a), key(b));
  }
  return drawsEqual;
}

/** The grouping key a batch sampler uses, from its options (internal). */
export function keyFor<T>(options: TemperatureOptions<T> | undefined, fn: string): (x: T) => string {
  if (options?.equals !== undefined) {
    throw new TypeError(`${fn}: options.equals cannot group a batch; pass options.key instead`);
  }
  const key = options?.key;
  if (key !== undefined) {
    if (typeof key !== "function") throw new TypeError(`${fn}: options.key is ${describe(key)}, must be a function`);
    return (x) => drawKey(key(x));
  }
  return drawKey;
}
