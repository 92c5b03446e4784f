// SPDX-License-Identifier: MIT
//
// The gpu.js kernels on WebGPU (Dawn in Node.js), compared with the CPU backend: run when an adapter starts
// here (on a machine without a GPU: Dawn's OpenGL ES backend on Mesa llvmpipe through surfaceless EGL), and
// skipped otherwise, with a test that always runs and records why WebGPU is unavailable.

import { describe, expect, it, vi } from "vitest";
import { log, registerBackend, setBackend, setNumericsCheck, tensor } from "../src/index.js";
import { createWebGpuBackend, detectGpu, type WebGpuBackend } from "../src/backends/gpujs/index.js";
import { checkSpec } from "./conformance/check.js";
import { compareWithCpu } from "./conformance/model.js";
import { ALL_SPECS, EMPTY_SPECS, EXTREME_SPECS, LONG_LOOP_SPECS } from "./conformance/specs.js";

let backend: WebGpuBackend | null = null;
let resident: WebGpuBackend | null = null;
let reason = "";
try {
  backend = await createWebGpuBackend();
  resident = await createWebGpuBackend({ name: "gpujs-webgpu-resident", resident: true });
} catch (error) {
  reason = (error as Error).message;
}
const available = backend !== null && resident !== null;

// Every kernel once or twice: each new shape compiles a WGSL pipeline (25–200 ms on llvmpipe).
const WEBGPU_RUNS = 2;
const SPECS = [...ALL_SPECS, ...LONG_LOOP_SPECS, ...EMPTY_SPECS, ...EXTREME_SPECS];

describe("conformance: gpujs-webgpu against the CPU backend", () => {
  it("records whether WebGPU starts here, and why not", () => {
    if (backend === null) {
      console.log(`gpujs-webgpu unavailable: ${reason}`);
      expect(reason).toMatch(/^createWebGpuBackend: /);
    } else {
      const a = backend.adapter;
      console.log(
        `gpujs-webgpu available: ${a.device || a.vendor} (${a.description}), Dawn backend ${a.dawnBackend}, ` +
          `${backend.software ? "software renderer: never selected for speed" : "hardware"}`,
      );
      expect(typeof backend.software).toBe("boolean");
    }
  });

  it("detectGpu recommends WebGPU only for a hardware adapter", async () => {
    const found = await detectGpu();
    expect(found.modes.webgpu.available).toBe(available);
    expect(found.realGpu).toBe(available && !backend!.software);
    expect(found.recommended).toBe(found.realGpu ? "gpujs-webgpu" : "cpu");
    if (available && backend!.software) expect(found.modes.webgpu.note).toMatch(/^software renderer/);
  });

  for (const spec of SPECS) {
    it.skipIf(!available)(spec.label, async () => {
      await checkSpec(backend!, spec, Math.min(WEBGPU_RUNS, spec.numRuns));
    });
  }

  it.skipIf(!available)("public ops and autograd through setBackend: Transformer-shaped loss and gradients", async () => {
    registerBackend("gpujs-webgpu-ops", () => backend!);
    try {
      expect(await compareWithCpu("gpujs-webgpu-ops")).toBeNull();
    } finally {
      setBackend("cpu");
    }
  });

  it.skipIf(!available)("the numerics check skips the asynchronous backend instead of throwing from readSync", async () => {
    registerBackend("gpujs-webgpu-numerics", () => backend!);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      setBackend("gpujs-webgpu-numerics");
      setNumericsCheck(true);
      const y = log(tensor([4, -1]));
      setNumericsCheck(false);
      const [first, second] = Array.from(await y.data());
      expect(first).toBeCloseTo(Math.log(4), 5);
      expect(Number.isNaN(second)).toBe(true);
      expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([expect.stringContaining(`backend "${backend!.name}" is asynchronous`)]);
    } finally {
      warn.mockRestore();
      setNumericsCheck(false);
      setBackend("cpu");
    }
  });

  it.skipIf(!available)("readSync names the pending output and data arrives through read", async () => {
    const b = backend!;
    const x = b.upload(new Float32Array([1, 4, 9]), "float32");
    const y = b.kernels.Unary({ x: { data: x, shape: [3], dtype: "float32" } }, { op: "sqrt" });
    expect(() => b.readSync(y, "float32", 3)).toThrow(/still being computed; use await tensor.data\(\)/);
    expect(Array.from(await b.read(y, "float32", 3))).toEqual([1, 2, 3]);
    expect(Array.from(b.readSync(y, "float32", 3))).toEqual([1, 2, 3]);
  });
});

describe("conformance: resident gpujs-webgpu (outputs stay in device buffers) against the CPU backend", () => {
  for (const spec of SPECS) {
    it.skipIf(!available)(spec.label, async () => {
      await checkSpec(resident!, spec, Math.min(WEBGPU_RUNS, spec.numRuns));
    });
  }

  it.skipIf(!available)("public ops and autograd through setBackend: Transformer-shaped loss and gradients", async () => {
    registerBackend("gpujs-webgpu-resident-ops", () => resident!);
    try {
      expect(await compareWithCpu("gpujs-webgpu-resident-ops")).toBeNull();
    } finally {
      setBackend("cpu");
    }
  });

  it.skipIf(!available)("releases every device buffer: intermediates at once, outputs on dispose (even before use)", async () => {
    const b = resident!;
    await b.flush();
    const live0 = b.runtime.stats.deviceLive;
    const f = (values: number[], shape: number[]) => ({ data: b.upload(new Float32Array(values), "float32"), shape, dtype: "float32" as const });
    const x = f([1, 2, 3, 4, 5, 6], [2, 3]);
    const sm = b.kernels.Softmax({ x }, { rows: 2, cols: 3, causal: null }); // 3 launches, 2 intermediates
    const ln = b.kernels.LayerNorm(
      { x: { ...x, data: sm }, weight: f([1, 1, 1], [3]), bias: f([0, 0, 0], [3]) },
      { rows: 2, cols: 3, eps: 1e-5 },
    );
    const mm = b.kernels.MatMul(
      { a: { data: ln, shape: [2, 3], dtype: "float32" }, b: x },
      { m: 3, k: 2, n: 3, transA: true, transB: false, batch: 1, aBatch: [0], bBatch: [0] },
    );
    const cat = b.kernels.Concat({ xs: [x, { data: mm, shape: [3, 3], dtype: "float32" }, x] }, { outer: 1, inners: [6, 9, 6] });
    // Disposed right away, while the kernels that read them may still be waiting: freed only after their use.
    b.disposeData(sm);
    b.disposeData(ln);
    b.disposeData(mm);
    expect((await b.read(cat, "float32", 21)).length).toBe(21);
    expect(() => b.readSync(cat, "float32", 21)).not.toThrow(); // read once, cached on the host
    b.disposeData(cat);
    await b.flush();
    expect(b.runtime.stats.deviceLive).toBe(live0);
  });

  it.skipIf(!available)("readSync of a device-resident output says to await data()", async () => {
    const b = resident!;
    const x = b.upload(new Float32Array([1, 4]), "float32");
    const y = b.kernels.Unary({ x: { data: x, shape: [2], dtype: "float32" } }, { op: "sqrt" });
    await b.flush();
    expect(() => b.readSync(y, "float32", 2)).toThrow(/resident on the device; use await tensor.data\(\)/);
    expect(Array.from(await b.read(y, "float32", 2))).toEqual([1, 2]);
    b.disposeData(y);
  });
});
