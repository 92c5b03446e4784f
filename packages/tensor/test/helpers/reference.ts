// SPDX-License-Identifier: MIT
// Naive float64 reference implementations (index arithmetic written out, no shared code with src/), used as
// oracles for the forward values of the ops.

export interface Nd {
  readonly shape: number[];
  readonly data: number[];
}

export const sizeOf = (s: readonly number[]): number => s.reduce((p, q) => p * q, 1);

export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
  return i;
}

export function refBroadcast(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  return Array.from({ length: r }, (_, i) => Math.max(a[a.length - r + i] ?? 1, b[b.length - r + i] ?? 1));
}

function readBroadcast(x: Nd, outIdx: readonly number[]): number {
  const off = outIdx.length - x.shape.length;
  const idx = x.shape.map((d, i) => (d === 1 ? 0 : outIdx[i + off]));
  return x.data[ravel(idx, x.shape)];
}

export function refBinary(a: Nd, b: Nd, f: (x: number, y: number) => number): Nd {
  const shape = refBroadcast(a.shape, b.shape);
  const data = Array.from({ length: sizeOf(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return f(readBroadcast(a, idx), readBroadcast(b, idx));
  });
  return { shape, data };
}

export function refReduce(x: Nd, axes: readonly number[], f: (vs: number[]) => number, keep: boolean): Nd {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  for (let i = 0; i < x.data.length; i++) {
    const idx = unravel(i, x.shape).map((v, d) => (axes.includes(d) ? 0 : v));
    const key = ravel(idx, kept);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(x.data[i]);
  }
  const data = Array.from({ length: sizeOf(kept) }, (_, k) => f(groups.get(k) ?? []));
  return { shape: keep ? kept : x.shape.filter((_, i) => !axes.includes(i)), data };
}

export function refPermute(x: Nd, perm: readonly number[]): Nd {
  const shape = perm.map((p) => x.shape[p]);
  const data = Array.from({ length: x.data.length }, (_, i) => {
    const o = unravel(i, shape);
    const idx = new Array<number>(perm.length);
    perm.forEach((p, j) => (idx[p] = o[j]));
    return x.data[ravel(idx, x.shape)];
  });
  return { shape, data };
}

export function refSlice(x: Nd, begin: readonly number[], size: readonly number[]): Nd {
  const data = Array.from({ length: sizeOf(size) }, (_, i) => {
    const idx = unravel(i, size).map((v, d) => v + begin[d]);
    return x.data[ravel(idx, x.shape)];
  });
  return { shape: size.slice(), data };
}

export function refMatmul(a: Nd, b: Nd, transA: boolean, transB: boolean): Nd {
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const n = transB ? br : bc;
  const batch = refBroadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const shape = [...batch, m, n];
  const data = Array.from({ length: sizeOf(shape) }, (_, o) => {
    const idx = unravel(o, shape);
    const bi = idx.slice(0, -2);
    const [i, j] = idx.slice(-2);
    let s = 0;
    for (let p = 0; p < k; p++) {
      const av = readBroadcast(a, [...bi, transA ? p : i, transA ? i : p]);
      const bv = readBroadcast(b, [...bi, transB ? j : p, transB ? p : j]);
      s += av * bv;
    }
    return s;
  });
  return { shape, data };
}

export function refRows(x: Nd, f: (row: number[], r: number) => number[]): Nd {
  const cols = x.shape[x.shape.length - 1];
  const out: number[] = [];
  for (let r = 0; r * cols < x.data.length; r++) out.push(...f(x.data.slice(r * cols, (r + 1) * cols), r));
  return { shape: x.shape.slice(), data: out };
}

export const refSoftmaxRow = (row: number[]): number[] => {
  const m = Math.max(...row);
  const e = row.map((v) => Math.exp(v - m));
  const s = e.reduce((p, q) => p + q, 0);
  return e.map((v) => v / s);
};

/** HF Llama rotary embedding: cos/sin from cat(freqs, freqs); q·cos + rotate_half(q)·sin. */
export function refRope(x: Nd, positions: readonly number[], theta: number): Nd {
  const d = x.shape[x.shape.length - 1];
  const seq = x.shape[x.shape.length - 2];
  const h = d / 2;
  const invFreq = Array.from({ length: h }, (_, i) => 1 / Math.pow(theta, (2 * i) / d));
  return refRows(x, (row, r) => {
    const s = r % seq;
    const emb = [...invFreq, ...invFreq].map((f) => positions[s] * f);
    const rot = [...row.slice(h).map((v) => -v), ...row.slice(0, h)];
    return row.map((v, j) => v * Math.cos(emb[j]) + rot[j] * Math.sin(emb[j]));
  });
}

/** Naive causal attention over [..., s, d] with query i attending keys j ≤ offset + i. */
export function refAttention(q: Nd, k: Nd, v: Nd, offset: number): Nd {
  const [sq, d] = q.shape.slice(-2);
  const sk = k.shape[k.shape.length - 2];
  const dv = v.shape[v.shape.length - 1];
  const lead = sizeOf(q.shape.slice(0, -2));
  const out: number[] = [];
  for (let b = 0; b < lead; b++) {
    for (let i = 0; i < sq; i++) {
      const scores: number[] = [];
      for (let j = 0; j <= Math.min(sk - 1, offset + i); j++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += q.data[(b * sq + i) * d + c] * k.data[(b * sk + j) * d + c];
        scores.push(s / Math.sqrt(d));
      }
      const p = refSoftmaxRow(scores);
      for (let c = 0; c < dv; c++) {
        let s = 0;
        p.forEach((w, j) => (s += w * v.data[(b * sk + j) * dv + c]));
        out.push(s);
      }
    }
  }
  return { shape: [...q.shape.slice(0, -1), dv], data: out };
}
