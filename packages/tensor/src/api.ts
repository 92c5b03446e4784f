// SPDX-License-Identifier: MIT

/**
 * Element types a {@link Tensor} can hold: `float32` for values, `int32` for token ids and positions.
 */
export type DType = "float32" | "int32";

/** A tensor shape: one non-negative integer per axis, outermost first (row-major). `[]` is a scalar. */
export type Shape = readonly number[];

/** The flat typed array that stores a tensor of the given dtype. */
export type TypedArrayFor<D extends DType> = D extends "int32" ? Int32Array : Float32Array;

/** Either storage array. */
export type TypedArray = Float32Array | Int32Array;

/** Nested plain arrays of numbers (any depth), as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | NestedArray[];
