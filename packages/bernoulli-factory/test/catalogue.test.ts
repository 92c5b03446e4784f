// SPDX-License-Identifier: MIT
// Every factory of the catalogue: P(true) = f(λ) and E[flips] as documented, by tree evaluation.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Coin, RandomSource } from "../src/index.js";
import {
  average,
  bernoulliConstant,
  bernoulliCount,
  complement,
  convexCombination,
  createRandom,
  either,
  expMinus,
  expMinusConstant,
  finiteCount,
  generatingFunction,
  geometricCount,
  halfOneMinus,
  halfOnePlus,
  lambdaOverOnePlus,
  logistic,
  mix,
  oneOverOnePlus,
  oneOverTwoMinus,
  power,
  product,
  sampleDiscrete,
  twoCoin,
} from "../src/index.js";
import { evaluateTree } from "../src/testing.js";

const TOL = 1e-12;

interface Case {
  name: string;
  run: (a: Coin, b: Coin, s: RandomSource) => boolean;
  f: (l: number, m: number) => number;
  /** Expected flips of coin a (and of coin b when given). */
  flipsA?: (l: number, m: number) => number;
  flipsB?: (l: number, m: number) => number;
  /** Two-coin loops fan out (both tails continue), so they are cut higher; the bound is the cut mass. */
  floor?: number;
  /** Smallest λ and μ tried (the two-coin tree is only shallow when the coins stop it quickly). */
  min?: number;
}

const cases: Case[] = [
  { name: "complement 1 − λ", run: (a) => complement(a), f: (l) => 1 - l, flipsA: () => 1 },
  { name: "product λμ", run: (a, b) => product(a, b), f: (l, m) => l * m, flipsA: () => 1, flipsB: (l) => l },
  { name: "either λ + μ − λμ", run: (a, b) => either(a, b), f: (l, m) => l + m - l * m, flipsA: () => 1, flipsB: (l) => 1 - l },
  { name: "average (λ + μ)/2", run: (a, b, s) => average(a, b, s), f: (l, m) => (l + m) / 2, flipsA: () => 0.5, flipsB: () => 0.5 },
  {
    name: "mix νλ + (1 − ν)μ with ν = λ",
    run: (a, b, s) => mix(a, () => bernoulliConstant(0.25, s), b),
    f: (l, m) => l * 0.25 + (1 - l) * m,
  },
  { name: "halfOnePlus (1 + λ)/2", run: (a, _b, s) => halfOnePlus(a, s), f: (l) => (1 + l) / 2, flipsA: () => 0.5 },
  { name: "halfOneMinus (1 − λ)/2", run: (a, _b, s) => halfOneMinus(a, s), f: (l) => (1 - l) / 2, flipsA: () => 0.5 },
  { name: "λ^3", run: (a, _b, s) => power(a, 3, s), f: (l) => l ** 3, flipsA: (l) => 1 + l + l * l },
  { name: "expMinus e^(−λ)", run: (a, _b, s) => expMinus(a, s), f: (l) => Math.exp(-l), flipsA: (l) => (Math.exp(l) - 1) / l },
  {
    name: "expMinus e^(−λ·2/3)",
    run: (a, _b, s) => expMinus(a, s, { scale: { numerator: 2, denominator: 3 } }),
    f: (l) => Math.exp((-2 * l) / 3),
    flipsA: (l) => (Math.exp((2 * l) / 3) - 1) / l,
  },
  {
    name: "expMinus e^(−λ·5/2)",
    run: (a, _b, s) => expMinus(a, s, { scale: 2.5 }),
    f: (l) => Math.exp(-2.5 * l),
    flipsA: (l) => ((1 + Math.exp(-l)) * (Math.exp(l) - 1) + Math.exp(-2 * l) * (Math.exp(l / 2) - 1)) / l,
  },
  {
    name: "Poisson PGF e^(μ(λ−1)) as expMinus of 1 − λ, μ = 3/4",
    run: (a, _b, s) => expMinus(() => !a(), s, { scale: 0.75 }),
    f: (l) => Math.exp(0.75 * (l - 1)),
  },
  { name: "oneOverOnePlus 1/(1 + λ)", run: (a, _b, s) => oneOverOnePlus(a, s), f: (l) => 1 / (1 + l), flipsA: (l) => 1 / (1 + l) },
  { name: "lambdaOverOnePlus λ/(1 + λ)", run: (a, _b, s) => lambdaOverOnePlus(a, s), f: (l) => l / (1 + l), flipsA: (l) => 1 / (1 + l) },
  { name: "oneOverTwoMinus 1/(2 − λ)", run: (a, _b, s) => oneOverTwoMinus(a, s), f: (l) => 1 / (2 - l), flipsA: (l) => 1 / (2 - l) },
  {
    name: "logistic 3λ/(3λ + 2)",
    run: (a, _b, s) => logistic(a, 3, 2, s),
    f: (l) => (3 * l) / (3 * l + 2),
    flipsA: (l) => 3 / (2 + 3 * l),
  },
  {
    name: "twoCoin λ/(λ + 2μ)",
    run: (a, b, s) => twoCoin(a, b, 1, 2, s),
    f: (l, m) => l / (l + 2 * m),
    floor: 1e-6,
    min: 0.5,
  },
  {
    name: "twoCoin with β = 1/2",
    run: (a, b, s) => twoCoin(a, b, 1, 1, s, { beta: { numerator: 1, denominator: 2 } }),
    f: (l, m) => (l * 0.5) / (0.5 * (l + m) + 0.5 * 2),
    floor: 1e-7,
  },
  {
    name: "PGF geometric(1/3): (1/3)/(1 − (2/3)λ)",
    run: (a, _b, s) => generatingFunction(a, geometricCount({ numerator: 1, denominator: 3 }), s),
    f: (l) => 1 / 3 / (1 - (2 / 3) * l),
  },
  {
    name: "PGF Bernoulli(1/4): 3/4 + λ/4",
    run: (a, _b, s) => generatingFunction(a, bernoulliCount(0.25), s),
    f: (l) => 0.75 + 0.25 * l,
    flipsA: () => 0.25,
  },
  {
    name: "PGF finite (1 + 3λ²)/4",
    run: (a, _b, s) => generatingFunction(a, finiteCount([1, 0, 3]), s),
    f: (l) => (1 + 3 * l * l) / 4,
    flipsA: (l) => 0.75 * (1 + l),
  },
  {
    name: "convex combination (λ + 2(1 − λ)μ... ) = (λ + 2λμ)/3",
    run: (a, b, s) => convexCombination([1, { numerator: 2, denominator: 1 }], [() => a(), () => product(a, b)], s),
    f: (l, m) => (l + 2 * l * m) / 3,
  },
];

