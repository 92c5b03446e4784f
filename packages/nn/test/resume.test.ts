// SPDX-License-Identifier: MIT
//
// Bit-for-bit resume: an uninterrupted run (in this process) and a run that is SIGKILLed after a checkpoint,
// or killed in the middle of writing one, then resumed in a fresh process, must end with byte-identical
// checkpoint files (weights, optimizer moments, state.json with RNG states and the data-loader cursor).
// Mutant resumes that forget one part of the state (optimizer, data position, either RNG) must differ.

import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkpointPath, latestCheckpoint } from "../src/index.js";
import { runTraining } from "./fixtures/tiny-train.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../../..");
const script = join(here, "fixtures", "tiny-train.ts");
const TOTAL = 12;
const EVERY = 3;
const FILES = ["model.safetensors", "optimizer.safetensors", "state.json"];

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

function runChild(args: string[], killAfter?: string): Promise<ChildResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@calm/source", script, ...args], { cwd: repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (killAfter !== undefined && stdout.split("\n").includes(killAfter)) child.kill("SIGKILL");
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code, signal) => {
      if (code !== 0 && signal === null) fail(new Error(`child failed (${code}): ${stderr}`));
      else done({ code, signal, stdout });
    });
  });
}

const bytesOf = (dir: string) => FILES.map((f) => readFileSync(join(dir, f)));

let root: string;
let reference: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "calm-nn-resume-"));
  reference = join(root, "uninterrupted");
  runTraining({ runDir: reference, totalSteps: TOTAL, every: EVERY });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("bit-for-bit resume", () => {
  it("a run SIGKILLed after a checkpoint and resumed in a new process ends byte-identical", async () => {
    const runDir = join(root, "killed");
    const first = await runChild([runDir, String(TOTAL), String(EVERY), "--pause-after", "6"], "checkpoint 6");
    expect(first.signal).toBe("SIGKILL");
    expect(first.stdout).not.toContain("done");
    const last = latestCheckpoint(runDir)!;
    const lastStep = Number(/step-(\d+)$/.exec(last)![1]);
    expect(lastStep).toBe(6);
    const second = await runChild([runDir, String(TOTAL), String(EVERY)]);
    expect(second.stdout).toContain(`resumed ${lastStep}`);
    expect(second.stdout).toContain("done");
    for (let s = EVERY; s <= TOTAL; s += EVERY) {
      const got = bytesOf(checkpointPath(runDir, s));
      const want = bytesOf(checkpointPath(reference, s));
      got.forEach((b, i) => expect(Buffer.compare(b, want[i]), `${FILES[i]} at step ${s}`).toBe(0));
    }
  });

  it("a crash while a checkpoint is being committed leaves the previous one intact, and resume is still exact", async () => {
    const runDir = join(root, "crash-commit");
    const first = await runChild([runDir, String(TOTAL), String(EVERY), "--crash-at-commit", "9"]);
    expect(first.signal).toBe("SIGKILL");
    // The half-made checkpoint 9 exists only under its temporary name, complete files and all.
    const leftovers = readdirSync(runDir).filter((n) => n.startsWith(".step-00000009.tmp-"));
    expect(leftovers).toHaveLength(1);
    expect(existsSync(checkpointPath(runDir, 9))).toBe(false);
    expect(latestCheckpoint(runDir)).toBe(checkpointPath(runDir, 6));
    const six = bytesOf(checkpointPath(runDir, 6));
    bytesOf(checkpointPath(reference, 6)).forEach((b, i) => expect(Buffer.compare(b, six[i])).toBe(0));
    const second = await runChild([runDir, String(TOTAL), String(EVERY)]);
    expect(second.stdout).toContain("resumed 6");
    const got = bytesOf(checkpointPath(runDir, TOTAL));
    bytesOf(checkpointPath(reference, TOTAL)).forEach((b, i) => expect(Buffer.compare(b, got[i])).toBe(0));
  });

  it.each(["optimizer", "data-position", "data-rng", "dropout-rng"] as const)(
    "a resume that forgets the %s state ends elsewhere (the byte comparison can fail)",
    (forget) => {
      const runDir = join(root, `mutant-${forget}`);
      cpSync(checkpointPath(reference, 6), checkpointPath(runDir, 6), { recursive: true });
      runTraining({ runDir, totalSteps: TOTAL, every: EVERY, forget });
      const got = readFileSync(join(checkpointPath(runDir, TOTAL), "model.safetensors"));
      expect(Buffer.compare(got, readFileSync(join(checkpointPath(reference, TOTAL), "model.safetensors")))).not.toBe(0);
    },
  );

  it("an in-process resume from checkpoint 6 that restores everything matches (control for the mutants)", () => {
    const runDir = join(root, "in-process");
    cpSync(checkpointPath(reference, 6), checkpointPath(runDir, 6), { recursive: true });
    runTraining({ runDir, totalSteps: TOTAL, every: EVERY });
    const got = bytesOf(checkpointPath(runDir, TOTAL));
    bytesOf(checkpointPath(reference, TOTAL)).forEach((b, i) => expect(Buffer.compare(b, got[i]), FILES[i]).toBe(0));
    expect(JSON.parse(readFileSync(join(checkpointPath(reference, 6), "state.json"), "utf8")).extra).toEqual({ cursor: (6 * 18) % 97 });
  });
});
