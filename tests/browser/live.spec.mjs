#!/usr/bin/env node
// Why: the live players in a real browser against the real server — headless Chromium opens Vigil's own UI,
// opens a camera's live tile and checks MSE and HLS video advance and MJPEG shows pictures.
//
//   node tests/browser/live.spec.mjs
//       Makes H.264 and H.265 640x360 25 fps clips, serves them over RTSP (tests/support/rtsp_server.py),
//       starts target/debug/vigil serve on a fresh data dir, adds the cameras over the API, drives the UI.
//       Needs: `cargo build -p vigil`, `npm run build:ui`, ffmpeg, /usr/bin/chromium, GStreamer's RTSP server.
//   node tests/browser/live.spec.mjs --url http://127.0.0.1:7878 --token TOKEN --camera 1
//       Only the browser part, against a running server and an existing camera.
// Options: --keep (keep the temp dir and print its path), --timeout SECONDS (per wait, default 60),
// --modes mse,hls,mjpeg (which players to check), --chromium PATH, --screenshot FILE.png (the page
// while each player runs: FILE-mse.png, FILE-hls.png, FILE-mjpeg.png), --no-h265 (skip the second,
// H.265 camera that the self-contained run adds to check the automatic MJPEG fallback).
// Exits 0 when every check passed; prints one line per check and a closing "N passed, N failed".

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, createWriteStream, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const out = { timeout: 60, modes: ['mse', 'hls', 'mjpeg'], chromium: '/usr/bin/chromium', keep: false, h265: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined || v === '' || v.startsWith('--')) throw new Error(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '--url':
        out.url = val().replace(/\/+$/, '');
        break;
      case '--token':
        out.token = val();
        break;
      case '--camera':
        out.camera = Number(val());
        break;
      case '--timeout':
        out.timeout = Number(val());
        break;
      case '--modes':
        out.modes = val().split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--chromium':
        out.chromium = val();
        break;
      case '--screenshot':
        out.screenshot = resolve(val());
        break;
      case '--no-h265':
        out.h265 = false;
        break;
      case '--keep':
        out.keep = true;
        break;
      case '-h':
      case '--help':
        console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 15).join('\n'));
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  const attach = [out.url, out.token, out.camera].filter((x) => x !== undefined).length;
  if (attach !== 0 && attach !== 3) throw new Error('--url, --token and --camera go together');
  if (out.camera !== undefined && !Number.isInteger(out.camera)) throw new Error('--camera must be a number');
  for (const m of out.modes) if (!['mse', 'hls', 'mjpeg'].includes(m)) throw new Error(`unknown mode ${m}`);
  if (!(out.timeout > 0)) throw new Error('--timeout must be positive');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reporting

const results = [];
const log = (...a) => console.log(...a);
function pass(what, detail = '') {
  results.push({ ok: true, what });
  log(`ok - ${what}${detail ? ` (${detail})` : ''}`);
}
function failCheck(what, err) {
  results.push({ ok: false, what });
  log(`not ok - ${what}: ${err instanceof Error ? err.message : String(err)}`);
}

// ---------------------------------------------------------------------------------------------
// Child processes: every one is tracked and killed on exit, also on failure or a signal.

const children = new Set();
// Last resort (an exit that skipped the cleanup): nothing this script started outlives it.
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

function start(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.on('error', () => children.delete(child));
  return child;
}

