// SPDX-License-Identifier: MIT
// Host side of the WebAssembly SIMD matmul: memory layout, packing calls, and the worker pool that splits
// large products across threads on one shared WebAssembly.Memory while matmulF32 stays synchronous.
import { checkBatchedMatmulArgs, checkMatmulArgs, forEachProduct, matmulF32Js } from "./matmul-js.js";
import { MATMUL_WASM_MAX_PAGES, MATMUL_WASM_PLAIN_BASE64, MATMUL_WASM_SHARED_BASE64 } from "./matmul-wasm-module.js";

interface KernelExports {
  tileRows(): number;
  tileCols(): number;
  packA(src: number, dst: number, m: number, k: number, rs: number, cs: number, i0: number, i1: number): void;
  packB(src: number, dst: number, k: number, n: number, rs: number, cs: number, j0: number, j1: number): void;
  gemmPacked(aPack: number, bPack: number, c: number, k: number, ldc: number, i0: number, i1: number, j0: number, j1: number): void;
  gemvDot(mat: number, vec: number, out: number, rows: number, len: number): void;
  gemvAxpy(mat: number, vec: number, out: number, rows: number, len: number): void;
  geluF32(src: number, dst: number, n: number): void;
  geluGradF32(src: number, dst: number, n: number): void;
}

// The package's type environment (lib ES2023 + node) declares no WebAssembly namespace, so the few members
// used here are typed structurally and read from globalThis.
interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmModule {
  readonly __wasmModule?: never;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
  Instance: new (m: WasmModule, imports: object) => { exports: object };
}
const wasmApi = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

/** Minimal shape of node:worker_threads' Worker used here (kept structural so browsers need no Node types). */
interface WorkerLike {
  unref(): void;
  on(event: "error", listener: (e: unknown) => void): void;
  terminate(): Promise<number>;
}
type WorkerCtor = new (src: string, opts: { eval: true; workerData: unknown; execArgv: string[] }) => WorkerLike;

const PAGE = 65536;
/** Control block (Int32 words) at the start of page 1; page 0 is left to the module's own statics. */
const CTRL = PAGE;
const CTRL_WORDS = 1024;
/** Operands start after the control block, 64-byte aligned. */
const DATA = CTRL + CTRL_WORDS * 4;
/** Control words: [READY] workers started (or failed to); [DONE] finished jobs this round; [ERROR] 1 if a job threw. */
const READY = 0;
const DONE = 1;
const ERROR = 2;
/** Control word set to 1 by a worker that could not instantiate the kernel. */
const START_FAILED = 3;
/** Control word: the next unclaimed entry of the current job list (threads claim entries with Atomics.add). */
const NEXT = 4;
/**
 * Work is described by a job list in the kernel memory: one ENTRY_WORDS-word entry per piece of work, holding
 * the packA arguments (8 words), the packB arguments (8; either range may be empty) and the gemmPacked arguments
 * (9). Threads claim entries one at a time from the NEXT counter, so a worker that wakes late simply takes fewer.
 * Per-worker slot of JOB_WORDS control words from JOB0 + JOB_WORDS·id: the byte offset of the list, the number of
 * entries, and the wake sequence word last.
 */
const JOB0 = 16;
const JOB_WORDS = 32;
const JOB_LIST = 0;
const JOB_COUNT = 1;
const JOB_SEQ = 31;
const ENTRY_WORDS = 25;
/** Entries per thread when one product is split: enough to rebalance around a late worker, few enough to stay cheap. */
const CHUNKS_PER_THREAD = 4;
const ENTRY_PACK_B = 8;
const ENTRY_GEMM = 16;
const MAX_WORKERS = Math.floor((CTRL_WORDS - JOB0) / JOB_WORDS);

/**
 * Default size, in flops (2·m·k·n), from which a matmul is split across threads. Measured on a quiet 2-core
 * machine (2026-11-29): 2 threads lose at 128³ (4.2 MFLOP: 44 vs 52 GFLOP/s) and win at 160³ (8.2 MFLOP: 61 vs 54).
 *
 * @example
 * ```ts
 * setMatmulParallelThreshold(MATMUL_PARALLEL_MIN_FLOPS); // back to the default
 * ```
 */
