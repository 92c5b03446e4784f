// SPDX-License-Identifier: MIT
import type { Coin, RandomSource } from "./api.js";
import { drawKey } from "./equality.js";
import { describe } from "./rational.js";
import { checkBernoulliArgs } from "./random.js";

/**
 * An opaque draw of a {@link LazyCategorical} sampler: its value is decided only when it is compared or
 * revealed.
 *
 * @example
 * ```ts
 * const d: LazyDraw = lazy.sample();
 * ```
 */
export interface LazyDraw {
  /** Index of the draw in this run (not its value). */
  readonly id: number;
}

/**
 * A categorical sampler whose draws are revealed lazily, for evaluating algorithms that only compare draws
 * (such as Algorithm 1 of the CALM paper): comparing a fresh draw with a revealed one is a two-way branch
 * (equal with probability P(v)/P(not excluded)), so the tree of a K-outcome sampler does not fan out K ways
 * at every draw. Exact in law: each draw is still P-distributed and independent.
 *
 * @example
 * ```ts
 * const lazy = chance.lazyCategorical([0.5, 0.3, 0.2]);
 * const x = lazy.sample();
 * lazy.equals(x, lazy.sample());
 * ```
 */
export interface LazyCategorical {
  /** One draw (counted under the sampler's label; no branch yet). */
  sample(): LazyDraw;
  /** Whether two draws are equal (branches as needed). */
  equals(a: LazyDraw, b: LazyDraw): boolean;
  /** The index of a draw's value (branches over the values it can still take). */
  reveal(draw: LazyDraw): number;
}

/**
 * The scripted randomness handed to a program by {@link evaluateTree}: every request becomes a branch of
 * the probability tree, with its exact probability.
 *
 * @example
 * ```ts
 * evaluateTree((chance) => power(chance.coin(0.3), { numerator: 1, denominator: 2 }, chance.source));
 * ```
 */
export interface Chance {
  /** A branch with the given probabilities (must sum to 1); returns the branch index. Counted under `label`. */
  branch(probabilities: readonly number[], label?: string): number;
  /** Adds to a counter without branching. */
  count(label: string, times?: number): void;
  /** A {@link RandomSource} whose `bit()` and `bernoulli(a, b)` are branches (labels "bit", "bernoulli"). */
  readonly source: RandomSource;
  /** A coin with heads probability `lambda`; flips are branches counted under `label` (default "coin"). */
  coin(lambda: number, label?: string): Coin;
  /** A sampler returning `values[i]` with probability `probabilities[i]` (label default "draw"). */
  categorical<T>(probabilities: readonly number[], values: readonly T[], label?: string): () => T;
  /** A lazily revealed categorical sampler over indices (label default "draw"). */
  lazyCategorical(probabilities: readonly number[], label?: string): LazyCategorical;
}

/**
 * Options of {@link evaluateTree}.
 *
 * @example
 * ```ts
 * const o: TreeOptions<boolean> = { weightFloor: 1e-14, maxNodes: 1e6 };
 * ```
 */
export interface TreeOptions<R> {
  /** Nodes of probability below this are not expanded; their mass is reported as `unresolved` (default 1e−15). */
  weightFloor?: number;
  /** Largest number of program runs (default 2 000 000); exceeding it throws. */
  maxNodes?: number;
  /** Groups results (default: value equality as in `drawKey`). */
  key?: (result: R) => unknown;
}

/**
 * One result of the program and its probability (over the resolved part of the tree).
 *
 * @example
 * ```ts
 * const o: TreeOutcome<boolean> = { value: true, probability: 0.5 };
 * ```
 */
export interface TreeOutcome<R> {
  value: R;
  probability: number;
}

/**
 * What {@link evaluateTree} found: the exact law of the program's result up to the `unresolved` mass.
 * For any result v, the true probability lies in [probabilityOf(v), probabilityOf(v) + unresolved] (up to
 * float rounding, ~1e−15 relative).
 *
 * @example
 * ```ts
 * const r = evaluateTree((c) => c.coin(0.25)());
 * r.probabilityOf(true); // 0.25
 * ```
 */