async function stopChild(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Run to completion, with output kept for the error message. */
async function run(cmd, args, { timeoutMs = 300_000 } = {}) {
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

async function waitFor(what, fn, { timeoutMs, intervalMs = 250, describe } = {}) {
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

// ---------------------------------------------------------------------------------------------
// The self-contained set-up: clip → RTSP server → Vigil → camera.

async function makeClip(path, seconds, codec = 'h264') {
  const enc =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-bf', '0', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0']
      : ['-c:v', 'libx265', '-tag:v', 'hvc1', '-x265-params', 'keyint=25:min-keyint=25:bframes=0:log-level=error'];
  await run('ffmpeg', [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', `testsrc2=size=640x360:rate=25:duration=${seconds}`,
    ...enc, '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    '-movflags', '+faststart', path,
  ]);
}

async function startRtsp(mounts, timeoutMs, logPath) {
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

async function startVigil(dataDir, token, timeoutMs, logPath) {
  const bin = join(ROOT, 'target/debug/vigil');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run cargo build -p vigil`);
  const uiDir = join(ROOT, 'ui/dist');
  if (!existsSync(join(uiDir, 'index.html'))) throw new Error('ui/dist is missing: run npm run build:ui');
  const env = {
    ...process.env,
    VIGIL_TOKEN: token,
    VIGIL_RTMP_LISTEN: 'off',
    RUST_LOG: process.env.RUST_LOG ?? 'info',
    NO_COLOR: '1',
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

function tail(path, n = 40) {
  try {
    return '\n' + readFileSync(path, 'utf8').trimEnd().split('\n').slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

async function api(base, token, method, path, body) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      Accept: 'application/json',
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Not JSON: reported below.
  }
  if (!res.ok || !json?.success) {
    throw new Error(`${method} ${path} → HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
  return json.data;
}

// ---------------------------------------------------------------------------------------------
// The browser part.

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** What the page says about a camera's tile and its media element. */
function tileState(id) {
  const tile = document.querySelector(`[data-testid="live-tile-${id}"]`);
  const video = document.querySelector(`video[data-testid="live-video-${id}"]`);
  const img = document.querySelector(`img[data-testid="live-img-${id}"]`);
  const ranges = [];
  if (video) for (let i = 0; i < video.buffered.length; i++) ranges.push([video.buffered.start(i), video.buffered.end(i)]);
  return {
    tile: !!tile,
    mode: tile?.getAttribute('data-mode') ?? null,
    state: tile?.getAttribute('data-state') ?? null,
    status: document.querySelector(`[data-testid="live-status-${id}"]`)?.textContent ?? null,
    error: document.querySelector(`[data-testid="live-error-${id}"]`)?.textContent ?? null,
    video: video
      ? {
          player: video.getAttribute('data-player'),
          currentTime: video.currentTime,
          readyState: video.readyState,
          paused: video.paused,
          width: video.videoWidth,
          height: video.videoHeight,
          buffered: ranges,
          error: video.error ? `${video.error.code} ${video.error.message}` : null,
          src: video.currentSrc || video.src,
        }
      : null,
    img: img
      ? { complete: img.complete, naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight, src: img.src }
      : null,
  };
}

async function checkVideo(page, id, player, timeoutMs) {
  const sel = `video[data-testid="live-video-${id}"][data-player="${player}"]`;
  await page.waitForSelector(sel, { timeout: timeoutMs });
  pass(`${player}: the tile shows a <video> driven by the ${player} player`);
  // First moment it plays, then at least 2 s more of playback.
  const first = await waitFor(
    `${player} video to start playing`,
    async () => {
      const s = await page.evaluate(tileState, id);
      return s.video && s.video.player === player && s.video.readyState >= 2 && !s.video.paused && s.video.currentTime > 0
        ? s
        : { ok: false, ...s };
    },
    { timeoutMs, describe: (s) => JSON.stringify(s) },
  );
  const t0 = first.video.currentTime;
  const startedAt = Date.now();
  const later = await waitFor(
    `${player} currentTime to advance 2 s past ${t0.toFixed(2)}`,
    async () => {
      const s = await page.evaluate(tileState, id);
      return s.video && s.video.player === player && s.video.currentTime > 2 && s.video.currentTime - t0 >= 2
        ? s
        : { ok: false, ...s };
    },
    { timeoutMs, describe: (s) => JSON.stringify(s) },
  );
  const v = later.video;
  const wall = (Date.now() - startedAt) / 1000;
  const end = v.buffered.length ? v.buffered[v.buffered.length - 1][1] : NaN;
  pass(
    `${player}: currentTime advanced past 2 s`,
    `from ${t0.toFixed(2)} to ${v.currentTime.toFixed(2)} in ${wall.toFixed(1)} s wall, ${v.width}x${v.height}, ` +
      `${(end - v.currentTime).toFixed(2)} s behind the buffered end, tile "${later.status}"`,
  );
  if (v.width !== 640 || v.height !== 360) throw new Error(`${player}: video is ${v.width}x${v.height}, expected 640x360`);
  pass(`${player}: the picture is 640x360`);
  if (player === 'mse') {
    // The page keeps MSE within 1.5 s of the live edge.
    if (!(end - v.currentTime <= 1.6)) throw new Error(`mse: ${(end - v.currentTime).toFixed(2)} s behind the buffered end`);
    pass('mse: playback stays within 1.5 s of the buffered end');
  }
}

async function checkMjpeg(page, id, timeoutMs) {
  await page.waitForSelector(`img[data-testid="live-img-${id}"]`, { timeout: timeoutMs });
  const first = await waitFor(
    'an MJPEG frame in the <img>',
    async () => {
      const s = await page.evaluate(tileState, id);
      return s.img && s.img.complete && s.img.naturalWidth > 0 ? s : { ok: false, ...s };
    },
    { timeoutMs, describe: (s) => JSON.stringify(s) },
  );
  if (!first.img.src.startsWith('blob:')) throw new Error(`img src is ${first.img.src}, expected a blob: URL`);
  pass('mjpeg: the <img> shows a JPEG', `${first.img.naturalWidth}x${first.img.naturalHeight}, ${first.img.src.slice(0, 40)}…`);
  // Frames keep coming: the object URL changes (and each old one is revoked by the page).
  await waitFor(
    'a second MJPEG frame',
    async () => {
      const s = await page.evaluate(tileState, id);
      return s.img && s.img.src !== first.img.src && s.img.naturalWidth > 0 ? s : { ok: false, ...s };
    },
    { timeoutMs, describe: (s) => JSON.stringify(s) },
  );
  pass('mjpeg: new frames keep arriving');
  // A level switch goes over the open socket; frames must keep coming after it.
  await page.selectOption(`[data-testid="live-quality-${id}"]`, 'high');
  const before = (await page.evaluate(tileState, id)).img.src;
  const after = await waitFor(
    'MJPEG frames after switching to high',
    async () => {
      const s = await page.evaluate(tileState, id);
      return s.img && s.img.src !== before && s.img.naturalWidth > 0 ? s : { ok: false, ...s };
    },
    { timeoutMs, describe: (s) => JSON.stringify(s) },
  );
  pass('mjpeg: frames keep coming after a switch to quality=high', `${after.img.naturalWidth}x${after.img.naturalHeight}`);
}

/** An H.265 camera in Chromium, which cannot decode H.265 through MSE: the tile must pick MJPEG by itself. */
async function checkH265(page, addCamera, timeoutMs) {
  const id = await addCamera();
  await page.waitForSelector(`[data-testid="camera-row-${id}"]`, { timeout: timeoutMs });
  const supported = await page.evaluate(() => MediaSource.isTypeSupported('video/mp4; codecs="hvc1.1.6.L93.B0"'));
  await page.click(`[data-testid="live-${id}"]`);
  const s = await waitFor(
    'the H.265 tile to choose a player',
    async () => {
      const st = await page.evaluate(tileState, id);
      return st.mode ? st : null;
    },
    { timeoutMs },
  );
  const want = supported ? 'mse' : 'mjpeg';
  if (s.mode !== want) throw new Error(`H.265 with isTypeSupported=${supported}: the tile chose ${s.mode}, expected ${want}`);
  pass(`h265: the tile chose ${want} by itself`, `isTypeSupported(hvc1)=${supported}`);
  if (want === 'mjpeg') {
    const shown = await waitFor(
      'an MJPEG frame of the H.265 camera',
      async () => {
        const st = await page.evaluate(tileState, id);
        return st.img && st.img.complete && st.img.naturalWidth > 0 ? st : { ok: false, ...st };
      },
      { timeoutMs, describe: (st) => JSON.stringify(st) },
    );
    pass('h265: the MJPEG fallback shows the picture', `${shown.img.naturalWidth}x${shown.img.naturalHeight}`);
  }
  await page.click(`[data-testid="live-close-${id}"]`);
}

async function browserChecks({ url, token, camera, timeoutMs, modes, chromiumPath, profileDir, screenshot, addH265 }) {
  const info = () => api(url, token, 'GET', `/cameras/${camera}/stream/info`);
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing (apt-get install chromium)`);
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  const pageErrors = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') log(`  [browser ${m.type()}] ${m.text()}`);
    });
    await page.goto(`${url}/#token=${encodeURIComponent(token)}`, { timeout: timeoutMs });
    // The app opens on the live grid; the camera list (with its own live tiles) is the Cameras page.
    await page.click('[data-testid="nav-cameras"]', { timeout: timeoutMs });
    await page.waitForSelector(`[data-testid="camera-row-${camera}"]`, { timeout: timeoutMs });
    const stripped = await page.evaluate(() => location.hash);
    if (stripped.includes('token')) throw new Error(`the token was left in the address bar: ${stripped}`);
    pass('the UI served by Vigil signed in with #token= and lists the camera');

    await page.click(`[data-testid="live-${camera}"]`);
    await page.waitForSelector(`[data-testid="live-tile-${camera}"]`, { timeout: timeoutMs });
    const auto = await waitFor(
      'the tile to choose a player',
      async () => {
        const s = await page.evaluate(tileState, camera);
        return s.mode ? s : null;
      },
      { timeoutMs },
    );
    const mseOk = await page.evaluate(() => typeof MediaSource !== 'undefined');
    if (mseOk && auto.mode !== 'mse') throw new Error(`H.264 in Chromium should start as MSE, the tile chose ${auto.mode}`);
    pass('the live tile opened and chose MSE for H.264 by itself', `mode=${auto.mode}`);

    for (const mode of modes) {
      const current = (await page.evaluate(tileState, camera)).mode;
      if (current !== mode) await page.click(`[data-testid="live-mode-${camera}-${mode}"]`);
      await waitFor(`the tile to switch to ${mode}`, async () => (await page.evaluate(tileState, camera)).mode === mode, {
        timeoutMs,
      });
      try {
        if (mode === 'mjpeg') await checkMjpeg(page, camera, timeoutMs);
        else await checkVideo(page, camera, mode, timeoutMs);
        if (screenshot) {
          const file = screenshot.replace(/(\.png)?$/, `-${mode}.png`);
          mkdirSync(dirname(file), { recursive: true });
          await page.screenshot({ path: file });
          log(`  screenshot: ${file}`);
        }
        const i = await info();
        if (mode === 'mse') {
          if (!i.mime || !/avc1\./.test(i.mime)) throw new Error(`stream/info mime is ${i.mime} while MSE plays`);
          pass('mse: stream/info now gives the MIME type', `${i.mime}, viewers ${JSON.stringify(i.viewers)}`);
        } else {
          log(`  stream/info viewers while ${mode} plays: ${JSON.stringify(i.viewers)}`);
        }
      } catch (e) {
        failCheck(`${mode} player`, e);
        log(`  tile: ${JSON.stringify(await page.evaluate(tileState, camera))}`);
      }
    }
    await page.click(`[data-testid="live-close-${camera}"]`);
    await page.waitForSelector(`[data-testid="live-tile-${camera}"]`, { state: 'detached', timeout: timeoutMs });
    pass('closing the tile removes it');
    if (addH265) {
      try {
        await checkH265(page, addH265, timeoutMs);
      } catch (e) {
        failCheck('h265 camera', e);
      }
    }
    if (pageErrors.length) throw new Error(`uncaught errors in the page:\n  ${pageErrors.join('\n  ')}`);
    pass('no uncaught errors in the page');
  } finally {
    await context.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`live.spec.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  const timeoutMs = args.timeout * 1000;
  const tmp = mkdtempSync(join(tmpdir(), 'vigil-browser-'));
  let vigil = null;
  let vigilLog = null;
  const cleanup = async () => {
    for (const c of [...children]) await stopChild(c).catch(() => {});
    if (args.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  };
  const onSignal = (sig) => {
    log(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    let { url, token, camera } = args;
    let addH265 = null;
    if (url === undefined) {
      const clip = join(tmp, 'clip.mp4');
      // Long enough for every check: the RTSP server plays the file once, in real time.
      await makeClip(clip, 300);
      pass('made an H.264 640x360 25 fps clip (testsrc2, no B-frames, GOP 25)');
      const mounts = [`cam=h264:${clip}`];
      if (args.h265) {
        const clip265 = join(tmp, 'clip265.mp4');
        await makeClip(clip265, 120, 'h265');
        pass('made an H.265 640x360 25 fps clip');
        mounts.push(`cam265=h265:${clip265}`);
      }
      const rtsp = await startRtsp(mounts, timeoutMs, join(tmp, 'rtsp.log'));
      const rtspUrl = `${rtsp.base}/cam`;
      pass('RTSP test server is up', rtspUrl);
      token = `vgl_browser_${randomBytes(16).toString('hex')}`;
      const dataDir = join(tmp, 'data');
      mkdirSync(dataDir);
      vigilLog = join(tmp, 'vigil.log');
      vigil = await startVigil(dataDir, token, timeoutMs, vigilLog);
      url = vigil.url;
      pass('Vigil is serving', url);
      const cam = await api(url, token, 'POST', '/cameras', {
        name: 'Browser test camera',
        source: { kind: 'rtsp', url: rtspUrl, transport: 'tcp' },
      });
      camera = cam.id;
      if (args.h265) {
        // Added only when its check starts: the RTSP server plays each file once from the first client on.
        addH265 = async () => {
          const c = await api(url, token, 'POST', '/cameras', {
            name: 'H.265 camera',
            source: { kind: 'rtsp', url: `${rtsp.base}/cam265`, transport: 'tcp' },
          });
          // The tile chooses its player from stream/info's codec; before the camera connects there is none.
          await waitFor(
            'stream/info to report the H.265 codec',
            async () => {
              const i = await api(url, token, 'GET', `/cameras/${c.id}/stream/info`);
              return i.codec ? i : { ok: false, ...i };
            },
            { timeoutMs, intervalMs: 300, describe: (i) => JSON.stringify(i) },
          );
          return c.id;
        };
      }
      pass('camera added over the API', `id ${camera}`);
      // `mime` appears only once the fMP4 feed has run (an MSE or HLS viewer); state and codec come first.
      const info = await waitFor(
        'stream/info to report a running H.264 camera',
        async () => {
          const i = await api(url, token, 'GET', `/cameras/${camera}/stream/info`);
          return i.state === 'running' && i.codec ? i : { ok: false, ...i };
        },
        { timeoutMs, intervalMs: 500, describe: (i) => JSON.stringify(i) },
      );
      pass('stream/info reports the camera', `state=${info.state} codec=${info.codec} ${info.width}x${info.height} mime=${info.mime ?? '(none yet)'}`);
    } else {
      const info = await api(url, token, 'GET', `/cameras/${camera}/stream/info`);
      pass('the running server answers stream/info', `state=${info.state} codec=${info.codec} mime=${info.mime ?? '(none yet)'}`);
    }
    const profileDir = join(tmp, 'chromium-profile');
    mkdirSync(profileDir);
    await browserChecks({
      url,
      token,
      camera,
      timeoutMs,
      modes: args.modes,
      chromiumPath: args.chromium,
      profileDir,
      screenshot: args.screenshot,
      addH265,
    });
  } catch (e) {
    failCheck('live view in the browser', e);
  }
  const failed = results.filter((r) => !r.ok).length;
  if (failed && vigilLog) log(`--- last lines of the Vigil log ---${tail(vigilLog, 60)}`);
  await cleanup();
  log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(async (e) => {
  console.error(e);
  for (const c of [...children]) c.kill('SIGKILL');
  process.exit(1);
});
