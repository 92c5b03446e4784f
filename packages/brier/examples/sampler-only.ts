// SPDX-License-Identifier: MIT
// Score a model that can only sample (no probabilities): here a hand-written bigram sampler over bytes.
import { brierLM } from "@calm/brier";

const text = (s: string) => Array.from(Buffer.from(s, "utf8"));
const train = text("the cat sat on the mat. the dog sat on the log. the cat saw the dog. ".repeat(20));
const next = new Map<number, number[]>(); // every byte seen after each byte
train.slice(1).forEach((b, i) => next.set(train[i], [...(next.get(train[i]) ?? []), b]));
const model = {
  sample(context: readonly number[], length: number, random: () => number) {
    const out: number[] = [];
    let last = context[context.length - 1];
    for (let i = 0; i < length; i++) {
      const options = next.get(last) ?? train;
      out.push((last = options[Math.floor(random() * options.length)]));
    }
    return out;
  },
};
const result = await brierLM(model, text("the dog sat on the mat. the cat saw the log."), { seed: 1 });
console.log(result.brierN.map((b) => b.toFixed(3)), result.brierLM.toFixed(2), "±", result.brierLMStandardError.toFixed(2));
