// SPDX-License-Identifier: MIT
// ONNX models for the matmul benchmark (a one-node Gemm, Y = op(A)·op(B), and a batched MatMul), protobuf-encoded by
// hand so the benchmark needs no onnx tooling.
// Field numbers from onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto, TypeProto).

function varint(v: number): number[] {
  const out: number[] = [];
  while (v > 127) {
    out.push((v & 127) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}
/** Length-delimited field (wire type 2). */
function bytesField(field: number, payload: number[]): number[] {
  return [...varint((field << 3) | 2), ...varint(payload.length), ...payload];
}
/** Varint field (wire type 0). */
function intField(field: number, v: number): number[] {
  return [...varint(field << 3), ...varint(v)];
}
function str(field: number, s: string): number[] {
  return bytesField(field, [...new TextEncoder().encode(s)]);
}

/** ValueInfoProto of a float tensor with a fixed shape. */
function valueInfo(name: string, dims: number[]): number[] {
  const shape = dims.flatMap((d) => bytesField(1, intField(1, d))); // TensorShapeProto.dim { dim_value }
  const tensorType = [...intField(1, 1), ...bytesField(2, shape)]; // elem_type FLOAT = 1, shape
  return [...str(1, name), ...bytesField(2, bytesField(1, tensorType))]; // name, type { tensor_type }
}

/** ModelProto bytes around a graph: ir_version 8, producer "calm-bench", opset_import { domain "", version 13 }. */
function modelProto(graph: number[]): Uint8Array {
  return new Uint8Array([...intField(1, 8), ...str(2, "calm-bench"), ...bytesField(7, graph), ...bytesField(8, [...str(1, ""), ...intField(2, 13)])]);
}

/** AttributeProto with an INT value (type INT = 2). */
function intAttr(name: string, v: number): number[] {
  return [...str(1, name), ...intField(3, v), ...intField(20, 2)];
}

/**
 * ONNX model bytes computing Y[m,n] = op(A)·op(B) with one Gemm node (opset 13), inputs "A" and "B", output "Y".
 * A is [m,k] ([k,m] when transA), B is [k,n] ([n,k] when transB).
 */
export function gemmModel(m: number, k: number, n: number, transA: boolean, transB: boolean): Uint8Array {
  const node = [
    ...str(1, "A"),
    ...str(1, "B"),
    ...str(2, "Y"),
    ...str(3, "gemm"),
    ...str(4, "Gemm"),
    ...bytesField(5, intAttr("transA", transA ? 1 : 0)),
    ...bytesField(5, intAttr("transB", transB ? 1 : 0)),
  ];
  const graph = [
    ...bytesField(1, node),
    ...str(2, "matmul"),
    ...bytesField(11, valueInfo("A", transA ? [k, m] : [m, k])),
    ...bytesField(11, valueInfo("B", transB ? [n, k] : [k, n])),
    ...bytesField(12, valueInfo("Y", [m, n])),
  ];
  return modelProto(graph);
}

/** AttributeProto with an INTS value (type INTS = 7, repeated field ints = 8). */
function intsAttr(name: string, vs: number[]): number[] {
  return [...str(1, name), ...vs.flatMap((v) => intField(8, v)), ...intField(20, 7)];
}

/**
 * ONNX model bytes computing the batched product Y[t] = A[t]·op(B[t]) for t < batch with MatMul (opset 13), with
 * a Transpose (perm [0, 2, 1]) in front of B when `transB`. A is [batch, m, k], B is [batch, k, n] ([batch, n, k]
 * when transB), Y is [batch, m, n].
 */
export function batchedMatMulModel(batch: number, m: number, k: number, n: number, transB: boolean): Uint8Array {
  const nodes: number[] = [];
  if (transB) {
    nodes.push(...bytesField(1, [...str(1, "B"), ...str(2, "Bt"), ...str(3, "transpose"), ...str(4, "Transpose"), ...bytesField(5, intsAttr("perm", [0, 2, 1]))]));
  }
  nodes.push(...bytesField(1, [...str(1, "A"), ...str(1, transB ? "Bt" : "B"), ...str(2, "Y"), ...str(3, "matmul"), ...str(4, "MatMul")]));
  const graph = [
    ...nodes,
    ...str(2, "batched-matmul"),
    ...bytesField(11, valueInfo("A", [batch, m, k])),
    ...bytesField(11, valueInfo("B", transB ? [batch, n, k] : [batch, k, n])),
    ...bytesField(12, valueInfo("Y", [batch, m, n])),
  ];
  return modelProto(graph);
}