export const MATMUL_PARALLEL_MIN_FLOPS = 6e6;
let parallelMinFlops = MATMUL_PARALLEL_MIN_FLOPS;

// The worker is plain JS evaluated from a string, so it runs the same from .ts sources (vitest, tsx) and from the
// bundle; it avoids require/import so it runs whether Node evaluates it as a script or as a module. It sleeps in
// Atomics.wait on its own sequence word between jobs (no spinning: on a 2-core machine shared with other work,
// spinning measured slower) and is unref'd, so it never keeps a process alive.
const WORKER_SOURCE = `
const { workerData } = process.getBuiltinModule("node:worker_threads");
const { module, memory, ctrl, id } = workerData;
const I = new Int32Array(memory.buffer, ctrl, ${CTRL_WORDS});
let x;
try {
  x = new WebAssembly.Instance(module, { env: { memory } }).exports;
} catch (e) {
  Atomics.store(I, ${START_FAILED}, 1);
  Atomics.add(I, ${READY}, 1);
  Atomics.notify(I, ${READY});
  throw e;
}
const o = ${JOB0} + id * ${JOB_WORDS};
let seen = Atomics.load(I, o + ${JOB_SEQ});
Atomics.add(I, ${READY}, 1);
Atomics.notify(I, ${READY});
for (;;) {
  Atomics.wait(I, o + ${JOB_SEQ}, seen);
  const s = Atomics.load(I, o + ${JOB_SEQ});
  if (s === seen) continue;
  seen = s;
  const count = I[o + ${JOB_COUNT}];
  // A fresh view: the memory may have grown since the last job.
  const J = new Int32Array(memory.buffer, I[o + ${JOB_LIST}], count * ${ENTRY_WORDS});
  try {
    for (let e = Atomics.add(I, ${NEXT}, 1); e < count; e = Atomics.add(I, ${NEXT}, 1)) {
      const q = e * ${ENTRY_WORDS};
      if (J[q + 7] > J[q + 6]) x.packA(J[q], J[q + 1], J[q + 2], J[q + 3], J[q + 4], J[q + 5], J[q + 6], J[q + 7]);
      const b = q + ${ENTRY_PACK_B};
      if (J[b + 7] > J[b + 6]) x.packB(J[b], J[b + 1], J[b + 2], J[b + 3], J[b + 4], J[b + 5], J[b + 6], J[b + 7]);
      const g = q + ${ENTRY_GEMM};
      x.gemmPacked(J[g], J[g + 1], J[g + 2], J[g + 3], J[g + 4], J[g + 5], J[g + 6], J[g + 7], J[g + 8]);
    }
  } catch (e) {
    Atomics.store(I, ${ERROR}, 1);
  }
  Atomics.add(I, ${DONE}, 1);
  Atomics.notify(I, ${DONE});
}
`;interface WasmState {
  exports: KernelExports;
  memory: WasmMemory;
  module: WasmModule;
  shared: boolean;
  mr: number;
  nr: number;
  f32: Float32Array;
  i32: Int32Array;
  workers: WorkerLike[];
  /** False once starting workers failed: stay single-threaded. */
  workersOk: boolean;
}

let state: WasmState | null | undefined;
/** Byte cap on the kernel memory (see setMatmulMemoryLimit). */
let memoryLimit = MATMUL_WASM_MAX_PAGES * PAGE;
let threads = defaultThreads();

function nodeBuiltin<T>(name: string): T | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    return p?.getBuiltinModule?.(name) as T | undefined;
  } catch {
    return undefined;
  }
}

function defaultThreads(): number {
  const os = nodeBuiltin<{ availableParallelism?: () => number }>("node:os");
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const cores = os?.availableParallelism?.() ?? nav?.hardwareConcurrency ?? 1;
  return Math.max(1, Math.min(2, cores));
}

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// i32.const 0; i32x4.splat; end: valid only where the engine implements fixed-width SIMD.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00, 0x0a,
  0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b,
]);

