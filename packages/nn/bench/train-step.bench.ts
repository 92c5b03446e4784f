// SPDX-License-Identifier: MIT
// Forward, forward+backward and AdamW time per step of a small Transformer stack with an LM head, FLOPs per
// token by the paper's accounting, and KV-cached decoding time per token. Not part of the tests.
// Run from the repository root: node_modules/.bin/tsx --conditions=@calm/source packages/nn/bench/train-step.bench.ts

import { cpus } from "node:os";
import { crossEntropy, Rng, reshape, type Tensor, tensor, tidy, valueAndGrad } from "@calm/tensor";
import {
  adamwStep,
  countParameters,
  createAdamWState,
  createKVCache,
  createLinear,
  createTransformer,
  disposeKVCache,
  flattenParams,
  flopsPerToken,
  forwardFlops,
  linearForward,
  transformerForward,
} from "../src/index.js";

const config = { vocabSize: 259, hiddenSize: 128, intermediateSize: 344, numHeads: 4, numLayers: 4 };
const BATCH = 8;
const SEQ = 64;
const REPEATS = 5;

const rng = new Rng(0);
let params = { transformer: createTransformer(config, rng), lm_head: createLinear({ inFeatures: 128, outFeatures: 259, bias: false }, rng) };
let opt = createAdamWState(params);
const tokens = () => tensor(Array.from({ length: BATCH * SEQ }, () => rng.nextU32() % 259), [BATCH, SEQ], "int32");
const ids = tokens();
const targets = reshape(tokens(), [BATCH * SEQ]);
const loss = (p: typeof params, x: Tensor) => crossEntropy(reshape(linearForward(p.lm_head, transformerForward(p.transformer, config, x)), [BATCH * SEQ, 259]), targets);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(f: () => void): number {
  f(); // warm-up (wasm compile, worker start)
  const ts: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

const fwd = time(() => tidy(() => loss(params, ids).item()));
let grads: unknown;
const fb = time(() => {
  grads = tidy(() => valueAndGrad(loss)(params, ids).grads[0]);
});
// Bit-for-bit resume needs a deterministic step: two gradient computations on the same inputs (matmuls this
// size are split across worker threads) must give the same bits.
const gradBytes = () =>
  tidy(() => [...flattenParams(valueAndGrad(loss)(params, ids).grads[0] as never).values()].map((t) => Buffer.from((t.dataSync() as Float32Array).buffer.slice(0))));
const [ga, gb] = [gradBytes(), gradBytes()];
const gradsIdentical = ga.length === gb.length && ga.every((b, i) => Buffer.compare(b, gb[i]) === 0);
const adam = time(() => {
  const r = adamwStep(params, grads, opt, 1e-3);
  params = r.params;
  opt = r.state;
});
const cache = createKVCache(config.numLayers);
const prompt = tensor(Array.from({ length: SEQ - 1 }, (_, i) => i), [1, SEQ - 1], "int32");
transformerForward(params.transformer, config, prompt, { cache });
const t0 = performance.now();
transformerForward(params.transformer, config, tensor([1], [1, 1], "int32"), { cache });
const decode = performance.now() - t0;
disposeKVCache(cache);

const headFlops = 2 * BATCH * SEQ * 128 * 259;
const fwdFlops = forwardFlops(config, { batch: BATCH, seq: SEQ }) + headFlops;
const lines = [
  `model: H ${config.hiddenSize}, I ${config.intermediateSize}, ${config.numLayers} layers, ${config.numHeads} heads, vocab ${config.vocabSize} (+ LM head); ${countParameters(params)} parameters`,
  `batch ${BATCH} x seq ${SEQ} = ${BATCH * SEQ} tokens per step; median of ${REPEATS}`,
  `FLOPs per token (paper accounting, ctx ${SEQ}, with LM head): ${flopsPerToken({ ...config, lmHeadVocab: 259 }, SEQ).toExponential(3)}`,
  `forward (loss)            : ${fwd.toFixed(1)} ms  (${(fwdFlops / fwd / 1e6).toFixed(2)} GFLOP/s on ${(fwdFlops / 1e9).toFixed(3)} GFLOP)`,
  `forward + backward        : ${fb.toFixed(1)} ms  (${((3 * fwdFlops) / fb / 1e6).toFixed(2)} GFLOP/s counting backward = 2x forward)`,
  `AdamW step                : ${adam.toFixed(1)} ms`,
  `gradients of two identical steps bit-identical: ${gradsIdentical}`,
  `KV-cached decode, 1 token after ${SEQ - 1}: ${decode.toFixed(2)} ms`,
  `machine: ${cpus().length} x ${cpus()[0]?.model ?? "?"}, node ${process.version}`,
];
console.log(lines.join("\n"));
