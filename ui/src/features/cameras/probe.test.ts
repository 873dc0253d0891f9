// Why: proves "Test connection" probes a saved camera with its stored credentials, edited values with the typed ones, and words the answer.
import { describe, expect, it } from 'vitest';
import { camera } from '../../test/fixtures';
import { emptyForm, formFromCamera } from './formState';
import { describeProbe, probePlan } from './probe';

describe('probePlan', () => {
  const cam = camera({ id: 4, username: 'viewer', has_password: true });

  it('probes an unchanged saved camera as stored (its password never reaches the browser)', () => {
    expect(probePlan(formFromCamera(cam), cam)).toEqual({ kind: 'stored', cameraId: 4 });
    // Other fields do not matter.
    expect(probePlan({ ...formFromCamera(cam), name: 'Renamed' }, cam)).toEqual({ kind: 'stored', cameraId: 4 });
  });

  it('probes typed values when the source or credentials changed', () => {
    const v = { ...formFromCamera(cam), rtspUrl: ' rtsp://192.0.2.11/s ' };
    expect(probePlan(v, cam)).toEqual({
      kind: 'adhoc',
      body: { source: { kind: 'rtsp', url: 'rtsp://192.0.2.11/s', transport: 'tcp' }, username: 'viewer' },
      note: 'Tested without the stored password (the source changed); type it to test with it.',
    });
    expect(probePlan({ ...formFromCamera(cam), password: 'n3w' }, cam)).toEqual({
      kind: 'adhoc',
      body: { source: { kind: 'rtsp', url: 'rtsp://192.0.2.10:554/stream1', transport: 'tcp' }, username: 'viewer', password: 'n3w' },
      note: null,
    });
  });

  it('probes a new camera with what the form holds', () => {
    expect(probePlan({ ...emptyForm(), rtspUrl: 'rtsp://h/1', username: '', password: '' }, null)).toEqual({
      kind: 'adhoc',
      body: { source: { kind: 'rtsp', url: 'rtsp://h/1', transport: 'tcp' } },
      note: null,
    });
    expect(probePlan({ ...emptyForm(), sourceKind: 'file', filePath: '/a.mp4' }, null)).toEqual({
      kind: 'adhoc',
      body: { source: { kind: 'file', path: '/a.mp4' } },
      note: null,
    });
    expect(probePlan({ ...emptyForm(), sourceKind: 'rtmp_push' }, null).kind).toBe('none');
  });
});

describe('describeProbe', () => {
  it('names codec, size, rate and audio', () => {
    expect(describeProbe({ codec: 'h264', width: 1920, height: 1080, fps: 25, audio_codec: 'aac', took_ms: 312.4 })).toBe(
      'H.264 1920×1080 @ 25 fps · audio AAC · answered in 312 ms',
    );
    expect(describeProbe({ codec: 'hevc', width: 0, height: 0, fps: 29.97003, audio_codec: null, took_ms: 5 })).toBe(
      'H.265 @ 29.97 fps · no audio · answered in 5 ms',
    );
  });
});