/**
 * Whether this engine runs WebAssembly fixed-width SIMD, tested by validating a one-instruction SIMD module.
 *
 * @returns true when `WebAssembly.validate` accepts an `i32x4.splat` function.
 * @example
 * ```ts
 * if (!wasmSimdSupported()) console.log("matmul uses the plain-JS kernel");
 * ```
 */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi !== undefined && wasmApi.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function init(): WasmState | null {
  if (wasmApi === undefined || !wasmSimdSupported()) return null;
  const attempts: Array<[boolean, string]> = [
    [true, MATMUL_WASM_SHARED_BASE64],
    [false, MATMUL_WASM_PLAIN_BASE64],
  ];
  for (const [shared, b64] of attempts) {
    try {
      const module = new wasmApi.Module(decodeBase64(b64));
      const memory = shared
        ? new wasmApi.Memory({ initial: 2, maximum: MATMUL_WASM_MAX_PAGES, shared: true })
        : new wasmApi.Memory({ initial: 2 });
      const exports = new wasmApi.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
      const s: WasmState = {
        exports,
        memory,
        module,
        shared,
        mr: exports.tileRows(),
        nr: exports.tileCols(),
        f32: new Float32Array(memory.buffer),
        i32: new Int32Array(memory.buffer, CTRL, CTRL_WORDS),
        workers: [],
        workersOk: shared,
      };
      return s;
    } catch {
      // No SharedArrayBuffer (e.g. a page that is not cross-origin isolated): try the unshared variant.
    }
  }
  return null;
}

function getState(): WasmState | null {
  if (state === undefined) state = init();
  return state;
}

/**
 * Whether the WebAssembly SIMD kernel is in use (false: the plain-JS fallback runs).
 *
 * @returns true when SIMD validated and the kernel module instantiated.
 * @example
 * ```ts
 * console.log(matmulWasmAvailable() ? "wasm simd" : "js");
 * ```
 */
export function matmulWasmAvailable(): boolean {
  return getState() !== null;
}

/**
 * Sets how many threads (the calling thread plus workers) large matmuls may use.
 *
 * Default: min(2, availableParallelism()). Workers are started lazily, on the first product large enough to split,
 * and only where a shared WebAssembly.Memory and node:worker_threads exist; elsewhere every product runs on one thread.
 *
 * @param n - thread count, an integer ≥ 1.
 * @throws RangeError when n is not an integer in [1, 32].
 * @example
 * ```ts
 * setMatmulThreads(1); // deterministic single-threaded timing
 * ```
 */
export function setMatmulThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_WORKERS + 1)
    throw new RangeError(`setMatmulThreads: n is ${n}, must be an integer in [1, ${MAX_WORKERS + 1}]`);
  threads = n;
}

/**
 * Thread count large matmuls may use (see {@link setMatmulThreads}).
 *
 * @returns the configured count, ≥ 1.
 * @example
 * ```ts
 * console.log(getMatmulThreads()); // 2 on a 2-core machine
 * ```
 */
export function getMatmulThreads(): number {
  return threads;
}

/**
 * Number of worker threads started so far (0 until a product large enough to split has run).
 *
 * @returns started workers; the calling thread is not counted.
 * @example
 * ```ts
 * console.log(matmulWorkerCount()); // 1 after a large product with 2 threads
 * ```
 */
export function matmulWorkerCount(): number {
  return state ? state.workers.length : 0;
}

/**
 * Sets the size, in flops (2·m·k·n), from which a matmul is split across threads (default
 * {@link MATMUL_PARALLEL_MIN_FLOPS}).
 *
 * @param flops - threshold, a non-negative number; 0 splits every product that has at least one tile per thread.
 * @throws RangeError when flops is negative or not a number.
 * @example
 * ```ts
 * setMatmulParallelThreshold(0); // split even small products (tests)
 * ```
 */
