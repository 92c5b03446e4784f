// SPDX-License-Identifier: MIT
export type {
  BrierLMOptions,
  BrierLMResult,
  BrierMode,
  Conditionals,
  Distribution,
  LanguageModel,
  MaybePromise,
  PositionSpec,
  ProbabilityModel,
  Random,
  SamplingModel,
} from "./api.js";
export { brierLMFromBrierN, summarizeEstimates } from "./aggregate.js";
export type { BrierSummary, GeometricBrierLM } from "./aggregate.js";
export { brierEstimate, brierEstimatesByN } from "./brier-estimate.js";
export { brierLM } from "./brier-lm.js";
export { brierScore, sumOfSquares } from "./brier-score.js";
export { BrierLMError } from "./errors.js";
export { collisionMasses, exactBrierN, hybridBrierN } from "./probability-estimators.js";
export { createRandom, deriveSeed, sampleIndex } from "./random.js";
export { fitKneserNey } from "./kneser-ney.js";
export type { KneserNeyModel, KneserNeyOptions } from "./kneser-ney.js";
export { openAICompatibleModel } from "./openai-compatible.js";
export type { OpenAICompatibleModel, OpenAICompatibleOptions } from "./openai-compatible.js";
