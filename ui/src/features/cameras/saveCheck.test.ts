// Why: proves saving asks first exactly when it should — after a failed test, or when a new or changed source was never
// tested — and not for a passed test, an unchanged source or a push camera that cannot be tested before it is saved.
import { describe, expect, it } from 'vitest';
import { camera } from '../../test/fixtures';
import { emptyForm, formFromCamera } from './formState';
import { saveQuestion, sourceChanged } from './saveCheck';
import type { ProbeState } from './saveCheck';

const ok: ProbeState = { phase: 'ok', result: { codec: 'h264', width: 1, height: 1, fps: 25, audio_codec: null, took_ms: 1 }, note: null };
const failed: ProbeState = { phase: 'failed', code: 'SOURCE_NOT_FOUND', message: '404 Not Found (DESCRIBE)', placedAtField: false };
const idle: ProbeState = { phase: 'idle' };

describe('sourceChanged', () => {
  const cam = camera({ username: 'viewer' });
  it('is about the source and the credentials only', () => {
    expect(sourceChanged(formFromCamera(cam), cam)).toBe(false);
    expect(sourceChanged({ ...formFromCamera(cam), name: 'Other' }, cam)).toBe(false);
    expect(sourceChanged({ ...formFromCamera(cam), rtspUrl: 'rtsp://192.0.2.10/other' }, cam)).toBe(true);
    expect(sourceChanged({ ...formFromCamera(cam), rtspTransport: 'udp' }, cam)).toBe(true);
    expect(sourceChanged({ ...formFromCamera(cam), username: 'admin' }, cam)).toBe(true);
    expect(sourceChanged({ ...formFromCamera(cam), password: 'x' }, cam)).toBe(true);
    expect(sourceChanged({ ...formFromCamera(cam), removePassword: true }, cam)).toBe(true);
    expect(sourceChanged(emptyForm(), null)).toBe(true);
  });
});

describe('saveQuestion', () => {
  const cam = camera();
  const v = { ...emptyForm(), name: 'Gate', rtspUrl: 'rtsp://192.0.2.1/x' };

  it('asks after a failed test, naming the failure in plain words', () => {
    const q = saveQuestion(v, null, failed);
    expect(q?.message).toBe('The last connection test failed: No stream at that path. Save anyway?');
    expect(q?.hint).toContain('path part of the URL');
    // Also for an unchanged source: the last test is what counts.
    expect(saveQuestion(formFromCamera(cam), cam, failed)).not.toBeNull();
  });

  it('asks when a new or changed source was never tested', () => {
    expect(saveQuestion(v, null, idle)?.message).toBe('The connection has not been tested. Save anyway?');
    expect(saveQuestion({ ...formFromCamera(cam), rtspUrl: 'rtsp://192.0.2.1/y' }, cam, idle)?.message).toBe(
      'The source or credentials changed and have not been tested. Save anyway?',
    );
    expect(saveQuestion(v, null, { phase: 'running' })?.message).toBe('The connection test has not finished yet. Save anyway?');
  });

  it('saves at once after a passed test, for an unchanged source, and for push cameras', () => {
    expect(saveQuestion(v, null, ok)).toBeNull();
    expect(saveQuestion({ ...formFromCamera(cam), name: 'Renamed' }, cam, idle)).toBeNull();
    expect(saveQuestion({ ...emptyForm(), name: 'Push', sourceKind: 'rtmp_push' }, null, idle)).toBeNull();
    expect(saveQuestion({ ...emptyForm(), sourceKind: 'rtmp_push' }, null, { phase: 'unavailable', reason: 'save first' })).toBeNull();
  });
});
