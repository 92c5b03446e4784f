// SPDX-License-Identifier: MIT
import type { BpeJson, DecodeOptions, Tokenizer } from "./api.js";
import { GPT2_PATTERN } from "./pretokenize.js";
import { decodeIds } from "./decode-ids.js";
import { mergePairInPlace } from "./merge-pair.js";
import { utf8Bytes } from "./utf8.js";

/**
 * Id of the beginning-of-sequence token in every {@link BpeTokenizer} (fixed, whatever the vocabulary size).
 *
 * @example
 * chunkDocuments(docs, 4, { bos: BPE_BOS, eos: BPE_EOS, pad: BPE_PAD });
 */
export const BPE_BOS = 256;
/**
 * Id of the end-of-sequence token in every {@link BpeTokenizer}; appended to each document by {@link chunkDocuments}.
 *
 * @example
 * tok.decode([BPE_EOS]); // "<|eos|>"
 */
export const BPE_EOS = 257;
/**
 * Id of the padding token in every {@link BpeTokenizer}; fills documents up to a multiple of K.
 *
 * @example
 * tok.decode([BPE_PAD], { skipSpecial: true }); // ""
 */
export const BPE_PAD = 258;
/**
 * First id created by a merge (256 byte ids + 3 specials): merge i creates id `BPE_FIRST_MERGE + i`.
 *
 * @example
 * tok.numMerges === tok.vocabSize - BPE_FIRST_MERGE; // true
 */
export const BPE_FIRST_MERGE = 259;
/**
 * Largest vocabulary a {@link BpeTokenizer} supports: pair keys pack two ids as `left · 65536 + right`.
 *
 * @example
 * trainBpe(texts, { vocabSize: BPE_MAX_VOCAB });
 */
export const BPE_MAX_VOCAB = 65536;

const SPECIAL_NAMES: Record<number, string> = { [BPE_BOS]: "<|bos|>", [BPE_EOS]: "<|eos|>", [BPE_PAD]: "<|pad|>" };
const specialName = (id: number): string | undefined => (id >= BPE_BOS && id < BPE_FIRST_MERGE ? SPECIAL_NAMES[id] : undefined);
const CACHE_LIMIT = 100_000;
const LONG_PIECE = 64;

/**
 * A trained byte-level BPE (Sennrich et al. 2016; byte-level alphabet and pre-tokenisation as GPT-2,
 * Radford et al. 2019). Ids: 0–255 the bytes, 256 BOS, 257 EOS, 258 PAD, then one id per merge in the
 * order learned. Encoding a pre-token applies, repeatedly, the learned merge of lowest rank among its
 * adjacent pairs (all its occurrences, left to right) until none applies; results are cached per
 * pre-token. Lossless: `decode(encode(s)) === s` for every well-formed string; lone surrogates become
 * U+FFFD because UTF-8 cannot carry them (see {@link toWellFormed}).
 *
 * @example
 * const tok = trainBpe(loadSotu().map((d) => d.text), { vocabSize: 4096 });
 * tok.decode(tok.encode("We the people")) === "We the people"; // true
 */
export class BpeTokenizer implements Tokenizer {
  readonly name: string;
  readonly vocabSize: number;
  readonly bos = BPE_BOS;
  readonly eos = BPE_EOS;
  readonly pad = BPE_PAD;
  private readonly merges: Int32Array;
  private readonly ranks = new Map<number, number>();
  private readonly bytesOf: Uint8Array[];
  private readonly cache = new Map<string, number[]>();

  /**
   * @param merges - flat pairs: merge i joins `merges[2i]` and `merges[2i+1]` into id `259 + i`.
   * @throws RangeError if a merge refers to a special id or an id not yet created, or repeats a pair.
   */
  constructor(merges: Int32Array) {
    const fn = "BpeTokenizer";
    if (merges.length % 2 !== 0) throw new RangeError(`${fn}: merges has odd length ${merges.length}`);
    const m = merges.length / 2;
    if (BPE_FIRST_MERGE + m > BPE_MAX_VOCAB) {
      throw new RangeError(`${fn}: ${m} merges give vocabSize ${BPE_FIRST_MERGE + m}, above the maximum ${BPE_MAX_VOCAB}`);
    }
    this.merges = merges.slice();
    this.vocabSize = BPE_FIRST_MERGE + m;
    this.name = `bpe-${this.vocabSize}`;
    this.bytesOf = new Array<Uint8Array>(this.vocabSize);
    for (let b = 0; b < 256; b++) this.bytesOf[b] = Uint8Array.of(b);
    this.bytesOf[BPE_BOS] = this.bytesOf[BPE_EOS] = this.bytesOf[BPE_PAD] = new Uint8Array(0);
    for (let i = 0; i < m; i++) {
      const a = merges[2 * i];
      const b = merges[2 * i + 1];
      const id = BPE_FIRST_MERGE + i;
      for (const [side, v] of [["left", a], ["right", b]] as const) {
        if (!Number.isInteger(v) || v < 0 || v >= id || (v >= 256 && v < BPE_FIRST_MERGE)) {
          throw new RangeError(
            `${fn}: merges[${i}] ${side} id is ${v}, must be a byte (0-255) or an earlier merge id (259-${id - 1})`,
          );
        }
      }
      const key = a * BPE_MAX_VOCAB + b;
      if (this.ranks.has(key)) {
        throw new RangeError(`${fn}: merges[${i}] repeats the pair [${a}, ${b}] of merges[${this.ranks.get(key)}]`);
      }
      this.ranks.set(key, i);
      const left = this.bytesOf[a];
      const right = this.bytesOf[b];
      const bytes = new Uint8Array(left.length + right.length);
      bytes.set(left);
      bytes.set(right, left.length);
      this.bytesOf[id] = bytes;
    }
  }

