// SPDX-License-Identifier: MIT

const encoder = new TextEncoder();
// ignoreBOM: a leading U+FEFF is text to the tokenizer and must survive decode(encode(s)).
const lenientDecoder = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * UTF-8 bytes of a string; lone surrogates become U+FFFD (EF BF BD), as the WHATWG encoder does.
 *
 * @param s - any string.
 * @returns its UTF-8 encoding.
 * @example
 * utf8Bytes("é"); // Uint8Array [0xc3, 0xa9]
 */
export function utf8Bytes(s: string): Uint8Array {
  // ASCII fast path: most pre-tokens of English text are pure ASCII.
  const n = s.length;
  let ascii = true;
  for (let i = 0; i < n; i++) {
    if (s.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (!ascii) return encoder.encode(s);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = s.charCodeAt(i);
  return b;
}

/**
 * Decodes UTF-8 bytes leniently: malformed sequences become U+FFFD (one per maximal invalid subpart,
 * per the WHATWG decoder), a leading BOM is kept as U+FEFF.
 *
 * @param bytes - any bytes.
 * @returns the decoded string.
 * @example
 * utf8Text(new Uint8Array([0x68, 0x69])); // "hi"
 */
export function utf8Text(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/**
 * The string UTF-8 can represent: every lone surrogate replaced by U+FFFD (what ES2024's
 * `String.prototype.toWellFormed` does). `decode(encode(s)) === toWellFormed(s)` for every string.
 *
 * @param s - any string.
 * @returns `s` if it is well formed, otherwise a copy with lone surrogates replaced.
 * @example
 * toWellFormed("a\ud800b"); // "a\ufffdb"
 */
export function toWellFormed(s: string): string {
  let out = "";
  let last = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    } else if (!(c >= 0xdc00 && c <= 0xdfff)) continue;
    out += s.slice(last, i) + "\ufffd";
    last = i + 1;
  }
  return last === 0 ? s : out + s.slice(last);
}