export function setMatmulParallelThreshold(flops: number): void {
  if (!(flops >= 0)) throw new RangeError(`setMatmulParallelThreshold: flops is ${flops}, must be ≥ 0`);
  parallelMinFlops = flops;
}

function ensureBytes(s: WasmState, bytes: number): boolean {
  const have = s.memory.buffer.byteLength;
  if (bytes > have) {
    const pages = Math.ceil((bytes - have) / PAGE);
    if (have / PAGE + pages > MATMUL_WASM_MAX_PAGES && s.shared) return false;
    try {
      s.memory.grow(pages);
    } catch {
      return false;
    }
  }
  if (s.f32.buffer !== s.memory.buffer || s.f32.length * 4 !== s.memory.buffer.byteLength) {
    s.f32 = new Float32Array(s.memory.buffer);
    s.i32 = new Int32Array(s.memory.buffer, CTRL, CTRL_WORDS);
  }
  return true;
}

/** Starts workers up to `count` and waits (blocking) until each has instantiated the kernel. */
function ensureWorkers(s: WasmState, count: number): boolean {
  if (!s.workersOk) return false;
  if (s.workers.length >= count) return true;
  const wt = nodeBuiltin<{ Worker: WorkerCtor }>("node:worker_threads");
  if (!wt?.Worker) {
    s.workersOk = false;
    return false;
  }
  try {
    const before = Atomics.load(s.i32, READY);
    const start = s.workers.length;
    for (let id = start; id < count; id++) {
      const w = new wt.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: s.module, memory: s.memory, ctrl: CTRL, id },
        // Not the parent's flags: loaders or --input-type would change how the eval'd source runs.
        execArgv: [],
      });
      // A worker that dies must not take the process down; its job slot is then never served, so stop using the pool.
      w.on("error", () => {
        if (state) state.workersOk = false;
      });
      w.unref();
      s.workers.push(w);
    }
    const want = before + (count - start);
    const deadline = Date.now() + 10_000;
    let r: number;
    while ((r = Atomics.load(s.i32, READY)) < want) {
      if (Date.now() > deadline) throw new Error("matmul workers did not start");
      Atomics.wait(s.i32, READY, r, 100);
    }
    if (Atomics.load(s.i32, START_FAILED) !== 0) throw new Error("a matmul worker could not instantiate the kernel");
    return true;
  } catch {
    for (const w of s.workers) void w.terminate();
    s.workers = [];
    s.workersOk = false;
    return false;
  }
}

/**
 * Matrix–vector products (m = 1 or n = 1): memory-bound, so the matrix is streamed once without packing or
 * padding (a 1-row C through the tiled kernel would compute 4× or 8× the work). Single-threaded.
 */
function gemv(
  s: WasmState,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): boolean {
  // With m = 1, c = a·op(B): the matrix is B ([k, n], rows walked: axpy; or [n, k], rows dotted).
  // With n = 1, c = op(A)·b: the matrix is A ([m, k], rows dotted; or [k, m], rows walked: axpy).
  const rowVector = m === 1;
  const mat = rowVector ? b : a;
  const vec = rowVector ? a : b;
  const matLen = k * (rowVector ? n : m);
  const dot = rowVector ? transB : !transA;
  const outLen = rowVector ? n : m;
  const offM = DATA;
  const offV = alignUp(offM + matLen * 4, 64);
  const offO = alignUp(offV + k * 4, 64);
  const end = offO + outLen * 4;
  if (end > memoryLimit || !ensureBytes(s, end)) return false;
  const f32 = s.f32;
  f32.set(mat.length === matLen ? mat : mat.subarray(0, matLen), offM >> 2);
  f32.set(vec.subarray(0, k), offV >> 2);
  if (dot) s.exports.gemvDot(offM, offV, offO, outLen, k);
  else s.exports.gemvAxpy(offM, offV, offO, k, outLen);
  c.set(f32.subarray(offO >> 2, (offO >> 2) + outLen));
  return true;
}

