// SPDX-License-Identifier: MIT
// Score a model behind an OpenAI-compatible completions server (llama.cpp, vLLM, Ollama /v1, ...).
// Usage: tsx --conditions=@calm/source examples/server.ts http://127.0.0.1:8080/v1 [model-name]
import { brierLM, openAICompatibleModel } from "@calm/brier";

const model = openAICompatibleModel({ baseURL: process.argv[2] ?? "http://127.0.0.1:8080/v1", model: process.argv[3] });
const tokens = await model.tokenize("The quick brown fox jumps over the lazy dog. ".repeat(4));
const result = await brierLM(model, tokens, { seed: 1, concurrency: 8, onProgress: (d, t) => process.stderr.write(`\r${d}/${t}`) });
console.log("\n", result.brierN.map((b) => b.toFixed(3)), result.brierLM.toFixed(2), "±", result.brierLMStandardError.toFixed(2));
