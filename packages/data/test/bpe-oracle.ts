// SPDX-License-Identifier: MIT
// Deliberately naive BPE (recount every pair from scratch at every merge; apply merges in rank order)
// used as the oracle for the incremental trainer and the rank-greedy encoder. Slow: small inputs only.
import { pretokenize } from "../src/index.js";

export type TieRule = "smallest" | "largest";

export function naiveTrain(texts: string[], vocabSize: number, tie: TieRule = "smallest"): Array<[number, number]> {
  const freq = new Map<string, number>();
  for (const t of texts) for (const w of pretokenize(t)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const words = [...freq.keys()].map((w) => Array.from(new TextEncoder().encode(w)));
  const freqs = [...freq.values()];
  const merges: Array<[number, number]> = [];
  while (259 + merges.length < vocabSize) {
    const counts = new Map<string, number>();
    words.forEach((s, w) => {
      for (let i = 0; i + 1 < s.length; i++) {
        const k = `${s[i]},${s[i + 1]}`;
        counts.set(k, (counts.get(k) ?? 0) + freqs[w]);
      }
    });
    if (counts.size === 0) break;
    let best: [number, number] | undefined;
    let bestCount = -1;
    for (const [k, c] of counts) {
      const [a, b] = k.split(",").map(Number) as [number, number];
      const better =
        best === undefined ||
        c > bestCount ||
        (c === bestCount && (tie === "smallest" ? a < best[0] || (a === best[0] && b < best[1]) : a > best[0] || (a === best[0] && b > best[1])));
      if (better) {
        best = [a, b];
        bestCount = c;
      }
    }
    const [a, b] = best as [number, number];
    const id = 259 + merges.length;
    merges.push([a, b]);
    for (const s of words) applyMerge(s, a, b, id);
  }
  return merges;
}

function applyMerge(s: number[], a: number, b: number, id: number): void {
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    if (i + 1 < s.length && s[i] === a && s[i + 1] === b) {
      s[o++] = id;
      i++;
    } else s[o++] = s[i];
  }
  s.length = o;
}

/** Encodes by applying every merge in rank order to every pre-token. */
export function naiveEncode(text: string, merges: ReadonlyArray<readonly [number, number]>): number[] {
  const out: number[] = [];
  for (const w of pretokenize(text)) {
    const s = Array.from(new TextEncoder().encode(w));
    merges.forEach(([a, b], r) => applyMerge(s, a, b, 259 + r));
    out.push(...s);
  }
  return out;
}
