// SPDX-License-Identifier: MIT

/**
 * The GPT-2 pre-tokenisation pattern (Radford et al. 2019, the `encoder.py` of GPT-2), with the `u` flag
 * so a surrogate pair is one code point and is never split:
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`.
 * Its alternatives cover every code point, so the pieces of a string concatenate back to it exactly.
 * BPE merges never cross piece boundaries.
 *
 * @example
 * "Hello world".match(GPT2_PATTERN); // ["Hello", " world"]
 */
export const GPT2_PATTERN: RegExp = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/**
 * Splits text into GPT-2 pre-tokens ("words"): letters with an optional leading space, digits, runs of
 * other symbols, whitespace, and the English contractions. `pretokenize(s).join("") === s` for every string.
 *
 * @param text - any string.
 * @returns the pieces, in order.
 * @example
 * pretokenize("I'm here  now."); // ["I", "'m", " here", " ", " now", "."]
 */
export function pretokenize(text: string): string[] {
  return text.match(new RegExp(GPT2_PATTERN)) ?? [];
}
