// SPDX-License-Identifier: MIT

import type { DType, NestedArray, Shape, TypedArray } from "./api.js";
import type { Backend } from "./backend/backend.js";
import { fmt, sizeOf, stridesOf } from "./shape-math.js";

/**
 * Backend storage shared by every tensor that views it (reshape shares data). Released when the last
 * sharing tensor lets go.
 * @internal
 */
export class DataRef {
  refs = 1;
  constructor(
    readonly backend: Backend<any>,
    readonly data: unknown,
  ) {}
}

/**
 * One recorded operation of the autograd graph: the inputs it read and its vector–Jacobian product,
 * which maps the output cotangent dy to one cotangent per input (null: no gradient flows there).
 * @internal
 */
export interface GradNode {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  readonly vjp: (dy: Tensor) => readonly (Tensor | null)[];
}

/** Hooks the engine installs so that tensor construction and disposal take part in scopes and the tape. */
interface TensorHooks {
  created(t: Tensor): void;
  disposed(t: Tensor): boolean;
}

let hooks: TensorHooks = { created: () => {}, disposed: () => true };
let nextId = 1;

/** @internal */
export function installTensorHooks(h: TensorHooks): void {
  hooks = h;
}

/**
 * An n-dimensional array of float32 values (or int32 ids), stored row-major on a backend.
 * Tensors are immutable; every op returns a new tensor. Create them with `tensor`, `zeros`, `ones`, `randn`,
 * `randu`, … rather than with `new`.
 *
 * @example
 * ```ts
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export class Tensor {
  /** Unique id (diagnostics). */
  readonly id: number;
  /** Size of each axis, outermost first. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
  /** Number of elements (product of the shape; 1 for a scalar). */
  readonly size: number;
  /** @internal backend storage; null once released. */
  ref: DataRef | null;
  /** @internal autograd node (null for leaves and untracked tensors). */
  node: GradNode | null = null;
  /** @internal bit set of the active gradient tapes this tensor depends on. */
  mask = 0;
  /** @internal number of recorded graph nodes that still need this tensor. */
  holds = 0;
  /** @internal the user (or a scope) disposed it. */
  disposedFlag = false;

  /** @internal use the creation functions instead. */
  constructor(ref: DataRef, shape: Shape, dtype: DType) {
    this.id = nextId++;
    this.ref = ref;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
    this.size = sizeOf(shape);
    hooks.created(this);
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  /** True once {@link Tensor.dispose} was called (directly or by a scope). */
  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /**
   * Copies the values to the host. The only synchronisation point with an asynchronous backend.
   *
   * @throws Error if the tensor was disposed.
   * @example
   * ```ts
   * await tensor([1, 2]).data(); // Float32Array [1, 2]
   * ```
   */
  async data(): Promise<TypedArray> {
    const ref = this.live("data");
    const values = await ref.backend.read(ref.data, this.dtype, this.size);
    return values.slice(0, this.size);
  }

  /**
   * Copies the values to the host synchronously.
   *
   * @throws Error if the tensor was disposed.
   * @example
   * ```ts
   * tensor([1, 2]).dataSync(); // Float32Array [1, 2]
   * ```
   */
  dataSync(): TypedArray {
    const ref = this.live("dataSync");
    return ref.backend.readSync(ref.data, this.dtype, this.size).slice(0, this.size);
  }

  /**
   * Values as nested plain arrays (a number for a scalar).
   *
   * @throws Error if the tensor was disposed.
   * @example
   * ```ts
   * tensor([[1, 2]]).toArray(); // [[1, 2]]
   * ```
   */
  toArray(): NestedArray {
    const ref = this.live("toArray");
    const flat = ref.backend.readSync(ref.data, this.dtype, this.size);
    if (this.shape.length === 0) return flat[0];
    const strides = stridesOf(this.shape);
    const build = (axis: number, offset: number): NestedArray[] => {
      const n = this.shape[axis];
      const out: NestedArray[] = new Array(n);
      if (axis === this.shape.length - 1) {
        for (let i = 0; i < n; i++) out[i] = flat[offset + i];
        return out;
      }
      for (let i = 0; i < n; i++) out[i] = build(axis + 1, offset + i * strides[axis]);
      return out;
    };
    return build(0, 0);
  }

  /**
   * The value of a one-element tensor.
   *
   * @throws RangeError if the tensor has more than one element; Error if it was disposed.
   * @example
   * ```ts
   * tensor(3).item(); // 3
   * ```
   */
  item(): number {
    const ref = this.live("item");
    if (this.size !== 1) throw new RangeError(`item: tensor must have exactly 1 element, got shape ${fmt(this.shape)}`);
    return ref.backend.readSync(ref.data, this.dtype, 1)[0];
  }

  /**
   * Releases the storage (at once, or when the autograd tape no longer needs it). Idempotent.
   *
   * @example
   * ```ts
   * const t = zeros([2]);
   * t.dispose();
   * t.isDisposed; // true
   * ```
   */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    if (hooks.disposed(this)) this.release();
  }

  /** @internal drops this tensor's share of the storage. */
  release(): void {
    const ref = this.ref;
    if (ref === null) return;
    this.ref = null;
    if (--ref.refs === 0) ref.backend.disposeData(ref.data);
  }

  /** Storage, or a clear error naming `op` when the tensor was disposed. */
  private live(op: string): DataRef {
    if (this.disposedFlag || this.ref === null) {
      throw new Error(`${op}: tensor was disposed (shape ${fmt(this.shape)}, ${this.dtype})`);
    }
    return this.ref;
  }

  /**
   * Short description, e.g. `Tensor(float32, [2,3])`.
   *
   * @example
   * ```ts
   * String(zeros([2, 3])); // "Tensor(float32, [2,3])"
   * ```
   */
  toString(): string {
    return `Tensor(${this.dtype}, ${fmt(this.shape)})`;
  }
}
