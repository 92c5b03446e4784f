// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { evaluateTree } from "../src/testing.js";

describe("evaluateTree", () => {
  it("accounts for all mass: resolved + unresolved = 1, and counts requests", () => {
    // Geometric number of failures before a success with p = 1/4, capped by the floor.
    const r = evaluateTree(
      (c) => {
        let k = 0;
        while (c.branch([0.25, 0.75], "try") === 1) k++;
        return k;
      },
      { weightFloor: 1e-6 },
    );
    const total = r.outcomes.reduce((s, o) => s + o.probability, 0);
    expect(total + r.unresolved).toBeCloseTo(1, 14);
    expect(r.probabilityOf(2)).toBeCloseTo(0.25 * 0.75 ** 2, 15);
    expect(r.expected.try! + r.unresolvedCounts.try!).toBeLessThanOrEqual(4);
  });

  it("a lazily revealed categorical has the same joint law as a plain one", () => {
    const P = [0.5, 0.3, 0.2];
    const plain = evaluateTree((c) => {
      const s = c.categorical(P, [0, 1, 2]);
      const a = s();
      const b = s();
      return [a, b, a === b ? 1 : 0];
    });
    const lazy = evaluateTree((c) => {
      const l = c.lazyCategorical(P);
      const a = l.sample();
      const b = l.sample();
      const eq = l.equals(a, b) ? 1 : 0;
      return [l.reveal(a), l.reveal(b), eq];
    });
    for (let a = 0; a < 3; a++)
      for (let b = 0; b < 3; b++) {
        const key = [a, b, a === b ? 1 : 0];
        expect(lazy.probabilityOf(key)).toBeCloseTo(plain.probabilityOf(key), 15);
      }
  });

  it("detects a program that swallows the branch signal, and reports program errors with the path weight", () => {
    expect(() =>
      evaluateTree((c) => {
        try {
          return c.source.bit();
        } catch {
          return false;
        }
      }),
    ).toThrow(/caught the evaluator's branch signal/);
    expect(() => evaluateTree((c) => (c.source.bit() ? 1 : (() => { throw new Error("boom"); })()))).toThrow(
      /boom \(evaluateTree: on a path of probability 0.5\)/,
    );
    expect(() => evaluateTree((c) => c.branch([0.5, 0.6]))).toThrow(/branch probabilities sum to 1.1/);
    expect(() => evaluateTree((c) => { for (;;) c.source.bit(); }, { weightFloor: 0, maxNodes: 1000 })).toThrow(
      /more than 1000 nodes/,
    );
  });
});
