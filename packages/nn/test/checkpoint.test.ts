// SPDX-License-Identifier: MIT
// Checkpoint directories: exact round trip, refusal of corrupt or mismatched files, atomic writes.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng, tensor, valueAndGrad, sum, square } from "@calm/tensor";
import { afterAll, describe, expect, it } from "vitest";
import {
  adamwStep,
  checkpointPath,
  createAdamWState,
  createLinear,
  createTransformer,
  decodeSafetensors,
  encodeSafetensors,
  flattenParams,
  latestCheckpoint,
  loadCheckpoint,
  loadSafetensors,
  pruneCheckpoints,
  saveCheckpoint,
  saveSafetensors,
  transformerForward,
  unflattenParams,
  writeFileAtomic,
} from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "calm-nn-ckpt-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const config = { vocabSize: 10, hiddenSize: 8, intermediateSize: 12, numHeads: 2, numLayers: 2 };
const makeModel = (seed: number, c = config) => ({ transformer: createTransformer(c, new Rng(seed)), lm_head: createLinear({ inFeatures: c.hiddenSize, outFeatures: 10 }, new Rng(seed + 1)) });
type Model = ReturnType<typeof makeModel>;

function trained() {
  let params = makeModel(1);
  let opt = createAdamWState(params);
  const ids = tensor([[1, 2, 3]], [1, 3], "int32");
  const loss = (p: Model) => sum(square(transformerForward(p.transformer, config, ids)));
  for (let i = 0; i < 2; i++) {
    const { grads } = valueAndGrad(loss)(params);
    ({ params, state: opt } = adamwStep(params, grads[0], opt, 1e-2));
  }
  return { params, opt };
}
const { params, opt } = trained();
const rng = new Rng(99);
rng.nextNormal(); // leaves a cached Box–Muller spare in the state
const meta = { config, step: 2, schedule: { peakLr: 1e-2, warmupSteps: 0, kind: "constant" as const }, rng: { data: rng.getState() }, extra: { epoch: 0, cursor: 17 } };

let n = 0;
const fresh = () => join(root, `c${n++}`);
const sameBits = (a: Map<string, { dataSync(): ArrayLike<number> }>, b: Map<string, { dataSync(): ArrayLike<number> }>) => {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  for (const [k, t] of a) expect(Buffer.compare(Buffer.from(new Uint8Array((t.dataSync() as Float32Array).buffer.slice(0))), Buffer.from(new Uint8Array((b.get(k)!.dataSync() as Float32Array).buffer.slice(0))))).toBe(0);
};

describe("round trip", () => {
  it("parameters, optimizer moments and state come back exactly; re-saving gives identical files", () => {
    const dir = fresh();
    saveCheckpoint(dir, { params, optimizer: opt, meta });
    expect(readdirSync(dir).sort()).toEqual(["model.safetensors", "optimizer.safetensors", "state.json"]);
    const loaded = loadCheckpoint(dir, makeModel(5));
    sameBits(flattenParams(loaded.params), flattenParams(params));
    sameBits(flattenParams(loaded.optimizer!.m), flattenParams(opt.m));
    sameBits(flattenParams(loaded.optimizer!.v), flattenParams(opt.v));
    expect(loaded.optimizer!.step).toBe(2);
    expect(loaded.state.extra).toEqual({ epoch: 0, cursor: 17 });
    expect(Rng.fromState(loaded.state.rng!.data).nextNormal()).toBe(rng.nextNormal());
    const dir2 = fresh();
    saveCheckpoint(dir2, { params: loaded.params, optimizer: loaded.optimizer, meta });
    for (const f of readdirSync(dir)) expect(Buffer.compare(readFileSync(join(dir, f)), readFileSync(join(dir2, f))), f).toBe(0);
  });

  it("model.safetensors uses the reference state-dict names; the optimizer file PyTorch's exp_avg/exp_avg_sq", () => {
    const dir = fresh();
    saveCheckpoint(dir, { params, optimizer: opt });
    const model = decodeSafetensors(readFileSync(join(dir, "model.safetensors")));
    expect([...model.tensors.keys()]).toContain("transformer.layers.1.self_attn.o_proj.weight");
    expect(model.metadata).toEqual({ format: "pt" });
    const o = decodeSafetensors(readFileSync(join(dir, "optimizer.safetensors")));
    expect([...o.tensors.keys()]).toContain("exp_avg.lm_head.bias");
    expect([...o.tensors.keys()]).toContain("exp_avg_sq.transformer.norm.weight");
    const noOpt = fresh();
    saveCheckpoint(noOpt, { params });
    expect(loadCheckpoint(noOpt, makeModel(5)).optimizer).toBeUndefined();
  });

  it("standalone safetensors files round-trip through saveSafetensors/loadSafetensors", () => {
    const path = join(fresh() + ".safetensors");
    saveSafetensors(path, flattenParams(params), { note: "x" });
    sameBits(loadSafetensors(path), flattenParams(params));
  });
});

