// SPDX-License-Identifier: MIT

import type { DType, TypedArray } from "../api.js";
import type { KernelTable } from "./kernels.js";

/**
 * A compute backend: owns tensor storage (opaque handles of type `D`) and implements every kernel of
 * {@link KernelTable}. The op layer never looks inside `D`; it only passes handles to kernels, uploads host
 * arrays and reads results back. The CPU backend's `D` is the typed array itself; a GPU backend's `D` can be
 * a resident texture or buffer.
 *
 * Contract:
 * - `upload(values, dtype)` takes ownership of `values` (the caller never touches it again).
 * - `readSync`/`read` return the data as a typed array of length `size`; the caller must not mutate it
 *   (the public `Tensor.dataSync()` copies). `read` is the asynchronous form GPU backends need.
 * - `disposeData` releases a handle; it is called exactly once per handle, when the last tensor that
 *   shares it is disposed.
 * - Kernels never mutate their inputs and always return a fresh handle.
 *
 * @example
 * ```ts
 * registerBackend("mine", () => ({ name: "mine", kernels, upload, readSync, read, disposeData }));
 * setBackend("mine");
 * ```
 */
export interface Backend<D = unknown> {
  /** Registry name, e.g. `"cpu"` or `"gpujs"`. */
  readonly name: string;
  /** One implementation per kernel name. */
  readonly kernels: KernelTable<D>;
  /** Moves a host array into backend storage (takes ownership). */
  upload(values: TypedArray, dtype: DType): D;
  /**
   * True when kernels return before their output is computed (WebGPU): such outputs are read with `read`
   * only, and the opt-in numerics check (`setNumericsCheck`) cannot scan them, so it skips this backend.
   * Absent or false: `readSync` works on every kernel output.
   */
  readonly asynchronous?: boolean;
  /** Reads backend storage synchronously (must not be mutated by the caller). */
  readSync(data: D, dtype: DType, size: number): TypedArray;
  /** Reads backend storage asynchronously (must not be mutated by the caller). */
  read(data: D, dtype: DType, size: number): Promise<TypedArray>;
  /** Releases a handle. */
  disposeData(data: D): void;
}

/** Creates a backend instance; called lazily, the first time the backend is selected. */
export type BackendFactory = () => Backend<any>;
