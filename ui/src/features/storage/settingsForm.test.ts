// Why: pins the settings form's logic — settings ⇄ inputs (the implicit default tier and the S3 archive included), the server's checks with its keys (archive and access keys too), and server errors placed at their fields.
import { describe, expect, it } from 'vitest';
import {
  addOverride,
  addTier,
  archivePathStyle,
  dropErrors,
  formFromConfig,
  mapServerError,
  maxAgePlaceholder,
  removeTier,
  s3UrlError,
  sameSettings,
  setArchive,
  setOverride,
  setTier,
  toConfig,
  toKeys,
  validateKeys,
  validateSettings,
} from './settingsForm';
import type { SettingsValues } from './settingsForm';
import type { StorageConfig } from './types';

const EMPTY: StorageConfig = {
  archive: null,
  check_interval: null,
  tiers: [],
  retention: { continuous: null, events: null, event_padding: null, cameras: {} },
};

const THREE: StorageConfig = {
  archive: null,
  check_interval: '10m',
  tiers: [
    { name: 'hot', path: '/ssd/vigil', max_age: '7d', max_size: '500GB', reserve_free: '2GB' },
    { name: 'warm', path: '/hdd/vigil', max_age: '30d', max_size: null, reserve_free: null },
    { name: 'cold', path: '/nas/vigil', max_age: null, max_size: null, reserve_free: null },
  ],
  retention: { continuous: '30d', events: '90d', event_padding: null, cameras: { '3': { continuous: '2d', events: null } } },
};

describe('settings ⇄ form', () => {
  it('round-trips a full configuration', () => {
    const v = formFromConfig(THREE);
    expect(v.tiers[1]).toEqual({ name: 'warm', path: '/hdd/vigil', maxAge: '30d', maxSize: '', reserveFree: '' });
    expect(v.overrides).toEqual([{ cameraId: '3', continuous: '2d', events: '' }]);
    expect(toConfig(v)).toEqual(THREE);
  });

  it('shows no configured tiers as the default hot tier, and sends it back as none', () => {
    const v = formFromConfig(EMPTY);
    expect(v.tiers).toEqual([{ name: 'hot', path: '', maxAge: '', maxSize: '', reserveFree: '' }]);
    expect(toConfig(v)).toEqual(EMPTY);
    // Once it has a limit it is sent as a tier.
    expect(toConfig(setTier(v, 0, { maxSize: '1TB' })).tiers).toEqual([
      { name: 'hot', path: null, max_age: null, max_size: '1TB', reserve_free: null },
    ]);
  });

  it('trims text and sends empty inputs as the default (null)', () => {
    const v = setTier(addTier(formFromConfig(EMPTY)), 1, { name: ' warm ', path: ' /hdd ', maxAge: ' 30d ' });
    expect(toConfig({ ...v, checkInterval: '  ' }).tiers[1]).toEqual({
      name: 'warm',
      path: '/hdd',
      max_age: '30d',
      max_size: null,
      reserve_free: null,
    });
  });

  it('tells edits from the saved settings', () => {
    const v = formFromConfig(THREE);
    expect(sameSettings(v, formFromConfig(THREE))).toBe(true);
    expect(sameSettings(setTier(v, 2, { maxAge: '1d' }), v)).toBe(false);
    // Whitespace only is not an edit.
    expect(sameSettings(setTier(v, 2, { path: '/nas/vigil ' }), v)).toBe(true);
  });

  it('adds tiers with free names, never removes the first, and edits overrides', () => {
    let v = addTier(formFromConfig(EMPTY));
    v = addTier(v);
    expect(v.tiers.map((t) => t.name)).toEqual(['hot', 'warm', 'cold']);
    expect(removeTier(v, 0)).toBe(v);
    expect(removeTier(v, 1).tiers.map((t) => t.name)).toEqual(['hot', 'cold']);
    v = setOverride(addOverride(v), 0, { cameraId: '4', events: '1w' });
    expect(toConfig(v).retention.cameras).toEqual({ '4': { continuous: null, events: '1w' } });
    // A row with no camera chosen is not sent.
    expect(toConfig(addOverride(formFromConfig(EMPTY))).retention.cameras).toEqual({});
  });

  it('offers the server’s default ages as placeholders', () => {
    expect([0, 1, 2, 3].map((i) => maxAgePlaceholder(i, 4))).toEqual(['default 7d', 'default 30d', 'default 90d', 'no limit']);
    expect(maxAgePlaceholder(0, 1)).toBe('no limit');
    // With an archive after it, the last local tier moves footage on too.
    expect(maxAgePlaceholder(0, 1, true)).toBe('default 7d');
  });

  it('sends back what it does not edit (newer settings) as it came', () => {
    const withArchive: StorageConfig = {
      ...THREE,
      archive: { name: 'archive', url: 's3://footage/vigil', endpoint: 'http://nas:9000', region: null, path_style: null, max_age: '365d' },
      retention: { ...THREE.retention, ...{ future: 1 } },
    };
    const sent = toConfig(setTier(formFromConfig(withArchive), 2, { maxAge: '400d' }), withArchive);
    expect(sent.archive).toEqual(withArchive.archive);
    expect(sent.tiers[2]?.max_age).toBe('400d');
    expect((sent.retention as unknown as { future: number }).future).toBe(1);
  });
});

