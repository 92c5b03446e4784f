// SPDX-License-Identifier: MIT
//
// Reverse-mode autograd over functions of tensors (or trees of tensors). valueAndGrad at depth L wraps each
// float32 argument in a fresh leaf carrying tape bit L−1, runs f (ops record nodes only for inputs carrying
// an active bit), then walks the nodes that depend on those leaves in reverse topological order, summing
// cotangents of tensors used more than once. Gradient rules run with recording restricted to the outer
// tapes, so a nested valueAndGrad sees a differentiable first derivative (second order) while a single one
// records nothing during its backward pass. When a tape ends its bit is cleared everywhere; tensors that no
// longer depend on any active tape drop their node (no closures survive).

import type { GradTree, ValueAndGrad } from "./api.js";
import { engine, highestLevel, needsGrad, record, shareData, traceAt, unhold } from "./engine.js";
import { ones, zeros } from "./ops/creation.js";
import { add } from "./ops/binary.js";
import { fmt } from "./ops/validate.js";
import { Tensor } from "./tensor.js";

const MAX_DEPTH = 30;

/**
 * Turns a scalar function of tensors (or of parameter trees: nested plain objects/arrays of tensors) into a
 * function returning its value and the gradient with respect to every float32 tensor in its arguments.
 * Gradients have the arguments' structure (null for int32 tensors and non-tensor leaves); a tensor that f
 * does not use gets a zero gradient. Calls may nest (gradient of a gradient). Nothing is recorded outside
 * a valueAndGrad call.
 *
 * @param f - returns a tensor with exactly one element (the loss).
 * @throws RangeError if f returns something else; whatever f throws.
 * @example
 * ```ts
 * const lossFn = (p: { w: Tensor; b: Tensor }, x: Tensor) => mean(square(add(matmul(x, p.w), p.b)));
 * const { value, grads } = valueAndGrad(lossFn)({ w, b }, x);
 * grads[0].w; // dLoss/dw, same shape as w
 * ```
 */
export function valueAndGrad<A extends readonly unknown[]>(f: (...args: A) => Tensor): (...args: A) => ValueAndGrad<A> {
  if (typeof f !== "function") throw new TypeError(`valueAndGrad: f must be a function, got ${typeof f}`);
  return (...args: A) => {
    if (engine.depth >= MAX_DEPTH) throw new RangeError(`valueAndGrad: nesting deeper than ${MAX_DEPTH} levels`);
    const level = ++engine.depth;
    const bit = 1 << (level - 1);
    const savedMask = engine.recordMask;
    engine.recordMask |= bit;
    const leaves: Tensor[] = [];
    try {
      const wrapped = mapTree(args, (t) => {
        if (t.dtype !== "float32") return t;
        const leaf = shareData(t, t.shape, "valueAndGrad");
        // Outer tapes see the leaf as an identity of the original argument.
        if (needsGrad(t)) record("identity", leaf, [t], (dy) => [dy]);
        leaf.mask |= bit;
        traceAt(leaf, level);
        leaves.push(leaf);
        return leaf;
      }, (v) => v) as unknown as A;
      const value = f(...wrapped);
      if (!(value instanceof Tensor) || value.size !== 1) {
        const got = value instanceof Tensor ? `a tensor of shape ${fmt(value.shape)}` : typeof value;
        throw new RangeError(`valueAndGrad: f must return a tensor with one element, got ${got}`);
      }
      const leafGrads = backward(value, leaves, bit, savedMask);
      let k = 0;
      const grads = mapTree(args, (t) => {
        if (t.dtype !== "float32") return null;
        const g = leafGrads[k++];
        return g ?? zeros(t.shape);
      }, () => null) as GradTree<A>;
      return { value, grads };
    } finally {
      engine.recordMask = savedMask;
      engine.depth--;
      endTape(level);
    }
  };
}

/**
 * Gradient-only form of {@link valueAndGrad}: returns the gradient trees, one per argument (a tuple even for
 * a single argument).
 *
 * @throws RangeError if f does not return a one-element tensor.
 * @example
 * ```ts
 * const [dx] = grad((x: Tensor) => sum(square(x)))(tensor([1, 2])); // [2, 4]
 * ```
 */
export function grad<A extends readonly unknown[]>(f: (...args: A) => Tensor): (...args: A) => GradTree<A> {
  const vg = valueAndGrad(f);
  return (...args: A) => vg(...args).grads;
}

function backward(value: Tensor, leaves: readonly Tensor[], bit: number, outerMask: number): (Tensor | null)[] {
  const leafSet = new Set(leaves);
  // Reverse topological order over the nodes that depend on this tape's leaves (iterative DFS).
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  const stack: [Tensor, number][] = [];
  if ((value.mask & bit) !== 0) stack.push([value, 0]);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    if (i === 0) {
      if (seen.has(t)) {
        stack.pop();
        continue;
      }
      seen.add(t);
    }
    const inputs = leafSet.has(t) || t.node === null ? [] : t.node.inputs;
    if (i < inputs.length) {
      top[1]++;
      const next = inputs[i];
      if ((next.mask & bit) !== 0 && !seen.has(next)) stack.push([next, 0]);
    } else {
      stack.pop();
      order.push(t);
    }
  }
  const grads = new Map<Tensor, Tensor>();
  engine.backward++;
  const savedMask = engine.recordMask;
  engine.recordMask = outerMask;
  try {
    grads.set(value, ones(value.shape));
    for (let j = order.length - 1; j >= 0; j--) {
      const t = order[j];
      const g = grads.get(t);
      if (g === undefined || leafSet.has(t) || t.node === null) continue;
      const node = t.node;
      engine.context.push(`gradient of ${node.op}`);
      let inputGrads: readonly (Tensor | null)[];
      try {
        inputGrads = node.vjp(g);
      } finally {
        engine.context.pop();
      }
      node.inputs.forEach((input, k) => {
        const ig = inputGrads[k];
        if (ig == null || (input.mask & bit) === 0) return;
        const prev = grads.get(input);
        grads.set(input, prev === undefined ? ig : add(prev, ig));
      });
    }
  } finally {
    engine.recordMask = savedMask;
    engine.backward--;
  }
  return leaves.map((leaf) => grads.get(leaf) ?? null);
}

/** Clears tape `level`'s bit; tensors left depending on no active tape drop their graph node. */
function endTape(level: number): void {
  const bit = 1 << (level - 1);
  const list = engine.traced[level - 1];
  if (list === undefined) return;
  engine.traced[level - 1] = [];
  for (const t of list) {
    t.mask &= ~bit;
    if (t.mask === 0) {
      const node = t.node;
      if (node !== null) {
        t.node = null;
        for (const input of node.inputs) unhold(input);
        unhold(t);
      }
    } else {
      traceAt(t, highestLevel(t.mask));
    }
  }
}

/** Maps tensor leaves with `leaf` and every other leaf with `other`, rebuilding plain arrays/objects. */
function mapTree(value: unknown, leaf: (t: Tensor) => unknown, other: (v: unknown) => unknown): unknown {
  if (value instanceof Tensor) return leaf(value);
  if (Array.isArray(value)) return value.map((v) => mapTree(v, leaf, other));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapTree(v, leaf, other);
    return out;
  }
  return other(value);
}
