// SPDX-License-Identifier: MIT
// float32 matmul, side by side in one process: @calm/tensor's CPU backend (wasm SIMD at 1 and 2 threads, and its
// plain-JS fallback), gpu.js 2.24.1 `webasm` (sync and asyncMode/threaded), TensorFlow.js 4.22.0 wasm backend and
// onnxruntime-node 1.30.0 (1 and 2 intra-op threads). Every result is checked against a float64 reference before it
// is timed. Prints a Markdown table of GFLOP/s (2·m·k·n / median seconds).
//
// Run: cd tools/bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci && npx tsx --conditions=@calm/source matmul.bench.ts
// Options: --shapes=sq256,mlp-up,attn-qk (names below)  --budget=1000 (ms of timed runs per cell)  --skip=gpujs,js,ort,tfjs
import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as calm from "@calm/tensor";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { GPU, Input } from "gpu.js";
import * as ort from "onnxruntime-node";
import { arg, fmt, machineLine, markdownTable, maxRelErr, operand, reference, timeInterleaved } from "./common.js";
import { batchedMatMulModel, gemmModel } from "./onnx-model.js";

type Kernel = (a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean) => void;
type BatchedKernel = (
  a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean,
  batch: number, aIndex: ArrayLike<number>, bIndex: ArrayLike<number>,
) => void;
const api = calm as unknown as {
  matmulF32?: Kernel;
  matmulF32Batched?: BatchedKernel;
  matmulF32Js?: Kernel;
  setMatmulThreads?: (n: number) => void;
  matmulWasmAvailable?: () => boolean;
};
if (!api.matmulF32 || !api.matmulF32Js || !api.setMatmulThreads || !api.matmulF32Batched) {
  throw new Error("matmul.bench: @calm/tensor must export matmulF32, matmulF32Batched, matmulF32Js and setMatmulThreads");
}
const { matmulF32, matmulF32Batched, matmulF32Js, setMatmulThreads } = api as Required<typeof api>;

interface Shape {
  name: string;
  label: string;
  m: number;
  k: number;
  n: number;
  tA: boolean;
  tB: boolean;
  /** Independent products of this shape in one call (attention heads); 1 when absent. */
  batch?: number;
}
const sq = (n: number): Shape => ({ name: `sq${n}`, label: `${n}×${n}×${n}`, m: n, k: n, n, tA: false, tB: false });
const SHAPES: Shape[] = [
  sq(128),
  sq(256),
  sq(512),
  sq(1024),
  { name: "attn", label: "[512,128]·[128,512]", m: 512, k: 128, n: 512, tA: false, tB: false },
  { name: "mlp-up", label: "[512,512]·[512,2048]", m: 512, k: 512, n: 2048, tA: false, tB: false },
  { name: "mlp-down", label: "[512,2048]·[2048,512]", m: 512, k: 2048, n: 512, tA: false, tB: false },
  { name: "nt", label: "[512,512]·[2048,512]ᵀ", m: 512, k: 512, n: 2048, tA: false, tB: true },
  { name: "tn", label: "[512,512]ᵀ·[512,2048]", m: 512, k: 512, n: 2048, tA: true, tB: false },
  // Attention over 8 heads of width 64, 128 tokens: scores Q·Kᵀ and the weighted sum P·V, 2.1 MFLOP per head.
  { name: "attn-qk", label: "8 × [128,64]·[128,64]ᵀ", m: 128, k: 64, n: 128, tA: false, tB: true, batch: 8 },
  { name: "attn-pv", label: "8 × [128,128]·[128,64]", m: 128, k: 128, n: 64, tA: false, tB: false, batch: 8 },
];

const budget = Number(arg("budget") ?? 1000);
const skip = new Set((arg("skip") ?? "").split(",").filter(Boolean));
const only = arg("shapes")?.split(",");
const shapes = only ? SHAPES.filter((s) => only.includes(s.name)) : SHAPES;
/** Timing rounds per shape: every backend is timed once per round, round-robin. */
const ROUNDS = 3;
/** Largest max-relative error accepted before timing (float32 accumulation over k ≤ 2048 stays near 1e-5). */
const TOL = 1e-4;

interface Runner {
  /** Column title. */
  title: string;
  /** Prepares one shape; returns a call that produces C (row-major, or rows of C) or undefined if unsupported. */
  prepare(s: Shape, a: Float32Array, b: Float32Array): Promise<(() => unknown) | undefined>;
  /** Reads C from the last call's result. */
  read(result: unknown, s: Shape): Promise<ArrayLike<number>> | ArrayLike<number>;
}

