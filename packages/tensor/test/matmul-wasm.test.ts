// SPDX-License-Identifier: MIT
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fc, test } from "@fast-check/vitest";
import { afterAll, describe, expect, it } from "vitest";
import { matmulF32, matmulF32Batched } from "../src/backends/cpu/matmul.js";
import { matmulF32Js } from "../src/backends/cpu/matmul-js.js";
import {
  getMatmulThreads,
  MATMUL_PARALLEL_MIN_FLOPS,
  matmulF32BatchedWasm,
  matmulF32Wasm,
  matmulWasmAvailable,
  matmulWorkerCount,
  setMatmulMemoryLimit,
  setMatmulParallelThreshold,
  setMatmulThreads,
  wasmSimdSupported,
} from "../src/backends/cpu/matmul-wasm.js";
import { MATMUL_WASM_PLAIN_BASE64, MATMUL_WASM_SHARED_BASE64 } from "../src/backends/cpu/matmul-wasm-module.js";

type Kernel = (a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean) => void;

/** Deterministic operands: small integers (every partial sum exact in float32) or uniform floats in [-1, 1). */
function operand(len: number, seed: number, integers: boolean): Float32Array {
  let s = seed >>> 0 || 1;
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = integers ? (s >>> 29) - 3 : (s / 2 ** 32) * 2 - 1;
  }
  return x;
}

/** float64 reference of op(A)·op(B) and of Σ|op(A)||op(B)| (the scale of the float32 rounding bound). */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean) {
  const c = new Float64Array(m * n);
  const abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const v = (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
        s += v;
        t += Math.abs(v);
      }
      c[i * n + j] = s;
      abs[i * n + j] = t;
    }
  return { c, abs };
}

/**
 * Index of the first entry outside the float32 dot-product bound |ĉ − c| ≤ (k+2)·2⁻²⁴·Σ|a||b| (Higham, Accuracy and
 * Stability of Numerical Algorithms, §3.1, γ_k with separate multiply and add roundings), or -1 when all are inside.
 * With integer operands (exact in float32) the bound is 0: the product must be exact.
 */
function firstViolation(got: Float32Array, ref: { c: Float64Array; abs: Float64Array }, k: number, exact: boolean): number {
  const u = 2 ** -24;
  for (let i = 0; i < ref.c.length; i++) {
    const tol = exact ? 0 : (k + 2) * u * ref.abs[i];
    if (!(Math.abs(got[i] - ref.c[i]) <= tol)) return i;
  }
  return -1;
}

function run(kernel: Kernel, a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean) {
  const c = new Float32Array(m * n).fill(Number.NaN); // C must be overwritten, not accumulated into
  kernel(a, b, c, m, k, n, tA, tB);
  return c;
}

const wasm1: Kernel = (a, b, c, m, k, n, tA, tB) => {
  expect(matmulF32Wasm(a, b, c, m, k, n, tA, tB, 1)).toBe(true);
};
const wasm3: Kernel = (a, b, c, m, k, n, tA, tB) => {
  expect(matmulF32Wasm(a, b, c, m, k, n, tA, tB, 3)).toBe(true);
};

// Sizes 1..70, biased to primes, 1, and values just off the 4×8 tile and the 256 k-block.
const dim = fc.oneof(fc.integer({ min: 1, max: 70 }), fc.constantFrom(1, 2, 3, 5, 7, 9, 11, 13, 17, 31, 33, 61, 67));
const kDim = fc.oneof(dim, fc.constantFrom(255, 256, 257, 300));
const shape = fc.record({ m: dim, k: kDim, n: dim, tA: fc.boolean(), tB: fc.boolean(), seed: fc.integer(), integers: fc.boolean() });

afterAll(() => {
  setMatmulMemoryLimit(2 ** 30);
  setMatmulThreads(2);
  setMatmulParallelThreshold(MATMUL_PARALLEL_MIN_FLOPS);
});

