// SPDX-License-Identifier: MIT
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { chunkDocuments, concatDocuments, contiguousBlocks } from "../src/index.js";

const EOS = 1;
const PAD = 0;
const BOS = 2;

describe("chunkDocuments (reference section 2.6: EOS, then PAD to a multiple of K, per document)", () => {
  it("lays out the worked example", () => {
    expect([...chunkDocuments([[5, 6, 7], [8]], 4, { eos: EOS, pad: PAD })]).toEqual([5, 6, 7, 1, 8, 1, 0, 0]);
    // A document whose length + EOS is already a multiple of K gets no padding; an empty one is just EOS + PADs.
    expect([...chunkDocuments([[5, 6, 7, 8, 9, 10, 11], []], 4, { eos: EOS, pad: PAD })]).toEqual([5, 6, 7, 8, 9, 10, 11, 1, 1, 0, 0, 0]);
    expect([...chunkDocuments([[5]], 2, { eos: EOS, pad: PAD, bos: BOS })]).toEqual([2, 5, 1, 0]);
  });

  it("every K-chunk lies inside one document: each document restarts at a multiple of K (property)", () => {
    const doc = fc.array(fc.integer({ min: 3, max: 1000 }), { maxLength: 20 });
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 8 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), (docs, K, withBos) => {
        const opts = withBos ? { eos: EOS, pad: PAD, bos: BOS } : { eos: EOS, pad: PAD };
        const out = chunkDocuments(docs, K, opts);
        expect(out.length % K).toBe(0);
        let o = 0;
        for (const d of docs) {
          expect(o % K).toBe(0);
          const expected = [...(withBos ? [BOS] : []), ...d, EOS];
          expect([...out.subarray(o, o + expected.length)]).toEqual(expected);
          o += expected.length;
          while (o % K !== 0) expect(out[o++]).toBe(PAD);
        }
        expect(o).toBe(out.length);
      }),
      { seed: 20261129, numRuns: 200 },
    );
  });

  it("rejects bad K and bad ids with the offending value", () => {
    expect(() => chunkDocuments([[1]], 0, { eos: EOS, pad: PAD })).toThrow("chunkDocuments: chunkSize is 0");
    expect(() => chunkDocuments([[1, -3]], 4, { eos: EOS, pad: PAD })).toThrow("docs[0][1] is -3");
    expect(() => chunkDocuments([[1]], 4, { eos: 1.5, pad: PAD })).toThrow("options.eos is 1.5");
  });
});

describe("concatDocuments and contiguousBlocks (reference section 3.4: BOS per document, no EOS, no padding)", () => {
  it("packs with BOS at each document start", () => {
    expect([...concatDocuments([[5, 6], [7]], { bos: 9 })]).toEqual([9, 5, 6, 9, 7]);
    expect([...concatDocuments([[5, 6], [7]], { eos: 8 })]).toEqual([5, 6, 8, 7, 8]);
    expect([...concatDocuments([[5, 6], [7]])]).toEqual([5, 6, 7]);
  });

  it("cuts into full blocks, drops the remainder, and copies", () => {
    const ids = new Int32Array([1, 2, 3, 4, 5]);
    const blocks = contiguousBlocks(ids, 2);
    expect(blocks.map((b) => [...b])).toEqual([[1, 2], [3, 4]]);
    blocks[0][0] = 99;
    expect(ids[0]).toBe(1);
    expect(contiguousBlocks([1, 2, 3], 4)).toEqual([]);
    expect(() => contiguousBlocks(ids, 0)).toThrow("contiguousBlocks: blockLength is 0");
  });

  it("blocks of a multiple of K keep chunkDocuments' K-alignment", () => {
    const flat = chunkDocuments([[5, 6, 7], [8], [9, 9, 9, 9, 9]], 4, { eos: EOS, pad: PAD });
    const blocks = contiguousBlocks(flat, 8);
    expect(blocks.length).toBe(Math.floor(flat.length / 8));
    expect([...blocks[0]]).toEqual([...flat.subarray(0, 8)]);
  });
});
