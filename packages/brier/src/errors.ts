// SPDX-License-Identifier: MIT
import type { BrierLMResult } from "./api.js";

/**
 * Thrown by {@link brierLM} when scoring a position fails (the model threw, a server failed, a sample had the
 * wrong length, a distribution was invalid). The message names the position; `partial` holds every position
 * scored before the run stopped (with the positions left in `partial.pending`), so the run can be resumed with
 * `brierLM(model, tokens, { ...options, resume: error.partial })` or its partial figures reported.
 *
 * @example
 * ```ts
 * try { await brierLM(model, tokens); } catch (e) { if (e instanceof BrierLMError) console.log(e.position, e.partial.positions.length); }
 * ```
 */
export class BrierLMError extends Error {
  /** Start position (index into `tokens`) whose scoring failed. */
  readonly position: number;
  /** What was scored before the failure; `pending` lists the positions still to score. */
  readonly partial: BrierLMResult;

  constructor(message: string, position: number, partial: BrierLMResult, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "BrierLMError";
    this.position = position;
    this.partial = partial;
  }
}