describe("wasm simd matmul", () => {
  it("is available on this engine (Node 20 has SIMD, threads and shared memory)", () => {
    expect(wasmSimdSupported()).toBe(true);
    expect(matmulWasmAvailable()).toBe(true);
    expect(getMatmulThreads()).toBeGreaterThanOrEqual(1);
  });

  test.prop([shape], { numRuns: 150 })("every transpose variant and odd shape matches the float64 reference", (s) => {
    const { m, k, n, tA, tB, seed, integers } = s;
    const a = operand(m * k, seed, integers);
    const b = operand(k * n, seed ^ 0x5bd1e995, integers);
    const ref = reference(a, b, m, k, n, tA, tB);
    for (const kernel of [wasm1, matmulF32, matmulF32Js]) {
      expect(firstViolation(run(kernel, a, b, m, k, n, tA, tB), ref, k, integers)).toBe(-1);
    }
  });

  const vectorShape = fc.record({
    rowVector: fc.boolean(),
    k: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constantFrom(1, 3, 4, 15, 16, 17)),
    len: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.constantFrom(1, 3, 4, 5, 7)),
    tA: fc.boolean(),
    tB: fc.boolean(),
    seed: fc.integer(),
    integers: fc.boolean(),
  });
  test.prop([vectorShape], { numRuns: 80 })("matrix–vector products (m = 1 or n = 1) match the reference in every layout", (s) => {
    const { rowVector, k, len, tA, tB, seed, integers } = s;
    const [m, n] = rowVector ? [1, len] : [len, 1];
    const a = operand(m * k, seed, integers);
    const b = operand(k * n, seed ^ 0x2545f491, integers);
    const ref = reference(a, b, m, k, n, tA, tB);
    expect(firstViolation(run(wasm1, a, b, m, k, n, tA, tB), ref, k, integers)).toBe(-1);
  });

  test.prop([shape], { numRuns: 60 })("threads (rows or columns split) give bit-identical results to one thread", (s) => {
    setMatmulParallelThreshold(0);
    const { m, k, n, tA, tB, seed, integers } = s;
    const a = operand(m * k, seed, integers);
    const b = operand(k * n, seed + 1, integers);
    expect(run(wasm3, a, b, m, k, n, tA, tB)).toEqual(run(wasm1, a, b, m, k, n, tA, tB));
  });

  const batchedCase = fc.record({
    batch: fc.integer({ min: 1, max: 7 }),
    m: fc.integer({ min: 1, max: 24 }),
    k: fc.integer({ min: 1, max: 40 }),
    n: fc.integer({ min: 1, max: 24 }),
    tA: fc.boolean(),
    tB: fc.boolean(),
    numA: fc.integer({ min: 1, max: 3 }),
    numB: fc.integer({ min: 1, max: 3 }),
    picks: fc.array(fc.nat(), { minLength: 14, maxLength: 14 }),
    threads: fc.constantFrom(1, 2, 3),
    seed: fc.integer(),
  });
  test.prop([batchedCase], { numRuns: 60 })(
    "batched products (items shared out across threads, broadcast indices) equal one matmulF32Wasm per item, bit for bit",
    (s) => {
      const { batch, m, k, n, tA, tB, numA, numB, picks, threads, seed } = s;
      // Each item below the threshold, all of them together at it: the items are shared out across threads.
      setMatmulParallelThreshold(2 * m * k * n * batch);
      const a = operand(numA * m * k, seed, false);
      const b = operand(numB * k * n, seed + 7, false);
      const aIndex = Array.from({ length: batch }, (_, t) => picks[t] % numA);
      const bIndex = Array.from({ length: batch }, (_, t) => picks[7 + t] % numB);
      const c = new Float32Array(batch * m * n).fill(Number.NaN);
      expect(matmulF32BatchedWasm(a, b, c, m, k, n, tA, tB, batch, aIndex, bIndex, threads)).toBe(true);
      const one = new Float32Array(m * n);
      for (let t = 0; t < batch; t++) {
        const ai = a.subarray(aIndex[t] * m * k, (aIndex[t] + 1) * m * k);
        const bi = b.subarray(bIndex[t] * k * n, (bIndex[t] + 1) * k * n);
        matmulF32Wasm(ai, bi, one, m, k, n, tA, tB, 1);
        expect(c.subarray(t * m * n, (t + 1) * m * n)).toEqual(one);
        expect(firstViolation(one, reference(ai, bi, m, k, n, tA, tB), k, false)).toBe(-1);
      }
      const viaWrapper = new Float32Array(batch * m * n);
      matmulF32Batched(a, b, viaWrapper, m, k, n, tA, tB, batch, aIndex, bIndex);
      expect(viaWrapper).toEqual(c);
    },
  );

  it("shares out many small products to a worker, and names bad batch arguments", () => {
    setMatmulParallelThreshold(MATMUL_PARALLEL_MIN_FLOPS);
    const [batch, m, k, n] = [16, 32, 48, 40]; // 123 kFLOP each, 2 MFLOP in all
    const a = operand(batch * m * k, 21, true);
    const b = operand(k * n, 22, true);
    const idx = Array.from({ length: batch }, (_, t) => t);
    const zeros = new Array<number>(batch).fill(0);
    const serial = new Float32Array(batch * m * n);
    matmulF32BatchedWasm(a, b, serial, m, k, n, false, false, batch, idx, zeros, 2);
    setMatmulParallelThreshold(1 << 20); // above one item, below all of them: shared out
    const shared = new Float32Array(batch * m * n);
    matmulF32BatchedWasm(a, b, shared, m, k, n, false, false, batch, idx, zeros, 2);
    expect(shared).toEqual(serial);
    expect(matmulWorkerCount()).toBeGreaterThanOrEqual(1);
    const z = new Float32Array(8);
    expect(() => matmulF32Batched(z, z, z, 1, 1, 1, false, false, 2, [0], [0, 0])).toThrow(/aIndex has length 1, needs batch = 2/);
    expect(() => matmulF32Batched(z, z, z, 1, 1, 1, false, false, 2, [0, 1.5], [0, 0])).toThrow(/aIndex\[1\] is 1.5/);
    expect(() => matmulF32Batched(z, z, z, 1, 1, 1, false, false, 1, [9], [0])).toThrow(/a has length 8, needs 10 matrices/);
    expect(() => matmulF32Batched(z, z, z, 1, 1, 1, false, false, -1, [], [])).toThrow(/batch is -1/);
  });

  it("splits a large product across 2 threads and matches one thread (wide C: column split; tall C: row split)", () => {
    setMatmulParallelThreshold(0);
    for (const [m, k, n] of [
      [3, 64, 520],
      [300, 130, 45],
    ]) {
      const a = operand(m * k, 7, false);
      const b = operand(k * n, 8, false);
      const one = new Float32Array(m * n);
      const two = new Float32Array(m * n);
      matmulF32Wasm(a, b, one, m, k, n, false, true, 1);
      matmulF32Wasm(a, b, two, m, k, n, false, true, 2);
      expect(two).toEqual(one);
      expect(matmulWorkerCount()).toBeGreaterThanOrEqual(1);
      expect(firstViolation(two, reference(a, b, m, k, n, false, true), k, false)).toBe(-1);
    }
  });

  it("grows its memory for a larger product and stays correct for a small one afterwards", () => {
    for (const [m, k, n] of [
      [400, 300, 350],
      [5, 3, 2],
    ]) {
      const a = operand(m * k, m, true);
      const b = operand(k * n, n, true);
      expect(firstViolation(run(matmulF32, a, b, m, k, n, true, false), reference(a, b, m, k, n, true, false), k, true)).toBe(-1);
    }
  });

  it("runs products larger than its memory cap in blocks of rows (both A layouts), and falls back when B alone is too big", () => {
    setMatmulMemoryLimit(2 ** 20);
    try {
      for (const tA of [false, true]) {
        // A, packed A (320 kB each), B, packed B (96 kB each), C (192 kB) and the 68 kB header: 1.1 MB > 1 MiB,
        // while blocks of 200 rows (0.69 MB) fit.
        const [m, k, n] = [400, 200, 120];
        const a = operand(m * k, 3, true);
        const b = operand(k * n, 4, true);
        const c = new Float32Array(m * n).fill(Number.NaN);
        expect(matmulF32Wasm(a, b, c, m, k, n, tA, true, 2)).toBe(true);
        expect(firstViolation(c, reference(a, b, m, k, n, tA, true), k, true)).toBe(-1);
      }
      const [m, k, n] = [16, 400, 400]; // B alone is 640 kB, twice that with its packed copy
      const a = operand(m * k, 5, true);
      const b = operand(k * n, 6, true);
      expect(matmulF32Wasm(a, b, new Float32Array(m * n), m, k, n, false, false, 1)).toBe(false);
      expect(firstViolation(run(matmulF32, a, b, m, k, n, false, false), reference(a, b, m, k, n, false, false), k, true)).toBe(-1);
    } finally {
      setMatmulMemoryLimit(2 ** 30);
    }
  });

  it("handles empty shapes and k = 0 (C = 0)", () => {
    const c = new Float32Array(6).fill(9);
    matmulF32(new Float32Array(0), new Float32Array(0), c, 2, 0, 3, false, false);
    expect(Array.from(c)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(() => matmulF32(new Float32Array(0), new Float32Array(4), new Float32Array(0), 0, 2, 2, false, false)).not.toThrow();
  });

  it("reads only the first m·k / k·n elements of longer buffers", () => {
    const c = new Float32Array(1);
    matmulF32(new Float32Array([2, 3, 99]), new Float32Array([4, 5, 99]), c, 1, 2, 1, false, false);
    expect(c[0]).toBe(23);
  });

  it("names the function, the argument and the value on bad input", () => {
    const z = new Float32Array(4);
    expect(() => matmulF32(z, z, z, 2, 2.5, 2, false, false)).toThrow(/matmulF32Wasm: k is 2.5/);
    expect(() => matmulF32(z, new Float32Array(3), z, 2, 2, 2, false, false)).toThrow(/b has length 3, needs k\*n = 2\*2 = 4/);
    expect(() => matmulF32Js(z, z, new Float32Array(1), 2, 2, 2, false, false)).toThrow(/matmulF32Js: c has length 1/);
    expect(() => setMatmulThreads(0)).toThrow(/setMatmulThreads: n is 0/);
    expect(() => setMatmulMemoryLimit(10)).toThrow(/setMatmulMemoryLimit: bytes is 10/);
    expect(() => setMatmulParallelThreshold(-1)).toThrow(/setMatmulParallelThreshold: flops is -1/);
  });

  it("the check catches plausible wrong kernels (wrong transpose, a dropped k term, a missing edge column)", () => {
    const [m, k, n] = [9, 13, 11];
    const a = operand(m * k, 1, false);
    const b = operand(k * n, 2, false);
    const ref = reference(a, b, m, k, n, false, false);
    // Reads B as if transposed: only a square B could hide this, and 13 × 11 is not square.
    const bSq = operand(k * k, 3, false);
    const refSq = reference(a, bSq, m, k, k, false, false);
    expect(firstViolation(run(wasm1, a, bSq, m, k, k, false, true), refSq, k, false)).not.toBe(-1);
    // Drops the last term of every dot product (an off-by-one in the k loop).
    const aDrop = a.slice();
    for (let i = 0; i < m; i++) aDrop[i * k + k - 1] = 0;
    expect(firstViolation(run(wasm1, aDrop, b, m, k, n, false, false), ref, k, false)).not.toBe(-1);
    // Leaves the last column (past the 8-wide tile) unwritten.
    const missing = run(wasm1, a, b, m, k, n, false, false);
    for (let i = 0; i < m; i++) missing[i * n + n - 1] = 0;
    expect(firstViolation(missing, ref, k, false)).not.toBe(-1);
  });

  // The V8 flag that hides SSE4.1 (and with it wasm SIMD) exists on x64 only.
  it.skipIf(process.arch !== "x64")("falls back to the JS kernel where WebAssembly SIMD is unavailable (V8 without SSE4.1 rejects SIMD)", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const src = join(here, "..", "src", "backends", "cpu", "matmul-public.ts");
    const script = `
      const { matmulF32, matmulF32Batched, matmulWasmAvailable, wasmSimdSupported } = await import(${JSON.stringify(src)});
      const c = new Float32Array(4);
      matmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([5, 6, 7, 8]), c, 2, 2, 2, false, true);
      const cb = new Float32Array(2);
      matmulF32Batched(new Float32Array([1, 2]), new Float32Array([3]), cb, 1, 1, 1, false, true, 2, [0, 1], [0, 0]);
      let bad = "no error";
      try { matmulF32Batched(cb, cb, cb, 1, 1, 1, false, false, 1, [9], [0]); } catch (e) { bad = e.message; }
      console.log(wasmSimdSupported(), matmulWasmAvailable(), Array.from(c).join(","), Array.from(cb).join(","), bad);`;
    const r = spawnSync(process.execPath, ["--no-enable-sse4-1", "--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
      cwd: here,
    });
    expect(r.stderr).toBe("");
    // [1 2; 3 4]·[5 6; 7 8]ᵀ = [17 23; 39 53]; batched [1]·[3]ᵀ, [2]·[3]ᵀ = [3, 6]; a bad index is still rejected.
    expect(r.stdout.trim()).toBe("false false 17,23,39,53 3,6 matmulF32BatchedWasm: a has length 2, needs 10 matrices of m*k = 1*1");
  });

  it("lets a process that used worker threads exit by itself (workers are unref'd)", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const src = join(here, "..", "src", "backends", "cpu", "matmul-wasm.ts");
    const script = `
      const { matmulF32Wasm, matmulWorkerCount, setMatmulParallelThreshold } = await import(${JSON.stringify(src)});
      setMatmulParallelThreshold(0);
      const a = new Float32Array(64 * 64).fill(1);
      const c = new Float32Array(64 * 64);
      matmulF32Wasm(a, a, c, 64, 64, 64, false, false, 2);
      console.log(c[0], matmulWorkerCount());`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
      cwd: here,
    });
    expect(r.error).toBeUndefined();
    expect(r.stdout.trim()).toBe("64 1"); // right result, and computed with one worker started
    expect(r.status).toBe(0);
  });
});

