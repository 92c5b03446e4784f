// SPDX-License-Identifier: MIT
// The one test that reads the full corpora (about 12 MB from node_modules, well under a second).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadMobyDick, loadSotu, splitDocuments } from "../src/index.js";

const tmp = mkdtempSync(join(tmpdir(), "calm-corpora-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("bundled corpora", () => {
  it("State of the Union: 233 addresses 1790-2021, sorted, with metadata", () => {
    const docs = loadSotu();
    expect(docs.length).toBe(233);
    expect(docs[0].id).toBe("1790_george_washington_n");
    expect(docs[0].title).toBe("1790 State of the Union, George Washington");
    expect(docs[232].id).toBe("2021_joseph_r_biden_d");
    expect(docs[232].meta).toEqual({ year: 2021, name: "Joseph R Biden", party: "Democratic" });
    expect(new Set(docs.map((d) => d.id)).size).toBe(233);
    const chars = docs.reduce((s, d) => s + d.text.length, 0);
    expect(chars).toBeGreaterThan(10_000_000);
    expect(docs.every((d) => d.text.length > 1000 && !d.text.endsWith("\n"))).toBe(true);
  });

  it("the default split of SOTU is pinned (same on every machine)", () => {
    const { train, validation, test } = splitDocuments(loadSotu());
    expect([train.length, validation.length, test.length]).toEqual([205, 18, 10]);
    expect(test.map((d) => d.id)).toMatchInlineSnapshot(`
      [
        "1865_andrew_johnson_nu",
        "1900_william_mc_kinley_r",
        "1907_theodore_roosevelt_r",
        "1914_woodrow_wilson_d",
        "1915_woodrow_wilson_d",
        "1936_franklin_d_roosevelt_d",
        "1941_franklin_d_roosevelt_d",
        "1946_harry_s_truman_d",
        "1953_dwight_d_eisenhower_r",
        "1977_gerald_r_ford_r",
      ]
    `);
  });

  it("Moby-Dick: 138 documents in book order (etymology, extracts, 135 chapters, epilogue)", () => {
    const docs = loadMobyDick();
    expect(docs.length).toBe(138);
    expect(docs.map((d) => d.id).slice(0, 3)).toEqual(["etymology", "extracts", "chapter_1"]);
    expect(docs[137].id).toBe("epilogue");
    expect(docs[2].title).toBe("Loomings.");
    expect(docs[2].meta).toEqual({ chapter: 1 });
    expect(docs[136].id).toBe("chapter_135");
    expect(docs[2].text.startsWith("CHAPTER 1. Loomings.\n\nCall me Ishmael.")).toBe(true);
  });

  it("a wrong dataDir is a clear error", () => {
    expect(() => loadSotu({ dataDir: "/definitely/not/here" })).toThrow('loadSotu: data folder "/definitely/not/here" does not exist');
    expect(() => loadMobyDick({ dataDir: "/definitely/not/here" })).toThrow("loadMobyDick: data folder");
  });

  it("reads a dataDir of the same layout, and names malformed or missing files", () => {
    const sotu = join(tmp, "sotu");
    mkdirSync(sotu);
    writeFileSync(join(sotu, "1800_john_adams_f.json"), JSON.stringify({ year: 1800, name: "John Adams", party: "Federalist", text: "Gentlemen" }));
    writeFileSync(join(sotu, "1800_john_adams_f.txt"), "ignored: the JSON is read");
    writeFileSync(join(sotu, "README.json"), "{}"); // not an address file name
    expect(loadSotu({ dataDir: sotu })).toEqual([
      { id: "1800_john_adams_f", title: "1800 State of the Union, John Adams", text: "Gentlemen", meta: { year: 1800, name: "John Adams", party: "Federalist" } },
    ]);
    writeFileSync(join(sotu, "1801_thomas_jefferson_d.json"), '{"year": 1801, "te');
    expect(() => loadSotu({ dataDir: sotu })).toThrow("loadSotu: 1801_thomas_jefferson_d.json is not valid JSON");
    const moby = join(tmp, "moby");
    mkdirSync(moby);
    for (const f of ["etymology", "extracts", "chapter_1", "chapter_2"]) writeFileSync(join(moby, `${f}.txt`), `CHAPTER 9. T.\n\n${f}\n`);
    expect(() => loadMobyDick({ dataDir: moby })).toThrow("loadMobyDick: epilogue.txt is missing");
    writeFileSync(join(moby, "epilogue.txt"), "Epilogue\n\nend\n");
    expect(loadMobyDick({ dataDir: moby }).map((d) => [d.id, d.title, d.text.endsWith("\n")])).toEqual([
      ["etymology", "T.", false],
      ["extracts", "T.", false],
      ["chapter_1", "T.", false],
      ["chapter_2", "T.", false],
      ["epilogue", "Epilogue", false],
    ]);
  });
});
