// Why: TanStack Query for the API's data (cameras, layouts, alerts) — one cache per session, patched or refetched from the one shared events socket.
import { QueryClient, keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Query } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { applyEvent, removeCamera, sortCameras, upsertCamera } from '../features/cameras/cameraList';
import type { CamerasState } from '../features/cameras/useCameras';
import { applyAcknowledged, applyAlertEvent } from '../features/alerts/alertState';
import { ApiError } from './client';
import type { ApiClient } from './client';
import type { EventsClient, EventsState } from './events';
import { assertNever } from './types';
import type { AckRequest, Alert, AlertList, AlertQuery, Camera, EventOf, VigilEvent } from './types';

export const keys = {
  cameras: ['cameras'] as const,
  removedCameras: ['removed-cameras'] as const,
  layouts: ['layouts'] as const,
  alerts: ['alerts'] as const,
  alertList: (q: AlertQuery) => ['alerts', q] as const,
};

/** The badge's query: only the count matters, so it asks for one alert. */
export const BADGE_QUERY: AlertQuery = { limit: 1 };
/** Alerts are pushed over the socket; this poll only covers a socket that is down. */
export const ALERT_REFRESH_MS = 30_000;

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'CLIENT_ERROR', e instanceof Error ? e.message : String(e));
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will not get better by asking again; a network blip might.
        retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
        refetchOnWindowFocus: false,
        staleTime: 5_000,
      },
    },
  });
}

export function useEventsState(events: EventsClient): EventsState {
  return useSyncExternalStore(
    (cb) => events.onState(cb),
    () => events.state,
  );
}

const NO_CAMERAS: Camera[] = [];

export function useCamerasQuery(api: ApiClient) {
  return useQuery({ queryKey: keys.cameras, queryFn: async () => sortCameras(await api.cameras.list()) });
}

/** Cameras deleted with their footage kept, for the player (fetched again each time `enabled` turns on). */
export function useRemovedCameras(api: ApiClient, enabled: boolean): Camera[] {
  const q = useQuery({
    queryKey: keys.removedCameras,
    queryFn: async () => sortCameras((await api.cameras.list({ includeRemoved: true })).filter((c) => c.removed_at)),
    enabled,
  });
  return q.data ?? NO_CAMERAS;
}

/** The camera list in the shape the cameras page takes, backed by the query cache. */
export function useCamerasState(api: ApiClient): CamerasState {
  const qc = useQueryClient();
  const q = useCamerasQuery(api);
  const { refetch: rq } = q;
  const refetch = useCallback(async () => {
    await rq();
  }, [rq]);
  const upsert = useCallback(
    (cam: Camera) => qc.setQueryData<Camera[]>(keys.cameras, (l) => upsertCamera(l ?? [], cam)),
    [qc],
  );
  const remove = useCallback(
    (id: number) => qc.setQueryData<Camera[]>(keys.cameras, (l) => removeCamera(l ?? [], id)),
    [qc],
  );
  const error = q.error ? toApiError(q.error) : null;
  const cameras = q.data ?? NO_CAMERAS;
  const loading = q.isPending;
  return useMemo(
    () => ({ cameras, loading, error, refetch, upsert, remove }),
    [cameras, loading, error, refetch, upsert, remove],
  );
}

export function useLayoutsQuery(api: ApiClient) {
  return useQuery({ queryKey: keys.layouts, queryFn: () => api.layouts.list() });
}

function alertsQueryOptions(api: ApiClient, q: AlertQuery) {
  return {
    queryKey: keys.alertList(q),
    queryFn: () => api.alerts.list(q),
    refetchInterval: ALERT_REFRESH_MS,
    placeholderData: keepPreviousData,
  };
}

export function useAlertsQuery(api: ApiClient, q: AlertQuery) {
  return useQuery(alertsQueryOptions(api, q));
}

/**
 * An alert list and the older pages asked for (`showOlder`). Each page is an ordinary cached list keyed by its query
 * with the cursor the page before handed out, so events and acknowledgements patch every page as
 * they patch the first (`matchesQuery` keeps a new alert off later pages), and a refetched page
 * whose `next` moved re-keys the pages after it. The chain is read from the cache: a page not
 * loaded yet ends it, and its arrival re-renders and extends it.
 */
