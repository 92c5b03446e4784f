// SPDX-License-Identifier: MIT
//
// The conformance suite must be able to fail: plausible wrong kernels, each wrapped around the gpu.js `cpu`
// backend, are run through the same specs and comparison, and each must be caught. Also checks the
// compiled-kernel cache and the backend factory's errors.

import { describe, expect, it } from "vitest";
import type { Backend, KernelFunc, KernelName, KernelTable } from "../src/index.js";
import { createGpuJsBackend, detectGpu, GpuJsRuntime, isSoftwareAdapter, type AdapterReport } from "../src/backends/gpujs/index.js";
import { unaryGpu } from "../src/backends/gpujs/elementwise.js";
import { checkSpec } from "./conformance/check.js";
import { binarySpec, layerNormSpec, matmulSpec, pairwiseDistanceSpec, reduceSpec, softmaxSpec, type Host } from "./conformance/specs.js";

/** Awaits a check that must fail and returns fast-check's report with the property's own error appended. */
async function failure(check: Promise<void>): Promise<string> {
  try {
    await check;
  } catch (error) {
    const e = error as Error & { cause?: unknown };
    return `${e.message}\n${e.cause instanceof Error ? e.cause.message : String(e.cause ?? "")}`;
  }
  return "(the check passed)";
}

const base = createGpuJsBackend({ mode: "cpu", name: "gpujs-cpu-base" });

function mutant<K extends KernelName>(label: string, kernel: K, run: KernelFunc<K, Host>): Backend<Host> {
  const kernels = { ...base.kernels, [kernel]: run } as KernelTable<Host>;
  return { ...base, name: `mutant(${label})`, kernels };
}

describe("conformance suite catches wrong kernels", () => {
  it("Binary sub with swapped operands (b − a)", async () => {
    const m = mutant("sub swapped", "Binary", ({ a, b }, attrs) =>
      base.kernels.Binary({ a: b, b: a }, { ...attrs, aStrides: attrs.bStrides, bStrides: attrs.aStrides }),
    );
    expect(await failure(checkSpec(m, binarySpec("sub")))).toMatch(/mutant\(sub swapped\) Binary sub/);
    await checkSpec(m, binarySpec("add")); // add is symmetric: the same mutant is right there
  });

  it("causal mask off by one (keeps key q + offset + 1)", async () => {
    const m = mutant("mask+1", "Softmax", (inputs, attrs) =>
      base.kernels.Softmax(inputs, { ...attrs, causal: attrs.causal === null ? null : { ...attrs.causal, offset: attrs.causal.offset + 1 } }),
    );
    expect(await failure(checkSpec(m, softmaxSpec("Softmax"), 20))).toMatch(/mutant\(mask\+1\) Softmax/);
  });

  it("matmul that ignores transB", async () => {
    const m = mutant("no transB", "MatMul", (inputs, attrs) => {
      if (!attrs.transB) return base.kernels.MatMul(inputs, attrs);
      // Reads B [n,k] as if it were [k,n]: right only when the layouts coincide.
      return base.kernels.MatMul(inputs, { ...attrs, transB: false });
    });
    expect(await failure(checkSpec(m, matmulSpec))).toMatch(/mutant\(no transB\) MatMul/);
  });

  it("max reduction over the wrong stride (inner treated as 1)", async () => {
    const m = mutant("stride", "Reduce", ({ x }, attrs) =>
      // Walks reduce·inner consecutive elements per [outer] row in chunks of `reduce`: the right count of
      // outputs, but each reduces a contiguous run instead of a column.
      base.kernels.Reduce({ x }, { ...attrs, outer: attrs.outer * attrs.inner, inner: 1 }),
    );
    expect(await failure(checkSpec(m, reduceSpec("max")))).toMatch(/mutant\(stride\) Reduce max/);
  });

  it("LayerNorm with the unbiased variance (n − 1)", async () => {
    const m = mutant("unbiased", "LayerNorm", (inputs, attrs) => {
      const out = base.kernels.LayerNorm(inputs, attrs) as Float32Array;
      const b = inputs.bias.data as Float32Array;
      const f = attrs.cols > 1 ? Math.sqrt((attrs.cols - 1) / attrs.cols) : 1;
      return out.map((v, i) => (v - b[i % attrs.cols]) * f + b[i % attrs.cols]);
    });
    expect(await failure(checkSpec(m, layerNormSpec))).toMatch(/mutant\(unbiased\) LayerNorm/);
  });

  it("pairwise distance through ‖a‖² + ‖b‖² − 2a·b (not exactly 0 for equal rows)", async () => {
    const m = mutant("expansion", "PairwiseDistance", ({ a, b }, { batch, n, m: mm, dim }) => {
      const x = a.data as Float32Array;
      const y = b.data as Float32Array;
      const out = new Float32Array(batch * n * mm);
      for (let t = 0; t < batch; t++)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < mm; j++) {
            // Norms summed in order, the cross term in 4 lanes as a SIMD matmul would: the orders differ, so
            // equal rows leave rounding noise instead of exactly 0.
            let aa = 0;
            let bb = 0;
            const lanes = [0, 0, 0, 0];
            for (let d = 0; d < dim; d++) {
              const u = x[(t * n + i) * dim + d];
              const v = y[(t * mm + j) * dim + d];
              aa = Math.fround(aa + Math.fround(u * u));
              bb = Math.fround(bb + Math.fround(v * v));
              lanes[d % 4] = Math.fround(lanes[d % 4] + Math.fround(u * v));
            }
            const ab = Math.fround(Math.fround(lanes[0] + lanes[1]) + Math.fround(lanes[2] + lanes[3]));
            out[(t * n + i) * mm + j] = Math.sqrt(Math.max(0, Math.fround(Math.fround(aa + bb) - Math.fround(2 * ab))));
          }
      return out;
    });
    expect(await failure(checkSpec(m, pairwiseDistanceSpec, 12))).toMatch(/mutant\(expansion\) PairwiseDistance/);
  });
});

