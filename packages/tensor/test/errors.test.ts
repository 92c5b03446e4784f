// SPDX-License-Identifier: MIT
// Every class of bad input gets an error naming the op, the argument and what it got.

import { afterEach, describe, expect, it, vi } from "vitest";
import * as T from "../src/index.js";
import type { Tensor } from "../src/index.js";

afterEach(() => T.setNumericsCheck(false));

describe("shape mismatches", () => {
  it("name the op and both shapes", () => {
    expect(() => T.add(T.zeros([2, 3]), T.zeros([4]))).toThrow("add: shapes cannot be broadcast (a: [2,3], b: [4])");
    expect(() => T.matmul(T.zeros([2, 3]), T.zeros([4, 5]))).toThrow("matmul: inner dimensions differ (a: [2,3], b: [4,5])");
    expect(() => T.matmul(T.zeros([2, 2, 3]), T.zeros([3, 3, 5]))).toThrow("matmul: batch dimensions cannot be broadcast (a: [2,2,3], b: [3,3,5])");
    expect(() => T.matmul(T.zeros([3]), T.zeros([3, 1]))).toThrow("matmul: a and b need rank ≥ 2 (a: [3], b: [3,1])");
    expect(() => T.rmsNorm(T.zeros([2, 4]), T.ones([3]))).toThrow("rmsNorm: weight must have shape [4] to match the last axis of x [2,4], got [3]");
    expect(() => T.layerNorm(T.zeros([2, 4]), T.ones([4]), T.zeros([5]))).toThrow("layerNorm: bias must have shape [4]");
    expect(() => T.reshape(T.zeros([2, 3]), [4, 2])).toThrow("reshape: shape [4,2] has 8 elements, x [2,3] has 6");
    expect(() => T.concat([T.zeros([2, 3]), T.zeros([3, 3])], 1)).toThrow("concat: xs[1] [3,3] does not match xs[0] [2,3] off axis 1");
    expect(() => T.crossEntropy(T.zeros([2, 5]), T.zeros([3], "int32"))).toThrow("crossEntropy: logits [2,5] must be targets' shape [3] plus a vocabulary axis");
    expect(() => T.causalAttention(T.zeros([1, 2, 4]), T.zeros([1, 2, 5]), T.zeros([1, 2, 5]))).toThrow("causalAttention: expected q [..., seqQ, d]");
    expect(() => T.rope(T.zeros([1, 3, 4]), T.zeros([2], "int32"))).toThrow("rope: positions must be [3] (the seq axis of x [1,3,4]), got [2]");
    expect(() => T.rope(T.zeros([1, 3, 5]), T.zeros([3], "int32"))).toThrow("rope: headDim must be even, got 5");
    expect(() => T.pairwiseDistance(T.zeros([2, 3, 4]), T.zeros([2, 3, 5]))).toThrow("pairwiseDistance: expected a [B,N,D] and b [B,M,D]");
    expect(() => T.slice(T.zeros([2, 3]), [1, 2], [1, 2])).toThrow("slice: box begin [1,2] size [1,2] leaves x [2,3] on axis 1");
    expect(() => T.sum(T.zeros([2, 3]), 2)).toThrow("sum: axis 2 is out of range for a tensor of rank 2");
    expect(() => T.softmax(T.zeros([2, 3]), 0)).toThrow("softmax: only the last axis is supported");
    expect(() => T.tensor([[1, 2], [3]])).toThrow("tensor: ragged nested array: values[1] has length 1, expected length 2");
    expect(() => T.tensor([1, 2, 3], [2, 2])).toThrow("tensor: shape [2,2] needs 4 values, got 3");
  });
});

describe("ids: dtype, integrality, range", () => {
  it("rejects float ids and non-integer int32 values", () => {
    expect(() => T.gather(T.zeros([5, 2]), T.tensor([1, 2]))).toThrow("gather: ids must be int32, got float32");
    expect(() => T.crossEntropy(T.zeros([1, 5]), T.zeros([1]))).toThrow("crossEntropy: targets must be int32, got float32");
    expect(() => T.tensor([0, 1.5], [2], "int32")).toThrow("tensor: values[1] = 1.5 is not a 32-bit integer (dtype int32)");
    expect(() => T.tensor([[0], [NaN]], undefined, "int32")).toThrow("tensor: values[1][0] = NaN is not a 32-bit integer (dtype int32)");
    expect(() => T.full([2], 2.5, "int32")).toThrow("full: value = 2.5 is not a 32-bit integer (dtype int32)");
    expect(() => T.scalar(2 ** 31, "int32")).toThrow("scalar: value = 2147483648 is not a 32-bit integer (dtype int32)");
    expect(T.full([2], 7, "int32").toArray()).toEqual([7, 7]);
  });
  it("names the first out-of-range id", () => {
    expect(() => T.gather(T.zeros([5, 2]), T.tensor([0, 1, 2, 7], [4], "int32"))).toThrow("gather: ids[3] = 7 is out of range [0, 5)");
    expect(() => T.embedding(T.zeros([5, 2]), T.tensor([-1], [1], "int32"))).toThrow("gather: ids[0] = -1 is out of range [0, 5)");
    expect(() => T.crossEntropy(T.zeros([2, 3]), T.tensor([0, 5], [2], "int32"))).toThrow("crossEntropy: targets[1] = 5 is out of range [0, 3)");
    expect(() => T.scatterAdd(T.zeros([2, 2]), T.tensor([0, 3], [2], "int32"), 3)).toThrow("scatterAdd: ids[1] = 3 is out of range [0, 3)");
  });
  it("rejects int32 where float32 is needed", () => {
    expect(() => T.exp(T.zeros([2], "int32"))).toThrow("exp: x must be float32, got int32");
    expect(() => T.add(T.zeros([2]), T.zeros([2], "int32"))).toThrow("add: b must be float32, got int32");
  });
});

