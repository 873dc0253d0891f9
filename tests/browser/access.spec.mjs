#!/usr/bin/env node
// Why: people and access in a real browser against the real server — the first run's one-time set-up link makes the admin,
// the sign-in page refuses a wrong password in words,
// an operator signs in and sees the desk but not the admin pages (the Access entry is absent, #/users says "not available",
// and the server refuses /users with the operator's own token anyway), a viewer limited to one of two cameras sees one
// tile playing, an admin adds a user on the Access page and finds the sign-ins in the audit log, and signing out returns to
// the sign-in page; no uncaught errors.
//
//   node tests/browser/access.spec.mjs
//       Starts tests/support/rtsp_server.py with two `clock:640x360` cameras and target/debug/vigil serve on a fresh data dir
//       (detection off) with ui/dist; creates the users with the admin token.
//       Needs: `cargo build -p vigil`, `npm run build:ui`, /usr/bin/chromium, GStreamer's RTSP server (python3-gi).
// Options: --keep (keep the temp dir), --timeout SECONDS (per wait, default 60), --chromium PATH.
// Screenshots: test-artifacts/access-signin.png, access-users.png. Exits 0 when every check passed.

import { readFileSync } from 'node:fs';
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
const PW = 'correct horse battery';

function pageState() {
  const q = (s) => document.querySelector(s);
  return {
    hash: location.hash,
    signin: !!q('[data-testid="signin-form"]'),
    signinError: q('[data-testid="signin-error"]')?.textContent ?? null,
    nav: [...document.querySelectorAll('[data-testid^="nav-"]')].map((a) => a.getAttribute('data-testid').slice(4)),
    who: q('[data-testid="who"]')?.textContent ?? null,
    noAccess: !!q('[data-testid="no-access"]'),
    locked: !!q('[data-testid="locked-desk"]'),
    unlockError: q('[data-testid="unlock-error"]')?.textContent ?? null,
    tiles: [...document.querySelectorAll('[data-testid^="grid-tile-"]')].map((el) => {
      const v = el.querySelector('video');
      return { id: Number(el.getAttribute('data-camera')), t: v ? v.currentTime : null };
    }),
    users: [...document.querySelectorAll('[data-testid^="user-row-"]')].map((r) => r.getAttribute('data-testid').slice(9)),
    audit: [...document.querySelectorAll('[data-testid="audit-row"]')].map((r) => ({
      action: r.getAttribute('data-action'),
      text: r.textContent,
    })),
  };
}

