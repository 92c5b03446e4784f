// SPDX-License-Identifier: MIT
import { utf8Text } from "./utf8.js";

/**
 * Decodes token ids through a byte table, the decoding both tokenizers share: the bytes of consecutive
 * ordinary ids are joined and decoded as UTF-8 in one piece (so a character split across tokens comes
 * back whole; malformed runs become U+FFFD), and a special id either renders as its name or, with
 * `skipSpecial`, is dropped. Internal to the package.
 *
 * @param fn - the calling function, for the error message (e.g. `"BpeTokenizer.decode"`).
 * @param ids - token ids.
 * @param vocabSize - ids must be integers in [0, vocabSize).
 * @param bytesOf - the UTF-8 bytes of every ordinary id.
 * @param specialName - the rendered name of a special id, undefined for an ordinary one.
 * @param skipSpecial - drop special ids instead of rendering them.
 * @returns the text.
 * @throws RangeError naming the function, the position and the value of an id outside [0, vocabSize).
 * @example
 * decodeIds("decode", [104, 105, 256], 259, byteTable, (id) => (id === 256 ? "<|bos|>" : undefined), false); // "hi<|bos|>"
 */
export function decodeIds(
  fn: string,
  ids: ArrayLike<number>,
  vocabSize: number,
  bytesOf: readonly Uint8Array[],
  specialName: (id: number) => string | undefined,
  skipSpecial: boolean,
): string {
  let total = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new RangeError(`${fn}: ids[${i}] is ${id}, must be an integer in [0, ${vocabSize})`);
    }
    if (specialName(id) === undefined) total += bytesOf[id].length;
  }
  const buf = new Uint8Array(total);
  let out = "";
  let start = 0;
  let o = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    const name = specialName(id);
    if (name !== undefined) {
      if (skipSpecial) continue;
      out += utf8Text(buf.subarray(start, o)) + name;
      start = o;
      continue;
    }
    const b = bytesOf[id];
    buf.set(b, o);
    o += b.length;
  }
  return out + utf8Text(buf.subarray(start, o));
}
