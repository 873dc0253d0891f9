// Why: proves the live URLs carry the token where docs/live.md says, server messages parse defensively and the player choice follows the codec.
import { describe, expect, it, vi } from 'vitest';
import type { StreamInfo } from '../api/types';
import { chooseMode, closeVerdict, hlsUrl, mjpegUrl, mseUrl, parseMjpegMessage, parseMseMessage, streamInfoPath } from './protocol';

const conn = { baseUrl: 'http://127.0.0.1:7878/', token: 'a b+c/=' };

function info(over: Partial<StreamInfo> = {}): StreamInfo {
  return {
    camera_id: 1,
    state: 'running',
    codec: 'h264',
    width: 640,
    height: 360,
    mime: 'video/mp4; codecs="avc1.64001e"',
    streams: [
      { type: 'mse', url: '/api/v1/cameras/1/stream/mse' },
      { type: 'hls', url: '/api/v1/cameras/1/hls/live.m3u8' },
      { type: 'mjpeg', url: '/api/v1/cameras/1/stream', qualities: [] },
    ],
    ...over,
  };
}

describe('live URLs', () => {
  it('puts the token in the query of WebSocket URLs, encoded', () => {
    const u = new URL(mseUrl(conn, 3));
    expect(u.protocol).toBe('ws:');
    expect(u.host).toBe('127.0.0.1:7878');
    expect(u.pathname).toBe('/api/v1/cameras/3/stream/mse');
    expect(u.searchParams.get('token')).toBe('a b+c/=');
    const m = new URL(mjpegUrl({ baseUrl: 'https://nvr.example', token: 't' }, 4, 'medium'));
    expect(m.protocol).toBe('wss:');
    expect(m.pathname).toBe('/api/v1/cameras/4/stream');
    expect(Object.fromEntries(m.searchParams)).toEqual({ quality: 'medium', token: 't' });
  });

  it('keeps the token out of the HLS URL (it goes in a header)', () => {
    expect(hlsUrl(conn, 2)).toBe('http://127.0.0.1:7878/api/v1/cameras/2/hls/live.m3u8');
    expect(streamInfoPath(2)).toBe('/cameras/2/stream/info');
  });
});

describe('parseMseMessage', () => {
  it('reads an init message', () => {
    const m = parseMseMessage(
      '{"type":"init","mime":"video/mp4; codecs=\\"avc1.640028\\"","codec":"avc1.640028","width":1920,"height":1080}',
    );
    expect(m).toEqual({ type: 'init', mime: 'video/mp4; codecs="avc1.640028"', codec: 'avc1.640028', width: 1920, height: 1080 });
  });

  it('tolerates missing optional fields but not a missing mime', () => {
    expect(parseMseMessage('{"type":"init","mime":"video/mp4"}')).toEqual({
      type: 'init',
      mime: 'video/mp4',
      codec: null,
      width: null,
      height: null,
    });
    expect(parseMseMessage('{"type":"init","codec":"avc1"}').type).toBe('unknown');
    expect(parseMseMessage('{"type":"init","mime":""}').type).toBe('unknown');
  });

  it('reads skip and pong, and leaves junk as unknown', () => {
    expect(parseMseMessage('{"type":"skip"}')).toEqual({ type: 'skip' });
    expect(parseMseMessage('{"type":"pong"}')).toEqual({ type: 'pong' });
    for (const junk of ['', 'skip', '[1,2]', 'null', '{"type":"future"}', '{"mime":"video/mp4"}']) {
      expect(parseMseMessage(junk)).toEqual({ type: 'unknown', raw: junk });
    }
  });
});

describe('parseMjpegMessage', () => {
  it('reads the answer to a quality switch', () => {
    expect(parseMjpegMessage('{"type":"quality","quality":"high","width":1280,"height":720,"fps":15}')).toEqual({
      type: 'quality',
      quality: 'high',
      width: 1280,
      height: 720,
      fps: 15,
    });
    expect(parseMjpegMessage('{"type":"pong"}')).toEqual({ type: 'pong' });
    expect(parseMjpegMessage('{"type":"quality"}').type).toBe('unknown');
  });
});

describe('closeVerdict', () => {
  it('gives up on auth and unknown camera, retries on limits and ended streams', () => {
    expect(closeVerdict(4401)).toMatchObject({ retry: false, code: 'AUTH_TOKEN_INVALID' });
    expect(closeVerdict(4404)).toMatchObject({ retry: false, code: 'CAMERA_NOT_FOUND' });
    expect(closeVerdict(4429)).toMatchObject({ retry: true, code: 'STREAM_LIMIT_EXCEEDED' });
    expect(closeVerdict(1011)).toMatchObject({ retry: true, code: 'STREAM_ENDED' });
    expect(closeVerdict(1006)).toEqual({ retry: true, code: null, message: null });
  });
});

describe('chooseMode', () => {
  const chromium = (mime: string) => mime.includes('avc1');
  it('plays H.264 through MSE when the browser supports it', () => {
    const isTypeSupported = vi.fn(chromium);
    expect(chooseMode(info(), isTypeSupported)).toBe('mse');
    expect(isTypeSupported).toHaveBeenCalledWith('video/mp4; codecs="avc1.64001e"');
  });

  it('falls back to MJPEG for H.265 in a browser that cannot decode it, and plays it where it can', () => {
    const hevc = info({ codec: 'h265', mime: 'video/mp4; codecs="hvc1.1.6.L93.B0"' });
    expect(chooseMode(hevc, chromium)).toBe('mjpeg');
    expect(chooseMode(hevc, () => true)).toBe('mse');
  });

  it('falls back to MJPEG without MediaSource, or when isTypeSupported throws', () => {
    expect(chooseMode(info(), null)).toBe('mjpeg');
    expect(
      chooseMode(info(), () => {
        throw new TypeError('bad mime');
      }),
    ).toBe('mjpeg');
  });

  it('without a MIME type asks about a typical one for the codec', () => {
    const isTypeSupported = vi.fn(chromium);
    expect(chooseMode(info({ mime: null, codec: 'h264' }), isTypeSupported)).toBe('mse');
    expect(isTypeSupported).toHaveBeenLastCalledWith('video/mp4; codecs="avc1.42E01E"');
    expect(chooseMode(info({ mime: null, codec: 'h265' }), isTypeSupported)).toBe('mjpeg');
    expect(isTypeSupported).toHaveBeenLastCalledWith('video/mp4; codecs="hvc1.1.6.L93.B0"');
    expect(chooseMode(info({ mime: null, codec: 'H265' }), () => true)).toBe('mse');
  });

  it('tries MSE while neither codec nor MIME type is known, and respects what the server offers', () => {
    expect(chooseMode(info({ mime: undefined, codec: null }), chromium)).toBe('mse');
    expect(chooseMode(info({ mime: null, codec: 'mjpeg-unknown' }), chromium)).toBe('mse');
    expect(chooseMode(null, chromium)).toBe('mse');
    expect(chooseMode(info({ streams: [{ type: 'mjpeg', url: '/x' }] }), chromium)).toBe('mjpeg');
  });
});
