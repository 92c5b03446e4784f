// SPDX-License-Identifier: MIT
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BpeTokenizer, loadBpe, loadTextFiles, pretokenize, saveBpe, toWellFormed, trainBpe } from "../src/index.js";
import { naiveEncode, naiveTrain } from "./bpe-oracle.js";

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const sotu = loadTextFiles(join(fixtures, "sotu")).map((d) => d.text);
const moby = loadTextFiles(join(fixtures, "moby-dick")).map((d) => d.text);
const tmp = mkdtempSync(join(tmpdir(), "calm-bpe-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let tok: BpeTokenizer; // trained on the SOTU fixture, 1,024 ids
beforeAll(() => {
  tok = trainBpe(sotu, { vocabSize: 1024 });
});

describe("pretokenize (GPT-2 pattern)", () => {
  it("splits as GPT-2 does", () => {
    expect(pretokenize("I'm here  now, 2021!\n")).toEqual(["I", "'m", " here", " ", " now", ",", " 2021", "!", "\n"]);
  });
  it("pieces concatenate back to any string, lone surrogates included (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }), (s) => {
        expect(pretokenize(s).join("")).toBe(s);
      }),
      { seed: 1, numRuns: 300 },
    );
  });
});

describe("trainBpe", () => {
  it("works the textbook example with the stated tie rule", () => {
    // "aaabdaaabac" is one pre-token. Counts (overlaps included): aa 4, ab 2, ... -> merge (a,a) = 259.
    // Then (259,a) and (a,b) tie at 2; the smaller left id wins: (a,b) = 260. Then (259,260) = 261, count 2.
    const t = trainBpe(["aaabdaaabac"], { vocabSize: 262 });
    expect(t.toJSON().merges).toEqual([[97, 97], [97, 98], [259, 260]]);
    expect(t.encode("aaabdaaabac")).toEqual([261, 100, 261, 97, 99]);
  });

  it("learns exactly the merges of a naive from-scratch trainer on the fixture text", () => {
    const text = [...sotu.slice(0, 2), moby[3]];
    const expected = naiveTrain(text, 420);
    expect(trainBpe(text, { vocabSize: 420 }).toJSON().merges).toEqual(expected);
  });

  it("the oracle comparison is sensitive: the opposite tie rule gives different merges", () => {
    const text = [...sotu.slice(0, 2), moby[3]];
    expect(naiveTrain(text, 420, "largest")).not.toEqual(naiveTrain(text, 420));
  });

  it("is deterministic and independent of document order", () => {
    const a = trainBpe(sotu, { vocabSize: 600 }).toJSON();
    const b = trainBpe([...sotu].reverse(), { vocabSize: 600 }).toJSON();
    expect(b).toEqual(a);
  });

  it("stops early when nothing is left to merge", () => {
    const t = trainBpe(["ab ab"], { vocabSize: 1000 });
    expect(t.vocabSize).toBe(261); // "ab" -> 259, " ab" is [32, 259] -> 260
  });

  it("rejects bad vocab sizes, naming the value", () => {
    expect(() => trainBpe(sotu, { vocabSize: 258 })).toThrow("trainBpe: options.vocabSize is 258, must be an integer in [259, 65536]");
    expect(() => trainBpe(sotu, { vocabSize: 70000 })).toThrow("options.vocabSize is 70000");
    expect(() => trainBpe(sotu, { vocabSize: 1000.5 })).toThrow("options.vocabSize is 1000.5");
  });
});

