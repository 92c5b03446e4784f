// SPDX-License-Identifier: MIT
export type {
  BatcherState,
  BatchOptions,
  BpeJson,
  ChunkOptions,
  ConcatOptions,
  CorpusDocument,
  CorpusOptions,
  DecodeOptions,
  DocumentSplit,
  Prng,
  PrngState,
  SplitOptions,
  TextFilesOptions,
  Tokenizer,
  TrainBpeOptions,
} from "./api.js";
export { Batcher, batches } from "./batcher.js";
export { loadBpe, saveBpe } from "./bpe-file.js";
export { BPE_BOS, BPE_EOS, BPE_FIRST_MERGE, BPE_MAX_VOCAB, BPE_PAD, BpeTokenizer } from "./bpe-tokenizer.js";
export { trainBpe } from "./bpe-train.js";
export { chunkDocuments, concatDocuments, contiguousBlocks } from "./chunking.js";
export { loadMobyDick, loadSotu } from "./corpora.js";
export { fmix32, fnv1a32, stableHash32 } from "./hash.js";
export { createPrng, prngFromState, shuffleInPlace } from "./prng.js";
export { GPT2_PATTERN, pretokenize } from "./pretokenize.js";
export { splitDocuments } from "./split.js";
export { loadTextFiles } from "./text-files.js";
export { toWellFormed, utf8Bytes, utf8Text } from "./utf8.js";
