// SPDX-License-Identifier: MIT
//
// A checkpoint is a directory: model.safetensors (reference state-dict names), optimizer.safetensors
// (PyTorch's exp_avg / exp_avg_sq names) and state.json (config, step, schedule, RNG and data-loader state,
// and the size and SHA-256 of each tensor file). The directory is assembled under a temporary name, every
// file fsynced, then renamed into place in one step, so a crash leaves the previous checkpoints untouched
// and never a mixture of files from two saves. The digests catch later corruption (safetensors has none).

import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Tensor } from "@calm/tensor";
import type { AdamWState, Checkpoint, CheckpointMeta, ParamTree } from "./api.js";
import { fsyncDir, tempPathFor, writeFileAtomic } from "./atomic-write.js";
import { flattenParams, unflattenParams } from "./param-tree.js";
import { decodeSafetensors, encodeSafetensors } from "./safetensors.js";

/**
 * `format` field of state.json.
 *
 * @example
 * ```ts
 * JSON.parse(readFileSync(join(dir, "state.json"), "utf8")).format === CHECKPOINT_FORMAT; // true
 * ```
 */
export const CHECKPOINT_FORMAT = "calm-nn-checkpoint";
const VERSION = 1;
const MODEL = "model.safetensors";
const OPTIMIZER = "optimizer.safetensors";
const STATE = "state.json";
const M_PREFIX = "exp_avg";
const V_PREFIX = "exp_avg_sq";

/**
 * Contents of state.json.
 *
 * @example
 * ```ts
 * const { step, rng, files }: CheckpointStateFile = loadCheckpoint(dir, template).state;
 * ```
 */
export interface CheckpointStateFile extends CheckpointMeta {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: number;
  /** AdamW step count (null without optimizer state). */
  readonly optimizerStep: number | null;
  /** Byte length and SHA-256 (hex) of each tensor file. */
  readonly files: Readonly<Record<string, { readonly bytes: number; readonly sha256: string }>>;
}

/**
 * Options of {@link saveCheckpoint}.
 *
 * @example
 * ```ts
 * saveCheckpoint(dir, ckpt, { overwrite: true });
 * ```
 */
export interface SaveCheckpointOptions {
  /** Replace an existing checkpoint at `dir` (moved aside, then removed once the new one is in place). Default false. */
  readonly overwrite?: boolean;
  /** Fault injection for tests: called once every file is written and fsynced, before the directory rename. */
  readonly beforeCommit?: (tempDir: string) => void;
}

/**
 * A loaded checkpoint.
 *
 * @example
 * ```ts
 * const { params, optimizer, state }: LoadedCheckpoint<typeof template> = loadCheckpoint(dir, template);
 * ```
 */
export interface LoadedCheckpoint<P extends ParamTree> {
  readonly params: P;
  /** Present iff the checkpoint has optimizer state. */
  readonly optimizer?: AdamWState<P>;
  readonly state: CheckpointStateFile;
}

/**
 * Options of {@link loadCheckpoint}.
 *
 * @example
 * ```ts
 * loadCheckpoint(dir, template, { verify: false }); // skip the SHA-256 check
 * ```
 */
