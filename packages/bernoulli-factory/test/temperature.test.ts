// SPDX-License-Identifier: MIT
// Algorithm 1 (exact temperature sampling): exact output law and Theorem 2's cost, by tree evaluation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Rational } from "../src/index.js";
import {
  attemptAtTemperature,
  BudgetExceededError,
  createRandom,
  expectedSamplerCalls,
  sampleAtTemperature,
  temperedDistribution,
} from "../src/index.js";
import type { Chance, LazyDraw } from "../src/testing.js";
import { evaluateTree } from "../src/testing.js";

const TOL = 1e-12;

/** One attempt of the library's Algorithm 1 on a lazily revealed categorical P: result index or −1. */
function attemptProgram(P: readonly number[], T: Rational, earlyRejection = true) {
  return (c: Chance): number => {
    const lazy = c.lazyCategorical(P);
    const r = attemptAtTemperature(lazy.sample, T, { equals: lazy.equals, random: c.source, earlyRejection });
    return r.accepted ? lazy.reveal(r.value) : -1;
  };
}

/** Per-attempt law and certified bounds on Theorem 2's expected sampler calls. */
function analyseAttempt(P: readonly number[], T: Rational, earlyRejection = true) {
  const r = evaluateTree(attemptProgram(P, T, earlyRejection), { weightFloor: 1e-15 });
  const accept = P.map((_, x) => r.probabilityOf(x));
  const A = accept.reduce((a, b) => a + b, 0);
  const n = Math.floor(Number(T.denominator) / Number(T.numerator));
  const pmin = Math.min(...P.filter((p) => p > 0));
  // A cut path has made unresolvedCounts draws; from there at most n − 1 stage-1 draws and, in stage 2,
  // a geometric number with success probability P(x*) ≥ pmin remain.
  const drawsLo = (r.expected.draw ?? 0) + (r.unresolvedCounts.draw ?? 0);
  const drawsHi = drawsLo + r.unresolved * (n + 1 / pmin);
  return { r, accept, A, callsLo: drawsLo / (A + r.unresolved), callsHi: drawsHi / A };
}

const weightsArb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 });
const temperatureArb = fc
  .record({ numerator: fc.integer({ min: 1, max: 7 }), denominator: fc.integer({ min: 1, max: 16 }) })
  .filter(({ numerator, denominator }) => numerator <= denominator && denominator / numerator <= 4);

describe("attemptAtTemperature: one round of Algorithm 1, exactly", () => {
  it("accepts x with probability P(x)^(1/T) (Theorem 1) for random small P and rational T (fast-check)", () => {
    fc.assert(
      fc.property(weightsArb, temperatureArb, (w, T) => {
        const total = w.reduce((a, b) => a + b, 0);
        const P = w.map((x) => x / total);
        const { r, accept } = analyseAttempt(P, T);
        expect(r.unresolved).toBeLessThan(1e-12);
        const beta = T.denominator / T.numerator;
        accept.forEach((a, x) => expect(Math.abs(a - P[x]! ** beta)).toBeLessThanOrEqual(r.unresolved + TOL));
      }),
      { numRuns: 60, seed: 7 },
    );
  });

  it("reproduces the note's check P = (.5,.3,.2), 1/T = 1.5 → P^1.5 = (0.35355339, 0.16431677, 0.08944272)", () => {
    const { accept, r } = analyseAttempt([0.5, 0.3, 0.2], { numerator: 2, denominator: 3 });
    expect(r.unresolved).toBeLessThan(1e-12);
    [0.35355339, 0.16431677, 0.08944272].forEach((v, i) => expect(accept[i]).toBeCloseTo(v, 8));
  });
});

