// SPDX-License-Identifier: MIT
// The packages composed the way a user would, through their public entry points only: @calm/data turns real text
// into token blocks, @calm/nn and @calm/tensor train a small Llama-style language model on them, @calm/brier scores
// it with BrierLM (once from its probabilities, once from samples alone), and @calm/bernoulli-factory samples it at
// temperature 1/2 with no access to its logits.
import { brierLM } from "@calm/brier";
import { sampleAtTemperature } from "@calm/bernoulli-factory";
import { concatDocuments, contiguousBlocks, loadSotu, trainBpe } from "@calm/data";
import { adamwStep, createAdamWState, createLinear, createTransformer, linearForward, transformerForward } from "@calm/nn";
import { crossEntropy, reshape, Rng, softmax, type Tensor, tensor, tidy, valueAndGrad } from "@calm/tensor";
import { describe, expect, it } from "vitest";

const speeches = loadSotu().slice(-4); // the four most recent speeches, about 30k characters
const tokenizer = trainBpe(speeches.slice(0, 3).map((d) => d.text), { vocabSize: 320 });
const ids = concatDocuments(speeches.slice(0, 3).map((d) => tokenizer.encode(d.text)), { bos: tokenizer.bos });
const heldOut = Array.from(tokenizer.encode(speeches[3].text).slice(0, 41));

const seq = 32;
const blocks = contiguousBlocks(ids, seq + 1);
const config = { vocabSize: tokenizer.vocabSize, hiddenSize: 32, intermediateSize: 64, numHeads: 4, numLayers: 2 };
const init = (seed: number) => {
  const rng = new Rng(seed);
  return { transformer: createTransformer(config, rng), lm_head: createLinear({ inFeatures: 32, outFeatures: config.vocabSize, bias: false }, rng) };
};
type Params = ReturnType<typeof init>;
const logits = (p: Params, x: Tensor) => linearForward(p.lm_head, transformerForward(p.transformer, config, x));

/** The plain-object model @calm/brier scores: next-token probabilities and ancestral sampling over a window. */
interface WindowedLanguageModel {
  nextTokenProbs(context: readonly number[]): number[];
  sample(context: readonly number[], length: number, random: () => number): number[];
  readonly contextLength: number;
}

/** A trained network as a {@link WindowedLanguageModel}. */
function asLanguageModel(p: Params): WindowedLanguageModel {
  const nextTokenProbs = (context: readonly number[]) =>
    tidy(() => {
      const window = context.slice(-seq);
      const y = logits(p, tensor(window, [1, window.length], "int32"));
      return Array.from(softmax(y).dataSync().subarray((window.length - 1) * config.vocabSize));
    });
  const draw = (probs: readonly number[], u: number) => {
    let i = 0;
    for (let acc = probs[0]; acc <= u && i < probs.length - 1; acc += probs[++i]);
    return i;
  };
  return {
    nextTokenProbs,
    sample: (context, length, random) => {
      const out: number[] = [];
      for (let t = 0; t < length; t++) out.push(draw(nextTokenProbs([...context, ...out]), random()));
      return out;
    },
    contextLength: seq,
  };
}

describe("data → nn/tensor → brier and bernoulli-factory", () => {
  let params = init(0);
  const untrained = asLanguageModel(init(0));

  it("trains a Llama-style model on real text: the loss falls", () => {
    let optimizer = createAdamWState(params);
    const batchRng = new Rng(1);
    const loss = (p: Params, x: Tensor, y: Tensor) => crossEntropy(reshape(logits(p, x), [-1, config.vocabSize]), y);
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      const rows = Array.from({ length: 8 }, () => blocks[batchRng.nextU32() % blocks.length]);
      const x = tensor(rows.flatMap((b) => Array.from(b.subarray(0, seq))), [8, seq], "int32");
      const y = tensor(rows.flatMap((b) => Array.from(b.subarray(1))), [8 * seq], "int32");
      const { value, grads } = valueAndGrad(loss)(params, x, y);
      ({ params, state: optimizer } = adamwStep(params, grads[0], optimizer, 1e-2));
      losses.push(value.item());
    }
    expect(losses[0]).toBeCloseTo(Math.log(config.vocabSize), 0); // starts near uniform
    const late = losses.slice(-5).reduce((a, b) => a + b, 0) / 5;
    expect(late).toBeLessThan(losses[0] - 1); // and learns (more than one nat per token)
  }, 120_000);

  it("scores it with BrierLM from probabilities and from samples alone; training raised Brier-1", async () => {
    const model = asLanguageModel(params);
    const fromProbs = await brierLM(model, heldOut, { maxN: 2, seed: 3 });
    const fromSamples = await brierLM({ sample: model.sample, contextLength: seq }, heldOut, { maxN: 2, seed: 3 });
    const before = await brierLM(untrained, heldOut, { maxN: 2, seed: 3 });
    expect(fromProbs.positions).toHaveLength(heldOut.length - 2); // every start position with a full 2-gram after it
    for (const r of [fromProbs, fromSamples]) for (const b of r.brierN) expect(Math.abs(b)).toBeLessThanOrEqual(1);
    // The two estimators are unbiased for the same quantity: they agree within their combined standard errors. Seeds
    // are fixed; at 5 standard errors another seed would fail with probability below 1e-6 (normal approximation).
    const se = Math.hypot(fromProbs.standardError[0], fromSamples.standardError[0]);
    expect(Math.abs(fromProbs.brierN[0] - fromSamples.brierN[0])).toBeLessThan(5 * se);
    expect(fromProbs.brierN[0]).toBeGreaterThan(before.brierN[0]);
  }, 120_000);

  it("samples it at temperature 1/2 through a Bernoulli factory, reproducibly from a seed", () => {
    const model = asLanguageModel(params);
    const context = heldOut.slice(0, 8);
    const sampleOnce = () => {
      const sampler = new Rng(4);
      const next = () => model.sample(context, 1, () => sampler.nextFloat())[0];
      return sampleAtTemperature(next, { numerator: 1, denominator: 2 }, { seed: 5, maxDraws: 100_000 });
    };
    const draw = sampleOnce();
    expect(sampleOnce()).toBe(draw);
    expect(Number.isInteger(draw) && draw >= 0 && draw < config.vocabSize).toBe(true);
    // T = 1/2 keeps a token with probability ∝ P(x)²: the draw was a token the model gives real probability to.
    expect(model.nextTokenProbs(context)[draw]).toBeGreaterThan(1 / config.vocabSize);
  }, 120_000);
});
