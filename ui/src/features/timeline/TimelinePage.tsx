// Why: the recordings player — one camera's day on a zoomable scrub bar with markers, hls.js VOD playback in wall time, speed, previous/next event, bookmarks, export, and up to four cameras played in sync.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { Camera } from '../../api/types';
import { toApiError } from '../cameras/useCameras';
import { KeepControl } from '../storage/KeepControl';
import { keepSpan, lockedSpans } from '../storage/locks';
import { useLocks } from '../storage/useStorage';
import { atDay, followPlayback, playheadHidden, reveal, showDay, userView } from './dayNav';
import type { DayView } from './dayNav';
import { ExportPanel } from './ExportPanel';
import { footageStart, paintEmpty } from './footage';
import { MarkerList, MarkerTip } from './MarkerViews';
import { adjacentMarker, bookmarkToMarker, markerTitle, mergeMarkers, toMs } from './markers';
import { useCan } from '../access/can';
import { ScrubBar } from './ScrubBar';
import { SnapshotCache } from './snapshots';
import { SPEEDS, speedLabel } from './speed';
import { SyncPicker, SyncTile, useSyncGroup } from './SyncView';
import {
  clockLabel,
  dayKey,
  dayRange,
  formatDuration,
  localOffset,
  nextZoomLevel,
  preciseLabel,
  shiftDay,
  spanOf,
  zoomToSpan,
} from './timeMath';
import type { Range } from './timeMath';
import { createBookmark, deleteBookmark } from './timelineApi';
import type { MediaConnection } from './timelineApi';
import type { TimelineMarker } from './types';
import { useTimelineData } from './useTimelineData';
import { VodPlayer } from './vodPlayer';
import type { VodStatus } from './vodPlayer';
import './timeline.css';

export interface TimelinePageProps {
  api: ApiClient;
  events: EventsClient;
  cameras: Camera[];
  cameraId: number | null;
  /** Wall instant to show, epoch ms (`#/timeline?camera=ID&at=MS`). */
  at: number | null;
  onNavigate: (cameraId: number, at: number) => void;
  /** Server origin and token for media requests (playlist, segments, snapshots, export files). */
  conn: MediaConnection;
}

/** How much of the day is shown around an instant opened from the address. */
const OPEN_SPAN_MS = 3_600_000;

const STATUS_TEXT: Partial<Record<VodStatus['state'], string>> = {
  idle: 'Pick a moment on the timeline.',
  loading: 'Loading…',
  buffering: 'Buffering…',
};

function shortDate(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { weekday: 'short', month: 'short', day: 'numeric' });
}

