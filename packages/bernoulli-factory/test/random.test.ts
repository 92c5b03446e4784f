// SPDX-License-Identifier: MIT
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createRandom, drawKey, drawsEqual, randomSource } from "../src/index.js";
import { bernoulliFromBits } from "../src/random.js";
import { evaluateTree } from "../src/testing.js";

describe("createRandom", () => {
  it("is reproducible, in [0, 1), on the 2^-53 grid, and seeds give different streams", () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const c = createRandom(43);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c())).not.toEqual(xs);
    for (const x of xs) {
      expect(x >= 0 && x < 1).toBe(true);
      expect(Number.isInteger(x * 2 ** 53)).toBe(true);
    }
    const neg = createRandom(-5)();
    const big = createRandom(2 ** 40 + 1)();
    expect(neg).not.toBe(createRandom(5)());
    expect(big).not.toBe(createRandom(1)());
  });

  it("refuses a seed that is not a safe integer", () => {
    expect(() => createRandom(1.5)).toThrow(/createRandom: seed is 1.5, must be a safe integer/);
    expect(() => createRandom(Number.NaN)).toThrow(/seed is NaN/);
  });

  it("gives fair bits in every position (seeded; false-failure rate < 1e-9 per check)", () => {
    // 32 bit positions × 20 000 words: |mean − 1/2| ≤ z·0.5/√n with z = 7.13 (α = 1e-12 each, 32 checks).
    const random = createRandom(7);
    const n = 20_000;
    const ones = new Array<number>(32).fill(0);
    for (let i = 0; i < n; i++) {
      const w = Math.floor(random() * 2 ** 32) >>> 0;
      for (let k = 0; k < 32; k++) ones[k]! += (w >>> k) & 1;
    }
    for (const o of ones) expect(Math.abs(o / n - 0.5)).toBeLessThanOrEqual((7.13 * 0.5) / Math.sqrt(n));
  });
});

describe("randomSource and exact Bernoulli(a/b)", () => {
  it("bernoulliFromBits(a, b) has probability exactly a/b (tree over fair bits, fast-check)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 80n }), fc.bigInt({ min: 0n, max: 2n ** 80n }), (b, a0) => {
        const a = a0 % (b + 1n);
        const small = b <= 2n ** 51n;
        const r = evaluateTree((c) => bernoulliFromBits(() => c.source.bit(), small ? Number(a) : a, small ? Number(b) : b));
        expect(Math.abs(r.probabilityOf(true) - Number(a) / Number(b))).toBeLessThanOrEqual(r.unresolved + 1e-14);
        expect(r.expected.bit ?? 0).toBeLessThanOrEqual(2 + 1e-9);
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it("reads the top bits of random() first and keeps unused bits across calls", () => {
    const seq = [0.5, 0.25];
    let i = 0;
    const random = () => seq[i++]!;
    const s = randomSource(random);
    expect(s.bit()).toBe(true); // 0.5 = 0b1000…
    expect(s.bit()).toBe(false);
    expect(randomSource(random)).toBe(s);
    for (let k = 0; k < 30; k++) s.bit();
    expect(s.bit()).toBe(false); // 0.25 = 0b0100…
    expect(s.bit()).toBe(true);
  });

  it("refuses bad arguments", () => {
    const s = randomSource(createRandom(1));
    expect(() => s.bernoulli(3, 2)).toThrow(/bernoulli: numerator is 3, must be an integer in \[0, 2\]/);
    expect(() => s.bernoulli(1, 0)).toThrow(/bernoulli: denominator is 0/);
    expect(() => s.bernoulli(0.5, 2)).toThrow(/numerator is 0.5/);
    expect(() => randomSource(5 as unknown as () => number)).toThrow(/randomSource: random is 5/);
    expect(() => randomSource(() => Number.NaN).bit()).toThrow(/random\(\) returned NaN/);
  });
});

describe("draw equality", () => {
  it("compares token arrays element-wise, typed arrays too, objects by identity", () => {
    expect(drawsEqual([1, 2, 3], [1, 2, 3])).toBe(true);
    expect(drawsEqual([1, 2, 3], Int32Array.of(1, 2, 3))).toBe(true);
    expect(drawsEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(drawsEqual([[1], [2]], [[1], [2]])).toBe(true);
    expect(drawsEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(drawsEqual({ a: 1 }, { a: 1 })).toBe(false);
    expect(drawKey([1, 2])).toBe(drawKey(Uint8Array.of(1, 2)));
    expect(drawKey([1, 2])).not.toBe(drawKey(["1", "2"]));
    expect(drawKey(0)).toBe(drawKey(-0));
  });
});
