// SPDX-License-Identifier: MIT
import type { ProbabilityModel, Random, SamplingModel } from "./api.js";
import { sampleIndex } from "./random.js";
import { checkTokens, describe } from "./validate.js";

/** Options of {@link fitKneserNey}. */
export interface KneserNeyOptions {
  /** n-gram order N (the model conditions on the last N - 1 tokens). Integer >= 1; default 3. */
  order?: number;
  /** Vocabulary size V: distributions have V entries. Default: largest training token id + 1. */
  vocabSize?: number;
  /**
   * Absolute discount per level, index m - 1 for the level with m - 1 tokens of history, each in (0, 1]; one
   * number applies to every level. Default: Ney's estimate n1 / (n1 + 2 n2) from the count-of-counts of each level,
   * clamped to [0.05, 0.95] (0.5 when a level has no count of 1 or none of 2).
   */
  discount?: number | readonly number[];
  /** How many next-token distributions to keep (keyed by the last N - 1 tokens). Default 4096; 0 disables. */
  cacheSize?: number;
}

/**
 * A fitted interpolated Kneser-Ney model: a conventional language model with exact next-token probabilities
 * and ancestral sampling, usable directly by {@link brierLM} in every mode.
 */
export interface KneserNeyModel extends ProbabilityModel, SamplingModel {
  readonly order: number;
  readonly vocabSize: number;
  /** order - 1: only that many preceding tokens matter, so the scorer passes no more. */
  readonly contextLength: number;
  /** The discount of each level, index m - 1 for history length m - 1. */
  readonly discounts: readonly number[];
  /** P(. | last order - 1 tokens of context), a Float64Array of `vocabSize` entries summing to 1. Shared with the cache: do not modify it. */
  nextTokenProbs(context: readonly number[]): Float64Array;
  /** `length` tokens drawn one by one from `nextTokenProbs`, each appended to the context. */
  sample(context: readonly number[], length: number, random: Random): number[];
}

interface Level {
  counts: Map<number, number>;
  total: number;
}

const key = (ids: ArrayLike<number>, from: number, to: number): string => Array.prototype.slice.call(ids, from, to).join(",");

/**
 * Fits an interpolated Kneser-Ney n-gram model (standard interpolated KN with one absolute discount per level,
 * Kneser & Ney 1995; Chen & Goodman 1998, section 3.5; not the modified three-discount variant) on token ids:
 *
 *   P_m(w | h) = max(c_m(h w) - D_m, 0) / c_m(h .) + D_m N1+(h .) / c_m(h .) * P_{m-1}(w | h'),
 *
 * where h' drops the oldest token of h, c_m is the raw count at the highest level (history N - 1 tokens) and
 * the continuation count N1+(. h w) (number of distinct left neighbours) below it, and the recursion ends in
 * the uniform distribution 1/V, so every token has positive probability. Histories never seen fall back to the
 * level below. Each level sums to 1 exactly (up to rounding), so `nextTokenProbs` is a proper distribution.
 * n-grams do not cross document boundaries when `tokens` is a list of documents.
 *
 * @param tokens - training token ids: one sequence, or a list of documents.
 * @param options - {@link KneserNeyOptions}.
 * @throws TypeError or RangeError for bad tokens (naming the index), order < 1, vocabSize smaller than a token id, discounts outside (0, 1], or a cacheSize that is not an integer >= 0.
 * @example
 * ```ts
 * const lm = fitKneserNey([0, 1, 2, 0, 1, 2, 0, 2], { order: 2, vocabSize: 3 });
 * lm.nextTokenProbs([0]); // Float64Array(3) summing to 1, mostly on token 1
 * ```
 */