describe("expected sampler calls (Theorem 2)", () => {
  const P = [0.5, 0.3, 0.2];
  // Reference values: estimators note §3.6 (T = 0.4, 0.8); T = 1/3 by hand: n/Z = 3/0.16 (Theorem 2) and
  // (2 + ΣP²)/Z = 2.38/0.16 with early rejection.
  it.each([
    [{ numerator: 2, denominator: 5 }, 10.6874488, 10.6874488],
    [{ numerator: 4, denominator: 5 }, 4.18659, 4.18659],
    [{ numerator: 1, denominator: 3 }, 18.75, 14.875],
    [{ numerator: 1, denominator: 1 }, 1, 1],
  ])("T = %o: the tree's certified interval contains Theorem 2's value %f (and %f with early rejection)", (T, paper, early) => {
    const theorem = expectedSamplerCalls(P, T, { earlyRejection: false });
    expect(theorem).toBeCloseTo(paper, 6);
    expect(expectedSamplerCalls(P, T)).toBeCloseTo(early, 6);
    for (const earlyRejection of [false, true]) {
      const expected = expectedSamplerCalls(P, T, { earlyRejection });
      const { callsLo, callsHi } = analyseAttempt(P, T, earlyRejection);
      expect(callsLo).toBeLessThanOrEqual(expected + 1e-9);
      expect(callsHi).toBeGreaterThanOrEqual(expected - 1e-9);
      expect(callsHi - callsLo).toBeLessThan(1e-9);
    }
  });

  // The closed forms, written out here independently of the library (1/T = n + α exactly from the rational T).
  const split = (T: Rational) => {
    const [num, den] = [Number(T.numerator), Number(T.denominator)];
    return { n: Math.floor(den / num), fractional: den % num !== 0, beta: den / num };
  };
  /** CALM paper, Theorem 2 (Algorithm 1 as written): (n + [α > 0] Σ_x P(x)^(1/T − 1)) / Z_T. */
  const theorem2 = (P: readonly number[], T: Rational) => {
    const { n, fractional, beta } = split(T);
    const Z = P.reduce((s, p) => s + p ** beta, 0);
    return (n + (fractional ? P.reduce((s, p) => s + p ** (beta - 1), 0) : 0)) / Z;
  };
  /** Early rejection: the candidate, then comparison j (1 ≤ j ≤ n − 1) only if the j − 1 before matched. */
  const earlyRejectionCost = (P: readonly number[], T: Rational) => {
    const { n, fractional, beta } = split(T);
    const Z = P.reduce((s, p) => s + p ** beta, 0);
    let stage1 = 0;
    for (const p of P) for (let j = 0; j < n; j++) stage1 += p * (j === 0 ? 1 : p ** (j - 1));
    return (stage1 + (fractional ? P.reduce((s, p) => s + p ** (beta - 1), 0) : 0)) / Z;
  };

  it("earlyRejection: false (the paper's Algorithm 1 as written) costs exactly Theorem 2; the default costs its own closed form (fast-check)", () => {
    fc.assert(
      fc.property(weightsArb, temperatureArb, fc.boolean(), (w, T, earlyRejection) => {
        const total = w.reduce((a, b) => a + b, 0);
        const P = w.map((x) => x / total);
        const expected = earlyRejection ? earlyRejectionCost(P, T) : theorem2(P, T);
        expect(Math.abs(expectedSamplerCalls(P, T, { earlyRejection }) - expected)).toBeLessThan(1e-12 * expected);
        const { callsLo, callsHi } = analyseAttempt(P, T, earlyRejection);
        expect(callsLo).toBeLessThanOrEqual(expected * (1 + 1e-12));
        expect(callsHi).toBeGreaterThanOrEqual(expected * (1 - 1e-12));
        expect((callsHi - callsLo) / expected).toBeLessThan(1e-9);
      }),
      { numRuns: 40, seed: 11 },
    );
  });

  it("the default (early rejection) equals Theorem 2 for n ≤ 2 (T > 1/3) and is strictly cheaper for n ≥ 3 (T ≤ 1/3)", () => {
    const P = [0.5, 0.3, 0.2];
    for (const [T, cheaper] of [
      [{ numerator: 1, denominator: 1 }, false],
      [{ numerator: 4, denominator: 5 }, false],
      [{ numerator: 1, denominator: 2 }, false],
      [{ numerator: 2, denominator: 5 }, false],
      [{ numerator: 1, denominator: 3 }, true],
      [{ numerator: 2, denominator: 7 }, true],
      [{ numerator: 1, denominator: 5 }, true],
    ] as [Rational, boolean][]) {
      const paper = expectedSamplerCalls(P, T, { earlyRejection: false });
      const early = expectedSamplerCalls(P, T);
      expect(paper).toBeCloseTo(theorem2(P, T), 12);
      if (cheaper) expect(early).toBeLessThan(paper - 1e-3);
      else expect(early).toBeCloseTo(paper, 12);
    }
  });

  it("a cost formula off by one stage-1 draw is caught", () => {
    const T = { numerator: 2, denominator: 5 };
    const { callsLo, callsHi } = analyseAttempt(P, T);
    const wrong = expectedSamplerCalls(P, { numerator: 1, denominator: 3 }, { earlyRejection: false }) + 0; // n = 3
    expect(wrong < callsLo || wrong > callsHi).toBe(true);
  });
});