/**
 * Runs `gelu` (grad false) or its derivative (grad true) of x into out with the module's SIMD kernels
 * (assembly/gelu.ts) on the calling thread: x is copied into the kernel memory and the result out.
 *
 * @returns false, leaving out untouched, when the wasm kernel is unavailable or x does not fit its memory.
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * geluWasm(new Float32Array([0]), out, true); // out = [0.5]
 * ```
 */
export function geluWasm(x: Float32Array, out: Float32Array, grad: boolean): boolean {
  const s = getState();
  if (s === null) return false;
  const n = x.length;
  const offX = DATA;
  const offY = alignUp(offX + n * 4, 64);
  const end = alignUp(offY + n * 4, 64);
  if (end > memoryLimit || !ensureBytes(s, end)) return false;
  const f32 = s.f32;
  f32.set(x, offX >> 2);
  if (grad) s.exports.geluGradF32(offX, offY, n);
  else s.exports.geluF32(offX, offY, n);
  out.set(f32.subarray(offY >> 2, (offY >> 2) + n));
  return true;
}

/**
 * Runs a product too large for the kernel's memory as blocks of C's rows, each small enough to fit
 * (op(A)'s rows are copied out when A is transposed). False when even a few rows do not fit (B too large).
 */
function chunkRows(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  nThreads: number,
): boolean {
  if (m <= 8) return false;
  const half = Math.ceil(m / 2);
  for (let i0 = 0; i0 < m; i0 += half) {
    const rows = Math.min(half, m - i0);
    let aRows: Float32Array;
    if (!transA) aRows = a.subarray(i0 * k, (i0 + rows) * k);
    else {
      aRows = new Float32Array(k * rows); // columns [i0, i0+rows) of the [k, m] matrix A, still [k, rows]
      for (let p = 0; p < k; p++) aRows.set(a.subarray(p * m + i0, p * m + i0 + rows), p * rows);
    }
    if (!matmulF32Wasm(aRows, b, c.subarray(i0 * n, (i0 + rows) * n), rows, k, n, transA, transB, nThreads)) return false;
  }
  return true;
}

/**
 * Caps the WebAssembly memory the matmul kernel may use. Products whose operands, packed copies and result
 * do not fit run in blocks of rows of C; where even that does not fit, `matmulF32` uses the plain-JS kernel.
 *
 * @param bytes - cap in bytes, at least 1 MiB; the shared memory cannot pass 1 GiB whatever the cap.
 * @throws RangeError when bytes is below 1 MiB or not a number.
 * @example
 * ```ts
 * setMatmulMemoryLimit(256 * 2 ** 20); // at most 256 MiB of kernel memory
 * ```
 */
export function setMatmulMemoryLimit(bytes: number): void {
  if (!(bytes >= 2 ** 20)) throw new RangeError(`setMatmulMemoryLimit: bytes is ${bytes}, must be ≥ 1 MiB (1048576)`);
  memoryLimit = bytes;
}

/**
 * Runs the `count` entries of the job list at byte offset `list` on `t` threads (the caller and t − 1 workers), each
 * thread claiming entries from the NEXT counter until none is left. Blocks in Atomics.wait until every woken
 * worker has reported, so no worker touches the list or the kernel memory after this returns.
 *
 * @throws Error when a kernel trapped in any thread.
 */
