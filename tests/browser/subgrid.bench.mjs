#!/usr/bin/env node
// Why: what sub-streams save — a 16-camera grid in Chromium playing every camera's main stream (1920x1080) against
// the same grid playing their sub-streams (640x360), from the same RTSP server, in one run: the browser's CPU, the
// engine's CPU and the bytes a second the page receives, side by side (`scripts/bench.sh subgrid`).
//
//   node tests/browser/subgrid.bench.mjs [--measure 20] [--timeout 120] [--keep] [--chromium PATH]
//       Makes 1920x1080 and 640x360 H.264 clips (25 fps, a keyframe a second), serves each as 16 RTSP mounts
//       (tests/support/rtsp_server.py), starts target/debug/vigil serve (the build the browser tests use; detection
//       off), adds 16 cameras recording their main streams, opens the live grid (4x4) and waits until every tile plays;
//       then measures for --measure seconds: CPU of every Chromium process and of vigil (utime+stime from /proc, as
//       % of one core) and the WebSocket bytes the page received. Then each camera gets its sub-stream (no restart of
//       its main connection), the page reloads, and the same is measured with the tiles on the sub-streams.
// Prints one table and the ratios sub/main. Exits non-zero when a phase could not be measured.

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
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
const CAMERAS = 16;
const TICK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** utime + stime (clock ticks) of `pid`, 0 when gone. */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Every process whose command line mentions `needle` (Chromium's processes all carry the profile dir). */
function pidsWith(needle) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(needle)) out.push(Number(d));
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Installed before the app: counts the bytes every WebSocket of the page receives. */
function countSocketBytes() {
  window.__wsBytes = 0;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...a) {
      super(...a);
      this.addEventListener('message', (e) => {
        const d = e.data;
        window.__wsBytes += typeof d === 'string' ? d.length : d.byteLength ?? d.size ?? 0;
      });
    }
  };
}

function tiles() {
  return [...document.querySelectorAll('[data-testid^="grid-tile-"]')].map((el) => {
    const v = el.querySelector('[data-testid^="live-video-"]');
    return v ? { w: v.videoWidth, t: v.currentTime, ready: v.readyState } : { w: 0, t: 0, ready: 0 };
  });
}

async function allPlaying(page, width, timeoutMs) {
  await waitFor(
    `${CAMERAS} tiles playing at ${width} px wide`,
    async () => {
      const a = await page.evaluate(tiles);
      if (a.length !== CAMERAS || a.some((x) => x.w !== width || x.ready < 2)) return null;
      await page.waitForTimeout(1000);
      const b = await page.evaluate(tiles);
      return b.every((x, i) => x.t > a[i].t) ? b : null;
    },
    { timeoutMs, describe: () => 'not yet' },
  );
}

async function measure(page, vigilPid, profile, seconds) {
  const browserPids = pidsWith(profile);
  const b0 = browserPids.reduce((s, p) => s + cpuTicks(p), 0);
  const v0 = cpuTicks(vigilPid);
  const w0 = await page.evaluate(() => window.__wsBytes);
  const t0 = Date.now();
  await page.waitForTimeout(seconds * 1000);
  const dt = (Date.now() - t0) / 1000;
  const b1 = pidsWith(profile).reduce((s, p) => s + cpuTicks(p), 0);
  const v1 = cpuTicks(vigilPid);
  const w1 = await page.evaluate(() => window.__wsBytes);
  return {
    browserCpu: ((b1 - b0) / TICK / dt) * 100,
    engineCpu: ((v1 - v0) / TICK / dt) * 100,
    mbps: ((w1 - w0) * 8) / dt / 1e6,
  };
}

async function main() {
  let measureS = 20;
  const args = commonArgs(process.argv.slice(2), SELF, { '--measure': (_o, val) => (measureS = Number(val())) });
  const timeoutMs = Math.max(args.timeout, 120) * 1000;
  const tmp = tempDir('vigil-subgrid-');
  onSignals(tmp, { keep: args.keep });
  let vigilLog = null;
  let browser = null;
  try {
    const big = join(tmp, 'main.mp4');
    const small = join(tmp, 'sub.mp4');
    const secs = 2 * measureS + 120;
    await makeClip(big, secs, { size: '1920x1080' });
    await makeClip(small, secs, { size: '640x360' });
    pass('made H.264 clips', `1920x1080 and 640x360, ${secs} s`);
    const mounts = [];
    for (let i = 0; i < CAMERAS; i++) mounts.push(`main${i}=h264:${big}`, `sub${i}=h264:${small}`);
    const rtsp = await startRtsp(mounts, timeoutMs, join(tmp, 'rtsp.log'));
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const vigil = await startVigil(join(tmp, 'data'), { token, timeoutMs, logPath: vigilLog, config: 'stream_max_concurrent = 40\n' });
    const ids = [];
    for (let i = 0; i < CAMERAS; i++) {
      const c = await api(vigil.url, token, 'POST', '/cameras', {
        name: `Cam ${String(i + 1).padStart(2, '0')}`,
        source: { kind: 'rtsp', url: `${rtsp.base}/main${i}`, transport: 'tcp' },
      });
      ids.push(c.id);
    }
    pass(`${CAMERAS} cameras recording their main streams`);

    const profile = join(tmp, 'profile');
    browser = await launch(profile, { chromiumPath: args.chromium, viewport: { width: 1600, height: 1000 } });
    const { page } = browser;
    await page.addInitScript(countSocketBytes);
    await page.goto(`${vigil.url}/#token=${encodeURIComponent(token)}`, { timeout: timeoutMs });
    await allPlaying(page, 1920, timeoutMs);
    const main = await measure(page, vigil.child.pid, profile, measureS);
    pass('measured the grid on main streams', JSON.stringify(main));

    for (let i = 0; i < CAMERAS; i++) {
      const s = await api(vigil.url, token, 'GET', `/cameras/${ids[i]}/detection`);
      await api(vigil.url, token, 'PUT', `/cameras/${ids[i]}/detection`, { ...s, substream_url: `${rtsp.base}/sub${i}` });
    }
    await page.reload({ timeout: timeoutMs });
    await allPlaying(page, 640, timeoutMs);
    const sub = await measure(page, vigil.child.pid, profile, measureS);
    pass('measured the grid on sub-streams', JSON.stringify(sub));

    const row = (name, m) =>
      `  ${name.padEnd(22)} browser ${m.browserCpu.toFixed(0).padStart(4)} %   engine ${m.engineCpu.toFixed(0).padStart(4)} %   page receives ${m.mbps.toFixed(1).padStart(6)} Mbit/s`;
    log(`16-camera grid, ${measureS} s each (CPU as % of one core; debug build of vigil):`);
    log(row('main (1920x1080)', main));
    log(row('sub (640x360)', sub));
    log(
      `  sub / main:            browser ${(sub.browserCpu / main.browserCpu).toFixed(2)}x   engine ${(sub.engineCpu / main.engineCpu).toFixed(2)}x   bytes ${(sub.mbps / main.mbps).toFixed(2)}x`,
    );
  } catch (e) {
    failCheck('sub-stream grid benchmark', e);
  } finally {
    await browser?.context.close().catch(() => {});
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