export function useAlertPages(api: ApiClient, q: AlertQuery) {
  const qc = useQueryClient();
  // Older pages on demand; a new query starts again from its first.
  const [shown, setShown] = useState<{ query: AlertQuery; pages: number }>({ query: q, pages: 1 });
  const pages = shown.query === q ? shown.pages : 1;
  const first = useAlertsQuery(api, q);
  // Each page's last answer: when page 1's `next` moves (an alert acknowledged off an
  // "unacknowledged" list, a new one on top) the pages after it get new keys; they show their
  // last answer meanwhile and carry the chain on, instead of collapsing and reloading one by one.
  const last = useRef<(AlertList | undefined)[]>([]);
  const queries: AlertQuery[] = [];
  let next = first.data?.next ?? null;
  for (let i = 1; i < pages && next; i++) {
    const page = { ...q, cursor: next };
    queries.push(page);
    next = (qc.getQueryData<AlertList>(keys.alertList(page)) ?? last.current[i])?.next ?? null;
  }
  const later = useQueries({
    queries: queries.map((page, i) => ({ ...alertsQueryOptions(api, page), placeholderData: last.current[i + 1] })),
  });
  last.current = [first.data, ...later.map((l) => l.data)];
  // Merged each render: a few pages of at most 1000 alerts, and `later` is a new array every time.
  const seen = new Set<number>();
  const alerts: Alert[] = [];
  for (const list of [first.data, ...later.map((l) => l.data)]) {
    for (const a of list?.alerts ?? []) {
      if (!seen.has(a.id)) {
        seen.add(a.id);
        alerts.push(a);
      }
    }
  }
  const loadingMore = later.some((l) => l.isPending && l.fetchStatus !== 'idle');
  // An older page that failed ends the chain: say so, and let the caller ask again.
  const failed = later.find((l) => l.error);
  const retry = () => later.forEach((l) => l.error && void l.refetch());
  return {
    first,
    alerts,
    more: next !== null && !loadingMore,
    loadingMore,
    pagesLoaded: 1 + later.length,
    olderError: failed?.error ? toApiError(failed.error) : null,
    retry,
    showOlder: () => setShown({ query: q, pages: pages + 1 }),
  };
}

/** The unacknowledged count for the header badge (null until known). */
export function useUnacknowledged(api: ApiClient): number | null {
  return useAlertsQuery(api, BADGE_QUERY).data?.unacknowledged ?? null;
}

function alertQueries(qc: QueryClient): Query[] {
  return qc.getQueryCache().findAll({ queryKey: keys.alerts });
}

const queryOf = (query: Query): AlertQuery => (query.queryKey[1] ?? {}) as AlertQuery;

/** Acknowledge; the reply is put into every cached list at once, then the lists are refetched. */
export function useAcknowledge(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.alerts.acknowledge(id),
    onSuccess: (a: Alert) => {
      for (const query of alertQueries(qc)) {
        const data = query.state.data as AlertList | undefined;
        if (data) qc.setQueryData(query.queryKey, applyAcknowledged(data, a, queryOf(query), false));
      }
      void qc.invalidateQueries({ queryKey: keys.alerts });
    },
  });
}

/** Acknowledge many alerts in one call; every cached alert list is refetched after (the events of
 * each acknowledgement patch them meanwhile). */
export function useAcknowledgeMany(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AckRequest) => api.alerts.acknowledgeMany(body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.alerts }),
  });
}

/** Patch (or refetch) the cached camera list from a camera or stream-status event. */
function applyToCameras(
  qc: QueryClient,
  ev: EventOf<'camera:created' | 'camera:updated' | 'camera:deleted' | 'stream:status'>,
): void {
  const cams = qc.getQueryData<Camera[]>(keys.cameras);
  if (!cams) return;
  const effect = applyEvent(cams, ev);
  if (effect && 'refetch' in effect) void qc.invalidateQueries({ queryKey: keys.cameras });
  else if (effect) qc.setQueryData(keys.cameras, effect.list);
}