export interface TreeResult<R> {
  /** Distinct results with their probabilities, in order of first appearance. */
  outcomes: TreeOutcome<R>[];
  /** Probability of a result (0 when never seen). */
  probabilityOf(value: R): number;
  /** Total probability of the paths cut at the weight floor. */
  unresolved: number;
  /** Σ over finished paths of probability × number of requests with each label (e.g. expected coin flips). */
  expected: Record<string, number>;
  /** Σ over cut paths of probability × requests so far, per label (a lower-bound correction). */
  unresolvedCounts: Record<string, number>;
  /** Program runs (tree nodes expanded). */
  nodes: number;
}

class Pending {
  constructor(readonly probabilities: readonly number[]) {}
}

function checkBranch(probabilities: readonly number[]): void {
  let sum = 0;
  for (const p of probabilities) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`evaluateTree: branch probability is ${describe(p)}, must be in [0, 1]`);
    sum += p;
  }
  if (Math.abs(sum - 1) > 1e-9) throw new RangeError(`evaluateTree: branch probabilities sum to ${sum}, must sum to 1`);
}

class ScriptedChance implements Chance {
  pos = 0;
  swallowed = false;
  readonly counts: Record<string, number> = {};
  readonly source: RandomSource;

  constructor(private readonly answers: readonly number[]) {
    this.source = {
      bit: () => this.branch([0.5, 0.5], "bit") === 0,
      bernoulli: (a, b) => {
        checkBernoulliArgs(a, b);
        const p = Number(a) / Number(b);
        return this.branch([p, 1 - p], "bernoulli") === 0;
      },
    };
  }

  count(label: string, times = 1): void {
    this.counts[label] = (this.counts[label] ?? 0) + times;
  }

  branch(probabilities: readonly number[], label?: string): number {
    if (this.pos < this.answers.length) {
      const j = this.answers[this.pos++]!;
      if (label !== undefined) this.count(label);
      return j;
    }
    checkBranch(probabilities);
    this.swallowed = true;
    throw new Pending(probabilities);
  }

  coin(lambda: number, label = "coin"): Coin {
    if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`Chance.coin: lambda is ${describe(lambda)}, must be in [0, 1]`);
    return () => this.branch([lambda, 1 - lambda], label) === 0;
  }

  categorical<T>(probabilities: readonly number[], values: readonly T[], label = "draw"): () => T {
    if (values.length !== probabilities.length) {
      throw new RangeError(`Chance.categorical: ${values.length} values for ${probabilities.length} probabilities`);
    }
    return () => values[this.branch(probabilities, label)]!;
  }

  lazyCategorical(probabilities: readonly number[], label = "draw"): LazyCategorical {
    checkBranch(probabilities);
    const states: { value: number; excluded: Set<number> }[] = [];
    const live = (s: { excluded: Set<number> }) => probabilities.map((p, i) => (s.excluded.has(i) ? 0 : p));
    const reveal = (d: LazyDraw): number => {
      const s = states[d.id]!;
      if (s.value < 0) {
        const w = live(s);
        const m = w.reduce((a, b) => a + b, 0);
        s.value = this.branch(w.map((x) => x / m));
      }
      return s.value;
    };
    return {
      sample: () => {
        this.count(label);
        states.push({ value: -1, excluded: new Set() });
        return { id: states.length - 1 };
      },
      reveal,
      equals: (a, b) => {
        if (a.id === b.id) return true;
        let known = states[a.id]!;
        let other = states[b.id]!;
        // Reveal the older draw: an algorithm that compares fresh draws with one candidate then branches
        // two ways per comparison instead of K ways.
        if (known.value < 0 && other.value < 0) reveal(a.id < b.id ? a : b);
        if (known.value < 0) [known, other] = [other, known];
        if (other.value >= 0) return known.value === other.value;
        const v = known.value;
        if (other.excluded.has(v)) return false;
        const w = live(other);
        const q = w[v]! / w.reduce((x, y) => x + y, 0);
        if (this.branch([q, 1 - q]) === 0) {
          other.value = v;
          return true;
        }
        other.excluded.add(v);
        return false;
      },
    };
  }
}

