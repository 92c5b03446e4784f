// SPDX-License-Identifier: MIT
// What users install is the tsup output, not the sources the other tests run on: build every package, then use
// each one from plain Node (no source condition), including the gpu.js kernels, which break if bundling rewrites them.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");

describe("built packages", () => {
  it("build with tsup and work from dist/ in plain Node", () => {
    execFileSync("pnpm", ["-r", "--filter", "./packages/*", "build"], { cwd: root, stdio: "pipe" });
    const out = execFileSync(process.execPath, [join(root, "test", "fixtures", "use-built-packages.mjs")], {
      cwd: root,
      encoding: "utf8",
    });
    const result = JSON.parse(out);
    expect(result.brier).toBe(0.625); // 2·0.5 − (0.25 + 0.0625 + 0.0625)
    expect(result.power).toBe("boolean");
    expect(result.evaluateTree).toBe("function");
    expect(result.bpe).toBe("the cat and the dog");
    expect(result.linear).toEqual([1, 2]);
    // d/dX Σ(X·X) = 1·Xᵀ + Xᵀ·1
    expect(result.gradCpu).toEqual([[7, 11], [9, 13]]);
    expect(result.gradGpuJs).toEqual([[7, 11], [9, 13]]);
  }, 300_000);

  it("ships the calm-brier command with a shebang", () => {
    const help = execFileSync(process.execPath, [join(root, "packages", "brier", "dist", "cli.js"), "--help"], { encoding: "utf8" });
    expect(help).toMatch(/calm-brier/);
  });
});
