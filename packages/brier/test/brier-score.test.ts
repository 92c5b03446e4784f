// SPDX-License-Identifier: MIT
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brierEstimate, brierEstimatesByN, brierScore, createRandom, deriveSeed, sampleIndex, summarizeEstimates } from "../src/index.js";

describe("brierScore and brierEstimate", () => {
  it("brierScore is 1 - the textbook Brier score", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 6 }), fc.nat(), (w, yRaw) => {
        fc.pre(w.some((x) => x > 0));
        const total = w.reduce((a, b) => a + b, 0);
        const p = w.map((x) => x / total);
        const y = yRaw % p.length;
        const textbook = p.reduce((s, q, i) => s + (q - (i === y ? 1 : 0)) ** 2, 0);
        expect(brierScore(p, y)).toBeCloseTo(1 - textbook, 12);
      }),
    );
  });

  it("rejects probabilities that are negative, NaN, above 1, or do not sum to 1, and bad outcomes", () => {
    expect(() => brierScore([0.6, -0.1, 0.5], 0)).toThrow("brierScore: probs[1] is -0.1, must be a number in [0, 1]");
    expect(() => brierScore([0.5, NaN, 0.5], 0)).toThrow("brierScore: probs[1] is NaN, must be a number in [0, 1]");
    expect(() => brierScore([1.5, 0], 0)).toThrow("brierScore: probs[0] is 1.5");
    expect(() => brierScore([0.5, 0.4], 0)).toThrow("brierScore: probs sums to 0.9, must sum to 1 within tolerance = 0.000001");
    expect(brierScore([0.5, 0.4], 0, 0.2)).toBeCloseTo(1 - 0.41, 12);
    expect(() => brierScore([], 0)).toThrow("brierScore: probs is empty");
    expect(() => brierScore([0.5, 0.5], 2)).toThrow("brierScore: y is 2, must be an integer in [0, 1]");
    expect(() => brierScore("abc" as never, 0)).toThrow('brierScore: probs is "abc", must be an array of probabilities');
  });

  it("brierEstimate compares tokens, or n-grams element-wise", () => {
    expect(brierEstimate(3, 3, 5)).toBe(1);
    expect(brierEstimate(3, 3, 3)).toBe(1);
    expect(brierEstimate(3, 4, 4)).toBe(-1);
    expect(brierEstimate([1, 2], [1, 2], [1, 0])).toBe(1);
    expect(brierEstimate(new Uint16Array([1, 2]), [1, 0], [1, 0])).toBe(-1);
    expect(() => brierEstimate([1, 2], [1], [1, 2])).toThrow("brierEstimate: n-grams differ in length (1 vs 2)");
    expect(() => brierEstimate(1, [1], 1)).toThrow("brierEstimate: cannot compare a token with an n-gram");
    expect(brierEstimatesByN([1, 2, 3], [1, 2, 0], [1, 0, 0], 3)).toEqual([1, 1, 0]);
  });

  it("summarizeEstimates: means, standard errors, and no standard error from one position", () => {
    const s = summarizeEstimates([[1, 1], [0, -1]], 2);
    expect(s.brierN).toEqual([0.5, 0]);
    expect(s.standardError[0]).toBeCloseTo(0.5, 12);
    expect(summarizeEstimates([[1]], 1).standardError[0]).toBeNaN();
  });
});

describe("createRandom and sampleIndex", () => {
  it("is deterministic per seed, in [0, 1), a multiple of 2^-53, and differs across seeds", () => {
    const a = createRandom(5);
    const b = createRandom(5);
    const c = createRandom(6);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1 && Number.isInteger(x * 2 ** 53))).toBe(true);
    expect(c()).not.toBe(xs[0]);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(1, 3));
    expect(() => createRandom(NaN)).toThrow("createRandom: seed is NaN, must be a finite number");
  });

  it("has the right mean and bit balance (fixed seed; z = 6.1, false failure < 1e-8 per check)", () => {
    const r = createRandom(123);
    const n = 100_000;
    let sum = 0;
    let top = 0;
    for (let i = 0; i < n; i++) {
      const u = r();
      sum += u;
      if (u >= 0.5) top++;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(6.1 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(top / n - 0.5)).toBeLessThan(6.1 * Math.sqrt(0.25 / n));
  });

  it("sampleIndex never returns a zero-probability index and follows the weights", () => {
    const r = createRandom(9);
    const p = [0, 0.25, 0, 0.75];
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[sampleIndex(p, r)]++;
    expect(counts[0] + counts[2]).toBe(0);
    expect(Math.abs(counts[1] / 20_000 - 0.25)).toBeLessThan(6.1 * Math.sqrt((0.25 * 0.75) / 20_000));
    expect(sampleIndex([0, 1], () => 0.999999999999)).toBe(1);
    expect(() => sampleIndex([0, 0], r)).toThrow("sampleIndex: probs has no positive entry");
  });
});
