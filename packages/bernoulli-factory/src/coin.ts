// SPDX-License-Identifier: MIT
import type { Coin, FactoryOptions } from "./api.js";
import { BudgetExceededError } from "./errors.js";
import { describe } from "./rational.js";

/**
 * Wraps a user coin so that every flip is checked (a coin must return a boolean: a number such as 0.3
 * is a probability, not a flip) and counted against an optional budget (internal).
 */
export function guardCoin(
  coin: Coin,
  fn: string,
  arg: string,
  options?: FactoryOptions,
  counter: { flips: number } = { flips: 0 },
): Coin {
  if (typeof coin !== "function") {
    throw new TypeError(`${fn}: ${arg} is ${describe(coin)}, must be a function () => boolean`);
  }
  const max = options?.maxFlips ?? Infinity;
  if (!(max >= 0) || (Number.isFinite(max) && !Number.isInteger(max))) {
    throw new RangeError(`${fn}: options.maxFlips is ${describe(max)}, must be a non-negative integer or Infinity`);
  }
  return () => {
    if (counter.flips >= max) {
      throw new BudgetExceededError(
        `${fn}: budget of ${max} coin flips (options.maxFlips) exhausted`,
        counter.flips,
        "flips",
      );
    }
    counter.flips += 1;
    const r = coin();
    if (typeof r !== "boolean") {
      throw new TypeError(`${fn}: ${arg}() returned ${describe(r)}, must be a boolean (a coin flip, not a probability)`);
    }
    return r;
  };
}
