#!/usr/bin/env node
// Why: the UI's API types come from the server's own OpenAPI document, so a route or field change shows up as a type error (and CI fails when they drift).
//
//   node ui/scripts/gen-api.mjs           writes ui/src/api/openapi.json and ui/src/api/schema.d.ts
//   node ui/scripts/gen-api.mjs --check   regenerates into a temp dir; exit 1 when the committed files differ
//
// The document comes from `target/debug/vigil openapi` (VIGIL_BIN overrides the binary; build it
// first with `cargo build -p vigil`).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const API_DIR = join(ROOT, 'ui/src/api');
const FILES = ['openapi.json', 'schema.d.ts'];
const HEADER =
  '// Why: the Vigil API as TypeScript types, generated from openapi.json by `npm run gen:api`. Do not edit by hand.\n' +
  '/* eslint-disable */\n';

function fail(msg) {
  console.error(`gen-api: ${msg}`);
  process.exit(1);
}

function readDocument() {
  const bin = process.env.VIGIL_BIN ?? join(ROOT, 'target/debug/vigil');
  if (!existsSync(bin)) fail(`${bin} is missing: run cargo build -p vigil (or set VIGIL_BIN)`);
  const r = spawnSync(bin, ['openapi'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) fail(`${bin} openapi failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    fail(`${bin} openapi did not print JSON: ${e.message}`);
  }
}

/** utoipa names operations after their handler functions, so several are called `list`; the
 * generator refuses duplicates. The types are per path, so duplicated ids are left out of the copy
 * it reads (openapi.json keeps the server's document as it is). */
function withoutDuplicateOperationIds(doc) {
  const copy = structuredClone(doc);
  const ops = Object.values(copy.paths ?? {}).flatMap((item) =>
    Object.values(item).filter((op) => op && typeof op === 'object' && 'responses' in op),
  );
  const seen = new Map();
  for (const op of ops) if (op.operationId) seen.set(op.operationId, (seen.get(op.operationId) ?? 0) + 1);
  for (const op of ops) if (op.operationId && seen.get(op.operationId) > 1) delete op.operationId;
  return copy;
}

async function generate(outDir) {
  const doc = readDocument();
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  const ast = await openapiTS(withoutDuplicateOperationIds(doc), { silent: true, alphabetize: true, emptyObjectsUnknown: true });
  const ts = HEADER + astToString(ast);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'openapi.json'), json);
  writeFileSync(join(outDir, 'schema.d.ts'), ts);
}

async function main() {
  const check = process.argv.includes('--check');
  if (!check) {
    await generate(API_DIR);
    console.log(`gen-api: wrote ${FILES.map((f) => relative(ROOT, join(API_DIR, f))).join(' and ')}`);
    return;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'vigil-gen-api-'));
  let stale;
  try {
    await generate(tmp);
    stale = FILES.filter((f) => {
      const committed = join(API_DIR, f);
      return !existsSync(committed) || readFileSync(committed, 'utf8') !== readFileSync(join(tmp, f), 'utf8');
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  if (stale.length) {
    fail(
      `${stale.map((f) => `ui/src/api/${f}`).join(' and ')} differ from what the server's OpenAPI document ` +
        'generates: the API changed. Run `npm run gen:api` (after `cargo build -p vigil`) and commit the result.',
    );
  }
  console.log('gen-api: ui/src/api/openapi.json and schema.d.ts match the server');
}

main().catch((e) => fail(e instanceof Error ? e.stack ?? e.message : String(e)));
