// SPDX-License-Identifier: MIT
//
// The engine: kernel dispatch, scopes (tidy/keep), the autograd recording switch and the numerics check.
// Autograd state is a bit set of "tape levels": valueAndGrad at nesting depth L owns bit L−1. A tensor's
// mask says which active tapes it depends on; an op is recorded only when one of its inputs carries a bit
// that is currently allowed to record, so nothing (no node, no closure) is kept when no gradient is asked for.

import type { DType, Shape } from "./api.js";
import type { KernelName, KernelSignatures, KernelTensor } from "./backend/kernels.js";
import { getBackend, getKernel } from "./backend/registry.js";
import { fmt } from "./shape-math.js";
import { DataRef, installTensorHooks, Tensor, type GradNode } from "./tensor.js";

interface EngineState {
  /** Tape levels whose graph is being recorded right now. */
  recordMask: number;
  /** Nesting depth of valueAndGrad. */
  depth: number;
  /** Recorded tensors, by the highest tape level they depend on (index = level − 1). */
  traced: Tensor[][];
  /** Open tidy scopes, innermost last. */
  scopes: Set<Tensor>[];
  /** Throw on the first NaN/Infinity a kernel produces. */
  numericsCheck: boolean;
  /** Asynchronous backends already warned about: the numerics check skips them. */
  uncheckedBackends: Set<string>;
  /** Names of composite ops / gradient rules being evaluated (for error messages). */
  context: string[];
  /** > 0 while a backward pass runs (tensors disposed by the user but held by the tape stay usable). */
  backward: number;
}

/** @internal */
export const engine: EngineState = {
  recordMask: 0,
  depth: 0,
  traced: [],
  scopes: [],
  numericsCheck: false,
  uncheckedBackends: new Set(),
  context: [],
  backward: 0,
};

installTensorHooks({
  created(t) {
    const scope = engine.scopes[engine.scopes.length - 1];
    if (scope !== undefined) scope.add(t);
  },
  disposed(t) {
    // A tensor the tape still needs is released when its last graph node goes away.
    return t.holds === 0;
  },
});

/**
 * Storage of an input, or an error naming the op and the argument when it was disposed. During a backward
 * pass a tensor disposed by the user but still held by the tape is accepted.
 * @internal
 */
export function liveRef(t: Tensor, op: string, arg: string): DataRef {
  if (t.ref !== null && (!t.disposedFlag || (engine.backward > 0 && t.holds > 0))) return t.ref;
  throw new Error(`${op}: tensor ${arg} was disposed (shape ${fmt(t.shape)}, ${t.dtype})`);
}

/** Creates a tensor that owns fresh backend storage of `values`. @internal */
export function fromValues(values: Float32Array | Int32Array, shape: Shape, dtype: DType): Tensor {
  const backend = getBackend();
  return new Tensor(new DataRef(backend, backend.upload(values, dtype)), shape, dtype);
}

/** A tensor that shares `t`'s storage under another shape (reshape, identity). @internal */
export function shareData(t: Tensor, shape: Shape, op: string): Tensor {
  const ref = liveRef(t, op, "x");
  ref.refs++;
  return new Tensor(ref, shape, t.dtype);
}

type InputSpec<K extends KernelName> = {
  [P in keyof KernelSignatures[K]["inputs"]]: KernelSignatures[K]["inputs"][P] extends readonly KernelTensor[]
    ? readonly Tensor[]
    : Tensor;
};

/**
 * Runs kernel `kernel` for public op `op` on the current backend and wraps its output in a tensor of
 * `shape` and `dtype`. Inputs must be live and on the current backend.
 * @internal
 */
export function runKernel<K extends KernelName>(
  op: string,
  kernel: K,
  inputs: InputSpec<K>,
  attrs: KernelSignatures[K]["attrs"],
  shape: Shape,
  dtype: DType,
): Tensor {
  const backend = getBackend();
  const kernelInputs: Record<string, KernelTensor | KernelTensor[]> = {};
  for (const [name, value] of Object.entries(inputs as Record<string, Tensor | readonly Tensor[]>)) {
    if (Array.isArray(value)) {
      kernelInputs[name] = value.map((t: Tensor, i: number) => toKernelTensor(t, op, `${name}[${i}]`, backend.name));
    } else {
      kernelInputs[name] = toKernelTensor(value as Tensor, op, name, backend.name);
    }
  }
  const run = getKernel(backend, kernel);
  const data = run(kernelInputs as never, attrs as never);
  const out = new Tensor(new DataRef(backend, data), shape, dtype);
  if (engine.numericsCheck && dtype === "float32") {
    if (backend.asynchronous !== true) checkFinite(out, op);
    else if (!engine.uncheckedBackends.has(backend.name)) {
      engine.uncheckedBackends.add(backend.name);
      console.warn(
        `setNumericsCheck: backend "${backend.name}" is asynchronous (outputs cannot be read synchronously), ` +
          `so the numerics check does not scan its outputs; check with the "cpu" backend instead`,
      );
    }
  }
  return out;
}

function toKernelTensor(t: Tensor, op: string, arg: string, backendName: string): KernelTensor {
  const ref = liveRef(t, op, arg);
  if (ref.backend.name !== backendName) {
    throw new Error(`${op}: tensor ${arg} lives on backend "${ref.backend.name}", but the current backend is "${backendName}"`);
  }
  return { data: ref.data, shape: t.shape, dtype: t.dtype };
}

