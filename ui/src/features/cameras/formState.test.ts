// Why: proves form values become the right create/PATCH bodies and server field errors land on the right inputs.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import { camera } from '../../test/fixtures';
import {
  emptyForm,
  formFromCamera,
  mapApiFieldErrors,
  toCreateBody,
  toPatchBody,
  validateForm,
} from './formState';

describe('toCreateBody', () => {
  it('trims text, leaves out empty optional fields and sends the RTSP source', () => {
    const v = { ...emptyForm(), name: '  Gate  ', manufacturer: '   ', location: 'Yard', rtspUrl: ' rtsp://cam/1 ' };
    expect(toCreateBody(v)).toEqual({
      name: 'Gate',
      location: 'Yard',
      source: { kind: 'rtsp', url: 'rtsp://cam/1', transport: 'tcp' },
      enabled: true,
      recording_enabled: true,
      detection_enabled: false,
      detect_fps: 5,
    });
  });

  it('sends a typed password as is and none when empty', () => {
    const base = { ...emptyForm(), name: 'A', rtspUrl: 'rtsp://a/' };
    expect(toCreateBody({ ...base, username: 'u', password: ' p w ' })).toMatchObject({ username: 'u', password: ' p w ' });
    expect(toCreateBody(base)).not.toHaveProperty('password');
  });

  it('sends only the kind for RTMP push and the path for files, without credentials', () => {
    const v = { ...emptyForm(), name: 'P', sourceKind: 'rtmp_push' as const, username: 'u', password: 'p' };
    const body = toCreateBody(v);
    expect(body.source).toEqual({ kind: 'rtmp_push' });
    expect(body).not.toHaveProperty('username');
    expect(body).not.toHaveProperty('password');
    const f = toCreateBody({ ...emptyForm(), name: 'F', sourceKind: 'file', filePath: ' /srv/a.mp4 ' });
    expect(f.source).toEqual({ kind: 'file', path: '/srv/a.mp4' });
  });
});

describe('toPatchBody', () => {
  const cam = camera();

  it('is empty when nothing changed (password kept)', () => {
    expect(toPatchBody(formFromCamera(cam), cam)).toEqual({});
  });

  it('sends changed fields only and null for cleared optional text', () => {
    const v = { ...formFromCamera(cam), name: 'Back door', place: '', model: 'Q1' , detect_fps: '10' };
    expect(toPatchBody(v, cam)).toEqual({ name: 'Back door', place: null, model: 'Q1', detect_fps: 10 });
  });

  it('does not send null for a field that was already empty', () => {
    const c = camera({ place: null });
    expect(toPatchBody({ ...formFromCamera(c), place: '  ' }, c)).toEqual({});
  });

  it('handles the password: unchanged, new, removed', () => {
    const v = formFromCamera(cam);
    expect(toPatchBody({ ...v, password: '' }, cam)).not.toHaveProperty('password');
    expect(toPatchBody({ ...v, password: 'n3w' }, cam)).toEqual({ password: 'n3w' });
    expect(toPatchBody({ ...v, removePassword: true }, cam)).toEqual({ password: null });
    const noPw = camera({ has_password: false });
    expect(toPatchBody({ ...formFromCamera(noPw), removePassword: true }, noPw)).toEqual({});
  });

  it('sends the whole source when the URL, transport or kind changes', () => {
    const v = formFromCamera(cam);
    expect(toPatchBody({ ...v, rtspTransport: 'udp' }, cam)).toEqual({
      source: { kind: 'rtsp', url: 'rtsp://192.0.2.10:554/stream1', transport: 'udp' },
    });
    expect(toPatchBody({ ...v, sourceKind: 'rtmp_push' }, cam)).toEqual({ source: { kind: 'rtmp_push' } });
  });

  it('never re-sends an unchanged RTMP push source', () => {
    const push = camera({
      source: { kind: 'rtmp_push', stream_key: 'k', publish_url: 'rtmp://127.0.0.1:1935/live/k' },
    });
    expect(toPatchBody({ ...formFromCamera(push), enabled: false }, push)).toEqual({ enabled: false });
  });
});

describe('validateForm', () => {
  it('requires a name and an rtsp:// URL and a 1–30 fps', () => {
    const errs = validateForm({ ...emptyForm(), rtspUrl: 'http://cam/1', detect_fps: '31' });
    expect(errs).toEqual({
      name: 'is required',
      'source.url': 'must start with rtsp:// or rtsps://',
      detect_fps: 'must be between 1 and 30',
    });
    expect(validateForm({ ...emptyForm(), name: 'ok', rtspUrl: 'rtsps://cam/1' })).toEqual({});
  });

  it('requires an absolute path for file sources', () => {
    const v = { ...emptyForm(), name: 'f', sourceKind: 'file' as const, filePath: 'clips/a.mp4' };
    expect(validateForm(v)).toEqual({ 'source.path': 'must be an absolute path' });
  });
});

describe('mapApiFieldErrors', () => {
  it('puts server field errors on their inputs, including source.url and serial_number', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', 'invalid', {
      fields: { name: 'is required', 'source.url': 'must name a host', serial_number: 'is already used' },
    });
    expect(mapApiFieldErrors(err, { sourceKind: 'rtsp' })).toEqual({
      fields: { name: 'is required', 'source.url': 'must name a host', serial_number: 'is already used' },
      unplaced: [],
    });
  });

  it('maps source to the kind selector and reports fields with no input on screen', () => {
    const err = new ApiError(400, 'VALIDATION_FAILED', 'invalid', {
      fields: { source: 'is required', 'source.url': 'bad', 'source.path': 'does not exist or cannot be read', extra: 'x' },
    });
    const out = mapApiFieldErrors(err, { sourceKind: 'file' });
    expect(out.fields).toEqual({ source: 'is required', 'source.path': 'does not exist or cannot be read' });
    expect(out.unplaced).toEqual(['source.url: bad', 'extra: x']);
  });
});
