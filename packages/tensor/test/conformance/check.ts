// SPDX-License-Identifier: MIT

import fc from "fast-check";
import { createCpuBackend, type Backend } from "../../src/index.js";
import { compareOutputs, runCase } from "./compare.js";
import type { Case, Spec } from "./specs.js";

const cpu = createCpuBackend();

/** Fixed fast-check seed: the suite draws the same cases on every run (no flaky tolerance edges). */
export const SEED = 20261129;

/**
 * Runs `spec` on `backend` and on the CPU backend for `numRuns` fast-check cases and throws on the first
 * output that differs beyond the spec's tolerance (fast-check shrinks it to a small case first).
 */
export async function checkSpec(backend: Backend<any>, spec: Spec, numRuns = spec.numRuns): Promise<void> {
  await fc.assert(
    fc.asyncProperty(spec.arb, async (c: Case) => {
      const want = await runCase(cpu, c);
      const got = await runCase(backend, c);
      const problem = compareOutputs(got, want, c.scale);
      if (problem !== null) throw new Error(`${backend.name} ${spec.label}: ${problem}`);
    }),
    { numRuns, seed: SEED },
  );
}