describe("gpu.js backend: compiled-kernel cache and factory", () => {
  const x = (n: number) => ({ data: new Float32Array(n).fill(0.5), shape: [n], dtype: "float32" as const });

  it("compiles once per (kernel, size, constants) and reuses it", () => {
    const rt = new GpuJsRuntime("cpu");
    unaryGpu(rt, { x: x(5) }, { op: "exp" });
    unaryGpu(rt, { x: x(5) }, { op: "exp" });
    expect(rt.stats).toEqual({ compiled: 1, hits: 1, evicted: 0, deviceLive: 0 });
    unaryGpu(rt, { x: x(6) }, { op: "exp" }); // new size
    unaryGpu(rt, { x: x(5) }, { op: "log" }); // new constant
    expect(rt.stats.compiled).toBe(3);
    rt.destroy();
  });

  it("evicts the least recently used kernel beyond cacheLimit", () => {
    const rt = new GpuJsRuntime("cpu", 2);
    unaryGpu(rt, { x: x(1) }, { op: "exp" });
    unaryGpu(rt, { x: x(2) }, { op: "exp" });
    unaryGpu(rt, { x: x(1) }, { op: "exp" }); // size 1 is now the most recent
    unaryGpu(rt, { x: x(3) }, { op: "exp" }); // evicts size 2
    expect(rt.stats).toEqual({ compiled: 3, hits: 1, evicted: 1, deviceLive: 0 });
    unaryGpu(rt, { x: x(1) }, { op: "exp" });
    expect(rt.stats.hits).toBe(2);
    expect(rt.cacheSize).toBe(2);
    expect(() => new GpuJsRuntime("cpu", 0)).toThrow(/GpuJsRuntime: cacheLimit is 0, must be an integer ≥ 1/);
    expect(() => new GpuJsRuntime("cpu", 8, true)).toThrow(/GpuJsRuntime: resident is only supported in mode "webgpu", got mode "cpu"/);
    rt.destroy();
  });

  it("zero-size outputs and empty inputs need no launch", () => {
    const rt = new GpuJsRuntime("cpu");
    expect(unaryGpu(rt, { x: x(0) }, { op: "exp" })).toEqual(new Float32Array(0));
    expect(rt.stats.compiled).toBe(0);
    rt.destroy();
  });

  it("refuses webgpu (asynchronous) and names a mode that cannot start", async () => {
    expect(() => createGpuJsBackend({ mode: "webgpu" as never })).toThrow(/createGpuJsBackend: mode "webgpu" .*createWebGpuBackend/);
    const found = await detectGpu({ probeWebGpu: false });
    expect(found.recommended).toBe("cpu");
    expect(found.modes.cpu.available).toBe(true);
    if (!found.modes.headlessgl.available) {
      expect(() => createGpuJsBackend({ mode: "headlessgl" })).toThrow(/createGpuJsBackend: gpu.js mode "headlessgl" cannot start here/);
    }
  });
});

describe("honest selection: software renderers are recognised", () => {
  const adapter = (device: string, description = "", isFallbackAdapter = false): AdapterReport => ({
    vendor: "",
    architecture: "",
    device,
    description,
    isFallbackAdapter,
    dawnBackend: null,
  });

  it("flags llvmpipe, SwiftShader, lavapipe, softpipe, Dawn's null backend and fallback adapters", () => {
    expect(isSoftwareAdapter(adapter("llvmpipe-llvm-15-0-6-256-bits-", "OpenGL ES 3.2 Mesa 22.3.6"))).toBe(true);
    expect(isSoftwareAdapter(adapter("SwiftShader Device (Subzero)"))).toBe(true);
    expect(isSoftwareAdapter(adapter("", "Mesa lavapipe (LLVM 15.0.6)"))).toBe(true);
    expect(isSoftwareAdapter(adapter("softpipe"))).toBe(true);
    expect(isSoftwareAdapter(adapter("null-backend"))).toBe(true);
    expect(isSoftwareAdapter(adapter("Some GPU", "", true))).toBe(true);
  });

  it("accepts hardware adapters", () => {
    expect(isSoftwareAdapter(adapter("NVIDIA H200", "NVIDIA Vulkan driver"))).toBe(false);
    expect(isSoftwareAdapter(adapter("AMD Radeon RX 7900 XTX"))).toBe(false);
    expect(isSoftwareAdapter(adapter("Apple M2 Max"))).toBe(false);
  });
});