function runJobs(s: WasmState, list: number, count: number, t: number): void {
  const I = s.i32;
  Atomics.store(I, DONE, 0);
  Atomics.store(I, ERROR, 0);
  Atomics.store(I, NEXT, 0);
  for (let w = 0; w < t - 1; w++) {
    const o = JOB0 + w * JOB_WORDS;
    I[o + JOB_LIST] = list;
    I[o + JOB_COUNT] = count;
    Atomics.add(I, o + JOB_SEQ, 1);
    Atomics.notify(I, o + JOB_SEQ);
  }
  const x = s.exports;
  const J = new Int32Array(s.memory.buffer, list, count * ENTRY_WORDS);
  let error: unknown;
  try {
    for (let e = Atomics.add(I, NEXT, 1); e < count; e = Atomics.add(I, NEXT, 1)) {
      const q = e * ENTRY_WORDS;
      if (J[q + 7] > J[q + 6]) x.packA(J[q], J[q + 1], J[q + 2], J[q + 3], J[q + 4], J[q + 5], J[q + 6], J[q + 7]);
      const b = q + ENTRY_PACK_B;
      if (J[b + 7] > J[b + 6]) x.packB(J[b], J[b + 1], J[b + 2], J[b + 3], J[b + 4], J[b + 5], J[b + 6], J[b + 7]);
      const g = q + ENTRY_GEMM;
      x.gemmPacked(J[g], J[g + 1], J[g + 2], J[g + 3], J[g + 4], J[g + 5], J[g + 6], J[g + 7], J[g + 8]);
    }
  } catch (e) {
    error = e;
    Atomics.store(I, NEXT, count); // let the workers stop early
  }
  let d: number;
  while ((d = Atomics.load(I, DONE)) < t - 1) Atomics.wait(I, DONE, d);
  if (error !== undefined) throw error;
  if (Atomics.load(I, ERROR) !== 0) throw new Error("matmulF32Wasm: a worker's kernel trapped");
}

/** Copies the m×n result out of the kernel's padded C (row stride nPad, at float index `from`) into c at `to`. */
function copyOutC(f32: Float32Array, from: number, c: Float32Array, to: number, m: number, n: number, nPad: number): void {
  if (nPad === n) c.set(f32.subarray(from, from + m * n), to);
  else for (let i = 0; i < m; i++) c.set(f32.subarray(from + i * nPad, from + i * nPad + n), to + i * n);
}

function alignUp(x: number, q: number): number {
  return Math.ceil(x / q) * q;
}

/**
 * WebAssembly SIMD float32 matrix product C = op(A)·op(B) (same contract as `matmulF32`), with the thread count
 * chosen explicitly. Operands are copied into the kernel's memory, A is packed into row panels and B into
 * column panels (this is where the four transpose variants meet), a 4×8 f32x4 register tile runs over k-blocks
 * of 256, and C is copied out. With `nThreads` > 1 and a product of at least the parallel threshold, C is cut
 * into blocks of rows (or of columns when C has few rows), about four per thread, which the calling thread and the
 * workers claim one at a time (each packs its block of A, or of B, and computes it); the calling thread then
 * blocks in `Atomics.wait` for the rest. Matrix–vector products (m = 1 or n = 1) skip packing and stream the
 * matrix once.
 *
 * @param a - A, row-major: [m, k], or [k, m] when `transA`.
 * @param b - B, row-major: [k, n], or [n, k] when `transB`.
 * @param c - output, row-major [m, n]; overwritten.
 * @param m - rows of C.
 * @param k - inner dimension.
 * @param n - columns of C.
 * @param transA - use Aᵀ.
 * @param transB - use Bᵀ.
 * @param nThreads - threads to use at most (default: {@link getMatmulThreads}).
 * @returns false when the wasm kernel is unavailable or even a block of a few rows of C does not fit its memory
 *   (c is then not fully written and the caller falls back to the JS kernel).
 * @throws RangeError when a size is not a non-negative integer or a buffer is too short.
 * @example
 * ```ts
 * const c = new Float32Array(4);
 * matmulF32Wasm(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c, 2, 2, 2, false, false, 1);
 * // c = [19, 22, 43, 50]
 * ```
 */
