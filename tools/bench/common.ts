// SPDX-License-Identifier: MIT
// Timing, reference and table helpers shared by the benchmarks.
import { cpus } from "node:os";

/** Deterministic operand in [-1, 1) (a 32-bit LCG; the values only need to be non-degenerate). */
export function operand(len: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = (s / 2 ** 32) * 2 - 1;
  }
  return x;
}

/** float64 reference of op(A)·op(B) (i-p-j order over a float64 row accumulator). */
export function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number, tA: boolean, tB: boolean): Float64Array {
  const c = new Float64Array(m * n);
  const bt = new Float64Array(k * n); // op(B) as [k, n]
  for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) bt[p * n + j] = tB ? b[j * k + p] : b[p * n + j];
  for (let i = 0; i < m; i++) {
    const row = i * n;
    for (let p = 0; p < k; p++) {
      const av = tA ? a[p * m + i] : a[i * k + p];
      const br = p * n;
      for (let j = 0; j < n; j++) c[row + j] += av * bt[br + j];
    }
  }
  return c;
}

/** Largest |got − ref| / (1 + |ref|). */
export function maxRelErr(got: ArrayLike<number>, ref: Float64Array): number {
  let e = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = Math.abs(got[i] - ref[i]) / (1 + Math.abs(ref[i]));
    if (!(d <= e)) e = d; // NaN propagates as a failure
  }
  return e;
}

/**
 * Times several calls in interleaved rounds (round-robin, `rounds` times), so that load from other processes
 * on a shared machine spreads over all of them instead of biasing whichever ran during a busy spell.
 * Each call gets about budgetMs/rounds of timed runs per round (at least `minRuns` per round), after warm-up.
 * Returns the median wall time of each call over all its samples.
 */
export async function timeInterleaved(
  fns: readonly (() => unknown)[],
  opts: { budgetMs: number; rounds: number; minRuns: readonly number[]; warmupMs: number },
): Promise<Timing[]> {
  const samples = fns.map(() => [] as number[]);
  for (const fn of fns) {
    const w0 = performance.now();
    do await fn();
    while (performance.now() - w0 < opts.warmupMs);
  }
  for (let r = 0; r < opts.rounds; r++) {
    for (let i = 0; i < fns.length; i++) {
      const t0 = performance.now();
      let n = 0;
      while (n < opts.minRuns[i] || performance.now() - t0 < opts.budgetMs / opts.rounds) {
        const s = performance.now();
        await fns[i]();
        samples[i].push(performance.now() - s);
        if (++n >= 1000) break;
      }
    }
  }
  return samples.map((t) => {
    t.sort((x, y) => x - y);
    return { medianMs: t[t.length >> 1], runs: t.length };
  });
}

export interface Timing {
  medianMs: number;
  runs: number;
}

/** One line describing where the numbers come from. */
export function machineLine(): string {
  const c = cpus();
  return `${c[0]?.model ?? "unknown CPU"}, ${c.length} logical CPUs, Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Markdown table from a header and rows. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export function fmt(x: number | undefined, digits = 1): string {
  return x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
}

/** Value of `--name=value` on the command line. */
export function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}
