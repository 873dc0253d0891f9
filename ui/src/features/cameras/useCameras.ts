// Why: the camera list as React state — loaded from the API and kept live by the shared events socket.
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import type { EventsClient, EventsState } from '../../api/events';
import type { Camera } from '../../api/types';
import { applyEvent, removeCamera, sortCameras, upsertCamera } from './cameraList';

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError(0, 'CLIENT_ERROR', e instanceof Error ? e.message : String(e));
}

export function useEventsState(events: EventsClient): EventsState {
  return useSyncExternalStore(
    (cb) => events.onState(cb),
    () => events.state,
  );
}

export interface CamerasState {
  cameras: Camera[];
  loading: boolean;
  error: ApiError | null;
  refetch: () => Promise<void>;
  /** Put a camera the API just returned into the list (create/update/start/stop replies). */
  upsert: (cam: Camera) => void;
  remove: (id: number) => void;
}

export function useCameras(api: ApiClient, events: EventsClient): CamerasState {
  const [cameras, setCameras] = useState<Camera[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  // The listener needs the current list synchronously; React state alone would lag a render.
  const listRef = useRef<Camera[]>([]);
  const seq = useRef(0);

  const commit = useCallback((next: Camera[]) => {
    if (next === listRef.current) return;
    listRef.current = next;
    setCameras(next);
  }, []);

  const refetch = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const list = await api.cameras.list();
      if (mine !== seq.current) return; // A newer fetch was started; its answer wins.
      commit(sortCameras(list));
      setError(null);
    } catch (e) {
      if (mine === seq.current) setError(toApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [api, commit]);

  useEffect(() => {
    void refetch();
    return events.subscribe((ev) => {
      const effect = applyEvent(listRef.current, ev);
      if (!effect) return;
      if ('refetch' in effect) void refetch();
      else commit(effect.list);
    });
  }, [events, refetch, commit]);

  const upsert = useCallback((cam: Camera) => commit(upsertCamera(listRef.current, cam)), [commit]);
  const remove = useCallback((id: number) => commit(removeCamera(listRef.current, id)), [commit]);

  return { cameras, loading, error, refetch, upsert, remove };
}
