import { defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

// Tests run on sources: the "@calm/source" export condition resolves each workspace package to src/index.ts.
export default defineConfig({
  ssr: { resolve: { conditions: ["@calm/source", ...defaultServerConditions] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/bench/**", "**/dist/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
