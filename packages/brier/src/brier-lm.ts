// SPDX-License-Identifier: MIT
import type {
  BrierLMOptions,
  BrierLMResult,
  BrierMode,
  Conditionals,
  Distribution,
  LanguageModel,
  PositionSpec,
  Random,
} from "./api.js";
import { summarizeEstimates } from "./aggregate.js";
import { brierEstimatesByN } from "./brier-estimate.js";
import { BrierLMError } from "./errors.js";
import { exactBrierN, hybridBrierN } from "./probability-estimators.js";
import { createRandom, deriveSeed, sampleIndex } from "./random.js";
import { checkDistribution, checkTokens, describe } from "./validate.js";

const FN = "brierLM";

/** An error already phrased for the user; the position prefix is added once by the pool. */
class PositionFailure extends Error {}

function fail(message: string): never {
  throw new PositionFailure(message);
}

async function callModel<T>(label: string, f: () => T | PromiseLike<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof PositionFailure) throw e;
    throw new PositionFailure(`${label} threw: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function checkInt(name: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
    throw new RangeError(`${FN}: ${name} is ${describe(v)}, must be an integer >= ${min}`);
  }
  return v;
}

/** Resolves the requested start positions; every one has a full maxN-gram inside `tokens`. */
function resolvePositions(spec: PositionSpec, length: number, maxN: number): number[] {
  const last = length - maxN;
  const range = (offset: number, stride: number): number[] => {
    const out: number[] = [];
    for (let t = offset; t <= last; t += stride) out.push(t);
    return out;
  };
  if (spec === "all") return range(1, 1);
  if (Array.isArray(spec)) {
    const list = spec as readonly unknown[];
    const seen = new Set<number>();
    list.forEach((t, i) => {
      if (typeof t !== "number" || !Number.isInteger(t) || t < 0 || t > last) {
        throw new RangeError(
          `${FN}: options.positions[${i}] is ${describe(t)}, must be an integer in [0, ${last}] (tokens has length ${length}, maxN is ${maxN})`,
        );
      }
      if (seen.has(t)) throw new RangeError(`${FN}: options.positions[${i}] is ${t}, listed twice`);
      seen.add(t);
    });
    return [...(list as number[])];
  }
  if (spec !== null && typeof spec === "object") {
    if ("chunkSize" in spec) {
      const k = checkInt("options.positions.chunkSize", spec.chunkSize, 1);
      return range(k, k);
    }
    if ("stride" in spec) {
      const stride = checkInt("options.positions.stride", spec.stride, 1);
      const offset = spec.offset === undefined ? stride : checkInt("options.positions.offset", spec.offset, 0);
      return range(offset, stride);
    }
  }
  throw new TypeError(`${FN}: options.positions is ${describe(spec)}, must be "all", { stride }, { chunkSize } or a list of indices`);
}

function checkSample(x: unknown, length: number, where: string): ArrayLike<number> {
  if (x === null || typeof x !== "object" || typeof (x as { length?: unknown }).length !== "number") {
    fail(`${where} returned ${describe(x)}, expected an array of ${length} token ids`);
  }
  const a = x as ArrayLike<unknown>;
  if (a.length !== length) fail(`${where} returned ${a.length} tokens, expected ${length}`);
  for (let i = 0; i < length; i++) {
    const v = a[i];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
      fail(`${where} returned ${describe(v)} at index ${i}, expected a non-negative integer token id`);
    }
  }
  return a as ArrayLike<number>;
}

/**
 * BrierLM of a language model on a token sequence (CALM paper, section 4.2): at each scored start position t
 * the model predicts the n-grams y = tokens[t .. t+n), n = 1..maxN, from tokens[.. t); each Brier-n is
 * averaged over positions, and BrierLM = 100 * (Brier-1 * ... * Brier-maxN)^(1/maxN).
 *
 * Estimators (all unbiased for each Brier-n; see {@link BrierMode}):
 * - sample-only models: two independent continuations x1, x2 of maxN tokens, estimate
 *   1[x1_1..n = y_1..n] + 1[x2_1..n = y_1..n] - 1[x1_1..n = x2_1..n];
 * - models with `nextTokenProbs`: exact accuracy 2 P(y_1..n) from teacher forcing and the collision estimator
 *   of the reference's Transformer evaluation ({@link hybridBrierN}), or exact collision masses (`mode: "exact"`).
 *
 * Each position draws from its own generator seeded from (seed, t), so the result does not depend on
 * `concurrency` or on resuming. Without probabilities each position costs two `sample` calls (one `sampleN`
 * call when available); with them, about one `nextTokenProbs` call per position for the teacher-forced pass
 * (shared between neighbouring positions through a small cache) plus up to maxN - 1 along the sampled stream.
 *
 * @param model - a {@link LanguageModel}: `sample(context, length, random)` and/or `nextTokenProbs(context)`,
 *   synchronous or returning promises.
 * @param tokens - the reference token ids (at least maxN + 1 of them for the default positions).
 * @param options - {@link BrierLMOptions}.
 * @returns a {@link BrierLMResult}; `brierLM` is NaN with `undefinedReason` set when a Brier-n mean is <= 0.
 * @throws TypeError or RangeError for bad arguments (named, with the value received), before any model call.
 * @throws {@link BrierLMError} when scoring a position fails; it names the position and carries the partial
 *   result (`error.partial`, resumable through `options.resume`).
 * @example
 * ```ts
 * const lm = fitKneserNey(trainIds, { order: 3, vocabSize: 256 });
 * const r = await brierLM(lm, testIds, { seed: 1 });
 * console.log(r.brierN, r.brierLM);
 * ```
 */
export async function brierLM(model: LanguageModel, tokens: ArrayLike<number>, options: BrierLMOptions = {}): Promise<BrierLMResult> {
  if (model === null || typeof model !== "object") {
    throw new TypeError(`${FN}: model is ${describe(model)}, must be an object with sample() and/or nextTokenProbs()`);
  }
  const hasSample = typeof model.sample === "function";
  const hasSampleN = typeof model.sampleN === "function";
  const hasProbs = typeof model.nextTokenProbs === "function";
  if (!hasSample && !hasProbs) {
    throw new TypeError(`${FN}: model has neither sample() nor nextTokenProbs(); it needs at least one of them`);
  }
  checkTokens(tokens, `${FN}: tokens`);
  const maxN = checkInt("options.maxN", options.maxN ?? 4, 1);
  if (tokens.length === 0) throw new RangeError(`${FN}: tokens is empty, needs at least maxN + 1 = ${maxN + 1} token ids`);
  const spec = options.positions ?? "all";
  if (spec === "all" && tokens.length < maxN + 1) {
    throw new RangeError(
      `${FN}: tokens has length ${tokens.length}, too short: needs at least maxN + 1 = ${maxN + 1} (one context token and one ${maxN}-gram)`,
    );
  }
  const asked = options.contextLength === undefined ? undefined : checkInt("options.contextLength", options.contextLength, 1);
  const own = model.contextLength === undefined ? undefined : checkInt("model.contextLength", model.contextLength, 0);
  const contextLength = asked === undefined ? own : own === undefined ? asked : Math.min(asked, own);
  const concurrency = checkInt("options.concurrency", options.concurrency ?? 1, 1);
  const tolerance = options.tolerance ?? 1e-6;
  if (typeof tolerance !== "number" || !(tolerance >= 0)) {
    throw new RangeError(`${FN}: options.tolerance is ${describe(tolerance)}, must be a number >= 0`);
  }
  const requested: BrierMode = options.mode ?? "auto";
  if (!["auto", "sample", "probs", "exact"].includes(requested)) {
    throw new RangeError(`${FN}: options.mode is ${describe(requested)}, must be "auto", "sample", "probs" or "exact"`);
  }
  const mode: Exclude<BrierMode, "auto"> = requested === "auto" ? (hasProbs ? "probs" : "sample") : requested;
  if (mode === "sample" && !hasSample) throw new TypeError(`${FN}: options.mode is "sample" but model has no sample()`);
  if (mode !== "sample" && !hasProbs) throw new TypeError(`${FN}: options.mode is "${mode}" but model has no nextTokenProbs()`);
  if (options.seed !== undefined && options.random !== undefined) {
    throw new TypeError(`${FN}: pass options.seed or options.random, not both`);
  }
  if (options.seed !== undefined && (typeof options.seed !== "number" || !Number.isFinite(options.seed))) {
    throw new RangeError(`${FN}: options.seed is ${describe(options.seed)}, must be a finite number`);
  }
  if (options.random !== undefined && typeof options.random !== "function") {
    throw new TypeError(`${FN}: options.random is ${describe(options.random)}, must be a function returning floats in [0, 1)`);
  }
  const seed = options.random ? Math.floor(options.random() * 4294967296) >>> 0 : Math.floor(options.seed ?? 0) >>> 0;

  const positions = resolvePositions(spec, tokens.length, maxN);
  if (positions.length === 0) {
    throw new RangeError(`${FN}: no position to score (tokens has length ${tokens.length}, maxN is ${maxN}, positions ${describe(spec)})`);
  }

  const scored = new Map<number, number[]>();
  if (options.resume !== undefined) {
    const r = options.resume;
    if (r.maxN !== maxN || r.mode !== mode) {
      throw new RangeError(`${FN}: options.resume was scored with maxN ${r.maxN}, mode "${r.mode}"; this run has maxN ${maxN}, mode "${mode}"`);
    }
    r.positions.forEach((t, i) => scored.set(t, r.estimates[i]));
  }
  const todo = positions.filter((t) => !scored.has(t));
  let done = positions.length - todo.length;

  const ctxStart = (t: number): number => (contextLength === undefined ? 0 : Math.max(0, t - contextLength));
  const slice = (from: number, to: number): number[] => Array.prototype.slice.call(tokens, from, to) as number[];

  const nextTokenProbs = hasProbs ? model.nextTokenProbs!.bind(model) : undefined;
  const cacheLimit = 64 + 4 * maxN * concurrency;
  const refCache = new Map<number, Promise<Distribution>>();
  // P(. | tokens before j) for the reference token at index j: shared by every position whose n-gram covers j.
  const reference = (j: number): Promise<Distribution> => {
    let p = refCache.get(j);
    if (p === undefined) {
      p = (async () => {
        const probs = await callModel("model.nextTokenProbs", () => nextTokenProbs!(slice(ctxStart(j), j)));
        checkProbs(probs, `model.nextTokenProbs(tokens[${ctxStart(j)}..${j}))`);
        if (tokens[j] >= probs.length) {
          fail(`reference token ${tokens[j]} at index ${j} is outside model.nextTokenProbs's distribution (length ${probs.length})`);
        }
        return probs;
      })();
      refCache.set(j, p);
      p.catch(() => refCache.delete(j));
      if (refCache.size > cacheLimit) refCache.delete(refCache.keys().next().value as number);
    }
    return p;
  };
  const checkProbs = (probs: unknown, where: string): Distribution => {
    try {
      checkDistribution(probs, where, tolerance, "options.tolerance");
    } catch (e) {
      fail((e as Error).message);
    }
    return probs as Distribution;
  };

  const scorePosition = async (t: number): Promise<number[]> => {
    const y = slice(t, t + maxN);
    const random: Random = createRandom(deriveSeed(seed, t));
    if (mode === "sample") {
      const start = ctxStart(t);
      let x1: ArrayLike<number>;
      let x2: ArrayLike<number>;
      if (hasSampleN) {
        const pair = await callModel("model.sampleN", () => model.sampleN!(slice(start, t), maxN, 2, random));
        if (pair === null || typeof pair !== "object" || (pair as ArrayLike<unknown>).length !== 2) {
          fail(`model.sampleN returned ${describe(pair)}, expected 2 continuations`);
        }
        x1 = checkSample(pair[0], maxN, "model.sampleN (sample 1)");
        x2 = checkSample(pair[1], maxN, "model.sampleN (sample 2)");
      } else {
        x1 = checkSample(await callModel("model.sample", () => model.sample!(slice(start, t), maxN, random)), maxN, "model.sample (sample 1)");
        x2 = checkSample(await callModel("model.sample", () => model.sample!(slice(start, t), maxN, random)), maxN, "model.sample (sample 2)");
      }
      return brierEstimatesByN(y, x1, x2, maxN);
    }
    const cond: Conditionals = {
      reference: (k) => reference(t + k),
      sampled: async (prefix) => {
        let ctx = slice(ctxStart(t), t).concat(prefix);
        if (contextLength !== undefined && ctx.length > contextLength) ctx = ctx.slice(ctx.length - contextLength);
        const probs = await callModel("model.nextTokenProbs", () => nextTokenProbs!(ctx));
        return checkProbs(probs, `model.nextTokenProbs(context + sampled [${prefix.join(", ")}])`);
      },
    };
    if (mode === "exact") return exactBrierN(cond, y, maxN);
    return hybridBrierN(cond, y, maxN, (p) => sampleIndex(p, random));
  };

  let failure: { position: number; error: unknown } | undefined;
  let next = 0;
  const total = positions.length;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < todo.length) {
      const t = todo[next++];
      try {
        scored.set(t, await scorePosition(t));
      } catch (error) {
        if (failure === undefined) failure = { position: t, error };
        return;
      }
      done++;
      options.onProgress?.(done, total);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(todo.length, 1)) }, worker));

  const order = positions.filter((t) => scored.has(t));
  const estimates = order.map((t) => scored.get(t)!);
  const result: BrierLMResult = {
    ...summarizeEstimates(estimates, maxN),
    positions: order,
    estimates,
    pending: positions.filter((t) => !scored.has(t)),
    mode,
    maxN,
  };
  if (failure !== undefined) {
    const { position, error } = failure;
    const why = error instanceof Error ? error.message : String(error);
    throw new BrierLMError(
      `${FN}: position ${position} (predicting tokens[${position}..${position + maxN})): ${why}; ${order.length} of ${total} positions scored (error.partial, resumable with options.resume)`,
      position,
      result,
      error instanceof PositionFailure ? error.cause : error,
    );
  }
  return result;
}
