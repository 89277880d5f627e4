// Runs the browser tests with node's test runner (playwright-core has no runner of its own).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const res = spawnSync(process.execPath, ["--test", "--test-concurrency=1", "--test-timeout=600000", join(here, "app.test.mjs")], {
  stdio: "inherit",
  env: process.env,
});
process.exit(res.status ?? 1);
