// SPDX-License-Identifier: MIT
import { utf8Bytes } from "./utf8.js";

/**
 * 32-bit FNV-1a of the UTF-8 bytes of `s` (offset basis 2166136261, prime 16777619), followed by the
 * murmur3 32-bit finaliser (`h ^= h>>>16; h *= 0x85ebca6b; h ^= h>>>13; h *= 0xc2b2ae35; h ^= h>>>16`)
 * so that ids differing in one character spread over the whole range. Used by the document split.
 *
 * @param s - any string (lone surrogates hash as U+FFFD, as UTF-8 encodes them).
 * @returns an unsigned 32-bit integer.
 * @example
 * stableHash32("1790_george_washington_n"); // same value on every machine
 */
export function stableHash32(s: string): number {
  return fmix32(fnv1a32(utf8Bytes(s)));
}

/**
 * Plain 32-bit FNV-1a over bytes (Fowler, Noll, Vo): h = 2166136261; for each byte: h ^= b; h *= 16777619 (mod 2^32).
 *
 * @param bytes - the input bytes.
 * @returns an unsigned 32-bit integer.
 * @example
 * fnv1a32(new TextEncoder().encode("a")); // 0xe40c292c
 */
export function fnv1a32(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The murmur3 32-bit finaliser (avalanche step): a bijection on 32-bit integers.
 *
 * @param h - an unsigned 32-bit integer.
 * @returns an unsigned 32-bit integer; `fmix32(0) === 0`.
 * @example
 * fmix32(0); // 0
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
