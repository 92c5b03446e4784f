// SPDX-License-Identifier: MIT
//
// The gpu.js runtime shared by every kernel of the gpu.js backends: one `GPU` instance, a cache of compiled
// kernels, and the "maybe a Promise" plumbing that lets one kernel implementation serve both the synchronous
// modes (cpu, webasm, webgl2, headlessgl) and the asynchronous WebGPU mode (every call returns a Promise).

import { GPU, Input } from "gpu.js";
import type { DType } from "../../api.js";
import { sizeOf } from "../../shape-math.js";

/** Host storage of a tensor on the gpu.js backends (float32 values or int32 ids). */
export type HostArray = Float32Array | Int32Array;

/**
 * A kernel output kept on the device (gpu.js's WebGPU pipeline handle, `WebGPUBufferResult`): resident
 * storage that later kernels bind directly, read back only on request.
 */
export interface DeviceArray {
  /** Logical output dimensions of the kernel that produced it. */
  readonly output: readonly number[];
  /** Reads the buffer back to the host. */
  toArray(): Promise<unknown>;
  /** Releases this handle's reference to the buffer. */
  delete(): void;
}

/** What a kernel implementation sees as a tensor's data: a host array, or a device buffer (resident WebGPU). */
export type KernelData = HostArray | DeviceArray;

/**
 * True when `x` is a device buffer rather than a host typed array.
 *
 * @example
 * ```ts
 * isDevice(new Float32Array(1)); // false
 * ```
 */
export function isDevice(x: KernelData): x is DeviceArray {
  return !ArrayBuffer.isView(x);
}

/**
 * Number of elements of kernel data (for a device buffer, the product of its output dimensions).
 *
 * @example
 * ```ts
 * lengthOf(new Float32Array(3)); // 3
 * ```
 */
function lengthOf(x: KernelData): number {
  return isDevice(x) ? sizeOf(x.output) : x.length;
}

/** A value, or a Promise of it (WebGPU kernel calls return Promises; the other modes return values). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * gpu.js modes a backend can be built on. `cpu` runs generated JavaScript (accumulates in doubles),
 * `webasm` generated WebAssembly SIMD (float32), `webgpu`/`webgl2`/`webgl`/`headlessgl` run shaders, and `gpu`
 * is gpu.js's own pick (never trusted for speed: it can choose a software renderer).
 */
export type GpuJsMode = "cpu" | "webasm" | "webgpu" | "webgl2" | "webgl" | "headlessgl" | "gpu";

/**
 * All modes, for iteration (detection, tests).
 *
 * @example
 * ```ts
 * GPUJS_MODES.includes("webasm"); // true
 * ```
 */
export const GPUJS_MODES: readonly GpuJsMode[] = ["cpu", "webasm", "webgpu", "webgl2", "webgl", "headlessgl", "gpu"];

/**
 * What a kernel body sees as `this`: the 1-D thread index and the constants baked into its compiled form.
 * Kernels of these backends have a flat 1-D output (the one exception, matmul outside `cpu` mode, sees
 * {@link KernelThis2d}); multi-indices are recovered with `Math.floor` divisions, which are exact while every
 * index is below 2^24 (the float32 integer range).
 */
export interface KernelThis {
  readonly thread: { readonly x: number };
  readonly constants: Readonly<Record<string, number>>;
}

/** `this` of a kernel launched with a 2-D output (`Launch.rows`): thread.y is the row. */
export interface KernelThis2d {
  readonly thread: { readonly x: number; readonly y: number };
  readonly constants: Readonly<Record<string, number>>;
}

/** A gpu.js kernel body: a plain `function` with flat array arguments, returning one float per thread. */
export type KernelSource = (this: KernelThis, ...args: Float32Array[]) => number;

/** One launch: which body, how many output cells, the constants and the flat array arguments. */
export interface Launch {
  /** Cache name of the body (one per source function). */
  readonly name: string;
  readonly source: KernelSource;
  /** Number of output cells. */
  readonly size: number;
  /**
   * When set, the output is 2-D: `rows` rows of size/rows cells (thread.y = row, thread.x = column), read back
   * flat in row-major order. Lets `webasm` keep thread.x-neighbouring lanes on one row (SIMD-friendly).
   */
  readonly rows?: number;
  /** Constants baked into the compiled kernel (part of the cache key). */
  readonly constants: Readonly<Record<string, number>>;
  readonly args: readonly KernelData[];
}

/** Counters for the compiled-kernel cache (tests check that repeated shapes do not recompile). */
export interface KernelCacheStats {
  /** Kernels compiled (cache misses). */
  compiled: number;
  /** Launches served by an already compiled kernel. */
  hits: number;
  /** Kernels evicted (least recently used) and destroyed. */
  evicted: number;
  /** Device buffers created by resident launches and not yet released (0 when nothing leaks). */
  deviceLive: number;
}

