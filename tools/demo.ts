// SPDX-License-Identifier: MIT
//
// The main job until @calm/model exists: train a small neural language model on real text and watch its loss
// fall. A byte-level BPE (@calm/data) is trained on the State of the Union training split; a fixed-window MLP
// language model (Bengio et al., 2003: embed the previous `window` tokens, concatenate, one GELU hidden layer,
// softmax over the vocabulary) is trained with AdamW (@calm/nn) on @calm/tensor's CPU backend, and evaluated
// on held-out speeches against the unigram baseline. Run: `pnpm demo` (flags: --steps N --seed N).

import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { loadSotu, splitDocuments, trainBpe } from "@calm/data";
import { adamwStep, clipGradNorm, countParameters, createAdamWState, createEmbedding, createLinear, embeddingForward, learningRate, linearForward } from "@calm/nn";
import { crossEntropy, gelu, reshape, Rng, type Tensor, tensor, tidy, valueAndGrad } from "@calm/tensor";

const { values } = parseArgs({
  options: { steps: { type: "string", default: "300" }, seed: { type: "string", default: "0" } },
});
const steps = Number(values.steps);
const seed = Number(values.seed);
if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`demo: --steps must be a positive integer, got ${values.steps}`);

const vocabSize = 1024;
const window = 4; // previous tokens the MLP sees
const embedSize = 48;
const hiddenSize = 384;
const batchSize = 256;
const evalContexts = 4096;

const t0 = performance.now();
const { train, validation } = splitDocuments(loadSotu());
const tokenizer = trainBpe(train.map((d) => d.text), { vocabSize });
const encodeAll = (docs: typeof train) => docs.map((d) => tokenizer.encode(d.text));
const trainIds = encodeAll(train);
const validIds = encodeAll(validation);
const trainTokens = trainIds.reduce((n, ids) => n + ids.length, 0);
console.log(
  `State of the Union: ${train.length} training speeches (${trainTokens.toLocaleString("en")} tokens), ` +
    `${validation.length} held-out; BPE vocabulary ${vocabSize}, trained in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

/** Every (previous `window` tokens, next token) pair of the documents; BOS pads the start of each document. */
function contexts(docs: readonly (readonly number[])[]): { inputs: Int32Array; targets: Int32Array } {
  const total = docs.reduce((n, d) => n + d.length, 0);
  const inputs = new Int32Array(total * window);
  const targets = new Int32Array(total);
  let row = 0;
  for (const doc of docs) {
    for (let t = 0; t < doc.length; t++, row++) {
      for (let j = 0; j < window; j++) inputs[row * window + j] = t - window + j >= 0 ? doc[t - window + j] : tokenizer.bos;
      targets[row] = doc[t];
    }
  }
  return { inputs, targets };
}
const trainSet = contexts(trainIds);
const validSet = contexts(validIds);

// The unigram model (token frequencies of the training split) is the bar a context-using model must clear.
const counts = new Float64Array(vocabSize).fill(1); // add-one smoothing
for (const y of trainSet.targets) counts[y]++;
const countTotal = counts.reduce((a, b) => a + b, 0);
const unigramLoss = validSet.targets.slice(0, evalContexts).reduce((s, y) => s - Math.log(counts[y] / countTotal), 0) / Math.min(evalContexts, validSet.targets.length);

const rng = new Rng(seed);
let params = {
  embed_tokens: createEmbedding({ numEmbeddings: vocabSize, embeddingDim: embedSize }, rng),
  hidden: createLinear({ inFeatures: window * embedSize, outFeatures: hiddenSize, bias: true }, rng),
  lm_head: createLinear({ inFeatures: hiddenSize, outFeatures: vocabSize, bias: true }, rng),
};
let optimizer = createAdamWState(params);
const schedule = { peakLr: 3e-3, warmupSteps: 20, kind: "cosine" as const, totalSteps: steps, minLr: 3e-4 };
console.log(`MLP language model: window ${window}, ${countParameters(params).toLocaleString("en")} parameters, AdamW, ${steps} steps of ${batchSize} contexts`);

const logits = (p: typeof params, ids: Tensor): Tensor => {
  const rows = ids.shape[0];
  const x = reshape(embeddingForward(p.embed_tokens, ids), [rows, window * embedSize]);
  return linearForward(p.lm_head, gelu(linearForward(p.hidden, x)));
};
const lossFn = (p: typeof params, ids: Tensor, targets: Tensor): Tensor => crossEntropy(logits(p, ids), targets);

function batch(set: { inputs: Int32Array; targets: Int32Array }, rows: readonly number[]): [Tensor, Tensor] {
  const ids = new Int32Array(rows.length * window);
  const targets = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    ids.set(set.inputs.subarray(r * window, (r + 1) * window), i * window);
    targets[i] = set.targets[r];
  });
  return [tensor(ids, [rows.length, window], "int32"), tensor(targets, [rows.length], "int32")];
}
const validRows = Array.from({ length: Math.min(evalContexts, validSet.targets.length) }, (_, i) => i);
const validLoss = () => tidy(() => lossFn(params, ...batch(validSet, validRows)).item());

const before = validLoss();
console.log(`held-out loss before training ${before.toFixed(3)} nats/token (unigram baseline ${unigramLoss.toFixed(3)})`);

const bar = new SingleBar({
  format: "training [{bar}] {value}/{total} steps | loss {loss} | {rate} steps/s",
  barCompleteChar: "#",
  barIncompleteChar: ".",
  hideCursor: true,
  noTTYOutput: true,
  notTTYSchedule: 5000,
});
bar.start(steps, 0, { loss: "-", rate: "-" });
const tTrain = performance.now();
let smoothed = Number.NaN;
const trace: number[] = [];
for (let step = 0; step < steps; step++) {
  const rows = Array.from({ length: batchSize }, () => rng.nextU32() % trainSet.targets.length);
  const [ids, targets] = batch(trainSet, rows);
  const { value, grads } = valueAndGrad(lossFn)(params, ids, targets);
  const { grads: clipped } = clipGradNorm(grads[0], 1.0);
  ({ params, state: optimizer } = adamwStep(params, clipped, optimizer, learningRate(schedule, step), { weightDecay: 0.01 }));
  const loss = value.item();
  smoothed = Number.isNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;
  if (step % Math.max(1, Math.floor(steps / 10)) === 0) trace.push(loss);
  bar.update(step + 1, { loss: smoothed.toFixed(3), rate: ((step + 1) / ((performance.now() - tTrain) / 1000)).toFixed(1) });
}
bar.stop();
const after = validLoss();
console.log(`training loss every ${Math.max(1, Math.floor(steps / 10))} steps: ${trace.map((l) => l.toFixed(2)).join(" → ")}`);
console.log(
  `held-out loss after training ${after.toFixed(3)} nats/token (perplexity ${Math.exp(after).toFixed(1)}; ` +
    `unigram ${unigramLoss.toFixed(3)}, perplexity ${Math.exp(unigramLoss).toFixed(1)}), ${((performance.now() - tTrain) / 1000).toFixed(1)} s of training`,
);
if (!(after < before && after < unigramLoss)) {
  console.error("demo: the held-out loss did not fall below the unigram baseline");
  process.exitCode = 1;
}