describe("catalogue: exact by tree evaluation (fast-check over λ, μ)", () => {
  it.each(cases)("$name", ({ run, f, flipsA, flipsB, floor, min }) => {
    const arb = fc.double({ min: min ?? 0.1, max: 0.9, noNaN: true });
    fc.assert(
      fc.property(arb, arb, (l, m) => {
        const r = evaluateTree((c) => run(c.coin(l, "a"), c.coin(m, "b"), c.source), { weightFloor: floor ?? 1e-15 });
        expect(r.unresolved).toBeLessThan(floor === undefined ? 1e-11 : 1e-2);
        expect(Math.abs(r.probabilityOf(true) - f(l, m))).toBeLessThanOrEqual(r.unresolved + TOL);
        if (flipsA) expect(r.expected.a ?? 0).toBeCloseTo(flipsA(l, m), 9);
        if (flipsB) expect(r.expected.b ?? 0).toBeCloseTo(flipsB(l, m), 9);
      }),
      { numRuns: 15, seed: 3 },
    );
  });

  it("logistic matches the note's E[flips] at c = 3, d = 2, λ = 0.3 (1.0345)", () => {
    const r = evaluateTree((c) => logistic(c.coin(0.3), 3, 2, c.source));
    expect(r.expected.coin).toBeCloseTo(1.0345, 4);
  });
});

