// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { batches } from "../src/index.js";

const items = Array.from({ length: 10 }, (_, i) => `item${i}`);

function take<T>(b: { next(): T[] }, n: number): T[][] {
  return Array.from({ length: n }, () => b.next());
}

describe("batches", () => {
  it("each epoch is a permutation of the items, in batches of batchSize with a short last batch", () => {
    const b = batches(items, 4, { seed: 3 });
    for (let epoch = 0; epoch < 3; epoch++) {
      const ep = take(b, 3);
      expect(ep.map((x) => x.length)).toEqual([4, 4, 2]);
      expect(ep.flat().sort()).toEqual([...items].sort());
      expect(b.epoch).toBe(epoch);
    }
  });

  it("reshuffles each epoch, and the shuffle depends on the seed only", () => {
    const a = take(batches(items, 10, { seed: 1 }), 3);
    expect(a[0]).not.toEqual(a[1]);
    expect(a[1]).not.toEqual(a[2]);
    expect(take(batches(items, 10, { seed: 1 }), 3)).toEqual(a);
    expect(take(batches(items, 10, { seed: 2 }), 3)).not.toEqual(a);
  });

  it("dropLast yields only full batches", () => {
    const b = batches(items, 4, { seed: 3, dropLast: true });
    const got = take(b, 6);
    expect(got.every((x) => x.length === 4)).toBe(true);
    expect(b.epoch).toBe(2); // 2 full batches per epoch
  });

  it("shuffle: false keeps the order", () => {
    expect(take(batches(items, 4, { seed: 0, shuffle: false }), 3).flat()).toEqual(items);
  });

  it("a saved state (through JSON) continues bit-for-bit, including across epoch boundaries", () => {
    for (const stop of [0, 1, 2, 3, 7, 8]) {
      const a = batches(items, 4, { seed: 11 });
      take(a, stop);
      const saved = JSON.parse(JSON.stringify(a.state()));
      const expected = take(a, 20);
      const b = batches(items, 4, { seed: 999, state: saved }); // the seed is ignored when resuming
      expect(take(b, 20)).toEqual(expected);
    }
  });

  it("refuses a state that does not match the data, and bad arguments", () => {
    const s = batches(items, 4, { seed: 1 }).state();
    expect(() => batches(items.slice(1), 4, { seed: 1, state: s })).toThrow("state.numItems is 10, but items has 9");
    expect(() => batches(items, 5, { seed: 1, state: s })).toThrow("state.batchSize is 4, but batchSize is 5");
    expect(() => batches(items, 4, { seed: 1, shuffle: false, state: s })).toThrow("state.shuffle is true, but shuffle is false");
    expect(() => batches(items, 0, { seed: 1 })).toThrow("batchSize is 0");
    expect(() => batches([], 1, { seed: 1 })).toThrow("items is empty");
    expect(() => batches(items, 11, { seed: 1, dropLast: true })).toThrow("only 10 items");
    expect(() => batches(items, 4, { seed: 1, state: { ...s, cursor: 11 } })).toThrow("state.cursor is 11");
  });
});