describe('archive ⇄ form', () => {
  const ARCHIVED: StorageConfig = {
    ...THREE,
    archive: { name: null, url: 's3://footage/vigil', endpoint: 'http://nas:9000', region: 'eu-west-1', path_style: false, max_age: '365d' },
  };

  it('round-trips an archive, the defaults left empty', () => {
    const v = formFromConfig(ARCHIVED);
    expect(v.archive).toEqual({
      enabled: true,
      url: 's3://footage/vigil',
      endpoint: 'http://nas:9000',
      region: 'eu-west-1',
      pathStyle: false,
      maxAge: '365d',
      name: '',
    });
    expect(toConfig(v)).toEqual(ARCHIVED);
    expect(toConfig(v, ARCHIVED)).toEqual(ARCHIVED);
  });

  it('shows no archive as off and sends it as null, whatever was typed', () => {
    const v = formFromConfig(THREE);
    expect(v.archive).toEqual({ enabled: false, url: '', endpoint: '', region: '', pathStyle: null, maxAge: '', name: '' });
    const typed = setArchive(v, { url: 's3://x-y-z' });
    expect(toConfig(typed).archive).toBeNull();
    expect(sameSettings(typed, v)).toBe(true);
    // Turning it off is an edit.
    expect(sameSettings(setArchive(formFromConfig(ARCHIVED), { enabled: false }), formFromConfig(ARCHIVED))).toBe(false);
  });

  it('turns one on with trimmed text and empty inputs as the defaults', () => {
    const v = setArchive(formFromConfig(EMPTY), { enabled: true, url: ' s3://footage ', endpoint: ' ', maxAge: ' 1w ' });
    expect(toConfig(v).archive).toEqual({ name: null, url: 's3://footage', endpoint: null, region: null, path_style: null, max_age: '1w' });
    expect(validateSettings(v)).toEqual({});
  });

  it('shows path-style on by default only with an endpoint', () => {
    const a = formFromConfig(EMPTY).archive;
    expect(archivePathStyle(a)).toBe(false);
    expect(archivePathStyle({ ...a, endpoint: 'http://nas:9000' })).toBe(true);
    expect(archivePathStyle({ ...a, endpoint: 'http://nas:9000', pathStyle: false })).toBe(false);
    expect(archivePathStyle({ ...a, pathStyle: true })).toBe(true);
  });

  it('does not offer the archive’s name to a new tier', () => {
    const v = addTier(addTier(setArchive(formFromConfig(EMPTY), { enabled: true, url: 's3://footage' })));
    expect(v.tiers.map((t) => t.name)).toEqual(['hot', 'warm', 'cold']);
    expect(addTier(v).tiers[3]?.name).toBe('');
  });
});