type CompiledKernel = ((...args: unknown[]) => unknown) & { destroy?: (removeCanvasReferences?: boolean) => void };

// gpu.js caps loops it cannot prove bounded (non-literal init, or a bound read from an argument) at
// `loopMaxIterations` (default 1000). Our bounds come from tensor sizes, so the cap must never bite.
const LOOP_MAX = 1_000_000_000;

// Named `chain`, not `then`: a module exporting `then` makes its namespace a thenable, so `await import()` of it
// would call it.
/**
 * Applies `f` to a value or, when it is a Promise, to its resolution: multi-pass kernels chain their passes
 * with it so that one implementation runs synchronously on sync modes and as a Promise chain on WebGPU.
 *
 * @example
 * ```ts
 * chain(2, (x) => x + 1); // 3
 * await chain(Promise.resolve(2), (x) => x + 1); // 3
 * ```
 */
export function chain<T, U>(value: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * Compiles, caches and launches gpu.js kernels for one mode. gpu.js bakes output size, constants and argument
 * sizes into each compiled kernel, so the cache key is (body, output size, constants, argument lengths);
 * the least recently used kernel is destroyed once more than `cacheLimit` are held.
 *
 * @example
 * ```ts
 * const rt = new GpuJsRuntime("cpu");
 * rt.launch({ name: "copy", source: function (x) { return x[this.thread.x]; }, size: 2, constants: {},
 *   args: [new Float32Array([1, 2])] }); // Float32Array [1, 2]
 * ```
 */
export class GpuJsRuntime {
  /** The gpu.js mode this runtime compiles for. */
  readonly mode: GpuJsMode;
  /** Cache counters (reset with {@link GpuJsRuntime.clearCache}). */
  readonly stats: KernelCacheStats = { compiled: 0, hits: 0, evicted: 0, deviceLive: 0 };
  /** True when outputs stay on the device (WebGPU pipeline mode). */
  readonly resident: boolean;
  private readonly gpu: GPU;
  private readonly cache = new Map<string, CompiledKernel>();
  private readonly cacheLimit: number;
  // WebGPU launches are asynchronous (a kernel's first call even builds it asynchronously); they are issued
  // one after another, in program order, so that no two launches of one compiled kernel overlap.
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * @param mode - gpu.js mode; `webgpu` needs `navigator.gpu` (see `createWebGpuBackend`).
   * @param cacheLimit - compiled kernels kept (LRU), ≥ 1.
   * @param resident - keep outputs on the device (only in `webgpu` mode): launches return {@link DeviceArray}s.
   * @throws Error from gpu.js when the mode cannot start here (e.g. `headlessgl` without an X display);
   *   RangeError for a bad `cacheLimit` or `resident` outside `webgpu` mode.
   */
  constructor(mode: GpuJsMode, cacheLimit = 512, resident = false) {
    if (!Number.isInteger(cacheLimit) || cacheLimit < 1) {
      throw new RangeError(`GpuJsRuntime: cacheLimit is ${cacheLimit}, must be an integer ≥ 1`);
    }
    if (resident && mode !== "webgpu") {
      throw new RangeError(`GpuJsRuntime: resident is only supported in mode "webgpu", got mode "${mode}"`);
    }
    this.resident = resident;
    this.mode = mode;
    this.cacheLimit = cacheLimit;
    this.gpu = new GPU({ mode });
  }

  /** Number of compiled kernels currently cached. */
  get cacheSize(): number {
    return this.cache.size;
  }

  /**
   * Runs one kernel launch and returns its float32 output: a host array, a Promise of one in `webgpu` mode,
   * or a Promise of a {@link DeviceArray} when resident. A zero-size launch returns an empty host array
   * without compiling anything; zero-length arguments are replaced by a 1-element placeholder (gpu.js
   * rejects empty inputs; a kernel never reads an empty argument).
   */
  launch(l: Launch): MaybePromise<KernelData> {
    if (l.size === 0) return new Float32Array(0);
    const args = l.args.map((a) =>
      isDevice(a) ? a : a.length === 0 ? new Float32Array(1) : a instanceof Int32Array ? Float32Array.from(a) : a,
    );
    // Resident outputs are always 1-D, so a later kernel can index any device buffer flat.
    const rows = this.resident ? 0 : (l.rows ?? 0);
    let key = `${l.name}|${l.size}|${rows}`;
    for (const c in l.constants) key += `|${c}=${l.constants[c]}`;
    // A kernel first built for a host argument binds device buffers too, but not the other way round.
    for (const a of args) key += isDevice(a) ? `|${lengthOf(a)}d` : `|${a.length}`;
    let kernel = this.cache.get(key);
    if (kernel === undefined) {
      kernel = this.gpu.createKernel(l.source as never, {
        output: rows > 0 ? [l.size / rows, rows] : [l.size],
        constants: { ...l.constants },
        tactic: "precision",
        precision: "single",
        loopMaxIterations: LOOP_MAX,
        ...(this.resident ? { pipeline: true, immutable: true } : {}),
      } as never) as unknown as CompiledKernel;
      this.stats.compiled++;
      this.cache.set(key, kernel);
      if (this.cache.size > this.cacheLimit) {
        const [oldKey, old] = this.cache.entries().next().value as [string, CompiledKernel];
        this.cache.delete(oldKey);
        old.destroy?.();
        this.stats.evicted++;
      }
    } else {
      this.stats.hits++;
      this.cache.delete(key);
      this.cache.set(key, kernel);
    }
    const run = kernel;
    const call = () => run(...args.map((a) => (isDevice(a) ? a : new Input(a as unknown as number[], [a.length]))));
    if (this.mode === "webgpu") {
      const result = this.tail.then(call);
      this.tail = result.catch(() => {});
      if (this.resident) {
        return result.then((out) => {
          this.stats.deviceLive++;
          return out as DeviceArray;
        });
      }
      return result.then((out) => toFloat32(out, l.size));
    }
    return chain(call() as MaybePromise<unknown>, (out) => toFloat32(out, l.size));
  }

  /**
   * The host values of kernel data: itself for a host array, a read-back for a device buffer.
   *
   * @example
   * ```ts
   * await runtime.host(deviceBuffer); // Float32Array
   * ```
   */
  host(x: KernelData): MaybePromise<HostArray> {
    if (!isDevice(x)) return x;
    return x.toArray().then((out) => toFloat32(out, lengthOf(x)));
  }

  /**
   * Releases device buffers produced by this runtime's launches (host arrays are ignored). Call it once a
   * buffer's last use has been launched: WebGPU keeps a destroyed buffer alive for work already submitted.
   */
  release(...xs: (KernelData | null)[]): void {
    for (const x of xs) {
      if (x !== null && isDevice(x)) {
        x.delete();
        this.stats.deviceLive--;
      }
    }
  }

  /** Destroys every cached kernel. */
  clearCache(): void {
    for (const k of this.cache.values()) k.destroy?.();
    this.cache.clear();
  }

  /** Destroys the cached kernels and the gpu.js instance. */
  destroy(): void {
    this.clearCache();
    void Promise.resolve(this.gpu.destroy()).catch(() => {});
  }
}

function toFloat32(out: unknown, size: number): Float32Array {
  if (out instanceof Float32Array && out.length === size) return out;
  const rows = out as ArrayLike<unknown>;
  if (rows.length > 0 && typeof rows[0] !== "number") {
    // A 2-D output comes back as one array per row.
    const flat = new Float32Array(size);
    let at = 0;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as ArrayLike<number>;
      flat.set(row, at);
      at += row.length;
    }
    return flat;
  }
  // Some modes return plain arrays (or typed arrays of another kind) for 1-D outputs.
  return Float32Array.from(out as ArrayLike<number>);
}

