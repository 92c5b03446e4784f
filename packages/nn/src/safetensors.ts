// SPDX-License-Identifier: MIT
//
// The safetensors format (huggingface/safetensors, "Format" section): 8-byte little-endian u64 N, N bytes of
// UTF-8 JSON { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { string: string } },
// then the byte buffer; offsets are relative to the buffer, tensors are row-major little-endian, and the
// tensors tile the buffer exactly (no holes, no overlap). Written by this package: header padded with spaces
// to a multiple of 8 bytes so each tensor's data stays aligned, tensors in name order for reproducible bytes.

import { type Tensor, tensor } from "@calm/tensor";

/**
 * Tensor element types understood here: F32 and I32 are written; F16, BF16 and F64 are read into float32.
 *
 * @example
 * ```ts
 * decodeSafetensors(bytes).tensors.get("lm_head.weight")!.dtype; // e.g. "BF16"
 * ```
 */
export type SafetensorsDType = "F32" | "F16" | "BF16" | "F64" | "I32";

/**
 * One decoded entry of a safetensors file.
 *
 * @example
 * ```ts
 * const { dtype, shape, tensor }: SafetensorsEntry = decodeSafetensors(bytes).tensors.get("norm.weight")!;
 * ```
 */
export interface SafetensorsEntry {
  /** The dtype stored in the file (before any conversion to float32). */
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** The values: F32/F16/BF16/F64 as a float32 tensor, I32 as an int32 tensor. */
  readonly tensor: Tensor;
}

/**
 * A decoded safetensors file.
 *
 * @example
 * ```ts
 * const { tensors, metadata }: SafetensorsContents = decodeSafetensors(readFileSync("model.safetensors"));
 * ```
 */
export interface SafetensorsContents {
  readonly tensors: Map<string, SafetensorsEntry>;
  /** The `__metadata__` string map ({} if absent). */
  readonly metadata: Record<string, string>;
}

