import { defineConfig } from "tsup";

// Two entries: "@calm/data/gpt" is separate so that only its users load gpt-tokenizer.
// es2022 keeps gpu.js kernel bodies intact (lower targets rewrite syntax inside them).
export default defineConfig({
  entry: ["src/index.ts", "src/gpt.ts"],
  format: ["esm"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
});
