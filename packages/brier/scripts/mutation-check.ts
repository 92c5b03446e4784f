// SPDX-License-Identifier: MIT
// Mutation check: applies plausible bugs to the sources one at a time, runs this package's test suite,
// and restores the file. Every mutant must make some test fail. Run from the repository root:
//   node_modules/.bin/tsx packages/brier/scripts/mutation-check.ts
// It edits files under packages/brier/src while it runs (about 2 minutes); do not run it while editing them.
import { join } from "node:path";
import { type Mutant, runMutationCheck } from "../../../tools/mutation-check.js";

const mutants: Mutant[] = [
  ["src/brier-estimate.ts", "if (x1[k] !== x2[k]) c = 0;", "if (x1[k] !== x1[k]) c = 0;", "Brier-n: collision term from one shared draw"],
  ["src/brier-estimate.ts", "Number(same(x1, x2, fn))", "Number(same(x1, x1, fn))", "brierEstimate: collision term from one shared draw"],
  ["src/brier-estimate.ts", "if (x1[k] !== x2[k]) c = 0;", "c = x1[k] === x2[k] ? 1 : 0;", "Brier-n: collision on the last token only"],
  ["src/brier-estimate.ts", "if (x2[k] !== y[k]) a2 = 0;", "a2 = a1;", "Brier-n: accuracy of stream 2 copied from stream 1"],
  ["src/brier-estimate.ts", "for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;", "if (a[a.length - 1] !== b[b.length - 1]) return false;", "brierEstimate: n-grams compared on the last token"],
  ["src/brier-score.ts", "return 2 * probs[y] - sumOfSquares(probs);", "return probs[y] - sumOfSquares(probs);", "brierScore: P(y) instead of 2 P(y)"],
  ["src/probability-estimators.ts", "      if (s1 !== s2) agree = false;\n      else prefix.push(s1);", "      prefix.push(s1);", "hybrid: no agreement indicator"],
  ["src/probability-estimators.ts", "const s2 = draw(p);", "const s2 = s1;", "hybrid: both streams from one shared draw"],
  ["src/probability-estimators.ts", "const p = n === 1 ? await cond.reference(0) : await cond.sampled(prefix);", "const p = await cond.reference(n - 1);", "hybrid: collision mass along the reference, not the sampled prefix"],
  ["src/probability-estimators.ts", "if (a > 0) a *= (await cond.reference(k))[y[k]];", "a = (await cond.reference(k))[y[k]];", "accuracy: last conditional instead of the product"],
  ["src/probability-estimators.ts", "const w = pv * pv;", "const w = pv;", "exact collision: P(v) instead of P(v)^2"],
  ["src/brier-lm.ts", "x2 = checkSample(await callModel(\"model.sample\", () => model.sample!(slice(start, t), maxN, random)), maxN, \"model.sample (sample 2)\");", "x2 = x1;", "brierLM: second sample reuses the first"],
  ["src/brier-lm.ts", "if (spec === \"all\") return range(1, 1);", "if (spec === \"all\") return range(0, 1);", "positions: scoring t = 0 with an empty context"],
  ["src/aggregate.ts", "else if (b <= 0) reason", "else if (b < 0) reason", "BrierLM: a zero mean not reported as undefined"],
  ["src/aggregate.ts", "brierLM: reason === null ? 100 * Math.exp(logSum / N) : NaN", "brierLM: reason === null ? 100 * Math.exp(logSum / N) : 0", "BrierLM: silent clamp to 0"],
  ["src/aggregate.ts", "const scale = count > 1 ? 1 / ((count - 1) * count) : NaN;", "const scale = count > 1 ? 1 / (count - 1) : NaN;", "standard error: sd instead of sd / sqrt(count)"],
  ["src/kneser-ney.ts", "for (const [w, c] of level.counts) p[w] += Math.max(c - D, 0) / level.total;", "for (const [w, c] of level.counts) p[w] += Math.max(c - D, 0) / (level.total + 1);", "Kneser-Ney: level does not sum to 1"],
];

runMutationCheck(join(import.meta.dirname, ".."), mutants);
