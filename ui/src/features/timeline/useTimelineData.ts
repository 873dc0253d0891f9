// Why: a camera's timeline for one day as React state — loaded from the API, refreshed while the day is today and when events say something changed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { VigilEventType } from '../../api/types';
import { toApiError } from '../cameras/useCameras';
import { bookmarkToMarker } from './markers';
import { getTimeline, listBookmarks } from './timelineApi';
import type { Range } from './timeMath';
import type { TimelineData, TimelineMarker } from './types';

/** Events about a camera that change its timeline. */
const TIMELINE_EVENTS: ReadonlySet<VigilEventType> = new Set<VigilEventType>([
  'recording:segment',
  'recording:started',
  'recording:deleted',
  // Footage evicted or aged out (a move changes nothing the timeline shows, but keeps it honest
  // about which tier answers).
  'storage:deleted',
  'storage:moved',
  'detection_event:start',
  'detection_event:end',
  'alert',
  'bookmark:created',
  'bookmark:deleted',
]);

export interface TimelineState {
  data: TimelineData | null;
  /** Bookmarks from `GET /cameras/{id}/bookmarks`, as markers (empty when that route is missing). */
  bookmarks: TimelineMarker[];
  loading: boolean;
  error: string | null;
  reload: () => void;
}

export function useTimelineData(
  api: ApiClient,
  events: EventsClient,
  cameraId: number | null,
  day: Range,
  nowMs: number,
): TimelineState {
  const [data, setData] = useState<TimelineData | null>(null);
  const [bookmarks, setBookmarks] = useState<TimelineMarker[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const { startMs, endMs } = day;

  const load = useCallback(async () => {
    if (cameraId === null) return;
    const mine = ++seq.current;
    setLoading(true);
    const [tl, bm] = await Promise.allSettled([
      getTimeline(api, cameraId, startMs, endMs),
      listBookmarks(api, cameraId, startMs, endMs),
    ]);
    if (mine !== seq.current) return;
    setLoading(false);
    if (tl.status === 'fulfilled') {
      setData(tl.value);
      setError(null);
    } else {
      const e = toApiError(tl.reason);
      if (e.status !== 401) setError(`${e.code}: ${e.message}`);
    }
    setBookmarks(
      bm.status === 'fulfilled' ? bm.value.map(bookmarkToMarker).filter((m): m is TimelineMarker => m !== null) : [],
    );
  }, [api, cameraId, startMs, endMs]);

  useEffect(() => {
    setData(null);
    setBookmarks([]);
    setError(null);
    void load();
  }, [load]);

  // Today keeps growing: refresh now and then, and soon after an event about this camera.
  const isToday = nowMs >= startMs && nowMs < endMs;
  useEffect(() => {
    if (cameraId === null) return;
    let pending: ReturnType<typeof setTimeout> | null = null;
    const soon = () => {
      if (!pending) pending = setTimeout(() => ((pending = null), void load()), 2000);
    };
    const unsub = events.subscribe((ev) => {
      if (ev.camera_id === cameraId && TIMELINE_EVENTS.has(ev.type)) soon();
      else if (ev.type === 'hello') soon();
    });
    const timer = isToday ? setInterval(() => void load(), 15_000) : null;
    return () => {
      unsub();
      if (pending) clearTimeout(pending);
      if (timer) clearInterval(timer);
    };
  }, [events, cameraId, isToday, load]);

  return { data, bookmarks, loading, error, reload: () => void load() };
}
