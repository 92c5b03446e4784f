// SPDX-License-Identifier: MIT
// Build a 2-layer Transformer stack with an LM head, train a few steps on random tokens with AdamW, save a
// checkpoint, load it back. Run from the repository root:
//   node_modules/.bin/tsx --conditions=@calm/source packages/nn/examples/quickstart.ts

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crossEntropy, Rng, reshape, type Tensor, tensor, valueAndGrad } from "@calm/tensor";
import {
  adamwStep,
  checkpointPath,
  clipGradNorm,
  countParameters,
  createAdamWState,
  createLinear,
  createTransformer,
  flattenParams,
  latestCheckpoint,
  learningRate,
  linearForward,
  loadCheckpoint,
  saveCheckpoint,
  transformerForward,
} from "@calm/nn";

const config = { vocabSize: 64, hiddenSize: 32, intermediateSize: 88, numHeads: 4, numLayers: 2 };
const schedule = { peakLr: 3e-3, warmupSteps: 5, kind: "cosine" as const, totalSteps: 30 };
const rng = new Rng(0);
const init = (r: Rng) => ({
  transformer: createTransformer(config, r),
  lm_head: createLinear({ inFeatures: config.hiddenSize, outFeatures: config.vocabSize, bias: false }, r),
});
let params = init(rng);
let opt = createAdamWState(params);
console.log(`${countParameters(params)} parameters:`, [...flattenParams(params).keys()].slice(0, 3).join(", "), "...");

// A fixed batch of random tokens: the model learns to memorise it.
const B = 4;
const T = 16;
const data = Array.from({ length: B * (T + 1) }, () => rng.nextU32() % config.vocabSize);
const ids = tensor(data.filter((_, i) => i % (T + 1) !== T), [B, T], "int32");
const targets = tensor(data.filter((_, i) => i % (T + 1) !== 0), [B * T], "int32");
const loss = (p: typeof params, x: Tensor) =>
  crossEntropy(reshape(linearForward(p.lm_head, transformerForward(p.transformer, config, x)), [B * T, config.vocabSize]), targets);

for (let step = 0; step < schedule.totalSteps; step++) {
  const { value, grads } = valueAndGrad(loss)(params, ids);
  const { grads: clipped, norm } = clipGradNorm(grads[0], 1.0);
  ({ params, state: opt } = adamwStep(params, clipped, opt, learningRate(schedule, step), { beta2: 0.95, weightDecay: 0.1 }));
  if (step % 10 === 0 || step === schedule.totalSteps - 1) console.log(`step ${step}: loss ${value.item().toFixed(4)}, grad norm ${norm.toFixed(3)}`);
}

const runDir = mkdtempSync(join(tmpdir(), "calm-nn-quickstart-"));
saveCheckpoint(checkpointPath(runDir, opt.step), { params, optimizer: opt, meta: { config, step: opt.step, schedule, rng: { init: rng.getState() } } });
const loaded = loadCheckpoint(latestCheckpoint(runDir)!, init(new Rng(1)));
console.log(`reloaded step ${loaded.state.step}: loss ${loss(loaded.params, ids).item().toFixed(4)} (same weights: ${loss(params, ids).item() === loss(loaded.params, ids).item()})`);
rmSync(runDir, { recursive: true });
