#!/usr/bin/env node
// Why: the timeline player in a real browser against the real server — a camera whose pictures carry the wall clock
// records; the page opened at an instant shows that instant (video.currentTime mapped through the segment index, and
// the clock read from the picture), 2× plays twice as fast, a bookmark appears as a marker, export downloads an MP4.
//
//   node tests/browser/timeline.spec.mjs
//       Starts tests/support/rtsp_server.py with a `clock:640x360` camera, target/debug/vigil serve on a fresh
//       data dir with ui/dist, adds the camera over the API, waits for ~30 s of recording, drives the UI.
//       Needs: `cargo build -p vigil`, `npm run build:ui`, /usr/bin/chromium, GStreamer's RTSP server (python3-gi).
// Options: --keep (keep the temp dir), --timeout SECONDS (per wait, default 60), --chromium PATH,
// --record SECONDS (recording before the page opens, default 30).
// Screenshot: test-artifacts/timeline.png. Exits 0 when every check passed.

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ARTIFACTS,
  api,
  check,
  commonArgs,
  failCheck,
  finish,
  launch,
  log,
  newToken,
  onSignals,
  pass,
  sleep,
  startRtsp,
  startVigil,
  tempDir,
  waitFor,
} from './harness.mjs';

const HERE = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------
// In the page: the player's state, with the wall clock read from the picture (see the block code in
// tests/support/rtsp_server.py and crates/bench/src/stamp.rs).