export function matmulF32Wasm(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  nThreads: number = threads,
): boolean {
  checkMatmulArgs("matmulF32Wasm", a, b, c, m, k, n);
  const s = getState();
  if (s === null) return false;
  if (m === 0 || n === 0) return true;
  if (k === 0) {
    c.fill(0, 0, m * n);
    return true;
  }
  if (m === 1 || n === 1) return gemv(s, a, b, c, m, k, n, transA, transB);
  const { mr, nr } = s;
  const mPad = alignUp(m, mr);
  const nPad = alignUp(n, nr);
  const offA = DATA;
  const offB = alignUp(offA + m * k * 4, 64);
  const offAP = alignUp(offB + k * n * 4, 64);
  const offBP = alignUp(offAP + mPad * k * 4, 64);
  const offC = alignUp(offBP + k * nPad * 4, 64);
  const list = alignUp(offC + mPad * nPad * 4, 64); // job list of a threaded run
  const end = list + nThreads * CHUNKS_PER_THREAD * ENTRY_WORDS * 4;
  if (end > memoryLimit || !ensureBytes(s, end)) return chunkRows(a, b, c, m, k, n, transA, transB, nThreads);
  const f32 = s.f32;
  f32.set(a.length === m * k ? a : a.subarray(0, m * k), offA >> 2);
  f32.set(b.length === k * n ? b : b.subarray(0, k * n), offB >> 2);
  const rsA = transA ? 1 : k;
  const csA = transA ? m : 1;
  const rsB = transB ? 1 : n;
  const csB = transB ? k : 1;

  const mTiles = mPad / mr;
  const nTiles = nPad / nr;
  const byRows = mTiles >= nTiles || mTiles >= 4 * nThreads;
  let t = Math.min(nThreads, byRows ? mTiles : nTiles);
  if (2 * m * k * n < parallelMinFlops) t = 1;
  if (t > 1 && !ensureWorkers(s, t - 1)) t = 1;

  if (t === 1) {
    const x = s.exports;
    x.packA(offA, offAP, m, k, rsA, csA, 0, mPad);
    x.packB(offB, offBP, k, n, rsB, csB, 0, nPad);
    x.gemmPacked(offAP, offBP, offC, k, nPad, 0, mPad, 0, nPad);
  } else {
    // The shared operand (B when C is split by rows, A when by columns) is packed first, on this thread; then
    // every entry packs one block of the other operand and computes that block of C. About CHUNKS_PER_THREAD
    // entries per thread, claimed dynamically, absorb a worker's wake-up delay.
    const x = s.exports;
    const tiles = byRows ? mTiles : nTiles;
    const step = byRows ? mr : nr;
    const per = Math.max(1, Math.ceil(tiles / (t * CHUNKS_PER_THREAD)));
    const count = Math.ceil(tiles / per);
    if (byRows) x.packB(offB, offBP, k, n, rsB, csB, 0, nPad);
    else x.packA(offA, offAP, m, k, rsA, csA, 0, mPad);
    const J = new Int32Array(s.memory.buffer, list, count * ENTRY_WORDS);
    for (let e = 0; e < count; e++) {
      const lo = e * per * step;
      const hi = Math.min(tiles, (e + 1) * per) * step;
      J.set(
        byRows
          ? [...[offA, offAP, m, k, rsA, csA, lo, hi], ...[0, 0, 0, 0, 0, 0, 0, 0], ...[offAP, offBP, offC, k, nPad, lo, hi, 0, nPad]]
          : [...[0, 0, 0, 0, 0, 0, 0, 0], ...[offB, offBP, k, n, rsB, csB, lo, hi], ...[offAP, offBP, offC, k, nPad, 0, mPad, lo, hi]],
        e * ENTRY_WORDS,
      );
    }
    runJobs(s, list, count, t);
  }

  copyOutC(f32, offC >> 2, c, 0, m, n, nPad);
  return true;
}

