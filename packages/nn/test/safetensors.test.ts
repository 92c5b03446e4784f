// SPDX-License-Identifier: MIT
// safetensors encode/decode: exact round trip, hand-built files (F16, BF16, F64, I32), and every kind of
// corruption refused with the file and tensor named.

import { type Tensor, tensor } from "@calm/tensor";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "../src/index.js";

/** Builds a safetensors file by hand from a header object and raw data bytes (independent of the encoder). */
function build(header: unknown, data: number[] | Uint8Array, headerText?: string): Uint8Array {
  const json = new TextEncoder().encode(headerText ?? JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const bits = (t: Tensor) => Array.from(new Uint8Array((t.dataSync() as Float32Array).buffer.slice(0)));

describe("round trip", () => {
  const special = new Float32Array([0, -0, 1.5, -2, Infinity, -Infinity, 1e-45, 3.4028234663852886e38, Math.fround(Math.PI)]);
  const dict = new Map<string, Tensor>([
    ["b.weight", tensor(special, [3, 3])],
    ["a.bias", tensor([7], [1])],
    ["ids", tensor([-1, 0, 2147483647], [3], "int32")],
    ["scalar", tensor([42], [])],
  ]);

  it("every value comes back bit for bit, dtypes and shapes included, and re-encoding gives the same bytes", () => {
    const bytes = encodeSafetensors(dict, { format: "pt" });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: "pt" });
    expect([...tensors.keys()].sort()).toEqual([...dict.keys()].sort());
    for (const [k, t] of dict) {
      const e = tensors.get(k)!;
      expect(e.shape).toEqual([...t.shape]);
      expect(e.tensor.dtype).toBe(t.dtype);
      expect(bits(e.tensor)).toEqual(bits(t));
    }
    expect(tensors.get("ids")!.dtype).toBe("I32");
    const again = encodeSafetensors(new Map([...tensors].map(([k, e]) => [k, e.tensor])), { format: "pt" });
    expect(Buffer.compare(Buffer.from(again), Buffer.from(bytes))).toBe(0);
  });

  it("follows the format: u64 LE header length, 8-byte aligned header, name-ordered contiguous offsets", () => {
    const bytes = encodeSafetensors(dict);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header["a.bias"]).toEqual({ dtype: "F32", shape: [1], data_offsets: [0, 4] });
    expect(header["b.weight"]).toEqual({ dtype: "F32", shape: [3, 3], data_offsets: [4, 40] });
    expect(header.ids).toEqual({ dtype: "I32", shape: [3], data_offsets: [40, 52] });
    expect(header.scalar.data_offsets).toEqual([52, 56]);
    expect(bytes.length).toBe(8 + n + 56);
    expect(new DataView(bytes.buffer).getFloat32(8 + n + 4 + 8, true)).toBe(1.5);
  });
});

describe("hand-built files", () => {
  it("reads F16 and BF16 (the reference weights' dtypes) and F64 into float32, I32 as int32", () => {
    const f16 = [0x3e00, 0xc000, 0x0001, 0x7c00, 0x8000]; // 1.5, −2, 2⁻²⁴, +∞, −0
    const bf16 = [0x3fc0, 0xc000, 0x4049]; // 1.5, −2, 3.140625
    const data = new Uint8Array(10 + 6 + 8 + 4);
    const dv = new DataView(data.buffer);
    f16.forEach((h, i) => dv.setUint16(2 * i, h, true));
    bf16.forEach((h, i) => dv.setUint16(10 + 2 * i, h, true));
    dv.setFloat64(16, 0.1, true);
    dv.setInt32(24, -5, true);
    const file = build(
      {
        h: { dtype: "F16", shape: [5], data_offsets: [0, 10] },
        b: { dtype: "BF16", shape: [3], data_offsets: [10, 16] },
        d: { dtype: "F64", shape: [1], data_offsets: [16, 24] },
        i: { dtype: "I32", shape: [1, 1], data_offsets: [24, 28] },
      },
      data,
    );
    const t = decodeSafetensors(file).tensors;
    expect(Array.from(t.get("h")!.tensor.dataSync())).toEqual([1.5, -2, 2 ** -24, Infinity, -0]);
    expect(Array.from(t.get("b")!.tensor.dataSync())).toEqual([1.5, -2, 3.140625]);
    expect(t.get("d")!.tensor.dataSync()[0]).toBe(Math.fround(0.1));
    expect(t.get("i")!.tensor.dtype).toBe("int32");
    expect(t.get("i")!.tensor.toArray()).toEqual([[-5]]);
  });
});