describe("committed wasm module", () => {
  it("has an unshared variant (for hosts without SharedArrayBuffer) that computes the same product", () => {
    // The host picks this variant only where a shared memory cannot be created, so drive its exports directly.
    const W = (globalThis as unknown as { WebAssembly: any }).WebAssembly;
    const memory = new W.Memory({ initial: 4 });
    const x = new W.Instance(new W.Module(Buffer.from(MATMUL_WASM_PLAIN_BASE64, "base64")), { env: { memory } }).exports;
    const [m, k, n] = [5, 7, 9];
    const a = operand(m * k, 11, true);
    const b = operand(k * n, 12, true);
    const f32 = new Float32Array(memory.buffer);
    const [oA, oB, oAP, oBP, oC] = [65536, 66560, 67584, 68608, 70656];
    f32.set(a, oA / 4);
    f32.set(b, oB / 4);
    x.packA(oA, oAP, m, k, k, 1, 0, 8);
    x.packB(oB, oBP, k, n, n, 1, 0, 16);
    x.gemmPacked(oAP, oBP, oC, k, 16, 0, 8, 0, 16);
    const c = new Float32Array(m * n);
    for (let i = 0; i < m; i++) c.set(f32.subarray(oC / 4 + i * 16, oC / 4 + i * 16 + n), i * n);
    expect(firstViolation(c, reference(a, b, m, k, n, false, false), k, true)).toBe(-1);
  });

  it("is reproduced byte for byte by rebuilding assembly/matmul.ts", async (ctx) => {
    let build: typeof import("../scripts/build-wasm.js") | undefined;
    try {
      build = await import("../scripts/build-wasm.js");
    } catch {
      ctx.skip(); // only where the assemblyscript devDependency is not installed
    }
    if (!build) return;
    const bins = await build.buildMatmulWasm();
    expect(Buffer.from(bins.shared).toString("base64")).toBe(MATMUL_WASM_SHARED_BASE64);
    expect(Buffer.from(bins.plain).toString("base64")).toBe(MATMUL_WASM_PLAIN_BASE64);
  });
});
