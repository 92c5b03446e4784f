// SPDX-License-Identifier: MIT
// Run from the repository root: node_modules/.bin/tsx --conditions=@calm/source packages/data/examples/quickstart.ts
import {
  batches,
  chunkDocuments,
  concatDocuments,
  contiguousBlocks,
  loadMobyDick,
  loadSotu,
  splitDocuments,
  trainBpe,
} from "@calm/data";
import { gpt2Tokenizer } from "@calm/data/gpt";

// 1. Corpus and a deterministic document-level split (by a hash of each speech's id).
const { train, validation, test } = splitDocuments(loadSotu());
console.log(`SOTU: ${train.length} train / ${validation.length} validation / ${test.length} test speeches`);

// 2. A 4,096-id byte-level BPE trained on the training split only.
const tok = trainBpe(
  train.map((d) => d.text),
  { vocabSize: 4096 },
);
const ids = tok.encode("Call me Ishmael.");
console.log(ids, JSON.stringify(tok.decode(ids)));

// 3. Autoencoder data as the reference lays it out (CALM reference section 2.6): per document BOS, ids, EOS,
//    then PAD to a multiple of K = 4, so no chunk straddles two documents.
const trainIds = train.map((d) => tok.encode(d.text));
const aeIds = chunkDocuments(trainIds, 4, { bos: tok.bos, eos: tok.eos, pad: tok.pad });
console.log(`autoencoder: ${aeIds.length / 4} chunks of K = 4 tokens`);

// 4. Language-model data: BOS per document, concatenated, cut into 256-token blocks (section 3.4).
const blocks = contiguousBlocks(concatDocuments(trainIds, { bos: tok.bos }), 256);
const batcher = batches(blocks, 8, { seed: 1234 });
const first = batcher.next();
const saved = batcher.state(); // goes into the training checkpoint
console.log(`LM: ${blocks.length} blocks of 256; batch of ${first.length}; resume at cursor ${saved.cursor}`);

// 5. Out-of-domain text, and GPT-2's vocabulary behind the same interface.
const moby = loadMobyDick();
const gpt2 = gpt2Tokenizer();
const ch1 = moby[2].text;
console.log(`Moby-Dick ch. 1: ${tok.encode(ch1).length} BPE-4096 tokens, ${gpt2.encode(ch1).length} GPT-2 tokens`);