describe("BpeTokenizer encode/decode", () => {
  it("encode agrees with applying the merges in rank order (naive oracle) on the Moby-Dick fixture", () => {
    const merges = tok.toJSON().merges;
    for (const text of moby) expect(tok.encode(text)).toEqual(naiveEncode(text, merges));
  });

  it("long pre-tokens (heap path, > 64 bytes) give the same ids as the naive oracle", () => {
    const merges = tok.toJSON().merges;
    const letters = fc.string({ unit: fc.constantFrom(..."etaoinshrdlu"), minLength: 65, maxLength: 400 });
    fc.assert(
      fc.property(letters, (w) => {
        expect(tok.encode(w)).toEqual(naiveEncode(w, merges));
      }),
      { seed: 11, numRuns: 100 },
    );
    for (const w of ["a".repeat(257), "e".repeat(201), "ee".repeat(100), " " + "the".repeat(50), "é".repeat(80), "🐋".repeat(40)]) {
      expect(tok.encode(w)).toEqual(naiveEncode(w, merges));
    }
  });

  it("encodes a 1 MB pre-token in well under a second (no quadratic blow-up)", () => {
    const w = Array.from({ length: 1_000_000 }, (_, i) => "etaoinshrdlu"[(i * 7919) % 12]).join("");
    const t0 = performance.now();
    const ids = tok.encode(w);
    expect(performance.now() - t0).toBeLessThan(5000); // ~0.2 s measured; generous for a loaded 2-core machine
    expect(tok.decode(ids)).toBe(w);
  });

  it("compresses: the fixture's bytes per token at 1,024 ids", () => {
    const text = sotu.join("\n");
    const bpt = new TextEncoder().encode(text).length / tok.encode(text).length;
    expect(bpt).toBeGreaterThan(2.5); // trained on this very text
    expect(tok.encode(text).every((id) => id < 256 || id >= 259)).toBe(true); // never a special
  });

  it("decode(encode(s)) === s for any well-formed Unicode string (property, 500 runs)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        expect(tok.decode(tok.encode(s))).toBe(s);
      }),
      { seed: 7, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
        expect(tok.decode(tok.encode(s))).toBe(s);
      }),
      { seed: 8, numRuns: 300 },
    );
  });

  it("round-trips the tricky cases: BOM, NUL, CRLF, emoji, combining marks, text that looks like a special", () => {
    for (const s of ["", "\ufeffhello", "\u0000\u0001", "a\r\nb", "👩‍👩‍👧 é ẹ́", "<|eos|><|bos|>", "   \t\n\n  x", "日本語のテキスト"]) {
      expect(tok.decode(tok.encode(s))).toBe(s);
    }
    expect(tok.encode("<|eos|>")).not.toContain(tok.eos);
  });

  it("lone surrogates cannot travel through UTF-8: they come back as U+FFFD (decode(encode(s)) === toWellFormed(s))", () => {
    expect(tok.decode(tok.encode("a\ud800b"))).toBe("a\ufffdb");
    expect(tok.decode(tok.encode("\udc00"))).toBe("\ufffd");
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 30 }), (s) => {
        expect(tok.decode(tok.encode(s))).toBe(toWellFormed(s));
      }),
      { seed: 9, numRuns: 300 },
    );
  });

  it("decodes specials as names or skips them; refuses unknown ids with position and value", () => {
    const ids = [tok.bos, ...tok.encode("Hi"), tok.eos, tok.pad];
    expect(tok.decode(ids)).toBe("<|bos|>Hi<|eos|><|pad|>");
    expect(tok.decode(ids, { skipSpecial: true })).toBe("Hi");
    expect([tok.bos, tok.eos, tok.pad]).toEqual([256, 257, 258]);
    expect(() => tok.decode([72, 1024])).toThrow("BpeTokenizer.decode: ids[1] is 1024, must be an integer in [0, 1024)");
    expect(() => tok.decode([-1])).toThrow("ids[0] is -1");
  });

  it("a multi-byte character split across tokens is decoded from the joined bytes", () => {
    // With few merges the 4 bytes of an emoji are separate ids; decoding them one by one would give U+FFFD.
    const ids = tok.encode("🐋");
    expect(ids.length).toBeGreaterThan(1);
    expect(ids.map((id) => tok.decode([id])).join("")).not.toBe("🐋");
    expect(tok.decode(ids)).toBe("🐋");
  });
});

describe("save / load", () => {
  it("round-trips through a file and encodes identically", () => {
    const path = join(tmp, "bpe.json");
    saveBpe(tok, path);
    const again = loadBpe(path);
    expect(again.vocabSize).toBe(1024);
    expect(again.toJSON()).toEqual(tok.toJSON());
    for (const text of moby) expect(again.encode(text)).toEqual(tok.encode(text));
    const json = JSON.parse(readFileSync(path, "utf8"));
    expect([json.format, json.version, json.vocabSize, json.merges.length]).toEqual(["calm-bpe", 1, 1024, 1024 - 259]);
  });

  it("refuses truncated, corrupt or inconsistent files with a clear message", () => {
    const good = JSON.stringify(tok.toJSON());
    const path = join(tmp, "bad.json");
    writeFileSync(path, good.slice(0, good.length / 2));
    expect(() => loadBpe(path)).toThrow(/loadBpe: ".*bad\.json": BpeTokenizer\.fromJSON: input is not valid JSON/);
    expect(() => loadBpe(join(tmp, "missing.json"))).toThrow("loadBpe: cannot read");
    const j = tok.toJSON();
    expect(() => BpeTokenizer.fromJSON({ ...j, version: 2 })).toThrow("version is 2, this build reads version 1");
    expect(() => BpeTokenizer.fromJSON({ ...j, format: "hf" })).toThrow('format is "hf"');
    expect(() => BpeTokenizer.fromJSON({ ...j, vocabSize: 999 })).toThrow("vocabSize is 999, but 259 + 765 merges = 1024");
    const merges = j.merges.map((m) => [...m]);
    merges[5] = [300, 2];
    expect(() => BpeTokenizer.fromJSON({ ...j, merges })).toThrow("merges[5] left id is 300");
    merges[5] = [257, 2];
    expect(() => BpeTokenizer.fromJSON({ ...j, merges })).toThrow("merges[5] left id is 257");
    merges[5] = [...j.merges[0]];
    expect(() => BpeTokenizer.fromJSON({ ...j, merges })).toThrow("merges[5] repeats the pair");
    merges[5] = [2 ** 32 + 5, 2];
    expect(() => BpeTokenizer.fromJSON({ ...j, merges })).toThrow("merges[5] is [4294967301,2]");
    expect(() => BpeTokenizer.fromJSON([])).toThrow("expected a JSON object");
  });
});
