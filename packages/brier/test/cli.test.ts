// SPDX-License-Identifier: MIT
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli-main.js";
import { createRandom, fitKneserNey } from "../src/index.js";
import { startNgramServer } from "./ngram-server.js";

const dir = mkdtempSync(join(tmpdir(), "calm-brier-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const words = "the cat sat on a mat and the dog ran to the park".split(" ");
const random = createRandom(1);
const text = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(" ");
const train = join(dir, "train.txt");
const book = join(dir, "book.txt");
writeFileSync(train, text(3000));
writeFileSync(book, text(60));

async function run(args: string[], tty = false) {
  let out = "";
  let err = "";
  const code = await runCli(args, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), isTTY: tty } });
  return { code, out, err };
}

describe("calm-brier", () => {
  it("scores a text file with a byte-level n-gram model and prints Brier-1..4 and BrierLM", async () => {
    const { code, out } = await run([book, "--ngram", train]);
    expect(code).toBe(0);
    expect(out).toMatch(/mode probs/);
    for (let n = 1; n <= 4; n++) expect(out).toMatch(new RegExp(`Brier-${n} +-?\\d\\.\\d{4} ± \\d\\.\\d{4}`));
    expect(out).toMatch(/BrierLM +\d+\.\d\d ± \d+\.\d\d/);
  });

  it("--json gives a machine-readable result; a progress line goes to a terminal's stderr", async () => {
    const { code, out, err } = await run([book, "--ngram", train, "--json", "--mode", "sample", "--max-n", "2", "--stride", "3"], true);
    expect(code).toBe(0);
    const r = JSON.parse(out);
    expect(r).toMatchObject({ complete: true, mode: "sample", maxN: 2 });
    expect(r.brierN).toHaveLength(2);
    expect(typeof r.brierLM).toBe("number");
    expect(err).toMatch(/\r\[#+\] 100% \d+\/\d+ positions/);
  });

  it("loads a model from a module path (and its tokenize)", async () => {
    const { code, out } = await run([book, "--module", join(import.meta.dirname, "fixtures", "byte-model.mjs"), "--limit", "40"]);
    expect(code).toBe(0);
    expect(out).toMatch(/40 positions, mode probs/);
  });

  it("reads token ids with --tokens", async () => {
    const ids = join(dir, "ids.txt");
    writeFileSync(ids, "0 1 2 0 1 2 0 1 2 0 1");
    const { code, out } = await run([ids, "--tokens", "--module", join(import.meta.dirname, "fixtures", "byte-model.mjs"), "--mode", "exact", "--max-n", "2"]);
    expect(code).toBe(0);
    expect(out).toMatch(/11 tokens, 9 positions, mode exact/);
  });

  it("scores through a server, and on failure prints the partial result, saves a checkpoint and resumes from it", async () => {
    const lm = fitKneserNey(Array.from(Buffer.from(readFileSync(train, "utf8"))), { order: 3, vocabSize: 256 });
    const server = await startNgramServer(lm);
    try {
      const ok = await run([book, "--server", server.baseURL, "--limit", "30", "--json"]);
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.out)).toMatchObject({ complete: true, mode: "sample", positions: 30 });

      const checkpoint = join(dir, "ckpt.json");
      server.behaviour.failAfter = 13; // one /tokenize request, then 12 positions
      const failed = await run([book, "--server", server.baseURL, "--limit", "30", "--retries", "0", "--concurrency", "1", "--checkpoint", checkpoint]);
      expect(failed.code).toBe(1);
      expect(failed.err).toMatch(/calm-brier: brierLM: position \d+ .*HTTP 500/);
      expect(failed.err).toMatch(/partial result saved to/);
      expect(failed.out).toMatch(/Partial result over the \d+ positions scored before the failure/);
      expect(existsSync(checkpoint)).toBe(true);

      expect(failed.out).toMatch(/Partial result over the 12 positions/);
      server.behaviour.failAfter = undefined;
      const resumed = await run([book, "--server", server.baseURL, "--limit", "30", "--json", "--checkpoint", checkpoint]);
      expect(resumed.code).toBe(0);
      expect(resumed.err).toMatch(/resuming from .* \(\d+ positions already scored\)/);
      expect(JSON.parse(resumed.out).brierN).toEqual(JSON.parse(ok.out).brierN);
      expect(existsSync(checkpoint)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("usage errors exit with 2 and say what was wrong", async () => {
    expect((await run([book])).err).toMatch(/give exactly one of --server, --module, --ngram/);
    expect((await run([book, "--ngram", train, "--max-n", "0"])).err).toMatch(/--max-n is "0", must be an integer >= 1/);
    expect((await run([book, "--bogus"])).code).toBe(2);
    expect(await run([book, "--ngram", train, "--mode", "fast"])).toMatchObject({ code: 2, err: expect.stringMatching(/--mode is "fast"/) });
    expect((await run(["--help"])).out).toMatch(/Usage: calm-brier/);
  });
});
