// SPDX-License-Identifier: MIT
// Exact-enumeration checks: the expectation of each estimator over its full draw tree equals the closed form.
// Deterministic (no sampling), so these tests cannot fail by chance.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { brierEstimate, brierEstimatesByN, brierLM, brierScore, exactBrierN, hybridBrierN } from "../src/index.js";
import type { Conditionals, Distribution } from "../src/index.js";
import { Rational, sum } from "./rational.js";
import { continuations, enumerateDraws, exactBrierByBruteForce, expectTwoStreams, modToy, tableModel } from "./toy-models.js";
import type { ToyModel } from "./toy-models.js";

const weightsArb = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 5 });
const near = (a: number, b: number) => Math.abs(a - b) <= 1e-12;

// A random small autoregressive model (V in 2..4), a context, a reference n-gram and a horizon.
const toyCaseArb = (maxHorizon: number) =>
  fc
    .record({
      vocabSize: fc.integer({ min: 2, max: 4 }),
      maxN: fc.integer({ min: 1, max: maxHorizon }),
      weights: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 7, maxLength: 200 }),
      context: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      yRaw: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
    })
    .map(({ vocabSize, maxN, weights, context, yRaw }) => ({
      model: tableModel(vocabSize, context.length, weights),
      vocabSize,
      maxN,
      context: context.map((v) => v % vocabSize),
      y: yRaw.slice(0, maxN).map((v) => v % vocabSize),
    }));

// Conditionals of a toy model as the library sees them (floats), remembering each float array's exact weights.
function toyConditionals(m: ToyModel, context: readonly number[], y: readonly number[], exact: WeakMap<object, Rational[]>): Conditionals {
  const at = (ctx: number[]): Distribution => {
    const r = m.cond(ctx);
    const f = r.map((x) => x.toNumber());
    exact.set(f, r);
    return f;
  };
  return { reference: (k) => at([...context, ...y.slice(0, k)]), sampled: (prefix) => at([...context, ...prefix]) };
}

// E[hybrid-style estimator] over its draw tree, for the library's estimator or a mutant.
type Hybrid = (cond: Conditionals, y: readonly number[], maxN: number, draw: (p: Distribution) => number) => Promise<number[]>;
async function expectHybrid(m: ToyModel, context: readonly number[], y: readonly number[], maxN: number, estimator: Hybrid) {
  const exact = new WeakMap<object, Rational[]>();
  const cond = toyConditionals(m, context, y, exact);
  return enumerateDraws((draw) => estimator(cond, y, maxN, (p) => draw(exact.get(p as object)!)));
}