describe('validateSettings', () => {
  it('passes the documented example', () => {
    expect(validateSettings(formFromConfig(THREE))).toEqual({});
    expect(validateSettings(formFromConfig(EMPTY))).toEqual({});
  });

  it('names each bad field like the server does', () => {
    const v: SettingsValues = {
      checkInterval: '1s',
      tiers: [
        { name: 'Hot!', path: '', maxAge: '', maxSize: '', reserveFree: '' },
        { name: 'warm', path: 'relative', maxAge: '0d', maxSize: '10B', reserveFree: 'lots' },
        { name: 'warm', path: '', maxAge: '7 days', maxSize: '', reserveFree: '' },
        { name: 'cold', path: '/nas//vigil/', maxAge: '', maxSize: '', reserveFree: '' },
        { name: 'ice', path: '/nas/vigil', maxAge: '', maxSize: '', reserveFree: '' },
      ],
      archive: { enabled: false, url: 'not checked when off', endpoint: '', region: '', pathStyle: null, maxAge: '', name: '' },
      continuous: '30d',
      events: '1d',
      eventPadding: '2h',
      overrides: [
        { cameraId: '3', continuous: '0s', events: '' },
        { cameraId: '3', continuous: '', events: 'x' },
        { cameraId: '', continuous: '', events: '' },
      ],
    };
    expect(validateSettings(v)).toEqual({
      check_interval: 'must be between 10s and 1d',
      'tiers[0].name': '1–32 characters: lower-case letters, digits, - and _',
      'tiers[1].path': 'must be an absolute path',
      'tiers[1].max_age': 'must be above 0',
      'tiers[1].max_size': 'must be at least 1MiB',
      'tiers[1].reserve_free': '"lots" is not a size: write a number and a unit (500MB, 2GB, 1.5TB, 40MiB)',
      'tiers[2].name': 'names must be unique',
      'tiers[2].path': 'is required (only the first tier has a default path)',
      'tiers[2].max_age': '"7 days": unknown unit "days" (use s, m, h, d or w)',
      'tiers[4].path': 'two tiers share this path',
      'retention.events': 'must not be shorter than retention.continuous (event footage is kept longer)',
      'retention.event_padding': 'must be at most 1h',
      'retention.cameras.3.continuous': 'must be above 0',
      'retention.cameras[1]': 'this camera already has an override',
      'retention.cameras.3.events': '"x" is not a duration: write a number and a unit (90s, 10m, 12h, 7d, 2w)',
      'retention.cameras[2]': 'choose a camera',
    });
  });

  it('refuses more than eight tiers and accepts Windows paths', () => {
    let v = formFromConfig(EMPTY);
    for (let i = 1; i < 9; i++) v = setTier(addTier(v), i, { name: `t${i}`, path: i % 2 ? `D:\\vigil\\${i}` : `\\\\nas\\v${i}` });
    expect(validateSettings(v)).toEqual({ tiers: 'at most 8 tiers' });
  });
});

describe('archive checks', () => {
  it('reads s3:// URLs as parse_s3_url does', () => {
    for (const ok of ['s3://abc', 's3://footage/vigil', 's3://my.bucket-1/a/b/', 's3://abc//lead/trail//', `s3://${'a'.repeat(63)}`]) {
      expect(s3UrlError(ok), ok).toBeNull();
    }
    expect(s3UrlError('http://x')).toBe('must be s3://bucket or s3://bucket/prefix');
    expect(s3UrlError('')).toBe('must be s3://bucket or s3://bucket/prefix');
    const bucket = 'the bucket name must be 3–63 lower-case letters, digits, - and .';
    for (const bad of ['s3://ab', 's3://', 's3://Footage', 's3://-abc', 's3://abc.', 's3://a_b_c', `s3://${'a'.repeat(64)}`, 's3:///abc']) {
      expect(s3UrlError(bad), bad).toBe(bucket);
    }
    const prefix = 'the prefix must be a plain path';
    for (const bad of ['s3://abc/a/../b', 's3://abc/./x', 's3://abc/a//b', `s3://abc/${'é'.repeat(257)}`]) {
      expect(s3UrlError(bad), bad).toBe(prefix);
    }
    expect(s3UrlError(`s3://abc/${'é'.repeat(256)}`)).toBeNull();
  });

  it('names each bad archive field like the server does', () => {
    const v = setArchive(formFromConfig(THREE), {
      enabled: true,
      url: 'http://x',
      endpoint: 'ftp://nas',
      region: 'eu west',
      maxAge: '0s',
      name: 'warm',
    });
    expect(validateSettings(v)).toEqual({
      'archive.url': 'must be s3://bucket or s3://bucket/prefix',
      'archive.endpoint': 'must be an http:// or https:// URL',
      'archive.region': 'not a region name',
      'archive.max_age': 'must be above 0',
      'archive.name': 'names must be unique',
    });
    const w = setArchive(v, { url: 's3://footage', endpoint: 'http://', region: 'r'.repeat(65), maxAge: '1 year', name: 'S3!' });
    expect(validateSettings(w)).toEqual({
      'archive.endpoint': 'must be an http:// or https:// URL',
      'archive.region': 'not a region name',
      'archive.max_age': '"1 year": unknown unit "year" (use s, m, h, d or w)',
      'archive.name': '1–32 characters: lower-case letters, digits, - and _',
    });
    expect(validateSettings(setArchive(w, { endpoint: 'https://s3.nas.local:9000/', region: 'us-east-1', maxAge: '', name: '' }))).toEqual({});
    // The default name clashes too.
    expect(validateSettings(setArchive(setTier(w, 2, { name: 'archive' }), { endpoint: '', region: '', maxAge: '', name: '' }))).toEqual({
      'archive.name': 'names must be unique',
    });
  });
});