describe("refusals name the file and the tensor", () => {
  const dir = fresh();
  saveCheckpoint(dir, { params, optimizer: opt, meta });
  const copy = () => {
    const d = fresh();
    mkdirSync(d);
    for (const f of readdirSync(dir)) writeFileSync(join(d, f), readFileSync(join(dir, f)));
    return d;
  };
  const rewriteModel = (d: string, edit: (m: Map<string, ReturnType<typeof tensor>>) => void) => {
    const m = new Map([...decodeSafetensors(readFileSync(join(d, "model.safetensors"))).tensors].map(([k, e]) => [k, e.tensor]));
    edit(m);
    writeFileSync(join(d, "model.safetensors"), encodeSafetensors(m));
  };

  it("a shape that does not match the config", () => {
    const other = makeModel(1, { ...config, intermediateSize: 16 });
    expect(() => loadCheckpoint(dir, other)).toThrow(/tensor "transformer.layers.0.mlp.gate_proj.weight" in .*model.safetensors has shape \[12,8\], the model expects \[16,8\]/);
  });

  it("a missing tensor and an unexpected extra tensor (digests skipped to reach the tensor check)", () => {
    const d = copy();
    rewriteModel(d, (m) => m.delete("transformer.norm.weight"));
    expect(() => loadCheckpoint(d, makeModel(5))).toThrow(/model.safetensors has \d+ bytes, state.json records \d+/);
    expect(() => loadCheckpoint(d, makeModel(5), { verify: false })).toThrow(/model.safetensors is missing tensor "transformer.norm.weight"/);
    const e = copy();
    rewriteModel(e, (m) => m.set("transformer.extra.weight", tensor([1])));
    expect(() => loadCheckpoint(e, makeModel(5), { verify: false })).toThrow(/model.safetensors has unexpected tensor "transformer.extra.weight"/);
  });

  it("a truncated file, a flipped bit, a missing file, an unreadable state.json", () => {
    const t = copy();
    const bytes = readFileSync(join(t, "optimizer.safetensors"));
    writeFileSync(join(t, "optimizer.safetensors"), bytes.subarray(0, bytes.length - 3));
    expect(() => loadCheckpoint(t, makeModel(5))).toThrow(/optimizer.safetensors has \d+ bytes, state.json records/);
    expect(() => loadCheckpoint(t, makeModel(5), { verify: false })).toThrow(/optimizer.safetensors, tensor ".*": data_offsets .* lie outside/);
    const f = copy();
    const mb = readFileSync(join(f, "model.safetensors"));
    mb[mb.length - 1] ^= 1;
    writeFileSync(join(f, "model.safetensors"), mb);
    expect(() => loadCheckpoint(f, makeModel(5))).toThrow(/model.safetensors does not match the SHA-256 in state.json/);
    const m = copy();
    rmSync(join(m, "model.safetensors"));
    expect(() => loadCheckpoint(m, makeModel(5))).toThrow(/model.safetensors is missing/);
    const s = copy();
    writeFileSync(join(s, "state.json"), "{ truncated");
    expect(() => loadCheckpoint(s, makeModel(5))).toThrow(/state.json does not parse as JSON/);
    expect(() => loadCheckpoint(fresh(), makeModel(5))).toThrow(/state.json is missing/);
  });
});

