// SPDX-License-Identifier: MIT
// Behaviour of the tape: accumulation, parameter trees, higher order, no graph when no gradient is asked for.

import { describe, expect, it } from "vitest";
import * as T from "../src/index.js";
import { Rng, type Tensor } from "../src/index.js";

const arr = (t: Tensor | null | undefined) => Array.from(t!.dataSync());

describe("valueAndGrad / grad", () => {
  it("accumulates gradients of a tensor used several times", () => {
    // f(x) = Σ x·x + x → df/dx = 2x + 1
    const [g] = T.grad((x: Tensor) => T.sum(T.add(T.mul(x, x), x)))(T.tensor([1, -2, 3]));
    expect(arr(g)).toEqual([3, -3, 7]);
    // the same tensor passed as two arguments gets one gradient per argument
    const x = T.tensor([2]);
    const [ga, gb] = T.grad((a: Tensor, b: Tensor) => T.sum(T.mul(a, b)))(x, x);
    expect(arr(ga)).toEqual([2]);
    expect(arr(gb)).toEqual([2]);
  });

  it("returns the value and gradients shaped like a parameter tree", () => {
    const params = {
      layers: [{ w: T.tensor([[1, 2], [3, 4]]), b: T.tensor([0.5, -0.5]) }],
      ids: T.tensor([1], [1], "int32"),
      name: "mlp",
      unused: T.tensor([9, 9, 9]),
    };
    const x = T.tensor([[1, 1]]);
    const loss = (p: typeof params, x: Tensor) => T.sum(T.add(T.matmul(x, p.layers[0].w), p.layers[0].b));
    const { value, grads } = T.valueAndGrad(loss)(params, x);
    expect(value.item()).toBe(10);
    const [gp, gx] = grads;
    expect(gp.layers[0].w!.toArray()).toEqual([[1, 1], [1, 1]]);
    expect(arr(gp.layers[0].b)).toEqual([1, 1]);
    expect(gp.ids).toBeNull();
    expect(gp.name).toBeNull();
    expect(arr(gp.unused)).toEqual([0, 0, 0]);
    expect(gx!.toArray()).toEqual([[3, 7]]);
  });

  it("computes second derivatives by nesting (gradients are written with public ops)", () => {
    // d²/dx² x³ = 6x
    const d1 = (x: Tensor) => (T.grad((y: Tensor) => T.sum(T.mul(T.square(y), y)))(x)[0] as Tensor);
    const [d2] = T.grad((x: Tensor) => T.sum(d1(x)))(T.tensor([2, -1]));
    expect(arr(d2)).toEqual([12, -6]);
    // d²/dx² tanh(x) = −2 tanh(x)(1 − tanh²(x))
    const [h] = T.grad((x: Tensor) => T.sum(T.grad((y: Tensor) => T.sum(T.tanh(y)))(x)[0] as Tensor))(T.tensor([0.3]));
    const t = Math.tanh(0.3);
    expect(arr(h)[0]).toBeCloseTo(-2 * t * (1 - t * t), 5);
    // mixed partials of f(x, y) = x²·y: ∂/∂y (∂f/∂x) = 2x
    const [, gy] = T.grad((x: Tensor, y: Tensor) => T.sum(T.grad((a: Tensor) => T.sum(T.mul(T.square(a), y)))(x)[0] as Tensor))(T.tensor([3]), T.tensor([5]));
    expect(arr(gy)).toEqual([6]);
  });

  it("records nothing outside valueAndGrad and keeps no closures after it returns", () => {
    const x = T.tensor([1, 2]);
    const y = T.exp(T.mul(x, 3));
    expect(y.node).toBeNull();
    expect(x.node).toBeNull();
    let inner: Tensor | null = null;
    const { value, grads } = T.valueAndGrad((x: Tensor) => {
      inner = T.mul(x, 3);
      return T.sum(T.exp(inner));
    })(x);
    expect(inner!.node).toBeNull();
    expect(value.node).toBeNull();
    expect((grads[0] as Tensor).node).toBeNull();
    // and nothing is held: disposing the intermediate releases it at once
    inner!.dispose();
    expect(inner!.ref).toBeNull();
  });

  it("gives zeros for inputs f does not use and rejects non-scalar results", () => {
    const [g] = T.grad((_x: Tensor) => T.sum(T.ones([2])))(T.tensor([1, 2, 3]));
    expect(arr(g)).toEqual([0, 0, 0]);
    expect(() => T.valueAndGrad((x: Tensor) => T.mul(x, 2))(T.tensor([1, 2]))).toThrow(
      "valueAndGrad: f must return a tensor with one element, got a tensor of shape [2]",
    );
  });

  it("does not differentiate through non-differentiable ops (comparisons, argMax, sign)", () => {
    const [g] = T.grad((x: Tensor) => T.sum(T.mul(x, T.greater(x, 0))))(T.tensor([-1, 2]));
    expect(arr(g)).toEqual([0, 1]);
  });

  it("survives tidy scopes and user disposal inside f (the tape holds what backward needs)", () => {
    const x = T.tensor([1, 2, 3]);
    const { value, grads } = T.valueAndGrad((x: Tensor) => {
      const h = T.tidy(() => T.exp(T.mul(x, 0.5)));
      const s = T.square(h);
      h.dispose();
      return T.sum(s);
    })(x);
    expect(value.item()).toBeCloseTo(Math.E ** 1 + Math.E ** 2 + Math.E ** 3, 3);
    expect(arr(grads[0] as Tensor).map((v) => +v.toFixed(3))).toEqual([1, 2, 3].map((v) => +Math.exp(v).toFixed(3)));
  });

  it("restores a clean state when f throws", () => {
    expect(() =>
      T.valueAndGrad((x: Tensor) => {
        T.exp(x);
        throw new Error("boom");
      })(T.tensor([1])),
    ).toThrow("boom");
    const y = T.exp(T.tensor([1]));
    expect(y.node).toBeNull();
    const [g] = T.grad((x: Tensor) => T.sum(T.square(x)))(T.tensor([3]));
    expect(arr(g)).toEqual([6]);
  });

  it("treats tensors captured from the enclosing scope as constants", () => {
    const w = T.tensor([2]);
    const [g] = T.grad((x: Tensor) => T.sum(T.mul(x, w)))(T.tensor([5]));
    expect(arr(g)).toEqual([2]);
    expect(w.node).toBeNull();
  });

  it("results of one gradient call can feed the next (no stale graph)", () => {
    const { value } = T.valueAndGrad((x: Tensor) => T.sum(T.exp(x)))(T.tensor([0, 0]));
    const [g] = T.grad((v: Tensor) => T.mul(v, v))(value);
    expect(arr(g)).toEqual([4]);
  });

  it("inner gradients carry a graph only while an outer gradient call is active", () => {
    let innerGrad: Tensor | null = null;
    T.grad((x: Tensor) => {
      innerGrad = T.grad((y: Tensor) => T.sum(T.square(y)))(x)[0] as Tensor;
      expect(innerGrad.node).not.toBeNull();
      return T.sum(innerGrad);
    })(T.tensor([1, 2]));
    expect(innerGrad!.node).toBeNull();
  });

  it("a training loop on a tiny regression problem reduces the loss (gradient descent)", () => {
    const rng = new Rng(0);
    const xs = T.randn([32, 3], rng);
    const wTrue = T.tensor([[1], [-2], [0.5]]);
    const ys = T.matmul(xs, wTrue);
    let w = T.zeros([3, 1]);
    const loss = (w: Tensor) => T.mean(T.square(T.sub(T.matmul(xs, w), ys)));
    const first = loss(w).item();
    for (let i = 0; i < 100; i++) {
      const { grads } = T.valueAndGrad(loss)(w);
      w = T.sub(w, T.mul(grads[0] as Tensor, 0.1));
    }
    expect(loss(w).item()).toBeLessThan(first * 1e-4);
  });
});

