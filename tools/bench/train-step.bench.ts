// SPDX-License-Identifier: MIT
// One training step (forward + backward + SGD update) of a 2-block Transformer-sized MLP stack, in @calm/tensor
// against the same model in TensorFlow.js (wasm backend, and the pure-JS cpu backend for reference), as tokens/s.
//
// Model: h ← h + gelu(h·W1 + b1)·W2 + b2, twice, d = 256, hidden 1024, batch of 512 tokens; loss = mean((h − y)²);
// GELU is the exact one, 0.5·x·(1 + erf(x/√2)) (tfjs has no gelu op, so it is composed from tf.erf there).
// ≈ 3.2 GFLOP of matmul per step (forward 1.07, backward 2.15). Both libraries start from the same weights and
// data; their losses are compared before anything is timed.
//
// Run: cd tools/bench && ONNXRUNTIME_NODE_INSTALL=skip npm ci && npx tsx --conditions=@calm/source train-step.bench.ts
// Options: --steps=20 (timed steps per row; tfjs cpu runs a quarter of them)  --skip=tfjs-cpu,tfjs-wasm
//   --before=<path>: also time another copy of @calm/tensor's sources (its src/index.ts, e.g. from
//   `git worktree add ../before HEAD~1`), in the same interleaved rounds, to measure a change side by side.
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import * as calm from "@calm/tensor";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { arg, fmt, machineLine, markdownTable, operand } from "./common.js";

const D = 256;
const H = 1024;
const TOKENS = 512;
const BLOCKS = 2;
const LR = 1e-3;
const steps = Number(arg("steps") ?? 20);
const skip = new Set((arg("skip") ?? "").split(",").filter(Boolean));

type Calm = typeof calm;
const beforePath = arg("before");
const calmBefore: Calm | null = beforePath ? ((await import(resolve(beforePath))) as Calm) : null;
for (const lib of [calm, calmBefore]) {
  if (lib && typeof (lib as { setMatmulThreads?: unknown }).setMatmulThreads !== "function") {
    throw new Error("train-step.bench: @calm/tensor must export setMatmulThreads (src/index.ts)");
  }
}

interface Init {
  blocks: { w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array }[];
  x: Float32Array;
  y: Float32Array;
}

/** Same weights and data for every library: uniform, scaled like a 1/√fan-in initialisation. */
function init(): Init {
  const scaled = (len: number, seed: number, s: number) => operand(len, seed).map((v) => v * s);
  return {
    blocks: Array.from({ length: BLOCKS }, (_, i) => ({
      w1: scaled(D * H, 10 + i, Math.sqrt(3 / D)),
      b1: scaled(H, 20 + i, 0.1),
      w2: scaled(H * D, 30 + i, Math.sqrt(3 / H)),
      b2: scaled(D, 40 + i, 0.1),
    })),
    x: operand(TOKENS * D, 1),
    y: operand(TOKENS * D, 2),
  };
}

interface Trainer {
  /** Runs one step and returns the loss before the update. */
  step(): Promise<number>;
  dispose(): void;
}

function calmTrainer(data: Init, lib: Calm = calm): Trainer {
  const { tensor, matmul, add, sub, mul, gelu, square, mean, tidy, keep, dispose, valueAndGrad } = lib;
  type Block = { w1: calm.Tensor; b1: calm.Tensor; w2: calm.Tensor; b2: calm.Tensor };
  let params: Block[] = data.blocks.map((b) => ({
    w1: tensor(b.w1, [D, H]),
    b1: tensor(b.b1, [H]),
    w2: tensor(b.w2, [H, D]),
    b2: tensor(b.b2, [D]),
  }));
  const x = tensor(data.x, [TOKENS, D]);
  const y = tensor(data.y, [TOKENS, D]);
  const loss = (ps: Block[], xx: calm.Tensor, yy: calm.Tensor) => {
    let h = xx;
    for (const p of ps) h = add(h, add(matmul(gelu(add(matmul(h, p.w1), p.b1)), p.w2), p.b2));
    return mean(square(sub(h, yy)));
  };
  const vg = valueAndGrad(loss);
  return {
    async step() {
      const next = tidy(() => {
        const { value, grads } = vg(params, x, y);
        const updated = params.map((p, i) => {
          const g = grads[0][i];
          const upd = (w: calm.Tensor, gw: calm.Tensor | null) => keep(gw ? sub(w, mul(gw, LR)) : w);
          return { w1: upd(p.w1, g.w1), b1: upd(p.b1, g.b1), w2: upd(p.w2, g.w2), b2: upd(p.b2, g.b2) };
        });
        return { value: keep(value), updated };
      });
      dispose(params);
      params = next.updated;
      const v = (await next.value.data())[0];
      next.value.dispose();
      return v;
    },
    dispose() {
      dispose(params);
      x.dispose();
      y.dispose();
    },
  };
}

