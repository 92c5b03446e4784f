// SPDX-License-Identifier: MIT
import type { CorpusDocument, DocumentSplit, SplitOptions } from "./api.js";
import { stableHash32 } from "./hash.js";

/**
 * Deterministic document-level split. Rule: `u = stableHash32(id) / 2^32` (FNV-1a of the id's UTF-8
 * bytes, then the murmur3 finaliser); the document goes to **test** if `u < test`, to **validation** if
 * `test <= u < test + validation`, otherwise to **train**. A document's part depends only on its id,
 * so the split is the same on every machine, does not depend on input order, and adding documents
 * never moves existing ones. Part sizes are binomial around the fractions, not exact.
 * Whole documents are assigned, so no document straddles parts (data-and-tokenizers note, section 1.1).
 *
 * @param docs - documents with unique ids.
 * @param options - `validation` and `test` fractions (defaults 0.05 each), optional `salt`.
 * @returns the three parts, each in input order.
 * @throws RangeError for fractions outside [0, 1] or summing above 1; Error for a duplicate id.
 * @example
 * const { train, validation, test } = splitDocuments(loadSotu());
 */
export function splitDocuments(docs: readonly CorpusDocument[], options: SplitOptions = {}): DocumentSplit {
  const val = options.validation ?? 0.05;
  const tst = options.test ?? 0.05;
  for (const [name, v] of [["validation", val], ["test", tst]] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`splitDocuments: options.${name} is ${v}, must be in [0, 1]`);
  }
  if (val + tst > 1) throw new RangeError(`splitDocuments: options.validation + options.test is ${val + tst}, must be at most 1`);
  const salt = options.salt ?? "";
  const seen = new Set<string>();
  const train: CorpusDocument[] = [];
  const validation: CorpusDocument[] = [];
  const test: CorpusDocument[] = [];
  for (const doc of docs) {
    if (seen.has(doc.id)) throw new Error(`splitDocuments: duplicate document id ${JSON.stringify(doc.id)}`);
    seen.add(doc.id);
    const u = stableHash32(salt === "" ? doc.id : `${salt}\u0000${doc.id}`) / 4294967296;
    if (u < tst) test.push(doc);
    else if (u < tst + val) validation.push(doc);
    else train.push(doc);
  }
  return { train, validation, test };
}
