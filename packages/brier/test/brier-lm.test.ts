// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import {
  BrierLMError,
  brierLM,
  brierLMFromBrierN,
  createRandom,
  deriveSeed,
  exactBrierN,
  fitKneserNey,
  hybridBrierN,
  sampleIndex,
} from "../src/index.js";
import type { BrierLMResult, Distribution } from "../src/index.js";

// A small Markov-ish corpus over V = 5 tokens, and a trigram KN model fitted on it.
function corpus(n: number, seed: number): number[] {
  const random = createRandom(seed);
  const out = [0];
  for (let i = 1; i < n; i++) {
    const prev = out[i - 1];
    const u = random();
    out.push(u < 0.55 ? (prev + 1) % 5 : u < 0.8 ? (prev * 2) % 5 : Math.floor(random() * 5));
  }
  return out;
}
const train = corpus(5000, 1);
const test = corpus(1201, 2);
const lm = fitKneserNey(train, { order: 3, vocabSize: 5 });

describe("brierLM agrees with the exact values", () => {
  // Bonferroni over 8 checks at alpha = 1e-6 each (z = 4.8916): false failure < 1e-5 per run. The standard error
  // from the estimates also contains the spread of the exact per-position values, so the check is conservative.
  const z = 4.8916;

  it("sample-only and probability modes agree with exact mode within their standard errors (n-gram model)", async () => {
    const exact = await brierLM(lm, test, { mode: "exact" });
    expect(exact.positions).toHaveLength(test.length - 4);
    for (const mode of ["sample", "probs"] as const) {
      const r = await brierLM(lm, test, { mode, seed: 5 });
      expect(r.mode).toBe(mode);
      r.brierN.forEach((b, k) => expect(Math.abs(b - exact.brierN[k])).toBeLessThan(z * r.standardError[k]));
    }
  });

  it("the probability mode has exact Brier-1 and a lower variance than the sample-only mode", async () => {
    const sampled = await brierLM(lm, test, { mode: "sample", seed: 5 });
    const probs = await brierLM(lm, test, { mode: "probs", seed: 5 });
    const exact = await brierLM(lm, test, { mode: "exact" });
    probs.estimates.forEach((e, i) => expect(e[0]).toBe(exact.estimates[i][0]));
    probs.standardError.forEach((s, k) => expect(s).toBeLessThan(sampled.standardError[k]));
  });

  it("exact mode at one position equals brute-force enumeration of every n-gram", async () => {
    const t = 100;
    const context = test.slice(0, t);
    const r = await brierLM(lm, test, { mode: "exact", positions: [t] });
    const seqs: number[][] = [[]];
    for (let n = 1; n <= 4; n++) {
      const grow = seqs.splice(0).flatMap((s) => [0, 1, 2, 3, 4].map((v) => [...s, v]));
      seqs.push(...grow);
      const prob = (s: number[]) => s.reduce((p, v, i) => p * lm.nextTokenProbs([...context, ...s.slice(0, i)])[v], 1);
      const collision = seqs.reduce((c, s) => c + prob(s) ** 2, 0);
      expect(r.brierN[n - 1]).toBeCloseTo(2 * prob(test.slice(t, t + n)) - collision, 13);
    }
  });

  it("probability mode is hybridBrierN driven by the position's own seeded stream", async () => {
    const t = 37;
    const r = await brierLM(lm, test, { mode: "probs", seed: 9, positions: [t] });
    const random = createRandom(deriveSeed(9, t));
    const ctx = test.slice(0, t);
    const y = test.slice(t, t + 4);
    const want = await hybridBrierN(
      { reference: (k) => lm.nextTokenProbs([...ctx, ...y.slice(0, k)]), sampled: (p) => lm.nextTokenProbs([...ctx, ...p]) },
      y,
      4,
      (p: Distribution) => sampleIndex(p, random),
    );
    expect(r.estimates[0]).toEqual(want);
    const ex = await exactBrierN({ reference: (k) => lm.nextTokenProbs([...ctx, ...y.slice(0, k)]), sampled: (p) => lm.nextTokenProbs([...ctx, ...p]) }, y, 4);
    expect((await brierLM(lm, test, { mode: "exact", positions: [t] })).estimates[0]).toEqual(ex);
  });
});

