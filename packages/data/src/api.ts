// SPDX-License-Identifier: MIT
// Public types of @calm/data. Token ids are plain numbers (no tensor dependency).

/**
 * One document of a corpus: the unit the train/validation/test split works on and the unit the
 * autoencoder's chunking pads (reference section 2.6: EOS then PAD to a multiple of K, per document).
 *
 * @example
 * const doc: CorpusDocument = { id: "2009_barack_obama_d", title: "2009 State of the Union, Barack Obama", text: "Madam Speaker, ..." };
 */
export interface CorpusDocument {
  /** Stable identifier, unique within its corpus (a file name without extension, or a relative path). The split hashes it. */
  readonly id: string;
  /** Human-readable title. */
  readonly title: string;
  /** The full text, as UTF-8 decoded from the source. */
  readonly text: string;
  /** Optional source metadata (e.g. `year`, `party` for State of the Union addresses). */
  readonly meta?: Readonly<Record<string, string | number>>;
}

/**
 * A document-level train/validation/test partition: every input document lands in exactly one part,
 * in input order.
 *
 * @example
 * const { train, validation, test }: DocumentSplit = splitDocuments(loadSotu());
 */
export interface DocumentSplit {
  readonly train: CorpusDocument[];
  readonly validation: CorpusDocument[];
  readonly test: CorpusDocument[];
}

/**
 * Options of {@link decode}-style functions.
 *
 * @example
 * tokenizer.decode(ids, { skipSpecial: true });
 */
export interface DecodeOptions {
  /** Drop BOS/EOS/PAD instead of rendering them as `<|bos|>`, `<|eos|>`, `<|pad|>`. Default `false`. */
  readonly skipSpecial?: boolean;
}

/**
 * What every tokenizer of the project offers: text to ids and back, plus the fixed special ids the
 * chunking needs (reference section 2.6 uses BOS, EOS and an added PAD id).
 *
 * Round trip: `decode(encode(s)) === s` for every well-formed string `s` (no lone UTF-16 surrogates).
 * Text is always plain text: a literal `"<|eos|>"` inside `s` is encoded as ordinary bytes, never as the special id.
 *
 * @example
 * const ids = tokenizer.encode("Call me Ishmael.");
 * tokenizer.decode(ids) === "Call me Ishmael."; // true
 */
export interface Tokenizer {
  /** Short name of the vocabulary (e.g. `"bpe-4096"`, `"gpt2"`). */
  readonly name: string;
  /** Number of ids, specials included; every id is in `[0, vocabSize)`. */
  readonly vocabSize: number;
  /** Beginning-of-sequence id. */
  readonly bos: number;
  /** End-of-sequence id. */
  readonly eos: number;
  /** Padding id. */
  readonly pad: number;
  /** Encodes text to ids (no BOS/EOS added). Lone surrogates are replaced by U+FFFD, as UTF-8 requires. */
  encode(text: string): number[];
  /** Decodes ids to text; throws on an id outside the vocabulary. Invalid UTF-8 byte runs become U+FFFD. */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
}

/**
 * Options of {@link trainBpe}.
 *
 * @example
 * const opts: TrainBpeOptions = { vocabSize: 4096 };
 */
export interface TrainBpeOptions {
  /** Total number of ids: 256 bytes + 3 specials + merges. Integer in [259, 65536]. */
  readonly vocabSize: number;
}

/**
 * The JSON form of a trained byte-level BPE (format `"calm-bpe"`, version 1).
 * Ids 0..255 are the bytes, 256/257/258 are BOS/EOS/PAD, and merge `i` creates id `259 + i`
 * from the ids `merges[i][0]` and `merges[i][1]` (both smaller than `259 + i`).
 *
 * @example
 * const json: BpeJson = { format: "calm-bpe", version: 1, pretokenizer: "gpt2", vocabSize: 260, specialTokens: { bos: 256, eos: 257, pad: 258 }, merges: [[32, 116]] };
 */
export interface BpeJson {
  readonly format: "calm-bpe";
  readonly version: 1;
  readonly pretokenizer: "gpt2";
  readonly vocabSize: number;
  readonly specialTokens: { readonly bos: 256; readonly eos: 257; readonly pad: 258 };
  readonly merges: ReadonlyArray<readonly [number, number]>;
}

