// Why: what the browser specs share — checks and their report, child processes that never outlive the run, polling waits,
// test clips, GStreamer's RTSP server, a real `vigil serve` on a temp data dir, API calls and a headless Chromium.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

// ---------------------------------------------------------------------------------------------
// Reporting

const results = [];
export const log = (...a) => console.log(...a);
export function pass(what, detail = '') {
  results.push({ ok: true, what });
  log(`ok - ${what}${detail ? ` (${detail})` : ''}`);
}
export function failCheck(what, err) {
  results.push({ ok: false, what });
  log(`not ok - ${what}: ${err instanceof Error ? err.message : String(err)}`);
}
/** Run one check; a failure is reported and the run goes on. */
export async function check(what, fn) {
  try {
    const detail = await fn();
    pass(what, typeof detail === 'string' ? detail : '');
    return true;
  } catch (e) {
    failCheck(what, e);
    return false;
  }
}
export const failures = () => results.filter((r) => !r.ok).length;

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked and killed on exit, also on failure or a signal.

const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

export function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.on('error', () => children.delete(child));
  return child;
}

export async function stopChild(child, graceMs = 10_000, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll() {
  for (const c of [...children]) await stopChild(c).catch(() => {});
}

export async function run(cmd, args, { timeoutMs = 300_000 } = {}) {
  const child = start(cmd, args);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${code ?? signal}):\n${out.slice(-3000)}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Waiting: poll a condition, never sleep for a fixed time.

export async function waitFor(what, fn, { timeoutMs, intervalMs = 250, describe } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastErr;
  for (;;) {
    try {
      last = await fn();
      if (last && last.ok !== false) return last;
      lastErr = undefined;
    } catch (e) {
      lastErr = e;
    }
    if (Date.now() > deadline) {
      const state = lastErr ? `last error: ${lastErr.message}` : `last state: ${describe ? describe(last) : JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}; ${state}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Media and servers

/** An H.264 (or, with codec 'h265', an H.265 tagged hvc1) 640x360 25 fps clip (testsrc2, no B-frames, GOP 25). */
export async function makeClip(path, seconds, { size = '640x360', codec = 'h264' } = {}) {
  const enc =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-bf', '0', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0']
      : ['-c:v', 'libx265', '-tag:v', 'hvc1', '-x265-params', 'keyint=25:min-keyint=25:bframes=0:log-level=error'];
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=${seconds}`,
    ...enc, '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', path,
  ]);
}

/** GStreamer's RTSP server (tests/support/rtsp_server.py) with mounts `name=h264:path`; each mount plays its file once, from its first client on. */
export async function startRtsp(mounts, timeoutMs, logPath) {
  const child = start('/usr/bin/python3', [join(ROOT, 'tests/support/rtsp_server.py'), '0', ...mounts]);
  const logFile = createWriteStream(logPath);
  child.stderr.pipe(logFile);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    logFile.write(d);
  });
  const port = await waitFor(
    'the RTSP server to print READY',
    () => {
      if (child.exitCode !== null) throw new Error(`rtsp_server.py exited (${child.exitCode}): ${out}`);
      const m = /READY (\d+)/.exec(out);
      return m ? Number(m[1]) : null;
    },
    { timeoutMs, intervalMs: 100, describe: () => JSON.stringify(out) },
  );
  return { child, base: `rtsp://127.0.0.1:${port}` };
}

