#!/usr/bin/env node
// Why: the alert widget in a real browser against the real server — a camera whose RTSP server is killed raises a
// camera_offline alert that appears live (badge up, a beep), filters hide and show it, acknowledging it marks it and
// brings the badge down, and the live grid shows that camera reconnecting.
//
//   node tests/browser/alerts.spec.mjs
//       Makes an H.264 clip, serves it from two RTSP servers (one per camera), starts target/debug/vigil serve on a
//       fresh data dir with offline_alert_seconds = 1 and VIGIL_DETECTION=off, adds the two cameras, drives the UI.
//       Needs: `cargo build -p vigil`, `npm run build:ui`, ffmpeg, /usr/bin/chromium, GStreamer's RTSP server.
// Options: --keep (keep the temp dir), --timeout SECONDS (per wait, default 60), --chromium PATH.
// Screenshot in test-artifacts/alerts.png. Exits 0 when every check passed ("N passed, N failed" last).

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
  stopChild,
  tempDir,
  waitFor,
} from './harness.mjs';

const SELF = fileURLToPath(import.meta.url);

/** The widget and the header badge as the page shows them. */
function alertsState() {
  const badge = document.querySelector('[data-testid="alert-badge"]');
  const sound = document.querySelector('[data-testid="alert-sound"]');
  return {
    hash: location.hash,
    badge: badge ? Number(badge.getAttribute('data-count')) : null,
    badgeShown: badge ? getComputedStyle(badge).display !== 'none' : false,
    beeps: sound ? Number(sound.getAttribute('data-beeps')) : null,
    widget: !!document.querySelector('[data-testid="alert-widget"]'),
    items: [...document.querySelectorAll('[data-testid="alert-list"] > li')].map((li) => ({
      id: Number(li.getAttribute('data-testid').replace('alert-', '')),
      type: li.getAttribute('data-type'),
      severity: li.getAttribute('data-severity'),
      acknowledged: li.getAttribute('data-acknowledged') === 'true',
      text: li.textContent,
      timeline: li.querySelector('[data-testid^="alert-timeline-"]')?.getAttribute('href') ?? null,
    })),
  };
}

async function waitRunning(url, token, id, timeoutMs) {
  return waitFor(
    `camera ${id} to run`,
    async () => {
      const c = await api(url, token, 'GET', `/cameras/${id}`);
      return c.status === 'running' ? c : { ok: false, status: c.status };
    },
    { timeoutMs, intervalMs: 300, describe: (x) => JSON.stringify(x) },
  );
}

