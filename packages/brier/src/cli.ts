// SPDX-License-Identifier: MIT
// Entry point of the `calm-brier` command (the built file gets a `#!/usr/bin/env node` banner).
import { runCli } from "./cli-main.js";

process.exitCode = await runCli(process.argv.slice(2), process);
