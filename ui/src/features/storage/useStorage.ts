// Why: the Storage data in the session's query cache — tiers and settings, usage history, the paged move/delete history and locks — with the saves, archive keys and passes that change them, refreshed from storage:* events (bursts coalesced).
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { VigilEvent } from '../../api/types';
import {
  createLock,
  forgetArchiveKeys,
  getStorage,
  getUsage,
  listLocks,
  listOps,
  removeLock,
  runMaintenance,
  saveStorage,
  setArchiveKeys,
} from './storageApi';
import type { ArchiveKeys, Lock, LockInput, StorageConfig, StorageOp, StorageView } from './types';

export const storageKeys = {
  /** Everything a storage event may change (not the locks: no event announces them). */
  all: ['storage'] as const,
  view: ['storage', 'view'] as const,
  ops: ['storage', 'ops'] as const,
  usage: (rangeMs: number) => ['storage', 'usage', rangeMs] as const,
  locks: ['locks'] as const,
};

/** Rows per page of the move/delete history. */
export const OPS_PAGE = 50;
/** A maintenance pass may move hundreds of segments: one refresh for the lot, at most once a second. */
export const EVENT_COALESCE_MS = 1_000;
/** New footage sends no storage event (a segment every minute per camera): the tiers are polled. */
export const VIEW_REFRESH_MS = 30_000;

export function useStorageView(api: ApiClient) {
  return useQuery({ queryKey: storageKeys.view, queryFn: () => getStorage(api), refetchInterval: VIEW_REFRESH_MS });
}

/** Usage samples over the last `rangeMs`. */
export function useUsageHistory(api: ApiClient, rangeMs: number) {
  return useQuery({
    queryKey: storageKeys.usage(rangeMs),
    queryFn: () => getUsage(api, Date.now() - rangeMs),
    placeholderData: keepPreviousData,
  });
}

export function useStorageOps(api: ApiClient) {
  return useInfiniteQuery({
    queryKey: storageKeys.ops,
    queryFn: ({ pageParam }) => listOps(api, { limit: OPS_PAGE, before: pageParam }),
    initialPageParam: null as number | null,
    getNextPageParam: (last: StorageOp[]) =>
      last.length < OPS_PAGE ? undefined : (last[last.length - 1]?.id ?? undefined),
  });
}

/** Every lock (a short list), shared by the Storage page and every Keep button. */
export function useLocks(api: ApiClient) {
  return useQuery({ queryKey: storageKeys.locks, queryFn: () => listLocks(api), staleTime: 30_000 });
}

export function useCreateLock(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: LockInput) => createLock(api, body),
    onSuccess: (lock: Lock) => {
      qc.setQueryData<Lock[]>(storageKeys.locks, (l) => (l ? [...l.filter((x) => x.id !== lock.id), lock] : [lock]));
      void qc.invalidateQueries({ queryKey: storageKeys.locks });
    },
  });
}

export function useRemoveLock(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => removeLock(api, id),
    onSuccess: (_: void, id: number) => {
      qc.setQueryData<Lock[]>(storageKeys.locks, (l) => l?.filter((x) => x.id !== id));
      void qc.invalidateQueries({ queryKey: storageKeys.locks });
      // An unlock asks the server for a pass: what it frees shows up in the history.
      void qc.invalidateQueries({ queryKey: storageKeys.all });
    },
  });
}

export function useSaveStorage(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: StorageConfig) => saveStorage(api, body),
    onSuccess: (view: StorageView) => {
      qc.setQueryData(storageKeys.view, view);
      void qc.invalidateQueries({ queryKey: storageKeys.all });
    },
  });
}

/** After keys are saved or forgotten: say so at once, then read the storage again (the archive reconnects). */
function keysChanged(qc: QueryClient, stored: boolean) {
  qc.setQueryData<StorageView>(storageKeys.view, (v) => (v ? { ...v, archive_keys_stored: stored } : v));
  void qc.invalidateQueries({ queryKey: storageKeys.all });
}

export function useSaveArchiveKeys(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ArchiveKeys) => setArchiveKeys(api, body),
    onSuccess: () => keysChanged(qc, true),
  });
}

export function useForgetArchiveKeys(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => forgetArchiveKeys(api),
    onSuccess: () => keysChanged(qc, false),
  });
}

export function useRunMaintenance(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => runMaintenance(api),
    onSuccess: () => void qc.invalidateQueries({ queryKey: storageKeys.all }),
  });
}

/** Whether an events-socket message changes what the Storage page shows. */
export function isStorageEvent(ev: VigilEvent): boolean {
  switch (ev.type) {
    case 'storage:moved':
    case 'storage:deleted':
    case 'storage:tier_offline':
    case 'storage:tier_online':
    // New footage grows the tiers; the history of the first tier's use changes with it.
    case 'recording:deleted':
      return true;
    default:
      return false;
  }
}

/**
 * Refetch the Storage queries after storage events, at most once per `delayMs` while they keep
 * coming: a pass sends one event per segment it moves. A tier going on- or offline refreshes at once. Returns the
 * unsubscribe. Exported for tests.
 */
export function refreshOnStorageEvents(
  events: Pick<EventsClient, 'subscribe'>,
  qc: Pick<QueryClient, 'invalidateQueries'>,
  delayMs = EVENT_COALESCE_MS,
): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    void qc.invalidateQueries({ queryKey: storageKeys.all });
  };
  const unsub = events.subscribe((ev) => {
    if (!isStorageEvent(ev)) return;
    if (ev.type === 'storage:tier_offline' || ev.type === 'storage:tier_online') {
      if (timer) clearTimeout(timer);
      flush();
      return;
    }
    if (!timer) timer = setTimeout(flush, delayMs);
  });
  return () => {
    unsub();
    if (timer) clearTimeout(timer);
  };
}

export function useStorageEvents(events: EventsClient): void {
  const qc = useQueryClient();
  useEffect(() => refreshOnStorageEvents(events, qc), [events, qc]);
}
