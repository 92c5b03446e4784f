// SPDX-License-Identifier: MIT

import { createCpuBackend } from "../backends/cpu/cpu-backend.js";
import type { Backend, BackendFactory } from "./backend.js";
import type { KernelFunc, KernelName } from "./kernels.js";

interface Entry {
  readonly factory: BackendFactory;
  instance: Backend<any> | null;
}

// The CPU backend is built in (created lazily on first use) and is the default: it is the honest choice on
// a machine without a real GPU. Other backends are added by an explicit `registerBackend` call and only become
// current through `setBackend`; nothing here probes for a GPU, so a software renderer is never picked.
const entries = new Map<string, Entry>([["cpu", { factory: createCpuBackend, instance: null }]]);
const overrides = new Map<string, Map<KernelName, KernelFunc<KernelName, any>>>();
let currentName = "cpu";

/**
 * Registers a backend factory under `name`. The factory runs lazily, the first time the backend is selected.
 * Registering does not select it (see {@link setBackend}).
 *
 * @param name - registry name, e.g. `"gpujs"`.
 * @param factory - creates the backend instance.
 * @throws Error if `name` is already registered (call {@link removeBackend} first).
 * @example
 * ```ts
 * registerBackend("gpujs", () => createGpujsBackend({ mode: "cpu" }));
 * setBackend("gpujs");
 * ```
 */
export function registerBackend(name: string, factory: BackendFactory): void {
  if (entries.has(name)) throw new Error(`registerBackend: a backend named "${name}" is already registered`);
  entries.set(name, { factory, instance: null });
}

/**
 * Removes a registered backend (not the built-in `"cpu"`). If it was current, `"cpu"` becomes current.
 * Tensors that live on it must not be used afterwards.
 *
 * @throws Error if `name` is `"cpu"`.
 * @example
 * ```ts
 * removeBackend("gpujs");
 * ```
 */
export function removeBackend(name: string): void {
  if (name === "cpu") throw new Error(`removeBackend: the built-in "cpu" backend cannot be removed`);
  entries.delete(name);
  overrides.delete(name);
  if (currentName === name) currentName = "cpu";
}

/**
 * Selects the backend new tensors are created on and ops run on.
 *
 * @throws RangeError naming the valid choices if `name` is not registered.
 * @example
 * ```ts
 * setBackend("cpu");
 * ```
 */
export function setBackend(name: string): void {
  instantiate(name, "setBackend");
  currentName = name;
}

/**
 * The current backend (the CPU backend unless {@link setBackend} chose another).
 *
 * @example
 * ```ts
 * getBackend().name; // "cpu"
 * ```
 */
export function getBackend(): Backend<any> {
  return instantiate(currentName, "getBackend");
}

/**
 * The instance of a registered backend, created on first request (does not change the current backend).
 * Conformance suites use it to run one kernel on several backends side by side.
 *
 * @throws RangeError naming the valid choices if `name` is not registered.
 * @example
 * ```ts
 * findBackend("cpu").name; // "cpu"
 * ```
 */
export function findBackend(name: string): Backend<any> {
  return instantiate(name, "findBackend");
}

/**
 * Name of the current backend.
 *
 * @example
 * ```ts
 * getBackendName(); // "cpu"
 * ```
 */
export function getBackendName(): string {
  return currentName;
}

/**
 * Names of all registered backends, `"cpu"` first.
 *
 * @example
 * ```ts
 * listBackends(); // ["cpu"]
 * ```
 */
export function listBackends(): string[] {
  return [...entries.keys()];
}

/**
 * Replaces one kernel of a registered backend (e.g. to try a faster implementation). Takes effect at once.
 *
 * @throws RangeError if `backendName` is not registered.
 * @example
 * ```ts
 * registerKernel("cpu", "Unary", myUnary);
 * ```
 */
export function registerKernel<K extends KernelName>(backendName: string, kernel: K, run: KernelFunc<K, any>): void {
  entryOf(backendName, "registerKernel");
  let table = overrides.get(backendName);
  if (table === undefined) overrides.set(backendName, (table = new Map()));
  table.set(kernel, run as KernelFunc<KernelName, any>);
}

/**
 * Removes a kernel override made with {@link registerKernel}, restoring the backend's own kernel.
 *
 * @example
 * ```ts
 * unregisterKernel("cpu", "Unary");
 * ```
 */
export function unregisterKernel(backendName: string, kernel: KernelName): void {
  overrides.get(backendName)?.delete(kernel);
}

/**
 * The implementation of `kernel` on `backend`: an override from {@link registerKernel} if any, else the
 * backend's own.
 *
 * @example
 * ```ts
 * const run = getKernel(getBackend(), "Unary");
 * ```
 */
export function getKernel<K extends KernelName>(backend: Backend<any>, kernel: K): KernelFunc<K, any> {
  const override = overrides.get(backend.name)?.get(kernel);
  return (override ?? backend.kernels[kernel]) as KernelFunc<K, any>;
}

/** The registry entry of `name`, or a RangeError from `fn` naming the registered backends. */
function entryOf(name: string, fn: string): Entry {
  const entry = entries.get(name);
  if (entry === undefined) throw new RangeError(`${fn}: unknown backend "${name}"; registered: ${listBackends().join(", ")}`);
  return entry;
}

/** The instance of backend `name`, created on first use (errors name `fn`). */
function instantiate(name: string, fn: string): Backend<any> {
  const entry = entryOf(name, fn);
  if (entry.instance === null) entry.instance = entry.factory();
  return entry.instance;
}
