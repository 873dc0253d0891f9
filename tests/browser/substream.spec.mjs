#!/usr/bin/env node
// Why: the grid plays a camera's sub-stream and an enlarged tile its main one, switching without a black picture —
// in a real browser against the real server and a real RTSP camera with two streams.
//
//   node tests/browser/substream.spec.mjs
//       Makes H.264 clips at 1280x720 (main) and 640x360 (sub), serves them as two RTSP mounts
//       (tests/support/rtsp_server.py), starts target/debug/vigil serve, adds the camera with the sub-stream URL, and
//       in Chromium checks: the grid tile plays 640x360; enlarged (click, solo) it plays 1280x720; back in the grid,
//       640x360 again; and at every animation frame during both switches the tile shows a picture (its shown video has
//       decoded frames). The longest time between two presented frames across the switch is printed, not asserted
//       (a duration depends on what else runs).
//       Needs: `cargo build -p vigil`, `npm run build:ui`, ffmpeg, /usr/bin/chromium, GStreamer's RTSP server.
// Options: --keep (keep the temp dir), --timeout SECONDS (per wait, default 60), --chromium PATH.
// Exits 0 when every check passed ("N passed, N failed" last).

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import {
  api,
  check,
  commonArgs,
  failCheck,
  finish,
  launch,
  makeClip,
  newToken,
  onSignals,
  pass,
  screenshot,
  startRtsp,
  startVigil,
  tempDir,
  waitFor,
} from './harness.mjs';

const SELF = fileURLToPath(import.meta.url);

/** The tile's shown video: its size, whether it has a picture, how far it has played. */
function tileVideo(id) {
  const v = document.querySelector(`[data-testid="grid-tile-${id}"] [data-testid="live-video-${id}"]`);
  const tile = document.querySelector(`[data-testid="grid-tile-${id}"]`);
  return v
    ? { w: v.videoWidth, h: v.videoHeight, ready: v.readyState, t: v.currentTime, stream: v.getAttribute('data-stream'), solo: tile?.getAttribute('data-solo') }
    : null;
}

/** Watch the tile at every animation frame: moments with no picture, and the longest gap between presented frames. */
function watchTile(id) {
  const w = { samples: 0, blank: 0, blankAt: [], maxGap: 0, last: performance.now(), seen: new WeakSet(), stop: false };
  window.__watch = w;
  const onFrame = (v) => {
    const loop = () => {
      const now = performance.now();
      if (v.isConnected && v.getAttribute('data-testid') === `live-video-${id}`) {
        w.maxGap = Math.max(w.maxGap, now - w.last);
        w.last = now;
      }
      if (!w.stop && v.isConnected) v.requestVideoFrameCallback(loop);
    };
    v.requestVideoFrameCallback(loop);
  };
  const tick = () => {
    if (w.stop) return;
    const v = document.querySelector(`[data-testid="grid-tile-${id}"] [data-testid="live-video-${id}"]`);
    w.samples += 1;
    if (!v || v.readyState < 2 || v.videoWidth === 0) {
      w.blank += 1;
      if (w.blankAt.length < 5) w.blankAt.push(Math.round(performance.now()));
    }
    for (const el of document.querySelectorAll(`[data-testid="grid-tile-${id}"] video`)) {
      if (!w.seen.has(el)) {
        w.seen.add(el);
        onFrame(el);
      }
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

async function main() {
  const args = commonArgs(process.argv.slice(2), SELF);
  const timeoutMs = args.timeout * 1000;
  const tmp = tempDir('vigil-substream-');
  onSignals(tmp, { keep: args.keep });
  let vigilLog = null;
  let browser = null;
  try {
    const main = join(tmp, 'main.mp4');
    const sub = join(tmp, 'sub.mp4');
    await makeClip(main, 300, { size: '1280x720' });
    await makeClip(sub, 300, { size: '640x360' });
    pass('made H.264 clips: 1280x720 main, 640x360 sub');
    const rtsp = await startRtsp([`main=h264:${main}`, `sub=h264:${sub}`], timeoutMs, join(tmp, 'rtsp.log'));
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const vigil = await startVigil(join(tmp, 'data'), { token, timeoutMs, logPath: vigilLog });
    const url = vigil.url;
    const cam = await api(url, token, 'POST', '/cameras', {
      name: 'Dock',
      source: { kind: 'rtsp', url: `${rtsp.base}/main`, transport: 'tcp' },
    });
    const settings = await api(url, token, 'GET', `/cameras/${cam.id}/detection`);
    await api(url, token, 'PUT', `/cameras/${cam.id}/detection`, { ...settings, substream_url: `${rtsp.base}/sub` });
    pass('camera added with its sub-stream', `camera ${cam.id}`);

    browser = await launch(join(tmp, 'profile'), { chromiumPath: args.chromium });
    const { page, pageErrors } = browser;
    await page.goto(`${url}/#token=${encodeURIComponent(token)}`, { timeout: timeoutMs });

    const playing = (w, h, stream) =>
      waitFor(
        `the tile playing ${w}x${h} (${stream})`,
        async () => {
          const a = await page.evaluate(tileVideo, cam.id);
          if (!a || a.w !== w || a.h !== h || a.stream !== stream || a.ready < 2) return null;
          await page.waitForTimeout(400);
          const b = await page.evaluate(tileVideo, cam.id);
          return b && b.t > a.t && b.w === w ? b : null;
        },
        { timeoutMs, describe: () => 'not yet' },
      );

    await check('the grid tile plays the sub-stream (640x360)', async () => {
      const v = await playing(640, 360, 'sub');
      return `${v.w}x${v.h}`;
    });

    await page.evaluate(watchTile, cam.id);
    await check('enlarged, the tile plays the main stream (1280x720)', async () => {
      const box = await page.locator(`[data-testid="grid-tile-${cam.id}"] .live-frame`).boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      const v = await playing(1280, 720, 'main');
      return `${v.w}x${v.h}, solo=${v.solo}`;
    });
    await screenshot(page, 'substream-main.png');
    await check('back in the grid, the sub-stream again', async () => {
      await page.keyboard.press('Escape');
      const v = await playing(640, 360, 'sub');
      return `${v.w}x${v.h}`;
    });
    const w = await page.evaluate(() => {
      const x = window.__watch;
      x.stop = true;
      return { samples: x.samples, blank: x.blank, blankAt: x.blankAt, maxGap: Math.round(x.maxGap) };
    });
    await check('no black picture while switching (the shown video always had frames)', async () => {
      if (w.samples < 10) throw new Error(`only ${w.samples} samples`);
      if (w.blank > 0) throw new Error(`${w.blank} of ${w.samples} animation frames without a picture (at ${w.blankAt.join(', ')} ms)`);
      return `${w.samples} animation frames sampled; longest time between presented frames ${w.maxGap} ms (informational)`;
    });
    if (pageErrors.length) failCheck('no uncaught errors in the page', pageErrors.join('\n  '));
    else pass('no uncaught errors in the page');
  } catch (e) {
    failCheck('sub-stream in the browser', e);
  } finally {
    await browser?.context.close().catch(() => {});
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
