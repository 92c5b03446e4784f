// SPDX-License-Identifier: MIT

import type { Backend, KernelName, KernelTensor } from "../../src/index.js";
import type { Case, Host } from "./specs.js";

/** Default tolerances: float32 kernels against float32/float64-accumulating references. */
export const RTOL = 1e-5;
export const ATOL = 1e-6;

/**
 * Compares a backend's output with the reference: same storage type and length, NaN where the reference is
 * NaN, equal infinities, and |got − want| ≤ rtol·(|want| + scale) + atol elsewhere. Returns a description of
 * the first mismatch, or null.
 */
export function compareOutputs(got: Host, want: Host, scale?: Float64Array, rtol = RTOL, atol = ATOL): string | null {
  if (got.constructor !== want.constructor) return `dtype: got ${got.constructor.name}, want ${want.constructor.name}`;
  if (got.length !== want.length) return `length: got ${got.length}, want ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const g = got[i];
    const w = want[i];
    if (w !== w) {
      if (g === g) return `[${i}]: got ${g}, want NaN`;
      continue;
    }
    if (g === w) continue;
    const tol = rtol * (Math.abs(w) + (scale === undefined ? 0 : scale[i])) + atol;
    if (!(Math.abs(g - w) <= tol)) return `[${i}]: got ${g}, want ${w} (|diff| ${Math.abs(g - w).toExponential(2)} > tol ${tol.toExponential(2)})`;
  }
  return null;
}

function copyTensor(t: KernelTensor<Host>, backend: Backend<any>): KernelTensor<unknown> {
  return { data: backend.upload(t.data.slice(), t.dtype), shape: t.shape, dtype: t.dtype };
}

/** Output dtype of a case (what the op layer would allocate). */
export function outputDType(c: Case): "float32" | "int32" {
  const inputs = c.inputs as Record<string, KernelTensor<Host> | readonly KernelTensor<Host>[]>;
  switch (c.kernel) {
    case "ArgMax":
      return "int32";
    case "Cast":
      return (c.attrs as { dtype: "float32" | "int32" }).dtype;
    case "Gather":
      return (inputs.table as KernelTensor<Host>).dtype;
    case "Permute":
    case "Slice":
    case "Pad":
      return (inputs.x as KernelTensor<Host>).dtype;
    case "Concat": {
      const xs = inputs.xs as readonly KernelTensor<Host>[];
      return xs.length > 0 ? xs[0].dtype : "float32";
    }
    default:
      return "float32";
  }
}

/** Uploads a case's inputs to `backend`, runs its kernel and reads the output back (awaiting async backends). */
export async function runCase(backend: Backend<any>, c: Case): Promise<Host> {
  const inputs: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(c.inputs as Record<string, KernelTensor<Host> | readonly KernelTensor<Host>[]>)) {
    inputs[name] = Array.isArray(v) ? v.map((t: KernelTensor<Host>) => copyTensor(t, backend)) : copyTensor(v as KernelTensor<Host>, backend);
  }
  const run = backend.kernels[c.kernel as KernelName] as (i: unknown, a: unknown) => unknown;
  const data = run(inputs, c.attrs);
  const out = await backend.read(data, outputDType(c), -1);
  backend.disposeData(data);
  return out as Host;
}
