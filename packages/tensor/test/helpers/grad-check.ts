// SPDX-License-Identifier: MIT
// The tests use the exported checker (src/grad-check.ts) under short local names.

export { checkGradients as gradCheck, assertGradients as expectGradOk } from "../../src/index.js";
export type { GradCheckOptions, GradCheckResult } from "../../src/index.js";
