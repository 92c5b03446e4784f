// SPDX-License-Identifier: MIT
//
// Crash-safe file replacement: data goes to a temporary file in the target's directory (same file system,
// so rename is atomic), is fsynced, renamed over the target, and the directory is fsynced so the rename
// itself survives a power loss. A crash at any point leaves either the old file or the new one.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

let counter = 0;

/**
 * Options of {@link writeFileAtomic}.
 *
 * @example
 * ```ts
 * writeFileAtomic(path, bytes, { beforeRename: (tmp) => console.log(`written to ${tmp}`) });
 * ```
 */
export interface AtomicWriteOptions {
  /**
   * Called after the temporary file is written and fsynced, before the rename (fault-injection tests
   * kill the process here to show the target is never left half-written).
   */
  readonly beforeRename?: (tempPath: string) => void;
}

/**
 * Name of a hidden temporary sibling of `path` (`.name.tmp-<pid>-<time>-<n>`), unique within this
 * process, in the same directory so that renaming it onto `path` is atomic.
 *
 * @example
 * ```ts
 * tempPathFor("runs/a/step-00000010"); // "runs/a/.step-00000010.tmp-4242-1764400000000-0"
 * ```
 */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}-${counter++}`);
}

/**
 * fsyncs a directory so that renames and creations inside it are durable (no-op where directories cannot be
 * opened, e.g. Windows).
 *
 * @example
 * ```ts
 * fsyncDir("checkpoints");
 * ```
 */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, "r");
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the rename is still atomic there.
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes `data` to `path` atomically: temporary file in the same directory, fsync, rename over `path`,
 * fsync of the directory. Readers see the old contents or the new, never a prefix.
 *
 * @throws Error (from node:fs) if the directory is not writable; the temporary file is removed then.
 * @example
 * ```ts
 * writeFileAtomic("state.json", new TextEncoder().encode(JSON.stringify(state)));
 * ```
 */
export function writeFileAtomic(path: string, data: Uint8Array, options: AtomicWriteOptions = {}): void {
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, "wx");
  try {
    try {
      let off = 0;
      while (off < data.length) off += writeSync(fd, data, off, data.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    options.beforeRename?.(tmp);
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  fsyncDir(dirname(path));
}
