// SPDX-License-Identifier: MIT

/**
 * Thrown when an algorithm runs out of its budget of coin flips or sampler draws. Bernoulli factories
 * terminate with probability 1 but can need unbounded time (Mendo's factory at λ = 0, exact temperature
 * sampling as T → 1 on a large sample space), so every loop of this package can be bounded.
 *
 * @example
 * ```ts
 * try {
 *   sampleAtTemperature(sample, { numerator: 9, denominator: 10 }, { seed: 1, maxDraws: 1000 });
 * } catch (e) {
 *   if (e instanceof BudgetExceededError) console.log(e.spent); // 1000
 * }
 * ```
 */
export class BudgetExceededError extends Error {
  /** How many flips or draws were spent when the budget ran out. */
  readonly spent: number;
  /** What the budget counts. */
  readonly unit: "flips" | "draws";

  /**
   * @param message - full message, naming the function and the budget
   * @param spent - flips or draws spent
   * @param unit - what `spent` counts
   */
  constructor(message: string, spent: number, unit: "flips" | "draws") {
    super(message);
    this.name = "BudgetExceededError";
    this.spent = spent;
    this.unit = unit;
  }
}