describe("brierLM options", () => {
  const short = test.slice(0, 120);

  it("auto picks probabilities when available, samples otherwise", async () => {
    expect((await brierLM(lm, short)).mode).toBe("probs");
    expect((await brierLM({ sample: lm.sample }, short)).mode).toBe("sample");
  });

  it("results do not depend on concurrency, and async models work", async () => {
    const asyncModel = { sample: async (c: readonly number[], n: number, r: () => number) => lm.sample(c, n, r) };
    const a = await brierLM(asyncModel, short, { seed: 3 });
    const b = await brierLM(asyncModel, short, { seed: 3, concurrency: 7 });
    expect(b).toEqual(a);
    const c = await brierLM(asyncModel, short, { seed: 4 });
    expect(c.estimates).not.toEqual(a.estimates);
  });

  it("sampleN is used when present (one call per position for both samples)", async () => {
    let calls = 0;
    const model = {
      sample: () => {
        throw new Error("sample should not be called");
      },
      sampleN: (c: readonly number[], n: number, count: number, r: () => number) => {
        calls++;
        return Array.from({ length: count }, () => lm.sample(c, n, r));
      },
    };
    const r = await brierLM(model, short, { seed: 3 });
    expect(calls).toBe(r.positions.length);
  });

  it("a random source seeds the run reproducibly", async () => {
    const a = await brierLM({ sample: lm.sample }, short, { random: createRandom(8) });
    const b = await brierLM({ sample: lm.sample }, short, { random: createRandom(8) });
    expect(a).toEqual(b);
  });

  it("positions: all, stride, chunk boundaries, explicit list; windows past the end are dropped", async () => {
    const tokens = test.slice(0, 21);
    expect((await brierLM(lm, tokens)).positions).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect((await brierLM(lm, tokens, { positions: { chunkSize: 4 } })).positions).toEqual([4, 8, 12, 16]);
    expect((await brierLM(lm, tokens, { positions: { stride: 5, offset: 0 } })).positions).toEqual([0, 5, 10, 15]);
    expect((await brierLM(lm, tokens, { positions: [3, 9], maxN: 2 })).positions).toEqual([3, 9]);
  });

  it("a chunk model (K = 4, CALM-style) is asked for one chunk per boundary", async () => {
    const contexts: number[] = [];
    const chunkModel = {
      sample: (c: readonly number[], length: number, r: () => number) => {
        contexts.push(c.length);
        expect(length).toBe(4);
        return lm.sample(c, 4, r); // stands in for: decode one latent vector into K = 4 tokens
      },
    };
    const r = await brierLM(chunkModel, test.slice(0, 41), { positions: { chunkSize: 4 }, seed: 1 });
    expect(r.positions).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36]);
    expect(contexts.every((n) => n % 4 === 0)).toBe(true);
  });

  it("contextLength limits what the model sees", async () => {
    const seen: number[] = [];
    const model = {
      nextTokenProbs: (c: readonly number[]) => {
        seen.push(c.length);
        return [0.2, 0.2, 0.2, 0.2, 0.2];
      },
    };
    await brierLM(model, short, { contextLength: 3 });
    expect(Math.max(...seen)).toBe(3);
  });

  it("maxN = 1 is Brier-1 alone; BrierLM is then 100 * Brier-1", async () => {
    const r = await brierLM(lm, short, { maxN: 1, mode: "exact" });
    expect(r.brierN).toHaveLength(1);
    expect(r.brierLM).toBeCloseTo(100 * r.brierN[0], 12);
  });
});

describe("BrierLM aggregation", () => {
  it("is 100 times the geometric mean of the Brier-n means", () => {
    expect(brierLMFromBrierN([0.5, 0.25, 0.125, 0.0625]).brierLM).toBeCloseTo(100 * 2 ** -2.5, 12);
  });

  it("says explicitly when a Brier-n mean is <= 0 instead of clamping (two negatives would give a positive product)", async () => {
    // Confident and wrong: P(0) = 1 everywhere, reference is all 1s -> Brier-1 = Brier-2 = -1.
    const model = { nextTokenProbs: () => [1, 0] };
    const r = await brierLM(model, [1, 1, 1, 1, 1, 1], { maxN: 2 });
    expect(r.brierN).toEqual([-1, -1]);
    expect(r.brierLM).toBeNaN();
    expect(r.undefinedReason).toBe("Brier-1 mean is -1 <= 0: the geometric mean of Brier-1..2 is undefined");
    expect(r.referenceBrierLM).toBe(100); // what max(product, 0)^(1/2) reports
    expect(brierLMFromBrierN([0.3, 0]).undefinedReason).toMatch(/Brier-2 mean is 0 <= 0/);
    expect(brierLMFromBrierN([0.3, -0.1]).referenceBrierLM).toBe(0);
  });

  it("reports a delta-method standard error for BrierLM", async () => {
    const r = await brierLM(lm, test, { seed: 2 });
    expect(r.brierLMStandardError).toBeGreaterThan(0);
    expect(r.brierLMStandardError).toBeLessThan(r.brierLM);
  });
});

