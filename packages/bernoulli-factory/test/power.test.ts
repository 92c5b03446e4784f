// SPDX-License-Identifier: MIT
// Exactness of power(coin, x/y, random) by probability-tree evaluation: no statistics, certified bounds.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Coin, RandomSource } from "../src/index.js";
import { BudgetExceededError, createRandom, power, powerByCoin } from "../src/index.js";
import { evaluateTree } from "../src/testing.js";

const TOL = 1e-12;
const FLOOR = 1e-15;

type Factory = (coin: Coin, x: number, y: number, source: RandomSource) => boolean;

/** Certified check: |P(true) − target| ≤ unresolved + TOL, and the cut mass itself is small. */
function certify(factory: Factory, lambda: number, x: number, y: number) {
  const r = evaluateTree((c) => factory(c.coin(lambda), x, y, c.source), { weightFloor: FLOOR });
  const p = r.probabilityOf(true);
  const q = r.probabilityOf(false);
  return { p, q, r, error: Math.abs(p - lambda ** (x / y)) };
}

const real: Factory = (coin, x, y, source) => power(coin, { numerator: x, denominator: y }, source);

/** E[flips] of power as documented in its TSDoc (integer flips first, then the two Mendo halves). */
function expectedFlips(lambda: number, x0: number, y0: number): number {
  const g = gcd(x0, y0);
  const [x, y] = [x0 / g, y0 / g]; // the split is defined on x/y in lowest terms
  const k = Math.floor(x / y);
  const r = x % y;
  const geo = (m: number) => (lambda === 1 ? m : (1 - lambda ** m) / (1 - lambda));
  if (r === 0) return geo(k);
  if (k === 0) return lambda ** (r / y - 1);
  const s = r + y;
  const a = Math.floor(s / 2) / y;
  const b = (s - Math.floor(s / 2)) / y;
  return geo(k - 1) + lambda ** (k - 1) * (lambda ** (a - 1) + lambda ** a * lambda ** (b - 1));
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

// λ ≥ 0.2 keeps the trees shallow (two nested Mendo spines cost O(depth^3) replays); smaller λ is
// covered by the fixed cases below.
const lambdaArb = fc.double({ min: 0.2, max: 0.95, noNaN: true });
const exponentArb = fc.record({ x: fc.integer({ min: 0, max: 40 }), y: fc.integer({ min: 1, max: 9 }) });

describe("power: exact by tree evaluation", () => {
  it("P(true) = λ^(x/y) within unresolved + 1e-12 and E[flips] as documented, for random λ and x/y (fast-check)", () => {
    fc.assert(
      fc.property(lambdaArb, exponentArb, (lambda, { x, y }) => {
        const { error, r, p, q } = certify(real, lambda, x, y);
        expect(r.unresolved).toBeLessThan(1e-12);
        expect(error).toBeLessThanOrEqual(r.unresolved + TOL);
        expect(Math.abs(p + q + r.unresolved - 1)).toBeLessThan(1e-12);
        const flips = r.expected.coin ?? 0;
        // Cut paths: flips so far are in unresolvedCounts; each has ≤ 2·(1/λ) + x/y expected flips left.
        const bound = (r.unresolvedCounts.coin ?? 0) + r.unresolved * (2 / lambda + x / y);
        expect(Math.abs(flips - expectedFlips(lambda, x, y))).toBeLessThanOrEqual(1e-9 * Math.max(1, flips) + bound);
      }),
      { numRuns: 100, seed: 20261129 },
    );
  });

  it("is exact for small λ too (λ = 0.05, deep trees)", () => {
    for (const [x, y] of [
      [1, 2],
      [1, 9],
      [8, 9],
    ]) {
      const { error, r } = certify(real, 0.05, x!, y!);
      expect(error).toBeLessThanOrEqual(r.unresolved + TOL);
      expect(r.expected.coin).toBeCloseTo(expectedFlips(0.05, x!, y!), 9);
    }
  });

  it("matches the reference values of the estimators note (§2.2, §2.3)", () => {
    expect(certify(real, 0.2, 1, 3).r.expected.coin).toBeCloseTo(2.924018, 6);
    expect(certify(real, 0.5, 1, 2).r.expected.coin).toBeCloseTo(Math.SQRT2, 12);
    expect(certify(real, 0.6, 5, 2).p).toBeCloseTo(0.2789, 4);
    expect(certify(real, 0.6, 3, 2).p).toBeCloseTo(0.4648, 4);
  });

  it("accepts exponents as numbers (exact binary value) and bigints", () => {
    const r = evaluateTree((c) => power(c.coin(0.3), 0.75, c.source), { weightFloor: FLOOR });
    expect(Math.abs(r.probabilityOf(true) - 0.3 ** 0.75)).toBeLessThanOrEqual(r.unresolved + TOL);
    const b = evaluateTree((c) => power(c.coin(0.7), { numerator: 7n, denominator: 3n }, c.source), { weightFloor: FLOOR });
    expect(Math.abs(b.probabilityOf(true) - 0.7 ** (7 / 3))).toBeLessThanOrEqual(b.unresolved + TOL);
    // 1/3 as a double is 6004799503160661/2^54: the Bernoulli steps take the bigint path.
    const t = evaluateTree((c) => power(c.coin(0.4), 1 / 3, c.source), { weightFloor: FLOOR });
    expect(Math.abs(t.probabilityOf(true) - 0.4 ** (1 / 3))).toBeLessThanOrEqual(t.unresolved + TOL);
  });

  it("edge cases: exponent 0 flips nothing, λ = 1 gives 1, λ = 0 with integer exponent gives 0", () => {
    let flips = 0;
    expect(power(() => (flips++, false), 0, createRandom(1))).toBe(true);
    expect(flips).toBe(0);
    const r = evaluateTree((c) => power(c.coin(1), { numerator: 7, denominator: 3 }, c.source));
    expect(r.probabilityOf(true)).toBe(1);
    expect(power(() => false, 3, createRandom(1))).toBe(false);
  });
});

describe("power: the tests catch plausible wrong implementations", () => {
  // Mendo with a mutation in the "with probability α/i → 0" step.
  const mendo = (step: (a: number, b: number, i: number, s: RandomSource) => boolean) =>
    (coin: Coin, a: number, b: number, s: RandomSource): boolean => {
      if (a === b) return coin();
      for (let i = 1; ; i++) {
        if (coin()) return true;
        if (step(a, b, i, s)) return false;
      }
    };
  const split = (m: Factory, variant: "right" | "erratum-split" | "erratum-tail"): Factory => (coin, x, y, s) => {
    const k = Math.floor(x / y);
    const r = x % y;
    if (r === 0 || k === 0) return r === 0 ? Array.from({ length: k }).every(() => coin()) : m(coin, r, y, s);
    const sum = variant === "erratum-split" ? r : r + y; // erratum 1: split r instead of r + y
    const h = Math.floor(sum / 2);
    for (let j = 0; j < k - 1; j++) {
      const f = coin();
      if (variant === "erratum-tail" ? f : !f) return false; // erratum 2: return 0 on heads
    }
    return (h === 0 || m(coin, h, y, s)) && m(coin, sum - h, y, s);
  };
  const good = mendo((a, b, i, s) => s.bernoulli(a, b * i));
  const oneMinusAlpha = mendo((a, b, i, s) => s.bernoulli(b - a, b * i));
  const offByOne = mendo((a, b, i, s) => s.bernoulli(a, b * (i + 1)));

  const fails = (f: Factory, cases: [number, number, number][]) =>
    cases.some(([l, x, y]) => {
      const { error, r } = certify(f, l, x, y);
      return error > r.unresolved + TOL;
    });
  const cases: [number, number, number][] = [
    [0.6, 5, 2],
    [0.6, 3, 2],
    [0.3, 1, 3],
    [0.8, 7, 4],
  ];

  it("the reference mutant (a hand copy of the right algorithm) passes", () => {
    expect(fails(split(good, "right"), cases)).toBe(false);
  });
  it("catches 1 − α instead of α in Mendo", () => expect(fails(split(oneMinusAlpha, "right"), cases)).toBe(true));
  it("catches an off-by-one in Mendo's i", () => expect(fails(split(offByOne, "right"), cases)).toBe(true));
  it("catches erratum 1 of §2.3 (splitting r instead of r + y)", () => {
    expect(fails(split(good, "erratum-split"), cases)).toBe(true);
    expect(certify(split(good, "erratum-split"), 0.6, 3, 2).p).toBeCloseTo(0.7746, 4);
  });
  it("catches erratum 2 of §2.3 (returning 0 on heads in the integer part)", () => {
    expect(fails(split(good, "erratum-tail"), [[0.6, 7, 2]])).toBe(true);
  });
});

describe("powerByCoin: λ^μ with the exponent as a coin", () => {
  // Two coins make the tree fan out (μ heads + Bernoulli no, and μ tails, both continue), so the floor
  // is higher and the certified bound is the cut mass itself (about 1e-4 here), still far below the
  // effect of a wrong exponent.
  it("P(true) = λ^μ and E[λ-flips] = λ^(μ−1) within the certified cut mass", () => {
    for (const [l, m] of [
      [0.5, 0.5],
      [0.7, 0.2],
      [0.6, 0.9],
    ] as const) {
      const r = evaluateTree((c) => powerByCoin(c.coin(l, "base"), c.coin(m, "mu"), c.source), { weightFloor: 1e-9 });
      expect(r.unresolved).toBeLessThan(2e-3);
      expect(Math.abs(r.probabilityOf(true) - l ** m)).toBeLessThanOrEqual(r.unresolved + TOL);
      const slack = (r.unresolvedCounts.base ?? 0) + r.unresolved * (1 / l);
      expect(Math.abs(r.expected.base! - l ** (m - 1))).toBeLessThanOrEqual(slack + 1e-9);
    }
  });
});

describe("power: bad input", () => {
  const random = createRandom(1);
  it("refuses negative, non-finite or malformed exponents", () => {
    expect(() => power(() => true, -0.5, random)).toThrow(/power: exponent is -1\/2, must be >= 0/);
    expect(() => power(() => true, { numerator: -1, denominator: 3 }, random)).toThrow(/exponent is -1\/3/);
    expect(() => power(() => true, Number.NaN, random)).toThrow(/power: exponent is NaN, must be a finite number/);
    expect(() => power(() => true, Infinity, random)).toThrow(/finite/);
    expect(() => power(() => true, { numerator: 1, denominator: 0 }, random)).toThrow(/denominator is 0/);
    expect(() => power(() => true, { numerator: 1.5, denominator: 2 }, random)).toThrow(/numerator is 1.5/);
  });
  it("refuses a coin that returns a probability instead of a flip", () => {
    expect(() => power((() => 0.3) as unknown as Coin, 2, random)).toThrow(
      /power: coin\(\) returned 0.3, must be a boolean/,
    );
    expect(() => power((() => 1) as unknown as Coin, 2, random)).toThrow(/returned 1, must be a boolean/);
  });
  it("refuses a bad random source, and values outside [0, 1) from random()", () => {
    expect(() => power(() => true, 0.5, 3 as unknown as () => number)).toThrow(/power: random is 3/);
    expect(() => power(() => false, 0.5, () => 1)).toThrow(/random\(\) returned 1, must be a number in \[0, 1\)/);
  });
  it("ends λ = 0 (infinite expected time in Mendo) with a BudgetExceededError when maxFlips is set", () => {
    // λ = 0, α = 1/1000: P(more than 1000 flips) = Π_{i≤1000}(1 − α/i) ≈ 0.99, so seed 1 runs out (checked).
    let caught: unknown;
    try {
      power(() => false, { numerator: 1, denominator: 1000 }, createRandom(1), { maxFlips: 1000 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(BudgetExceededError);
    expect((caught as Error).message).toMatch(/power: budget of 1000 coin flips \(options.maxFlips\) exhausted/);
    expect((caught as BudgetExceededError).spent).toBe(1000);
    expect(() => power(() => true, 2, createRandom(1), { maxFlips: -1 })).toThrow(/options.maxFlips is -1/);
  });
});
