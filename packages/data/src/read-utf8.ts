// SPDX-License-Identifier: MIT
import { readFileSync } from "node:fs";

// fatal: reject malformed UTF-8 instead of silently inserting U+FFFD; the default BOM stripping is
// wanted here (a file's BOM marks the encoding, it is not text).
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Reads a file as strict UTF-8 (a leading BOM is dropped).
 *
 * @param file - path of the file.
 * @param fn - name of the calling function, for the error message.
 * @returns the decoded text.
 * @throws Error naming the function and the file if it is not valid UTF-8 (or cannot be read).
 * @example
 * readUtf8File("notes.txt", "loadTextFiles");
 */
export function readUtf8File(file: string, fn: string): string {
  const bytes = readFileSync(file);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Locate the first bad byte so the user can find it; decoding growing prefixes would be quadratic.
    const bad = firstInvalidUtf8(bytes);
    throw new Error(`${fn}: ${file} is not valid UTF-8 (first invalid byte at offset ${bad}); convert it to UTF-8 first`);
  }
}

/** Offset of the first byte that breaks UTF-8 well-formedness (RFC 3629), or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      n = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      min = 0x10000;
    } else return i;
    if (i + n >= b.length) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if ((x & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (x & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}