function fullDate(ms: number): string {
  return new Date(ms).toLocaleDateString(undefined, { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric' });
}

export function TimelinePage({ api, events, cameras, cameraId, at, onNavigate, conn }: TimelinePageProps) {
  const canBookmark = useCan('bookmark:write');
  const camera = cameras.find((c) => c.id === cameraId) ?? null;
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNowMs(Date.now()), 5_000);
    return () => clearInterval(t);
  }, []);

  // The day and stretch on the bar, and whether it follows playback (dayNav.ts has the rules).
  const [nav, setNav] = useState<DayView>(() => atDay(dayKey(at ?? Date.now())));
  const { day, bounds, view } = nav;
  /** The playhead for callbacks that must not be rebuilt on every frame. */
  const playheadRef = useRef<number | null>(at);
  const setView = useCallback((v: Range) => setNav((s) => userView(s, v, playheadRef.current)), []);
  const [selection, setSelection] = useState<Range | null>(null);
  /** No instant was asked for: pick one once the day's timeline is in. */
  const pickDefault = useRef(false);

  const tl = useTimelineData(api, events, cameraId, bounds, nowMs);
  const [localMarks, setLocalMarks] = useState<TimelineMarker[]>([]);
  const [deleted, setDeleted] = useState<ReadonlySet<number>>(new Set());
  const markers = useMemo(
    () => mergeMarkers(tl.data?.markers ?? [], [...tl.bookmarks, ...localMarks], deleted),
    [tl.data, tl.bookmarks, localMarks, deleted],
  );
  // Kept (locked) footage of this camera, for the scrub bar and the Keep buttons.
  const locks = useLocks(api).data;
  const kept = useMemo(() => (locks && cameraId !== null ? lockedSpans(locks, cameraId) : []), [locks, cameraId]);

  // --- The player -------------------------------------------------------------------------
  const videoRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<VodPlayer | null>(null);
  const [status, setStatus] = useState<VodStatus>({ state: 'idle' });
  const [playhead, setPlayhead] = useState<number | null>(at);
  playheadRef.current = playhead;
  const [speed, setSpeed] = useState(1);
  const scrubbing = useRef(false);
  const lastNav = useRef<{ cameraId: number | null; at: number | null } | null>(null);
  const { baseUrl, token } = conn;
  const media = useMemo(() => ({ baseUrl, token }), [baseUrl, token]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const player = new VodPlayer({
      conn: media,
      fetchText: (path, signal) => api.blob(path, signal).then((b) => b.text()),
      video,
      onStatus: setStatus,
      onTime: (w) => {
        if (!scrubbing.current) setPlayhead(w);
      },
    });
    playerRef.current = player;
    lastNav.current = null;
    return () => {
      player.destroy();
      playerRef.current = null;
    };
  }, [media, api]);

  // While playing, move the playhead and clock more often than timeupdate does.
  useEffect(() => {
    if (status.state !== 'playing') return;
    const t = setInterval(() => {
      const w = playerRef.current?.wallTime;
      if (w != null && !scrubbing.current) setPlayhead(w);
    }, 100);
    return () => clearInterval(t);
  }, [status.state]);

  const snapshots = useMemo(() => new SnapshotCache((path) => api.blob(path)), [api]);
  useEffect(() => () => snapshots.dispose(), [snapshots]);

  /** Put `ms` on screen — its day, inside the view (centred and at most `zoomTo` wide when given) — and follow it. */
  const revealAt = useCallback((ms: number, zoomTo?: number) => setNav((s) => reveal(s, ms, zoomTo)), []);

  const seekTo = useCallback(
    (ms: number, navigate = true) => {
      const p = playerRef.current;
      if (cameraId === null || !p) return;
      setPlayhead(ms);
      if (p.camera === cameraId) p.seek(ms);
      else void p.open(cameraId, ms, true);
      revealAt(ms);
      if (navigate) {
        const rounded = Math.round(ms);
        lastNav.current = { cameraId, at: rounded };
        onNavigate(cameraId, rounded);
      }
    },
    [cameraId, onNavigate, revealAt],
  );

  // Open at the instant in the address (a link from an alert, the camera list, a reload).
  useEffect(() => {
    const p = playerRef.current;
    if (!p || cameraId === null) return;
    const last = lastNav.current;
    if (last && last.cameraId === cameraId && last.at === at) return;
    const cameraChanged = !last || last.cameraId !== cameraId;
    lastNav.current = { cameraId, at };
    if (cameraChanged) {
      setLocalMarks([]);
      setDeleted(new Set());
      setSelection(null);
    }
    if (at !== null) {
      setPlayhead(at);
      void p.open(cameraId, at, true);
      // Opened at an instant (a link from an alert): show the hour around it, not the whole day.
      revealAt(at, cameraChanged ? OPEN_SPAN_MS : undefined);
    } else {
      setPlayhead(null);
      pickDefault.current = true;
    }
    // Only the address (and a new player) should trigger this.
  }, [cameraId, at, media]); // eslint-disable-line react-hooks/exhaustive-deps

  // No instant asked for: start a minute before the end of the latest recording of the day.
  useEffect(() => {
    if (!pickDefault.current || !tl.data || cameraId === null || tl.data.camera_id !== cameraId) return;
    pickDefault.current = false;
    const last = tl.data.segments[tl.data.segments.length - 1];
    if (!last) return;
    const ms = Math.max(last.start_ms, last.end_ms - 60_000);
    seekTo(ms, false);
  }, [tl.data, cameraId, seekTo]);

  // Follow playback while the view is following it: turn the page, and the day at midnight. A day
  // the operator went to (or a pan away) is left alone — never snapped back to the playing day.
  useEffect(() => {
    if (playhead === null || status.state !== 'playing' || scrubbing.current) return;
    setNav((s) => followPlayback(s, playhead));
  }, [playhead, status.state]);

  const lastScrubSeek = useRef(0);
  const onScrub = useCallback((ms: number) => {
    scrubbing.current = true;
    setPlayhead(ms);
    // Seek along while dragging where the loaded playlist covers it (cheap); a reload waits for the drop.
    const p = playerRef.current;
    const t = performance.now();
    if (p && t - lastScrubSeek.current > 200 && p.covers(ms)) {
      lastScrubSeek.current = t;
      p.seek(ms);
    }
  }, []);
  const onSeek = useCallback(
    (ms: number) => {
      scrubbing.current = false;
      seekTo(ms);
    },
    [seekTo],
  );

  const playing = status.state === 'playing' || status.state === 'buffering';
  const togglePlay = useCallback(() => {
    const p = playerRef.current;
    if (!p) return;
    if (playing) p.pause();
    else if (p.camera === null && cameraId !== null && playhead !== null) void p.open(cameraId, playhead, true);
    else p.play();
  }, [playing, cameraId, playhead]);

  const chooseSpeed = (s: number) => {
    setSpeed(s);
    playerRef.current?.setSpeed(s);
  };

  // Events of the day on screen: from the playhead when it is on that day, else from the day's ends.
  const here = playhead !== null && playhead >= bounds.startMs && playhead < bounds.endMs ? playhead : null;
  const jumpFrom = (dir: 'prev' | 'next') => here ?? (dir === 'next' ? bounds.startMs - 1000 : bounds.endMs + 2000);
  const jump = (dir: 'prev' | 'next') => {
    const m = adjacentMarker(markers, jumpFrom(dir), dir);
    if (m) seekTo(m.at_ms);
  };
  const hasPrev = adjacentMarker(markers, jumpFrom('prev'), 'prev') !== null;
  const hasNext = adjacentMarker(markers, jumpFrom('next'), 'next') !== null;

  // Space plays and pauses unless typing or on a control.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== ' ' || e.repeat) return;
      const t = e.target as HTMLElement | null;
      if (t && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(t.tagName)) return;
      e.preventDefault();
      togglePlay();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [togglePlay]);

  // --- Zoom ---------------------------------------------------------------------------------
  const zoomAnchor = playhead !== null && playhead >= view.startMs && playhead <= view.endMs
    ? playhead
    : (view.startMs + view.endMs) / 2;
  const zoom = (dir: 'in' | 'out') =>
    setNav((s) => userView(s, zoomToSpan(s.view, nextZoomLevel(spanOf(s.view), dir), zoomAnchor, s.bounds), playheadRef.current));

  // --- Day ----------------------------------------------------------------------------------
  // Another day is shown and stays shown; playback goes on where it was until a seek on the new
  // day (see dayNav.ts). "Back to playback" shows the playhead again.
  const goDay = (key: string) => {
    if (!key) return;
    try {
      dayRange(key);
    } catch {
      return;
    }
    setNav((s) => showDay(s, key, playheadRef.current));
  };
  const lostPlayhead = playheadHidden(nav, playhead);

  // --- Sync ---------------------------------------------------------------------------------
  const [syncOn, setSyncOn] = useState(false);
  const sync = useSyncGroup(api, cameras, cameraId, syncOn);
  const followers = syncOn && camera ? sync.group.slice(1).flatMap((id) => cameras.filter((c) => c.id === id)) : [];

  // --- Bookmarks ----------------------------------------------------------------------------
  const [bmOpen, setBmOpen] = useState(false);
  const [bmLabel, setBmLabel] = useState('');
  const [bmBusy, setBmBusy] = useState(false);
  const [bmError, setBmError] = useState<string | null>(null);
  const bmAt = useRef<number | null>(null);
  const openBookmark = () => {
    const w = playerRef.current?.wallTime ?? playhead;
    if (w === null) return;
    bmAt.current = Math.round(w);
    setBmLabel(`Bookmark ${preciseLabel(w).slice(0, 8)}`);
    setBmError(null);
    setBmOpen(true);
  };
  const saveBookmark = async () => {
    if (cameraId === null || bmAt.current === null) return;
    setBmBusy(true);
    setBmError(null);
    try {
      const b = await createBookmark(api, cameraId, { at: bmAt.current, label: bmLabel.trim() || 'Bookmark' });
      const m = bookmarkToMarker(b);
      if (m) setLocalMarks((xs) => [...xs, m]);
      setBmOpen(false);
    } catch (e) {
      const err = toApiError(e);
      setBmError(`${err.code}: ${err.message}`);
    } finally {
      setBmBusy(false);
    }
  };
  const removeBookmark = async (id: number) => {
    try {
      await deleteBookmark(api, id);
      setDeleted((s) => new Set(s).add(id));
    } catch (e) {
      const err = toApiError(e);
      setBmError(`${err.code}: ${err.message}`);
    }
  };

  // --- Selection for export -----------------------------------------------------------------
  const markIn = () => {
    if (playhead === null) return;
    setSelection((s) => ({ startMs: playhead, endMs: s && s.endMs > playhead ? s.endMs : playhead + 60_000 }));
  };
  const markOut = () => {
    if (playhead === null) return;
    setSelection((s) => ({ startMs: s && s.startMs < playhead ? s.startMs : playhead - 60_000, endMs: playhead }));
  };

  // --- Render -------------------------------------------------------------------------------
  const offset = localOffset;
  const overlay = status.state === 'empty' || status.state === 'error' ? status.message : STATUS_TEXT[status.state];
  const segments = tl.data?.segments ?? [];
  const segRanges = useMemo(() => segments.map((x) => ({ startMs: x.start_ms, endMs: x.end_ms })), [segments]);
  // A gap is only "nothing recorded" between the camera's first footage and now.
  const firstFootage = footageStart(tl.data?.first_footage_ms, camera ? toMs(camera.created_at) : null);
  const painted = useMemo(() => {
    if (!tl.data) return { gaps: [], before: null };
    const gaps = tl.data.gaps.map((x) => ({ startMs: x.start_ms, endMs: x.end_ms }));
    return paintEmpty(gaps, bounds, firstFootage, nowMs);
  }, [tl.data, bounds, firstFootage, nowMs]);

  return (
    <main className="page timeline-page" data-testid="timeline-page">
      <div className="page-head tl-head">
        <h2>Recordings</h2>
        <label className="tl-inline">
          <span className="visually-hidden">Camera</span>
          <select
            value={cameraId ?? ''}
            data-testid="timeline-camera"
            onChange={(e) => {
              const id = Number(e.target.value);
              if (Number.isInteger(id) && id > 0) onNavigate(id, Math.round(playhead ?? Date.now() - 60_000));
            }}
          >
            {cameraId === null && <option value="">Choose a camera…</option>}
            {cameras.map((c) => (
              <option key={c.id} value={c.id}>
                {c.removed_at ? `${c.name} (removed)` : c.name}
              </option>
            ))}
          </select>
        </label>
        <div className="tl-day">
          <button type="button" className="btn btn-small" onClick={() => goDay(shiftDay(day, -1))} aria-label="Previous day" data-testid="day-prev">
            ‹
          </button>
          <input type="date" value={day} max={dayKey(Date.now())} onChange={(e) => goDay(e.target.value)} data-testid="timeline-day" aria-label="Day" />
          {/* Nothing is recorded tomorrow. */}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => goDay(shiftDay(day, 1))}
            disabled={day >= dayKey(Date.now())}
            aria-label="Next day"
            data-testid="day-next"
          >
            ›
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => goDay(dayKey(Date.now()))} data-testid="day-today">
            Today
          </button>
          {lostPlayhead && playhead !== null && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => revealAt(playhead)}
              data-testid="back-to-playhead"
              title="Show where the video is playing on the timeline"
            >
              ▸ Back to playback ({dayKey(playhead) === day ? '' : `${shortDate(playhead)} `}
              {clockLabel(playhead, false)})
            </button>
          )}
        </div>
      </div>

      {cameraId === null || (!camera && cameras.length > 0) ? (
        <div className="empty card" data-testid="timeline-no-camera">
          <p>{cameraId === null ? 'Choose a camera to see its recordings.' : `Camera ${cameraId} does not exist.`}</p>
        </div>
      ) : null}

      <section className={`tl-player ${cameraId === null ? 'tl-hidden' : ''}`} aria-label="Player">
        <div
          className={`tl-stage ${followers.length ? `tl-stage-sync tl-sync-${followers.length + 1}` : ''}`}
          data-testid="timeline-stage"
          data-state={status.state}
        >
          <div className="tl-cell" data-testid="sync-cell-leader">
            <video
              ref={videoRef}
              className="tl-video"
              data-testid="timeline-video"
              muted
              playsInline
              disablePictureInPicture
              onClick={togglePlay}
            />
            <div className="tl-clock" data-testid="timeline-clock" data-wall-ms={playhead !== null ? Math.round(playhead) : ''}>
              {camera && <span className="tl-clock-cam">{camera.name}</span>}
              {playhead !== null ? (
                <>
                  <span className="tl-clock-date">{fullDate(playhead)}</span>
                  <span className="tl-clock-time">{preciseLabel(playhead, offset)}</span>
                </>
              ) : (
                <span className="tl-clock-time">--:--:--</span>
              )}
            </div>
            {overlay && (
              <div className={`tl-overlay tl-overlay-${status.state}`} data-testid="timeline-status">
                {overlay}
              </div>
            )}
          </div>
          {followers.map((c) => (
            <SyncTile key={c.id} api={api} conn={media} camera={c} leader={playerRef} speed={speed} />
          ))}
        </div>

        <div className="tl-controls" role="toolbar" aria-label="Playback">
          <button type="button" className="btn btn-small" onClick={() => jump('prev')} disabled={!hasPrev} data-testid="prev-event" title="Previous event">
            ‹ Prev event
          </button>
          <button type="button" className="btn btn-primary btn-small tl-play" onClick={togglePlay} data-testid="play-pause" aria-pressed={playing}>
            {playing ? 'Pause' : '▶ Play'}
          </button>
          <button type="button" className="btn btn-small" onClick={() => jump('next')} disabled={!hasNext} data-testid="next-event" title="Next event">
            Next event ›
          </button>
          <div className="segmented tl-speeds" role="group" aria-label="Speed">
            {SPEEDS.map((s) => (
              <button
                key={s}
                type="button"
                className={`btn btn-small ${speed === s ? 'is-active' : ''}`}
                aria-pressed={speed === s}
                onClick={() => chooseSpeed(s)}
                data-testid={`speed-${s}`}
              >
                {speedLabel(s)}
              </button>
            ))}
          </div>
          <span className="tl-sep" />
          {canBookmark && (
            <button type="button" className="btn btn-small" onClick={openBookmark} disabled={playhead === null} data-testid="bookmark-add">
              ★ Bookmark
            </button>
          )}
          <button type="button" className="btn btn-small" onClick={markIn} disabled={playhead === null} data-testid="mark-in" title="Selection starts here">
            [ In
          </button>
          <button type="button" className="btn btn-small" onClick={markOut} disabled={playhead === null} data-testid="mark-out" title="Selection ends here">
            Out ]
          </button>
          <button
            type="button"
            className={`btn btn-small ${syncOn ? 'is-active' : ''}`}
            aria-pressed={syncOn}
            onClick={() => setSyncOn((v) => !v)}
            disabled={!camera}
            data-testid="sync-toggle"
            title="Play up to 4 cameras together on this timeline"
          >
            Sync…
          </button>
          <span className="tl-sep" />
          <div className="tl-zoom" role="group" aria-label="Zoom">
            <button type="button" className="btn btn-small" onClick={() => zoom('out')} disabled={spanOf(view) >= spanOf(bounds)} data-testid="zoom-out" aria-label="Zoom out">
              −
            </button>
            <span className="tl-zoom-level" data-testid="zoom-level">
              {formatDuration(spanOf(view))}
            </span>
            <button type="button" className="btn btn-small" onClick={() => zoom('in')} disabled={spanOf(view) <= 60_000} data-testid="zoom-in" aria-label="Zoom in">
              +
            </button>
          </div>
        </div>

        {syncOn && camera && <SyncPicker cameras={cameras} group={sync.group} leader={camera.id} onToggle={sync.toggle} />}

        {bmOpen && (
          <form
            className="tl-bookmark-form card"
            onSubmit={(e) => {
              e.preventDefault();
              void saveBookmark();
            }}
            data-testid="bookmark-form"
          >
            <label htmlFor="tl-bm-label">Bookmark at {bmAt.current !== null ? preciseLabel(bmAt.current) : ''}</label>
            <input id="tl-bm-label" value={bmLabel} onChange={(e) => setBmLabel(e.target.value)} maxLength={200} autoFocus data-testid="bookmark-label" />
            <button type="submit" className="btn btn-primary btn-small" disabled={bmBusy} data-testid="bookmark-save">
              {bmBusy ? 'Saving…' : 'Save'}
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setBmOpen(false)}>
              Cancel
            </button>
          </form>
        )}
        {bmError && (
          <div className="banner banner-error" role="alert" data-testid="bookmark-error">
            {bmError}
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setBmError(null)}>
              Dismiss
            </button>
          </div>
        )}

        <ScrubBar
          view={view}
          bounds={bounds}
          nowMs={nowMs}
          segments={segments}
          gaps={painted.gaps}
          beforeFootage={painted.before}
          firstFootageMs={firstFootage}
          markers={markers}
          playheadMs={playhead}
          selection={selection}
          kept={kept}
          onViewChange={setView}
          onScrub={onScrub}
          onSeek={onSeek}
          onSelect={setSelection}
          onMarkerClick={(m) => seekTo(m.at_ms)}
          renderMarkerTip={(c) => <MarkerTip cluster={c} snapshots={snapshots} />}
        />
        <div className="tl-legend muted small">
          <span className="tl-key tl-key-span" /> recorded <span className="tl-key tl-key-gap" /> gap
          <span className="tl-key tl-key-nofootage" /> no footage yet
          <span className="tl-key tl-key-detection" /> detection <span className="tl-key tl-key-alert" /> alert
          <span className="tl-key tl-key-bookmark" /> bookmark <span className="tl-key tl-key-kept" /> kept
          {tl.loading && <span className="tl-loading"> · updating…</span>}
          {tl.data && segments.length === 0 && <span data-testid="timeline-empty"> · nothing recorded on {fullDate(bounds.startMs)}</span>}
        </div>
        {tl.error && (
          <div className="banner banner-error" role="alert" data-testid="timeline-error">
            {tl.error}
            <button type="button" className="btn btn-ghost btn-small" onClick={tl.reload}>
              Retry
            </button>
          </div>
        )}

        <div className="tl-lower">
          {cameraId !== null && (
            <ExportPanel
              api={api}
              events={events}
              cameraId={cameraId}
              selection={selection}
              spans={segRanges}
              onClear={() => setSelection(null)}
            />
          )}
          <MarkerList
            markers={markers}
            view={view}
            current={playhead}
            onGo={(m) => seekTo(m.at_ms)}
            onDeleteBookmark={(id) => void removeBookmark(id)}
            renderActions={(m) =>
              cameraId !== null && (
                <KeepControl
                  api={api}
                  cameraId={cameraId}
                  span={keepSpan(m.at_ms, m.end_ms)}
                  covers={{ startMs: m.at_ms, endMs: Math.max(m.at_ms, m.end_ms ?? m.at_ms) }}
                  defaultReason={markerTitle(m)}
                  testId={`keep-${m.kind}-${m.id ?? m.at_ms}`}
                />
              )
            }
          />
        </div>
      </section>
    </main>
  );
}
