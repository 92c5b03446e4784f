// SPDX-License-Identifier: MIT
// A tiny OpenAI-compatible completions server on 127.0.0.1 serving a byte-level Kneser-Ney model, to try
// examples/server.ts and `calm-brier --server` without a GPU. Prints its URL; stop with Ctrl-C.
import { fitKneserNey } from "@calm/brier";
import { startNgramServer } from "../test/ngram-server.js";

const train = Array.from(Buffer.from("The quick brown fox jumps over the lazy dog. ".repeat(50), "utf8"));
const server = await startNgramServer(fitKneserNey(train, { order: 4, vocabSize: 256 }));
console.log(server.baseURL);
if (process.argv.includes("--once")) setTimeout(() => void server.close(), Number(process.env.SERVE_MS ?? 5000));
