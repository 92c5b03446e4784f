// SPDX-License-Identifier: MIT
//
// Public ops end to end on the gpu.js backends (selected with setBackend): a small Transformer-shaped loss
// (embedding → LayerNorm → RoPE + causal attention → MLP with GELU → cross-entropy, plus the energy loss's
// pairwise distances) and its gradients must agree with the CPU backend's.

import { afterEach, describe, expect, it } from "vitest";
import { embedding, setBackend, tensor, zeros } from "../src/index.js";
import { registerGpuJsBackends } from "../src/backends/gpujs/index.js";
import { compareWithCpu } from "./conformance/model.js";

registerGpuJsBackends();
afterEach(() => setBackend("cpu"));

describe("public ops on the gpu.js backends agree with the CPU backend", () => {
  for (const backend of ["gpujs-cpu", "gpujs-webasm"]) {
    it(`${backend}: loss, gradients of every parameter, softmax`, async () => {
      expect(await compareWithCpu(backend)).toBeNull();
    });
  }

  it("validation still names the op on a gpu.js backend (ids out of range)", () => {
    setBackend("gpujs-cpu");
    const table = zeros([3, 2]);
    expect(() => embedding(table, tensor([0, 5], [2], "int32"))).toThrow(/^gather: ids\[1\] = 5 is out of range \[0, 3\)/);
  });
});
