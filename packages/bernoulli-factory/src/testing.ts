// SPDX-License-Identifier: MIT
// Entry point `@calm/bernoulli-factory/testing`: tools to certify factories exactly (no statistics).
export type { Chance, LazyCategorical, LazyDraw, TreeOptions, TreeOutcome, TreeResult } from "./probability-tree.js";
export { evaluateTree } from "./probability-tree.js";
