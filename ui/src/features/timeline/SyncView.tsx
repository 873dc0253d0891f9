// Why: synced playback of up to four cameras on one timeline — the picker (defaulting to the grid's current layout) and one tile per follower camera whose VodPlayer keeps to the leader's wall time (syncDrift.ts decides, this file only carries it out).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import type { ApiClient } from '../../api/client';
import { keys } from '../../api/queries';
import type { Camera } from '../../api/types';
import { pickLayout, readLastLayout } from '../grid/layoutStore';
import { footageAt } from './footage';
import { defaultSyncCameras, layoutCameras, togglePick, withLeader } from './syncCameras';
import { SYNC_MAX, syncDecision } from './syncDrift';
import type { SyncDecision } from './syncDrift';
import { dayKey, dayRange, preciseLabel } from './timeMath';
import type { Range } from './timeMath';
import { getTimeline } from './timelineApi';
import type { MediaConnection } from './timelineApi';
import { VodPlayer } from './vodPlayer';
import type { VodStatus } from './vodPlayer';

/** How often followers are checked against the leader. */
const TICK_MS = 250;
/** A day that is still being recorded: its spans are fetched again this often. */
const REFRESH_MS = 10_000;
/** The spans fetched at T speak for instants up to about T minus this (the index lags the files a little). */
const INDEX_LAG_MS = 5_000;

export interface SyncGroup {
  /** The cameras playing, the leader first (at most {@link SYNC_MAX}). */
  group: number[];
  toggle: (id: number) => void;
}

/** The synced cameras: the operator's picks, or by default the leader and the grid's current layout. */
export function useSyncGroup(api: ApiClient, cameras: Camera[], leader: number | null, on: boolean): SyncGroup {
  const layouts = useQuery({ queryKey: keys.layouts, queryFn: () => api.layouts.list(), enabled: on });
  const [picked, setPicked] = useState<number[] | null>(null);
  const ids = useMemo(() => cameras.map((c) => c.id), [cameras]);
  const group = useMemo(() => {
    if (leader === null) return [];
    if (picked) return withLeader(picked, leader, ids);
    const layout = pickLayout(layouts.data ?? [], readLastLayout());
    return defaultSyncCameras(leader, layoutCameras(layout), ids);
  }, [picked, leader, ids, layouts.data]);
  const toggle = (id: number) => {
    if (leader !== null) setPicked([...togglePick(group, id, leader)]);
  };
  return { group, toggle };
}

export function SyncPicker({ cameras, group, leader, onToggle }: { cameras: Camera[]; group: number[]; leader: number; onToggle: (id: number) => void }) {
  return (
    <fieldset className="tl-sync-pick" data-testid="sync-picker">
      <legend className="small">Play in sync</legend>
      {cameras.map((c) => {
        const on = group.includes(c.id);
        return (
          <label key={c.id} className="tl-sync-choice small">
            <input
              type="checkbox"
              checked={on}
              disabled={c.id === leader || (!on && group.length >= SYNC_MAX)}
              onChange={() => onToggle(c.id)}
              data-testid={`sync-pick-${c.id}`}
            />
            {c.name}
          </label>
        );
      })}
      <span className="muted small">
        up to {SYNC_MAX}; {cameras.find((c) => c.id === leader)?.name ?? 'the camera shown'} leads (its timeline is the bar)
      </span>
    </fieldset>
  );
}

interface Footage {
  spans: Range[];
  knownUntilMs: number;
}

/** A follower's recorded spans on the day of `dayOf` (the leader's instant), fetched again while that day is being recorded. */
function useFootage(api: ApiClient, cameraId: number, dayOf: string | null): Footage {
  const [footage, setFootage] = useState<Footage>({ spans: [], knownUntilMs: Number.NEGATIVE_INFINITY });
  useEffect(() => {
    if (dayOf === null) return;
    const day = dayRange(dayOf);
    let live = true;
    setFootage({ spans: [], knownUntilMs: Number.NEGATIVE_INFINITY });
    const load = () => {
      const at = Date.now();
      getTimeline(api, cameraId, day.startMs, day.endMs).then(
        (tl) => {
          if (!live) return;
          const spans = tl.segments.map((s) => ({ startMs: s.start_ms, endMs: s.end_ms }));
          setFootage({ spans, knownUntilMs: at < day.endMs ? at - INDEX_LAG_MS : Number.POSITIVE_INFINITY });
        },
        () => {},
      );
    };
    load();
    const t = Date.now() < day.endMs ? setInterval(load, REFRESH_MS) : null;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
  }, [api, cameraId, dayOf]);
  return footage;
}