  /** Number of learned merges (`vocabSize - 259`). */
  get numMerges(): number {
    return this.merges.length / 2;
  }

  /**
   * Encodes text to ids (no BOS/EOS added). The text is split by {@link GPT2_PATTERN}; each piece's UTF-8
   * bytes are merged by rank. Lone surrogates are encoded as U+FFFD.
   *
   * @param text - any string.
   * @returns ids in [0, vocabSize), never a special id.
   * @example
   * tok.encode("Hello"); // e.g. [72, 1050]
   */
  encode(text: string): number[] {
    const out: number[] = [];
    const re = new RegExp(GPT2_PATTERN);
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const piece = m[0];
      let ids = this.cache.get(piece);
      if (ids === undefined) {
        ids = this.encodePiece(utf8Bytes(piece));
        if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
        this.cache.set(piece, ids);
      }
      for (let i = 0; i < ids.length; i++) out.push(ids[i]);
    }
    return out;
  }

  /** BPE on one pre-token: lowest-rank adjacent pair first, all its occurrences left to right. */
  private encodePiece(bytes: Uint8Array): number[] {
    // The rescanning loop costs O(length x merges applied); beyond this length (minified code, base64,
    // long runs without spaces) the heap version's O(length log length) wins.
    if (bytes.length > LONG_PIECE) return this.encodeLongPiece(bytes);
    const sym: number[] = Array.from(bytes);
    const ranks = this.ranks;
    for (;;) {
      let best = -1;
      for (let i = 0; i + 1 < sym.length; i++) {
        const r = ranks.get(sym[i] * BPE_MAX_VOCAB + sym[i + 1]);
        if (r !== undefined && (best < 0 || r < best)) best = r;
      }
      if (best < 0) return sym;
      const a = this.merges[2 * best];
      const b = this.merges[2 * best + 1];
      mergePairInPlace(sym, a, b, BPE_FIRST_MERGE + best);
    }
  }

  /**
   * Same result as the rescanning loop, in O(n log n): a min-heap of (rank, position) over a linked list of
   * symbols. Popping the smallest (rank, position) merges the leftmost occurrence of the lowest-rank pair;
   * a merge only creates pairs holding the new id, whose ranks are larger, so ranks are processed in
   * order and each rank left to right, exactly as the loop does.
   */
  private encodeLongPiece(bytes: Uint8Array): number[] {
    const n = bytes.length;
    const sym = Int32Array.from(bytes);
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const alive = new Uint8Array(n).fill(1);
    const heap: number[] = [];
    const POS = 4294967296; // key = rank * 2^32 + position: ranks < 2^16 keep keys exact doubles
    const push = (key: number): void => {
      heap.push(key);
      let i = heap.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heap[p] <= key) break;
        heap[i] = heap[p];
        i = p;
      }
      heap[i] = key;
    };
    const pop = (): number => {
      const top = heap[0];
      const last = heap.pop() as number;
      const m = heap.length;
      if (m > 0) {
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          if (l >= m) break;
          const c = l + 1 < m && heap[l + 1] < heap[l] ? l + 1 : l;
          if (heap[c] >= last) break;
          heap[i] = heap[c];
          i = c;
        }
        heap[i] = last;
      }
      return top;
    };
    const pairRank = (i: number): number => {
      const j = next[i];
      if (j < 0) return -1;
      const r = this.ranks.get(sym[i] * BPE_MAX_VOCAB + sym[j]);
      return r === undefined ? -1 : r;
    };
    for (let i = 0; i + 1 < n; i++) {
      const r = pairRank(i);
      if (r >= 0) push(r * POS + i);
    }
    while (heap.length > 0) {
      const key = pop();
      const rank = Math.floor(key / POS);
      const i = key - rank * POS;
      if (!alive[i] || pairRank(i) !== rank) continue; // stale entry
      const j = next[i];
      sym[i] = BPE_FIRST_MERGE + rank;
      alive[j] = 0;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      if (prev[i] >= 0) {
        const r = pairRank(prev[i]);
        if (r >= 0) push(r * POS + prev[i]);
      }
      const r = pairRank(i);
      if (r >= 0) push(r * POS + i);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]) out.push(sym[i]);
    return out;
  }

  /**
   * Decodes ids to text: the bytes of all ids are concatenated and decoded as UTF-8 (malformed runs, which
   * only arise from id sequences `encode` never produces, become U+FFFD). Specials render as `<|bos|>`,
   * `<|eos|>`, `<|pad|>` unless `skipSpecial`.
   *
   * @param ids - token ids.
   * @param options - `skipSpecial`.
   * @returns the text.
   * @throws RangeError naming the position and value of an id outside [0, vocabSize).
   * @example
   * tok.decode(tok.encode("Call me Ishmael.")); // "Call me Ishmael."
   */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    return decodeIds("BpeTokenizer.decode", ids, this.vocabSize, this.bytesOf, specialName, options.skipSpecial === true);
  }

  /**
   * The UTF-8 bytes id `id` stands for (empty for specials): lets callers show tokens or build a byte-level view.
   *
   * @param id - an id in [0, vocabSize).
   * @returns a copy of its bytes.
   * @throws RangeError for an id outside the vocabulary.
   * @example
   * tok.tokenBytes(104); // Uint8Array [104] ("h")
   */
  tokenBytes(id: number): Uint8Array {
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
      throw new RangeError(`BpeTokenizer.tokenBytes: id is ${id}, must be an integer in [0, ${this.vocabSize})`);
    }
    return this.bytesOf[id].slice();
  }

  /**
   * The JSON form ({@link BpeJson}, format `"calm-bpe"` version 1).
   *
   * @returns a plain object; `JSON.stringify` it to save.
   * @example
   * const again = BpeTokenizer.fromJSON(JSON.stringify(tok.toJSON()));
   */
  toJSON(): BpeJson {
    const merges: Array<readonly [number, number]> = [];
    for (let i = 0; i < this.merges.length; i += 2) merges.push([this.merges[i], this.merges[i + 1]]);
    return {
      format: "calm-bpe",
      version: 1,
      pretokenizer: "gpt2",
      vocabSize: this.vocabSize,
      specialTokens: { bos: BPE_BOS, eos: BPE_EOS, pad: BPE_PAD },
      merges,
    };
  }

  /**
   * Rebuilds a tokenizer from its JSON form (a string or the parsed object), validating everything.
   *
   * @param json - the output of {@link BpeTokenizer.toJSON}, as object or JSON text.
   * @returns the tokenizer; it encodes and decodes exactly as the saved one.
   * @throws Error for text that is not JSON, a wrong `format`, an unsupported `version`, a `vocabSize`
   *   that does not match the merges, wrong special ids, or a malformed merge (the message names it).
   * @example
   * const tok = BpeTokenizer.fromJSON(readFileSync("bpe.json", "utf8"));
   */
  static fromJSON(json: unknown): BpeTokenizer {
    const fn = "BpeTokenizer.fromJSON";
    let obj: unknown = json;
    if (typeof json === "string") {
      try {
        obj = JSON.parse(json);
      } catch (e) {
        throw new Error(`${fn}: input is not valid JSON (${(e as Error).message})`);
      }
    }
    if (typeof obj !== "object" || obj === null || Array.isArray(obj)) throw new Error(`${fn}: expected a JSON object, got ${describe(obj)}`);
    const o = obj as Record<string, unknown>;
    if (o.format !== "calm-bpe") throw new Error(`${fn}: format is ${describe(o.format)}, expected "calm-bpe"`);
    if (o.version !== 1) throw new Error(`${fn}: version is ${describe(o.version)}, this build reads version 1`);
    if (o.pretokenizer !== "gpt2") throw new Error(`${fn}: pretokenizer is ${describe(o.pretokenizer)}, expected "gpt2"`);
    const sp = o.specialTokens as Record<string, unknown> | undefined;
    if (typeof sp !== "object" || sp === null || sp.bos !== BPE_BOS || sp.eos !== BPE_EOS || sp.pad !== BPE_PAD) {
      throw new Error(`${fn}: specialTokens is ${describe(sp)}, expected {"bos":256,"eos":257,"pad":258}`);
    }
    if (!Array.isArray(o.merges)) throw new Error(`${fn}: merges is ${describe(o.merges)}, expected an array of [left, right] id pairs`);
    const flat = new Int32Array(o.merges.length * 2);
    o.merges.forEach((p: unknown, i: number) => {
      if (!Array.isArray(p) || p.length !== 2 || !isId(p[0]) || !isId(p[1])) {
        throw new Error(`${fn}: merges[${i}] is ${describe(p)}, expected [left, right] integer ids in [0, 65536)`);
      }
      flat[2 * i] = p[0] as number;
      flat[2 * i + 1] = p[1] as number;
    });
    if (o.vocabSize !== BPE_FIRST_MERGE + o.merges.length) {
      throw new Error(`${fn}: vocabSize is ${describe(o.vocabSize)}, but 259 + ${o.merges.length} merges = ${BPE_FIRST_MERGE + o.merges.length}`);
    }
    try {
      return new BpeTokenizer(flat);
    } catch (e) {
      throw new Error(`${fn}: ${(e as Error).message}`);
    }
  }
}

function isId(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) < BPE_MAX_VOCAB;
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
