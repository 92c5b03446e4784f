// SPDX-License-Identifier: MIT
export * from "./api.js";
export * from "./backend/backend.js";
export * from "./backend/kernels.js";
export * from "./backend/registry.js";
export { createCpuBackend, CPU_KERNELS } from "./backends/cpu/cpu-backend.js";