export interface LoadCheckpointOptions {
  /** Check each tensor file's size and SHA-256 against state.json; default true. */
  readonly verify?: boolean;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Safetensors bytes → name → tensor (F16/BF16/F64 as float32), dropping the stored dtypes. */
const decodeTensors = (bytes: Uint8Array, source: string) =>
  new Map([...decodeSafetensors(bytes, source).tensors].map(([k, e]) => [k, e.tensor]));

/**
 * Writes a checkpoint directory atomically (see the module comment): `model.safetensors`,
 * `optimizer.safetensors` (if `checkpoint.optimizer`), `state.json`. Values round-trip bit for bit.
 *
 * @param dir - the checkpoint directory; its parent is created if needed.
 * @throws Error if `dir` exists and `overwrite` is not set; errors from node:fs (the temporary directory
 *   is removed then).
 * @example
 * ```ts
 * saveCheckpoint("runs/a/step-00000100", { params, optimizer: opt, meta: { config, step: 100, rng: { data: rng.getState() } } });
 * ```
 */
export function saveCheckpoint<P extends ParamTree>(dir: string, checkpoint: Checkpoint<P>, options: SaveCheckpointOptions = {}): void {
  const fn = "saveCheckpoint";
  if (existsSync(dir) && options.overwrite !== true) throw new Error(`${fn}: ${dir} already exists (pass overwrite: true to replace it)`);
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = tempPathFor(dir);
  mkdirSync(tmp);
  try {
    const files: Record<string, { bytes: number; sha256: string }> = {};
    const put = (name: string, bytes: Uint8Array) => {
      writeFileAtomic(join(tmp, name), bytes);
      files[name] = { bytes: bytes.length, sha256: sha256(bytes) };
    };
    put(MODEL, encodeSafetensors(flattenParams(checkpoint.params), { format: "pt" }));
    const opt = checkpoint.optimizer;
    if (opt !== undefined) {
      const all = new Map<string, Tensor>([...flattenParams(opt.m, M_PREFIX), ...flattenParams(opt.v, V_PREFIX)]);
      put(OPTIMIZER, encodeSafetensors(all, { step: String(opt.step) }));
    }
    const state: CheckpointStateFile = {
      format: CHECKPOINT_FORMAT,
      version: VERSION,
      ...checkpoint.meta,
      optimizerStep: opt === undefined ? null : opt.step,
      files,
    };
    writeFileAtomic(join(tmp, STATE), new TextEncoder().encode(`${JSON.stringify(state, null, 2)}\n`));
    fsyncDir(tmp);
    options.beforeCommit?.(tmp);
    if (existsSync(dir)) {
      const old = `${tmp}.old`;
      renameSync(dir, old);
      renameSync(tmp, dir);
      fsyncDir(parent);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
      fsyncDir(parent);
    }
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
}

function readChecked(dir: string, name: string, state: CheckpointStateFile, verify: boolean): Uint8Array {
  const path = join(dir, name);
  if (!existsSync(path)) throw new RangeError(`loadCheckpoint: ${path} is missing`);
  const bytes = readFileSync(path);
  const expected = state.files?.[name];
  if (verify && expected !== undefined) {
    if (bytes.length !== expected.bytes) {
      throw new RangeError(`loadCheckpoint: ${path} has ${bytes.length} bytes, state.json records ${expected.bytes} (truncated or replaced)`);
    }
    if (sha256(bytes) !== expected.sha256) throw new RangeError(`loadCheckpoint: ${path} does not match the SHA-256 in state.json (corrupt or replaced)`);
  }
  return bytes;
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint} into trees with the structure of `template` (e.g. a
 * freshly created model of the same config), refusing anything inconsistent.
 *
 * @throws RangeError naming the file and tensor for: a missing or unparsable state.json, a missing tensor
 *   file, a size or digest mismatch, a truncated/corrupt safetensors file, a missing tensor, an unexpected
 *   tensor, or a shape that differs from the template's.
 * @example
 * ```ts
 * const { params, optimizer, state } = loadCheckpoint(latestCheckpoint("runs/a")!, createTransformer(config, new Rng(0)));
 * ```
 */
export function loadCheckpoint<P extends ParamTree>(dir: string, template: P, options: LoadCheckpointOptions = {}): LoadedCheckpoint<P> {
  const fn = "loadCheckpoint";
  if (!existsSync(dir)) restoreInterruptedOverwrites(dirname(dir));
  const statePath = join(dir, STATE);
  if (!existsSync(statePath)) throw new RangeError(`${fn}: ${statePath} is missing (not a checkpoint directory?)`);
  let state: CheckpointStateFile;
  try {
    state = JSON.parse(readFileSync(statePath, "utf8")) as CheckpointStateFile;
  } catch (error) {
    throw new RangeError(`${fn}: ${statePath} does not parse as JSON (${(error as Error).message})`);
  }
  if (state === null || typeof state !== "object" || state.format !== CHECKPOINT_FORMAT) {
    throw new RangeError(`${fn}: ${statePath} is not a ${CHECKPOINT_FORMAT} state file`);
  }
  if (state.version !== VERSION) throw new RangeError(`${fn}: ${statePath} has version ${state.version}, this reader handles ${VERSION}`);
  const verify = options.verify !== false;
  const modelPath = join(dir, MODEL);
  const params = unflattenParams(template, decodeTensors(readChecked(dir, MODEL, state, verify), modelPath), { source: modelPath });
  if (state.optimizerStep === null) return { params, state };
  const optPath = join(dir, OPTIMIZER);
  const all = decodeTensors(readChecked(dir, OPTIMIZER, state, verify), optPath);
  const part = (prefix: string) => {
    const sub = new Map<string, Tensor>();
    for (const [k, t] of all) if (k.startsWith(`${prefix}.`)) sub.set(k, t);
    return sub;
  };
  const mDict = part(M_PREFIX);
  const vDict = part(V_PREFIX);
  for (const k of all.keys()) {
    if (!mDict.has(k) && !vDict.has(k)) throw new RangeError(`${fn}: ${optPath} has unexpected tensor "${k}"`);
  }
  const optimizer: AdamWState<P> = {
    step: state.optimizerStep,
    m: unflattenParams(template, mDict, { source: optPath, prefix: M_PREFIX }),
    v: unflattenParams(template, vDict, { source: optPath, prefix: V_PREFIX }),
  };
  return { params, optimizer, state };
}

/**
 * Path of the checkpoint for `step` inside a run directory: `runDir/step-00000042` (zero-padded so names
 * sort by step).
 *
 * @throws RangeError for a negative or non-integer step.
 * @example
 * ```ts
 * saveCheckpoint(checkpointPath("runs/a", 42), ckpt);
 * ```
 */
export function checkpointPath(runDir: string, step: number): string {
  if (!Number.isInteger(step) || step < 0) throw new RangeError(`checkpointPath: step must be an integer ≥ 0, got ${step}`);
  return join(runDir, `step-${String(step).padStart(8, "0")}`);
}

/**
 * An overwriting save renames the old directory aside (`.NAME.tmp-….old`) and then the new one into place. A crash
 * between those two renames leaves no `NAME` at all, and the aside copy is the newest complete checkpoint: put it
 * back. Where `NAME` exists the new copy was committed and the aside one is stale (pruneCheckpoints removes it).
 */
function restoreInterruptedOverwrites(runDir: string): void {
  if (!existsSync(runDir)) return;
  for (const name of readdirSync(runDir)) {
    const m = /^\.(.+)\.tmp-\d+-\d+-\d+\.old$/.exec(name);
    if (m === null || existsSync(join(runDir, m[1]))) continue;
    renameSync(join(runDir, name), join(runDir, m[1]));
    fsyncDir(runDir);
  }
}

function listSteps(runDir: string): { step: number; path: string }[] {
  if (!existsSync(runDir)) return [];
  return readdirSync(runDir)
    .map((name) => /^step-(\d+)$/.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), path: join(runDir, m[0]) }))
    .filter((e) => statSync(e.path).isDirectory())
    .sort((a, b) => a.step - b.step);
}

