// Why: the System page's readings in the session's query cache, polled every few seconds while the page is open — each keeps the reading before it, so rates (CPU %, inferences a second, recent write latency) come from two readings of a running total.
import { useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../../api/client';
import { nextReadings } from './derive';
import type { Readings } from './derive';
import { engineMetrics } from './promText';
import type { EngineMetrics } from './promText';
import { getDetectionStatus, getHealth, getMetricsText, getStreamStatus } from './systemApi';
import type { DetectionStatus } from './types';

export const systemKeys = {
  all: ['system'] as const,
  health: ['system', 'health'] as const,
  detection: ['system', 'detection'] as const,
  metrics: ['system', 'metrics'] as const,
  stream: (id: number) => ['system', 'stream', id] as const,
};

/** Stream and detector figures: the server's rates are over about the last second. */
export const STATS_REFRESH_MS = 3_000;
/** /metrics (a database read on the server) and health. */
export const METRICS_REFRESH_MS = 5_000;
export const HEALTH_REFRESH_MS = 15_000;

/** Fetch, and keep the cached reading as the one before. Exported for tests. */
export async function readWithPrevious<T>(
  qc: Pick<QueryClient, 'getQueryData'>,
  key: readonly unknown[],
  read: () => Promise<T>,
  now: () => number = Date.now,
): Promise<Readings<T>> {
  const value = await read();
  return nextReadings(qc.getQueryData<Readings<T>>(key), now(), value);
}

export function useHealth(api: ApiClient) {
  return useQuery({ queryKey: systemKeys.health, queryFn: () => getHealth(api), refetchInterval: HEALTH_REFRESH_MS });
}

export function useDetectionReadings(api: ApiClient) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: systemKeys.detection,
    queryFn: () => readWithPrevious<DetectionStatus>(qc, systemKeys.detection, () => getDetectionStatus(api)),
    refetchInterval: STATS_REFRESH_MS,
  });
}

export function useMetricsReadings(api: ApiClient) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: systemKeys.metrics,
    queryFn: () => readWithPrevious<EngineMetrics>(qc, systemKeys.metrics, async () => engineMetrics(await getMetricsText(api))),
    refetchInterval: METRICS_REFRESH_MS,
    // Maps inside: nothing to share structurally.
    structuralSharing: false,
  });
}

/** Every camera's stream status, one query each. */
export function useStreamStatuses(api: ApiClient, ids: readonly number[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: systemKeys.stream(id),
      queryFn: () => getStreamStatus(api, id),
      refetchInterval: STATS_REFRESH_MS,
    })),
  });
}
