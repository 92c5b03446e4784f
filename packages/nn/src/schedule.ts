// SPDX-License-Identifier: MIT

import type { ScheduleConfig } from "./api.js";
import { nonNegative } from "./validate.js";

/**
 * Learning rate at optimizer step `step` (0-based: the step about to be taken), the HF `transformers`
 * schedules the reference trains with:
 * warmup (step < W): peak·step/max(1, W);
 * constant: peak;
 * cosine: minLr + (peak − minLr)·½(1 + cos(π·min(1, (step − W)/max(1, T − W)))).
 * So step 0 runs at lr 0 when W > 0, as in HF.
 *
 * @throws RangeError for a negative or non-integer step, a negative peak, or cosine without totalSteps ≥ warmupSteps.
 * @example
 * ```ts
 * learningRate({ peakLr: 1e-3, warmupSteps: 100, kind: "constant" }, 50); // 5e-4
 * ```
 */
export function learningRate(config: ScheduleConfig, step: number): number {
  const fn = "learningRate";
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`${fn}: step must be an integer ≥ 0, got ${step}`);
  const peak = nonNegative(config.peakLr, fn, "config.peakLr");
  const w = config.warmupSteps;
  if (!Number.isInteger(w) || w < 0) throw new RangeError(`${fn}: config.warmupSteps must be an integer ≥ 0, got ${w}`);
  if (step < w) return (peak * step) / Math.max(1, w);
  if (config.kind === "constant") return peak;
  if (config.kind !== "cosine") throw new RangeError(`${fn}: config.kind must be "constant" or "cosine", got ${String(config.kind)}`);
  const total = config.totalSteps;
  if (total === undefined || !Number.isInteger(total) || total < w) {
    throw new RangeError(`${fn}: cosine needs config.totalSteps, an integer ≥ warmupSteps ${w}, got ${String(total)}`);
  }
  const minLr = nonNegative(config.minLr ?? 0, fn, "config.minLr");
  const progress = Math.min(1, (step - w) / Math.max(1, total - w));
  return minLr + (peak - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
