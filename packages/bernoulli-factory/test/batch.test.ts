// SPDX-License-Identifier: MIT
// Algorithm 2 (batch approximation): exact output law by count-vector enumeration, the note's table,
// and the implementation's own law by tree evaluation.
import { describe, expect, it } from "vitest";
import type { BatchMethod, Rational } from "../src/index.js";
import { batchTemperatureLaw, createRandom, sampleAtTemperatureBatch, temperedDistribution } from "../src/index.js";
import { evaluateTree } from "../src/testing.js";

const tv = (a: readonly number[], b: readonly number[]) => a.reduce((s, x, i) => s + Math.abs(x - b[i]!), 0) / 2;
const HALF: Rational = { numerator: 1, denominator: 2 };
const THIRD: Rational = { numerator: 1, denominator: 3 };

describe("batchTemperatureLaw: the exact output law of Algorithm 2", () => {
  const P = [0.5, 0.3, 0.2];
  const target = temperedDistribution(P, HALF);

  it("reproduces the table of the estimators note §3.7 (P = (.5,.3,.2), T = 1/2)", () => {
    const table: [number, number[], number][] = [
      [1, [0.5, 0.3, 0.2], 0.157895],
      [2, [0.5, 0.3, 0.2], 0.157895],
      [3, [0.56, 0.276, 0.164], 0.097895],
      [5, [0.59375, 0.26793, 0.13832], 0.064145],
      [10, [0.61745, 0.25719, 0.12536], 0.040449],
      [20, [0.63472, 0.24894, 0.11634], 0.023177],
      [50, [0.6477, 0.24233, 0.10997], 0.01019],
      [100, [0.65262, 0.23971, 0.10766], 0.005273],
      [200, [0.65521, 0.23831, 0.10648], 0.002684],
    ];
    for (const [N, law, distance] of table) {
      const got = batchTemperatureLaw(P, HALF, N);
      law.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
      expect(tv(got, target)).toBeCloseTo(distance, 6);
    }
  });

  it("reproduces the T = 1/3 row and shows the bias shrinking (TV(200) < TV(50) < TV(10) < TV(1), N·TV bounded)", () => {
    const t3 = temperedDistribution(P, THIRD);
    const d = [1, 3, 10, 50, 200].map((N) => tv(batchTemperatureLaw(P, THIRD, N), t3));
    [0.28125, 0.22125, 0.10396, 0.02957, 0.00802].forEach((v, i) => expect(d[i]).toBeCloseTo(v, 5));
    const d2 = [1, 10, 50, 200].map((N) => tv(batchTemperatureLaw(P, HALF, N), target));
    expect(d2[3]!).toBeLessThan(d2[2]!);
    expect(d2[2]!).toBeLessThan(d2[1]!);
    expect(d2[1]!).toBeLessThan(d2[0]!);
    [10, 50, 200].forEach((N, i) => expect(N * d2[i + 1]!).toBeLessThan(0.6));
  });

  it("special cases: n = 1 and N = 1 give P; n = 2, N = 2 gives P; the exact rational case N = 4", () => {
    expect(batchTemperatureLaw(P, 1, 7).map((x) => +x.toFixed(12))).toEqual(P);
    batchTemperatureLaw(P, THIRD, 1).forEach((x, i) => expect(x).toBeCloseTo(P[i]!, 12));
    batchTemperatureLaw(P, HALF, 2).forEach((x, i) => expect(x).toBeCloseTo(P[i]!, 12));
    const q = batchTemperatureLaw([0.5, 0.25, 0.25], HALF, 4);
    [19 / 32, 13 / 64, 13 / 64].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 14));
  });

  it("plug-in method: converges to the target as N grows, also for fractional 1/T", () => {
    const T = { numerator: 2, denominator: 3 };
    const t = temperedDistribution(P, T);
    const d = [5, 20, 100].map((N) => tv(batchTemperatureLaw(P, T, N, "plug-in"), t));
    expect(d[2]!).toBeLessThan(d[1]!);
    expect(d[1]!).toBeLessThan(d[0]!);
    expect(d[2]!).toBeLessThan(0.01);
    // At T = 1/2 the paper's weights C(c, 2) have less bias than the plug-in c^2 (measured, see README).
    expect(tv(batchTemperatureLaw(P, HALF, 50), target)).toBeLessThan(tv(batchTemperatureLaw(P, HALF, 50, "plug-in"), target));
  });
});

