// Test harness for the browser tests: builds the all-in-one launcher from this repository,
// starts it on a free loopback port with a temporary data directory (demo data included), and
// drives Debian's Chromium with playwright-core. Nothing is downloaded: the browser is the
// system's, and every request that would leave the machine is aborted.
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync, createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const webDir = resolve(here, "..");
export const repoDir = resolve(webDir, "..");
export const resultsDir = join(webDir, "test-results");
export const screenshotsDir = join(repoDir, "docs", "screenshots");

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// The flags that work on these machines (see shared TOOLCHAIN.md); playwright adds --headless.
export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * startSystem builds the launcher (unless LOOKLOOK_E2E_BINARY names one) and starts it. It
 * resolves once the BFF serves the embedded app at "/"; stop() ends it and removes its data.
 */
export async function startSystem() {
  const work = mkdtempSync(join(tmpdir(), "looklook-e2e-"));
  const dataDir = join(work, "data");
  mkdirSync(dataDir);
  let binary = process.env.LOOKLOOK_E2E_BINARY;
  if (!binary) {
    binary = join(work, "looklook");
    const t0 = Date.now();
    execFileSync("go", ["build", "-o", binary, "./cmd/looklook"], { cwd: repoDir, stdio: "inherit" });
    console.log(`# built the launcher in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  }
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  // Pictures and logs from an earlier run would be mistaken for this one's.
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  const logPath = join(resultsDir, "launcher.log");
  const log = createWriteStream(logPath);
  const child = spawn(binary, [], {
    cwd: work,
    env: {
      ...process.env,
      LOOKLOOK_ADDR: `127.0.0.1:${port}`,
      LOOKLOOK_DATA_DIR: dataDir,
      LOOKLOOK_LOG_LEVEL: process.env.LOOKLOOK_LOG_LEVEL ?? "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = null;
  child.on("exit", (code, signal) => {
    exited = { code, signal };
  });

  const stop = async () => {
    if (exited === null) {
      child.kill("SIGTERM");
      for (let i = 0; i < 100 && exited === null; i++) await sleep(100);
      if (exited === null) child.kill("SIGKILL");
    }
    log.end();
    rmSync(work, { recursive: true, force: true });
  };

  // LOOKLOOK_E2E_PREVIEW=1 (for development only) serves the app from `vite preview`, proxying
  // the API to the launcher, for a launcher that does not embed the app yet.
  const preview = process.env.LOOKLOOK_E2E_PREVIEW === "1";
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (preview) {
      const probe = await fetch(`${baseURL}/looklook.bff.v1.HomestayService/ListGuessHomestays`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      }).catch(() => null);
      if (probe && probe.ok) break;
      if (exited !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`the launcher did not serve the API; see ${logPath}`);
      }
      await sleep(250);
      continue;
    }
    if (exited !== null) {
      await stop();
      throw new Error(`the launcher exited (${JSON.stringify(exited)}) before serving; see ${logPath}`);
    }
    try {
      const res = await fetch(`${baseURL}/`);
      const body = await res.text();
      if (res.ok && body.includes('<div id="root">')) break;
      if (res.status === 404 && Date.now() > deadline - 110_000) {
        // The BFF answers but not with the app: the handler is not mounted at "/".
        const probe = await fetch(`${baseURL}/looklook.bff.v1.HomestayService/ListGuessHomestays`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: "{}",
        }).catch(() => null);
        if (probe && probe.ok) {
          await stop();
          throw new Error("the launcher serves the API but not the web app at /: wire web.Handler() into the BFF");
        }
      }
    } catch (e) {
      if (e instanceof Error && e.message.includes("wire web.Handler")) throw e;
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the launcher did not serve the app within 120s; see ${logPath}`);
    }
    await sleep(250);
  }
  if (preview) {
    const previewPort = await freePort();
    const vite = spawn(process.execPath, [join(webDir, "node_modules", "vite", "bin", "vite.js"), "preview", "--host", "127.0.0.1", "--port", String(previewPort), "--strictPort"], {
      cwd: webDir,
      env: { ...process.env, LOOKLOOK_API: baseURL },
      stdio: ["ignore", "pipe", "pipe"],
    });
    vite.stdout.pipe(log, { end: false });
    vite.stderr.pipe(log, { end: false });
    const previewURL = `http://127.0.0.1:${previewPort}`;
    for (let i = 0; ; i++) {
      const res = await fetch(`${previewURL}/`).catch(() => null);
      if (res && res.ok) break;
      if (i > 200) throw new Error("vite preview did not start");
      await sleep(100);
    }
    return {
      baseURL: previewURL,
      logPath,
      stop: async () => {
        vite.kill("SIGTERM");
        await stop();
      },
    };
  }
  return { baseURL, stop, logPath };
}

/** launchBrowser starts headless Chromium with a new, empty profile. */
export async function launchBrowser() {
  if (!existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (make web-test does)`);
  }
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
}

/**
 * newUser opens an isolated browser context (its own storage: one person) on the app, with
 * requests that leave the machine aborted.
 */
export async function newContext(browser, baseURL, options = {}) {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? { width: 1280, height: 860 },
    deviceScaleFactor: 1,
    isMobile: options.isMobile ?? false,
    hasTouch: options.hasTouch ?? false,
    locale: "en-US",
    timezoneId: "Asia/Shanghai",
    reducedMotion: "reduce",
  });
  const origin = new URL(baseURL).origin;
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort("blockedbyclient"),
  );
  context.setDefaultTimeout(15_000);
  return context;
}

/** screenshot saves a picture of the page under dir with a file-system-safe name. */
export async function screenshot(page, dir, name, options = {}) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name.replace(/[^A-Za-z0-9._-]+/g, "-")}.png`);
  await page.screenshot({ path: file, fullPage: options.fullPage ?? false, animations: "disabled" });
  return file;
}

export const updateScreenshots = process.env.UPDATE_SCREENSHOTS === "1";
