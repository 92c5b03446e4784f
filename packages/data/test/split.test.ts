// SPDX-License-Identifier: MIT
import { describe, expect, it } from "vitest";
import { fmix32, fnv1a32, splitDocuments, stableHash32 } from "../src/index.js";
import type { CorpusDocument } from "../src/index.js";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("stable hash", () => {
  it("FNV-1a matches the published test vectors", () => {
    expect(fnv1a32(bytes(""))).toBe(0x811c9dc5);
    expect(fnv1a32(bytes("a"))).toBe(0xe40c292c);
    expect(fnv1a32(bytes("foobar"))).toBe(0xbf9cf968);
  });

  it("fmix32 fixes 0, is injective on a sample, and stableHash32 composes the two", () => {
    expect(fmix32(0)).toBe(0);
    // murmur3's fmix32 on known inputs (0x514e28b7 for 1 is the published value; the others from a Python port).
    expect([fmix32(1), fmix32(2), fmix32(0xdeadbeef)]).toEqual([0x514e28b7, 0x30f4c306, 0x0de5c6a9]);
    expect(stableHash32("1790_george_washington_n")).toBe(0xb6098026);
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) seen.add(fmix32(i * 2654435761 >>> 0));
    expect(seen.size).toBe(5000);
    expect(stableHash32("chapter_1")).toBe(fmix32(fnv1a32(bytes("chapter_1"))));
  });
});

const docs: CorpusDocument[] = Array.from({ length: 2000 }, (_, i) => ({ id: `doc-${i}`, title: `Doc ${i}`, text: "" }));

describe("splitDocuments", () => {
  it("follows the stated rule exactly: u = stableHash32(id) / 2^32, test if u < t, validation if u < t + v", () => {
    const { train, validation, test } = splitDocuments(docs, { validation: 0.1, test: 0.2 });
    for (const d of test) expect(stableHash32(d.id) / 2 ** 32).toBeLessThan(0.2);
    for (const d of validation) {
      const u = stableHash32(d.id) / 2 ** 32;
      expect(u >= 0.2 && u < 0.3).toBe(true);
    }
    for (const d of train) expect(stableHash32(d.id) / 2 ** 32).toBeGreaterThanOrEqual(0.3);
    expect(train.length + validation.length + test.length).toBe(docs.length);
  });

  it("part sizes are near the fractions (binomial: 2000 docs, 5 sigma bounds, false-failure rate < 1e-6)", () => {
    const { validation, test } = splitDocuments(docs, { validation: 0.1, test: 0.2 });
    expect(Math.abs(test.length - 400)).toBeLessThan(5 * Math.sqrt(2000 * 0.2 * 0.8));
    expect(Math.abs(validation.length - 200)).toBeLessThan(5 * Math.sqrt(2000 * 0.1 * 0.9));
  });

  it("does not depend on input order; adding documents never moves existing ones; keeps input order", () => {
    const a = splitDocuments(docs);
    const b = splitDocuments([...docs].reverse());
    expect(b.test.map((d) => d.id).sort()).toEqual(a.test.map((d) => d.id).sort());
    const c = splitDocuments(docs.slice(0, 1000));
    expect(c.validation.map((d) => d.id)).toEqual(a.validation.filter((d) => Number(d.id.slice(4)) < 1000).map((d) => d.id));
  });

  it("a salt gives another split; zero fractions put everything in train", () => {
    const a = splitDocuments(docs);
    expect(splitDocuments(docs, { salt: "x" }).test.map((d) => d.id)).not.toEqual(a.test.map((d) => d.id));
    expect(splitDocuments(docs, { validation: 0, test: 0 }).train.length).toBe(docs.length);
  });

  it("rejects bad fractions and duplicate ids", () => {
    expect(() => splitDocuments(docs, { test: 1.5 })).toThrow("splitDocuments: options.test is 1.5");
    expect(() => splitDocuments(docs, { test: 0.6, validation: 0.6 })).toThrow("at most 1");
    expect(() => splitDocuments([docs[0], docs[0]])).toThrow('duplicate document id "doc-0"');
  });
});
