#!/usr/bin/env node
// Why: the Storage page in a real browser against the real server — a recording camera fills the hot tier's bar, a second tier
// and an age limit are checked in the page and then saved through the settings form, a maintenance pass (run from the keyboard)
// moves footage with reason "age" into the history, the chart draws usage, a conflicting path change is refused at its field,
// the S3 archive's settings refuse a bad URL in the page, archive access keys are saved and forgotten (no S3 server: no archive
// is configured), footage is kept from the Storage page, from a bookmark in the timeline's event list and from its selection, and unlocked
// again; at 1024 px nothing overflows.
//
//   node tests/browser/storage.spec.mjs
//       Starts tests/support/rtsp_server.py with a `clock:640x360` camera and target/debug/vigil serve on a fresh data dir
//       (segment_seconds = 2) with ui/dist, adds the camera, drives #/storage and #/timeline.
//       Needs: `cargo build -p vigil`, `npm run build:ui`, /usr/bin/chromium, GStreamer's RTSP server (python3-gi).
// Options: --keep (keep the temp dir), --timeout SECONDS (per wait, default 60), --chromium PATH.
// Screenshots: test-artifacts/storage.png (1280 px), storage-1024.png, storage-timeline-kept.png. Exits 0 when every check passed.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  api,
  check,
  commonArgs,
  failCheck,
  finish,
  launch,
  newToken,
  onSignals,
  pass,
  screenshot,
  startRtsp,
  startVigil,
  tempDir,
  waitFor,
} from './harness.mjs';

const HERE = fileURLToPath(import.meta.url);

