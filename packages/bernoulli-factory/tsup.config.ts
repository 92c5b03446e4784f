import { defineConfig } from "tsup";

// es2022 keeps gpu.js kernel bodies intact (lower targets rewrite syntax inside them).
export default defineConfig({
  entry: ["src/index.ts", "src/testing.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
});
