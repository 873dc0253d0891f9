#!/usr/bin/env node
// Why: the timeline player in a real browser against the real server — a camera whose pictures carry the wall clock
// records; the page opened at an instant shows that instant (video.currentTime mapped through the segment index, and
// the clock read from the picture), 2× plays twice as fast, a bookmark appears as a marker, export downloads an MP4;
// the time before the camera's first recording is not painted as a gap; the marker tooltip never sticks; the day
// buttons and the date field stay on the chosen day while the video plays; an export of a range with a gap warns
// first and says how long the file is; two cameras play in sync on one timeline.
//
//   node tests/browser/timeline.spec.mjs
//       Starts tests/support/rtsp_server.py with two `clock:640x360` cameras, target/debug/vigil serve on a fresh
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
  run,
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

function pageSample(videoSelector = 'video[data-testid="timeline-video"]') {
  const video = document.querySelector(videoSelector);
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
const fmtDay = (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

// ---------------------------------------------------------------------------------------------
// Issue 13 item 6: gaps only after the first footage, tooltips that never stick, day navigation while playing, the
// export warning, synced playback.

/** In the page: the local day holding `ms` (key as the date field holds it, and its range), `shift` days later. */
function dayOfInPage([ms, shift]) {
  const d = new Date(ms);
  const start = new Date(d.getFullYear(), d.getMonth(), d.getDate() + (shift || 0));
  const end = new Date(start.getFullYear(), start.getMonth(), start.getDate() + 1);
  const pad = (n) => String(n).padStart(2, '0');
  return { key: `${start.getFullYear()}-${pad(start.getMonth() + 1)}-${pad(start.getDate())}`, start: start.getTime(), end: end.getTime() };
}

/** In the page: what the bar paints where nothing was recorded, by DOM. */
function barPaint() {
  const rect = (e) => {
    const r = e.getBoundingClientRect();
    return { left: r.left, right: r.right, width: r.width };
  };
  const bar = document.querySelector('[data-testid="scrub-bar"]');
  return {
    bar: rect(bar),
    viewStart: Number(bar.dataset.viewStart),
    viewEnd: Number(bar.dataset.viewEnd),
    day: document.querySelector('[data-testid="timeline-day"]').value,
    before: [...document.querySelectorAll('[data-testid="tl-before-footage"]')].map(rect),
    gaps: [...document.querySelectorAll('[data-testid="tl-gap"]')].map(rect),
    spans: [...document.querySelectorAll('[data-testid="tl-span"]')].map(rect),
    back: !!document.querySelector('[data-testid="back-to-playhead"]'),
  };
}

/** In the page: what is under the middle of the element `sel` (why a hover did not reach it). */
function hitAt(sel) {
  const el = document.querySelector(sel);
  if (!el) return { missing: sel };
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return { box: [r.left, r.top, r.width, r.height], hit: hit ? `${hit.tagName}.${hit.className}` : null, scrollY: window.scrollY, tip: !!document.querySelector('[data-testid="marker-tip"]') };
}

/** In the page: whether the marker tooltip is on screen (present, with a size, not hidden). */
function tipShown() {
  const t = document.querySelector('[data-testid="marker-tip"]');
  if (!t) return false;
  const r = t.getBoundingClientRect();
  const cs = getComputedStyle(t);
  return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none' && cs.opacity !== '0';
}

async function newChecks({ page, url, token, cam, cam2, recStart, timeoutMs, bookmark, barView, tmp }) {
  // Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline script)
  // rightly refuses an injected <script>.
  await page.evaluate(`window.__sample = ${pageSample.toString()};`);
  const sample = () => page.evaluate(() => window.__sample());
  const go = async (at, camera = cam.id) => {
    await page.evaluate((h) => (location.hash = h), `#/timeline?camera=${camera}&at=${at}`);
    return waitFor(
      `playing at ${fmt(at)}`,
      async () => {
        const x = await sample();
        return x.state === 'playing' && x.wallMs !== null && Math.abs(x.wallMs - at) < 5000 ? x : { ok: false, ...x };
      },
      { timeoutMs, describe: (x) => JSON.stringify(x) },
    );
  };
  const pause = async () => {
    const x = await sample();
    if (x.paused) return;
    await page.click('[data-testid="play-pause"]');
    await waitFor('pause', async () => (await sample()).paused === true, { timeoutMs });
  };
  const zoomOutFully = async () => {
    for (let i = 0; i < 12; i++) {
      if (await page.isDisabled('[data-testid="zoom-out"]')) return;
      await page.click('[data-testid="zoom-out"]');
    }
  };

  await check("the time before the camera's first recording is neutral, not a gap (today and the day before)", async () => {
    const tl = await api(url, token, 'GET', `/cameras/${cam.id}/timeline?start=${recStart - 3_600_000}&end=${Date.now()}`);
    if (tl.first_footage_ms !== recStart) throw new Error(`first_footage_ms ${tl.first_footage_ms}, first recording ${recStart}`);
    await pause();
    await zoomOutFully();
    const v = await barView();
    const firstX = v.left + ((recStart - v.start) / (v.end - v.start)) * v.width;
    const d = await waitFor('the neutral stretch', async () => {
      const x = await page.evaluate(barPaint);
      return x.before.length === 1 ? x : { ok: false, ...x };
    }, { timeoutMs });
    if (Math.abs(d.before[0].right - firstX) > 2) throw new Error(`"no footage yet" ends at x=${d.before[0].right.toFixed(1)}, the first recording is at x=${firstX.toFixed(1)}`);
    const early = d.gaps.filter((g) => g.left < firstX - 1);
    if (early.length) throw new Error(`gap painted before the first recording: ${JSON.stringify(early)} (first at x=${firstX.toFixed(1)})`);
    const prev = await page.evaluate(dayOfInPage, [recStart, -1]);
    await page.click('[data-testid="day-prev"]');
    const y = await waitFor(
      'the day before, all of it "no footage yet"',
      async () => {
        const x = await page.evaluate(barPaint);
        return x.day === prev.key && x.before.length === 1 && x.before[0].width >= x.bar.width - 2 ? x : { ok: false, ...x };
      },
      { timeoutMs, describe: (x) => JSON.stringify(x) },
    );
    if (y.gaps.length) throw new Error(`the day before the camera existed has ${y.gaps.length} gap(s) painted`);
    await page.click('[data-testid="day-next"]');
    await waitFor('today again', async () => (await page.evaluate(barPaint)).spans.length > 0, { timeoutMs });
    return `first footage ${fmt(recStart)}: neutral up to x=${d.before[0].right.toFixed(0)} (first at ${firstX.toFixed(0)}), ${d.gaps.length} gap(s) after it; ${prev.key}: ${y.before[0].width.toFixed(0)} px neutral, 0 gaps`;
  });

  await check('the marker tooltip goes when the pointer moves onto the video (after a redraw), when its marker moves, on scroll and on blur', async () => {
    if (!bookmark) throw new Error('no bookmark');
    const sel = `[data-testid="marker-bookmark-${bookmark.id}"]`;
    const shown = () => page.evaluate(tipShown);
    const hover = async (what) => {
      // From off the marker: a closed tooltip opens again on the pointer coming back, not on it resting there.
      await page.mouse.move(5, 5);
      await page.hover(sel);
      await waitFor(`the tooltip (${what})`, async () => ((await shown()) ? true : { ok: false, ...(await page.evaluate(hitAt, sel)) }), {
        timeoutMs: 5000,
        describe: (x) => JSON.stringify(x),
      });
    };
    const gone = (why) => waitFor(`the tooltip to go (${why})`, async () => !(await shown()), { timeoutMs: 3000 });
    await hover('first');
    // Redraw the markers under the resting pointer: a bookmark made elsewhere has the page fetch the timeline again.
    const refetch = page.waitForResponse((r) => r.url().includes(`/cameras/${cam.id}/timeline`), { timeout: timeoutMs });
    await api(url, token, 'POST', `/cameras/${cam.id}/bookmarks`, { at: recStart - 7_200_000, label: 'far away' });
    await refetch;
    await sleep(300);
    const afterRedraw = await shown();
    const vb = await page.locator('[data-testid="timeline-video"]').boundingBox();
    await page.mouse.move(vb.x + vb.width / 2, vb.y + vb.height / 2, { steps: 8 });
    await gone('pointer on the video');
    // The markers move under a still pointer: a narrower view (so it can pan), then shift-wheel pans it.
    await page.click('[data-testid="zoom-in"]');
    await page.click('[data-testid="zoom-in"]');
    await hover('zoomed in');
    const x0 = (await page.locator(sel).boundingBox()).x;
    await page.keyboard.down('Shift');
    await page.mouse.wheel(0, 150);
    await page.keyboard.up('Shift');
    await waitFor('the marker to move', async () => Math.abs((await page.locator(sel).boundingBox()).x - x0) > 20, { timeoutMs: 3000 });
    await gone('its marker moved from under the pointer');
    await zoomOutFully();
    await hover('before scroll');
    await page.evaluate(() => window.dispatchEvent(new Event('scroll')));
    await gone('scroll');
    await hover('before blur');
    await page.evaluate(() => window.dispatchEvent(new Event('blur')));
    await gone('window blur');
    await page.mouse.move(vb.x + vb.width / 2, vb.y + vb.height / 2);
    return `still shown after the redraw under the pointer: ${afterRedraw}; gone on the video, on a move, a scroll and a blur`;
  });

  await check('the day buttons and the date field stay on the chosen day while the video plays', async () => {
    const at = recStart + 10_000;
    await go(at);
    const today = await page.evaluate(dayOfInPage, [at, 0]);
    const prev = await page.evaluate(dayOfInPage, [at, -1]);
    const back3 = await page.evaluate(dayOfInPage, [at, -3]);
    const stays = async (want, what) => {
      const a = await sample();
      await sleep(4000);
      const d = await page.evaluate(barPaint);
      const b = await sample();
      if (d.day !== want.key) throw new Error(`${what}: the date field reads ${d.day}, want ${want.key}`);
      if (d.viewStart < want.start || d.viewEnd > want.end) {
        throw new Error(`${what}: the view ${fmt(d.viewStart)}–${fmt(d.viewEnd)} is not on ${want.key}`);
      }
      if (b.state !== 'playing' || !(b.currentTime > a.currentTime + 1)) {
        throw new Error(`${what}: playback did not go on (${a.currentTime} → ${b.currentTime}, ${b.state})`);
      }
      if (!d.back) throw new Error(`${what}: no "Back to playback"`);
      return `${d.day}: view ${fmtDay(d.viewStart)}–${fmtDay(d.viewEnd)} UTC, played ${(b.currentTime - a.currentTime).toFixed(1)} s`;
    };
    await page.click('[data-testid="day-prev"]');
    const r1 = await stays(prev, '‹');
    await page.fill('[data-testid="timeline-day"]', back3.key);
    const r2 = await stays(back3, 'the date field');
    await page.click('[data-testid="day-next"]');
    const r3 = await stays({ ...(await page.evaluate(dayOfInPage, [at, -2])) }, '›');
    await page.click('[data-testid="back-to-playhead"]');
    const d = await waitFor(
      'the view back on the playhead',
      async () => {
        const x = await page.evaluate(barPaint);
        const s = await sample();
        return x.day === today.key && s.wallMs >= x.viewStart && s.wallMs <= x.viewEnd ? { ...x, wall: s.wallMs } : { ok: false, ...x };
      },
      { timeoutMs: 10_000, describe: (x) => JSON.stringify(x) },
    );
    return `‹: ${r1}; date field: ${r2}; ›: ${r3}; back to playback: ${d.day} with the playhead ${fmt(d.wall)} in view`;
  });

  let cam1Gap = null;
  await check('an export of a range with a gap warns first, then says how long the file is', async () => {
    await api(url, token, 'POST', `/cameras/${cam.id}/stop`, {});
    const stoppedAt = Date.now();
    await sleep(6000);
    await api(url, token, 'POST', `/cameras/${cam.id}/start`, {});
    const gap = await waitFor(
      'a gap and 6 s of footage after it',
      async () => {
        const tl = await api(url, token, 'GET', `/cameras/${cam.id}/timeline?start=${stoppedAt - 60_000}&end=${Date.now()}`);
        const g = tl.gaps.find((x) => x.end_ms > stoppedAt && x.start_ms < stoppedAt + 6000 && x.end_ms - x.start_ms >= 3000);
        const after = g && tl.segments.find((x) => x.start_ms >= g.end_ms - 10);
        return g && after && after.end_ms - after.start_ms >= 6000 ? { g, after } : { ok: false, tl };
      },
      { timeoutMs: timeoutMs + 20_000, intervalMs: 1000, describe: (x) => JSON.stringify(x?.tl?.gaps) },
    );
    cam1Gap = gap.g;
    await go(gap.g.start_ms - 5000);
    await pause();
    await page.click('[data-testid="mark-in"]');
    await go(gap.g.end_ms + 4000);
    await pause();
    await page.click('[data-testid="mark-out"]');
    const selText = (await page.textContent('[data-testid="selection-text"]')).replace(/\s+/g, ' ').trim();
    await page.click('[data-testid="export-start"]');
    await page.waitForSelector('[data-testid="export-warning"]', { state: 'visible', timeout: timeoutMs });
    const warning = (await page.textContent('[data-testid="export-warning"]')).replace(/\s+/g, ' ').trim();
    if (!/The range holds .+ of footage out of .+ selected/.test(warning)) throw new Error(`warning reads "${warning}"`);
    // The earlier export left "done"; nothing new may start before the answer.
    const phase = await page.getAttribute('[data-testid="export-panel"]', 'data-phase');
    if (phase !== 'idle' && phase !== 'done') throw new Error(`the export started before the answer (${phase})`);
    await page.click('[data-testid="export-anyway"]');
    await page.waitForSelector('[data-testid="export-panel"][data-phase="done"]', { timeout: timeoutMs * 2 });
    const result = await waitFor(
      'the exported length',
      async () => {
        const ms = await page.getAttribute('[data-testid="export-result"]', 'data-exported-ms');
        return ms ? { ms: Number(ms), text: (await page.textContent('[data-testid="export-result"]')).trim() } : null;
      },
      { timeoutMs },
    );
    if (!/^Exported .+ of video/.test(result.text) || !(result.ms > 0)) throw new Error(`result reads "${result.text}" (${result.ms} ms)`);
    // The length said is the file's: the gap inside it is a still picture (fewer frames than its length).
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: timeoutMs }), page.click('[data-testid="export-download"]')]);
    const file = join(tmp, 'gap-export.mp4');
    await download.saveAs(file);
    const probe = JSON.parse(
      await run('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'format=duration:stream=nb_read_frames', '-of', 'json', file]),
    );
    const fileMs = Number(probe.format.duration) * 1000;
    const frames = Number(probe.streams[0].nb_read_frames);
    if (Math.abs(fileMs - result.ms) > 1200) throw new Error(`the file lasts ${fileMs.toFixed(0)} ms, the page said ${result.ms} ms`);
    return `gap ${fmt(gap.g.start_ms)}–${fmt(gap.g.end_ms)}; selection "${selText}"; warned "${warning}"; then "${result.text}"; the file: ${(fileMs / 1000).toFixed(2)} s, ${frames} frames`;
  });

  await check('two cameras play in sync on one timeline', async () => {
    const r2 = await api(url, token, 'GET', `/recordings?camera_id=${cam2.id}&limit=1&start=${recStart - 60_000}`);
    const start2 = r2.items[0]?.start_ms;
    if (!start2) throw new Error('the second camera recorded nothing');
    const at = Math.max(recStart, start2) + 5000;
    await go(at);
    await page.click('[data-testid="sync-toggle"]');
    await page.waitForSelector('[data-testid="sync-picker"]', { timeout: timeoutMs });
    const pick = `[data-testid="sync-pick-${cam2.id}"]`;
    if (!(await page.isChecked(pick))) await page.click(pick);
    const cell = `[data-testid="sync-cell-${cam2.id}"]`;
    const vsel = `video[data-testid="sync-video-${cam2.id}"]`;
    const both = () =>
      page.evaluate(
        ([cellSel, videoSel]) => {
          const a = window.__sample();
          const b = window.__sample(videoSel);
          const c = document.querySelector(cellSel);
          return { a, b, followerWall: c && c.dataset.wallMs ? Number(c.dataset.wallMs) : null, show: c?.dataset.show, state: c?.dataset.state, text: c?.textContent ?? '' };
        },
        [cell, vsel],
      );
    await waitFor(
      'both playing',
      async () => {
        const x = await both();
        return x.a.state === 'playing' && x.state === 'playing' && x.show === 'video' && x.b.picture !== null ? x : { ok: false, ...x };
      },
      { timeoutMs, describe: (x) => JSON.stringify({ ...x, a: { ...x.a }, b: { ...x.b } }) },
    );
    const s1 = await both();
    await sleep(3000);
    const s2 = await both();
    if (!(s2.a.currentTime > s1.a.currentTime + 1)) throw new Error(`the leader did not advance: ${s1.a.currentTime} → ${s2.a.currentTime}`);
    if (!(s2.b.currentTime > s1.b.currentTime + 1)) throw new Error(`the follower did not advance: ${s1.b.currentTime} → ${s2.b.currentTime}`);
    const dWall = s2.followerWall - s2.a.wallMs;
    if (!(Math.abs(dWall) <= 1000)) throw new Error(`wall times ${fmt(s2.a.wallMs)} and ${fmt(s2.followerWall)} are ${dWall} ms apart`);
    const dPicture = s2.a.picture !== null && s2.b.picture !== null ? s2.b.picture - s2.a.picture : null;
    if (dPicture !== null && Math.abs(dPicture) > 1000) throw new Error(`the pictures show ${fmt(s2.a.picture)} and ${fmt(s2.b.picture)}`);
    if (!s2.text.includes('Second clock')) throw new Error(`the follower's tile reads "${s2.text}"`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'timeline-sync.png') });
    return `both advanced (${(s2.a.currentTime - s1.a.currentTime).toFixed(1)} s, ${(s2.b.currentTime - s1.b.currentTime).toFixed(1)} s); wall ${dWall} ms apart, pictures ${dPicture} ms apart`;
  });

  await check('a synced camera with no footage at the playhead says so while the leader plays on', async () => {
    if (!cam1Gap) throw new Error('no gap was made');
    // The second camera leads now; the first had its gap (stopped) where the second recorded.
    const mid = Math.round((cam1Gap.start_ms + cam1Gap.end_ms) / 2);
    await go(mid - 1000, cam2.id);
    const cell = `[data-testid="sync-cell-${cam.id}"]`;
    const x = await waitFor(
      'the first camera\'s tile to say it has no recording',
      async () => {
        const st = await page.evaluate((c) => {
          const el = document.querySelector(c);
          return el ? { show: el.dataset.show, text: el.textContent } : null;
        }, cell);
        const lead = await sample();
        return st && st.show === 'no-recording' && lead.state === 'playing' ? { ...st, lead: lead.wallMs } : { ok: false, ...st, lead: lead.state };
      },
      { timeoutMs, describe: (v) => JSON.stringify(v) },
    );
    if (!/No recording/.test(x.text)) throw new Error(`the tile reads "${x.text}"`);
    return `leader (camera ${cam2.id}) at ${fmt(x.lead)}; camera ${cam.id}: "${x.text.replace(/\s+/g, ' ').trim()}"`;
  });
}

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
    const rtsp = await startRtsp(['clock=clock:640x360', 'clock2=clock:640x360'], timeoutMs, join(tmp, 'rtsp.log'));
    pass('RTSP server with two clock cameras is up', `${rtsp.base}/clock, ${rtsp.base}/clock2`);
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const vigil = await startVigil(join(tmp, 'data'), { token, timeoutMs, logPath: vigilLog });
    const url = vigil.url;
    pass('Vigil is serving', url);
    const cam = await api(url, token, 'POST', '/cameras', {
      name: 'Clock camera',
      source: { kind: 'rtsp', url: `${rtsp.base}/clock`, transport: 'tcp' },
    });
    // A second camera for synced playback.
    const cam2 = await api(url, token, 'POST', '/cameras', {
      name: 'Second clock',
      source: { kind: 'rtsp', url: `${rtsp.base}/clock2`, transport: 'tcp' },
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

      await check('at 2× playback runs faster than real time, and the page, the index and the picture agree', async () => {
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
        // Behaviour, not a speed target: faster than 1× (a loaded CI machine may stall the decoder
        // for a moment, so no tight bound), never past 2×, and the page's clock, the segment index
        // and the picture's own clock agree on where playback is.
        for (const [name, r] of [['page', ratePage], ['segment index', rateIndex], ['picture', ratePicture]]) {
          if (!(r > 1.25 && r < 2.4)) throw new Error(`${name}: ${r.toFixed(2)}× real time`);
        }
        if (Math.abs(ratePage - ratePicture) > 0.25 * ratePicture) {
          throw new Error(`the page says ${ratePage.toFixed(2)}×, the picture ${ratePicture.toFixed(2)}×`);
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

      await newChecks({ page, url, token, cam, cam2, recStart, timeoutMs, bookmark, barView, tmp });

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