/**
 * Batched WebAssembly SIMD product: C[t] = op(A[aIndex[t]])·op(B[bIndex[t]]) for t in [0, batch), with A a
 * stack of [m, k] matrices ([k, m] when `transA`), B a stack of [k, n] ([n, k] when `transB`) and C
 * [batch, m, n]. Products large enough to split run one after the other, each across the threads; many small
 * ones (attention heads) are shared out whole, each thread claiming the next unclaimed product. Results are
 * bit-identical to one `matmulF32Wasm` call per item.
 *
 * @param a - stacked A matrices, row-major.
 * @param b - stacked B matrices, row-major.
 * @param c - output [batch, m, n]; overwritten.
 * @param m - rows of each C.
 * @param k - inner dimension.
 * @param n - columns of each C.
 * @param transA - use each Aᵀ.
 * @param transB - use each Bᵀ.
 * @param batch - number of products.
 * @param aIndex - matrix of A used by product t (broadcasting repeats an index).
 * @param bIndex - matrix of B used by product t.
 * @param nThreads - threads to use at most (default: {@link getMatmulThreads}).
 * @returns false (c untouched) when the wasm kernel is unavailable; true when c is complete (a product too large for
 *   the kernel memory is computed by the plain-JS kernel).
 * @throws RangeError when a size or index is invalid or a buffer too short (see `checkBatchedMatmulArgs`).
 * @example
 * ```ts
 * const c = new Float32Array(2);
 * matmulF32BatchedWasm(new Float32Array([1, 2]), new Float32Array([3, 4]), c, 1, 1, 1, false, false, 2, [0, 1], [1, 0]);
 * // c = [4, 6]
 * ```
 */
export function matmulF32BatchedWasm(
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  batch: number,
  aIndex: ArrayLike<number>,
  bIndex: ArrayLike<number>,
  nThreads: number = threads,
): boolean {
  const { numA, numB } = checkBatchedMatmulArgs("matmulF32BatchedWasm", a, b, c, m, k, n, batch, aIndex, bIndex);
  const s = getState();
  if (s === null) return false;
  const as = m * k;
  const bs = k * n;
  const cs = m * n;
  const flops = 2 * m * k * n;
  const t = Math.min(nThreads, batch);
  const oneByOne = t === 1 || k === 0 || cs === 0 || m === 1 || n === 1 || flops >= parallelMinFlops || flops * batch < parallelMinFlops;
  const { mr, nr } = s;
  const mPad = alignUp(m, mr);
  const nPad = alignUp(n, nr);
  const offA = DATA;
  const offB = alignUp(offA + numA * as * 4, 64);
  const scratch = alignUp(offB + numB * bs * 4, 64);
  const packABytes = alignUp(mPad * k * 4, 64);
  const scratchBytes = packABytes + alignUp(k * nPad * 4, 64);
  const offC = scratch + batch * scratchBytes; // each product packs into its own scratch: any thread may claim it
  const list = alignUp(offC + batch * mPad * nPad * 4, 64);
  const end = list + batch * ENTRY_WORDS * 4;
  if (oneByOne || end > memoryLimit || !ensureBytes(s, end) || !ensureWorkers(s, t - 1)) {
    forEachProduct(a, b, c, m, k, n, batch, aIndex, bIndex, (ai, bi, ci) => {
      if (!matmulF32Wasm(ai, bi, ci, m, k, n, transA, transB, nThreads)) matmulF32Js(ai, bi, ci, m, k, n, transA, transB);
    });
    return true;
  }
  const f32 = s.f32;
  f32.set(a.subarray(0, numA * as), offA >> 2);
  f32.set(b.subarray(0, numB * bs), offB >> 2);
  const J = new Int32Array(s.memory.buffer, list, batch * ENTRY_WORDS);
  for (let e = 0; e < batch; e++) {
    const ap = scratch + e * scratchBytes;
    const bp = ap + packABytes;
    const ce = offC + e * mPad * nPad * 4;
    J.set(
      [
        ...[offA + aIndex[e] * as * 4, ap, m, k, transA ? 1 : k, transA ? m : 1, 0, mPad],
        ...[offB + bIndex[e] * bs * 4, bp, k, n, transB ? 1 : n, transB ? k : 1, 0, nPad],
        ...[ap, bp, ce, k, nPad, 0, mPad, 0, nPad],
      ],
      e * ENTRY_WORDS,
    );
  }
  runJobs(s, list, batch, t);
  for (let e = 0; e < batch; e++) copyOutC(f32, (offC >> 2) + e * mPad * nPad, c, e * cs, m, n, nPad);
  return true;
}