function pageSample() {
  const video = document.querySelector('video[data-testid="timeline-video"]');
  const clockEl = document.querySelector('[data-testid="timeline-clock"]');
  const stage = document.querySelector('[data-testid="timeline-stage"]');
  const out = {
    state: stage?.getAttribute('data-state') ?? null,
    wallMs: clockEl && clockEl.getAttribute('data-wall-ms') ? Number(clockEl.getAttribute('data-wall-ms')) : null,
    currentTime: video ? video.currentTime : null,
    readyState: video ? video.readyState : null,
    paused: video ? video.paused : null,
    rate: video ? video.playbackRate : null,
    width: video ? video.videoWidth : 0,
    height: video ? video.videoHeight : 0,
    picture: null,
    perf: performance.now(),
    status: document.querySelector('[data-testid="timeline-status"]')?.textContent ?? null,
  };
  if (!video || video.readyState < 2 || !video.videoWidth) return out;
  const w = video.videoWidth;
  const h = video.videoHeight;
  const canvas = (window.__tlCanvas ??= document.createElement('canvas'));
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(video, 0, 0, w, h);
  const img = ctx.getImageData(0, 0, w, h).data;
  const cell = w / 32;
  let word = 0n;
  for (let k = 0; k < 64; k++) {
    const r = Math.floor(k / 32);
    const c = k % 32;
    const x0 = Math.round((c + 0.25) * cell);
    const x1 = Math.max(x0 + 1, Math.round((c + 0.75) * cell));
    const y0 = Math.round((1 + r + 0.25) * cell);
    const y1 = Math.max(y0 + 1, Math.round((1 + r + 0.75) * cell));
    let sum = 0;
    let n = 0;
    for (let y = y0; y < Math.min(y1, h); y++) {
      for (let x = x0; x < Math.min(x1, w); x++) {
        const i = (y * w + x) * 4;
        sum += 0.299 * img[i] + 0.587 * img[i + 1] + 0.114 * img[i + 2];
        n++;
      }
    }
    const mean = sum / n;
    if (Math.abs(mean - 128) < 40) return out;
    word = (word << 1n) | (mean > 128 ? 1n : 0n);
  }
  const ms = word >> 16n;
  let crc = 0xffff;
  for (let i = 5; i >= 0; i--) {
    crc ^= Number((ms >> BigInt(8 * i)) & 0xffn) << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  if (crc === Number(word & 0xffffn)) out.picture = Number(ms);
  return out;
}

/** Wall time of player time `t` from the segment index alone: the VOD playlist lays the recorded files end to end. */
function wallFromIndex(recordings, t) {
  let pos = 0;
  for (const r of recordings) {
    const d = r.duration_ms / 1000;
    if (t < pos + d) return r.start_ms + (t - pos) * 1000;
    pos += d;
  }
  const last = recordings[recordings.length - 1];
  return last ? last.end_ms : NaN;
}

const fmt = (ms) => new Date(ms).toISOString().slice(11, 23);

// ---------------------------------------------------------------------------------------------

async function main() {
  let args;
  try {
    args = commonArgs(process.argv.slice(2), HERE, {
      '--record': (o, val) => (o.record = Number(val())),
    });
  } catch (e) {
    console.error(`timeline.spec.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  const recordS = args.record ?? 30;
  const timeoutMs = args.timeout * 1000;
  const tmp = tempDir('vigil-timeline-');
  onSignals(tmp);
  let vigilLog = null;
  try {
    const rtsp = await startRtsp(['clock=clock:640x360'], timeoutMs, join(tmp, 'rtsp.log'));
    pass('RTSP server with a clock camera is up', `${rtsp.base}/clock`);
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const vigil = await startVigil(join(tmp, 'data'), { token, timeoutMs, logPath: vigilLog });
    const url = vigil.url;
    pass('Vigil is serving', url);
    const cam = await api(url, token, 'POST', '/cameras', {
      name: 'Clock camera',
      source: { kind: 'rtsp', url: `${rtsp.base}/clock`, transport: 'tcp' },
    });
    const recs = () => api(url, token, 'GET', `/recordings?camera_id=${cam.id}&limit=1000`).then((p) => p.items);
    const first = await waitFor('the first recorded segment', async () => ((await recs())[0] ? recs() : null), {
      timeoutMs,
      intervalMs: 500,
    });
    const recStart = first[0].start_ms;
    // Enough recording for every check: the speed check plays ahead of the opening instant.
    const index = await waitFor(
      `${recordS} s of recording`,
      async () => {
        const items = await recs();
        const last = items[items.length - 1];
        return last && last.end_ms - recStart >= recordS * 1000 ? items : { ok: false, n: items.length, end: last?.end_ms };
      },
      { timeoutMs: timeoutMs + recordS * 1000, intervalMs: 1000 },
    );
    pass(`camera ${cam.id} recorded ${((index[index.length - 1].end_ms - recStart) / 1000).toFixed(1)} s`, `${index.length} segment(s)`);

    const T = recStart + 8_000;
    const { context, page, pageErrors } = await launch(join(tmp, 'chromium'), { chromiumPath: args.chromium });
    try {
      await page.goto(`${url}/#token=${encodeURIComponent(token)}`, { timeout: timeoutMs });
      await page.waitForSelector('header, .app', { timeout: timeoutMs });
      // Record when the element first plays: where it starts is where the page was asked to go.
      await page.evaluate(() => {
        window.__tlFirst = null;
        document.addEventListener(
          'playing',
          (e) => {
            if (!window.__tlFirst && e.target?.dataset?.testid === 'timeline-video') {
              window.__tlFirst = { currentTime: e.target.currentTime };
            }
          },
          true,
        );
      });
      const vodRequests = [];
      page.on('request', (r) => {
        if (r.url().includes('/vod.m3u8')) vodRequests.push(r.url());
      });
      await page.evaluate((h) => (location.hash = h), `#/timeline?camera=${cam.id}&at=${T}`);
      await page.waitForSelector('[data-testid="timeline-page"]', { timeout: timeoutMs });

      await check('the timeline opens at the instant in the address and plays it', async () => {
        const s = await waitFor(
          'the player to play with a readable picture',
          async () => {
            const x = await page.evaluate(pageSample);
            return x.state === 'playing' && x.picture !== null ? x : { ok: false, ...x };
          },
          { timeoutMs, describe: (x) => JSON.stringify(x) },
        );
        if (vodRequests.length === 0) throw new Error('no VOD playlist was requested');
        const firstPlay = await page.evaluate(() => window.__tlFirst);
        if (!firstPlay) throw new Error('no playing event seen');
        const startWall = wallFromIndex(index, firstPlay.currentTime);
        if (Math.abs(startWall - T) > 1000) {
          throw new Error(`playback started at ${fmt(startWall)} by the segment index, asked for ${fmt(T)}`);
        }
        return `asked ${fmt(T)}, started at player time ${firstPlay.currentTime.toFixed(3)} s = ${fmt(startWall)} by the segment index (${(startWall - T).toFixed(0)} ms); picture ${s.width}x${s.height}`;
      });

      /** Pause, then compare the page's wall time, the segment index and the clock in the picture. */
      const compare = async (what) => {
        const s = await waitFor(
          'a still, readable frame',
          async () => {
            const x = await page.evaluate(pageSample);
            return x.picture !== null && x.wallMs !== null ? x : { ok: false, ...x };
          },
          { timeoutMs, describe: (x) => JSON.stringify(x) },
        );
        const byIndex = wallFromIndex(index, s.currentTime);
        const dPage = s.wallMs - byIndex;
        const dPicture = s.picture - byIndex;
        if (Math.abs(dPage) > 1000) throw new Error(`${what}: the page shows ${fmt(s.wallMs)}, the segment index says ${fmt(byIndex)}`);
        if (Math.abs(dPicture) > 1000) throw new Error(`${what}: the picture shows ${fmt(s.picture)}, the segment index says ${fmt(byIndex)}`);
        return { s, byIndex, detail: `page ${fmt(s.wallMs)}, index ${fmt(byIndex)}, picture ${fmt(s.picture)} (page−index ${dPage.toFixed(0)} ms, picture−index ${dPicture.toFixed(0)} ms)` };
      };

      await check('paused, the page time, the segment index and the clock in the picture agree within 1 s', async () => {
        await page.click('[data-testid="play-pause"]');
        await waitFor('pause', async () => (await page.evaluate(pageSample)).paused === true, { timeoutMs });
        await sleep(300);
        return (await compare('paused')).detail;
      });

      await check('seeking through the address shows the new instant', async () => {
        const T2 = recStart + 15_000;
        await page.evaluate((h) => (location.hash = h), `#/timeline?camera=${cam.id}&at=${T2}`);
        const s = await waitFor(
          'the player at the new instant',
          async () => {
            const x = await page.evaluate(pageSample);
            return x.picture !== null && x.state === 'playing' && Math.abs(wallFromIndex(index, x.currentTime) - T2) < 3000 ? x : { ok: false, ...x };
          },
          { timeoutMs, describe: (x) => JSON.stringify(x) },
        );
        await page.click('[data-testid="play-pause"]');
        await waitFor('pause', async () => (await page.evaluate(pageSample)).paused === true, { timeoutMs });
        const c = await compare('after the seek');
        if (Math.abs(c.byIndex - T2) > 3000) throw new Error(`asked ${fmt(T2)}, showing ${fmt(c.byIndex)}`);
        return `asked ${fmt(T2)}: ${c.detail} (${s.state})`;
      });

      await check('at 2× the wall time advances about twice as fast as real time', async () => {
        // Back to the first instant so there is recording ahead.
        await page.evaluate((h) => (location.hash = h), `#/timeline?camera=${cam.id}&at=${T}`);
        await waitFor(
          'playing again at the first instant',
          async () => {
            const x = await page.evaluate(pageSample);
            return x.state === 'playing' && x.picture !== null && Math.abs(x.wallMs - T) < 3000 ? x : { ok: false, ...x };
          },
          { timeoutMs, describe: (x) => JSON.stringify(x) },
        );
        await page.click('[data-testid="speed-2"]');
        await sleep(800);
        const a = await page.evaluate(pageSample);
        await sleep(4000);
        const b = await page.evaluate(pageSample);
        if (b.rate !== 2) throw new Error(`playbackRate is ${b.rate}`);
        const real = b.perf - a.perf;
        const ratePage = (b.wallMs - a.wallMs) / real;
        const ratePicture = a.picture !== null && b.picture !== null ? (b.picture - a.picture) / real : NaN;
        const rateIndex = (wallFromIndex(index, b.currentTime) - wallFromIndex(index, a.currentTime)) / real;
        for (const [name, r] of [['page', ratePage], ['segment index', rateIndex], ['picture', ratePicture]]) {
          if (!(r > 1.6 && r < 2.4)) throw new Error(`${name}: ${r.toFixed(2)}× real time`);
        }
        await page.click('[data-testid="speed-1"]');
        return `page ${ratePage.toFixed(2)}×, index ${rateIndex.toFixed(2)}×, picture ${ratePicture.toFixed(2)}× over ${(real / 1000).toFixed(1)} s`;
      });

      let bookmark = null;
      await check('a bookmark at the current time appears as a marker', async () => {
        await page.click('[data-testid="play-pause"]');
        await waitFor('pause', async () => (await page.evaluate(pageSample)).paused === true, { timeoutMs });
        const s = await page.evaluate(pageSample);
        await page.click('[data-testid="bookmark-add"]');
        await page.fill('[data-testid="bookmark-label"]', 'e2e bookmark');
        await page.click('[data-testid="bookmark-save"]');
        const list = await waitFor(
          'the bookmark in the API',
          async () => {
            const l = await api(url, token, 'GET', `/cameras/${cam.id}/bookmarks?start=${recStart - 60_000}&end=${Date.now() + 60_000}`);
            const items = Array.isArray(l) ? l : l.items;
            return items.length ? items : null;
          },
          { timeoutMs },
        );
        bookmark = list[0];
        if (bookmark.label !== 'e2e bookmark') throw new Error(`label ${bookmark.label}`);
        if (Math.abs(bookmark.at_ms - s.wallMs) > 1000) throw new Error(`bookmark at ${fmt(bookmark.at_ms)}, the player was at ${fmt(s.wallMs)}`);
        await page.waitForSelector(`[data-testid="marker-bookmark-${bookmark.id}"]`, { timeout: timeoutMs });
        await page.waitForSelector(`[data-testid="marker-row-bookmark-${bookmark.id}"]`, { timeout: timeoutMs });
        const tl = await api(url, token, 'GET', `/cameras/${cam.id}/timeline?start=${recStart - 60_000}&end=${Date.now() + 60_000}`);
        const inTimeline = tl.markers.some((m) => m.kind === 'bookmark' && m.id === bookmark.id);
        return `bookmark ${bookmark.id} at ${fmt(bookmark.at_ms)}; on the scrub bar and in the event list; in GET timeline markers: ${inTimeline}`;
      });

      await check('previous event jumps back to the bookmark', async () => {
        if (!bookmark) throw new Error('no bookmark');
        await page.evaluate((h) => (location.hash = h), `#/timeline?camera=${cam.id}&at=${bookmark.at_ms + 6000}`);
        await waitFor(
          'playing after the bookmark',
          async () => {
            const x = await page.evaluate(pageSample);
            return x.state === 'playing' && x.wallMs > bookmark.at_ms + 3000 ? x : { ok: false, ...x };
          },
          { timeoutMs, describe: (x) => JSON.stringify(x) },
        );
        await page.click('[data-testid="play-pause"]');
        await page.click('[data-testid="prev-event"]');
        const s = await waitFor(
          'the player at the bookmark',
          async () => {
            const x = await page.evaluate(pageSample);
            return x.picture !== null && Math.abs(wallFromIndex(index, x.currentTime) - bookmark.at_ms) < 1000 ? x : { ok: false, ...x };
          },
          { timeoutMs, describe: (x) => JSON.stringify(x) },
        );
        const hash = await page.evaluate(() => location.hash);
        if (!hash.includes(`at=${bookmark.at_ms}`)) throw new Error(`address not updated: ${hash}`);
        return `at ${fmt(wallFromIndex(index, s.currentTime))}, picture ${fmt(s.picture)}; address ${hash}`;
      });

      await check('zoom: buttons down to minutes, the wheel anchored at the cursor; spans and the marker drawn', async () => {
        const view = () =>
          page.evaluate(() => {
            const b = document.querySelector('[data-testid="scrub-bar"]');
            const r = b.getBoundingClientRect();
            return { start: Number(b.dataset.viewStart), end: Number(b.dataset.viewEnd), left: r.left, width: r.width, top: r.top, height: r.height };
          });
        for (let i = 0; i < 8; i++) {
          const level = await page.textContent('[data-testid="zoom-level"]');
          if (level.trim() === '2 min') break;
          await page.click('[data-testid="zoom-in"]');
        }
        const level = (await page.textContent('[data-testid="zoom-level"]')).trim();
        if (level !== '2 min') throw new Error(`zoom level ${level}`);
        const v = await view();
        // Wheel over a point: the instant under the cursor stays under it.
        const x = v.left + v.width * 0.3;
        const under = v.start + 0.3 * (v.end - v.start);
        await page.mouse.move(x, v.top + v.height / 2);
        await page.mouse.wheel(0, -200);
        const z = await waitFor('the wheel to zoom', async () => {
          const n = await view();
          return n.end - n.start < v.end - v.start - 1000 ? n : null;
        }, { timeoutMs });
        const underAfter = z.start + ((x - z.left) / z.width) * (z.end - z.start);
        if (Math.abs(underAfter - under) > 500) throw new Error(`the instant under the cursor moved by ${(underAfter - under).toFixed(0)} ms`);
        await page.click('[data-testid="zoom-out"]');
        const spans = await page.$$eval('[data-testid="tl-span"]', (els) => els.map((e) => e.getBoundingClientRect().width));
        if (!spans.length || Math.max(...spans) < 50) throw new Error(`recorded spans drawn ${JSON.stringify(spans)}`);
        if (bookmark) await page.waitForSelector(`[data-testid="marker-bookmark-${bookmark.id}"]`, { timeout: timeoutMs });
        return `2 min view; wheel ${((v.end - v.start) / 1000).toFixed(0)} s → ${((z.end - z.start) / 1000).toFixed(1)} s, anchor moved ${(underAfter - under).toFixed(0)} ms; span ${Math.max(...spans).toFixed(0)} px wide`;
      });

      const barView = () =>
        page.evaluate(() => {
          const b = document.querySelector('[data-testid="scrub-bar"]');
          const r = b.getBoundingClientRect();
          return { start: Number(b.dataset.viewStart), end: Number(b.dataset.viewEnd), left: r.left, width: r.width, top: r.top, height: r.height };
        });
      const xOf = (v, ms) => v.left + ((ms - v.start) / (v.end - v.start)) * v.width;

      await check('a click on the scrub bar seeks there', async () => {
        const v = await barView();
        const target = recStart + 12_000;
        await page.mouse.click(xOf(v, target), v.top + v.height / 2);
        const s = await waitFor(
          'the player at the clicked instant',
          async () => {
            const x = await page.evaluate(pageSample);
            return x.picture !== null && Math.abs(wallFromIndex(index, x.currentTime) - target) < 1000 ? x : { ok: false, ...x };
          },
          { timeoutMs, describe: (x) => JSON.stringify(x) },
        );
        return `clicked ${fmt(target)}: index ${fmt(wallFromIndex(index, s.currentTime))}, picture ${fmt(s.picture)}`;
      });

      await check('shift-drag on the scrub bar selects a range', async () => {
        const v = await barView();
        const y = v.top + v.height / 2;
        await page.keyboard.down('Shift');
        await page.mouse.move(xOf(v, recStart + 2_000), y);
        await page.mouse.down();
        await page.mouse.move(xOf(v, recStart + 7_000), y, { steps: 5 });
        await page.mouse.move(xOf(v, recStart + 10_000), y, { steps: 5 });
        await page.mouse.up();
        await page.keyboard.up('Shift');
        await page.waitForSelector('[data-testid="tl-selection"]', { timeout: timeoutMs });
        const text = await page.textContent('[data-testid="selection-text"]');
        if (!/\(8 s\)/.test(text)) throw new Error(`selection reads "${text}"`);
        return text.replace(/\s+/g, ' ').trim();
      });

      await page.mouse.move(0, 0);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'timeline.png'), fullPage: true });
      log(`  screenshot: ${join(ARTIFACTS, 'timeline.png')}`);

      await check('export of a selected range runs to the end and downloads an MP4', async () => {
        await page.click('[data-testid="export-start"]');
        await page.waitForSelector('[data-testid="export-panel"][data-phase="done"]', { timeout: timeoutMs * 2 });
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: timeoutMs }),
          page.click('[data-testid="export-download"]'),
        ]);
        const file = join(tmp, 'export.mp4');
        await download.saveAs(file);
        const buf = readFileSync(file);
        if (buf.length < 10_000 || buf.subarray(4, 8).toString() !== 'ftyp') throw new Error(`download is ${buf.length} bytes, starts ${buf.subarray(0, 8).toString('hex')}`);
        return `${download.suggestedFilename()}, ${(buf.length / 1024).toFixed(0)} KiB`;
      });

      if (pageErrors.length) failCheck('no uncaught errors in the page', new Error(pageErrors.join('\n  ')));
      else pass('no uncaught errors in the page');
    } finally {
      await context.close().catch(() => {});
    }
  } catch (e) {
    failCheck('timeline in the browser', e);
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
