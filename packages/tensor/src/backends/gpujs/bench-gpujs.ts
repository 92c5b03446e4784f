// SPDX-License-Identifier: MIT
//
// Benchmark of the gpu.js kernels (not a test): per-call cost of a tiny kernel, throughput of elementwise,
// softmax, LayerNorm and matmul kernels in gpu.js `cpu`, `webasm` (and `webgpu` when Dawn starts), next to the
// CPU backend. Every kernel is warmed up first (compiled and cached), then timed as the median of several runs.
//
//   pnpm --filter @calm/tensor exec tsx src/backends/gpujs/bench-gpujs.ts [--quick] [--no-webgpu]

import { createCpuBackend } from "../cpu/cpu-backend.js";
import type { Backend } from "../../backend/backend.js";
import type { KernelName } from "../../backend/kernels.js";
import { createGpuJsBackend } from "./gpujs-backend.js";
import { createWebGpuBackend } from "./webgpu.js";

const quick = process.argv.includes("--quick");

function rand(n: number, seed: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) | 0;
    out[i] = ((s >>> 8) / 16777216) * 2 - 1;
  }
  return out;
}

interface Job {
  readonly label: string;
  readonly kernel: KernelName;
  readonly inputs: Record<string, { data: Float32Array | Int32Array; shape: number[]; dtype: "float32" | "int32" }>;
  readonly attrs: unknown;
  /** Floating-point operations per call (for GFLOP/s), or 0 to report time only. */
  readonly flops: number;
}

const matmulJob = (m: number, k: number, n: number): Job => ({
  label: `matmul [${m},${k}]x[${k},${n}]`,
  kernel: "MatMul",
  inputs: { a: { data: rand(m * k, 1), shape: [m, k], dtype: "float32" }, b: { data: rand(k * n, 2), shape: [k, n], dtype: "float32" } },
  attrs: { m, k, n, transA: false, transB: false, batch: 1, aBatch: [0], bBatch: [0] },
  flops: 2 * m * k * n,
});

const JOBS: Job[] = [
  { label: "exp of 16 floats (per-call cost)", kernel: "Unary", inputs: { x: { data: rand(16, 3), shape: [16], dtype: "float32" } }, attrs: { op: "exp" }, flops: 0 },
  {
    label: "add of 2 x 1M floats",
    kernel: "Binary",
    inputs: { a: { data: rand(1 << 20, 4), shape: [1 << 20], dtype: "float32" }, b: { data: rand(1 << 20, 5), shape: [1 << 20], dtype: "float32" } },
    attrs: { op: "add", outShape: [1 << 20], aStrides: [1], bStrides: [1] },
    flops: 0,
  },
  {
    label: "softmax 1024x1024 (3 kernels)",
    kernel: "Softmax",
    inputs: { x: { data: rand(1 << 20, 6), shape: [1024, 1024], dtype: "float32" } },
    attrs: { rows: 1024, cols: 1024, causal: null },
    flops: 0,
  },
  {
    label: "layerNorm 512x512 (3 kernels)",
    kernel: "LayerNorm",
    inputs: {
      x: { data: rand(512 * 512, 7), shape: [512, 512], dtype: "float32" },
      weight: { data: rand(512, 8), shape: [512], dtype: "float32" },
      bias: { data: rand(512, 9), shape: [512], dtype: "float32" },
    },
    attrs: { rows: 512, cols: 512, eps: 1e-5 },
    flops: 0,
  },
  matmulJob(128, 128, 128),
  matmulJob(256, 256, 256),
  matmulJob(512, 128, 512),
  ...(quick ? [] : [matmulJob(512, 512, 512)]),
];

async function time(backend: Backend<any>, job: Job): Promise<{ first: number; median: number }> {
  const up = Object.fromEntries(
    Object.entries(job.inputs).map(([k, t]) => [k, { ...t, data: backend.upload(t.data.slice(), t.dtype) }]),
  );
  const run = backend.kernels[job.kernel] as (i: unknown, a: unknown) => unknown;
  const once = async () => {
    const out = run(up, job.attrs);
    await backend.read(out, "float32", 0);
    backend.disposeData(out);
  };
  const t0 = performance.now();
  await once();
  const first = performance.now() - t0;
  const samples: number[] = [];
  const budget = performance.now() + (quick ? 300 : 1500);
  const reps = job.flops === 0 && job.label.includes("16 floats") ? 2000 : 1;
  while (samples.length < 3 || (performance.now() < budget && samples.length < 25)) {
    const s = performance.now();
    for (let r = 0; r < reps; r++) await once();
    samples.push((performance.now() - s) / reps);
  }
  samples.sort((a, b) => a - b);
  return { first, median: samples[samples.length >> 1] };
}

