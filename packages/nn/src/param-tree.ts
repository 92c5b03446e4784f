// SPDX-License-Identifier: MIT
//
// Parameter trees ↔ state dicts. A tree's dotted key paths (array indices included) are the state-dict
// names of the reference implementation, so flattening is the whole naming scheme: no name table to drift.

import { Tensor } from "@calm/tensor";
import type { ParamTree } from "./api.js";
import { sameShape } from "./validate.js";

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

function walk(tree: unknown, prefix: string, visit: (name: string, t: Tensor) => void, where: string): void {
  // null is what valueAndGrad gives for int32 leaves: treated as absent, like an omitted optional bias.
  if (tree === undefined || tree === null) return;
  if (tree instanceof Tensor) {
    visit(prefix, tree);
    return;
  }
  const join = (k: string | number) => (prefix === "" ? String(k) : `${prefix}.${k}`);
  if (Array.isArray(tree)) {
    tree.forEach((v, i) => walk(v, join(i), visit, where));
    return;
  }
  if (isPlainObject(tree)) {
    for (const [k, v] of Object.entries(tree)) {
      if (k.includes(".")) throw new RangeError(`${where}: key "${k}" under "${prefix}" contains a dot`);
      walk(v, join(k), visit, where);
    }
    return;
  }
  throw new TypeError(`${where}: "${prefix || "(root)"}" is ${tree === null ? "null" : typeof tree}, expected a tensor, array or plain object`);
}

/**
 * Flattens a parameter tree to a state dict: dotted key paths → tensors, in tree order. With the module
 * trees of this package the names are the HF/reference state-dict names (CALM reference section 9), e.g.
 * `layers.0.self_attn.q_proj.weight`.
 *
 * @param prefix - prepended with a dot (e.g. `"transformer"` for a CALM backbone).
 * @throws TypeError for a leaf that is not a tensor; RangeError for a key containing a dot.
 * @example
 * ```ts
 * flattenParams({ layers: [{ w: t }] }); // Map { "layers.0.w" => t }
 * ```
 */
export function flattenParams(tree: ParamTree, prefix = ""): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  walk(tree, prefix, (name, t) => out.set(name, t), "flattenParams");
  return out;
}

/**
 * Options of {@link unflattenParams}.
 *
 * @example
 * ```ts
 * unflattenParams(template, dict, { source: "model.safetensors", prefix: "transformer", ignoreUnexpected: true });
 * ```
 */
export interface UnflattenOptions {
  /** Names the origin in error messages (e.g. a file path); default "state dict". */
  readonly source?: string;
  /** Names in the dict carry this prefix (e.g. `"transformer"` for a CALM backbone, reference 9.3). */
  readonly prefix?: string;
  /** Ignore names the template does not have (e.g. `ae_model.*` when taking the backbone out of a CALM checkpoint); default false. */
  readonly ignoreUnexpected?: boolean;
}

/**
 * Rebuilds a tree with the structure of `template` from a state dict, checking every name and shape: the
 * inverse of {@link flattenParams}.
 *
 * @throws RangeError naming the tensor if one is missing, has a shape other than the template's, a dtype
 *   other than the template's, or (unless `ignoreUnexpected`) if `dict` holds a name the template lacks.
 * @example
 * ```ts
 * const backbone = unflattenParams(createTransformer(config, rng), loadSafetensors(path), { source: path, prefix: "transformer", ignoreUnexpected: true });
 * ```
 */
export function unflattenParams<P extends ParamTree>(template: P, dict: ReadonlyMap<string, Tensor>, options: UnflattenOptions = {}): P {
  const source = options.source ?? "state dict";
  const prefix = options.prefix ?? "";
  const expected = flattenParams(template, prefix);
  if (options.ignoreUnexpected !== true) {
    for (const name of dict.keys()) {
      if (!expected.has(name)) {
        throw new RangeError(`unflattenParams: ${source} has unexpected tensor "${name}" (not in the model)`);
      }
    }
  }
  return mapParams(template, (name, node) => {
    const path = prefix === "" ? name : name === "" ? prefix : `${prefix}.${name}`;
    const t = dict.get(path);
    if (t === undefined) throw new RangeError(`unflattenParams: ${source} is missing tensor "${path}" (shape [${node.shape.join(",")}])`);
    if (!sameShape(t, node)) {
      throw new RangeError(
        `unflattenParams: tensor "${path}" in ${source} has shape [${t.shape.join(",")}], the model expects [${node.shape.join(",")}]`,
      );
    }
    if (t.dtype !== node.dtype) throw new RangeError(`unflattenParams: tensor "${path}" in ${source} is ${t.dtype}, the model expects ${node.dtype}`);
    return t;
  });
}

/**
 * Applies `f` to every tensor of a tree (with its state-dict name), keeping the structure.
 *
 * @throws TypeError for a leaf that is not a tensor.
 * @example
 * ```ts
 * const zerosTree = mapParams(params, (_, t) => zerosLike(t));
 * ```
 */
export function mapParams<P extends ParamTree>(tree: P, f: (name: string, t: Tensor) => Tensor): P {
  const rec = (node: unknown, path: string): unknown => {
    if (node === undefined || node === null) return node;
    if (node instanceof Tensor) return f(path, node);
    const join = (k: string | number) => (path === "" ? String(k) : `${path}.${k}`);
    if (Array.isArray(node)) return node.map((v, i) => rec(v, join(i)));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        const r = rec(v, join(k));
        if (r !== undefined) out[k] = r;
      }
      return out;
    }
    throw new TypeError(`mapParams: "${path || "(root)"}" is ${node === null ? "null" : typeof node}, expected a tensor, array or plain object`);
  };
  return rec(tree, "") as P;
}

/**
 * Number of scalar parameters in a tree (sum of tensor sizes), optionally only those whose name passes
 * `filter` (e.g. excluding `embed_tokens` for the non-embedding count of the paper's FLOP accounting).
 *
 * @throws TypeError for a leaf that is not a tensor.
 * @example
 * ```ts
 * countParameters(createLinear({ inFeatures: 4, outFeatures: 3 }, rng)); // 15
 * ```
 */
export function countParameters(tree: ParamTree, filter?: (name: string, t: Tensor) => boolean): number {
  let n = 0;
  walk(tree, "", (name, t) => {
    if (filter === undefined || filter(name, t)) n += t.size;
  }, "countParameters");
  return n;
}
