// SPDX-License-Identifier: MIT
// Score a model that exposes next-token probabilities: exact accuracy terms, variance-reduced collision term.
import { brierLM, fitKneserNey } from "@calm/brier";

const text = (s: string) => Array.from(Buffer.from(s, "utf8"));
const train = text("the cat sat on the mat. the dog sat on the log. the cat saw the dog. ".repeat(20));
// Any { nextTokenProbs(context) } works; here a fitted Kneser-Ney trigram model over bytes (V = 256).
const lm = fitKneserNey(train, { order: 3, vocabSize: 256 });
const model = { nextTokenProbs: (context: readonly number[]) => lm.nextTokenProbs(context) };
const test = text("the dog sat on the mat. the cat saw the log.");
const result = await brierLM(model, test, { seed: 1 });
console.log(result.brierN.map((b) => b.toFixed(3)), result.brierLM.toFixed(2), "±", result.brierLMStandardError.toFixed(2));
const exact = await brierLM(model, test, { mode: "exact", maxN: 2 }); // exact Brier-1 and Brier-2
console.log(exact.brierN.map((b) => b.toFixed(3)));