export function tail(path, n = 40) {
  try {
    return '\n' + readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** `vigil serve` on a fresh data dir (config.toml written from `config`), serving ui/dist. */
export async function startVigil(dataDir, { token, timeoutMs, logPath, config = '', env: extraEnv = {} }) {
  const bin = join(ROOT, 'target/debug/vigil');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run cargo build -p vigil`);
  const uiDir = join(ROOT, 'ui/dist');
  if (!existsSync(join(uiDir, 'index.html'))) throw new Error('ui/dist is missing: run npm run build:ui');
  mkdirSync(dataDir, { recursive: true });
  if (config) writeFileSync(join(dataDir, 'config.toml'), config);
  const env = {
    ...process.env,
    VIGIL_TOKEN: token,
    VIGIL_RTMP_LISTEN: 'off',
    VIGIL_DETECTION: 'off',
    VIGIL_NOTIFICATIONS: 'off',
    RUST_LOG: process.env.RUST_LOG ?? 'info',
    NO_COLOR: '1',
    ...extraEnv,
  };
  delete env.VIGIL_DATA_DIR;
  delete env.VIGIL_LISTEN;
  const child = start(
    bin,
    ['serve', '--listen', '127.0.0.1:0', '--data-dir', dataDir, '--credential-store', 'file', '--ui-dir', uiDir],
    { env },
  );
  const logFile = createWriteStream(logPath);
  child.stdout.pipe(logFile);
  child.stderr.pipe(logFile);
  const runtime = join(dataDir, 'runtime.json');
  const info = await waitFor(
    'Vigil to write runtime.json',
    () => {
      if (child.exitCode !== null) throw new Error(`vigil exited (${child.exitCode}); log: ${tail(logPath)}`);
      if (!existsSync(runtime)) return null;
      return JSON.parse(readFileSync(runtime, 'utf8'));
    },
    { timeoutMs, intervalMs: 100 },
  );
  return { child, url: info.url.replace(/\/+$/, '') };
}

export const newToken = () => `vgl_browser_${randomBytes(16).toString('hex')}`;

export async function api(base, token, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 204) return undefined;
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: reported below.
  }
  if (!res.ok || !json?.success) throw new Error(`${method} ${path} → HTTP ${res.status}: ${text.slice(0, 500)}`);
  return json.data;
}

// ---------------------------------------------------------------------------------------------
// The browser

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launch(profileDir, { chromiumPath = '/usr/bin/chromium', viewport = { width: 1280, height: 900 } } = {}) {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing (apt-get install chromium)`);
  mkdirSync(profileDir, { recursive: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') log(`  [browser ${m.type()}] ${m.text()}`);
  });
  return { context, page, pageErrors };
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = join(ARTIFACTS, name);
  await page.screenshot({ path: file });
  log(`  screenshot: ${file}`);
  return file;
}

/** The built JS: bytes and gzip bytes of every ui/dist/assets/*.js, and of what index.html loads at once (entry + preloads). */
export function bundleSize() {
  const dir = join(ROOT, 'ui/dist/assets');
  const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
  let raw = 0;
  let gz = 0;
  const per = [];
  for (const f of files) {
    const buf = readFileSync(join(dir, f));
    const z = gzipSync(buf, { level: 9 }).length;
    raw += statSync(join(dir, f)).size;
    gz += z;
    per.push({ file: f, raw: buf.length, gzip: z });
  }
  const html = readFileSync(join(ROOT, 'ui/dist/index.html'), 'utf8');
  const first = per.filter((p) => html.includes(`assets/${p.file}`));
  const initial = { files: first.map((p) => p.file), raw: first.reduce((s, p) => s + p.raw, 0), gzip: first.reduce((s, p) => s + p.gzip, 0) };
  return { raw, gzip: gz, files: per.sort((a, b) => b.raw - a.raw), initial };
}

export const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** A temp dir for one run; removed at the end unless --keep. */
export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Standard ending: stop children, clean up, print the closing line, exit with the result. */
export async function finish(tmp, { keep = false, vigilLog = null } = {}) {
  const failed = failures();
  if (failed && vigilLog) log(`--- last lines of the Vigil log ---${tail(vigilLog, 60)}`);
  await stopAll();
  if (keep) log(`kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
  log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

/** Stop everything on Ctrl-C or SIGTERM (e.g. from the runner); the temp dir is removed unless `keep`. */
export function onSignals(tmp, { keep = false } = {}) {
  const handler = (sig) => {
    log(`${sig}: stopping`);
    void stopAll().finally(() => {
      if (keep) log(`kept ${tmp}`);
      else rmSync(tmp, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** `--keep`, `--timeout S`, `--chromium PATH` and `--help` (the file's opening comment). */
export function commonArgs(argv, helpFile, extra = {}) {
  const out = { timeout: 60, keep: false, chromium: '/usr/bin/chromium' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--keep') out.keep = true;
    else if (a === '--timeout') out.timeout = Number(val());
    else if (a === '--chromium') out.chromium = val();
    else if (a === '-h' || a === '--help') {
      const lines = readFileSync(helpFile, 'utf8').split('\n');
      console.log(lines.slice(1, lines.findIndex((l, n) => n > 0 && !l.startsWith('//'))).join('\n'));
      process.exit(0);
    } else if (extra[a]) extra[a](out, val);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(out.timeout > 0)) throw new Error('--timeout must be positive');
  return out;
}