/**
 * The newest complete checkpoint in a run directory (highest `step-N`; temporary directories of
 * interrupted saves are never named `step-N`, so they are ignored), or null if there is none.
 *
 * @example
 * ```ts
 * const last = latestCheckpoint("runs/a");
 * if (last !== null) ({ params, optimizer } = loadCheckpoint(last, params));
 * ```
 */
export function latestCheckpoint(runDir: string): string | null {
  restoreInterruptedOverwrites(runDir);
  const steps = listSteps(runDir);
  return steps.length === 0 ? null : steps[steps.length - 1].path;
}

/**
 * Keeps the newest `keepLast` checkpoints of a run directory and removes older ones and leftovers of
 * interrupted saves (`.step-N.tmp-…`).
 *
 * @throws RangeError if keepLast < 1.
 * @example
 * ```ts
 * pruneCheckpoints("runs/a", 3);
 * ```
 */
export function pruneCheckpoints(runDir: string, keepLast: number): void {
  if (!Number.isInteger(keepLast) || keepLast < 1) throw new RangeError(`pruneCheckpoints: keepLast must be an integer ≥ 1, got ${keepLast}`);
  // Before deleting leftovers: one of them may be the only complete copy of a checkpoint (see below).
  restoreInterruptedOverwrites(runDir);
  const steps = listSteps(runDir);
  for (const e of steps.slice(0, Math.max(0, steps.length - keepLast))) rmSync(e.path, { recursive: true, force: true });
  if (existsSync(runDir)) {
    for (const name of readdirSync(runDir)) {
      if (/^\.step-\d+\.tmp-/.test(name)) rmSync(join(runDir, name), { recursive: true, force: true });
    }
  }
  fsyncDir(runDir);
}

/**
 * Reads a safetensors file (e.g. reference weights) into a name → tensor map; F16/BF16/F64 become float32.
 *
 * @throws RangeError naming the file and tensor for a truncated or corrupt file.
 * @example
 * ```ts
 * const dict = loadSafetensors("model.safetensors");
 * ```
 */
export function loadSafetensors(path: string): Map<string, Tensor> {
  return decodeTensors(readFileSync(path), path);
}

/**
 * Writes tensors to a safetensors file atomically (temporary file, fsync, rename, directory fsync).
 *
 * @throws Error from node:fs; RangeError for invalid names.
 * @example
 * ```ts
 * saveSafetensors("weights.safetensors", flattenParams(params, "transformer"));
 * ```
 */
export function saveSafetensors(path: string, tensors: ReadonlyMap<string, Tensor>, metadata: Readonly<Record<string, string>> = {}): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

