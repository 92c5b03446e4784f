import { defineConfig } from "tsup";

// Two builds: the library (ESM + .d.ts) and the `calm-brier` command, which alone gets the shebang banner.
// es2022 matches the rest of the monorepo. `clean` is off because the two builds share dist/ (the build script empties it).
export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm"],
    dts: true,
    sourcemap: true,
    clean: false,
    target: "es2022",
  },
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    clean: false,
    target: "es2022",
    platform: "node",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
