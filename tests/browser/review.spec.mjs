#!/usr/bin/env node
// Why: the Review page in a real browser against the real server with real detection — two cameras playing the
// demo footage (people walking) become two person incidents; the page lists them as pictures, filters by label,
// zone and camera, a hover previews the clip, a click plays it inline with its tracked objects, r marks one
// reviewed (and it leaves the "not reviewed" list), "Mark all shown reviewed" does the rest.
//
//   node tests/browser/review.spec.mjs
//       Starts target/debug/vigil serve on a fresh data dir with detection on (ONNX Runtime from
//       .cache/onnxruntime or ORT_DYLIB_PATH), incident_quiet_seconds = 5, adds two looping-file cameras of
//       .cache/footage/vtest.mp4 (scripts/dev.sh setup makes it) — Yard with a zone "gate" over the whole frame,
//       Lobby without zones — lets them record, stops them so their incidents end, and drives #/review.
//       Needs: `cargo build -p vigil`, `npm run build:ui`, /usr/bin/chromium.
// Options: --keep (keep the temp dir), --timeout SECONDS (per wait, default 60), --chromium PATH.
// Screenshot in test-artifacts/review.png. Exits 0 when every check passed ("N passed, N failed" last).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, api, check, commonArgs, failCheck, finish, launch, newToken, onSignals, pass, screenshot, sleep, startVigil, tempDir, waitFor } from './harness.mjs';

const SELF = fileURLToPath(import.meta.url);
const FOOTAGE = join(ROOT, '.cache/footage/vtest.mp4');
const ORT = process.env.ORT_DYLIB_PATH || join(ROOT, '.cache/onnxruntime/libonnxruntime.so.1.31.1');

/** The page as the operator sees it. */
function reviewState() {
  const cards = [...document.querySelectorAll('[data-testid="review-grid"] > li')];
  const clip = document.querySelector('[data-testid="review-clip-video"]');
  const preview = document.querySelector('[data-testid="review-preview-video"]');
  const video = (v) => (v ? { t: v.currentTime, ready: v.readyState, paused: v.paused, w: v.videoWidth } : null);
  return {
    hash: location.hash,
    cards: cards.map((li) => ({
      id: Number(li.getAttribute('data-testid').replace('review-', '')),
      selected: li.getAttribute('data-selected') === 'true',
      reviewed: li.getAttribute('data-reviewed') === 'true',
      img: (() => {
        const i = li.querySelector('img');
        return i ? i.complete && i.naturalWidth > 0 : false;
      })(),
      text: li.textContent,
    })),
    empty: document.querySelector('[data-testid="review-empty"]')?.textContent ?? null,
    detail: !!document.querySelector('[data-testid="review-detail"]'),
    objects: document.querySelectorAll('[data-testid="review-objects"] > li').length,
    position: document.querySelector('[data-testid="review-position"]')?.textContent ?? null,
    clip: video(clip),
    clipState: document.querySelector('[data-testid="review-clip"]')?.getAttribute('data-state') ?? null,
    preview: video(preview),
    markShown: document.querySelector('[data-testid="review-mark-shown"]')?.textContent ?? null,
  };
}

