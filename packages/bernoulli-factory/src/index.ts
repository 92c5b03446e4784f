// SPDX-License-Identifier: MIT
export type {
  BatchMethod,
  BatchTemperatureOptions,
  Coin,
  ExactTemperatureOptions,
  FactoryOptions,
  RandomLike,
  RandomSource,
  Rational,
  TemperatureAttempt,
  TemperatureOptions,
  UniformRandom,
} from "./api.js";
export { batchTemperatureLaw } from "./batch-law.js";
export { sampleDiscrete } from "./discrete.js";
export { average, bernoulliConstant, complement, either, halfOneMinus, halfOnePlus, mix, product } from "./elementary.js";
export { drawKey, drawsEqual } from "./equality.js";
export { BudgetExceededError } from "./errors.js";
export { expMinus, expMinusConstant } from "./exponential.js";
export type { CountSampler } from "./generating-function.js";
export { bernoulliCount, convexCombination, finiteCount, generatingFunction, geometricCount } from "./generating-function.js";
export { power, powerByCoin } from "./power.js";
export { createRandom, randomSource } from "./random.js";
export { lambdaOverOnePlus, logistic, oneOverOnePlus, oneOverTwoMinus, twoCoin } from "./rational-maps.js";
export { attemptAtTemperature, sampleAtTemperature } from "./temperature.js";
export { sampleAtTemperatureBatch } from "./temperature-batch.js";
export { expectedSamplerCalls, temperedDistribution } from "./temperature-law.js";
