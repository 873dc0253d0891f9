#!/usr/bin/env node
// Why: camera management in a real browser against the real server — bad URLs and an unreachable source show their
// errors at the URL field, Test connection reports a good source's codec and size, the camera saves, the recording and
// detection switches PATCH it, the password stays write-only, and delete removes it.
//
//   node tests/browser/cameras.spec.mjs
//       Starts tests/support/rtsp_server.py with a `clock:640x360` camera and target/debug/vigil serve on a fresh
//       data dir with ui/dist, then drives the Cameras page.
//       Needs: `cargo build -p vigil`, `npm run build:ui`, /usr/bin/chromium, GStreamer's RTSP server (python3-gi).
// Options: --keep (keep the temp dir), --timeout SECONDS (per wait, default 60), --chromium PATH.
// Screenshots: test-artifacts/cameras.png (the list), test-artifacts/cameras-form.png (the dialog after a probe).
// Exits 0 when every check passed.

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
const URL_ERROR = '[data-testid="field-error-source.url"]';

async function main() {
  let args;
  try {
    args = commonArgs(process.argv.slice(2), HERE);
  } catch (e) {
    console.error(`cameras.spec.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  const timeoutMs = args.timeout * 1000;
  const tmp = tempDir('vigil-cameras-');
  onSignals(tmp);
  let vigilLog = null;
  try {
    const rtsp = await startRtsp(['clock=clock:640x360'], timeoutMs, join(tmp, 'rtsp.log'));
    const goodUrl = `${rtsp.base}/clock`;
    pass('RTSP server is up', goodUrl);
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const { url } = await startVigil(join(tmp, 'data'), { token, timeoutMs, logPath: vigilLog });
    pass('Vigil is serving', url);

    const { context, page, pageErrors } = await launch(join(tmp, 'chromium'), { chromiumPath: args.chromium });
    const posts = [];
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (r.request().method() === 'POST' && u.pathname.startsWith('/api/v1/cameras')) posts.push({ path: u.pathname, status: r.status() });
    });
    try {
      await page.goto(`${url}/#token=${encodeURIComponent(token)}`, { timeout: timeoutMs });
      await page.waitForSelector('.app', { timeout: timeoutMs });
      await page.evaluate(() => (location.hash = '#/cameras'));
      await page.waitForSelector('[data-testid="add-camera"]', { timeout: timeoutMs });
      await page.click('[data-testid="add-camera"]');
      await page.waitForSelector('[data-testid="camera-form"]', { timeout: timeoutMs });
      await page.fill('#cam-name', 'Gate camera');

      await check('a bad URL (http://x) is shown at the URL field, not saved', async () => {
        await page.fill('#cam-source-url', 'http://x');
        await page.click('[data-testid="camera-form-submit"]');
        const text = await page.textContent(URL_ERROR, { timeout: timeoutMs });
        const described = await page.getAttribute('#cam-source-url', 'aria-describedby');
        if (!described?.includes('cam-source-url-error')) throw new Error(`aria-describedby=${described}`);
        if ((await api(url, token, 'GET', '/cameras')).length !== 0) throw new Error('a camera was created');
        return `"${text}"`;
      });

      await check("the server's own URL error (rtsp:// with no host) is shown at the field", async () => {
        await page.fill('#cam-source-url', 'rtsp://');
        posts.length = 0;
        await page.click('[data-testid="camera-form-submit"]');
        const text = await waitFor('the server error at the field', async () => {
          const t = await page.textContent(URL_ERROR).catch(() => null);
          return t && posts.some((p) => p.path === '/api/v1/cameras' && p.status === 400) ? t : null;
        }, { timeoutMs });
        const banner = await page.textContent('[data-testid="form-error"]');
        if (!banner.includes('VALIDATION_FAILED')) throw new Error(`banner: ${banner}`);
        return `"${text}" (POST /cameras → 400)`;
      });

      await check('Test connection to an unreachable RTSP server shows why at the URL field', async () => {
        await page.fill('#cam-source-url', 'rtsp://127.0.0.1:1/nothing');
        posts.length = 0;
        await page.click('[data-testid="probe-button"]');
        const text = await waitFor('the probe error at the field', async () => {
          const t = await page.textContent(URL_ERROR).catch(() => null);
          return t && posts.some((p) => p.path === '/api/v1/cameras/probe' && p.status === 200) ? t : null;
        }, { timeoutMs: timeoutMs + 15_000 });
        await page.waitForSelector('[data-testid="probe-error"]', { timeout: timeoutMs });
        return `"${text}"`;
      });

      await check('Test connection to the good source shows codec, size and frame rate', async () => {
        await page.fill('#cam-source-url', goodUrl);
        if (await page.$(URL_ERROR)) throw new Error('the old error stayed after the URL changed');
        await page.click('[data-testid="probe-button"]');
        const el = await page.waitForSelector('[data-testid="probe-result"]', { timeout: timeoutMs + 15_000 });
        const text = (await el.textContent()).trim();
        if (!/H\.264 640×360 @ 2\d(\.\d+)? fps/.test(text)) throw new Error(`probe says "${text}"`);
        await screenshot(page, 'cameras-form.png');
        return `"${text}"`;
      });

      let cam = null;
      await check('saving adds the camera to the list, with the password write-only', async () => {
        await page.fill('#cam-username', 'operator');
        await page.fill('#cam-password', 's3cret-pw');
        await page.click('[data-testid="camera-form-submit"]');
        await page.waitForSelector('[data-testid="camera-form"]', { state: 'detached', timeout: timeoutMs });
        const list = await api(url, token, 'GET', '/cameras');
        cam = list[0];
        if (!cam || list.length !== 1) throw new Error(`cameras: ${JSON.stringify(list)}`);
        if (cam.source.url !== goodUrl || !cam.has_password || cam.username !== 'operator') throw new Error(JSON.stringify(cam));
        if (JSON.stringify(cam).includes('s3cret-pw')) throw new Error('the API answer carries the password');
        await page.waitForSelector(`[data-testid="camera-row-${cam.id}"]`, { timeout: timeoutMs });
        await page.click(`[data-testid="edit-${cam.id}"]`);
        const pw = await page.$eval('#cam-password', (e) => ({ value: e.value, type: e.type, placeholder: e.placeholder }));
        if (pw.value !== '' || pw.type !== 'password') throw new Error(`password input ${JSON.stringify(pw)}`);
        // An unchanged saved camera is probed with its stored credentials.
        posts.length = 0;
        await page.click('[data-testid="probe-button"]');
        await page.waitForSelector('[data-testid="probe-result"]', { timeout: timeoutMs + 15_000 });
        if (!posts.some((p) => p.path === `/api/v1/cameras/${cam.id}/probe` && p.status === 200)) {
          throw new Error(`probe requests: ${JSON.stringify(posts)}`);
        }
        await page.keyboard.press('Escape');
        await page.waitForSelector('[data-testid="camera-form"]', { state: 'detached', timeout: timeoutMs });
        return `camera ${cam.id}; edit shows an empty password input (placeholder "${pw.placeholder}"); stored probe OK`;
      });

      await check('the recording and detection switches PATCH the camera', async () => {
        if (!cam) throw new Error('no camera');
        const rec = `[data-testid="toggle-recording-${cam.id}"]`;
        const det = `[data-testid="toggle-detection-${cam.id}"]`;
        if (!(await page.isChecked(rec)) || (await page.isChecked(det))) throw new Error('initial switch states are wrong');
        await page.click(`label[for="cam-${cam.id}-recording_enabled"]`);
        await waitFor('recording off in the API', async () => !(await api(url, token, 'GET', `/cameras/${cam.id}`)).recording_enabled, { timeoutMs });
        await waitFor('the switch to show off', async () => !(await page.isChecked(rec)), { timeoutMs });
        await page.click(`label[for="cam-${cam.id}-detection_enabled"]`);
        await waitFor('detection on in the API', async () => (await api(url, token, 'GET', `/cameras/${cam.id}`)).detection_enabled, { timeoutMs });
        await page.click(`label[for="cam-${cam.id}-recording_enabled"]`);
        await waitFor('recording back on', async () => (await api(url, token, 'GET', `/cameras/${cam.id}`)).recording_enabled, { timeoutMs });
        await waitFor('both switches on', async () => (await page.isChecked(rec)) && (await page.isChecked(det)), { timeoutMs });
        return 'recording off → on, detection off → on';
      });

      if (cam) {
        await waitFor('the camera to run', async () => (await page.textContent(`[data-testid="status-${cam.id}"]`)) === 'running', {
          timeoutMs,
        }).catch(() => {});
      }
      await screenshot(page, 'cameras.png');

      await check('detection settings: a zone drawn over the picture is saved in frame fractions', async () => {
        if (!cam) throw new Error('no camera');
        await page.click(`[data-testid="detection-${cam.id}"]`);
        await page.waitForSelector('[data-testid="detection-form"] #det-labels', { timeout: timeoutMs }).catch(async (e) => {
          await page.screenshot({ path: join(tmp, 'detection-fail.png') });
          throw e;
        });
        await page.waitForSelector('[data-testid="zone-stage"] img', { timeout: timeoutMs }).catch(async (e) => {
          await page.screenshot({ path: join(tmp, 'detection-fail.png') });
          throw e;
        });
        await page.fill('#det-labels', 'person, car');
        await page.fill('#det-min_score', '0.6');
        await page.click('[data-testid="zone-add"]');
        // Measured before each click: the dialog scrolls.
        const at = async (fx, fy) => {
          const stage = await page.$('[data-testid="zone-stage"]');
          await stage.scrollIntoViewIfNeeded();
          const box = await stage.boundingBox();
          await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
        };
        await at(0.1, 0.5);
        await at(0.9, 0.5);
        // Two corners are not a zone: the row says so before anything is sent.
        await page.click('[data-testid="detection-save"]');
        const early = await page.textContent('[data-testid="field-error-zone-0"]', { timeout: timeoutMs });
        await at(0.5, 0.95);
        await page.click('[data-testid="detection-save"]');
        await page.waitForSelector('[data-testid="detection-saved"]', { timeout: timeoutMs }).catch(async (e) => {
          await page.screenshot({ path: join(tmp, 'detection-fail.png') });
          throw e;
        });
        const d = await api(url, token, 'GET', `/cameras/${cam.id}/detection`);
        const poly = d.filter.zones?.[0]?.polygon ?? [];
        const want = [[0.1, 0.5], [0.9, 0.5], [0.5, 0.95]];
        const off = poly.length === 3 ? Math.max(...poly.flatMap((p, i) => [Math.abs(p[0] - want[i][0]), Math.abs(p[1] - want[i][1])])) : 1;
        if (off > 0.01) throw new Error(`saved polygon ${JSON.stringify(poly)}`);
        if (JSON.stringify(d.filter.labels) !== '["person","car"]' || d.filter.min_score !== 0.6) throw new Error(JSON.stringify(d.filter));
        await screenshot(page, 'cameras-detection.png');
        await page.keyboard.press('Escape');
        return `2 corners: "${early}"; saved ${JSON.stringify(poly)}, labels ${d.filter.labels}, min_score ${d.filter.min_score}`;
      });

      await check('delete removes the camera', async () => {
        if (!cam) throw new Error('no camera');
        await page.click(`[data-testid="delete-${cam.id}"]`);
        await page.click(`[data-testid="confirm-delete-${cam.id}"]`);
        await page.waitForSelector(`[data-testid="camera-row-${cam.id}"]`, { state: 'detached', timeout: timeoutMs });
        const list = await api(url, token, 'GET', '/cameras');
        if (list.length !== 0) throw new Error(`still listed: ${JSON.stringify(list)}`);
        return `camera ${cam.id} gone`;
      });

      if (pageErrors.length) failCheck('no uncaught errors in the page', new Error(pageErrors.join('\n  ')));
      else pass('no uncaught errors in the page');
    } finally {
      await context.close().catch(() => {});
    }
  } catch (e) {
    failCheck('camera management in the browser', e);
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
