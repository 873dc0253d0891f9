// Why: "Test connection" logic — which probe request the form's values call for (stored credentials or the typed ones), and the answer in words.
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import type { components } from '../../api/schema';
import type { CameraFormValues } from './formState';

type Schemas = components['schemas'];

/** `POST /cameras/probe` body. */
export type ProbeRequest = Schemas['ProbeRequest'];

/** What a probe found (200): the source's streams, or why it could not be read. */
export type ProbeOutcome = Schemas['ProbeOutcome'];

/** What a readable source sends (every field sent). */
export type ProbeResult = Required<Schemas['ProbeResult']>;

export type ProbePlan =
  /** The camera as saved: `POST /cameras/{id}/probe` uses its stored credentials. */
  | { kind: 'stored'; cameraId: number }
  | { kind: 'adhoc'; body: ProbeRequest; note: string | null }
  | { kind: 'none'; reason: string };

/** Whether the form's source (kind, URL and transport, or path) is the camera's saved one. */
export function sameSource(v: CameraFormValues, c: Camera): boolean {
  const s = c.source;
  if (v.sourceKind !== s.kind) return false;
  if (s.kind === 'rtsp') return v.rtspUrl.trim() === s.url && v.rtspTransport === s.transport;
  if (s.kind === 'file') return v.filePath.trim() === s.path;
  if (s.kind === 'onvif') {
    return (
      v.onvifAddress.trim() === s.address &&
      v.onvifMain === s.main_profile &&
      (v.onvifSub || null) === (s.sub_profile ?? null) &&
      v.rtspTransport === s.transport
    );
  }
  return true;
}

/**
 * Which probe to run. An existing camera whose source and username are unchanged (and no new
 * password typed) is probed as stored, so its saved password is used without ever reaching the
 * browser; anything else is probed with what the form holds.
 */
export function probePlan(v: CameraFormValues, camera: Camera | null): ProbePlan {
  if (v.sourceKind === 'rtmp_push') {
    // A saved push camera is "probed" from what it is publishing now.
    if (camera?.source.kind === 'rtmp_push') return { kind: 'stored', cameraId: camera.id };
    return { kind: 'none', reason: 'A push camera connects to Vigil; save it, then point the camera at its publish URL.' };
  }
  const user = v.username.trim();
  const credentialed = v.sourceKind === 'rtsp' || v.sourceKind === 'onvif';
  if (camera && sameSource(v, camera) && !v.password && !v.removePassword && (!credentialed || user === (camera.username ?? ''))) {
    return { kind: 'stored', cameraId: camera.id };
  }
  if (v.sourceKind === 'file') return { kind: 'adhoc', body: { source: { kind: 'file', path: v.filePath.trim() } }, note: null };
  const body: ProbeRequest =
    v.sourceKind === 'onvif'
      ? {
          source: {
            kind: 'onvif',
            address: v.onvifAddress.trim(),
            main_profile: v.onvifMain,
            sub_profile: v.onvifSub || null,
            transport: v.rtspTransport,
          },
        }
      : { source: { kind: 'rtsp', url: v.rtspUrl.trim(), transport: v.rtspTransport } };
  if (user) body.username = user;
  if (v.password && !v.removePassword) body.password = v.password;
  const note =
    camera?.has_password && !v.password && !v.removePassword
      ? 'Tested without the stored password (the source changed); type it to test with it.'
      : null;
  return { kind: 'adhoc', body, note };
}

export function runProbe(api: ApiClient, plan: Exclude<ProbePlan, { kind: 'none' }>): Promise<ProbeOutcome> {
  return plan.kind === 'stored'
    ? api.request<ProbeOutcome>('POST', `/cameras/${encodeURIComponent(String(plan.cameraId))}/probe`)
    : api.request<ProbeOutcome>('POST', '/cameras/probe', plan.body);
}

const CODEC_NAMES: Record<string, string> = {
  h264: 'H.264',
  h265: 'H.265',
  hevc: 'H.265',
  mjpeg: 'MJPEG',
  aac: 'AAC',
  pcm_mulaw: 'G.711 µ-law',
  pcm_alaw: 'G.711 A-law',
  opus: 'Opus',
};

export const codecName = (c: string | null | undefined): string => (c ? (CODEC_NAMES[c.toLowerCase()] ?? c.toUpperCase()) : 'unknown codec');

/** "H.264 1920×1080 @ 25 fps · audio AAC · 312 ms" */
export function describeProbe(r: ProbeResult): string {
  const parts = [codecName(r.codec)];
  if (r.width && r.height) parts.push(`${r.width}×${r.height}`);
  let s = parts.join(' ');
  if (r.fps) s += ` @ ${Math.round(r.fps * 100) / 100} fps`;
  s += r.audio_codec ? ` · audio ${codecName(r.audio_codec)}` : ' · no audio';
  s += ` · answered in ${Math.round(r.took_ms)} ms`;
  return s;
}