describe('access keys', () => {
  it('checks them as the server does and trims only the id', () => {
    expect(validateKeys({ accessKeyId: ' ', secretAccessKey: '' })).toEqual({
      access_key_id: 'is required',
      secret_access_key: 'must be 1–256 characters',
    });
    expect(validateKeys({ accessKeyId: 'a'.repeat(129), secretAccessKey: 's'.repeat(257) })).toEqual({
      access_key_id: 'must be at most 128 characters',
      secret_access_key: 'must be 1–256 characters',
    });
    expect(validateKeys({ accessKeyId: 'AKIA\u0007', secretAccessKey: ' x ' })).toEqual({
      access_key_id: 'must not contain control characters',
    });
    const k = { accessKeyId: ' AKIAEXAMPLE ', secretAccessKey: ' secret ' };
    expect(validateKeys(k)).toEqual({});
    expect(toKeys(k)).toEqual({ access_key_id: 'AKIAEXAMPLE', secret_access_key: ' secret ' });
  });
});

describe('mapServerError', () => {
  const v = formFromConfig(THREE);

  it('puts field errors at their inputs and the rest in the banner', () => {
    const m = mapServerError(
      {
        code: 'VALIDATION_FAILED',
        message: 'invalid',
        fields: { 'tiers[1].max_size': 'must be at least 1MiB', 'retention.cameras.3.continuous': 'must be above 0', body: 'x' },
      },
      v,
    );
    expect(m.fields).toEqual({
      'tiers[1].max_size': 'must be at least 1MiB',
      'retention.cameras.3.continuous': 'must be above 0',
    });
    expect(m.unplaced).toEqual(['body: x']);
  });

  it('puts a conflict about a tier’s path at that tier', () => {
    const msg = 'tier "warm" holds 12 segments at /hdd/vigil; its path cannot change';
    expect(mapServerError({ code: 'STORAGE_CONFIG_CONFLICT', message: msg, fields: {} }, v).fields).toEqual({
      'tiers[1].path': msg,
    });
    const first = 'the first tier (where recording writes) cannot change while Vigil runs; change it in config.toml and restart';
    expect(mapServerError({ code: 'STORAGE_CONFIG_CONFLICT', message: first, fields: {} }, v).fields).toEqual({
      'tiers[0].name': first,
    });
  });

  it('puts archive errors at the archive’s inputs, and a conflict about it at its URL (or its switch when off)', () => {
    const on = setArchive(v, { enabled: true, url: 's3://elsewhere' });
    const m = mapServerError(
      { code: 'VALIDATION_FAILED', message: 'invalid', fields: { 'archive.region': 'not a region name', 'archive.url': 'x' } },
      on,
    );
    expect(m.fields).toEqual({ 'archive.region': 'not a region name', 'archive.url': 'x' });
    expect(m.unplaced).toEqual([]);
    // With the archive off its inputs are gone: the messages go to the banner.
    expect(mapServerError({ code: 'VALIDATION_FAILED', message: 'invalid', fields: { 'archive.url': 'x' } }, v).unplaced).toEqual([
      'archive.url: x',
    ]);
    const msg = 'the archive "archive" holds 3 segments at s3://footage/vigil; it cannot be removed or pointed elsewhere';
    expect(mapServerError({ code: 'STORAGE_CONFIG_CONFLICT', message: msg, fields: {} }, on).fields).toEqual({ 'archive.url': msg });
    expect(mapServerError({ code: 'STORAGE_CONFIG_CONFLICT', message: msg, fields: {} }, v).fields).toEqual({ archive: msg });
  });
});

describe('dropErrors', () => {
  it('drops by prefix and keeps the object when nothing matches', () => {
    const e = { 'tiers[0].name': 'a', 'tiers[1].path': 'b', check_interval: 'c' };
    expect(dropErrors(e, 'tiers')).toEqual({ check_interval: 'c' });
    expect(dropErrors(e, 'retention')).toBe(e);
  });
});
