// SPDX-License-Identifier: MIT
// Small autoregressive models with rational conditionals, their closed-form Brier-n, and draw-tree enumerators.
import { Rational, sum } from "./rational.js";

/** An autoregressive model given by exact rational conditionals P(. | context). */
export interface ToyModel {
  vocabSize: number;
  cond(context: readonly number[]): Rational[];
}

/** Float view of a toy model, as the library sees it. */
export const floatProbs = (m: ToyModel) => (context: readonly number[]): number[] => m.cond(context).map((r) => r.toNumber());

/** Estimators note section 3.2: V = 3, P(v | h) ∝ 1 + ((s + v) mod 3) with s = sum(h) + len(h). C_n = (7/18)^n. */
export const modToy: ToyModel = {
  vocabSize: 3,
  cond(context) {
    const s = context.reduce((a, b) => a + b, 0) + context.length;
    return [0, 1, 2].map((v) => new Rational(1 + ((s + v) % 3), 6));
  },
};

/**
 * A model from a table of integer weights, one row of V weights per prefix (after a fixed context) up to a
 * depth; rows of zeros become uniform. Prefixes are numbered breadth-first: prefix p has index
 * sum_{k < |p|} V^k + (p read in base V).
 */
export function tableModel(vocabSize: number, contextLength: number, weights: readonly number[]): ToyModel {
  return {
    vocabSize,
    cond(context) {
      const p = context.slice(contextLength);
      let index = 0;
      let width = 1;
      for (let k = 0; k < p.length; k++) {
        index += width;
        width *= vocabSize;
      }
      index += p.reduce((a, v) => a * vocabSize + v, 0);
      const row = Array.from({ length: vocabSize }, (_, v) => weights[(index * vocabSize + v) % weights.length]);
      const total = row.reduce((a, b) => a + b, 0);
      return total === 0 ? row.map(() => new Rational(1, vocabSize)) : row.map((w) => new Rational(w, total));
    },
  };
}

/** Every continuation of `length` tokens after `context` with its exact probability (zero-probability ones included). */
export function continuations(m: ToyModel, context: readonly number[], length: number): { s: number[]; p: Rational }[] {
  let frontier: { s: number[]; p: Rational }[] = [{ s: [], p: Rational.ONE }];
  for (let k = 0; k < length; k++) {
    const next: { s: number[]; p: Rational }[] = [];
    for (const { s, p } of frontier) {
      const c = m.cond([...context, ...s]);
      for (let v = 0; v < m.vocabSize; v++) next.push({ s: [...s, v], p: p.mul(c[v]) });
    }
    frontier = next;
  }
  return frontier;
}

/** Closed form by brute force: Brier-n = 2 P(y_1..n) - sum over all n-grams s of P(s)^2, n = 1..maxN. */
export function exactBrierByBruteForce(m: ToyModel, context: readonly number[], y: readonly number[], maxN: number): Rational[] {
  const out: Rational[] = [];
  for (let n = 1; n <= maxN; n++) {
    const all = continuations(m, context, n);
    const py = all.find(({ s }) => s.every((v, i) => v === y[i]))!.p;
    out.push(py.scale(2).sub(sum(all.map(({ p }) => p.mul(p)))));
  }
  return out;
}

/** E[estimator(y, x1, x2)] over two independent continuations x1, x2 of maxN tokens, exactly. */
export function expectTwoStreams(
  m: ToyModel,
  context: readonly number[],
  y: readonly number[],
  maxN: number,
  estimator: (y: readonly number[], x1: readonly number[], x2: readonly number[], maxN: number) => number[],
): Rational[] {
  const all = continuations(m, context, maxN).filter(({ p }) => p.num !== 0n);
  const acc = Array.from({ length: maxN }, () => Rational.ZERO);
  for (const a of all) {
    for (const b of all) {
      const w = a.p.mul(b.p);
      estimator(y, a.s, b.s, maxN).forEach((e, k) => (acc[k] = acc[k].add(w.scale(e))));
    }
  }
  return acc;
}

class Need {
  constructor(readonly branches: readonly Rational[]) {}
}

/**
 * Enumerates the draw tree of a procedure that makes categorical draws through `draw(branches)` (exact branch
 * probabilities): each run replays a script of earlier choices; at the first unscripted draw it stops, and the
 * run is repeated once per branch of positive probability. Returns sum over leaves of weight * result in floats,
 * the same exactly when every result is an integer (else null), the total leaf weight and the number of leaves.
 */
export async function enumerateDraws(
  run: (draw: (branches: readonly Rational[]) => number) => Promise<number[]>,
): Promise<{ mean: number[]; exact: Rational[] | null; mass: Rational; leaves: number }> {
  const stack: { script: number[]; w: Rational }[] = [{ script: [], w: Rational.ONE }];
  let mean: number[] = [];
  let exact: Rational[] | null = [];
  let mass = Rational.ZERO;
  let leaves = 0;
  while (stack.length > 0) {
    const { script, w } = stack.pop()!;
    let i = 0;
    let result: number[];
    try {
      result = await run((branches) => {
        if (i < script.length) return script[i++];
        throw new Need(branches);
      });
    } catch (e) {
      const need = e instanceof Need ? e : (e as { cause?: unknown }).cause instanceof Need ? ((e as { cause: Need }).cause) : undefined;
      if (need === undefined) throw e;
      need.branches.forEach((q, v) => {
        if (q.num !== 0n) stack.push({ script: [...script, v], w: w.mul(q) });
      });
      continue;
    }
    leaves++;
    mass = mass.add(w);
    const wf = w.toNumber();
    if (mean.length === 0) {
      mean = result.map(() => 0);
      exact = result.map(() => Rational.ZERO);
    }
    result.forEach((r, k) => {
      mean[k] += wf * r;
      if (exact !== null) exact[k] = Number.isInteger(r) ? exact[k].add(w.scale(r)) : (null as unknown as Rational);
    });
    if (exact !== null && exact.some((x) => x === null)) exact = null;
  }
  return { mean, exact, mass, leaves };
}
