// SPDX-License-Identifier: MIT
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
const packages = readdirSync(join(root, "packages"));

describe("workspace", () => {
  it("type-checks every package, test and tool with strict tsc", () => {
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    let out = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out).toBe("");
  }, 240_000);

  it.each(packages)("package %s puts the @calm/source condition first in every export", (name) => {
    const pkg = JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"));
    const entries = Object.entries(pkg.exports as Record<string, unknown>).filter(([key]) => key !== "./package.json");
    expect(entries.length).toBeGreaterThan(0);
    for (const [, target] of entries) expect(Object.keys(target as object)[0]).toBe("@calm/source");
    expect(pkg.type).toBe("module");
    expect(pkg.license).toBe("MIT");
  });

  it.each(["brier", "bernoulli-factory"])("@calm/%s has no runtime dependency", (name) => {
    const pkg = JSON.parse(readFileSync(join(root, "packages", name, "package.json"), "utf8"));
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
  });
});
