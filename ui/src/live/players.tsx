// Why: each live player as a React element that owns its <video> or <img> and starts and stops its player with the element.
import { useEffect, useRef } from 'react';
import { HlsPlayer } from './hlsPlayer';
import type { LiveStatus } from './liveSocket';
import { MjpegPlayer } from './mjpegPlayer';
import { MsePlayer } from './msePlayer';
import { hlsUrl, mjpegUrl, mseUrl } from './protocol';
import type { LiveConnection, MjpegQualityName, StreamName } from './protocol';

interface Common {
  conn: LiveConnection;
  cameraId: number;
  label: string;
  onStatus: (s: LiveStatus) => void;
  /** The camera's main stream (default) or its sub-stream. */
  stream?: StreamName;
  /** Kept under the shown player while it starts (a switch of streams without a black frame). */
  behind?: boolean;
}

/** Keeps the latest callback without restarting the player when a parent re-renders. */
function useLatest<T>(value: T) {
  const ref = useRef(value);
  useEffect(() => {
    ref.current = value;
  });
  return ref;
}

export function MseVideo({
  conn,
  cameraId,
  label,
  onStatus,
  onUnsupported,
  onSize,
  stream = 'main',
  behind = false,
}: Common & { onUnsupported: (mime: string) => void; onSize: (w: number | null, h: number | null) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const cb = useLatest({ onStatus, onUnsupported, onSize });
  const { baseUrl, token } = conn;
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    const player = new MsePlayer({
      url: () => mseUrl({ baseUrl, token }, cameraId, stream),
      video: el,
      onStatus: (s) => cb.current.onStatus(s),
      onUnsupported: (m) => cb.current.onUnsupported(m),
      onInit: (i) => cb.current.onSize(i.width, i.height),
    });
    player.start();
    return () => player.stop();
  }, [baseUrl, token, cameraId, cb, stream]);
  return (
    <video
      ref={video}
      className={`live-media ${behind ? 'is-behind' : ''}`}
      data-testid={behind ? `live-next-${cameraId}` : `live-video-${cameraId}`}
      data-player="mse"
      data-stream={stream}
      aria-label={label}
      muted
      autoPlay
      playsInline
      disablePictureInPicture
    />
  );
}

export function HlsVideo({ conn, cameraId, label, onStatus, stream = 'main', behind = false }: Common) {
  const video = useRef<HTMLVideoElement>(null);
  const cb = useLatest(onStatus);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    const player = new HlsPlayer({
      url: hlsUrl(conn, cameraId, stream),
      // Read at each request: a signed-in user's token is renewed every few minutes.
      token: () => conn.token,
      video: el,
      onStatus: (s) => cb.current(s),
    });
    player.start();
    return () => player.stop();
  }, [conn, cameraId, cb, stream]);
  return (
    <video
      ref={video}
      className={`live-media ${behind ? 'is-behind' : ''}`}
      data-testid={behind ? `live-next-${cameraId}` : `live-video-${cameraId}`}
      data-player="hls"
      data-stream={stream}
      aria-label={label}
      muted
      autoPlay
      playsInline
      disablePictureInPicture
    />
  );
}

export function MjpegImage({
  conn,
  cameraId,
  label,
  onStatus,
  quality,
  onSize,
  onNotice,
  stream = 'main',
  behind = false,
}: Common & {
  quality: MjpegQualityName;
  onSize: (w: number | null, h: number | null) => void;
  onNotice: (text: string) => void;
}) {
  const img = useRef<HTMLImageElement>(null);
  const player = useRef<MjpegPlayer | null>(null);
  const cb = useLatest({ onStatus, onSize, onNotice });
  // The level at start-up only; later changes go over the open socket (below).
  const initialQuality = useRef(quality);
  const { baseUrl, token } = conn;
  useEffect(() => {
    const el = img.current;
    if (!el) return;
    const p = new MjpegPlayer({
      url: (q) => mjpegUrl({ baseUrl, token }, cameraId, q, stream),
      img: el,
      quality: initialQuality.current,
      onStatus: (s) => cb.current.onStatus(s),
      onQuality: (q) => cb.current.onSize(q.width, q.height),
      onNotice: (t) => cb.current.onNotice(t),
    });
    player.current = p;
    p.start();
    return () => {
      p.stop();
      player.current = null;
    };
  }, [baseUrl, token, cameraId, cb, stream]);
  useEffect(() => {
    initialQuality.current = quality;
    player.current?.setQuality(quality);
  }, [quality]);
  return (
    <img
      ref={img}
      className={`live-media ${behind ? 'is-behind' : ''}`}
      data-testid={behind ? `live-next-${cameraId}` : `live-img-${cameraId}`}
      data-stream={stream}
      alt={label}
    />
  );
}