describe("sampleAtTemperatureBatch: the implementation's own law equals the enumeration", () => {
  // Every sampler draw is a K-way branch (K^N paths), so N stays small; the choice is exact darts.
  // The plug-in race with fractional 1/T restarts on rejection, so its tree is cut at 1e-10 (bound: cut mass).
  function implementationLaw(P: readonly number[], T: Rational, N: number, method: BatchMethod) {
    return evaluateTree(
      (c) => {
        const sample = c.categorical(P, ["a", "b", "c", "d"].slice(0, P.length));
        return sampleAtTemperatureBatch(sample, T, { batchSize: N, random: c.source, method });
      },
      { weightFloor: method === "paper" ? 1e-14 : 1e-10 },
    );
  }
  it.each([
    [[0.5, 0.3, 0.2], HALF, 5, "paper"],
    [[0.5, 0.3, 0.2], THIRD, 6, "paper"],
    [[0.5, 0.3, 0.2], THIRD, 5, "paper"], // counts (2, 2, 1) exercise the fallback to m = 2
    [[0.5, 0.3, 0.2], { numerator: 1, denominator: 4 }, 5, "paper"],
    [[0.4, 0.3, 0.2, 0.1], HALF, 4, "paper"],
    [[0.5, 0.25, 0.25], HALF, 4, "paper"],
    [[0.5, 0.3, 0.2], HALF, 5, "plug-in"],
    [[0.6, 0.4], { numerator: 2, denominator: 3 }, 4, "plug-in"],
    [[0.5, 0.3, 0.2], { numerator: 2, denominator: 5 }, 3, "plug-in"],
  ] as [number[], Rational, number, BatchMethod][])("P = %o, T = %o, N = %i, %s", (P, T, N, method) => {
    const r = implementationLaw(P, T, N, method);
    const law = batchTemperatureLaw(P, T, N, method);
    expect(r.unresolved).toBeLessThan(1e-5);
    law.forEach((v, i) => {
      const got = r.probabilityOf(["a", "b", "c", "d"][i]!);
      expect(Math.abs(got - v)).toBeLessThanOrEqual(r.unresolved + 1e-12);
    });
  });

  it("a cascade that always uses m = n (no fallback) or weights c instead of C(c, m) is caught", () => {
    const P = [0.5, 0.3, 0.2];
    const law = batchTemperatureLaw(P, THIRD, 5); // n = 3: with 5 draws over 3 outcomes the fallback matters
    const mutant = (weight: (c: number, m: number) => number, noFallback: boolean) =>
      evaluateTree((ch) => {
        const draws = Array.from({ length: 5 }, () => ch.branch(P));
        const counts = [0, 1, 2].map((x) => draws.filter((d) => d === x).length);
        const m = noFallback ? 3 : Math.min(3, Math.max(...counts));
        const w = counts.map((c) => weight(c, m));
        const total = w.reduce((a, b) => a + b, 0);
        return total === 0 ? draws[0]! : ch.branch(w.map((x) => x / total));
      });
    const C = (c: number, m: number) => {
      let r = 1;
      for (let j = 0; j < m; j++) r = (r * (c - j)) / (j + 1);
      return c < m ? 0 : r;
    };
    const off = (r: ReturnType<typeof mutant>) => Math.max(...law.map((v, i) => Math.abs(r.probabilityOf(i) - v)));
    expect(off(mutant(C, false))).toBeLessThan(1e-12); // hand copy, right
    expect(off(mutant((c) => c, false))).toBeGreaterThan(0.01);
    expect(off(mutant(C, true))).toBeGreaterThan(1e-3);
  });
});

describe("sampleAtTemperatureBatch: behaviour and bad input", () => {
  const random = createRandom(5);
  it("T = 1 returns one draw; the paper's example batch gives A with 3/4 and B with 1/4", () => {
    let calls = 0;
    expect(sampleAtTemperatureBatch(() => (calls++, 9), 1, { batchSize: 50 })).toBe(9);
    expect(calls).toBe(1);
    const batch = ["A", "C", "A", "D", "B", "E", "A", "F", "B", "G"];
    const r = evaluateTree((c) => {
      let i = 0;
      return sampleAtTemperatureBatch(() => batch[i++]!, HALF, { batchSize: 10, random: c.source });
    });
    expect(r.probabilityOf("A")).toBeCloseTo(0.75, 14);
    expect(r.probabilityOf("B")).toBeCloseTo(0.25, 14);
  });

  it("groups arrays of token ids element-wise, or by key", () => {
    let i = 0;
    const chunks = [[1, 2], [3, 4], [1, 2]];
    const out = sampleAtTemperatureBatch(() => [...chunks[i++ % 3]!], HALF, { batchSize: 3, random });
    expect(out).toEqual([1, 2]);
    let j = 0;
    const keyed = sampleAtTemperatureBatch(() => ({ id: j++ % 2 === 0 ? "x" : `y${j}` }), HALF, {
      batchSize: 5,
      random,
      key: (d) => d.id,
    });
    expect(keyed.id).toBe("x");
  });

  it("refuses batch size < 1, fractional 1/T with the paper's method, missing randomness, equals without key", () => {
    const s = () => 1;
    expect(() => sampleAtTemperatureBatch(s, HALF, { batchSize: 0, random })).toThrow(
      /sampleAtTemperatureBatch: options.batchSize is 0, must be an integer >= 1/,
    );
    expect(() => sampleAtTemperatureBatch(s, HALF, { batchSize: 2.5, random })).toThrow(/batchSize is 2.5/);
    expect(() => sampleAtTemperatureBatch(s, { numerator: 2, denominator: 3 }, { random })).toThrow(
      /1\/T = 1 \+ 1\/2 is not an integer/,
    );
    expect(() => sampleAtTemperatureBatch(s, HALF)).toThrow(/options.random or options.seed is required/);
    expect(() => sampleAtTemperatureBatch(s, HALF, { random, equals: () => true })).toThrow(/pass options.key/);
    expect(() => sampleAtTemperatureBatch(s, 2, { random })).toThrow(/temperature is 2, must be <= 1/);
    expect(() => sampleAtTemperatureBatch(s, HALF, { random, method: "x" as BatchMethod })).toThrow(/method is "x"/);
    expect(() => batchTemperatureLaw([0.5, 0.6], HALF, 3)).toThrow(/probabilities sum to 1.1/);
    expect(() => batchTemperatureLaw([0.5, 0.5], HALF, 0)).toThrow(/batchSize is 0/);
  });
});
