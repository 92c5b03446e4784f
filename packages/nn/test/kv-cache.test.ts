// SPDX-License-Identifier: MIT
// Incremental decoding with the KV cache reproduces the full causal forward pass.

import { concat, randn, Rng, slice, type Tensor, tensor } from "@calm/tensor";
import { describe, expect, it } from "vitest";
import { createKVCache, createTransformer, disposeKVCache, kvCacheLength, transformerForward } from "../src/index.js";
import { host, maxAbsDiff } from "./helpers.js";

const config = { vocabSize: 13, hiddenSize: 16, intermediateSize: 24, numHeads: 4, numLayers: 2, initStd: 0.2 };
const params = createTransformer(config, new Rng(21));
const ids = tensor([[3, 1, 4, 1, 5, 9, 2], [6, 5, 3, 5, 8, 9, 7]], [2, 7], "int32");
const T = 7;

const cols = (t: Tensor, start: number, len: number) => slice(t, [0, start], [2, len]);

function decode(input: Tensor, pieces: number[], cacheOn = true): Tensor {
  const cache = createKVCache(config.numLayers);
  const outs: Tensor[] = [];
  let at = 0;
  for (const len of pieces) {
    const part = input.rank === 2 ? cols(input, at, len) : slice(input, [0, at, 0], [2, len, config.hiddenSize]);
    outs.push(transformerForward(params, config, part, cacheOn ? { cache } : {}));
    at += len;
    if (cacheOn) expect(kvCacheLength(cache)).toBe(at);
  }
  disposeKVCache(cache);
  expect(kvCacheLength(cache)).toBe(0);
  return concat(outs, 1);
}

describe("KV cache", () => {
  const full = host(transformerForward(params, config, ids));

  it("token-by-token decoding equals the full forward pass", () => {
    expect(maxAbsDiff(host(decode(ids, [1, 1, 1, 1, 1, 1, 1])), full)).toBeLessThan(1e-5);
  });

  it("a prefill then mixed-size steps equals the full forward pass (embedding input too)", () => {
    expect(maxAbsDiff(host(decode(ids, [3, 1, 2, 1])), full)).toBeLessThan(1e-5);
    const emb = randn([2, T, config.hiddenSize], new Rng(3));
    const fullEmb = host(transformerForward(params, config, emb));
    expect(maxAbsDiff(host(decode(emb, [4, 1, 1, 1])), fullEmb)).toBeLessThan(1e-5);
  });

  it("decoding without the cache (no context, positions from 0) differs: the equivalence is not vacuous", () => {
    expect(maxAbsDiff(host(decode(ids, [1, 1, 1, 1, 1, 1, 1], false)), full)).toBeGreaterThan(1e-2);
  });

  it("refuses a cache of another batch size or layer count", () => {
    const cache = createKVCache(2);
    transformerForward(params, config, cols(ids, 0, 2), { cache });
    expect(() => transformerForward(params, config, tensor([[1]], [1, 1], "int32"), { cache })).toThrow(/cache holds keys \[2,4,2,4\], incompatible with x \[1,1,16\]/);
    expect(() => transformerForward(params, config, ids, { cache: createKVCache(3) })).toThrow(/cache has 3 layers, the stack has 2/);
    expect(() => createKVCache(0)).toThrow(/numLayers must be an integer ≥ 1, got 0/);
  });
});
