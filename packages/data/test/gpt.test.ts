// SPDX-License-Identifier: MIT
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { decode as upstreamDecode, encode as upstreamEncode } from "gpt-tokenizer/encoding/r50k_base";
import { describe, expect, it } from "vitest";
import { GPT2_EOT, GPT2_PAD, gpt2Tokenizer } from "../src/gpt.js";

const tok = gpt2Tokenizer();
const chapter1 = readFileSync(fileURLToPath(new URL("./fixtures/moby-dick/chapter_1.txt", import.meta.url)), "utf8");

describe("gpt2Tokenizer (@calm/data/gpt)", () => {
  it("exposes GPT-2's ids with <|endoftext|> as BOS/EOS and an added PAD", () => {
    expect([tok.name, tok.vocabSize, tok.bos, tok.eos, tok.pad]).toEqual(["gpt2", 50258, 50256, 50256, 50257]);
    expect(tok.encode("Hello world")).toEqual([15496, 995]);
    expect(tok.encode(chapter1)).toEqual(upstreamEncode(chapter1));
    expect(tok.decode(tok.encode(chapter1))).toBe(chapter1);
  });

  it("treats special-looking text as text", () => {
    const ids = tok.encode("a <|endoftext|> b");
    expect(ids).not.toContain(GPT2_EOT);
    expect(tok.decode(ids)).toBe("a <|endoftext|> b");
    expect(tok.decode([GPT2_EOT, 64, GPT2_PAD])).toBe("<|endoftext|>a<|pad|>");
    expect(tok.decode([GPT2_EOT, 64, GPT2_PAD], { skipSpecial: true })).toBe("a");
  });

  it("decode(encode(s)) === s for well-formed strings (property), unaffected by earlier partial decodes", () => {
    // gpt-tokenizer's own decode keeps a module-wide streaming TextDecoder: an earlier decode ending in a
    // partial UTF-8 sequence leaks into the next one. Ours decodes each call on its own.
    upstreamDecode([158]);
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        expect(tok.decode(tok.encode(s))).toBe(s);
      }),
      { seed: 3, numRuns: 300 },
    );
    expect(tok.decode([158])).toBe("\ufffd");
    expect(tok.decode(tok.encode("é😀"))).toBe("é😀");
    expect(tok.decode(tok.encode("a\ud800b"))).toBe("a\ufffdb"); // lone surrogate -> U+FFFD, as in BpeTokenizer
  });

  it("refuses ids outside the vocabulary", () => {
    expect(() => tok.decode([50258])).toThrow("gpt2Tokenizer.decode: ids[0] is 50258, must be an integer in [0, 50258)");
  });
});