/**
 * Packs per-axis lists (each as long as the output's rank) into one flat kernel argument [list0, list1, …], the
 * `meta` of the strided kernels. A rank-0 output is packed as rank 1, with `scalar[i]` as list i's one entry.
 *
 * @example
 * ```ts
 * axisMeta([[2, 3], [3, 1]], [1, 0]); // { rank: 2, meta: Float32Array [2, 3, 3, 1] }
 * ```
 */
export function axisMeta(lists: readonly (readonly number[])[], scalar: readonly number[]): { rank: number; meta: Float32Array } {
  const rank = Math.max(lists[0].length, 1);
  const meta = new Float32Array(lists.length * rank);
  lists.forEach((list, i) => {
    if (list.length === 0) meta[i * rank] = scalar[i];
    else meta.set(list, i * rank);
  });
  return { rank, meta };
}

/**
 * Converts a kernel's float32 output to the storage of `dtype` (int32 outputs are exact integers below 2^24).
 *
 * @example
 * ```ts
 * asDType(new Float32Array([2]), "int32"); // Int32Array [2]
 * ```
 */
export function asDType(values: Float32Array, dtype: DType): HostArray {
  if (dtype === "float32") return values;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(values[i]);
  return out;
}

/**
 * Converts a launch's float32 output to the storage of `dtype`: float32 data (host or device) passes through;
 * int32 outputs (ids, indices) are brought to the host, where the op layer reads them.
 *
 * @example
 * ```ts
 * toDType(runtime, new Float32Array([2]), "int32"); // Int32Array [2]
 * ```
 */
export function toDType(rt: GpuJsRuntime, out: MaybePromise<KernelData>, dtype: DType): MaybePromise<KernelData> {
  if (dtype === "float32") return out;
  return chain(out, (o) => chain(rt.host(o), (h) => asDType(h as Float32Array, "int32")));
}
