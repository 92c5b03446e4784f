// SPDX-License-Identifier: MIT
import type { TrainBpeOptions } from "./api.js";
import { BPE_FIRST_MERGE, BPE_MAX_VOCAB, BpeTokenizer } from "./bpe-tokenizer.js";
import { mergePairInPlace } from "./merge-pair.js";
import { GPT2_PATTERN } from "./pretokenize.js";
import { utf8Bytes } from "./utf8.js";

/**
 * Max-heap of (count, pair key): larger count first, equal counts by smaller key, i.e. by the
 * lexicographically smaller (left id, right id). Entries go stale when a count changes; the caller
 * checks them against the live count on pop (lazy deletion).
 */
class PairHeap {
  private counts: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.counts.length;
  }

  private above(i: number, j: number): boolean {
    const ci = this.counts[i];
    const cj = this.counts[j];
    return ci > cj || (ci === cj && this.keys[i] < this.keys[j]);
  }

  private swap(i: number, j: number): void {
    const c = this.counts[i];
    this.counts[i] = this.counts[j];
    this.counts[j] = c;
    const k = this.keys[i];
    this.keys[i] = this.keys[j];
    this.keys[j] = k;
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    let i = this.counts.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.above(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  /** Removes the top entry and returns [count, key]; the heap must be non-empty. */
  pop(): [number, number] {
    const top: [number, number] = [this.counts[0], this.keys[0]];
    const lastC = this.counts.pop() as number;
    const lastK = this.keys.pop() as number;
    const n = this.counts.length;
    if (n > 0) {
      this.counts[0] = lastC;
      this.keys[0] = lastK;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < n && this.above(l, m)) m = l;
        if (r < n && this.above(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

/**
 * Trains a byte-level BPE (Sennrich et al. 2016, byte-level as GPT-2) on `texts`.
 *
 * Algorithm: split every text with the GPT-2 pattern, count each distinct pre-token ("word"), start each
 * word as its UTF-8 bytes; then repeat `vocabSize - 259` times: take the adjacent pair (a, b) with the
 * largest count — a pair's count is the sum over words of word frequency × adjacent occurrences of (a, b),
 * overlaps included — **ties broken by the smallest a, then the smallest b** — give it the next id, and
 * replace its occurrences left to right in every word that holds it. Counts are updated incrementally
 * (only words holding the pair are touched) and the best pair is kept in a lazy max-heap. The result
 * depends only on the multiset of pre-tokens, so it is identical on every machine and for any text order.
 * Training stops early (smaller vocabulary) when no adjacent pair is left.
 *
 * @param texts - training documents (use the training split only, so validation stays unseen).
 * @param options - `vocabSize`: total ids including 256 bytes and BOS/EOS/PAD (256, 257, 258), an integer
 *   in [259, 65536]; the working range is 1k–8k.
 * @returns the trained {@link BpeTokenizer}.
 * @throws RangeError for a `vocabSize` that is not an integer in [259, 65536].
 * @example
 * const tok = trainBpe(splitDocuments(loadSotu()).train.map((d) => d.text), { vocabSize: 4096 });
 * tok.vocabSize; // 4096
 */
export function trainBpe(texts: Iterable<string>, options: TrainBpeOptions): BpeTokenizer {
  const vocabSize = options.vocabSize;
  if (!Number.isInteger(vocabSize) || vocabSize < BPE_FIRST_MERGE || vocabSize > BPE_MAX_VOCAB) {
    throw new RangeError(
      `trainBpe: options.vocabSize is ${vocabSize}, must be an integer in [${BPE_FIRST_MERGE}, ${BPE_MAX_VOCAB}] (256 bytes + BOS/EOS/PAD + merges)`,
    );
  }
  const wordFreq = new Map<string, number>();
  for (const text of texts) {
    if (typeof text !== "string") throw new TypeError(`trainBpe: texts contains ${typeof text}, expected strings`);
    const re = new RegExp(GPT2_PATTERN);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) wordFreq.set(m[0], (wordFreq.get(m[0]) ?? 0) + 1);
  }

  const words: number[][] = [];
  const freqs: number[] = [];
  for (const [w, f] of wordFreq) {
    const b = utf8Bytes(w);
    if (b.length < 2) continue; // a single byte has no pair
    words.push(Array.from(b));
    freqs.push(f);
  }

  const M = BPE_MAX_VOCAB;
  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, number[]>();
  for (let w = 0; w < words.length; w++) {
    const s = words[w];
    const f = freqs[w];
    for (let i = 0; i + 1 < s.length; i++) {
      const key = s[i] * M + s[i + 1];
      const c = pairCount.get(key);
      if (c === undefined) {
        pairCount.set(key, f);
        pairWords.set(key, [w]);
      } else {
        pairCount.set(key, c + f);
        const list = pairWords.get(key) as number[];
        if (list[list.length - 1] !== w) list.push(w);
      }
    }
  }
  const heap = new PairHeap();
  for (const [key, c] of pairCount) heap.push(c, key);

  const target = vocabSize - BPE_FIRST_MERGE;
  const merges: number[] = [];
  const delta = new Map<number, number>();
  const touched = new Set<number>();
  while (merges.length / 2 < target && heap.size > 0) {
    const [count, key] = heap.pop();
    if (pairCount.get(key) !== count) continue; // stale heap entry
    const a = Math.floor(key / M);
    const b = key % M;
    const id = BPE_FIRST_MERGE + merges.length / 2;
    merges.push(a, b);
    delta.clear();
    touched.clear();
    // Word lists may hold words that lost the pair since (lazy removal); they are skipped below.
    for (const w of pairWords.get(key) as number[]) {
      if (touched.has(w)) continue;
      touched.add(w);
      const s = words[w];
      let has = false;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === a && s[i + 1] === b) {
          has = true;
          break;
        }
      }
      if (!has) continue;
      const f = freqs[w];
      for (let i = 0; i + 1 < s.length; i++) {
        const k = s[i] * M + s[i + 1];
        delta.set(k, (delta.get(k) ?? 0) - f);
      }
      mergePairInPlace(s, a, b, id);
      for (let i = 0; i + 1 < s.length; i++) {
        const k = s[i] * M + s[i + 1];
        delta.set(k, (delta.get(k) ?? 0) + f);
        if (s[i] === id || s[i + 1] === id) {
          let list = pairWords.get(k);
          if (list === undefined) pairWords.set(k, (list = []));
          if (list[list.length - 1] !== w) list.push(w);
        }
      }
    }
    for (const [k, d] of delta) {
      if (d === 0) continue;
      const c = (pairCount.get(k) ?? 0) + d;
      if (c <= 0) {
        pairCount.delete(k);
        pairWords.delete(k);
      } else {
        pairCount.set(k, c);
        heap.push(c, k);
      }
    }
  }
  return new BpeTokenizer(Int32Array.from(merges));
}