describe("sampleAtTemperature: the whole loop, by tree evaluation", () => {
  // The loop restarts, so the tree grows by a factor per restart: a higher floor, and the bound is the cut mass.
  type Sampler = (sample: () => LazyDraw, T: Rational, o: { equals: (a: LazyDraw, b: LazyDraw) => boolean; random: Chance["source"] }) => LazyDraw;
  function loopLaw(P: readonly number[], T: Rational, sampler: Sampler = sampleAtTemperature<LazyDraw>, weightFloor = 1e-10) {
    return evaluateTree(
      (c) => {
        const lazy = c.lazyCategorical(P);
        return lazy.reveal(sampler(lazy.sample, T, { equals: lazy.equals, random: c.source }));
      },
      { weightFloor },
    );
  }
  it.each([
    [[0.6, 0.4], { numerator: 1, denominator: 2 }, 1e-9],
    [[0.7, 0.3], { numerator: 2, denominator: 3 }, 1e-7],
    [[0.5, 0.3, 0.2], { numerator: 1, denominator: 2 }, 1e-6],
  ] as [number[], Rational, number?][])("P = %o, T = %o: output law P^(1/T)/Z within the cut mass", (P, T, floor) => {
    const r = loopLaw(P, T, sampleAtTemperature<LazyDraw>, floor);
    expect(r.unresolved).toBeLessThan(2e-2);
    temperedDistribution(P, T).forEach((t, x) => {
      expect(Math.abs(r.probabilityOf(x) - t)).toBeLessThanOrEqual(r.unresolved + TOL);
    });
  });

  it("catches a loop that restarts stage 2 with the same candidate instead of redrawing it", () => {
    // T = 1/2: the candidate is drawn once and only stage 1 is retried, so the output law is P itself.
    const wrong: Sampler = (sample, _T, o) => {
      const x = sample();
      for (;;) if (o.equals(sample(), x)) return x;
    };
    const P = [0.6, 0.4];
    const T = { numerator: 1, denominator: 2 };
    const r = loopLaw(P, T, wrong);
    const tv = temperedDistribution(P, T).reduce((s, t, x) => s + Math.abs(r.probabilityOf(x) - t), 0) / 2;
    expect(tv).toBeGreaterThan(r.unresolved + 0.05);
  });

  it("catches 1 − α in stage 2 and n instead of n − 1 stage-1 comparisons", () => {
    const P = [0.5, 0.3, 0.2];
    const T = { numerator: 2, denominator: 5 }; // 1/T = 2 + 1/2
    const mutant = (extraStage1: number, stage2: (i: number, c: Chance) => boolean) => (c: Chance) => {
      const lazy = c.lazyCategorical(P);
      const x = lazy.sample();
      for (let j = 0; j < 1 + extraStage1; j++) if (!lazy.equals(lazy.sample(), x)) return -1;
      for (let i = 1; ; i++) {
        if (lazy.equals(lazy.sample(), x)) return lazy.reveal(x);
        if (stage2(i, c)) return -1;
      }
    };
    const check = (program: (c: Chance) => number) => {
      const r = evaluateTree(program, { weightFloor: 1e-14 });
      return P.some((p, x) => Math.abs(r.probabilityOf(x) - p ** 2.5) > r.unresolved + TOL);
    };
    expect(check(mutant(0, (i, c) => c.source.bernoulli(1, 2 * i)))).toBe(false); // hand copy, right
    expect(check(mutant(0, (i, c) => c.source.bernoulli(1, 2 * i + 2)))).toBe(true); // off by one in i
    expect(check(mutant(1, (i, c) => c.source.bernoulli(1, 2 * i)))).toBe(true); // n comparisons
    const T2 = { numerator: 3, denominator: 4 }; // 1/T = 1 + 1/3: mutant uses 2/3
    const r = evaluateTree(
      (c) => {
        const lazy = c.lazyCategorical(P);
        const x = lazy.sample();
        for (let i = 1; ; i++) {
          if (lazy.equals(lazy.sample(), x)) return lazy.reveal(x);
          if (c.source.bernoulli(2, 3 * i)) return -1;
        }
      },
      { weightFloor: 1e-14 },
    );
    const beta = T2.denominator / T2.numerator;
    expect(P.some((p, x) => Math.abs(r.probabilityOf(x) - p ** beta) > r.unresolved + TOL)).toBe(true);
  });
});