function tfTrainer(data: Init): Trainer {
  const params = data.blocks.map((b, i) => ({
    w1: tf.variable(tf.tensor2d(b.w1, [D, H]), true, `w1_${i}`),
    b1: tf.variable(tf.tensor1d(b.b1), true, `b1_${i}`),
    w2: tf.variable(tf.tensor2d(b.w2, [H, D]), true, `w2_${i}`),
    b2: tf.variable(tf.tensor1d(b.b2), true, `b2_${i}`),
  }));
  const x = tf.tensor2d(data.x, [TOKENS, D]);
  const y = tf.tensor2d(data.y, [TOKENS, D]);
  const opt = tf.train.sgd(LR);
  const gelu = (z: tf.Tensor) => tf.mul(tf.mul(z, 0.5), tf.add(1, tf.erf(tf.mul(z, Math.SQRT1_2))));
  return {
    async step() {
      const l = opt.minimize(() => {
        let h: tf.Tensor = x;
        for (const p of params) h = tf.add(h, tf.add(tf.matMul(gelu(tf.add(tf.matMul(h, p.w1), p.b1)), p.w2), p.b2));
        return tf.mean(tf.square(tf.sub(h, y))) as tf.Scalar;
      }, true);
      const v = (await l!.data())[0];
      l!.dispose();
      return v;
    },
    dispose() {
      for (const p of params) tf.dispose([p.w1, p.b1, p.w2, p.b2]);
      tf.dispose([x, y]);
      opt.dispose();
    },
  };
}

interface Row {
  name: string;
  tokensPerSec: number;
  msPerStep: number;
  losses: number[];
}

/** Rounds of the interleaved schedule: each implementation runs steps/ROUNDS steps per round, round-robin. */
const ROUNDS = 4;

interface Contender {
  name: string;
  /** Runs before each of its steps (thread count, tfjs backend). */
  before: () => Promise<void> | void;
  make: () => Trainer;
}

/**
 * Times training steps of several implementations in interleaved rounds, so that load from other processes on
 * a shared machine spreads over all of them. Two warm-up steps each (kernel compiles, worker start); the losses
 * of every step are kept for the cross-check.
 */
async function measure(contenders: readonly Contender[], n: number): Promise<Row[]> {
  const state = [];
  for (const c of contenders) {
    await c.before();
    const t = c.make();
    const losses = [await t.step(), await t.step()];
    state.push({ c, t, losses, times: [] as number[] });
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const st of state) {
      await st.c.before();
      for (let i = 0; i < Math.ceil(n / ROUNDS); i++) {
        const s = performance.now();
        st.losses.push(await st.t.step());
        st.times.push(performance.now() - s);
      }
    }
  }
  return state.map(({ c, t, losses, times }) => {
    t.dispose();
    times.sort((a, b) => a - b);
    const ms = times[times.length >> 1];
    const row = { name: c.name, tokensPerSec: (TOKENS / ms) * 1000, msPerStep: ms, losses };
    console.error(`  ${c.name.padEnd(26)} ${fmt(row.tokensPerSec, 0).padStart(7)} tokens/s  ${fmt(ms, 1)} ms/step (median of ${times.length})  loss ${losses[0].toFixed(6)} → ${losses[losses.length - 1].toFixed(6)}`);
    return row;
  });
}

async function main(): Promise<void> {
  const data = init();
  const require = createRequire(import.meta.url);
  setWasmPaths(`${dirname(require.resolve("@tensorflow/tfjs-backend-wasm"))}/`);

  const useTf = async (backend: string) => {
    if (tf.getBackend() !== backend) {
      await tf.setBackend(backend);
      await tf.ready();
    }
  };
  await useTf("wasm");
  const simd = tf.env().getBool("WASM_HAS_SIMD_SUPPORT");
  const contenders: Contender[] = [];
  for (const t of [1, 2]) {
    const label = `${t} thread${t > 1 ? "s" : ""}`;
    contenders.push({ name: `@calm/tensor, ${label}`, before: () => calm.setMatmulThreads(t), make: () => calmTrainer(data) });
    const b = calmBefore;
    if (b) contenders.push({ name: `@calm/tensor (--before), ${label}`, before: () => b.setMatmulThreads(t), make: () => calmTrainer(data, b) });
  }
  if (!skip.has("tfjs-wasm")) {
    contenders.push({ name: `tfjs wasm${simd ? " (SIMD)" : ""}, 1 thread`, before: () => useTf("wasm"), make: () => tfTrainer(data) });
  }
  const rows: Row[] = await measure(contenders, steps);
  if (!skip.has("tfjs-cpu")) {
    await useTf("cpu");
    rows.push(...(await measure([{ name: "tfjs cpu (pure JS)", before: () => {}, make: () => tfTrainer(data) }], Math.max(ROUNDS, Math.ceil(steps / 4)))));
  }

  // Same model, same start: the first losses agree and every trajectory decreases.
  const ref = rows[0].losses;
  for (const r of rows) {
    const rel = Math.abs(r.losses[0] - ref[0]) / ref[0];
    const rel1 = Math.abs(r.losses[1] - ref[1]) / ref[1];
    if (!(rel < 1e-4 && rel1 < 1e-4)) throw new Error(`train-step.bench: ${r.name} loss ${r.losses[0]}, ${r.losses[1]} differs from ${ref[0]}, ${ref[1]}`);
    if (!(r.losses[r.losses.length - 1] < r.losses[0])) throw new Error(`train-step.bench: ${r.name} loss did not decrease`);
  }

  const wasm = rows.find((r) => r.name.startsWith("tfjs wasm"));
  console.log(`\nTraining step, 2-block MLP stack (d=${D}, hidden ${H}, ${TOKENS} tokens, SGD), median of ${steps} steps in ${ROUNDS} interleaved rounds, ${machineLine()}\n`);
  console.log(
    markdownTable(
      ["implementation", "tokens/s", "ms/step", "vs tfjs wasm"],
      rows.map((r) => [r.name, fmt(r.tokensPerSec, 0), fmt(r.msPerStep, 1), wasm ? `${fmt(r.tokensPerSec / wasm.tokensPerSec, 2)}×` : "—"]),
    ),
  );
  process.exit(0);
}

await main();