describe("memory: dispose, tidy, keep", () => {
  it("tidy disposes intermediates, keeps returned trees and kept tensors", () => {
    let mid: Tensor | null = null;
    let kept: Tensor | null = null;
    const out = T.tidy(() => {
      mid = T.exp(T.tensor([1]));
      kept = T.keep(T.ones([1]));
      return { a: T.add(mid, 1), list: [T.zeros([1])] };
    });
    expect(mid!.isDisposed).toBe(true);
    expect(kept!.isDisposed).toBe(false);
    expect(out.a.isDisposed).toBe(false);
    expect(out.list[0].isDisposed).toBe(false);
  });
  it("nested tidy moves results to the enclosing scope", () => {
    let inner: Tensor | null = null;
    T.tidy(() => {
      inner = T.tidy(() => T.ones([1]));
      return null;
    });
    expect(inner!.isDisposed).toBe(true);
  });
  it("reshape shares storage: disposing one view leaves the other usable", () => {
    const x = T.tensor([1, 2, 3, 4]);
    const y = T.reshape(x, [2, 2]);
    y.dispose();
    expect(x.toArray()).toEqual([1, 2, 3, 4]);
    x.dispose();
    x.dispose(); // idempotent
    expect(x.isDisposed).toBe(true);
  });
  it("dispose() walks containers", () => {
    const tree = { a: T.ones([1]), b: [T.zeros([2])] };
    T.dispose(tree);
    expect(tree.a.isDisposed && tree.b[0].isDisposed).toBe(true);
  });
});