async function main() {
  let args;
  try {
    args = commonArgs(process.argv.slice(2), SELF);
  } catch (e) {
    console.error(`review.spec.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  const timeoutMs = args.timeout * 1000;
  const tmp = tempDir('vigil-review-');
  onSignals(tmp, { keep: args.keep });
  let vigilLog = null;
  let browser = null;
  try {
    if (!existsSync(FOOTAGE)) throw new Error(`${FOOTAGE} is missing: run scripts/dev.sh setup`);
    if (!existsSync(ORT)) throw new Error(`${ORT} is missing: run scripts/dev.sh setup (or set ORT_DYLIB_PATH)`);
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const vigil = await startVigil(join(tmp, 'data'), {
      token,
      timeoutMs,
      logPath: vigilLog,
      config: 'incident_quiet_seconds = 5\nsegment_seconds = 4\n',
      env: { VIGIL_DETECTION: 'on', ORT_DYLIB_PATH: ORT },
    });
    const url = vigil.url;
    pass('Vigil is serving', `${url}, detection on, incident_quiet_seconds = 5`);
    const add = (name) =>
      api(url, token, 'POST', '/cameras', { name, source: { kind: 'file', path: FOOTAGE }, detection_enabled: true, detect_fps: 5 });
    const yard = await add('Yard');
    const lobby = await add('Lobby');
    // People only, and a zone over the whole frame: every person the Yard camera sees is "in gate".
    await api(url, token, 'PUT', `/cameras/${yard.id}/detection`, {
      filter: { labels: ['person'], zones: [{ name: 'gate', mode: 'include', polygon: [[0, 0], [1, 0], [1, 1], [0, 1]] }] },
    });
    pass('two cameras of the demo footage with detection', `Yard ${yard.id} (zone gate), Lobby ${lobby.id}`);

    // Both open an incident; let them record a little more, then stop them so the incidents end.
    for (const cam of [yard, lobby]) {
      await waitFor(
        `an incident on ${cam.name}`,
        async () => {
          const l = await api(url, token, 'GET', `/alerts?type=detection&camera_id=${cam.id}`);
          return l.alerts.length > 0 ? l.alerts[0] : null;
        },
        { timeoutMs: timeoutMs * 2, intervalMs: 500 },
      );
    }
    pass('each camera opened an incident');
    await sleep(8_000);
    for (const cam of [yard, lobby]) await api(url, token, 'POST', `/cameras/${cam.id}/stop`);
    const incidents = await waitFor(
      'both incidents to end',
      async () => {
        const l = await api(url, token, 'GET', '/alerts?type=detection');
        return l.alerts.length >= 2 && l.alerts.every((a) => a.ended_at) ? l.alerts : null;
      },
      { timeoutMs, intervalMs: 500 },
    );
    await check('the demo footage became one person incident per camera (not one alert per person)', async () => {
      if (incidents.length !== 2) throw new Error(`${incidents.length} incidents: ${JSON.stringify(incidents.map((a) => a.message))}`);
      for (const a of incidents) if (!(a.labels.person >= 1)) throw new Error(`labels ${JSON.stringify(a.labels)}`);
      return incidents.map((a) => `${a.message} (${a.count} objects)`).join('; ');
    });
    const byCamera = new Map(incidents.map((a) => [a.camera_id, a]));
    const yardIncident = byCamera.get(yard.id);
    const lobbyIncident = byCamera.get(lobby.id);

    browser = await launch(join(tmp, 'profile'), { chromiumPath: args.chromium, viewport: { width: 1400, height: 900 } });
    const { page, pageErrors } = browser;
    const state = () => page.evaluate(reviewState);
    const until = (what, pred) =>
      waitFor(what, async () => {
        const s = await state();
        return pred(s) ? s : { ok: false, ...s };
      }, { timeoutMs, describe: (s) => JSON.stringify({ ...s, cards: s.cards?.map((c) => c.id) }) });
    const select = async (testid, value) => {
      await page.selectOption(`[data-testid="${testid}"]`, value);
    };

    await page.goto(`${url}/#/review?token=${encodeURIComponent(token)}`, { timeout: timeoutMs });
    await check('the nav opens #/review with both incidents as pictures', async () => {
      const s = await until('two cards with pictures', (x) => x.cards.length === 2 && x.cards.every((c) => c.img));
      if (s.hash !== '#/review') throw new Error(`hash ${s.hash}`);
      return s.cards.map((c) => c.text.replace(/\s+/g, ' ').slice(0, 60)).join(' | ');
    });

    await check('the label filter: a label neither incident has shows none, one only Lobby saw shows Lobby, person both', async () => {
      // Yard counts people only; Lobby every label its detector reports, so what it adds depends on the model.
      const absent = ['cat', 'dog', 'bus', 'bicycle', 'motorcycle', 'car', 'truck'].find(
        (l) => !yardIncident.labels[l] && !lobbyIncident.labels[l],
      );
      if (!absent) throw new Error(`every common label was seen: ${JSON.stringify(lobbyIncident.labels)}`);
      await select('review-filter-label', absent);
      const none = await until(`no ${absent} incidents`, (x) => x.cards.length === 0 && x.empty !== null);
      const onlyLobby = Object.keys(lobbyIncident.labels).find((l) => !yardIncident.labels[l]);
      let lobbyOnly = 'Lobby saw no label Yard did not';
      if (onlyLobby) {
        await select('review-filter-label', onlyLobby);
        await until(`the Lobby incident alone for ${onlyLobby}`, (x) => x.cards.length === 1 && x.cards[0].id === lobbyIncident.id);
        lobbyOnly = `${onlyLobby}: Lobby alone`;
      }
      await select('review-filter-label', 'person');
      await until('both person incidents', (x) => x.cards.length === 2);
      await select('review-filter-label', '');
      return `${absent}: "${none.empty.trim()}"; ${lobbyOnly}; person: both`;
    });
    await check('the zone filter keeps the incident that touched "gate"', async () => {
      await select('review-filter-zone', 'gate');
      const s = await until('the Yard incident alone', (x) => x.cards.length === 1 && x.cards[0].id === yardIncident.id);
      await select('review-filter-zone', '');
      return `#${s.cards[0].id}`;
    });
    await check('the camera filter keeps the Lobby incident', async () => {
      await select('review-filter-camera', String(lobby.id));
      const s = await until('the Lobby incident alone', (x) => x.cards.length === 1 && x.cards[0].id === lobbyIncident.id);
      await select('review-filter-camera', '');
      await until('both again', (x) => x.cards.length === 2);
      return `#${s.cards[0].id}`;
    });

    await check('hovering a picture plays a preview of the clip', async () => {
      await page.hover(`[data-testid="review-open-${lobbyIncident.id}"]`);
      const first = await until('a preview with video', (x) => x.preview && x.preview.ready >= 2 && x.preview.w > 0);
      const later = await until('the preview to move', (x) => x.preview && x.preview.t > first.preview.t + 0.3);
      await page.mouse.move(5, 5);
      await until('the preview to go when the pointer leaves', (x) => x.preview === null);
      return `preview ${first.preview.t.toFixed(2)} s → ${later.preview.t.toFixed(2)} s`;
    });

    await check('a click opens the clip inline: it plays, lists its tracked objects, and an object seeks to it', async () => {
      await page.click(`[data-testid="review-open-${yardIncident.id}"]`);
      const a = await until('the clip to play', (x) => x.detail && x.clip && x.clip.ready >= 2 && x.clip.w > 0 && !x.clip.paused);
      const b = await until('the clip to advance', (x) => x.clip && x.clip.t > a.clip.t + 0.5);
      const objs = await until('its tracked objects', (x) => x.objects > 0);
      await screenshot(page, 'review.png');
      // Jump to the last object; the position changes.
      const before = objs.position;
      const last = await page.$$('[data-testid^="review-object-"]');
      await last[last.length - 1].click();
      const c = await until('the position to move after a jump', (x) => x.position !== before);
      return `played ${a.clip.t.toFixed(1)} → ${b.clip.t.toFixed(1)} s; ${objs.objects} objects; position ${before} → ${c.position}`;
    });

    await check('keyboard: space pauses the open clip, r marks it reviewed and it leaves the "not reviewed" list', async () => {
      await page.keyboard.press(' ');
      await until('the clip to pause', (x) => x.clip && x.clip.paused);
      await page.keyboard.press('r');
      const s = await until('one card left', (x) => x.cards.length === 1 && x.cards[0].id === lobbyIncident.id);
      const got = (await api(url, token, 'GET', `/alerts?type=detection&acknowledged=true`)).alerts.map((x) => x.id);
      if (!got.includes(yardIncident.id)) throw new Error(`acknowledged: ${JSON.stringify(got)}`);
      return `left: #${s.cards[0].id}; the server has #${yardIncident.id} acknowledged`;
    });
    await check('Esc closes the clip, j selects the next picture', async () => {
      await page.keyboard.press('Escape');
      await until('no open clip', (x) => !x.detail);
      await page.keyboard.press('j');
      const s = await until('a selection', (x) => x.cards.some((c) => c.selected));
      return `selected #${s.cards.find((c) => c.selected).id}`;
    });
    await check('"Mark all shown reviewed" leaves nothing to review; "Reviewed" lists both', async () => {
      await page.click('[data-testid="review-mark-shown"]');
      const empty = await until('nothing left to review', (x) => x.cards.length === 0 && x.empty);
      await select('review-filter-state', 'reviewed');
      const s = await until('both reviewed', (x) => x.cards.length === 2 && x.cards.every((c) => c.reviewed));
      const open = (await api(url, token, 'GET', '/alerts?type=detection&acknowledged=false')).alerts.length;
      if (open !== 0) throw new Error(`${open} still unacknowledged on the server`);
      return `${empty.empty.trim()}; reviewed: ${s.cards.map((c) => `#${c.id}`).join(', ')}`;
    });
    if (pageErrors.length) failCheck('no uncaught errors in the page', pageErrors.join('\n  '));
    else pass('no uncaught errors in the page');
  } catch (e) {
    failCheck('the Review page in the browser', e);
  } finally {
    await browser?.context.close().catch(() => {});
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
