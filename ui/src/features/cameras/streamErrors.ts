// Why: which cameras' last stream errors the Cameras page should fetch (GET /cameras/{id}/status carries the typed
// code; the list and the status events do not) — once as a camera turns to error, not again within a few seconds
// while it cycles error → reconnecting → error — and which known errors to drop. Pure, for Vitest.
import type { Camera } from '../../api/types';
import { statusHasError } from './sourceHints';

/** A camera's last stream error as `GET /cameras/{id}/status` reports it. */
export interface StreamError {
  code: string | null;
  message: string;
}

/** Per camera in error or reconnecting: the status last seen and when its error was last fetched (ms). */
export type FetchLog = ReadonlyMap<number, { status: string; at: number }>;

/** Least time between two fetches for one camera. */
export const REFETCH_MS = 10_000;

/**
 * Which cameras to fetch now, and the log after. A camera is fetched when it turns to error or reconnecting for the
 * first time, and again when it comes back to `error` (a new attempt failed, maybe differently) at least `REFETCH_MS`
 * after the last fetch. A camera that is running or stopped leaves the log.
 */
export function toFetch(
  cameras: readonly Pick<Camera, 'id' | 'status'>[],
  log: FetchLog,
  now: number,
): { fetch: number[]; log: FetchLog } {
  const fetch: number[] = [];
  const next = new Map<number, { status: string; at: number }>();
  for (const c of cameras) {
    if (!statusHasError(c.status)) continue;
    const last = log.get(c.id);
    const due = !last || (c.status === 'error' && last.status !== 'error' && now - last.at >= REFETCH_MS);
    if (due) fetch.push(c.id);
    next.set(c.id, { status: c.status, at: due || !last ? now : last.at });
  }
  return { fetch, log: next };
}

/** Errors kept: only for cameras still in error or reconnecting. Returns `errors` itself when nothing changes. */
export function keepErrors(
  errors: ReadonlyMap<number, StreamError>,
  cameras: readonly Pick<Camera, 'id' | 'status'>[],
): ReadonlyMap<number, StreamError> {
  const live = new Set(cameras.filter((c) => statusHasError(c.status)).map((c) => c.id));
  if ([...errors.keys()].every((id) => live.has(id))) return errors;
  return new Map([...errors].filter(([id]) => live.has(id)));
}
