// SPDX-License-Identifier: MIT

import { dispose } from "@calm/tensor";
import type { KVCache } from "./api.js";
import { positiveInt } from "./validate.js";

/**
 * Creates an empty KV cache for incremental decoding with a stack of `numLayers` attention layers. Pass it
 * to {@link transformerForward} (or one layer's entry to {@link attentionForward}) call after call: each
 * call appends its keys/values and the next call's positions start where the cache ends. The cached tensors
 * are exempt from `tidy` scopes; free them with {@link disposeKVCache}.
 *
 * @throws RangeError if numLayers is not a positive integer.
 * @example
 * ```ts
 * const cache = createKVCache(config.numLayers);
 * transformerForward(params, config, prompt, { cache });
 * transformerForward(params, config, nextToken, { cache }); // sees the prompt through the cache
 * ```
 */
export function createKVCache(numLayers: number): KVCache {
  positiveInt(numLayers, "createKVCache", "numLayers");
  return { layers: Array.from({ length: numLayers }, () => ({ k: null, v: null })) };
}

/**
 * Number of positions held by a cache (0 when empty).
 *
 * @example
 * ```ts
 * kvCacheLength(cache); // e.g. 17 after a 16-token prompt and one decoded token
 * ```
 */
export function kvCacheLength(cache: KVCache): number {
  const k = cache.layers[0]?.k;
  return k == null ? 0 : k.shape[k.rank - 2];
}

/**
 * Releases the cached tensors and empties the cache.
 *
 * @example
 * ```ts
 * disposeKVCache(cache);
 * ```
 */
export function disposeKVCache(cache: KVCache): void {
  for (const layer of cache.layers) {
    dispose([layer.k, layer.v]);
    layer.k = null;
    layer.v = null;
  }
}
