// Why: plays an incident's footage (its clip window) through the timeline's VOD player — muted and looping as a hover preview, or with play/pause, position and seeking as the opened clip.
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { VodPlayer } from '../timeline/vodPlayer';
import type { VodStatus } from '../timeline/vodPlayer';
import type { MediaConnection } from '../timeline/timelineApi';
import { CLIP_MAX_MS } from './reviewState';

export interface ClipWindow {
  cameraId: number;
  startMs: number;
  endMs: number;
}

export interface ClipHandle {
  seek(wallMs: number): void;
  toggle(): void;
}

interface Props {
  api: ApiClient;
  conn: MediaConnection;
  clip: ClipWindow;
  /** A hover preview: muted, faster, looping, no controls. */
  preview?: boolean;
  /** Wall time under the playhead. */
  onTime?: (wallMs: number) => void;
  onStatus?: (s: VodStatus) => void;
}

/** Previews run faster so a minute-long incident shows its gist while the pointer rests on it. */
export const PREVIEW_SPEED = 2;

export const IncidentClip = forwardRef<ClipHandle, Props>(function IncidentClip(
  { api, conn, clip, preview = false, onTime, onStatus },
  ref,
) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<VodPlayer | null>(null);
  const [status, setStatus] = useState<VodStatus>({ state: 'loading' });
  // Callbacks change identity every render; the player keeps calling the latest ones.
  const cb = useRef({ onTime, onStatus });
  cb.current = { onTime, onStatus };
  const { cameraId, startMs, endMs } = clip;
  const { baseUrl, token } = conn;
  // An incident still going on moves its end with every update: the player keeps playing (it is
  // not recreated), and stops or loops at the end as it now stands.
  const end = useRef(endMs);
  end.current = endMs;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    let atEnd = false;
    const player = new VodPlayer({
      conn: { baseUrl, token },
      video,
      fetchText: (path, signal) => api.blob(path, signal).then((b) => b.text()),
      // The clip and a little around it (an incident going on may grow up to the longest clip).
      windowBeforeMs: 60_000,
      windowAfterMs: CLIP_MAX_MS + 60_000,
      onStatus: (s) => {
        setStatus(s);
        cb.current.onStatus?.(s);
      },
      onTime: (w) => {
        cb.current.onTime?.(w);
        if (w < end.current) {
          atEnd = false;
          return;
        }
        if (atEnd) return;
        atEnd = true;
        // The end of the incident: a preview starts again, the opened clip stops there.
        if (preview) player.seek(startMs);
        else player.pause();
      },
    });
    playerRef.current = player;
    if (preview) player.setSpeed(PREVIEW_SPEED);
    void player.open(cameraId, startMs, true);
    return () => {
      player.destroy();
      playerRef.current = null;
    };
  }, [api, baseUrl, token, cameraId, startMs, preview]);

  useImperativeHandle(
    ref,
    () => ({
      seek: (w: number) => {
        const p = playerRef.current;
        if (!p) return;
        p.seek(Math.min(Math.max(w, startMs), end.current));
        p.play();
      },
      toggle: () => {
        const p = playerRef.current;
        if (!p) return;
        if (p.status.state === 'playing' || p.status.state === 'buffering') p.pause();
        else {
          const w = p.wallTime;
          if (w !== null && w >= end.current - 250) p.seek(startMs);
          p.play();
        }
      },
    }),
    [startMs],
  );

  const note =
    status.state === 'empty'
      ? 'No footage recorded for this incident'
      : status.state === 'error'
        ? (status.message ?? 'Cannot play this clip')
        : null;
  return (
    <div className={`rv-clip ${preview ? 'is-preview' : ''}`} data-testid={preview ? 'review-preview' : 'review-clip'} data-state={status.state}>
      <video ref={videoRef} muted playsInline data-testid={preview ? 'review-preview-video' : 'review-clip-video'} />
      {note && <p className="rv-clip-note small">{note}</p>}
    </div>
  );
});