/** Our kernel; a batched shape goes through matmulF32Batched (wasm) or one call per product (the JS fallback). */
function calmRunner(title: string, kernel: Kernel, threads: number, batched?: BatchedKernel): Runner {
  return {
    title,
    async prepare(s, a, b) {
      const batch = s.batch ?? 1;
      const [as, bs, cs] = [s.m * s.k, s.k * s.n, s.m * s.n];
      const c = new Float32Array(batch * cs);
      const idx = Array.from({ length: batch }, (_, i) => i);
      return () => {
        setMatmulThreads(threads);
        if (batch === 1) kernel(a, b, c, s.m, s.k, s.n, s.tA, s.tB);
        else if (batched) batched(a, b, c, s.m, s.k, s.n, s.tA, s.tB, batch, idx, idx);
        else
          for (let t = 0; t < batch; t++)
            kernel(a.subarray(t * as, (t + 1) * as), b.subarray(t * bs, (t + 1) * bs), c.subarray(t * cs, (t + 1) * cs), s.m, s.k, s.n, s.tA, s.tB);
        return c;
      };
    },
    read: (r) => r as Float32Array,
  };
}

function gpujsRunner(title: string, asyncMode: boolean): Runner {
  const gpu = new GPU({ mode: "webasm" });
  return {
    title,
    async prepare(s, a, b) {
      if ((s.batch ?? 1) > 1) return undefined; // one 2-D kernel per product: not a batched comparison
      // gpu.js sizes are [width, height] = [columns, rows]; the kernel is the standard per-cell dot product.
      const src = s.tA
        ? `function (a, b) { let t = 0; for (let i = 0; i < this.constants.k; i++) { t += a[i][this.thread.y] * b[i][this.thread.x]; } return t; }`
        : s.tB
          ? `function (a, b) { let t = 0; for (let i = 0; i < this.constants.k; i++) { t += a[this.thread.y][i] * b[this.thread.x][i]; } return t; }`
          : `function (a, b) { let t = 0; for (let i = 0; i < this.constants.k; i++) { t += a[this.thread.y][i] * b[i][this.thread.x]; } return t; }`;
      const kernel = gpu.createKernel(src, { output: [s.n, s.m], constants: { k: s.k }, asyncMode, tactic: "precision" });
      const A = new Input(a as unknown as number[], s.tA ? [s.m, s.k] : [s.k, s.m]);
      const B = new Input(b as unknown as number[], s.tB ? [s.k, s.n] : [s.n, s.k]);
      return () => kernel(A, B);
    },
    async read(r) {
      const rows = (await r) as Float32Array[];
      const out = new Float32Array(rows.length * rows[0].length);
      rows.forEach((row, i) => out.set(row, i * row.length));
      return out;
    },
  };
}

function tfjsRunner(title: string): Runner {
  return {
    title,
    async prepare(s, a, b) {
      const batch = s.batch ?? 1;
      const A = batch > 1 ? tf.tensor3d(a, s.tA ? [batch, s.k, s.m] : [batch, s.m, s.k]) : tf.tensor2d(a, s.tA ? [s.k, s.m] : [s.m, s.k]);
      const B = batch > 1 ? tf.tensor3d(b, s.tB ? [batch, s.n, s.k] : [batch, s.k, s.n]) : tf.tensor2d(b, s.tB ? [s.n, s.k] : [s.k, s.n]);
      return () => {
        const y = tf.matMul(A, B, s.tA, s.tB);
        const d = y.dataSync();
        y.dispose();
        return d;
      };
    },
    read: (r) => r as Float32Array,
  };
}

function ortRunner(title: string, threads: number): Runner {
  return {
    title,
    async prepare(s, a, b) {
      const batch = s.batch ?? 1;
      if (batch > 1 && s.tA) return undefined;
      const model = batch > 1 ? batchedMatMulModel(batch, s.m, s.k, s.n, s.tB) : gemmModel(s.m, s.k, s.n, s.tA, s.tB);
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
      });
      const lead = batch > 1 ? [batch] : [];
      const feeds = {
        A: new ort.Tensor("float32", a, [...lead, ...(s.tA ? [s.k, s.m] : [s.m, s.k])]),
        B: new ort.Tensor("float32", b, [...lead, ...(s.tB ? [s.n, s.k] : [s.k, s.n])]),
      };
      return () => session.run(feeds);
    },
    async read(r) {
      const out = (await r) as Record<string, ort.Tensor>;
      return out.Y.data as Float32Array;
    },
  };
}