function checkFinite(t: Tensor, op: string): void {
  const ref = t.ref!;
  const values = ref.backend.readSync(ref.data, t.dtype, t.size);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) {
      const where = engine.context.length > 0 ? ` (inside ${engine.context.join(" > ")})` : "";
      throw new RangeError(
        `${op}: produced ${v !== v ? "NaN" : v > 0 ? "Infinity" : "-Infinity"} at flat index ${i} of its output ` +
          `(shape ${fmt(t.shape)})${where}`,
      );
    }
  }
}

/**
 * Turns the opt-in numerics check on or off. When on, every float32 kernel output is scanned and the first
 * NaN/±Infinity throws a `RangeError` naming the op that produced it (and the composite op or gradient rule
 * it ran inside). Costs one host read per kernel: leave it off in production runs. Asynchronous backends
 * (`Backend.asynchronous`, e.g. WebGPU) cannot be read synchronously, so their outputs are not scanned: the
 * first kernel run there with the check on prints one warning saying so.
 *
 * @example
 * ```ts
 * setNumericsCheck(true);
 * log(tensor([-1])); // RangeError: log: produced NaN at flat index 0 of its output (shape [1])
 * ```
 */
export function setNumericsCheck(enabled: boolean): void {
  engine.numericsCheck = enabled;
}

/**
 * Whether the numerics check is on (see {@link setNumericsCheck}).
 *
 * @example
 * ```ts
 * getNumericsCheck(); // false
 * ```
 */
export function getNumericsCheck(): boolean {
  return engine.numericsCheck;
}

/** Runs `fn` with `name` pushed on the context stack used by error messages. @internal */
export function withContext<T>(name: string, fn: () => T): T {
  engine.context.push(name);
  try {
    return fn();
  } finally {
    engine.context.pop();
  }
}

/** True when an op on these inputs must be recorded for autograd. @internal */
export function needsGrad(...inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (engine.recordMask === 0) return false;
  for (const t of inputs) if (t != null && (t.mask & engine.recordMask) !== 0) return true;
  return false;
}

/**
 * Records `out = op(inputs)` with its vector–Jacobian product. Call only when {@link needsGrad} is true, so
 * that the closure is never even created otherwise.
 * @internal
 */
export function record(
  op: string,
  out: Tensor,
  inputs: readonly Tensor[],
  vjp: (dy: Tensor) => readonly (Tensor | null)[],
): void {
  let mask = 0;
  for (const t of inputs) mask |= t.mask;
  mask &= engine.recordMask;
  if (mask === 0) return;
  out.mask = mask;
  out.node = { op, inputs, vjp } satisfies GradNode;
  for (const t of inputs) t.holds++;
  out.holds++;
  traceAt(out, highestLevel(mask));
}

/** @internal */
export function highestLevel(mask: number): number {
  return 32 - Math.clz32(mask);
}

/** @internal */
export function traceAt(t: Tensor, level: number): void {
  while (engine.traced.length < level) engine.traced.push([]);
  engine.traced[level - 1].push(t);
}

/** Drops one hold; releases storage the user already disposed once nothing needs it. @internal */
export function unhold(t: Tensor): void {
  t.holds--;
  if (t.holds === 0 && t.disposedFlag) t.release();
}

/** Calls `visit` on every tensor leaf of a container (plain objects and arrays are walked). */
function forEachTensor(value: unknown, visit: (t: Tensor) => void): void {
  if (value instanceof Tensor) visit(value);
  else if (Array.isArray(value)) for (const v of value) forEachTensor(v, visit);
  else if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) forEachTensor(v, visit);
  }
}

/**
 * Runs `fn` in a scope: every tensor created inside and not part of the result (tensors anywhere in a
 * returned array/object tree) is disposed when `fn` returns. Tensors marked with {@link keep} survive.
 * Scopes nest; the result's tensors move to the enclosing scope. Tensors the autograd tape still needs are
 * released later, when the tape lets go of them.
 *
 * @throws whatever `fn` throws (the scope's tensors are disposed first).
 * @example
 * ```ts
 * const y = tidy(() => exp(neg(square(x)))); // the intermediates are disposed, y is kept
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope = new Set<Tensor>();
  engine.scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    engine.scopes.pop();
    for (const t of scope) t.dispose();
    throw error;
  }
  engine.scopes.pop();
  const kept = new Set<Tensor>();
  forEachTensor(result, (t) => kept.add(t));
  const parent = engine.scopes[engine.scopes.length - 1];
  for (const t of scope) {
    if (kept.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/**
 * Exempts a tensor from disposal by the enclosing {@link tidy} scopes (e.g. a parameter created inside one).
 *
 * @example
 * ```ts
 * tidy(() => { w = keep(randn([4, 4], rng)); });
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  for (const scope of engine.scopes) scope.delete(t);
  return t;
}

/**
 * Disposes every tensor in a container (plain objects/arrays of tensors).
 *
 * @example
 * ```ts
 * dispose({ w, b: [b1, b2] });
 * ```
 */
export function dispose(container: unknown): void {
  forEachTensor(container, (t) => t.dispose());
}
