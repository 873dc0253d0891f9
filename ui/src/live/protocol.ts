// Why: the live-view wire protocol of docs/live.md in one place — URLs, server message parsing, close codes and the player choice.
import { API_PREFIX } from '../api/client';
import type { StreamInfo } from '../api/types';

export type LiveMode = 'mse' | 'hls' | 'mjpeg';
export const LIVE_MODES: readonly LiveMode[] = ['mse', 'hls', 'mjpeg'];
export const LIVE_MODE_LABELS: Record<LiveMode, string> = { mse: 'MSE', hls: 'HLS', mjpeg: 'MJPEG' };

export type MjpegQualityName = 'low' | 'medium' | 'high';
export const MJPEG_QUALITIES: readonly MjpegQualityName[] = ['low', 'medium', 'high'];

/** Where the server and which token: what every live player needs. */
export interface LiveConnection {
  /** Origin of the Vigil server, e.g. http://127.0.0.1:7878. */
  baseUrl: string;
  token: string;
}

function apiUrl(baseUrl: string, path: string): URL {
  return new URL(`${API_PREFIX}${path}`, baseUrl.replace(/\/+$/, '') + '/');
}

function wsUrl(baseUrl: string, path: string, params: Record<string, string>): string {
  const u = apiUrl(baseUrl, path);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

const cam = (id: number) => encodeURIComponent(String(id));

/** Which of a camera's streams: the main one (full size, recorded) or its sub-stream (grid tiles). */
export type StreamName = 'main' | 'sub';

/** `{stream: "sub"}` for the sub-stream; the main one is the default and needs no parameter. */
const streamParam = (stream: StreamName): Record<string, string> => (stream === 'sub' ? { stream } : {});

/** ws://host/api/v1/cameras/{id}/stream/mse?token=… (browsers cannot set headers on a WebSocket). */
export function mseUrl(conn: LiveConnection, cameraId: number, stream: StreamName = 'main'): string {
  return wsUrl(conn.baseUrl, `/cameras/${cam(cameraId)}/stream/mse`, { ...streamParam(stream), token: conn.token });
}

/** ws://host/api/v1/cameras/{id}/stream?quality=…&token=… */
export function mjpegUrl(conn: LiveConnection, cameraId: number, quality: MjpegQualityName, stream: StreamName = 'main'): string {
  return wsUrl(conn.baseUrl, `/cameras/${cam(cameraId)}/stream`, { quality, ...streamParam(stream), token: conn.token });
}

/** http://host/api/v1/cameras/{id}/hls/live.m3u8 — the token goes in a header, not the URL. */
export function hlsUrl(conn: LiveConnection, cameraId: number, stream: StreamName = 'main'): string {
  const u = apiUrl(conn.baseUrl, `/cameras/${cam(cameraId)}/hls/live.m3u8`);
  if (stream === 'sub') u.searchParams.set('stream', 'sub');
  return u.toString();
}

export function streamInfoPath(cameraId: number, stream: StreamName = 'main'): string {
  return `/cameras/${cam(cameraId)}/stream/info${stream === 'sub' ? '?stream=sub' : ''}`;
}

/** A text message on the MSE socket; binary messages are media and never parsed. */
export type MseMessage =
  | { type: 'init'; mime: string; codec: string | null; width: number | null; height: number | null }
  | { type: 'skip' }
  | { type: 'pong' }
  | { type: 'unknown'; raw: string };

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function parseMseMessage(text: string): MseMessage {
  const o = parseJsonObject(text);
  if (!o) return { type: 'unknown', raw: text };
  switch (o.type) {
    case 'init':
      if (typeof o.mime !== 'string' || !o.mime) return { type: 'unknown', raw: text };
      return {
        type: 'init',
        mime: o.mime,
        codec: typeof o.codec === 'string' ? o.codec : null,
        width: num(o.width),
        height: num(o.height),
      };
    case 'skip':
      return { type: 'skip' };
    case 'pong':
      return { type: 'pong' };
    default:
      return { type: 'unknown', raw: text };
  }
}

export type MjpegMessage =
  | { type: 'quality'; quality: string; width: number | null; height: number | null; fps: number | null }
  | { type: 'error'; code: string; message: string }
  | { type: 'pong' }
  | { type: 'unknown'; raw: string };

export function parseMjpegMessage(text: string): MjpegMessage {
  const o = parseJsonObject(text);
  if (!o) return { type: 'unknown', raw: text };
  if (o.type === 'quality' && typeof o.quality === 'string') {
    return { type: 'quality', quality: o.quality, width: num(o.width), height: num(o.height), fps: num(o.fps) };
  }
  if (o.type === 'pong') return { type: 'pong' };
  if (o.type === 'error') {
    return {
      type: 'error',
      code: typeof o.code === 'string' ? o.code : 'ERROR',
      message: typeof o.message === 'string' ? o.message : text,
    };
  }
  return { type: 'unknown', raw: text };
}

/** What a player does after its socket closed with `code`. */
export interface CloseVerdict {
  retry: boolean;
  /** Shown to the user; null for an ordinary drop that a reconnect fixes quietly. */
  message: string | null;
  code: string | null;
}

export function closeVerdict(code: number): CloseVerdict {
  switch (code) {
    case 4401:
      return { retry: false, code: 'AUTH_TOKEN_INVALID', message: 'The server refused the token for live view.' };
    case 4403:
      return { retry: false, code: 'FORBIDDEN', message: 'This token may not view live streams.' };
    case 4404:
      return { retry: false, code: 'CAMERA_NOT_FOUND', message: 'The camera no longer exists.' };
    case 4429:
      return {
        retry: true,
        code: 'STREAM_LIMIT_EXCEEDED',
        message: 'Too many live streams are open on the server; retrying.',
      };
    case 1011:
      return { retry: true, code: 'STREAM_ENDED', message: "The camera's stream ended; retrying." };
    default:
      return { retry: true, code: null, message: null };
  }
}

/**
 * Which player a tile starts with: MSE when this browser can decode the camera's codec (H.264
 * everywhere; H.265 in WebKit but not in Chromium), else MJPEG, which any browser shows. Without
 * a MIME type yet (the fMP4 feed has not run), a typical one for the codec is asked; with no codec
 * either (the camera never connected), MSE is tried and its init message decides.
 */
export function chooseMode(
  info: Pick<StreamInfo, 'mime' | 'streams' | 'codec'> | null,
  isTypeSupported: ((mime: string) => boolean) | null,
): LiveMode {
  const offered = (t: string) => !info || info.streams.length === 0 || info.streams.some((s) => s.type === t);
  if (!isTypeSupported || !offered('mse')) return 'mjpeg';
  // The exact MIME type is known once the fMP4 feed has run; before that the codec name stands in.
  const mime = info?.mime || probeMime(info?.codec);
  if (!mime) return 'mse';
  let ok = false;
  try {
    ok = isTypeSupported(mime);
  } catch {
    ok = false;
  }
  return ok ? 'mse' : 'mjpeg';
}

/** A MIME type with a common profile of `codec`, to ask isTypeSupported before the real one is known. */
export function probeMime(codec: string | null | undefined): string | null {
  switch (codec?.toLowerCase()) {
    case 'h264':
    case 'avc':
    case 'avc1':
      return 'video/mp4; codecs="avc1.42E01E"';
    case 'h265':
    case 'hevc':
    case 'hvc1':
    case 'hev1':
      return 'video/mp4; codecs="hvc1.1.6.L93.B0"';
    default:
      return null;
  }
}

/** The browser's MediaSource.isTypeSupported, or null where there is no MediaSource at all. */
export function browserTypeSupport(): ((mime: string) => boolean) | null {
  const ms = (globalThis as { MediaSource?: { isTypeSupported(m: string): boolean } }).MediaSource;
  return ms && typeof ms.isTypeSupported === 'function' ? (m) => ms.isTypeSupported(m) : null;
}
