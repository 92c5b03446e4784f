// SPDX-License-Identifier: MIT
import { readdirSync, realpathSync, statSync } from "node:fs";
import { basename, extname, join, relative, sep } from "node:path";
import type { CorpusDocument, TextFilesOptions } from "./api.js";
import { readUtf8File } from "./read-utf8.js";

/**
 * Loads a user's own text: a single file, or every file with a matching extension in a folder
 * (recursively by default). Each file is one document: `id` is its path relative to the folder with `/`
 * separators (for a single file, its base name), `title` is the base name without extension, `text`
 * the strict-UTF-8 content (a leading BOM is dropped). Documents are sorted by `id` in UTF-16 code-unit
 * order, so the result is the same on every machine. Hidden entries (name starting with `.`) and
 * `node_modules` are skipped; symbolic links are followed, each real folder at most once (no cycles).
 * A single file given directly is read whatever its extension.
 *
 * @param path - a file or folder.
 * @param options - `extensions` and `recursive`.
 * @returns the documents (an empty folder gives an empty array).
 * @throws Error if `path` does not exist, is neither file nor folder, or a file is not valid UTF-8.
 * @example
 * const docs = loadTextFiles("./my-notes");
 * const { train, validation } = splitDocuments(docs);
 */
export function loadTextFiles(path: string, options: TextFilesOptions = {}): CorpusDocument[] {
  const extensions = (options.extensions ?? [".txt", ".md"]).map((e) => e.toLowerCase());
  for (const e of extensions) {
    if (!e.startsWith(".")) throw new RangeError(`loadTextFiles: extension ${JSON.stringify(e)} must start with "."`);
  }
  const recursive = options.recursive ?? true;
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new Error(`loadTextFiles: path ${JSON.stringify(path)} does not exist (or cannot be read)`);
  }
  if (st.isFile()) {
    const name = basename(path);
    return [{ id: name, title: stripExt(name), text: readUtf8File(path, "loadTextFiles") }];
  }
  if (!st.isDirectory()) throw new Error(`loadTextFiles: path ${JSON.stringify(path)} is neither a file nor a folder`);
  const files: string[] = [];
  // Real paths of the folders entered: a symbolic link back up the tree must not loop forever.
  const visited = new Set<string>([realpathSync(path)]);
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name.startsWith(".") || name === "node_modules") continue;
      const full = join(dir, name);
      let s;
      try {
        s = statSync(full);
      } catch {
        throw new Error(`loadTextFiles: cannot read ${JSON.stringify(full)} (a broken symbolic link?)`);
      }
      if (s.isDirectory()) {
        if (!recursive) continue;
        const real = realpathSync(full);
        if (visited.has(real)) continue;
        visited.add(real);
        walk(full);
      } else if (s.isFile() && extensions.includes(extname(name).toLowerCase())) {
        files.push(full);
      }
    }
  };
  walk(path);
  const docs = files.map((full) => {
    const id = relative(path, full).split(sep).join("/");
    return { id, title: stripExt(basename(full)), text: readUtf8File(full, "loadTextFiles") };
  });
  docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return docs;
}

function stripExt(name: string): string {
  const e = extname(name);
  return e === "" ? name : name.slice(0, -e.length);
}
