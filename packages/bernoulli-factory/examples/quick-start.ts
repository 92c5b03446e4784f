// SPDX-License-Identifier: MIT
// Run from the repository root:
//   node_modules/.bin/tsx --conditions=@calm/source packages/bernoulli-factory/examples/quick-start.ts
import {
  createRandom,
  expectedSamplerCalls,
  power,
  randomSource,
  sampleAtTemperature,
  sampleAtTemperatureBatch,
  temperedDistribution,
} from "@calm/bernoulli-factory";
import { evaluateTree } from "@calm/bernoulli-factory/testing";

const random = createRandom(2026);

// Any sampler works: here a 2-token "chunk" model that we can only sample from.
const sampleChunk = (): number[] => {
  const u = random();
  return u < 0.5 ? [7, 1] : u < 0.8 ? [7, 2] : [9, 9];
};

// Exact sampling at T = 2/5 (1/T = 5/2 exactly): law P^(5/2)/Z.
const T = { numerator: 2, denominator: 5 };
const counts = new Map<string, number>();
let draws = 0;
const counted = () => (draws++, sampleChunk());
for (let i = 0; i < 10_000; i++) {
  const x = sampleAtTemperature(counted, T, { random });
  counts.set(x.join(","), (counts.get(x.join(",")) ?? 0) + 1);
}
console.log("target  ", temperedDistribution([0.5, 0.3, 0.2], T).map((p) => p.toFixed(4)).join(" "));
console.log("observed", ["7,1", "7,2", "9,9"].map((k) => ((counts.get(k) ?? 0) / 10_000).toFixed(4)).join(" "));
console.log("draws per sample", (draws / 10_000).toFixed(3), "theory", expectedSamplerCalls([0.5, 0.3, 0.2], T).toFixed(3));

// The batch approximation used by CALM's released code (T = 1/2, N = 200 draws).
console.log("batch sample", sampleAtTemperatureBatch(sampleChunk, 0.5, { batchSize: 200, random }));

// A Bernoulli factory: sqrt(λ) from a λ-coin, and its exact law by tree evaluation.
const source = randomSource(random);
const coin = () => source.bernoulli(1, 4); // λ = 1/4
console.log("power(coin, 1/2) flip:", power(coin, { numerator: 1, denominator: 2 }, random));
const tree = evaluateTree((c) => power(c.coin(0.25), { numerator: 1, denominator: 2 }, c.source));
console.log("P(true) =", tree.probabilityOf(true), "± ", tree.unresolved, " E[flips] =", tree.expected.coin);