const BYTES: Record<SafetensorsDType, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I32: 4 };
/** Largest header accepted (the reference implementation's limit is 100 MB). */
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Encodes tensors (float32 → F32, int32 → I32) and a string metadata map as safetensors bytes.
 * Tensors are laid out in name order, so equal inputs give equal bytes.
 *
 * @throws RangeError for an empty name, the reserved name `__metadata__`, or a non-string metadata value.
 * @example
 * ```ts
 * const bytes = encodeSafetensors(flattenParams(params), { format: "pt" });
 * ```
 */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor>, metadata: Readonly<Record<string, string>> = {}): Uint8Array {
  const fn = "encodeSafetensors";
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== "string") throw new RangeError(`${fn}: metadata "${k}" must be a string, got ${typeof v}`);
  }
  if (Object.keys(metadata).length > 0) header.__metadata__ = { ...metadata };
  let offset = 0;
  const chunks: Uint8Array[] = [];
  for (const name of names) {
    if (name === "" || name === "__metadata__") throw new RangeError(`${fn}: invalid tensor name "${name}"`);
    const t = tensors.get(name)!;
    const values = t.dataSync();
    const dtype: SafetensorsDType = t.dtype === "int32" ? "I32" : "F32";
    const bytes = new Uint8Array(values.byteLength);
    if (LITTLE_ENDIAN) bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
    else {
      const dv = new DataView(bytes.buffer);
      for (let i = 0; i < values.length; i++) {
        if (dtype === "I32") dv.setInt32(4 * i, values[i], true);
        else dv.setFloat32(4 * i, values[i], true);
      }
    }
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes.length] };
    offset += bytes.length;
    chunks.push(bytes);
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Decodes safetensors bytes, validating everything before reading data: the header length against the
 * file size, the JSON, each entry's dtype, shape and offsets (inside the buffer, matching the shape's byte
 * size, tiling the buffer without holes or overlap). F16/BF16/F64 are converted to float32 (the reference
 * weights are bf16/fp32, CALM reference 9.1).
 *
 * @param source - names the file in error messages.
 * @throws RangeError naming the file (and the tensor) for a truncated file, an unparsable header, an
 *   unsupported dtype, a bad shape, or data offsets outside the file or inconsistent with the shape.
 * @example
 * ```ts
 * const { tensors, metadata } = decodeSafetensors(readFileSync("model.safetensors"), "model.safetensors");
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array, source = "safetensors data"): SafetensorsContents {
  const fn = "decodeSafetensors";
  if (bytes.length < 8) throw new RangeError(`${fn}: ${source} is truncated: ${bytes.length} bytes, shorter than the 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(bytes.length - 8) || n64 > BigInt(MAX_HEADER)) {
    throw new RangeError(`${fn}: ${source} is truncated or corrupt: header length ${n64} exceeds the ${bytes.length - 8} bytes after it`);
  }
  const n = Number(n64);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    throw new RangeError(`${fn}: ${source} has a header that does not parse as UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw new RangeError(`${fn}: ${source} header must be a JSON object`);
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafetensorsDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new RangeError(`${fn}: ${source} __metadata__ must be an object of strings`);
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== "string") throw new RangeError(`${fn}: ${source} __metadata__.${k} must be a string, got ${typeof v}`);
        metadata[k] = v;
      }
      continue;
    }
    const e = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const where = `${source}, tensor "${name}"`;
    if (e === null || typeof e !== "object") throw new RangeError(`${fn}: ${where}: entry must be an object`);
    if (typeof e.dtype !== "string" || !(e.dtype in BYTES)) {
      throw new RangeError(`${fn}: ${where}: unsupported dtype ${JSON.stringify(e.dtype)} (supported: ${Object.keys(BYTES).join(", ")})`);
    }
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new RangeError(`${fn}: ${where}: shape must be an array of non-negative integers, got ${JSON.stringify(e.shape)}`);
    }
    const off = e.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !off.every((d) => Number.isInteger(d) && d >= 0) || off[0] > off[1]) {
      throw new RangeError(`${fn}: ${where}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(off)}`);
    }
    const dtype = e.dtype as SafetensorsDType;
    const shape = e.shape as number[];
    const [begin, end] = off as [number, number];
    const size = shape.reduce((a, b) => a * b, 1);
    if (end > dataLength) {
      throw new RangeError(`${fn}: ${where}: data_offsets [${begin}, ${end}] lie outside the ${dataLength}-byte data section (file truncated?)`);
    }
    if (end - begin !== size * BYTES[dtype]) {
      throw new RangeError(`${fn}: ${where}: data_offsets span ${end - begin} bytes, shape [${shape.join(",")}] of ${dtype} needs ${size * BYTES[dtype]}`);
    }
    entries.push({ name, dtype, shape, begin, end });
  }
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expect = 0;
  for (const e of sorted) {
    if (e.begin !== expect) {
      throw new RangeError(`${fn}: ${source}, tensor "${e.name}": data starts at ${e.begin}, expected ${expect} (${e.begin < expect ? "overlaps the previous tensor" : "hole in the data"})`);
    }
    expect = e.end;
  }
  if (expect !== dataLength) {
    throw new RangeError(`${fn}: ${source}: tensors cover ${expect} bytes but the data section has ${dataLength} (trailing bytes)`);
  }
  const tensors = new Map<string, SafetensorsEntry>();
  for (const e of entries) {
    const count = (e.end - e.begin) / BYTES[e.dtype];
    const at = dataStart + e.begin;
    const dv = new DataView(bytes.buffer, bytes.byteOffset + at, e.end - e.begin);
    let values: Float32Array | Int32Array;
    if (e.dtype === "I32") {
      values = new Int32Array(count);
      for (let i = 0; i < count; i++) values[i] = dv.getInt32(4 * i, true);
    } else {
      const f = new Float32Array(count);
      if (e.dtype === "F32") {
        // Copy through a byte view of f: the data may sit at an unaligned offset (and Buffer#slice is not a copy).
        if (LITTLE_ENDIAN) new Uint8Array(f.buffer).set(bytes.subarray(at, at + 4 * count));
        else for (let i = 0; i < count; i++) f[i] = dv.getFloat32(4 * i, true);
      } else if (e.dtype === "BF16") {
        const u = new Uint32Array(f.buffer);
        for (let i = 0; i < count; i++) u[i] = dv.getUint16(2 * i, true) << 16;
      } else if (e.dtype === "F16") {
        for (let i = 0; i < count; i++) f[i] = halfToFloat(dv.getUint16(2 * i, true));
      } else {
        for (let i = 0; i < count; i++) f[i] = dv.getFloat64(8 * i, true);
      }
      values = f;
    }
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, tensor: tensor(values, e.shape, e.dtype === "I32" ? "int32" : "float32") });
  }
  return { tensors, metadata };
}
