// SPDX-License-Identifier: MIT
// Runs every ```ts block of README.md against the sources, so the documented examples stay runnable.

import { readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import * as T from "../src/index.js";

/** The ```ts blocks of a Markdown file, relative to this test. */
const tsBlocks = (path: string): string[] =>
  [...readFileSync(new URL(path, import.meta.url), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
const blocks = tsBlocks("../README.md");

// Each block imports from "@calm/tensor"; the import is replaced by a destructuring of the source namespace.
function toFunction(code: string): (lib: typeof T) => Promise<void> {
  const body = code.replace(/import\s*\{([^}]*)\}\s*from\s*"@calm\/tensor";/g, "const {$1} = lib;");
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (...args: string[]) => (lib: typeof T) => Promise<void>;
  return new AsyncFunction("lib", body);
}

/** Runs one block with console.log captured; restores the default backend and settings afterwards. */
async function runBlock(code: string): Promise<unknown[][]> {
  const logs: unknown[][] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void logs.push(args));
  try {
    await toFunction(code)(T);
  } finally {
    spy.mockRestore();
    T.setBackend("cpu");
    for (const name of T.listBackends()) if (name !== "cpu") T.removeBackend(name);
    T.setNumericsCheck(false);
  }
  return logs;
}

/** Printed text without quotes and white space, so `[2, 3]` and JSON's `[2,3]` compare equal. */
const norm = (text: string): string => text.replace(/["\s]/g, "");

// The gpu.js backend's README: its printed values depend on the machine (adapter, renderer), so its blocks must run
// and print, without a comparison with the comments.
const gpujsBlocks = tsBlocks("../src/backends/gpujs/README.md");

describe("gpu.js backend README examples", () => {
  gpujsBlocks.forEach((code, i) => {
    it(`block ${i + 1} runs`, async () => {
      const logs = await runBlock(code);
      expect(logs.length).toBeGreaterThanOrEqual(3);
      expect(Array.from(logs[0][0] as Float32Array).map((v) => Number(v.toFixed(5)))).toEqual([0.00247, 0.99753, 0, 1]);
    }, 60_000);
  });
});

describe("README examples", () => {
  it("has examples", () => expect(blocks.length).toBeGreaterThanOrEqual(6));
  blocks.forEach((code, i) => {
    it(`block ${i + 1} runs`, async () => {
      const logs = (await runBlock(code)).map((args) => args.map((a) => JSON.stringify(a)).join(" "));
      if (process.env.SHOW_README_LOGS) process.stdout.write(`--- block ${i + 1}\n${logs.join("\n")}\n`);
      expect(logs.length).toBeGreaterThan(0);
      // Every `console.log(...); // expected` line must print what its comment says (quotes and spaces aside;
      // a comment may go on after a colon, as in `// true: no NaN ...`).
      const expected = code.split("\n").filter((l) => l.includes("console.log(")).map((l) => /\);\s*\/\/\s*(.*)$/.exec(l)?.[1]);
      expect(logs.length).toBe(expected.length);
      expected.forEach((want, j) => {
        if (want === undefined) return;
        const got = norm(logs[j]);
        const w = norm(want);
        expect(w === got || w.startsWith(`${got}:`), `block ${i + 1}, log ${j + 1}: printed ${logs[j]}, README says ${want}`).toBe(true);
      });
    });
  });
});
