// SPDX-License-Identifier: MIT
// Mutation check: applies plausible bugs to the sources one at a time, runs this package's test suite,
// and restores the file. Every mutant must make some test fail. Run from the repository root:
//   node_modules/.bin/tsx packages/bernoulli-factory/scripts/mutation-check.ts
// It edits files under packages/bernoulli-factory/src while it runs (about 2 minutes); do not run it
// while editing them.
import { join } from "node:path";
import { type Mutant, runMutationCheck } from "../../../tools/mutation-check.js";

const mutants: Mutant[] = [
  ["src/power.ts", "const stop = bernoulliOverStep(source, a, b);", "const stop = bernoulliOverStep(source, b - a, b);", "Mendo: 1 - alpha instead of alpha"],
  ["src/power.ts", "for (let i = 1; ; i++) {\n    if (coin()) return true;\n    if (stop(i))", "for (let i = 2; ; i++) {\n    if (coin()) return true;\n    if (stop(i))", "Mendo: i starts at 2 (off by one)"],
  ["src/power.ts", "const s = r + e.den;", "const s = r;", "split erratum 1: r instead of r + y"],
  ["src/power.ts", "for (let j = 0; j < k; j++) if (!coin()) return false;", "for (let j = 0; j < k; j++) if (coin()) return false;", "integer power: return 0 on heads (erratum 2)"],
  ["src/temperature.ts", "if (!integerPowerRun(coin, n - 1)) return { accepted: false };", "if (!integerPowerRun(coin, n)) return { accepted: false };", "Algorithm 1: n stage-1 comparisons instead of n - 1"],
  ["src/temperature.ts", "if (alphaNum > 0n && !mendoRun(coin, alphaNum, alphaDen, source))", "if (alphaNum > 0n && !mendoRun(coin, alphaDen - alphaNum, alphaDen, source))", "Algorithm 1: stage 2 with 1 - alpha"],
  ["src/temperature.ts", "all = coin() && all; // draw all n − 1, then decide", "all = all && coin(); // draw all n − 1, then decide", "earlyRejection: false stops at the first mismatch (not Theorem 2's algorithm)"],
  ["src/temperature-batch.ts", "const m = Math.min(n, Math.max(...counts));", "const m = Math.min(n, Math.max(...counts) + 1);", "batch: cascade off by one"],
  ["src/random.ts", "      if (u !== digit) return digit; // U's digit", "      if (u !== digit) return !digit; // U's digit", "exact Bernoulli: comparison reversed"],
  ["src/exponential.ts", "return k % 2 === 1;", "return k % 2 === 0;", "exp(-x): K even instead of odd"],
  ["src/rational-maps.ts", "const stopNum = de.num * ce.den;", "const stopNum = ce.num * de.den;", "logistic: c and d swapped"],
  ["src/temperature-law.ts", ": p * n;", ": p * (n - 1);", "Theorem 2 formula off by one"],
  ["src/probability-tree.ts", "if (this.branch([q, 1 - q]) === 0) {", "if (this.branch([1 - q, q]) === 0) {", "evaluator: lazy comparison branch swapped"],
];

runMutationCheck(join(import.meta.dirname, ".."), mutants);