describe("Brier-1: two-sample estimator over every pair of draws", () => {
  it("worked example of the estimators note: P = (1/2, 1/4, 1/8, 1/8) gives 21/32, 5/32, -3/32, -3/32", () => {
    const p = [1 / 2, 1 / 4, 1 / 8, 1 / 8];
    expect([0, 1, 2, 3].map((y) => brierScore(p, y))).toEqual([21 / 32, 5 / 32, -3 / 32, -3 / 32]);
  });

  it("sum_{a,b} P(a) P(b) brierEstimate(y, a, b) = 2 P(y) - sum P^2 exactly (fast-check, rational weights)", () => {
    fc.assert(
      fc.property(weightsArb, fc.nat(), (w, yRaw) => {
        fc.pre(w.some((x) => x > 0));
        const total = w.reduce((a, b) => a + b, 0);
        const P = w.map((x) => new Rational(x, total));
        const y = yRaw % w.length;
        let e = Rational.ZERO;
        for (let a = 0; a < w.length; a++) for (let b = 0; b < w.length; b++) e = e.add(P[a].mul(P[b]).scale(brierEstimate(y, a, b)));
        const closed = P[y].scale(2).sub(sum(P.map((p) => p.mul(p))));
        expect(e.toString()).toBe(closed.toString());
        expect(near(brierScore(P.map((p) => p.toNumber()), y), closed.toNumber())).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("properness: E_Q Brier(P) <= E_Q Brier(Q), equality iff P = Q (exact)", () => {
    fc.assert(
      fc.property(weightsArb, weightsArb, (wp, wq) => {
        const k = Math.min(wp.length, wq.length);
        const a = wp.slice(0, k);
        const b = wq.slice(0, k);
        fc.pre(a.some((x) => x > 0) && b.some((x) => x > 0));
        const norm = (w: number[]) => w.map((x) => new Rational(x, w.reduce((s, t) => s + t, 0)));
        const P = norm(a);
        const Q = norm(b);
        const expected = (R: Rational[]) => sum(Q.map((q, y) => q.mul(R[y].scale(2).sub(sum(R.map((r) => r.mul(r)))))));
        const diff = expected(Q).sub(expected(P));
        const same = P.every((p, i) => p.eq(Q[i]));
        expect(diff.num >= 0n).toBe(true);
        expect(diff.num === 0n).toBe(same);
      }),
      { numRuns: 200 },
    );
  });
});

describe("Brier-n: exact closed forms on the toy model of the estimators note (section 3.2)", () => {
  const context = [0];
  const y = [2, 0, 1];
  // The note's values are for an empty prefix; with context [0] recompute them by brute force, and check the
  // note's own numbers with an empty context through a model that ignores position 0.
  it("brute force reproduces 11/18, 5/324, 143/5832 and C_n = (7/18)^n", () => {
    const shifted: ToyModel = { vocabSize: 3, cond: (ctx) => modToy.cond(ctx.slice(1)) };
    expect(exactBrierByBruteForce(shifted, context, y, 3).map(String)).toEqual(["11/18", "5/324", "143/5832"]);
    for (let n = 1; n <= 3; n++) {
      const c = sum(continuations(modToy, context, n).map(({ p }) => p.mul(p)));
      expect(c.eq(new Rational(7n ** BigInt(n), 18n ** BigInt(n)))).toBe(true);
    }
  });

  it("two-sample estimator (brierEstimatesByN) has exactly the closed-form mean for n = 1..3", () => {
    const closed = exactBrierByBruteForce(modToy, context, y, 3);
    const e = expectTwoStreams(modToy, context, y, 3, brierEstimatesByN);
    expect(e.map(String)).toEqual(closed.map(String));
  });

  it("brierEstimate on n-gram arrays has exactly the closed-form mean", () => {
    const closed = exactBrierByBruteForce(modToy, context, y, 3);
    const viaArrays = (yy: readonly number[], a: readonly number[], b: readonly number[], n: number) =>
      Array.from({ length: n }, (_, k) => brierEstimate(yy.slice(0, k + 1), a.slice(0, k + 1), b.slice(0, k + 1)));
    expect(expectTwoStreams(modToy, context, y, 3, viaArrays).map(String)).toEqual(closed.map(String));
  });

  it("hybrid estimator (exact accuracy, Rao-Blackwellised collision) has the closed-form mean for n = 1..3", async () => {
    const closed = exactBrierByBruteForce(modToy, context, y, 3);
    const { mean, mass } = await expectHybrid(modToy, context, y, 3, hybridBrierN);
    expect(mass.eq(Rational.ONE)).toBe(true);
    mean.forEach((m, k) => expect(m).toBeCloseTo(closed[k].toNumber(), 14));
  });

  it("exactBrierN (recursion) equals brute-force enumeration", async () => {
    const closed = exactBrierByBruteForce(modToy, context, y, 3);
    const got = await exactBrierN(toyConditionals(modToy, context, y, new WeakMap()), y, 3);
    got.forEach((g, k) => expect(g).toBeCloseTo(closed[k].toNumber(), 14));
  });
});

describe("Brier-n on random toy models (fast-check; V <= 4, n <= 4)", () => {
  it("two-sample estimator: exact rational equality", () => {
    fc.assert(
      fc.property(toyCaseArb(3), ({ model, maxN, context, y }) => {
        const closed = exactBrierByBruteForce(model, context, y, maxN);
        expect(expectTwoStreams(model, context, y, maxN, brierEstimatesByN).map(String)).toEqual(closed.map(String));
      }),
      { numRuns: 40 },
    );
  });

  it("hybrid estimator and exactBrierN: equal to the closed form within 1e-12", async () => {
    await fc.assert(
      fc.asyncProperty(toyCaseArb(4), async ({ model, maxN, context, y }) => {
        const closed = exactBrierByBruteForce(model, context, y, maxN).map((r) => r.toNumber());
        const { mean } = await expectHybrid(model, context, y, maxN, hybridBrierN);
        mean.forEach((m, k) => expect(Math.abs(m - closed[k])).toBeLessThan(1e-12));
        const ex = await exactBrierN(toyConditionals(model, context, y, new WeakMap()), y, maxN);
        ex.forEach((m, k) => expect(Math.abs(m - closed[k])).toBeLessThan(1e-12));
      }),
      { numRuns: 40 },
    );
  });

  it("brierLM end to end (sample mode, one position): enumerating the sampler's draws gives the closed form exactly", async () => {
    await fc.assert(
      fc.asyncProperty(toyCaseArb(3), async ({ model, maxN, context, y }) => {
        fc.pre(model.vocabSize ** (2 * maxN) <= 4096);
        const closed = exactBrierByBruteForce(model, context, y, maxN);
        const tokens = [...context, ...y];
        const { exact, mass } = await enumerateDraws(async (draw) => {
          const sampler = {
            sample(ctx: readonly number[], length: number) {
              const s: number[] = [];
              for (let i = 0; i < length; i++) s.push(draw(model.cond([...ctx, ...s])));
              return s;
            },
          };
          return (await brierLM(sampler, tokens, { maxN, positions: [context.length] })).brierN;
        });
        expect(mass.eq(Rational.ONE)).toBe(true);
        expect(exact!.map(String)).toEqual(closed.map(String));
      }),
      { numRuns: 25 },
    );
  });
});

describe("the checks catch plausible wrong estimators (mutants must fail the same oracle)", () => {
  const context = [0];
  const y = [2, 0, 1];
  const closed = exactBrierByBruteForce(modToy, context, y, 3).map(String);

  it("two-sample: collision from one shared draw (1[x1 = x1]) is caught", () => {
    const shared = (yy: readonly number[], a: readonly number[], _b: readonly number[], n: number) => brierEstimatesByN(yy, a, a, n);
    expect(expectTwoStreams(modToy, context, y, 3, shared).map(String)).not.toEqual(closed);
  });

  it("two-sample: n-gram not treated as one outcome (collision on the last token only) is caught", () => {
    const lastOnly = (yy: readonly number[], a: readonly number[], b: readonly number[], n: number) =>
      Array.from({ length: n }, (_, k) => {
        const acc = (x: readonly number[]) => Number(x.slice(0, k + 1).every((v, i) => v === yy[i]));
        return acc(a) + acc(b) - Number(a[k] === b[k]);
      });
    expect(expectTwoStreams(modToy, context, y, 3, lastOnly).map(String)).not.toEqual(closed);
  });

  it("two-sample: accuracy from one stream counted twice is NOT a bug (linearity) and passes", () => {
    const doubled = (yy: readonly number[], a: readonly number[], b: readonly number[], n: number) =>
      brierEstimatesByN(yy, a, b, n).map((_, k) => {
        const acc = Number(a.slice(0, k + 1).every((v, i) => v === yy[i]));
        return 2 * acc - Number(a.slice(0, k + 1).every((v, i) => v === b[i]));
      });
    expect(expectTwoStreams(modToy, context, y, 3, doubled).map(String)).toEqual(closed);
  });

  const closedF = exactBrierByBruteForce(modToy, context, y, 3).map((r) => r.toNumber());
  const differs = (mean: number[]) => mean.some((m, k) => Math.abs(m - closedF[k]) > 1e-9);
  const acc = async (cond: Conditionals, yy: readonly number[], n: number) => {
    const out: number[] = [];
    let a = 1;
    for (let k = 0; k < n; k++) out.push((a *= (await cond.reference(k))[yy[k]]));
    return out;
  };
  const sq = (p: Distribution) => Array.from(p).reduce((s, x) => s + x * x, 0);

  it("hybrid: collision without the agreement indicator is caught", async () => {
    const noIndicator: Hybrid = async (cond, yy, n, draw) => {
      const a = await acc(cond, yy, n);
      const prefix: number[] = [];
      const out: number[] = [];
      for (let k = 1; k <= n; k++) {
        const p = k === 1 ? await cond.reference(0) : await cond.sampled(prefix);
        out.push(2 * a[k - 1] - sq(p));
        const s1 = draw(p);
        draw(p);
        prefix.push(s1);
      }
      return out;
    };
    expect(differs((await expectHybrid(modToy, context, y, 3, noIndicator)).mean)).toBe(true);
  });

  it("hybrid: both streams from one shared draw (always agreeing) is caught", async () => {
    const sharedDraw: Hybrid = (cond, yy, n, draw) => hybridBrierN(cond, yy, n, ((): ((p: Distribution) => number) => {
      let last = -1;
      let odd = false;
      return (p) => ((odd = !odd) ? (last = draw(p)) : last);
    })());
    expect(differs((await expectHybrid(modToy, context, y, 3, sharedDraw)).mean)).toBe(true);
  });

  it("hybrid: agreement required on n tokens instead of n - 1 (double-counted last step) is caught", async () => {
    const offByOne: Hybrid = async (cond, yy, n, draw) => {
      const a = await acc(cond, yy, n);
      const prefix: number[] = [];
      const out: number[] = [];
      let agree = true;
      for (let k = 1; k <= n; k++) {
        if (!agree) {
          out.push(2 * a[k - 1]);
          continue;
        }
        const p = k === 1 ? await cond.reference(0) : await cond.sampled(prefix);
        const s1 = draw(p);
        const s2 = draw(p);
        agree = s1 === s2;
        out.push(2 * a[k - 1] - (agree ? sq(p) : 0));
        prefix.push(s1);
      }
      return out;
    };
    expect(differs((await expectHybrid(modToy, context, y, 3, offByOne)).mean)).toBe(true);
  });
});
