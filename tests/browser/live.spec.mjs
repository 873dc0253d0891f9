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

import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  api,
  commonArgs,
  failCheck,
  finish,
  launch,
  log,
  makeClip,
  newToken,
  onSignals,
  pass,
  startRtsp,
  startVigil,
  tempDir,
  waitFor,
} from './harness.mjs';

const SELF = fileURLToPath(import.meta.url);
const MODES = ['mse', 'hls', 'mjpeg'];

// ---------------------------------------------------------------------------------------------
// Arguments: the harness's --keep, --timeout, --chromium and --help, and this spec's own.

function parseArgs(argv) {
  const out = {
    modes: MODES,
    h265: true,
    ...commonArgs(argv, SELF, {
      '--url': (o, val) => (o.url = val().replace(/\/+$/, '')),
      '--token': (o, val) => (o.token = val()),
      '--camera': (o, val) => (o.camera = Number(val())),
      '--modes': (o, val) => (o.modes = val().split(',').map((s) => s.trim()).filter(Boolean)),
      '--screenshot': (o, val) => (o.screenshot = resolve(val())),
      '--no-h265': (o) => (o.h265 = false),
    }),
  };
  const attach = [out.url, out.token, out.camera].filter((x) => x !== undefined).length;
  if (attach !== 0 && attach !== 3) throw new Error('--url, --token and --camera go together');
  if (out.camera !== undefined && !Number.isInteger(out.camera)) throw new Error('--camera must be a number');
  for (const m of out.modes) if (!MODES.includes(m)) throw new Error(`unknown mode ${m}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The browser part.

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
  const { context, page, pageErrors } = await launch(profileDir, { chromiumPath });
  try {
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
  const tmp = tempDir('vigil-browser-');
  onSignals(tmp, { keep: args.keep });
  let vigilLog = null;

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
        await makeClip(clip265, 120, { codec: 'h265' });
        pass('made an H.265 640x360 25 fps clip');
        mounts.push(`cam265=h265:${clip265}`);
      }
      const rtsp = await startRtsp(mounts, timeoutMs, join(tmp, 'rtsp.log'));
      const rtspUrl = `${rtsp.base}/cam`;
      pass('RTSP test server is up', rtspUrl);
      token = newToken();
      vigilLog = join(tmp, 'vigil.log');
      const vigil = await startVigil(join(tmp, 'data'), {
        token,
        timeoutMs,
        logPath: vigilLog,
        // This spec has always run with the server's own detection and notification defaults (the harness turns
        // both off): hand the caller's settings through, unset when unset.
        env: { VIGIL_DETECTION: process.env.VIGIL_DETECTION, VIGIL_NOTIFICATIONS: process.env.VIGIL_NOTIFICATIONS },
      });
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
    await browserChecks({
      url,
      token,
      camera,
      timeoutMs,
      modes: args.modes,
      chromiumPath: args.chromium,
      profileDir: join(tmp, 'chromium-profile'),
      screenshot: args.screenshot,
      addH265,
    });
  } catch (e) {
    failCheck('live view in the browser', e);
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