async function main(): Promise<void> {
  const require = createRequire(import.meta.url);
  setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}/`);
  await tf.setBackend("wasm");
  await tf.ready();
  const tfSimd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");

  const runners: Runner[] = [
    calmRunner("calm wasm 1t", matmulF32, 1, matmulF32Batched),
    calmRunner("calm wasm 2t", matmulF32, 2, matmulF32Batched),
  ];
  if (!skip.has("js")) runners.push(calmRunner("calm JS", matmulF32Js, 1));
  if (!skip.has("gpujs")) runners.push(gpujsRunner("gpu.js webasm", false), gpujsRunner("gpu.js webasm async", true));
  if (!skip.has("tfjs")) runners.push(tfjsRunner(`tfjs-wasm${tfSimd ? " SIMD" : ""} 1t`));
  if (!skip.has("ort")) runners.push(ortRunner("ORT 1t", 1), ortRunner("ORT 2t", 2));

  const results = new Map<string, Map<string, number>>();
  for (const s of shapes) {
    const batch = s.batch ?? 1;
    const a = operand(batch * s.m * s.k, 1 + s.m);
    const b = operand(batch * s.k * s.n, 2 + s.n);
    const ref = new Float64Array(batch * s.m * s.n);
    for (let t = 0; t < batch; t++) {
      const [as, bs] = [s.m * s.k, s.k * s.n];
      ref.set(reference(a.subarray(t * as, (t + 1) * as), b.subarray(t * bs, (t + 1) * bs), s.m, s.k, s.n, s.tA, s.tB), t * s.m * s.n);
    }
    const flops = 2 * batch * s.m * s.k * s.n;
    const row = new Map<string, number>();
    results.set(s.name, row);
    // Prepare and verify every runner first, then time them in interleaved rounds.
    const ready: { r: Runner; run: () => unknown; err: number }[] = [];
    for (const r of runners) {
      const run = await r.prepare(s, a, b);
      if (!run) continue;
      const err = maxRelErr(await r.read(await run(), s), ref);
      if (!(err <= TOL)) {
        console.error(`  ${s.label} ${r.title}: max rel error ${err.toExponential(2)} > ${TOL}, not timed`);
        continue;
      }
      ready.push({ r, run, err });
    }
    // Slow paths (≈1–5 GFLOP/s) get one run per round on the big shapes.
    const slow = ready.map(({ r }) => r.title.includes("JS") || r.title.includes("gpu.js"));
    const big = flops > 3e8;
    const fast = ready.filter((_, i) => !(slow[i] && big));
    const fastT = await timeInterleaved(
      fast.map((x) => x.run),
      { budgetMs: budget, rounds: ROUNDS, minRuns: fast.map(() => 2), warmupMs: 200 },
    );
    const slowOnes = ready.filter((_, i) => slow[i] && big);
    const slowT = await timeInterleaved(
      slowOnes.map((x) => x.run),
      { budgetMs: 0, rounds: ROUNDS, minRuns: slowOnes.map(() => 1), warmupMs: 0 },
    );
    [...fast.map((x, i) => [x, fastT[i]] as const), ...slowOnes.map((x, i) => [x, slowT[i]] as const)].forEach(([x, t]) => {
      const gflops = flops / t.medianMs / 1e6;
      row.set(x.r.title, gflops);
      console.error(`  ${s.label.padEnd(24)} ${x.r.title.padEnd(22)} ${fmt(gflops).padStart(7)} GFLOP/s  (median of ${t.runs}, err ${x.err.toExponential(1)})`);
    });
  }

  const tfTitle = runners.find((r) => r.title.startsWith("tfjs"))?.title;
  const header = ["shape (m·k·n)", ...runners.map((r) => r.title), "2t / tfjs", "1t / tfjs", "2t / ORT 2t", "1t / ORT 1t"];
  const rows = shapes.map((s) => {
    const g = results.get(s.name) ?? new Map<string, number>();
    const ratio = (x?: number, y?: number) => (x && y ? `${fmt(x / y, 2)}×` : "—");
    return [
      s.label,
      ...runners.map((r) => fmt(g.get(r.title))),
      ratio(g.get("calm wasm 2t"), tfTitle ? g.get(tfTitle) : undefined),
      ratio(g.get("calm wasm 1t"), tfTitle ? g.get(tfTitle) : undefined),
      ratio(g.get("calm wasm 2t"), g.get("ORT 2t")),
      ratio(g.get("calm wasm 1t"), g.get("ORT 1t")),
    ];
  });
  console.log(`\nfloat32 matmul, GFLOP/s (median over ${ROUNDS} interleaved rounds), ${machineLine()}\n`);
  console.log(markdownTable(header, rows));
  process.exit(0); // ORT and gpu.js worker pools would otherwise keep the process alive
}

await main();
