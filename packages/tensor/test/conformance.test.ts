// SPDX-License-Identifier: MIT
//
// Backend conformance: one set of kernel specs (test/conformance/specs.ts) run on every backend that starts
// here, each output compared with the CPU backend's on the same fast-check case. gpu.js `cpu` mode
// accumulates in doubles (the reference the CPU backend's float32 kernels are held to), `webasm` in float32.

import { describe, it } from "vitest";
import { createGpuJsBackend, type GpuJsBackend } from "../src/backends/gpujs/index.js";
import { checkSpec } from "./conformance/check.js";
import { ALL_SPECS, EMPTY_SPECS, EXTREME_SPECS, LONG_LOOP_SPECS } from "./conformance/specs.js";

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

for (const backend of backends) {
  describe(`long loops, empty tensors and large magnitudes on ${backend.name}`, () => {
    for (const spec of [...LONG_LOOP_SPECS, ...EMPTY_SPECS, ...EXTREME_SPECS]) {
      it(spec.label, async () => {
        await checkSpec(backend, spec);
      });
    }
  });
}