const settleTimers = new WeakMap<QueryClient, ReturnType<typeof setTimeout>>();
/** How long after the last acknowledgement of a burst (a bulk acknowledge sends one event each) the lists are refetched. */
export const ALERT_SETTLE_MS = 400;

function settleAlertsSoon(qc: QueryClient): void {
  const t = settleTimers.get(qc);
  if (t) clearTimeout(t);
  settleTimers.set(
    qc,
    setTimeout(() => {
      settleTimers.delete(qc);
      void qc.invalidateQueries({ queryKey: keys.alerts });
    }, ALERT_SETTLE_MS),
  );
}

/** Put a new, acknowledged or updated alert into every cached alert list, each by its own filter. */
function applyToAlerts(qc: QueryClient, ev: EventOf<'alert' | 'alert:acknowledged' | 'alert:updated'>): void {
  for (const query of alertQueries(qc)) {
    const data = query.state.data as AlertList | undefined;
    if (!data) continue;
    const next = applyAlertEvent(data, ev, queryOf(query));
    if (next === 'refetch') void qc.invalidateQueries({ queryKey: query.queryKey, exact: true });
    else if (next) qc.setQueryData(query.queryKey, next);
  }
}

/**
 * What one events-socket message does to the cache — one case for every event type, so a type the
 * server adds fails to compile here until someone decides what it invalidates. Exported for tests.
 */
export function applyToCache(qc: QueryClient, ev: VigilEvent): void {
  switch (ev.type) {
    case 'hello':
    case 'events:lagged':
      // Reconnected or missed messages: whatever is cached may be stale.
      void qc.invalidateQueries();
      return;
    case 'camera:created':
    case 'camera:updated':
    case 'stream:status':
      applyToCameras(qc, ev);
      return;
    case 'camera:deleted':
      applyToCameras(qc, ev);
      // Layouts drop the deleted camera's tiles; its alerts went with it (no event each), so the
      // lists and the unacknowledged count are asked again.
      void qc.invalidateQueries({ queryKey: keys.layouts });
      void qc.invalidateQueries({ queryKey: keys.alerts });
      return;
    case 'layout:saved':
    case 'layout:deleted':
      void qc.invalidateQueries({ queryKey: keys.layouts });
      return;
    case 'alert':
    case 'alert:updated':
      applyToAlerts(qc, ev);
      return;
    case 'alert:acknowledged':
      applyToAlerts(qc, ev);
      // The count is patched at once, but a reply, an event and a refetch can cross (a list that
      // dropped the alert on our own reply, a refetch that already counted it): shortly after a
      // burst of acknowledgements the lists are asked again, so the count is the server's.
      settleAlertsSoon(qc);
      return;
    // Nothing cached here: the timeline, export panel, alert sound and desktop shell listen to the
    // socket themselves (a detection-settings change touches no cached camera field).
    case 'pong':
    case 'stream:heartbeat':
    case 'recording:started':
    case 'recording:segment':
    case 'recording:failed':
    case 'recording:clock_jump':
    case 'recording:deleted':
    case 'export:progress':
    case 'export:done':
    case 'export:failed':
    case 'detection':
    case 'detection_event:start':
    case 'detection_event:end':
    case 'detection:status':
    case 'camera:detection':
    case 'notification:clicked':
    case 'bookmark:created':
    case 'bookmark:deleted':
    // Storage: the timeline listens for moves and deletions itself; the Storage page refetches its
    // queries on these, one refresh per burst (a pass sends an event per segment) —
    // features/storage/useStorage.ts. Locks have no event.
    case 'storage:moved':
    case 'storage:deleted':
    case 'storage:tier_offline':
    case 'storage:tier_online':
    // Discovery: the camera form's scan listens for its own scan's results.
    case 'discovery:found':
    case 'discovery:done':
      return;
    default:
      return assertNever(ev);
  }
}

/** Keep the cache in step with the events socket for as long as the session lasts. */
export function useEventsSync(events: EventsClient): void {
  const qc = useQueryClient();
  useEffect(() => events.subscribe((ev) => applyToCache(qc, ev)), [events, qc]);
}

