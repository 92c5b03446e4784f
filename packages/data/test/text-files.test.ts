// SPDX-License-Identifier: MIT
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadTextFiles } from "../src/index.js";

const fixtures = fileURLToPath(new URL("./fixtures", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "calm-data-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("loadTextFiles", () => {
  it("loads the fixture folder recursively, sorted by relative path with / separators", () => {
    const docs = loadTextFiles(fixtures);
    expect(docs.map((d) => d.id)).toEqual([
      "SOURCES.md",
      "moby-dick/chapter_1.txt",
      "moby-dick/chapter_2.txt",
      "moby-dick/epilogue.txt",
      "moby-dick/etymology.txt",
      "sotu/1790_george_washington_n.txt",
      "sotu/1823_james_monroe_dr.txt",
      "sotu/1862_abraham_lincoln_r.txt",
      "sotu/1941_franklin_d_roosevelt_d.txt",
      "sotu/1961_john_f_kennedy_d.txt",
      "sotu/2009_barack_obama_d.txt",
    ]);
    const ch1 = docs.find((d) => d.id === "moby-dick/chapter_1.txt");
    expect(ch1?.title).toBe("chapter_1");
    expect(ch1?.text.startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael.")).toBe(true);
  });

  it("honours extensions and recursive: false; a single file is read whatever its extension", () => {
    expect(loadTextFiles(fixtures, { extensions: [".md"] }).map((d) => d.id)).toEqual(["SOURCES.md"]);
    expect(loadTextFiles(fixtures, { recursive: false }).map((d) => d.id)).toEqual(["SOURCES.md"]);
    const one = loadTextFiles(join(fixtures, "sotu", "1790_george_washington_n.txt"));
    expect(one.length).toBe(1);
    expect(one[0].id).toBe("1790_george_washington_n.txt");
    writeFileSync(join(tmp, "data.csv"), "a,b\n");
    expect(loadTextFiles(join(tmp, "data.csv"))[0].text).toBe("a,b\n");
  });

  it("skips hidden entries, drops a BOM, keeps everything else byte-exact", () => {
    const dir = join(tmp, "bom");
    mkdirSync(join(dir, ".git"), { recursive: true });
    writeFileSync(join(dir, ".git", "x.txt"), "hidden");
    writeFileSync(join(dir, ".hidden.txt"), "hidden");
    writeFileSync(join(dir, "a.TXT"), "\ufeffcafé\r\n—\n");
    const docs = loadTextFiles(dir);
    expect(docs.map((d) => d.id)).toEqual(["a.TXT"]);
    expect(docs[0].text).toBe("café\r\n—\n");
  });

  it("follows symbolic links but enters each real folder once (a link cycle terminates)", () => {
    const dir = join(tmp, "links");
    mkdirSync(join(dir, "sub"), { recursive: true });
    writeFileSync(join(dir, "sub", "a.txt"), "A");
    symlinkSync(dir, join(dir, "sub", "loop")); // sub/loop -> the root again
    expect(loadTextFiles(dir).map((d) => d.id)).toEqual(["sub/a.txt"]);
    symlinkSync(join(dir, "nowhere.txt"), join(dir, "broken.txt"));
    expect(() => loadTextFiles(dir)).toThrow(/loadTextFiles: cannot read ".*broken\.txt" \(a broken symbolic link\?\)/);
  });

  it("errors name the function and the path for a missing path and for non-UTF-8 files", () => {
    expect(() => loadTextFiles(join(tmp, "nope"))).toThrow(/loadTextFiles: path ".*nope" does not exist/);
    const dir = join(tmp, "latin1");
    mkdirSync(dir);
    writeFileSync(join(dir, "ok.txt"), "fine");
    writeFileSync(join(dir, "bad.txt"), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x21])); // "café!" in Latin-1
    expect(() => loadTextFiles(dir)).toThrow(/loadTextFiles: .*bad\.txt is not valid UTF-8 \(first invalid byte at offset 3\)/);
    writeFileSync(join(dir, "bad.txt"), Buffer.from([0x61, 0xed, 0xa0, 0x80])); // UTF-8-encoded surrogate: invalid
    expect(() => loadTextFiles(dir)).toThrow("first invalid byte at offset 1");
    expect(() => loadTextFiles(dir, { extensions: ["txt"] })).toThrow('extension "txt" must start with "."');
  });
});
