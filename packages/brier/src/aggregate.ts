// SPDX-License-Identifier: MIT

/** BrierLM from Brier-n means, with the undefined case made explicit. See {@link brierLMFromBrierN}. */
export interface GeometricBrierLM {
  /** `100 * (prod brierN)^(1/N)`, or NaN when a mean is <= 0 (or missing). */
  brierLM: number;
  /** Why `brierLM` is NaN; `null` when it is defined. */
  undefinedReason: string | null;
  /** The reference code's value times 100: `100 * max(prod brierN, 0)^(1/N)`. */
  referenceBrierLM: number;
}

/**
 * BrierLM = 100 * (Brier-1 * ... * Brier-N)^(1/N) (CALM paper, section 4.2, Eq. 15, N = 4) from the Brier-n
 * means. A geometric mean needs positive factors: when some mean is <= 0 this returns NaN and says which one,
 * instead of the reference code's `max(product, 0)`, which reports 0 for one negative mean and a positive
 * number for two (that clamped value is still returned as `referenceBrierLM`).
 *
 * @param brierN - the Brier-n means, entry n-1 for Brier-n (length >= 1).
 * @throws RangeError when `brierN` is empty.
 * @example
 * ```ts
 * brierLMFromBrierN([0.5, 0.25, 0.125, 0.0625]).brierLM; // 100 * 2^-2.5 ≈ 17.68
 * brierLMFromBrierN([0.5, -0.1]).undefinedReason; // "Brier-2 mean is -0.1 <= 0: ..."
 * ```
 */
export function brierLMFromBrierN(brierN: readonly number[]): GeometricBrierLM {
  if (brierN.length === 0) throw new RangeError("brierLMFromBrierN: brierN is empty, needs Brier-1..N");
  const N = brierN.length;
  let product = 1;
  let logSum = 0;
  let reason: string | null = null;
  for (let k = 0; k < N; k++) {
    const b = brierN[k];
    product *= b;
    if (reason === null) {
      if (Number.isNaN(b)) reason = `Brier-${k + 1} mean is NaN (no position scored)`;
      else if (b <= 0) reason = `Brier-${k + 1} mean is ${b} <= 0: the geometric mean of Brier-1..${N} is undefined`;
    }
    logSum += Math.log(b);
  }
  const referenceBrierLM = Number.isNaN(product) ? NaN : 100 * Math.max(product, 0) ** (1 / N);
  return { brierLM: reason === null ? 100 * Math.exp(logSum / N) : NaN, undefinedReason: reason, referenceBrierLM };
}

/** Per-n means, standard errors and the delta-method standard error of BrierLM. See {@link summarizeEstimates}. */
export interface BrierSummary extends GeometricBrierLM {
  brierN: number[];
  standardError: number[];
  brierLMStandardError: number;
}

/**
 * Aggregates per-position estimates (`estimates[i][n-1]`) the way the reference does: average each Brier-n over
 * all positions first, then take the geometric mean ({@link brierLMFromBrierN}).
 * `standardError[n-1] = sd / sqrt(count)` with the unbiased sample variance; the BrierLM standard error uses the
 * delta method, Var(G) ≈ G^2 / N^2 * sum_{i,j} Cov(mean_i, mean_j) / (mean_i mean_j). Both treat positions as
 * independent. Needs two positions for a standard error (NaN otherwise).
 *
 * @throws RangeError when `maxN < 1` or an estimate row is shorter than `maxN`.
 * @example
 * ```ts
 * summarizeEstimates([[1, 1], [0, -1]], 2).brierN; // [0.5, 0]
 * ```
 */
export function summarizeEstimates(estimates: readonly (readonly number[])[], maxN: number): BrierSummary {
  if (!Number.isInteger(maxN) || maxN < 1) throw new RangeError(`summarizeEstimates: maxN is ${maxN}, must be an integer >= 1`);
  const count = estimates.length;
  const mean = new Array<number>(maxN).fill(0);
  for (let i = 0; i < count; i++) {
    const row = estimates[i];
    if (row.length < maxN) throw new RangeError(`summarizeEstimates: estimates[${i}] has ${row.length} entries, needs ${maxN}`);
    for (let k = 0; k < maxN; k++) mean[k] += row[k];
  }
  for (let k = 0; k < maxN; k++) mean[k] = count > 0 ? mean[k] / count : NaN;
  const cov: number[][] = Array.from({ length: maxN }, () => new Array<number>(maxN).fill(0));
  for (let i = 0; i < count; i++) {
    const row = estimates[i];
    for (let a = 0; a < maxN; a++) {
      const da = row[a] - mean[a];
      for (let b = a; b < maxN; b++) cov[a][b] += da * (row[b] - mean[b]);
    }
  }
  // Covariance of the means: sample covariance / count.
  const scale = count > 1 ? 1 / ((count - 1) * count) : NaN;
  const standardError = mean.map((_, k) => Math.sqrt(cov[k][k] * scale));
  const g = brierLMFromBrierN(mean);
  let brierLMStandardError = NaN;
  if (g.undefinedReason === null && count > 1) {
    let s = 0;
    for (let a = 0; a < maxN; a++) {
      for (let b = 0; b < maxN; b++) {
        const c = (a <= b ? cov[a][b] : cov[b][a]) * scale;
        s += c / (mean[a] * mean[b]);
      }
    }
    brierLMStandardError = (g.brierLM / maxN) * Math.sqrt(Math.max(s, 0));
  }
  return { ...g, brierN: mean, standardError, brierLMStandardError };
}
