// SPDX-License-Identifier: MIT
//
// Backend conformance: one set of kernel specs (test/conformance/specs.ts) run on every backend that starts
// here, each output compared with the CPU backend's on the same fast-check case. gpu.js `cpu` mode
// accumulates in doubles (the reference the CPU backend's float32 kernels are held to), `webasm` in float32.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createCpuBackend, type Backend } from "../src/index.js";
import { createGpuJsBackend, type GpuJsBackend } from "../src/backends/gpujs/index.js";
import { compareOutputs, runCase } from "./conformance/compare.js";
import { ALL_SPECS, type Case, type Spec } from "./conformance/specs.js";

const cpu = createCpuBackend();
const SEED = 20261129;

export async function checkSpec(backend: Backend<any>, spec: Spec, numRuns = spec.numRuns): Promise<void> {
  await fc.assert(
    fc.asyncProperty(spec.arb, async (c: Case) => {
      const want = await runCase(cpu, c);
      const got = await runCase(backend, c);
      const problem = compareOutputs(got, want, c.scale);
      if (problem !== null) throw new Error(`${backend.name} ${spec.label}: ${problem}`);
    }),
    { numRuns, seed: SEED, endOnFailure: true },
  );
}

const backends: GpuJsBackend[] = [createGpuJsBackend({ mode: "cpu" }), createGpuJsBackend({ mode: "webasm" })];

for (const backend of backends) {
  describe(`conformance: ${backend.name} against the CPU backend`, () => {
    for (const spec of ALL_SPECS) {
      it(spec.label, async () => {
        await checkSpec(backend, spec);
      });
    }
  });
}