/**
 * Saved state of a {@link Prng} (xoshiro128**): four unsigned 32-bit words, not all zero.
 *
 * @example
 * const s: PrngState = createPrng(1).state();
 */
export type PrngState = readonly [number, number, number, number];

/**
 * A small seeded pseudo-random generator whose state can be saved and restored exactly.
 *
 * @example
 * const rng = createPrng(42);
 * const saved = rng.state();
 * const a = rng.nextUint32();
 * prngFromState(saved).nextUint32() === a; // true
 */
export interface Prng {
  /** Next unsigned 32-bit integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, n), exactly uniform (rejection sampling); n integer in [1, 2^32]. */
  nextInt(n: number): number;
  /** A copy of the current state. */
  state(): PrngState;
}

/**
 * Saved state of a {@link Batcher}: restoring it continues the exact same batch sequence.
 *
 * @example
 * const saved: BatcherState = batcher.state();
 */
export interface BatcherState {
  readonly version: 1;
  /** Number of items the batcher was built over (checked on restore). */
  readonly numItems: number;
  readonly batchSize: number;
  readonly dropLast: boolean;
  readonly shuffle: boolean;
  /** Completed epochs. */
  readonly epoch: number;
  /** Position of the next item within the current epoch's permutation. */
  readonly cursor: number;
  /** PRNG state at the start of the current epoch (its permutation is regenerated from it). */
  readonly epochStart: PrngState;
}

/**
 * Options of {@link batches}.
 *
 * @example
 * batches(items, 8, { seed: 1, dropLast: true });
 */
export interface BatchOptions {
  /** Seed of the shuffle (any integer; reduced to 32 bits). */
  readonly seed: number;
  /** Drop the last, short batch of an epoch. Default `false`. */
  readonly dropLast?: boolean;
  /** Shuffle every epoch. Default `true`; `false` keeps the items in order every epoch. */
  readonly shuffle?: boolean;
  /** Continue from a saved {@link BatcherState} instead of starting at epoch 0. */
  readonly state?: BatcherState;
}

/**
 * Options of {@link chunkDocuments}.
 *
 * @example
 * const opts: ChunkOptions = { eos: 257, pad: 258 };
 */
export interface ChunkOptions {
  /** Appended to every document (reference: Llama-3 `<|end_of_text|>`). */
  readonly eos: number;
  /** Fills each document up to a multiple of K (reference: the added `[PAD]`). */
  readonly pad: number;
  /** Prepended to every document when given. The reference's Llama-3 tokenizer adds `<|begin_of_text|>`, so pass it to match the reference. */
  readonly bos?: number;
}

/**
 * Options of {@link concatDocuments}.
 *
 * @example
 * const opts: ConcatOptions = { bos: 256 };
 */
export interface ConcatOptions {
  /** Prepended to every document (the reference LM data: BOS at each document start). */
  readonly bos?: number;
  /** Appended to every document (not used by the reference LM pipeline; offered for baselines). */
  readonly eos?: number;
}

/**
 * Options of the bundled corpus loaders.
 *
 * @example
 * loadSotu({ dataDir: "./vendor/sotu/data" });
 */
export interface CorpusOptions {
  /** Folder holding the package's `data/` files; default: resolved from the installed npm package. */
  readonly dataDir?: string;
}

/**
 * Options of {@link splitDocuments}.
 *
 * @example
 * const opts: SplitOptions = { validation: 0.05, test: 0.05 };
 */
export interface SplitOptions {
  /** Expected fraction of documents in the validation part, in [0, 1]. Default 0.05. */
  readonly validation?: number;
  /** Expected fraction of documents in the test part, in [0, 1]. Default 0.05. */
  readonly test?: number;
  /** Mixed into the hash (as `salt + "\u0000" + id`) to draw a different, still deterministic split. Default `""` (no salt). */
  readonly salt?: string;
}

/**
 * Options of {@link loadTextFiles}.
 *
 * @example
 * const opts: TextFilesOptions = { extensions: [".txt"], recursive: false };
 */
export interface TextFilesOptions {
  /** File extensions to take from folders (case-insensitive, with the dot). Default `[".txt", ".md"]`. */
  readonly extensions?: readonly string[];
  /** Descend into sub-folders. Default `true`. */
  readonly recursive?: boolean;
}