/** What the Storage page shows, read from the DOM. */
function storageState() {
  const q = (s) => document.querySelector(s);
  const rows = (s) => [...document.querySelectorAll(s)];
  const chart = q('[data-testid="usage-chart-svg"]')
    ? 'svg'
    : q('[data-testid="usage-unavailable"]')
      ? 'unavailable'
      : q('[data-testid="usage-empty"]')
        ? 'empty'
        : q('[data-testid="usage-error"]')
          ? `error: ${q('[data-testid="usage-error"]').textContent}`
          : null;
  return {
    hash: location.hash,
    page: !!q('[data-testid="storage-page"]'),
    tiers: rows('[data-testid="tier-list"] > li').map((li) => ({
      name: li.getAttribute('data-testid').slice('tier-'.length),
      online: li.getAttribute('data-online') === 'true',
      footage: Number(li.querySelector('[data-testid^="tier-bar-footage-"]')?.getAttribute('data-fraction') ?? 'NaN'),
      footagePx: li.querySelector('[data-testid^="tier-bar-footage-"]')?.getBoundingClientRect().width ?? 0,
      reserve: !!li.querySelector('[data-testid^="tier-reserve-"]'),
      text: li.textContent,
    })),
    cameras: rows('[data-testid="camera-usage"] tbody tr').map((tr) => tr.textContent),
    ops: rows('[data-testid="ops-list"] tbody tr').map((tr) => ({ kind: tr.dataset.kind, reason: tr.dataset.reason, text: tr.textContent })),
    locks: rows('[data-testid="locks-list"] tbody tr').map((tr) => ({
      id: Number(tr.getAttribute('data-testid').slice('lock-'.length)),
      text: tr.textContent,
    })),
    chart,
    series: rows('[data-testid^="usage-series-"]').map((g) => ({
      tier: g.getAttribute('data-testid').slice('usage-series-'.length),
      points: Number(g.getAttribute('data-points')),
    })),
    saved: !!q('[data-testid="settings-saved"]'),
    dirty: q('[data-testid="storage-settings"]')?.getAttribute('data-dirty') ?? null,
    result: q('[data-testid="maintenance-result"]')?.textContent ?? null,
    keys: q('[data-testid="archive-keys-status"]')?.textContent ?? null,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}

async function main() {
  let args;
  try {
    args = commonArgs(process.argv.slice(2), HERE);
  } catch (e) {
    console.error(`storage.spec.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  const timeoutMs = args.timeout * 1000;
  const tmp = tempDir('vigil-storage-');
  onSignals(tmp, { keep: args.keep });
  let vigilLog = null;
  let browser = null;
  try {
    const rtsp = await startRtsp(['clock=clock:640x360'], timeoutMs, join(tmp, 'rtsp.log'));
    pass('RTSP server with a clock camera is up', `${rtsp.base}/clock`);
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const { url } = await startVigil(join(tmp, 'data'), {
      token,
      timeoutMs,
      logPath: vigilLog,
      config: 'segment_seconds = 2\nnotifications = false\n',
    });
    pass('Vigil is serving', `${url}, 2 s segments, default storage (one hot tier)`);
    const cam = await api(url, token, 'POST', '/cameras', {
      name: 'Yard clock',
      source: { kind: 'rtsp', url: `${rtsp.base}/clock`, transport: 'tcp' },
    });
    const storage = () => api(url, token, 'GET', '/storage');
    const recorded = await waitFor(
      'a few closed segments on the hot tier',
      async () => {
        const s = await storage();
        const hot = s.tiers.find((t) => t.name === 'hot');
        return hot && hot.segments >= 3 ? s : { ok: false, hot };
      },
      { timeoutMs, intervalMs: 500, describe: (x) => JSON.stringify(x) },
    );
    pass(`camera ${cam.id} records to the hot tier`, `${recorded.tiers[0].segments} segments, ${recorded.tiers[0].used_bytes} B`);

    browser = await launch(join(tmp, 'profile'), { chromiumPath: args.chromium });
    const { page, pageErrors } = browser;
    const consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const puts = [];
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/v1/storage') && r.request().method() !== 'GET') {
        puts.push({ method: r.request().method(), path: u.pathname, status: r.status() });
      }
    });
    const state = () => page.evaluate(storageState);
    const until = (what, pred, ms = timeoutMs) =>
      waitFor(what, async () => {
        const s = await state();
        return pred(s) ? s : { ok: false, ...s };
      }, { timeoutMs: ms, describe: (s) => JSON.stringify({ ...s, tiers: s?.tiers?.map((t) => ({ ...t, text: t.text.slice(0, 80) })) }) });

    // ---- Open the page from the nav.
    await page.goto(`${url}/#/live?token=${encodeURIComponent(token)}`, { timeout: timeoutMs });
    await page.waitForSelector('[data-testid="nav-storage"]', { timeout: timeoutMs });
    await page.click('[data-testid="nav-storage"]');
    const first = await until('the hot tier’s bar with footage', (s) => s.tiers.some((t) => t.name === 'hot' && t.footage > 0 && t.footagePx >= 2));
    await check('the nav opens #/storage with the hot tier online, its footage in the bar and the reserve marked', async () => {
      const hot = first.tiers.find((t) => t.name === 'hot');
      if (first.hash !== '#/storage') throw new Error(`hash ${first.hash}`);
      if (!hot.online || !hot.reserve) throw new Error(JSON.stringify(hot));
      return `footage ${(hot.footage * 100).toFixed(5)}% of the disk (${hot.footagePx.toFixed(1)} px); ${hot.text.replace(/\s+/g, ' ').slice(0, 120)}`;
    });
    await check('the camera table names the camera with its bytes and bit rate', async () => {
      const s = await until('the camera’s row with a bit rate', (x) => x.cameras.some((c) => c.includes('Yard clock') && /bit\/s/.test(c)));
      return s.cameras.find((c) => c.includes('Yard clock'));
    });

    // ---- Settings: client checks first, then a real save.
    await check('a bad duration and a missing path are refused in the page, with no request', async () => {
      await page.click('[data-testid="settings-tier-add"]');
      await page.fill('#st-tiers-0--max_age', '10 secs');
      puts.length = 0;
      await page.click('[data-testid="settings-save"]');
      const age = await page.textContent('[data-testid="field-error-tiers[0].max_age"]', { timeout: timeoutMs });
      const path = await page.textContent('[data-testid="field-error-tiers[1].path"]', { timeout: timeoutMs });
      const described = await page.getAttribute('#st-tiers-0--max_age', 'aria-describedby');
      if (!described?.includes('st-tiers-0--max_age-error')) throw new Error(`aria-describedby=${described}`);
      if (puts.length) throw new Error(`sent ${JSON.stringify(puts)}`);
      return `"${age}"; "${path}"`;
    });
    const warmDir = join(tmp, 'warm');
    await check('adding a warm tier and a 10 s age limit on hot is saved and shown', async () => {
      await page.fill('#st-tiers-0--max_age', '10s');
      await page.fill('#st-tiers-1--path', warmDir);
      if (await page.$('[data-testid="field-error-tiers[1].path"]')) throw new Error('the path error stayed after an edit');
      await page.click('[data-testid="settings-save"]');
      const s = await until('Saved and a warm tier online', (x) => x.saved && x.dirty === 'false' && x.tiers.some((t) => t.name === 'warm' && t.online));
      const server = (await storage()).settings;
      const tiers = server.tiers.map((t) => `${t.name}:${t.path ?? 'default'}:${t.max_age ?? '-'}`);
      if (server.tiers.length !== 2 || server.tiers[0].max_age !== '10s' || server.tiers[1].path !== warmDir) {
        throw new Error(JSON.stringify(server));
      }
      return `${tiers.join(', ')}; page shows ${s.tiers.map((t) => t.name).join(', ')}`;
    });

    // ---- Maintenance from the keyboard: footage older than 10 s moves to warm, reason age.
    await check('"Run maintenance now" (Enter on the focused button) moves old footage to warm, listed with reason age', async () => {
      // Saving ran a pass already; wait until a finished segment on hot is past the limit again, so this pass has work.
      const ripe = await waitFor(
        'a finished segment on hot older than 12 s',
        async () => {
          const items = (await api(url, token, 'GET', `/recordings?camera_id=${cam.id}&limit=1000`)).items;
          const old = items.filter((r) => r.tier === 'hot' && r.state === 'complete' && r.end_ms < Date.now() - 12_000);
          return old.length ? old : { ok: false, onHot: items.filter((r) => r.tier === 'hot').length };
        },
        { timeoutMs, intervalMs: 500, describe: (x) => JSON.stringify(x) },
      );
      await page.focus('[data-testid="run-maintenance"]');
      await page.keyboard.press('Enter');
      const s = await until('the pass result and moves in the history', (x) => x.result && x.ops.some((o) => o.kind === 'move' && o.reason === 'age'));
      const moved = Number(/moved (\d+)/.exec(s.result)?.[1]);
      if (!(moved >= 1)) throw new Error(`${ripe.length} segment(s) were past the limit, the pass says: ${s.result}`);
      const move = s.ops.find((o) => o.kind === 'move');
      if (!/hot → warm/.test(move.text)) throw new Error(move.text);
      const ops = await api(url, token, 'GET', '/storage/ops?limit=5');
      if (!ops.some((o) => o.kind === 'move' && o.reason === 'age' && o.to_tier === 'warm')) throw new Error(JSON.stringify(ops));
      if (!puts.some((p) => p.path === '/api/v1/storage/maintenance' && p.status === 200)) throw new Error(JSON.stringify(puts));
      return `${s.result.trim()}; ${s.ops.length} history rows`;
    });
    await check('the warm tier’s bar now holds footage', async () => {
      const s = await until('footage on warm', (x) => x.tiers.some((t) => t.name === 'warm' && t.footage > 0 && t.footagePx >= 2));
      return s.tiers.find((t) => t.name === 'warm').text.replace(/\s+/g, ' ').slice(0, 100);
    });
    await check('the usage chart draws a line per tier from /storage/usage (or says the server has no history)', async () => {
      const s = await until('the chart to settle', (x) => x.chart !== null);
      if (s.chart === 'svg') {
        if (!s.series.some((x) => x.tier === 'hot' && x.points > 0)) throw new Error(JSON.stringify(s.series));
        return s.series.map((x) => `${x.tier}: ${x.points} sample(s)`).join(', ');
      }
      if (s.chart === 'unavailable') return 'this vigil has no /storage/usage: the chart shows its empty state';
      throw new Error(`chart: ${s.chart}`);
    });

    await check('changing the path of a tier that holds footage is refused by the server at that field', async () => {
      await page.fill('#st-tiers-1--path', join(tmp, 'elsewhere'));
      puts.length = 0;
      await page.click('[data-testid="settings-save"]');
      const msg = await page.textContent('[data-testid="field-error-tiers[1].path"]', { timeout: timeoutMs });
      const banner = await page.textContent('[data-testid="settings-error"]');
      if (!banner.includes('STORAGE_CONFIG_CONFLICT')) throw new Error(`banner: ${banner}`);
      if (!puts.some((p) => p.method === 'PUT' && p.status === 409)) throw new Error(JSON.stringify(puts));
      await page.click('.st-settings-actions button:has-text("Reset")');
      await until('the form back to the saved settings', (x) => x.dirty === 'false');
      return `"${msg.trim()}"`;
    });

    // ---- The S3 archive: its settings are checked in the page; keys are saved and forgotten (none is configured: no S3 here).
    await check('the archive section shows, and a bad URL is refused in the page with no request', async () => {
      await page.waitForSelector('[data-testid="settings-archive"]', { timeout: timeoutMs });
      await page.focus('[data-testid="settings-archive-enabled"]');
      await page.keyboard.press('Space');
      await page.fill('#st-archive-url', 'http://x');
      puts.length = 0;
      await page.click('[data-testid="settings-save"]');
      const msg = await page.textContent('[data-testid="field-error-archive.url"]', { timeout: timeoutMs });
      if (puts.length) throw new Error(`sent ${JSON.stringify(puts)}`);
      await page.click('.st-settings-actions button:has-text("Reset")');
      await until('the form back to the saved settings', (x) => x.dirty === 'false');
      if ((await storage()).settings.archive !== null) throw new Error('the server has an archive');
      return `"${msg.trim()}"`;
    });
    await check('saving dummy access keys answers 204 and the page says keys are stored; "Forget keys" clears them', async () => {
      const before = await until('the keys status', (x) => x.keys !== null);
      if (!/No keys stored/.test(before.keys)) throw new Error(`before: ${before.keys}`);
      puts.length = 0;
      await page.fill('#ak-access_key_id', 'AKIABROWSERSPEC');
      await page.fill('#ak-secret_access_key', 'dummy-secret-not-real');
      await page.click('[data-testid="archive-keys-save"]');
      await until('"Keys stored"', (x) => x.keys === 'Keys stored');
      const put = puts.find((p) => p.method === 'PUT' && p.path === '/api/v1/storage/archive/credentials');
      if (put?.status !== 204) throw new Error(JSON.stringify(puts));
      if (!(await storage()).archive_keys_stored) throw new Error('the server says no keys are stored');
      if ((await page.inputValue('#ak-secret_access_key')) !== '') throw new Error('the secret stayed in the input');
      await page.click('[data-testid="archive-keys-forget"]');
      await until('"No keys stored"', (x) => /^No keys stored/.test(x.keys ?? ''));
      const del = puts.find((p) => p.method === 'DELETE' && p.path === '/api/v1/storage/archive/credentials');
      if (del?.status !== 204) throw new Error(JSON.stringify(puts));
      if ((await storage()).archive_keys_stored) throw new Error('the server still has keys');
      return `PUT ${put.status}, DELETE ${del.status}`;
    });

    // ---- Keep a span from the Storage page, then unlock it.
    let lockId = null;
    await check('"Keep a span…" keeps the last hour of the camera and lists it', async () => {
      await page.click('[data-testid="keep-span-open"]');
      await page.selectOption('[data-testid="keep-span-camera"]', String(cam.id));
      await page.fill('[data-testid="keep-span-reason"]', 'browser spec: incident');
      await page.click('[data-testid="keep-span-save"]');
      const s = await until('the lock in the list', (x) => x.locks.some((l) => l.text.includes('browser spec: incident')));
      lockId = s.locks.find((l) => l.text.includes('browser spec: incident')).id;
      const locks = await api(url, token, 'GET', '/locks');
      const l = locks.find((x) => x.id === lockId);
      if (!l || l.camera_id !== cam.id || l.end_ms - l.start_ms < 3_500_000) throw new Error(JSON.stringify(locks));
      return `lock ${lockId}: ${s.locks[0].text.slice(0, 100)}`;
    });
    await check('"Unlock…" then "Unlock" removes it, here and on the server', async () => {
      await page.click(`[data-testid="lock-unlock-${lockId}"]`);
      await page.click(`[data-testid="lock-confirm-${lockId}"]`);
      await until('the lock to leave the list', (x) => !x.locks.some((l) => l.id === lockId));
      const locks = await api(url, token, 'GET', '/locks');
      if (locks.some((l) => l.id === lockId)) throw new Error(JSON.stringify(locks));
      return `${locks.length} lock(s) left`;
    });
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'storage.png');

    // ---- Keep from the timeline: a bookmark in the event list, then a selection made with In.
    const recs = (await api(url, token, 'GET', `/recordings?camera_id=${cam.id}&limit=1000`)).items;
    const at = recs[0].start_ms + 500;
    const bookmark = await api(url, token, 'POST', `/cameras/${cam.id}/bookmarks`, { at: recs[0].start_ms + 200, label: 'gate opened' });
    await check('Keep on a bookmark in the timeline’s event list locks around it and marks the row kept', async () => {
      await page.evaluate((h) => (location.hash = h), `#/timeline?camera=${cam.id}&at=${at}`);
      const keep = `[data-testid="keep-bookmark-${bookmark.id}"]`;
      await page.waitForSelector(keep, { timeout: timeoutMs });
      await page.click(keep);
      const reason = await page.inputValue(`[data-testid="keep-bookmark-${bookmark.id}-reason"]`);
      await page.keyboard.press('Enter');
      await page.waitForSelector(`[data-testid="keep-bookmark-${bookmark.id}-kept"]`, { timeout: timeoutMs });
      const l = (await api(url, token, 'GET', '/locks')).find((x) => x.reason === reason);
      const bAt = bookmark.at_ms;
      if (!l || l.start_ms > bAt - 29_000 || l.end_ms < bAt + 29_000) throw new Error(JSON.stringify({ l, bookmark }));
      return `"${reason}": lock ${l.id} ${(l.end_ms - l.start_ms) / 1000} s around it`;
    });
    await check('the timeline’s "Keep selection" locks the selection and shows it kept', async () => {
      await page.waitForSelector('[data-testid="mark-in"]:not([disabled])', { timeout: timeoutMs });
      await page.click('[data-testid="mark-in"]');
      await page.click('[data-testid="keep-selection"]');
      await page.fill('[data-testid="keep-selection-reason"]', 'browser spec: selection');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid="keep-selection-kept"]', { timeout: timeoutMs });
      await page.waitForSelector('[data-testid="tl-kept"]', { timeout: timeoutMs });
      await screenshot(page, 'storage-timeline-kept.png');
      const locks = await api(url, token, 'GET', '/locks');
      const l = locks.find((x) => x.reason === 'browser spec: selection');
      // In starts the selection at the playhead and ends it a minute later (the player may have moved on a little).
      const len = l ? l.end_ms - l.start_ms : 0;
      if (!l || l.camera_id !== cam.id || Math.abs(l.start_ms - at) > 15_000 || len < 59_000 || len > 61_000) {
        throw new Error(JSON.stringify(locks));
      }
      return `lock ${l.id} from ${new Date(l.start_ms).toISOString()} for ${len / 1000} s; Kept badge and the scrub bar's band shown`;
    });
    await check('the Storage page lists both timeline locks, and they unlock', async () => {
      await page.click('[data-testid="nav-storage"]');
      const s = await until('the timeline locks in the list', (x) => x.locks.length === 2 && x.locks.some((l) => l.text.includes('browser spec: selection')));
      for (const { id } of s.locks) {
        await page.click(`[data-testid="lock-unlock-${id}"]`);
        await page.click(`[data-testid="lock-confirm-${id}"]`);
        await until(`lock ${id} to go`, (x) => !x.locks.some((l) => l.id === id));
      }
      if ((await api(url, token, 'GET', '/locks')).length) throw new Error('the server still has locks');
      return `locks ${s.locks.map((l) => l.id).join(', ')} removed`;
    });

    // ---- 1024 px wide.
    await check('at 1024 px the page does not overflow sideways', async () => {
      await page.setViewportSize({ width: 1024, height: 800 });
      const s = await until('the page at 1024 px', (x) => x.page && x.tiers.length >= 2);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'storage-1024.png');
      if (s.overflow > 0) throw new Error(`${s.overflow} px wider than the window`);
      return 'no horizontal scroll';
    });

    if (pageErrors.length) failCheck('no uncaught errors in the page', pageErrors.join('\n  '));
    else pass('no uncaught errors in the page');
    // The one refusal asked for (the 409 above) is logged by Chromium as a failed resource.
    const unexpected = consoleErrors.filter((t) => !/status of 409/.test(t));
    if (unexpected.length) failCheck('no console errors', unexpected.join('\n  '));
    else pass('no console errors', consoleErrors.length ? `only the expected 409: ${consoleErrors.length}` : '');
  } catch (e) {
    failCheck('storage in the browser', e);
  } finally {
    await browser?.context.close().catch(() => {});
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