export function fitKneserNey(tokens: ArrayLike<number> | readonly ArrayLike<number>[], options: KneserNeyOptions = {}): KneserNeyModel {
  const fn = "fitKneserNey";
  const order = options.order ?? 3;
  if (!Number.isInteger(order) || order < 1) throw new RangeError(`${fn}: options.order is ${describe(order)}, must be an integer >= 1`);
  const docs: ArrayLike<number>[] =
    tokens.length > 0 && typeof tokens[0] === "object" ? Array.from(tokens as readonly ArrayLike<number>[]) : [tokens as ArrayLike<number>];
  let maxId = -1;
  docs.forEach((d, i) => {
    checkTokens(d, docs.length === 1 ? `${fn}: tokens` : `${fn}: tokens[${i}]`);
    for (let j = 0; j < d.length; j++) if (d[j] > maxId) maxId = d[j];
  });
  const vocabSize = options.vocabSize ?? maxId + 1;
  if (!Number.isInteger(vocabSize) || vocabSize < 1 || vocabSize <= maxId) {
    throw new RangeError(`${fn}: options.vocabSize is ${describe(vocabSize)}, must be an integer > the largest token id (${maxId})`);
  }
  const cacheSize = options.cacheSize ?? 4096;
  if (!Number.isInteger(cacheSize) || cacheSize < 0) throw new RangeError(`${fn}: options.cacheSize is ${describe(cacheSize)}, must be an integer >= 0`);

  // Raw counts of every m-gram, m = 1..order, keyed "h1,..,h_{m-1}" -> (w -> count).
  const raw: Map<string, Map<number, number>>[] = Array.from({ length: order }, () => new Map());
  for (const d of docs) {
    for (let end = 1; end <= d.length; end++) {
      const w = d[end - 1];
      for (let m = 1; m <= Math.min(order, end); m++) {
        const h = key(d, end - m, end - 1);
        let row = raw[m - 1].get(h);
        if (row === undefined) raw[m - 1].set(h, (row = new Map()));
        row.set(w, (row.get(w) ?? 0) + 1);
      }
    }
  }
  // Continuation counts for the lower levels: N1+(. h w) = number of distinct v with c(v h w) > 0.
  const levelCounts: Map<string, Map<number, number>>[] = raw.map((_, i) => (i === order - 1 ? raw[i] : new Map()));
  for (let m = 2; m <= order; m++) {
    for (const [h, row] of raw[m - 1]) {
      const comma = h.indexOf(",");
      const shorter = comma < 0 ? "" : h.slice(comma + 1);
      let target = levelCounts[m - 2].get(shorter);
      if (target === undefined) levelCounts[m - 2].set(shorter, (target = new Map()));
      for (const w of row.keys()) target.set(w, (target.get(w) ?? 0) + 1);
    }
  }
  const discounts: number[] = [];
  const levels: Map<string, Level>[] = levelCounts.map((table, i) => {
    let n1 = 0;
    let n2 = 0;
    const out = new Map<string, Level>();
    for (const [h, counts] of table) {
      let total = 0;
      for (const c of counts.values()) {
        total += c;
        if (c === 1) n1++;
        else if (c === 2) n2++;
      }
      out.set(h, { counts, total });
    }
    const given = options.discount;
    let D = typeof given === "number" ? given : given !== undefined ? given[i] : n1 > 0 && n2 > 0 ? n1 / (n1 + 2 * n2) : 0.5;
    if (given === undefined) D = Math.min(Math.max(D, 0.05), 0.95);
    if (typeof D !== "number" || !(D > 0 && D <= 1)) {
      throw new RangeError(`${fn}: options.discount for level ${i + 1} is ${describe(D)}, must be in (0, 1]`);
    }
    discounts.push(D);
    return out;
  });

  const cache = new Map<string, Float64Array>();
  const compute = (context: readonly number[]): Float64Array => {
    const p = new Float64Array(vocabSize).fill(1 / vocabSize);
    const usable = Math.min(order - 1, context.length);
    for (let m = 1; m <= usable + 1; m++) {
      const level = levels[m - 1].get(key(context, context.length - (m - 1), context.length));
      if (level === undefined) continue;
      const D = discounts[m - 1];
      const gamma = (D * level.counts.size) / level.total; // D N1+(h .) / c(h .)
      for (let w = 0; w < vocabSize; w++) p[w] *= gamma;
      for (const [w, c] of level.counts) p[w] += Math.max(c - D, 0) / level.total;
    }
    return p;
  };
  const nextTokenProbs = (context: readonly number[]): Float64Array => {
    if (cacheSize === 0) return compute(context);
    const k = key(context, Math.max(0, context.length - (order - 1)), context.length);
    let p = cache.get(k);
    if (p === undefined) {
      if (cache.size >= cacheSize) cache.clear();
      p = compute(context);
      cache.set(k, p);
    }
    return p;
  };
  const sample = (context: readonly number[], length: number, random: Random): number[] => {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`KneserNeyModel.sample: length is ${describe(length)}, must be an integer >= 0`);
    const ctx = Array.prototype.slice.call(context, Math.max(0, context.length - (order - 1))) as number[];
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const v = sampleIndex(nextTokenProbs(ctx), random);
      out.push(v);
      ctx.push(v);
      if (ctx.length > order - 1) ctx.shift();
    }
    return out;
  };
  return { order, vocabSize, contextLength: order - 1, discounts, nextTokenProbs, sample };
}
