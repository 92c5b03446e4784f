// SPDX-License-Identifier: MIT
// Shared runner of the packages' mutation checks (`packages/*/scripts/mutation-check.ts`): applies each plausible
// bug to a package's sources one at a time, runs that package's test suite, restores the file, and reports whether
// some test failed. A surviving mutant means the tests would not catch that wrong implementation.
import { execSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";

/** One mutant: in `file` (relative to the package), replace `from` (which must occur exactly once) by `to`. */
export type Mutant = readonly [file: string, from: string, to: string, name: string];

/**
 * Runs every mutant against the package's tests and prints one line each plus a total; sets a non-zero exit code
 * when any mutant survives.
 *
 * @param packageDir - the package folder (its basename names the suite: `pnpm vitest run packages/<name>`).
 * @param mutants - the plausible bugs to try.
 * @returns how many mutants survived.
 * @throws Error if a mutant's pattern does not occur exactly once in its file.
 */
export function runMutationCheck(packageDir: string, mutants: readonly Mutant[]): number {
  const root = join(packageDir, "..", "..");
  const suite = `packages/${basename(packageDir)}`;
  let survived = 0;
  for (const [file, from, to, name] of mutants) {
    const path = join(packageDir, file);
    const original = readFileSync(path, "utf8");
    if (original.split(from).length !== 2) throw new Error(`${name}: pattern not found exactly once in ${file}`);
    let summary = "";
    try {
      writeFileSync(path, original.replace(from, to));
      let out = "";
      try {
        out = execSync(`pnpm vitest run ${suite}`, { cwd: root, encoding: "utf8", stdio: "pipe", timeout: 180_000 });
      } catch (e) {
        out = String((e as { stdout?: string }).stdout ?? "");
      }
      // eslint-disable-next-line no-control-regex
      summary = out.replace(/\x1b\[[0-9;]*m/g, "").match(/^ *Tests .*$/m)?.[0]?.trim() ?? "suite did not finish";
    } finally {
      writeFileSync(path, original);
    }
    const caught = /failed/.test(summary) || summary === "suite did not finish";
    if (!caught) survived++;
    console.log(`${caught ? "caught  " : "SURVIVED"} ${name}: ${summary}`);
  }
  console.log(`${mutants.length - survived} of ${mutants.length} mutants caught`);
  process.exitCode = survived > 0 ? 1 : 0;
  return survived;
}