async function main() {
  let args;
  try {
    args = commonArgs(process.argv.slice(2), SELF);
  } catch (e) {
    console.error(`alerts.spec.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  const timeoutMs = args.timeout * 1000;
  const tmp = tempDir('vigil-alerts-');
  onSignals(tmp);
  let vigilLog = null;
  let browser = null;
  try {
    const clip = join(tmp, 'clip.mp4');
    await makeClip(clip, 300);
    pass('made an H.264 640x360 25 fps clip');
    // One RTSP server per camera, so one camera's source can be killed alone.
    const gateRtsp = await startRtsp([`gate=h264:${clip}`], timeoutMs, join(tmp, 'rtsp-gate.log'));
    const yardRtsp = await startRtsp([`yard=h264:${clip}`], timeoutMs, join(tmp, 'rtsp-yard.log'));
    pass('two RTSP test servers are up', `${gateRtsp.base}/gate, ${yardRtsp.base}/yard`);
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const vigil = await startVigil(join(tmp, 'data'), {
      token,
      timeoutMs,
      logPath: vigilLog,
      config: 'offline_alert_seconds = 1\nnotifications = false\n',
      env: { VIGIL_DETECTION: 'off' },
    });
    const url = vigil.url;
    pass('Vigil is serving', `${url}, offline_alert_seconds = 1, detection off`);
    const gate = await api(url, token, 'POST', '/cameras', {
      name: 'Gate',
      source: { kind: 'rtsp', url: `${gateRtsp.base}/gate`, transport: 'tcp' },
    });
    const yard = await api(url, token, 'POST', '/cameras', {
      name: 'Yard',
      source: { kind: 'rtsp', url: `${yardRtsp.base}/yard`, transport: 'tcp' },
    });
    await waitRunning(url, token, gate.id, timeoutMs);
    await waitRunning(url, token, yard.id, timeoutMs);
    pass('both cameras run', `Gate ${gate.id}, Yard ${yard.id}`);

    browser = await launch(join(tmp, 'profile'), { chromiumPath: args.chromium });
    const { page, pageErrors } = browser;
    await page.goto(`${url}/#/alerts?token=${encodeURIComponent(token)}`, { timeout: timeoutMs });
    const before = await waitFor(
      'the alerts page with its badge',
      async () => {
        const s = await page.evaluate(alertsState);
        return s.widget && s.badge !== null && s.beeps !== null ? s : { ok: false, ...s };
      },
      { timeoutMs, describe: (s) => JSON.stringify(s) },
    );
    await check('a #/alerts?token= link signs in, drops the token from the address and opens the alerts page', async () => {
      if (before.hash !== '#/alerts') throw new Error(`hash is ${before.hash}`);
      return `hash ${before.hash}`;
    });
    const open0 = (await api(url, token, 'GET', '/alerts?limit=1')).unacknowledged;
    await check('the badge shows the server’s unacknowledged count', async () => {
      if (before.badge !== open0) throw new Error(`badge ${before.badge}, API ${open0}`);
      return `${before.badge}`;
    });

    // ---- The Gate camera's source dies.
    const killedAt = Date.now();
    await stopChild(gateRtsp.child, 5_000, 'SIGKILL');
    pass('killed the Gate camera’s RTSP server');
    const raised = await waitFor(
      'a camera_offline alert for Gate in the widget',
      async () => {
        const s = await page.evaluate(alertsState);
        const item = s.items.find((i) => i.type === 'camera_offline' && i.text.includes('Gate'));
        return item ? { s, item } : { ok: false, ...s };
      },
      { timeoutMs, intervalMs: 200, describe: (x) => JSON.stringify(x) },
    );
    const alertId = raised.item.id;
    pass(
      'the camera_offline alert appeared in the widget without a reload',
      `alert ${alertId} ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill: ${raised.item.text.slice(0, 80)}`,
    );
    const server = (await api(url, token, 'GET', '/alerts?type=camera_offline')).alerts.find((a) => a.id === alertId);
    await check('the server has the same alert, open, critical, on the Gate camera', async () => {
      if (!server || server.camera_id !== gate.id || server.acknowledged || server.severity !== 'critical') {
        throw new Error(JSON.stringify(server));
      }
      return server.message;
    });
    await check('the badge went up by one', async () => {
      await waitFor('the badge to count the new alert', async () => (await page.evaluate(alertsState)).badge === open0 + 1, {
        timeoutMs: 10_000,
      });
      const s = await page.evaluate(alertsState);
      if (!s.badgeShown) throw new Error('the badge is hidden');
      return `${open0} → ${s.badge}`;
    });
    await check('a new critical alert beeps (sound on by default)', async () => {
      const s = await page.evaluate(alertsState);
      if (!(s.beeps > before.beeps)) throw new Error(`beeps ${before.beeps} → ${s.beeps}`);
      return `${s.beeps} beep(s)`;
    });
    await check('"Open in timeline" points at the Gate camera at the alert’s time', async () => {
      const want = `#/timeline?camera=${gate.id}&at=${Date.parse(server.created_at)}`;
      if (raised.item.timeline !== want) throw new Error(`href ${raised.item.timeline}, expected ${want}`);
      return want;
    });

    // ---- Filters.
    await check('filters by severity, type and camera hide and show the alert', async () => {
      const shown = async () => (await page.evaluate(alertsState)).items.some((i) => i.id === alertId);
      const expectShown = (what, want) =>
        waitFor(`the alert to be ${want ? 'shown' : 'hidden'} with ${what}`, async () => (await shown()) === want, {
          timeoutMs: 10_000,
        });
      await page.selectOption('[data-testid="alert-filter-severity"]', 'warning');
      await expectShown('severity warning', false);
      await page.selectOption('[data-testid="alert-filter-severity"]', 'critical');
      await expectShown('severity critical', true);
      await page.selectOption('[data-testid="alert-filter-type"]', 'storage_full');
      await expectShown('type storage_full', false);
      await page.selectOption('[data-testid="alert-filter-type"]', 'camera_offline');
      await expectShown('type camera_offline', true);
      await page.selectOption('[data-testid="alert-filter-camera"]', String(yard.id));
      await expectShown('camera Yard', false);
      await page.selectOption('[data-testid="alert-filter-camera"]', String(gate.id));
      await expectShown('camera Gate', true);
      for (const f of ['severity', 'type', 'camera']) await page.selectOption(`[data-testid="alert-filter-${f}"]`, '');
      await expectShown('no filter', true);
      return 'warning/storage_full/Yard hide it; critical/camera_offline/Gate show it';
    });

    // ---- Acknowledge.
    await page.click(`[data-testid="alert-ack-${alertId}"]`);
    const acked = await waitFor(
      'the alert to show acknowledged and the badge to come down',
      async () => {
        const s = await page.evaluate(alertsState);
        const item = s.items.find((i) => i.id === alertId);
        return item?.acknowledged && s.badge === open0 ? { s, item } : { ok: false, ...s };
      },
      { timeoutMs, describe: (x) => JSON.stringify(x) },
    );
    pass('acknowledging marks the alert and the badge goes back down', `${acked.item.text.slice(0, 120)}; badge ${acked.s.badge}`);
    await check('the server has the acknowledgement', async () => {
      const a = (await api(url, token, 'GET', '/alerts?type=camera_offline')).alerts.find((x) => x.id === alertId);
      if (!a?.acknowledged || !a.acknowledged_at) throw new Error(JSON.stringify(a));
      const open = (await api(url, token, 'GET', '/alerts?limit=1')).unacknowledged;
      if (open !== open0) throw new Error(`unacknowledged ${open}, expected ${open0}`);
      return `by ${a.acknowledged_by} at ${a.acknowledged_at}`;
    });
    await page.selectOption('[data-testid="alert-filter-state"]', 'open');
    await check('the "unacknowledged" filter leaves it out', async () => {
      await waitFor(
        'the acknowledged alert to leave the open list',
        async () => !(await page.evaluate(alertsState)).items.some((i) => i.id === alertId),
        { timeoutMs: 10_000 },
      );
    });
    await page.selectOption('[data-testid="alert-filter-state"]', 'all');
    await waitFor('the full list again', async () => (await page.evaluate(alertsState)).items.some((i) => i.id === alertId), {
      timeoutMs: 10_000,
    });
    await screenshot(page, 'alerts.png');

    // ---- The live grid shows the dead camera as reconnecting, and the panel has the alert.
    const downState = (id) =>
      page.evaluate((cam) => {
        const down = document.querySelector(`[data-testid="grid-reconnecting-${cam}"]`);
        return {
          down: !!down,
          text: down?.textContent ?? null,
          code: down?.getAttribute('data-code') ?? null,
          raw: down?.getAttribute('title') ?? null,
          forText: document.querySelector(`[data-testid="grid-down-for-${cam}"]`)?.textContent ?? null,
          // The tile's own overlay and message stay quiet: one state, not three.
          overlays: document.querySelectorAll(`[data-testid="grid-tile-${cam}"] .live-overlay, [data-testid="live-error-${cam}"]`).length,
          status: document.querySelector(`[data-testid="grid-status-${cam}"]`)?.getAttribute('data-status') ?? null,
        };
      }, id);
    await check('on the live page the Gate tile shows one "down" state with the reason and how long, and the panel lists the alert', async () => {
      await page.click('[data-testid="nav-live"]');
      const s = await waitFor(
        'the Gate tile to show its state and reason',
        async () => {
          const d = await downState(gate.id);
          const listed = await page.evaluate((aid) => !!document.querySelector(`[data-testid="alert-${aid}"]`), alertId);
          return d.down && d.code && d.forText && listed && d.overlays === 0 ? d : { ok: false, ...d, listed };
        },
        { timeoutMs, describe: (x) => JSON.stringify(x) },
      );
      const later = await waitFor('the duration to move on', async () => {
        const d = await downState(gate.id);
        return d.forText !== s.forText ? d : null;
      }, { timeoutMs: 10_000 });
      return `${s.text} (code ${s.code}; raw: ${s.raw}); ${s.forText} → ${later.forText}`;
    });
    await screenshot(page, 'alerts-live.png');

    // ---- The Gate camera comes back (a new RTSP server, the camera pointed at it): the alert resolves itself.
    await check('when the camera returns the offline alert resolves and the tile plays again', async () => {
      const again = await startRtsp([`gate=h264:${clip}`], timeoutMs, join(tmp, 'rtsp-gate-2.log'));
      await api(url, token, 'PATCH', `/cameras/${gate.id}`, { source: { kind: 'rtsp', url: `${again.base}/gate`, transport: 'tcp' } });
      await waitRunning(url, token, gate.id, timeoutMs);
      const a = await waitFor('resolved_at on the alert', async () => {
        const got = (await api(url, token, 'GET', '/alerts?type=camera_offline')).alerts.find((x) => x.id === alertId);
        return got?.resolved_at ? got : { ok: false, ...got };
      }, { timeoutMs, describe: (x) => JSON.stringify(x) });
      const item = await waitFor('the widget to say it cleared', async () => {
        const st = await page.evaluate(alertsState);
        const it = st.items.find((i) => i.id === alertId);
        return it && /cleared after/.test(it.text) ? it : { ok: false, text: it?.text };
      }, { timeoutMs, describe: (x) => JSON.stringify(x) });
      await waitFor('the tile without its down state', async () => !(await downState(gate.id)).down, { timeoutMs });
      return `resolved at ${a.resolved_at}; widget: ${item.text.replace(/\s+/g, ' ').slice(0, 100)}`;
    });

    if (pageErrors.length) failCheck('no uncaught errors in the page', pageErrors.join('\n  '));
    else pass('no uncaught errors in the page');
  } catch (e) {
    failCheck('alerts in the browser', e);
  } finally {
    await browser?.context.close().catch(() => {});
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
