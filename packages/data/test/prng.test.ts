// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { createPrng, prngFromState, shuffleInPlace } from "../src/index.js";
import type { Prng } from "../src/index.js";

describe("xoshiro128**", () => {
  it("matches the recurrence worked by hand from state [1, 2, 3, 4]", () => {
    // s1 = 2: rotl(2*5, 7) * 9 = 11520; after one step s1 = 0 -> 0; then s1 = 1029 -> rotl(5145, 7) * 9 = 5927040.
    const rng = prngFromState([1, 2, 3, 4]);
    expect([rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0]);
    expect(rng.state()).toEqual([12295, 1029, 1029, 25165824]);
    expect(rng.nextUint32()).toBe(5927040);
  });

  it("restores exactly from a saved state, also through JSON", () => {
    const a = createPrng(123);
    for (let i = 0; i < 17; i++) a.nextUint32();
    const b = prngFromState(JSON.parse(JSON.stringify(a.state())));
    for (let i = 0; i < 100; i++) expect(b.nextUint32()).toBe(a.nextUint32());
  });

  it("is a function of the seed; nearby seeds differ; seeds are taken modulo 2^32", () => {
    const seq = (r: Prng) => Array.from({ length: 8 }, () => r.nextUint32());
    expect(seq(createPrng(5))).toEqual(seq(createPrng(5)));
    expect(seq(createPrng(5))).not.toEqual(seq(createPrng(6)));
    expect(seq(createPrng(-1))).toEqual(seq(createPrng(2 ** 32 - 1)));
    // Pinned so a change of the seeding is noticed (checkpoints of training runs depend on it).
    expect(createPrng(0).state()).toMatchInlineSnapshot(`
      [
        1684164658,
        3653269916,
        2939563536,
        2141751570,
      ]
    `);
  });

  it("nextFloat is in [0, 1) and nextInt in [0, n)", () => {
    const r = createPrng(9);
    for (let i = 0; i < 2000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const k = r.nextInt(7);
      expect(Number.isInteger(k) && k >= 0 && k < 7).toBe(true);
    }
    expect(r.nextInt(1)).toBe(0);
    const big = r.nextInt(2 ** 32);
    expect(big >= 0 && big < 2 ** 32).toBe(true);
  });

  it("nextInt(6) passes a chi-square test (seeded; false-failure rate 0.1% for a good generator)", () => {
    const r = createPrng(2024);
    const counts = new Array(6).fill(0);
    const N = 60000;
    for (let i = 0; i < N; i++) counts[r.nextInt(6)]++;
    const chi2 = counts.reduce((s, c) => s + (c - N / 6) ** 2 / (N / 6), 0);
    expect(chi2).toBeLessThan(20.52); // chi-square 5 df, 0.999 quantile
  });

  it("rejects bad seeds, states and ranges", () => {
    expect(() => createPrng(1.5)).toThrow("createPrng: seed is 1.5");
    expect(() => prngFromState([0, 0, 0, 0])).toThrow("all zero");
    expect(() => prngFromState([1, 2, 3] as never)).toThrow("prngFromState");
    expect(() => prngFromState([1, 2, 3, -4])).toThrow("state[3] is -4");
    expect(() => createPrng(1).nextInt(0)).toThrow("nextInt: n is 0");
  });
});

/** Chi-square statistic of the 24 permutations of 4 items over N shuffles. */
function permutationChi2(shuffle: (a: number[], r: Prng) => void, seed: number, N: number): number {
  const r = createPrng(seed);
  const counts = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const a = [0, 1, 2, 3];
    shuffle(a, r);
    const k = a.join("");
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  if (counts.size !== 24) return Infinity;
  let chi2 = 0;
  for (const c of counts.values()) chi2 += (c - N / 24) ** 2 / (N / 24);
  return chi2;
}

describe("shuffleInPlace", () => {
  const CHI2_23_999 = 49.73; // chi-square 23 df, 0.999 quantile: false-failure rate 0.1% for a uniform shuffle

  it("returns a permutation and draws all 24 orders of 4 items uniformly (seeded chi-square)", () => {
    const a = shuffleInPlace(Array.from({ length: 50 }, (_, i) => i), createPrng(1));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutationChi2((x, r) => shuffleInPlace(x, r), 77, 24000)).toBeLessThan(CHI2_23_999);
  });

  it("maps the 4·3·2 equally likely draw sequences one-to-one onto the 24 orders (exact enumeration: each order has probability 1/4!)", () => {
    const seen = new Set<string>();
    for (let d0 = 0; d0 < 4; d0++) {
      for (let d1 = 0; d1 < 3; d1++) {
        for (let d2 = 0; d2 < 2; d2++) {
          const draws = [d0, d1, d2];
          const asked: number[] = [];
          const scripted = { nextInt: (n: number) => (asked.push(n), draws[asked.length - 1]) } as Prng;
          seen.add(shuffleInPlace([0, 1, 2, 3], scripted).join(""));
          expect(asked).toEqual([4, 3, 2]);
        }
      }
    }
    expect(seen.size).toBe(24);
  });

  it("the same check rejects the classic biased shuffle (swap with any position)", () => {
    const naive = (a: number[], r: Prng) => {
      for (let i = 0; i < a.length; i++) {
        const j = r.nextInt(a.length);
        [a[i], a[j]] = [a[j], a[i]];
      }
    };
    expect(permutationChi2(naive, 77, 24000)).toBeGreaterThan(CHI2_23_999);
  });
});