describe("constants: Bernoulli(a/b) and e^(−x), exactly", () => {
  it("bernoulliConstant is exact for any rational, including bigints and doubles at their binary value", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }), (b, a0) => {
        const a = a0 % (b + 1);
        const r = evaluateTree((c) => bernoulliConstant({ numerator: a, denominator: b }, c.source));
        expect(r.probabilityOf(true)).toBeCloseTo(a / b, 14);
      }),
      { numRuns: 50, seed: 1 },
    );
    const big = evaluateTree((c) => bernoulliConstant({ numerator: 2n ** 70n, denominator: 3n * 2n ** 70n }, c.source));
    expect(big.probabilityOf(true)).toBeCloseTo(1 / 3, 14);
    expect(() => bernoulliConstant(1.5, createRandom(1))).toThrow(/bernoulliConstant: probability is 3\/2, must be in \[0, 1\]/);
  });

  it("expMinusConstant(x) = e^(−x) for x = 2/3, 1, 5/2 and 0", () => {
    for (const x of [{ numerator: 2, denominator: 3 }, 1, 2.5, 0]) {
      const r = evaluateTree((c) => expMinusConstant(x, c.source));
      const v = typeof x === "number" ? x : 2 / 3;
      expect(Math.abs(r.probabilityOf(true) - Math.exp(-v))).toBeLessThanOrEqual(r.unresolved + TOL);
    }
    expect(() => expMinusConstant(-1, createRandom(1))).toThrow(/expMinusConstant: scale is -1, must be >= 0/);
  });

  it("sampleDiscrete picks index i with probability w_i / Σ w", () => {
    const r = evaluateTree((c) => sampleDiscrete([3, 0, 5n, 2], c.source));
    [0.3, 0, 0.5, 0.2].forEach((p, i) => expect(r.probabilityOf(i)).toBeCloseTo(p, 14));
    expect(() => sampleDiscrete([0, 0], createRandom(1))).toThrow(/sampleDiscrete: weights are all 0/);
    expect(() => sampleDiscrete([1, -2], createRandom(1))).toThrow(/weights\[1\] is -2/);
    expect(() => finiteCount([])).toThrow(/finiteCount: weights is \[\], must be a non-empty array/);
    expect(() => finiteCount([1, 0.5])).toThrow(/finiteCount: weights\[1\] is 0.5, must be a non-negative integer/);
    expect(() => finiteCount([0, 0n])).toThrow(/finiteCount: weights are all 0/);
  });
});

describe("catalogue: mutants are caught", () => {
  it("1/(1 + λ) with the roles of bit and coin swapped, and e^(−λ) returning K even, fail", () => {
    const swapped = evaluateTree((c) => {
      const coin = c.coin(0.3);
      for (;;) {
        if (coin()) return true;
        if (c.source.bit()) return false;
      }
    });
    expect(Math.abs(swapped.probabilityOf(true) - 1 / 1.3)).toBeGreaterThan(0.1);
    const even = evaluateTree((c) => !expMinus(c.coin(0.3), c.source));
    expect(Math.abs(even.probabilityOf(true) - Math.exp(-0.3))).toBeGreaterThan(0.1);
  });
});

describe("catalogue: bad input", () => {
  const random = createRandom(1);
  it("refuses non-boolean coins, non-positive constants, bad counts and mismatched combinations", () => {
    expect(() => complement((() => 0.5) as unknown as Coin)).toThrow(/complement: coin\(\) returned 0.5, must be a boolean/);
    expect(() => product(() => true, (() => "yes") as unknown as Coin)).toThrow(/product: coinB\(\) returned "yes"/);
    expect(() => logistic(() => true, 0, 1, random)).toThrow(/logistic: c is 0, must be > 0/);
    expect(() => logistic(() => true, 1, -2, random)).toThrow(/logistic: d is -2, must be > 0/);
    expect(() => twoCoin(() => true, () => true, 1, 1, random, { beta: 2 })).toThrow(/options.beta is 2, must be in \(0, 1\]/);
    expect(() => generatingFunction(() => true, () => -1, random)).toThrow(/generatingFunction: count returned -1/);
    expect(() => geometricCount(0)).toThrow(/geometricCount: p is 0, must be in \(0, 1\]/);
    expect(() => convexCombination([1], [], random)).toThrow(/convexCombination: weights has 1 entries and factories 0/);
    expect(() => convexCombination([1, -1], [() => true, () => true], random)).toThrow(/weights\[1\] is -1/);
    expect(() => oneOverOnePlus(() => true, {} as RandomSource)).toThrow(/oneOverOnePlus: random is \{\}/);
  });

  it("twoCoin with λ = μ = 0 ends on its flip budget instead of looping forever", () => {
    expect(() => twoCoin(() => false, () => false, 1, 1, random, { maxFlips: 100 })).toThrow(
      /twoCoin: budget of 100 coin flips/,
    );
  });
});