/**
 * Replay-and-branch probability-tree evaluator (estimators note §4.2): runs `program` again and again from
 * scratch, each time feeding it a scripted list of answers to its random requests; when it asks for a new
 * request, the node branches with the request's exact probabilities, depth first. A run that returns is a
 * leaf with the product of its branch probabilities. Nodes lighter than `weightFloor` are cut and their
 * mass reported as `unresolved`, a certified bound: |P(result = v) − probabilityOf(v)| ≤ unresolved.
 *
 * This turns "is this Bernoulli factory exact?" into a deterministic check with no statistics: evaluate
 * `power(chance.coin(λ), α, chance.source)` and compare `probabilityOf(true)` with λ^α to 1e−12. It is
 * exported (from `@calm/bernoulli-factory/testing`) so that users can certify their own factories built from
 * this package's blocks. The program must draw all its randomness from `chance` and must not catch the
 * evaluator's internal signal (do not wrap requests in a catch-all `try`).
 *
 * Cost: one program run per node, each O(depth); keep λ away from 0 and 1 where the tree is deep.
 *
 * @param program - a deterministic function of the answers it gets from `chance`.
 * @param options - weight floor, node limit, result key.
 * @returns the result law, the unresolved mass, and expected request counts per label.
 * @throws RangeError when the node limit is exceeded or a branch is not a probability vector; rethrows any
 *   other error the program throws (with the path's probability in the message).
 * @example
 * ```ts
 * const r = evaluateTree((c) => power(c.coin(0.2), { numerator: 1, denominator: 3 }, c.source), { weightFloor: 1e-16 });
 * Math.abs(r.probabilityOf(true) - 0.2 ** (1 / 3)) <= r.unresolved + 1e-12; // true
 * r.expected.coin; // 0.2^(1/3 − 1) = 2.924…
 * ```
 */
export function evaluateTree<R>(program: (chance: Chance) => R, options?: TreeOptions<R>): TreeResult<R> {
  const floor = options?.weightFloor ?? 1e-15;
  const maxNodes = options?.maxNodes ?? 2_000_000;
  const key = options?.key ?? ((r: R) => r);
  const outcomes = new Map<string, TreeOutcome<R>>();
  const expected: Record<string, number> = {};
  const unresolvedCounts: Record<string, number> = {};
  let unresolved = 0;
  let nodes = 0;
  const stack: { answers: number[]; weight: number }[] = [{ answers: [], weight: 1 }];
  while (stack.length > 0) {
    const { answers, weight } = stack.pop()!;
    if (++nodes > maxNodes) {
      throw new RangeError(`evaluateTree: more than ${maxNodes} nodes (options.maxNodes); raise options.weightFloor`);
    }
    const chance = new ScriptedChance(answers);
    let result: R;
    try {
      result = program(chance);
    } catch (e) {
      if (!(e instanceof Pending)) {
        if (e instanceof Error) e.message += ` (evaluateTree: on a path of probability ${weight})`;
        throw e;
      }
      if (weight < floor) {
        unresolved += weight;
        for (const [l, c] of Object.entries(chance.counts)) unresolvedCounts[l] = (unresolvedCounts[l] ?? 0) + weight * c;
        continue;
      }
      const q = e.probabilities;
      for (let j = q.length - 1; j >= 0; j--) {
        if (q[j]! > 0) stack.push({ answers: [...answers, j], weight: weight * q[j]! });
      }
      continue;
    }
    if (chance.swallowed) throw new Error("evaluateTree: the program caught the evaluator's branch signal");
    const k = drawKey(key(result));
    const o = outcomes.get(k);
    if (o === undefined) outcomes.set(k, { value: result, probability: weight });
    else o.probability += weight;
    for (const [l, c] of Object.entries(chance.counts)) expected[l] = (expected[l] ?? 0) + weight * c;
  }
  return {
    outcomes: [...outcomes.values()],
    probabilityOf: (v: R) => outcomes.get(drawKey(key(v)))?.probability ?? 0,
    unresolved,
    expected,
    unresolvedCounts,
    nodes,
  };
}
