// SPDX-License-Identifier: MIT
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRandom, fitKneserNey } from "../src/index.js";

describe("fitKneserNey", () => {
  it("matches hand-computed interpolated KN probabilities (order 2, D = 0.5)", () => {
    // Corpus 0 1 0 1 2, V = 3. Bigrams: 0->1 twice, 1->0, 1->2. Continuation counts N1+(. w) = 1 for every w,
    // so the unigram level is (1 - 0.5)/3 + 0.5 * 3/3 * 1/3 = 1/3 for each token.
    const lm = fitKneserNey([0, 1, 0, 1, 2], { order: 2, vocabSize: 3, discount: 0.5 });
    const close = (got: Float64Array, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 15));
    close(lm.nextTokenProbs([0]), [1 / 12, 10 / 12, 1 / 12]); // (2 - .5)/2 + .5 * 1/2 * 1/3 for token 1
    close(lm.nextTokenProbs([1]), [5 / 12, 2 / 12, 5 / 12]); // .5/2 + .5 * 2/2 * 1/3 for tokens 0 and 2
    close(lm.nextTokenProbs([2]), [1 / 3, 1 / 3, 1 / 3]); // unseen history: unigram level
    close(lm.nextTokenProbs([]), [1 / 3, 1 / 3, 1 / 3]);
    close(lm.nextTokenProbs([2, 2, 0]), [1 / 12, 10 / 12, 1 / 12]); // only the last order - 1 tokens count
  });

  it("next-token distributions are positive and sum to 1 for random corpora, orders and contexts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 6 }),
        (train, order, context) => {
          const lm = fitKneserNey(train, { order, vocabSize: 8 });
          const p = lm.nextTokenProbs(context);
          expect(p.length).toBe(8);
          expect(Math.abs(p.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
          for (const x of p) expect(x).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("uses Ney's discount n1 / (n1 + 2 n2) per level", () => {
    // Top level (bigrams) of 0 1 0 1 0 2: 0->1 twice, 1->0 twice, 0->2 once: n1 = 1, n2 = 2 -> D = 1/5.
    const lm = fitKneserNey([0, 1, 0, 1, 0, 2], { order: 2 });
    expect(lm.discounts[1]).toBeCloseTo(1 / 5, 15);
    expect(lm.vocabSize).toBe(3);
  });

  it("does not count n-grams across document boundaries", () => {
    const joined = fitKneserNey([0, 1, 2, 3], { order: 2, discount: 0.5 });
    const split = fitKneserNey([[0, 1], [2, 3]], { order: 2, discount: 0.5 });
    expect(joined.nextTokenProbs([1])[2]).toBeGreaterThan(0.5);
    expect(split.nextTokenProbs([1])[2]).toBeLessThan(0.5);
  });

  it("samples with the frequencies of nextTokenProbs (fixed seed; z = 6.1 per cell, false failure < 1e-8)", () => {
    const lm = fitKneserNey([0, 1, 2, 0, 1, 0, 2, 2, 1, 0, 0, 1], { order: 2, vocabSize: 4 });
    const random = createRandom(11);
    const n = 40_000;
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[lm.sample([0], 1, random)[0]]++;
    const p = lm.nextTokenProbs([0]);
    counts.forEach((c, v) => expect(Math.abs(c / n - p[v])).toBeLessThan(6.1 * Math.sqrt((p[v] * (1 - p[v])) / n)));
    const long = lm.sample([1], 50, createRandom(1));
    expect(long).toHaveLength(50);
    expect(long.every((v) => Number.isInteger(v) && v >= 0 && v < 4)).toBe(true);
  });

  it("rejects bad input with named errors", () => {
    expect(() => fitKneserNey([0, 1.5], {})).toThrow("fitKneserNey: tokens[1] is 1.5, must be a non-negative integer token id");
    expect(() => fitKneserNey([0, 1], { order: 0 })).toThrow("fitKneserNey: options.order is 0, must be an integer >= 1");
    expect(() => fitKneserNey([0, 5], { vocabSize: 3 })).toThrow("options.vocabSize is 3, must be an integer > the largest token id (5)");
    expect(() => fitKneserNey([0, 1], { discount: 1.5 })).toThrow("options.discount for level 1 is 1.5, must be in (0, 1]");
    expect(() => fitKneserNey([0, 1], { cacheSize: -1 })).toThrow("fitKneserNey: options.cacheSize is -1, must be an integer >= 0");
  });
});