describe("bad input gets a clear error naming the position and what was wrong", () => {
  const tokens = [0, 1, 2, 3, 4, 0, 1, 2];
  const uniform = () => [0.2, 0.2, 0.2, 0.2, 0.2];
  const rejectsWith = async (p: Promise<unknown>, message: string | RegExp) => {
    await expect(p).rejects.toThrow(message);
  };

  it("arguments", async () => {
    await rejectsWith(brierLM(lm, []), "brierLM: tokens is empty, needs at least maxN + 1 = 5 token ids");
    await rejectsWith(brierLM(lm, [1, 2, 3]), "brierLM: tokens has length 3, too short: needs at least maxN + 1 = 5 (one context token and one 4-gram)");
    await rejectsWith(brierLM(lm, tokens, { maxN: 0 }), "brierLM: options.maxN is 0, must be an integer >= 1");
    await rejectsWith(brierLM(lm, tokens, { maxN: 1.5 }), "brierLM: options.maxN is 1.5, must be an integer >= 1");
    await rejectsWith(brierLM(lm, [0, 1, -2, 3, 4]), "brierLM: tokens[2] is -2, must be a non-negative integer token id");
    await rejectsWith(brierLM(lm, tokens, { positions: [1, 6] }), "brierLM: options.positions[1] is 6, must be an integer in [0, 4]");
    await rejectsWith(brierLM(lm, tokens, { positions: [1, 2, 1] }), "brierLM: options.positions[2] is 1, listed twice");
    await rejectsWith(brierLM({} as never, tokens), "brierLM: model has neither sample() nor nextTokenProbs()");
    await rejectsWith(brierLM({ sample: lm.sample }, tokens, { mode: "exact" }), 'options.mode is "exact" but model has no nextTokenProbs()');
    await rejectsWith(brierLM(lm, tokens, { concurrency: 0 }), "options.concurrency is 0, must be an integer >= 1");
    await rejectsWith(brierLM(lm, tokens, { seed: 1, random: Math.random }), "pass options.seed or options.random, not both");
  });

  it("probabilities that are negative, NaN, or do not sum to 1", async () => {
    const bad = (probs: number[]) => ({ nextTokenProbs: (c: readonly number[]) => (c.length === 3 ? probs : uniform()) });
    await rejectsWith(brierLM(bad([0.3, -0.1, 0.4, 0.2, 0.2]), tokens), /^brierLM: position 1 .*model\.nextTokenProbs\(tokens\[0\.\.3\)\)\[1\] is -0\.1, must be a number in \[0, 1\]/);
    await rejectsWith(brierLM(bad([0.2, 0.2, NaN, 0.2, 0.2]), tokens), /position 1 .*\[2\] is NaN, must be a number in \[0, 1\]/);
    await rejectsWith(brierLM(bad([0.2, 0.2, 0.2, 0.2, 0.1]), tokens), /position 1 .*sums to 0\.9\d*, must sum to 1 within options\.tolerance = 0\.000001 \(a float32 softmax/);
    await rejectsWith(brierLM({ nextTokenProbs: () => [0.5, 0.5] }, tokens), /reference token 2 at index 2 is outside model.nextTokenProbs's distribution \(length 2\)/);
  });

  it("a sampler that returns the wrong length or non-integers, or throws", async () => {
    const sampler = (f: (c: readonly number[], n: number) => unknown) => ({ sample: f as never });
    await rejectsWith(brierLM(sampler((_c, n) => new Array(n - 1).fill(0)), tokens), "brierLM: position 1 (predicting tokens[1..5)): model.sample (sample 1) returned 3 tokens, expected 4");
    await rejectsWith(brierLM(sampler(() => [0, 1.5, 0, 0]), tokens), "model.sample (sample 1) returned 1.5 at index 1, expected a non-negative integer token id");
    await rejectsWith(brierLM(sampler(() => "abcd"), tokens), 'model.sample (sample 1) returned "abcd", expected an array of 4 token ids');
    await rejectsWith(
      brierLM(sampler((c) => {
        if (c.length === 3) throw new Error("boom");
        return [0, 0, 0, 0];
      }), tokens),
      "brierLM: position 3 (predicting tokens[3..7)): model.sample threw: boom; 2 of 4 positions scored",
    );
  });

  it("a partial run reports what it scored and can be resumed to the same result", async () => {
    const full = await brierLM({ sample: lm.sample }, test.slice(0, 60), { seed: 6 });
    let failAt: number | undefined = 20;
    const flaky = {
      sample: (c: readonly number[], n: number, r: () => number) => {
        if (c.length === failAt) throw new Error("connection reset");
        return lm.sample(c, n, r);
      },
    };
    let partial: BrierLMResult | undefined;
    try {
      await brierLM(flaky, test.slice(0, 60), { seed: 6 });
    } catch (e) {
      expect(e).toBeInstanceOf(BrierLMError);
      const err = e as BrierLMError;
      expect(err.position).toBe(20);
      expect(err.message).toMatch(/^brierLM: position 20 .*connection reset; 19 of 56 positions scored/);
      expect((err.cause as Error).message).toBe("connection reset");
      partial = err.partial;
    }
    expect(partial!.positions).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    expect(partial!.pending[0]).toBe(20);
    expect(partial!.brierN[0]).toBeCloseTo(full.estimates.slice(0, 19).reduce((s, e) => s + e[0], 0) / 19, 12);
    failAt = undefined;
    const progress: number[] = [];
    const resumed = await brierLM(flaky, test.slice(0, 60), { seed: 6, resume: partial, onProgress: (d) => progress.push(d) });
    expect(resumed).toEqual(full);
    expect(progress[0]).toBe(20);
    await rejectsWith(brierLM(flaky, test.slice(0, 60), { seed: 6, resume: partial, maxN: 3 }), "options.resume was scored with maxN 4");
  });
});
