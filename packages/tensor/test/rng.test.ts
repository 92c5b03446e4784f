// SPDX-License-Identifier: MIT

import { describe, expect, it } from "vitest";
import { Rng, randn } from "../src/index.js";

describe("Rng", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.nextU32())).not.toEqual(xs);
  });
  it("restores exactly from a JSON round-tripped state, including a pending Box–Muller spare", () => {
    const rng = new Rng(7);
    rng.nextFloat();
    rng.nextNormal(); // leaves the second normal of the pair cached
    const state = JSON.parse(JSON.stringify(rng.getState()));
    expect(state.spare).not.toBeNull();
    const expected = [rng.nextNormal(), rng.nextNormal(), rng.nextFloat(), rng.nextU32()];
    const restored = Rng.fromState(state);
    expect([restored.nextNormal(), restored.nextNormal(), restored.nextFloat(), restored.nextU32()]).toEqual(expected);
  });
  it("tensor sampling resumes bit-for-bit after a checkpoint", () => {
    const rng = new Rng(1);
    randn([3], rng);
    const saved = rng.getState();
    const next = randn([5], rng).dataSync();
    expect(randn([5], Rng.fromState(saved)).dataSync()).toEqual(next);
  });
  it("getState returns a copy (mutating it does not affect the generator)", () => {
    const rng = new Rng(3);
    const s = rng.getState();
    (s.generator as number[])[0] = 0;
    const fresh = new Rng(3);
    expect(rng.nextU32()).toBe(fresh.nextU32());
  });
  it("fork gives an independent stream and advances the parent", () => {
    const parent = new Rng(9);
    const twin = new Rng(9);
    const child = parent.fork();
    const p = Array.from({ length: 4 }, () => parent.nextU32());
    const c = Array.from({ length: 4 }, () => child.nextU32());
    const t = Array.from({ length: 4 }, () => twin.nextU32());
    expect(c).not.toEqual(p);
    expect(p).not.toEqual(t);
  });
  it("nextFloat is in [0, 1) and rejects bad seeds and states", () => {
    const rng = new Rng(0);
    for (let i = 0; i < 1000; i++) {
      const u = rng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
    }
    expect(() => new Rng(1.5)).toThrow("Rng: seed must be an integer, got 1.5");
    expect(() => Rng.fromState({ generator: [1, 2], spare: null })).toThrow("Rng.fromState: state must be");
  });
});
