// SPDX-License-Identifier: MIT
// Backend registry and selection; kernel overrides; and mutation checks showing the suites can fail.

import { afterEach, describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { CPU_KERNELS, Rng, type Backend, type KernelTable, type TypedArray } from "../src/index.js";
import { randTensor } from "./helpers/arbitraries.js";
import { gradCheck } from "./helpers/grad-check.js";
import { refBinary } from "./helpers/reference.js";

afterEach(() => {
  T.setBackend("cpu");
  if (T.listBackends().includes("counting")) T.removeBackend("counting");
  T.unregisterKernel("cpu", "Unary");
  T.unregisterKernel("cpu", "Binary");
});

function countingBackend(calls: string[]): Backend<TypedArray> {
  const kernels = Object.fromEntries(
    Object.entries(CPU_KERNELS).map(([name, run]) => [name, (inputs: never, attrs: never) => (calls.push(name), (run as (i: never, a: never) => TypedArray)(inputs, attrs))]),
  ) as unknown as KernelTable<TypedArray>;
  return { name: "counting", kernels, upload: (v) => v, readSync: (d) => d, read: async (d) => d, disposeData: () => {} };
}

describe("registry", () => {
  it("the CPU backend is the default", () => {
    expect(T.getBackendName()).toBe("cpu");
    expect(T.getBackend().name).toBe("cpu");
    expect(T.listBackends()[0]).toBe("cpu");
  });
  it("ops dispatch by kernel name to the selected backend", () => {
    const calls: string[] = [];
    T.registerBackend("counting", () => countingBackend(calls));
    expect(() => T.registerBackend("counting", () => countingBackend(calls))).toThrow('registerBackend: a backend named "counting" is already registered');
    T.setBackend("counting");
    const y = T.softmax(T.matmul(T.ones([2, 3]), T.ones([3, 2])));
    expect(calls).toEqual(["MatMul", "Softmax"]);
    expect(y.toArray()).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    expect(T.findBackend("cpu").name).toBe("cpu");
  });
  it("refuses to mix tensors from two backends", () => {
    const onCpu = T.ones([2]);
    T.registerBackend("counting", () => countingBackend([]));
    T.setBackend("counting");
    expect(() => T.add(onCpu, T.ones([2]))).toThrow('add: tensor a lives on backend "cpu", but the current backend is "counting"');
  });
  it("removing the current backend falls back to cpu", () => {
    T.registerBackend("counting", () => countingBackend([]));
    T.setBackend("counting");
    T.removeBackend("counting");
    expect(T.getBackendName()).toBe("cpu");
    expect(() => T.removeBackend("cpu")).toThrow('removeBackend: the built-in "cpu" backend cannot be removed');
  });
});

describe("the suites catch plausible wrong implementations", () => {
  it("the gradient checker fails when a forward kernel disagrees with its gradient rule", () => {
    const rng = new Rng(1);
    const x = randTensor([3, 2], rng);
    expect(gradCheck(T.silu, [x]).ok).toBe(true);
    // Mutant: silu computed as x·σ(1.1x) while the rule still differentiates x·σ(x).
    T.registerKernel("cpu", "Unary", (inputs, attrs) => {
      if (attrs.op !== "silu") return CPU_KERNELS.Unary(inputs, attrs);
      const v = inputs.x.data as Float32Array;
      return v.map((t) => t / (1 + Math.exp(-1.1 * t)));
    });
    expect(gradCheck(T.silu, [x]).ok).toBe(false);
  });
  it("the forward reference fails for a broadcasting kernel that ignores b's strides", () => {
    const a = T.tensor([[1, 2], [3, 4]]);
    const b = T.tensor([10, 20]);
    const ref = refBinary({ shape: [2, 2], data: [1, 2, 3, 4] }, { shape: [2], data: [10, 20] }, (x, y) => x + y);
    expect(Array.from(T.add(a, b).dataSync())).toEqual(ref.data);
    T.registerKernel("cpu", "Binary", (inputs, attrs) => {
      const x = inputs.a.data as Float32Array;
      const y = inputs.b.data as Float32Array;
      return x.map((v, i) => v + (y[i] ?? 0)); // mutant: contiguous b
    });
    expect(Array.from(T.add(a, b).dataSync())).not.toEqual(ref.data);
  });
  it("the zero-distance gradient test would catch the naive norm gradient (it gives NaN at distance 0)", () => {
    const c = T.tensor([[0.1, 0.7, 1.3]]);
    const naive = T.grad((x: T.Tensor) => T.sum(T.sqrt(T.sum(T.square(T.sub(x, c)), -1))))(c)[0] as T.Tensor;
    expect(Number.isNaN(naive.dataSync()[0])).toBe(true);
    const ours = T.grad((x: T.Tensor) => T.sum(T.pairwiseDistance(x, c)))(c)[0] as T.Tensor;
    expect(Array.from(ours.dataSync())).toEqual([0, 0, 0]);
  });
});