describe("NaN/Infinity check (opt-in)", () => {
  it("is off by default", () => {
    expect(T.getNumericsCheck()).toBe(false);
    expect(Number.isNaN(T.log(T.tensor([-1])).item())).toBe(true);
  });
  it("names the op that first produced a non-finite value", () => {
    T.setNumericsCheck(true);
    expect(() => T.log(T.tensor([1, -1]))).toThrow(new RangeError("log: produced NaN at flat index 1 of its output (shape [2])"));
    expect(() => T.div(T.tensor([1]), T.tensor([0]))).toThrow("div: produced Infinity at flat index 0");
    expect(() => T.log(T.tensor([0]))).toThrow("log: produced -Infinity");
  });
  it("names the composite op or gradient rule it ran inside", () => {
    T.setNumericsCheck(true);
    const nanLogits = T.tidy(() => {
      T.setNumericsCheck(false);
      const z = T.log(T.tensor([[-1, 1]]));
      T.setNumericsCheck(true);
      return z;
    });
    expect(() => T.crossEntropy(nanLogits, T.tensor([0], [1], "int32"))).toThrow("logSoftmax: produced NaN at flat index 0 of its output (shape [1,2]) (inside crossEntropy)");
    // d/dx √x at 0 is 1/(2·0) = Infinity: raised by the division inside sqrt's gradient rule
    expect(() => T.grad((x: Tensor) => T.sum(T.sqrt(x)))(T.tensor([0]))).toThrow("div: produced Infinity at flat index 0 of its output (shape [1]) (inside gradient of sqrt)");
  });
});

describe("numerics check on an asynchronous backend", () => {
  it("skips its outputs (they cannot be read synchronously) and says so once per backend", () => {
    const cpu = T.createCpuBackend();
    const readSync = (): never => {
      throw new Error("readSync on an output that is still being computed");
    };
    T.registerBackend("async-like", () => ({ ...cpu, name: "async-like", asynchronous: true, readSync }));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      T.setBackend("async-like");
      T.setNumericsCheck(true);
      const x = T.tensor([1, -1]);
      expect(() => T.log(x)).not.toThrow();
      expect(() => T.exp(x)).not.toThrow();
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/^setNumericsCheck: backend "async-like" is asynchronous .* does not scan its outputs/);
    } finally {
      warn.mockRestore();
      T.setNumericsCheck(false);
      T.setBackend("cpu");
      T.removeBackend("async-like");
    }
  });
});

describe("use after dispose", () => {
  it("names the op and the argument", () => {
    const x = T.zeros([2]);
    x.dispose();
    expect(() => T.add(x, 1)).toThrow("add: tensor a was disposed (shape [2], float32)");
    expect(() => T.matmul(T.zeros([1, 2]), T.reshape(x, [2, 1]))).toThrow("reshape: tensor x was disposed");
    expect(() => x.dataSync()).toThrow("dataSync: tensor was disposed");
    expect(() => x.toArray()).toThrow("toArray: tensor was disposed");
    expect(() => T.concat([T.zeros([2]), x])).toThrow("concat: tensor xs[1] was disposed");
  });
  it("async read-back of a disposed tensor rejects", async () => {
    const x = T.zeros([2]);
    x.dispose();
    await expect(x.data()).rejects.toThrow("data: tensor was disposed");
  });
});

describe("other bad arguments", () => {
  it("are named", () => {
    expect(() => T.exp([1, 2] as unknown as Tensor)).toThrow("exp: x must be a Tensor, got [1,2]");
    expect(() => T.dropout(T.ones([2]), 1.5, new T.Rng(0))).toThrow("dropout: p must be in [0, 1], got 1.5");
    expect(() => T.randn([2], {} as T.Rng)).toThrow("randn: rng must be an Rng");
    expect(() => T.zeros([2, -1])).toThrow("zeros: shape must be an array of non-negative integers, got [2,-1]");
    expect(() => T.ones([2]).item()).toThrow("item: tensor must have exactly 1 element, got shape [2]");
    expect(() => T.setBackend("nope")).toThrow('setBackend: unknown backend "nope"; registered: cpu');
    expect(() => T.causalAttention(T.zeros([1, 2, 2]), T.zeros([1, 2, 2]), T.zeros([1, 2, 2]), { offset: -1 })).toThrow(
      "causalAttention: offset must be a non-negative integer, got -1",
    );
  });
});