interface TileProps {
  api: ApiClient;
  conn: MediaConnection;
  camera: Camera;
  /** The leader's player: its wall time and state drive this tile. */
  leader: RefObject<VodPlayer | null>;
  speed: number;
}

/** One follower camera of the synced group. */
export function SyncTile({ api, conn, camera, leader, speed }: TileProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<VodPlayer | null>(null);
  const [status, setStatus] = useState<VodStatus>({ state: 'idle' });
  const [view, setView] = useState<{ wall: number | null; show: SyncDecision['show'] }>({ wall: null, show: 'waiting' });
  const [leaderDay, setLeaderDay] = useState<string | null>(null);
  const footage = useFootage(api, camera.id, leaderDay);
  const footageRef = useRef(footage);
  footageRef.current = footage;
  const speedRef = useRef(speed);
  speedRef.current = speed;
  const { baseUrl, token } = conn;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const player = new VodPlayer({
      conn: { baseUrl, token },
      fetchText: (path, signal) => api.blob(path, signal).then((b) => b.text()),
      video,
      onStatus: setStatus,
    });
    player.setSpeed(speedRef.current);
    playerRef.current = player;
    let lastSeek = Number.NEGATIVE_INFINITY;
    const tick = () => {
      const L = leader.current;
      const lw = L?.wallTime ?? null;
      const p = player;
      const now = performance.now();
      const f = footageRef.current;
      const d = syncDecision(
        { wallMs: lw, state: L?.status.state ?? 'idle', speed: speedRef.current },
        {
          opened: p.camera !== null,
          wallMs: p.wallTime,
          state: p.status.state,
          sinceSeekMs: now - lastSeek,
          footage: lw === null ? 'unknown' : footageAt(f.spans, lw, f.knownUntilMs),
        },
      );
      if (d.seekTo !== null) {
        lastSeek = now;
        if (p.camera === camera.id) p.seek(d.seekTo);
        else void p.open(camera.id, d.seekTo, d.play);
      }
      const st = p.status.state;
      if (d.play && st === 'paused') p.play();
      else if (!d.play && (st === 'playing' || st === 'buffering')) p.pause();
      if (lw !== null) {
        const key = dayKey(lw);
        setLeaderDay((k) => (k === key ? k : key));
      }
      const wall = p.wallTime;
      const rounded = wall === null ? null : Math.round(wall);
      setView((v) => (v.wall === rounded && v.show === d.show ? v : { wall: rounded, show: d.show }));
    };
    const t = setInterval(tick, TICK_MS);
    tick();
    return () => {
      clearInterval(t);
      player.destroy();
      playerRef.current = null;
    };
  }, [api, baseUrl, token, camera.id, leader]);

  useEffect(() => {
    playerRef.current?.setSpeed(speed);
  }, [speed]);

  const overlay =
    view.show === 'no-recording'
      ? 'No recording at this moment'
      : status.state === 'empty' || status.state === 'error'
        ? status.message
        : view.show === 'waiting' || status.state === 'loading'
          ? 'Loading…'
          : null;
  return (
    <div
      className="tl-cell"
      data-testid={`sync-cell-${camera.id}`}
      data-camera-id={camera.id}
      data-state={status.state}
      data-show={view.show}
      data-wall-ms={view.wall ?? ''}
    >
      <video ref={videoRef} className="tl-video" data-testid={`sync-video-${camera.id}`} muted playsInline disablePictureInPicture />
      <div className="tl-clock tl-clock-small">
        <span className="tl-clock-cam">{camera.name}</span>
        <span className="tl-clock-time">{view.wall !== null && view.show === 'video' ? preciseLabel(view.wall).slice(0, 8) : '--:--:--'}</span>
      </div>
      {overlay && (
        <div className={`tl-overlay ${view.show === 'no-recording' ? 'tl-overlay-none' : ''}`} data-testid={`sync-status-${camera.id}`}>
          {overlay}
        </div>
      )}
    </div>
  );
}
