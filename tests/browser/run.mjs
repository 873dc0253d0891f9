#!/usr/bin/env node
// Why: `npm run test:browser` — runs every tests/browser/*.spec.mjs in turn (live first, then the rest by name), one at a time
// because each starts its own servers and browser, and fails when any of them fails.
//
//   node tests/browser/run.mjs                 every spec
//   node tests/browser/run.mjs grid alerts     only the specs whose names start with these words
// Options after `--` go to every spec (e.g. `-- --timeout 120`). Needs what the specs need: `cargo build -p vigil`,
// `npm run build:ui`, ffmpeg, /usr/bin/chromium, GStreamer's RTSP server.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = dirname(fileURLToPath(import.meta.url));
const ORDER = ['live', 'grid', 'substream', 'alerts', 'review', 'timeline', 'cameras', 'storage', 'system', 'access'];

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const only = (dash >= 0 ? argv.slice(0, dash) : argv).filter((a) => !a.startsWith('-'));
const passThrough = dash >= 0 ? argv.slice(dash + 1) : [];
if (argv.includes('-h') || argv.includes('--help')) {
  console.log('usage: node tests/browser/run.mjs [NAME ...] [-- SPEC OPTIONS]');
  process.exit(0);
}

const rank = (name) => {
  const i = ORDER.indexOf(name.replace(/\.spec\.mjs$/, ''));
  return i < 0 ? ORDER.length : i;
};
const specs = readdirSync(DIR)
  .filter((f) => f.endsWith('.spec.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

if (specs.length === 0) {
  console.error(`run.mjs: no spec matches ${only.join(' ')}`);
  process.exit(2);
}

let current = null;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    // The spec stops its own servers and browser on the signal.
    current?.kill(sig);
  });
}

function runSpec(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    current = spawn(process.execPath, [join(DIR, file), ...passThrough], { stdio: 'inherit' });
    current.on('exit', (code, signal) => {
      current = null;
      resolve({ file, code: code ?? 1, signal, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const outcomes = [];
for (const file of specs) {
  console.log(`\n=== ${file} ===`);
  outcomes.push(await runSpec(file));
}

console.log('\n=== browser specs ===');
for (const o of outcomes) {
  console.log(`${o.code === 0 ? 'ok    ' : 'FAILED'} ${o.file} (${o.seconds.toFixed(0)} s${o.signal ? `, ${o.signal}` : ''})`);
}
const failed = outcomes.filter((o) => o.code !== 0).length;
console.log(`specs: ${outcomes.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