describe("sampleAtTemperature: behaviour and bad input", () => {
  const random = createRandom(2026);
  it("T = 1 returns exactly one draw", () => {
    let calls = 0;
    expect(sampleAtTemperature(() => (calls++, "a"), 1)).toBe("a");
    expect(calls).toBe(1);
    expect(sampleAtTemperature(() => 5, { numerator: 3, denominator: 3 })).toBe(5);
  });

  it("compares arrays of token ids element-wise by default, or by key", () => {
    // Fresh arrays every call: identity would never match and the loop would hit the budget.
    const draws = [[1, 2], [1, 2], [1, 2]];
    let i = 0;
    expect(sampleAtTemperature(() => [...draws[i++ % 3]!], { numerator: 1, denominator: 3 })).toEqual([1, 2]);
    let j = 0;
    const keyed = sampleAtTemperature(() => ({ ids: [7, j++ % 1] }), { numerator: 1, denominator: 2 }, {
      key: (d) => d.ids,
    });
    expect(keyed.ids).toEqual([7, 0]);
  });

  it("1/(1/49) is taken as exactly 49 for a number T, so no fractional stage is run", () => {
    // With α > 0 the sampler would need randomness; with the snap it does not.
    expect(sampleAtTemperature(() => "x", 1 / 49)).toBe("x");
    expect(() => sampleAtTemperature(() => "x", { numerator: 2, denominator: 5 })).toThrow(
      /sampleAtTemperature: options.random or options.seed is required/,
    );
    expect(sampleAtTemperature(() => "x", { numerator: 2, denominator: 5 }, { seed: 3 })).toBe("x");
  });

  it("refuses T > 1, T <= 0, non-finite T, and a bad maxDraws", () => {
    const s = () => 1;
    expect(() => sampleAtTemperature(s, 1.5, { random })).toThrow(/temperature is 1.5, must be <= 1/);
    expect(() => sampleAtTemperature(s, { numerator: 3, denominator: 2 }, { random })).toThrow(/3\/2, must be <= 1/);
    expect(() => sampleAtTemperature(s, 0, { random })).toThrow(/temperature is 0, must be > 0/);
    expect(() => sampleAtTemperature(s, -0.5, { random })).toThrow(/must be > 0/);
    expect(() => sampleAtTemperature(s, Number.NaN, { random })).toThrow(/temperature is NaN, must be a finite number/);
    expect(() => sampleAtTemperature(s, Infinity, { random })).toThrow(/temperature is Infinity/);
    expect(() => sampleAtTemperature(s, 0.5, { random, maxDraws: 0 })).toThrow(/options.maxDraws is 0/);
    expect(() => sampleAtTemperature(s, { numerator: 1, denominator: 0 }, { random })).toThrow(/denominator is 0/);
  });

  it("ends a hopeless search with a BudgetExceededError that says how many draws were spent", () => {
    let k = 0;
    const neverRepeats = () => k++; // every draw distinct: Z_T = 0 in effect
    let caught: unknown;
    try {
      sampleAtTemperature(neverRepeats, { numerator: 1, denominator: 2 }, { random, maxDraws: 5000 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BudgetExceededError);
    expect((caught as BudgetExceededError).spent).toBe(5000);
    expect((caught as Error).message).toMatch(/sampleAtTemperature: no sample accepted after 5000 sampler draws/);
    expect(k).toBe(5000);
  });

  it("refuses a sampler that is not a function and a non-function key", () => {
    expect(() => sampleAtTemperature(3 as unknown as () => number, 0.5)).toThrow(/sample is 3/);
    expect(() => sampleAtTemperature(() => 1, 0.5, { key: 2 as unknown as () => number })).toThrow(/options.key is 2/);
  });

  it("matches P^(1/T)/Z in a seeded simulation (sanity, false-failure rate < 1e-9)", () => {
    const P = [0.5, 0.3, 0.2];
    const T = { numerator: 2, denominator: 3 };
    const rnd = createRandom(99);
    const sample = () => {
      const u = rnd();
      return u < 0.5 ? 0 : u < 0.8 ? 1 : 2;
    };
    const n = 20_000;
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[sampleAtTemperature(sample, T, { random: rnd })]! += 1;
    temperedDistribution(P, T).forEach((t, x) => {
      // z = 6.11 two-sided (α = 1e−9 per check); three checks.
      expect(Math.abs(counts[x]! / n - t)).toBeLessThanOrEqual(6.11 * Math.sqrt((t * (1 - t)) / n));
    });
  });
});

describe("number temperatures", () => {
  it("reads 0.4 as 1/T = 5/2 and 0.75 as 4/3 (same exact law as the rational)", () => {
    for (const [t, rational] of [
      [0.4, { numerator: 2, denominator: 5 }],
      [0.75, { numerator: 3, denominator: 4 }],
    ] as const) {
      const P = [0.5, 0.3, 0.2];
      const a = analyseAttempt(P, rational);
      const b = evaluateTree(
        (c) => {
          const lazy = c.lazyCategorical(P);
          const r = attemptAtTemperature(lazy.sample, t, { equals: lazy.equals, random: c.source });
          return r.accepted ? lazy.reveal(r.value) : -1;
        },
        { weightFloor: 1e-15 },
      );
      P.forEach((_, x) => expect(b.probabilityOf(x)).toBeCloseTo(a.accept[x]!, 15));
      expect(b.nodes).toBe(a.r.nodes);
    }
  });
});
