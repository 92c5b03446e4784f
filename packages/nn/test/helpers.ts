// SPDX-License-Identifier: MIT
// Float64 host oracles (plain loops, written from the formulas of CALM reference 3.1/9.4) and small utilities.

import type { Tensor } from "@calm/tensor";

export type Mat = number[][];

export const host = (t: Tensor): number[] => Array.from(t.dataSync());
/** The tensor as rows of its last axis (a matrix [r, c] as r rows; [b, s, h] as b·s rows). */
export const mat = (t: Tensor): Mat => {
  const c = t.shape[t.rank - 1];
  const v = host(t);
  return Array.from({ length: v.length / c }, (_, i) => v.slice(i * c, (i + 1) * c));
};

/** y = W·x for W [out, in]. */
export function matVec(w: Mat, x: readonly number[]): number[] {
  return w.map((row) => row.reduce((s, wi, i) => s + wi * x[i], 0));
}

export function rmsNormRef(x: readonly number[], w: readonly number[], eps = 1e-6): number[] {
  const ms = x.reduce((s, v) => s + v * v, 0) / x.length;
  const r = 1 / Math.sqrt(ms + eps);
  return x.map((v, i) => v * r * w[i]);
}

export function layerNormRef(x: readonly number[], w: readonly number[], b: readonly number[], eps = 1e-6): number[] {
  const mu = x.reduce((s, v) => s + v, 0) / x.length;
  const vr = x.reduce((s, v) => s + (v - mu) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mu) / Math.sqrt(vr + eps)) * w[i] + b[i]);
}

const silu = (v: number) => v / (1 + Math.exp(-v));

export function mlpRef(p: { gate: Mat; up: Mat; down: Mat }, x: readonly number[]): number[] {
  const g = matVec(p.gate, x);
  const u = matVec(p.up, x);
  return matVec(p.down, g.map((gi, i) => silu(gi) * u[i]));
}

/** Rotary embedding of one head vector at position pos: "rotate-half" (HF Llama) or, as a mutant, interleaved pairs (GPT-J). */
export function ropeRef(v: readonly number[], pos: number, theta: number, style: "half" | "interleaved" = "half"): number[] {
  const d = v.length;
  const half = d / 2;
  const out = v.slice();
  for (let i = 0; i < half; i++) {
    const a = pos * theta ** ((-2 * i) / d);
    const [c, s] = [Math.cos(a), Math.sin(a)];
    const [j, k] = style === "half" ? [i, i + half] : [2 * i, 2 * i + 1];
    out[j] = v[j] * c - v[k] * s;
    out[k] = v[k] * c + v[j] * s;
  }
  return out;
}

export interface AttnRef {
  q: Mat;
  k: Mat;
  v: Mat;
  o: Mat;
}

/** Causal multi-head self-attention of one sequence xs [seq][H] at positions 0..seq−1. */
export function attentionRef(p: AttnRef, xs: readonly (readonly number[])[], numHeads: number, theta = 10000, style: "half" | "interleaved" = "half"): number[][] {
  const h = xs[0].length;
  const hd = h / numHeads;
  const qs = xs.map((x) => matVec(p.q, x));
  const ks = xs.map((x) => matVec(p.k, x));
  const vs = xs.map((x) => matVec(p.v, x));
  const merged = xs.map(() => new Array<number>(h).fill(0));
  for (let head = 0; head < numHeads; head++) {
    const part = (m: number[][], s: number) => m[s].slice(head * hd, (head + 1) * hd);
    const qh = qs.map((_, s) => ropeRef(part(qs, s), s, theta, style));
    const kh = ks.map((_, s) => ropeRef(part(ks, s), s, theta, style));
    for (let s = 0; s < xs.length; s++) {
      const scores = kh.slice(0, s + 1).map((kv) => kv.reduce((a, kj, j) => a + kj * qh[s][j], 0) / Math.sqrt(hd));
      const mx = Math.max(...scores);
      const e = scores.map((z) => Math.exp(z - mx));
      const z = e.reduce((a, b) => a + b, 0);
      for (let t = 0; t <= s; t++) {
        const vh = part(vs, t);
        for (let j = 0; j < hd; j++) merged[s][head * hd + j] += (e[t] / z) * vh[j];
      }
    }
  }
  return merged.map((m) => matVec(p.o, m));
}

/** Max |a − b| over two arrays of equal length. */
export function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