function fmt(job: Job, ms: number): string {
  if (job.flops > 0) return `${((job.flops / (ms / 1000)) / 1e9).toFixed(2)} GFLOP/s (${ms.toFixed(2)} ms)`;
  return ms < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(2)} ms`;
}

const backends: Backend<any>[] = [createCpuBackend(), createGpuJsBackend({ mode: "cpu" }), createGpuJsBackend({ mode: "webasm" })];
if (!process.argv.includes("--no-webgpu")) {
  try {
    const webgpu = await createWebGpuBackend();
    console.log(`webgpu adapter: ${webgpu.adapter.device} (${webgpu.adapter.description})${webgpu.software ? ", software renderer" : ""}`);
    backends.push(webgpu, await createWebGpuBackend({ name: "gpujs-webgpu-resident", resident: true }));
  } catch (error) {
    console.log(`webgpu: ${(error as Error).message}`);
  }
}

console.log(`| kernel | ${backends.map((b) => b.name).join(" | ")} |`);
console.log(`| --- | ${backends.map(() => "---").join(" | ")} |`);
const firsts: string[] = [];
for (const job of JOBS) {
  const cells: string[] = [];
  for (const b of backends) {
    if (b.name.startsWith("gpujs-webgpu") && job.flops > 2 * 256 * 256 * 256) {
      cells.push("—");
      continue;
    }
    const { first, median } = await time(b, job);
    cells.push(fmt(job, median));
    if (job.label.startsWith("matmul [128")) firsts.push(`${b.name} ${first.toFixed(1)} ms`);
  }
  console.log(`| ${job.label} | ${cells.join(" | ")} |`);
}
console.log(`first call (compile + run) of matmul 128: ${firsts.join(", ")}`);

// A chain: 4 × (matmul [64,128]x[128,128] → GELU → LayerNorm), read back once at the end. Resident WebGPU
// keeps the 12 intermediate outputs on the device; the other backends hand host arrays from kernel to kernel.
async function chainOnce(backend: Backend<any>): Promise<void> {
  const f = (data: Float32Array, shape: number[]) => ({ data: backend.upload(data.slice(), "float32"), shape, dtype: "float32" as const });
  const w = f(rand(128 * 128, 21), [128, 128]);
  const g = f(new Float32Array(128).fill(1), [128]);
  const z = f(new Float32Array(128), [128]);
  let x = f(rand(64 * 128, 22), [64, 128]);
  const made: unknown[] = [];
  for (let layer = 0; layer < 4; layer++) {
    const mm = backend.kernels.MatMul({ a: x, b: w }, { m: 64, k: 128, n: 128, transA: false, transB: false, batch: 1, aBatch: [0], bBatch: [0] });
    const ge = backend.kernels.Unary({ x: { data: mm, shape: [64, 128], dtype: "float32" } }, { op: "gelu" });
    const ln = backend.kernels.LayerNorm({ x: { data: ge, shape: [64, 128], dtype: "float32" }, weight: g, bias: z }, { rows: 64, cols: 128, eps: 1e-5 });
    made.push(mm, ge, ln);
    x = { data: ln, shape: [64, 128], dtype: "float32" };
  }
  await backend.read(x.data, "float32", 64 * 128);
  for (const d of made) backend.disposeData(d);
}
const chainCells: string[] = [];
for (const b of backends) {
  await chainOnce(b);
  const samples: number[] = [];
  for (let i = 0; i < (quick ? 3 : 9); i++) {
    const s = performance.now();
    await chainOnce(b);
    samples.push(performance.now() - s);
  }
  samples.sort((p, q) => p - q);
  chainCells.push(`${b.name} ${samples[samples.length >> 1].toFixed(2)} ms`);
}
console.log(`chain of 12 kernels (4 × matmul 64x128x128 → gelu → layerNorm), one read-back: ${chainCells.join(", ")}`);
process.exit(0);
