// SPDX-License-Identifier: MIT
// The README's "Scoring your own LM in ten lines" blocks run as written. Two substitutions only: the package
// name resolves to this package's sources, and the server URL to a loopback server started here.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { fitKneserNey } from "../src/index.js";
import { startNgramServer } from "./ngram-server.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const from = readme.indexOf("## Scoring your own LM in ten lines");
const section = readme.slice(from, readme.indexOf("\n## ", from + 1));
const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const source = JSON.stringify(fileURLToPath(new URL("../src/index.ts", import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), "calm-brier-readme-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(code: string, name: string): Promise<unknown[][]> {
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, code.replaceAll('"@calm/brier"', source));
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    await import(pathToFileURL(file).href);
    return log.mock.calls;
  } finally {
    log.mockRestore();
  }
}

describe("README: scoring your own LM in ten lines", () => {
  it("has three blocks (sampler-only, probability model, server) of at most ten code lines", () => {
    expect(blocks).toHaveLength(3);
    for (const b of blocks) expect(b.split("\n").filter((l) => l.trim() !== "").length).toBeLessThanOrEqual(10);
  });

  it("the sampler-only block runs and prints Brier-1..4 and a BrierLM", async () => {
    const [[brierN, bLM]] = (await run(blocks[0]!, "sampler")) as [number[], number][];
    expect(brierN).toHaveLength(4);
    expect(bLM).toBeGreaterThan(0);
  });

  it("the probability block runs and prints Brier-1..4, a BrierLM and exact Brier-1, Brier-2", async () => {
    const [[brierN, bLM, exact]] = (await run(blocks[1]!, "probs")) as [number[], number, number[]][];
    expect(brierN).toHaveLength(4);
    expect(bLM).toBeGreaterThan(0);
    expect(exact).toHaveLength(2);
    expect(exact.every((b) => b > -1 && b < 1)).toBe(true);
  });

  it("the server block runs against a loopback OpenAI-compatible server", async () => {
    const train = Array.from(Buffer.from("The quick brown fox jumps over the lazy dog. ".repeat(50), "utf8"));
    const server = await startNgramServer(fitKneserNey(train, { order: 4, vocabSize: 256 }));
    try {
      expect(blocks[2]).toContain('"http://127.0.0.1:8080/v1"');
      const [[brierN, bLM]] = (await run(blocks[2]!.replace('"http://127.0.0.1:8080/v1"', JSON.stringify(server.baseURL)), "server")) as [number[], number][];
      expect(brierN).toHaveLength(4);
      expect(bLM).toBeGreaterThan(50);
    } finally {
      await server.close();
    }
  });
});
