// SPDX-License-Identifier: MIT
// Entry point `@calm/data/gpt`: the only module that loads `gpt-tokenizer` (an optional peer dependency).
import r50kRanks from "gpt-tokenizer/bpeRanks/r50k_base";
import { encode as r50kEncode } from "gpt-tokenizer/encoding/r50k_base";
import type { DecodeOptions, Tokenizer } from "./api.js";
import { decodeIds } from "./decode-ids.js";
import { utf8Bytes } from "./utf8.js";

/**
 * GPT-2's `<|endoftext|>` id, used as both BOS and EOS (as GPT-2 does).
 *
 * @example
 * gpt2Tokenizer().eos === GPT2_EOT; // true
 */
export const GPT2_EOT = 50256;
/**
 * The PAD id added after GPT-2's vocabulary (the reference likewise appends `[PAD]` to Llama-3's, section 8.1).
 *
 * @example
 * gpt2Tokenizer().pad === GPT2_PAD; // true
 */
export const GPT2_PAD = 50257;

const NO_SPECIALS = new Set<string>();
const gpt2SpecialName = (id: number): string | undefined => (id === GPT2_EOT ? "<|endoftext|>" : id === GPT2_PAD ? "<|pad|>" : undefined);

/**
 * GPT-2's vocabulary (r50k_base, 50,257 ids, from `gpt-tokenizer@4`) behind the project's
 * {@link Tokenizer} interface: `bos = eos = 50256` (`<|endoftext|>`), `pad = 50257` (added, so
 * `vocabSize = 50258`). Text is plain text: a literal `"<|endoftext|>"` in the input is encoded as
 * ordinary tokens. Decoding builds the bytes itself from the rank table and decodes them in one call,
 * so it does not depend on `gpt-tokenizer`'s streaming decoder state; specials render as
 * `<|endoftext|>` / `<|pad|>` unless `skipSpecial`.
 *
 * @returns a tokenizer (the rank table is loaded once, on first call).
 * @example
 * import { gpt2Tokenizer } from "@calm/data/gpt";
 * const tok = gpt2Tokenizer();
 * tok.encode("Hello world"); // [15496, 995]
 */
export function gpt2Tokenizer(): Tokenizer {
  tables ??= buildTables();
  const t = tables;
  return {
    name: "gpt2",
    vocabSize: GPT2_PAD + 1,
    bos: GPT2_EOT,
    eos: GPT2_EOT,
    pad: GPT2_PAD,
    encode(text: string): number[] {
      return r50kEncode(text, { disallowedSpecial: NO_SPECIALS });
    },
    decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
      return decodeIds("gpt2Tokenizer.decode", ids, GPT2_PAD + 1, t, gpt2SpecialName, options.skipSpecial === true);
    },
  };
}

let tables: Uint8Array[] | undefined;

function buildTables(): Uint8Array[] {
  const ranks = r50kRanks as ReadonlyArray<string | number[]>;
  if (ranks.length !== GPT2_EOT) {
    throw new Error(`gpt2Tokenizer: gpt-tokenizer's r50k_base table has ${ranks.length} ranks, expected ${GPT2_EOT}`);
  }
  const out = new Array<Uint8Array>(ranks.length);
  for (let i = 0; i < ranks.length; i++) {
    const r = ranks[i];
    out[i] = typeof r === "string" ? utf8Bytes(r) : Uint8Array.from(r);
  }
  return out;
}