describe("corruption is refused with the file and tensor named", () => {
  const good = encodeSafetensors(new Map([["w", tensor([1, 2, 3, 4], [2, 2])], ["v", tensor([5], [1])]]));

  it("every truncation of a valid file throws", () => {
    for (let len = 0; len < good.length; len++) {
      expect(() => decodeSafetensors(good.subarray(0, len), "m.safetensors"), `length ${len}`).toThrow(/m\.safetensors/);
    }
    expect(() => decodeSafetensors(good.subarray(0, 4), "m.safetensors")).toThrow(/truncated: 4 bytes/);
    expect(() => decodeSafetensors(good.subarray(0, good.length - 4), "m.safetensors")).toThrow(/tensor "w": data_offsets \[4, 20\] lie outside the 16-byte data section/);
  });

  it("a header that does not parse, or is not an object", () => {
    expect(() => decodeSafetensors(build(null, [], "{not json"), "x")).toThrow(/x has a header that does not parse/);
    expect(() => decodeSafetensors(build(null, [], "[1,2]"), "x")).toThrow(/x header must be a JSON object/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(() => decodeSafetensors(huge, "x")).toThrow(/header length 4611686018427387904 exceeds the 8 bytes/);
  });

  it("offsets outside the data, inconsistent with the shape, overlapping, leaving holes or trailing bytes", () => {
    const four = [0, 0, 128, 63];
    expect(() => decodeSafetensors(build({ a: { dtype: "F32", shape: [1], data_offsets: [0, 400] } }, four), "x")).toThrow(
      /x, tensor "a": data_offsets \[0, 400\] lie outside the 4-byte data section/,
    );
    expect(() => decodeSafetensors(build({ a: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, four), "x")).toThrow(
      /tensor "a": data_offsets span 4 bytes, shape \[2\] of F32 needs 8/,
    );
    const eight = [...four, ...four];
    expect(() =>
      decodeSafetensors(build({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] }, b: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, eight), "x"),
    ).toThrow(/tensor "b": data starts at 0, expected 4 \(overlaps the previous tensor\)/);
    expect(() => decodeSafetensors(build({ a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } }, eight), "x")).toThrow(/tensor "a": data starts at 4, expected 0 \(hole/);
    expect(() => decodeSafetensors(build({ a: { dtype: "F32", shape: [1], data_offsets: [0, 4] } }, eight), "x")).toThrow(/tensors cover 4 bytes but the data section has 8/);
  });

  it("unsupported dtypes, bad shapes and bad metadata", () => {
    expect(() => decodeSafetensors(build({ a: { dtype: "F8_E4M3", shape: [1], data_offsets: [0, 1] } }, [0]), "x")).toThrow(/tensor "a": unsupported dtype "F8_E4M3"/);
    expect(() => decodeSafetensors(build({ a: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, [0, 0, 0, 0]), "x")).toThrow(/tensor "a": shape must be an array of non-negative integers/);
    expect(() => decodeSafetensors(build({ __metadata__: { step: 3 } }, []), "x")).toThrow(/__metadata__.step must be a string/);
    expect(() => encodeSafetensors(new Map([["__metadata__", tensor([1])]]))).toThrow(/invalid tensor name "__metadata__"/);
  });
});