async function main() {
  let args;
  try {
    args = commonArgs(process.argv.slice(2), HERE);
  } catch (e) {
    console.error(`access.spec.mjs: ${e.message} (see --help)`);
    process.exit(2);
  }
  const timeoutMs = args.timeout * 1000;
  const tmp = tempDir('vigil-access-');
  onSignals(tmp, { keep: args.keep });
  let vigilLog = null;
  let browser = null;
  try {
    const rtsp = await startRtsp(['yard=clock:640x360', 'gate=clock:640x360'], timeoutMs, join(tmp, 'rtsp.log'));
    const token = newToken();
    vigilLog = join(tmp, 'vigil.log');
    const { url } = await startVigil(join(tmp, 'data'), { token, timeoutMs, logPath: vigilLog, config: 'notifications = false\n' });
    pass('Vigil is serving', url);
    const yard = await api(url, token, 'POST', '/cameras', { name: 'Yard', source: { kind: 'rtsp', url: `${rtsp.base}/yard`, transport: 'tcp' } });
    const gate = await api(url, token, 'POST', '/cameras', { name: 'Gate', source: { kind: 'rtsp', url: `${rtsp.base}/gate`, transport: 'tcp' } });

    browser = await launch(join(tmp, 'profile'), { chromiumPath: args.chromium });
    const { page, pageErrors } = browser;
    const state = () => page.evaluate(pageState);
    const until = (what, pred, ms = timeoutMs) =>
      waitFor(
        what,
        async () => {
          const s = await state();
          return pred(s) ? s : { ok: false, ...s };
        },
        { timeoutMs: ms, describe: (s) => JSON.stringify(s).slice(0, 600) },
      );
    const signIn = async (user, pw) => {
      await page.fill('#signin-username', user);
      await page.fill('#signin-password', pw);
      await page.click('[data-testid="signin-submit"]');
    };
    const signOut = async () => {
      await page.click('text=Sign out');
      await until('the sign-in page', (s) => s.signin);
      // The next person starts on the live grid (the page in the address stays otherwise).
      await page.evaluate(() => {
        location.hash = '#/live';
      });
    };

    await check('the one-time set-up link `vigil serve` printed makes the first admin, signed in at once', async () => {
      const line = await waitFor('the set-up line in the log', () => {
        const l = readFileSync(vigilLog, 'utf8').split('\n').find((x) => x.includes('#/setup?code='));
        return l ?? null;
      }, { timeoutMs });
      const link = line.split(/\s+/).find((w) => w.includes('#/setup?code='));
      await page.goto(link, { timeout: timeoutMs });
      await page.waitForSelector('[data-testid="setup-form"]', { timeout: timeoutMs });
      await page.fill('#setup-username', 'ada');
      await page.fill('#setup-password', PW);
      await page.fill('#setup-again', PW);
      await page.click('[data-testid="setup-form"] button[type="submit"]');
      const s = await until('signed in as ada with the Access entry', (x) => x.who === 'ada' && x.nav.includes('users'));
      if (s.hash.includes('code=')) throw new Error(`the code stayed in the address: ${s.hash}`);
      const again = await fetch(`${url}/api/v1/auth/setup`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code: link.split('code=')[1], username: 'eve', password: PW }),
      });
      if (again.status !== 401) throw new Error(`the link worked twice: ${again.status}`);
      await signOut();
      return `${s.who} signed in; the link then answers ${again.status}`;
    });
    await api(url, token, 'POST', '/users', { username: 'olivia', password: PW, role: 'operator' });
    await api(url, token, 'POST', '/users', { username: 'victor', password: PW, role: 'viewer', cameras: [yard.id] });
    pass('two more users: an operator, and a viewer of Yard only');

    await page.goto(`${url}/#/live`, { timeout: timeoutMs });
    await check('a browser without a credential gets the sign-in page, and a wrong password is refused in words', async () => {
      await until('the sign-in form', (s) => s.signin);
      await signIn('olivia', 'not her password');
      const s = await until('the refusal', (x) => x.signinError !== null);
      await screenshot(page, 'access-signin.png');
      if (s.signinError !== 'Wrong username or password.') throw new Error(s.signinError);
      return s.signinError;
    });

    await check('an operator signs in and sees the desk but not the admin pages', async () => {
      await signIn('olivia', PW);
      const s = await until('the grid with both cameras', (x) => !x.signin && x.tiles.length === 2);
      for (const hidden of ['users', 'storage', 'cameras']) {
        if (s.nav.includes(hidden)) throw new Error(`nav shows ${hidden}: ${s.nav}`);
      }
      for (const shown of ['live', 'timeline', 'alerts', 'review']) {
        if (!s.nav.includes(shown)) throw new Error(`nav lacks ${shown}: ${s.nav}`);
      }
      if (s.who !== 'olivia') throw new Error(`who: ${s.who}`);
      await page.evaluate(() => {
        location.hash = '#/users';
      });
      await until('"not available" on #/users', (x) => x.noAccess);
      // The server refuses anyway, with the operator's own session.
      const status = await page.evaluate(async () => {
        const s = JSON.parse(sessionStorage.getItem('vigil.session'));
        return (await fetch('/api/v1/users', { headers: { Authorization: `Bearer ${s.access}` } })).status;
      });
      if (status !== 403) throw new Error(`GET /users as operator: ${status}`);
      return `nav: ${s.nav.join(', ')}; #/users says not available; the API answers 403`;
    });

    await check('signing out returns to the sign-in page and ends the session on the server', async () => {
      const access = await page.evaluate(() => JSON.parse(sessionStorage.getItem('vigil.session')).access);
      await signOut();
      const st = await waitFor('the old access token to be refused', async () => {
        const r = await fetch(`${url}/api/v1/cameras`, { headers: { Authorization: `Bearer ${access}` } });
        return r.status === 401 ? r.status : null;
      }, { timeoutMs: 5_000 });
      return `old token → ${st}`;
    });

    await check('a viewer limited to Yard sees one tile, and it plays', async () => {
      await signIn('victor', PW);
      const s = await until('one tile', (x) => !x.signin && x.tiles.length >= 1);
      if (s.tiles.length !== 1 || s.tiles[0].id !== yard.id) throw new Error(JSON.stringify(s.tiles));
      const t0 = (await until('the tile playing', (x) => x.tiles[0]?.t > 0)).tiles[0].t;
      const t1 = (await until('the tile advancing', (x) => x.tiles[0]?.t > t0 + 1)).tiles[0].t;
      const gateStatus = await page.evaluate(async (id) => {
        const s = JSON.parse(sessionStorage.getItem('vigil.session'));
        return (await fetch(`/api/v1/cameras/${id}`, { headers: { Authorization: `Bearer ${s.access}` } })).status;
      }, gate.id);
      if (gateStatus !== 404) throw new Error(`GET /cameras/${gate.id} as victor: ${gateStatus}`);
      // Playback yes; what a viewer may not do is not offered.
      await page.evaluate((id) => {
        location.hash = `#/timeline?camera=${id}`;
      }, yard.id);
      await page.waitForSelector('[data-testid="mark-in"]', { timeout: timeoutMs });
      const offered = await page.evaluate(() => ({
        bookmark: !!document.querySelector('[data-testid="bookmark-add"]'),
        exportStart: !!document.querySelector('[data-testid="export-start"]'),
      }));
      if (offered.bookmark || offered.exportStart) throw new Error(`a viewer is offered ${JSON.stringify(offered)}`);
      await page.evaluate(() => {
        location.hash = '#/live';
      });
      return `tile ${yard.id} at ${t0.toFixed(1)} s → ${t1.toFixed(1)} s; Gate answers 404; no bookmark or export on the timeline`;
    });

    await check('Lock keeps the live grid playing read-only; the next person unlocks it and the one before is signed out', async () => {
      const victorAccess = await page.evaluate(() => JSON.parse(sessionStorage.getItem('vigil.session')).access);
      await page.click('[data-testid="lock"]');
      const l = await until('the locked desk', (x) => x.locked && x.tiles.length === 1 && x.nav.length === 0);
      const t0 = l.tiles[0].t;
      await until('the tile still advancing while locked', (x) => x.tiles[0]?.t > t0 + 1);
      await page.reload();
      await until('still locked after a reload', (x) => x.locked);
      await page.fill('[data-testid="unlock-username"]', 'olivia');
      await page.fill('[data-testid="unlock-password"]', 'wrong wrong');
      await page.click('[data-testid="unlock-submit"]');
      await until('the refusal', (x) => x.unlockError === 'Wrong username or password.');
      await page.fill('[data-testid="unlock-password"]', PW);
      await page.click('[data-testid="unlock-submit"]');
      const u = await until("olivia's desk with both cameras", (x) => !x.locked && x.who === 'olivia' && x.tiles.length === 2);
      const old = await waitFor('victor’s session to end', async () => {
        const r = await fetch(`${url}/api/v1/cameras`, { headers: { Authorization: `Bearer ${victorAccess}` } });
        return r.status === 401 ? r.status : null;
      }, { timeoutMs: 5_000 });
      const log = await api(url, token, 'GET', '/audit?action=desk_unlock');
      if (!log.entries.some((e) => e.actor === 'user:olivia')) throw new Error(JSON.stringify(log.entries));
      await signOut();
      return `locked with the tile playing; unlocked as ${u.who}; victor's old token → ${old}`;
    });

    await check('an admin adds a user on the Access page and finds the sign-ins in the audit log', async () => {
      await signIn('ada', PW);
      await until('the Access entry', (x) => x.nav.includes('users'));
      await page.click('[data-testid="nav-users"]');
      await until('the users table', (x) => x.users.includes('olivia') && x.users.includes('victor'));
      await page.click('[data-testid="user-add"]');
      await page.fill('[data-testid="user-username"]', 'nina');
      await page.fill('[data-testid="user-password"]', PW);
      await page.selectOption('[data-testid="user-role"]', 'viewer');
      await page.click('[data-testid="user-save"]');
      await until('nina in the table', (x) => x.users.includes('nina'));
      await screenshot(page, 'access-users.png');
      const made = await api(url, token, 'GET', '/users');
      if (!made.some((u) => u.username === 'nina' && u.role === 'viewer')) throw new Error(JSON.stringify(made));
      await page.click('[data-testid="access-tab-audit"]');
      await page.selectOption('[data-testid="audit-action"]', 'login');
      await page.click('[data-testid="audit-apply"]');
      const s = await until('sign-ins of olivia, victor and ada', (x) =>
        ['olivia', 'victor', 'ada'].every((n) => x.audit.some((r) => r.action === 'login' && r.text.includes(`user:${n}`))),
      );
      if (s.audit.some((r) => r.action !== 'login')) throw new Error('the action filter let other rows through');
      return `${s.audit.length} sign-ins listed`;
    });

    if (pageErrors.length) failCheck('no uncaught errors in the page', pageErrors.join('\n  '));
    else pass('no uncaught errors in the page');
  } catch (e) {
    failCheck('people and access in the browser', e);
  } finally {
    await browser?.context.close().catch(() => {});
  }
  await finish(tmp, { keep: args.keep, vigilLog });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
