// SPDX-License-Identifier: MIT
// The order of file-system calls behind "atomic": every file is written and fsynced before it is renamed
// into place, and the directory holding a rename is fsynced after it. node:fs is wrapped to log the calls
// (a crash cannot be simulated portably, so the durability steps are checked by their order instead).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Rng } from "@calm/tensor";
import { afterAll, describe, expect, it, vi } from "vitest";

const log: string[] = [];
const fdPath = new Map<number, string>();
vi.mock("node:fs", async (importOriginal) => {
  const fs = await importOriginal<typeof import("node:fs")>();
  const name = (p: unknown) => basename(String(p)).replace(/\.tmp-[\d-]+/, ".tmp");
  return {
    ...fs,
    openSync: (p: string, ...rest: unknown[]) => {
      const fd = (fs.openSync as (...a: unknown[]) => number)(p, ...rest);
      fdPath.set(fd, name(p));
      return fd;
    },
    writeSync: (fd: number, ...rest: unknown[]) => {
      log.push(`write ${fdPath.get(fd)}`);
      return (fs.writeSync as (...a: unknown[]) => number)(fd, ...rest);
    },
    fsyncSync: (fd: number) => {
      log.push(`fsync ${fdPath.get(fd)}`);
      fs.fsyncSync(fd);
    },
    renameSync: (a: string, b: string) => {
      log.push(`rename ${name(a)} -> ${name(b)}`);
      fs.renameSync(a, b);
    },
  };
});

const { createLinear, saveCheckpoint, writeFileAtomic } = await import("../src/index.js");

const root = mkdtempSync(join(tmpdir(), "calm-nn-order-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("atomic writes: fsync before rename, directory fsync after", () => {
  it("writeFileAtomic", () => {
    log.length = 0;
    writeFileAtomic(join(root, "a.bin"), new Uint8Array([1, 2, 3]));
    const rootName = basename(root);
    expect(log).toEqual(["write .a.bin.tmp", "fsync .a.bin.tmp", "rename .a.bin.tmp -> a.bin", `fsync ${rootName}`]);
  });

  it("saveCheckpoint: each file fsynced and renamed inside the temporary directory, which is fsynced, renamed, and its parent fsynced", () => {
    log.length = 0;
    saveCheckpoint(join(root, "step-00000001"), { params: { w: createLinear({ inFeatures: 2, outFeatures: 2 }, new Rng(0)) }, meta: { step: 1 } });
    const dir = ".step-00000001.tmp";
    const file = (f: string) => [`write .${f}.tmp`, `fsync .${f}.tmp`, `rename .${f}.tmp -> ${f}`, `fsync ${dir}`];
    expect(log).toEqual([
      ...file("model.safetensors"),
      ...file("state.json"),
      `fsync ${dir}`,
      `rename ${dir} -> step-00000001`,
      `fsync ${basename(root)}`,
    ]);
  });
});
