// SPDX-License-Identifier: MIT
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { BpeTokenizer } from "./bpe-tokenizer.js";

/**
 * Writes a tokenizer's JSON ({@link BpeJson}) to `path` atomically: a temporary file beside it is written,
 * fsync'ed and renamed over `path`, and the folder is fsync'ed so the rename itself survives a power loss; a crash
 * never leaves a half-written vocabulary.
 *
 * @param tokenizer - the tokenizer to save.
 * @param path - destination file (conventionally `*.json`).
 * @throws Error from the file system (missing folder, permissions), with the path.
 * @example
 * saveBpe(tok, "bpe-4096.json");
 */
export function saveBpe(tokenizer: BpeTokenizer, path: string): void {
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  const text = `${JSON.stringify(tokenizer.toJSON())}\n`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, "w");
    const bytes = Buffer.from(text, "utf8");
    // writeSync may write fewer bytes than asked (large files, some file systems): loop until all are out.
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
    fsyncFolder(dirname(path));
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to clean up
    }
    throw new Error(`saveBpe: cannot write ${JSON.stringify(path)} (${(e as Error).message})`);
  }
}

function fsyncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, "r");
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads a tokenizer saved by {@link saveBpe} (or any `calm-bpe` version-1 JSON).
 *
 * @param path - the JSON file.
 * @returns the tokenizer.
 * @throws Error if the file is missing, is not JSON (e.g. truncated), or fails validation; the message names the path.
 * @example
 * const tok = loadBpe("bpe-4096.json");
 */
export function loadBpe(path: string): BpeTokenizer {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`loadBpe: cannot read ${JSON.stringify(path)} (${(e as Error).message})`);
  }
  try {
    return BpeTokenizer.fromJSON(text);
  } catch (e) {
    throw new Error(`loadBpe: ${JSON.stringify(path)}: ${(e as Error).message}`);
  }
}
