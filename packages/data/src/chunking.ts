// SPDX-License-Identifier: MIT
import type { ChunkOptions, ConcatOptions } from "./api.js";

function checkId(fn: string, name: string, v: number | undefined): void {
  if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0x7fffffff)) {
    throw new RangeError(`${fn}: ${name} is ${v}, must be a non-negative 31-bit integer id`);
  }
}

function checkDocs(fn: string, docs: ReadonlyArray<ArrayLike<number>>): void {
  for (let d = 0; d < docs.length; d++) {
    const ids = docs[d];
    for (let i = 0; i < ids.length; i++) {
      const v = ids[i];
      if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
        throw new RangeError(`${fn}: docs[${d}][${i}] is ${v}, must be a non-negative 31-bit integer id`);
      }
    }
  }
}

/**
 * Lays documents out for the autoencoder as the reference does (CALM reference section 2.6): each
 * document becomes `[bos?] ids… eos pad…`, right-padded so its length is a multiple of K, and the
 * documents are concatenated. Every K-aligned chunk therefore lies inside one document.
 * Document d occupies `K · ceil((len_d + 1 + [bos]) / K)` ids; a document of length 0 still yields
 * one chunk (its EOS).
 *
 * @param docs - token ids of each document (no BOS/EOS of their own).
 * @param chunkSize - K, the number of tokens per autoencoder chunk (paper: K = 4), a positive integer.
 * @param options - the `eos`, `pad` and optional `bos` ids.
 * @returns the concatenation, length a multiple of K; chunk c is `ids.subarray(c*K, (c+1)*K)`.
 * @throws RangeError for a non-positive K, or an id that is not a non-negative 31-bit integer.
 * @example
 * chunkDocuments([[5, 6, 7], [8]], 4, { eos: 1, pad: 0 });
 * // Int32Array [5, 6, 7, 1,  8, 1, 0, 0]
 */
export function chunkDocuments(docs: ReadonlyArray<ArrayLike<number>>, chunkSize: number, options: ChunkOptions): Int32Array {
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`chunkDocuments: chunkSize is ${chunkSize}, must be a positive integer`);
  }
  checkId("chunkDocuments", "options.eos", options.eos);
  checkId("chunkDocuments", "options.pad", options.pad);
  checkId("chunkDocuments", "options.bos", options.bos);
  checkDocs("chunkDocuments", docs);
  const extra = options.bos === undefined ? 1 : 2;
  let total = 0;
  for (const d of docs) total += Math.ceil((d.length + extra) / chunkSize) * chunkSize;
  const out = new Int32Array(total);
  let o = 0;
  for (const d of docs) {
    const start = o;
    if (options.bos !== undefined) out[o++] = options.bos;
    for (let i = 0; i < d.length; i++) out[o++] = d[i];
    out[o++] = options.eos;
    const end = start + Math.ceil((d.length + extra) / chunkSize) * chunkSize;
    out.fill(options.pad, o, end);
    o = end;
  }
  return out;
}

/**
 * Packs documents for the language model as the reference does (CALM reference section 3.4): plain
 * concatenation with BOS at each document start, **no EOS and no padding to K**, so chunks may straddle
 * documents. Cut the result with {@link contiguousBlocks}.
 *
 * @param docs - token ids of each document.
 * @param options - optional `bos` / `eos` ids.
 * @returns the concatenated ids.
 * @throws RangeError for an id that is not a non-negative 31-bit integer.
 * @example
 * concatDocuments([[5, 6], [7]], { bos: 9 }); // Int32Array [9, 5, 6, 9, 7]
 */
export function concatDocuments(docs: ReadonlyArray<ArrayLike<number>>, options: ConcatOptions = {}): Int32Array {
  checkId("concatDocuments", "options.bos", options.bos);
  checkId("concatDocuments", "options.eos", options.eos);
  checkDocs("concatDocuments", docs);
  const extra = (options.bos === undefined ? 0 : 1) + (options.eos === undefined ? 0 : 1);
  let total = 0;
  for (const d of docs) total += d.length + extra;
  const out = new Int32Array(total);
  let o = 0;
  for (const d of docs) {
    if (options.bos !== undefined) out[o++] = options.bos;
    for (let i = 0; i < d.length; i++) out[o++] = d[i];
    if (options.eos !== undefined) out[o++] = options.eos;
  }
  return out;
}

/**
 * Cuts a token stream into consecutive, non-overlapping blocks of `blockLength` ids, dropping the
 * remainder (as the reference's 2048/8192-token grouping does, sections 2.6 and 3.4). With a
 * `blockLength` that is a multiple of K, the blocks of {@link chunkDocuments} output stay K-aligned.
 *
 * @param ids - the token stream.
 * @param blockLength - ids per block, a positive integer.
 * @returns `floor(ids.length / blockLength)` blocks; they are copies, independent of `ids`.
 * @throws RangeError for a non-positive `blockLength`.
 * @example
 * contiguousBlocks(new Int32Array([1, 2, 3, 4, 5]), 2); // [Int32Array [1, 2], Int32Array [3, 4]]
 */
export function contiguousBlocks(ids: ArrayLike<number>, blockLength: number): Int32Array[] {
  if (!Number.isInteger(blockLength) || blockLength < 1) {
    throw new RangeError(`contiguousBlocks: blockLength is ${blockLength}, must be a positive integer`);
  }
  const n = Math.floor(ids.length / blockLength);
  const src = ids instanceof Int32Array ? ids : Int32Array.from(ids);
  const blocks: Int32Array[] = new Array<Int32Array>(n);
  for (let b = 0; b < n; b++) blocks[b] = src.slice(b * blockLength, (b + 1) * blockLength);
  return blocks;
}