describe("atomic writes and run directories", () => {
  it("saveCheckpoint refuses to overwrite unless asked, and then replaces the whole directory", () => {
    const dir = fresh();
    saveCheckpoint(dir, { params, meta: { step: 1 } });
    expect(() => saveCheckpoint(dir, { params })).toThrow(/already exists \(pass overwrite: true/);
    saveCheckpoint(dir, { params, optimizer: opt, meta: { step: 2 } }, { overwrite: true });
    expect(loadCheckpoint(dir, makeModel(5)).state.step).toBe(2);
    expect(readdirSync(root).filter((x) => x.includes(".tmp-"))).toEqual([]);
  });

  it("a save that fails before commit leaves the old checkpoint and no temporary directory", () => {
    const dir = fresh();
    saveCheckpoint(dir, { params, meta: { step: 1 } });
    const before = readFileSync(join(dir, "state.json"));
    expect(() =>
      saveCheckpoint(dir, { params, meta: { step: 2 } }, { overwrite: true, beforeCommit: () => { throw new Error("simulated crash"); } }),
    ).toThrow(/simulated crash/);
    expect(Buffer.compare(readFileSync(join(dir, "state.json")), before)).toBe(0);
    expect(readdirSync(root).filter((x) => x.includes(".tmp-"))).toEqual([]);
  });

  it("writeFileAtomic: until the rename the target holds the old bytes and the temporary file the new", () => {
    const path = join(root, "file.bin");
    writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    let seen: [number[], number[]] | null = null;
    writeFileAtomic(path, new Uint8Array([4, 5]), { beforeRename: (tmp) => (seen = [[...readFileSync(path)], [...readFileSync(tmp)]]) });
    expect(seen).toEqual([[1, 2, 3], [4, 5]]);
    expect([...readFileSync(path)]).toEqual([4, 5]);
    expect(() => writeFileAtomic(path, new Uint8Array([6]), { beforeRename: () => { throw new Error("crash"); } })).toThrow(/crash/);
    expect([...readFileSync(path)]).toEqual([4, 5]);
  });

  it("a crash between the two renames of an overwrite loses nothing: the set-aside old copy is restored", () => {
    const run = fresh();
    const dir = checkpointPath(run, 7);
    saveCheckpoint(dir, { params, meta: { step: 7 } });
    const before = readFileSync(join(dir, "model.safetensors"));
    // The crash: the overwrite has set the old directory aside (under its `<tmp>.old` name) and the new one never arrives.
    const crash = () =>
      expect(() =>
        saveCheckpoint(dir, { params, meta: { step: 8 } }, { overwrite: true, beforeCommit: (tmp) => {
          renameSync(dir, `${tmp}.old`);
          throw new Error("simulated crash between renames");
        } }),
      ).toThrow(/simulated crash/);
    crash();
    expect(existsSync(dir)).toBe(false);
    expect(loadCheckpoint(dir, makeModel(5)).state.step).toBe(7); // loading the path itself recovers it
    crash();
    pruneCheckpoints(run, 1); // must not delete the only complete copy as a leftover
    expect(latestCheckpoint(run)).toBe(dir);
    expect(Buffer.compare(readFileSync(join(dir, "model.safetensors")), before)).toBe(0);
    expect(readdirSync(run)).toEqual(["step-00000007"]);
  });

  it("latestCheckpoint ignores leftovers of interrupted saves; pruneCheckpoints keeps the newest and cleans up", () => {
    const run = fresh();
    expect(latestCheckpoint(run)).toBeNull();
    for (const s of [5, 10, 15]) saveCheckpoint(checkpointPath(run, s), { params, meta: { step: s } });
    mkdirSync(join(run, ".step-00000020.tmp-1-2-3"));
    writeFileSync(join(run, "notes.txt"), "");
    expect(latestCheckpoint(run)).toBe(checkpointPath(run, 15));
    pruneCheckpoints(run, 2);
    expect(readdirSync(run).sort()).toEqual(["notes.txt", "step-00000010", "step-00000015"]);
    expect(existsSync(checkpointPath(run, 5))).toBe(false);
    expect(() => checkpointPath(run, -1)).toThrow(/step must be an integer ≥ 0, got -1/);
  });
});

describe("exchange with reference checkpoints", () => {
  it("a bf16 CALM-style state dict: the backbone is taken out under `transformer.`, other tensors ignored", () => {
    const backbone = makeModel(3).transformer;
    const named = flattenParams(backbone, "transformer");
    // Hand-written bf16 file (the reference weights' dtype): upper 16 bits of each float32, plus foreign tensors.
    const entries: [string, number[], number[]][] = [...named].map(([k, t]) => [k, [...t.shape], Array.from(t.dataSync())]);
    entries.push(["ae_model.encoder.norm.weight", [8], new Array(8).fill(1)], ["embed_proj.3.bias", [8], new Array(8).fill(0)]);
    const header: Record<string, unknown> = {};
    let off = 0;
    for (const [k, shape, v] of entries) {
      header[k] = { dtype: "BF16", shape, data_offsets: [off, off + 2 * v.length] };
      off += 2 * v.length;
    }
    const json = new TextEncoder().encode(JSON.stringify(header));
    const file = new Uint8Array(8 + json.length + off);
    const dv = new DataView(file.buffer);
    dv.setBigUint64(0, BigInt(json.length), true);
    file.set(json, 8);
    const f32 = new Float32Array(1);
    const u32 = new Uint32Array(f32.buffer);
    let at = 8 + json.length;
    for (const [, , v] of entries) for (const x of v) {
      f32[0] = x;
      dv.setUint16(at, u32[0] >>> 16, true);
      at += 2;
    }
    const path = join(root, "calm-like.safetensors");
    writeFileSync(path, file);
    const dict = loadSafetensors(path);
    expect(() => unflattenParams(makeModel(9).transformer, dict, { source: path, prefix: "transformer" })).toThrow(/unexpected tensor "ae_model.encoder.norm.weight"/);
    const loaded = unflattenParams(makeModel(9).transformer, dict, { source: path, prefix: "transformer", ignoreUnexpected: true });
    const want = Array.from(backbone.layers[1].mlp.down_proj.weight.dataSync()).map((x) => {
      f32[0] = x;
      u32[0] &= 0xffff0000;
      return f32[0];
    });
    expect(Array.from(loaded.layers[1].mlp.down_proj.weight.dataSync())).toEqual(want);
    expect(transformerForward(loaded, config, tensor([[1, 2]], [1, 2], "int32")).shape).toEqual([1, 2, 8]);
  });
});
