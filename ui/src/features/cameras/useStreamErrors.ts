// Why: the last stream error (typed code and raw message) of each camera in error or reconnecting, fetched from
// GET /cameras/{id}/status as cameras change state, so the table can explain it in plain words.
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { components } from '../../api/schema';
import type { Camera } from '../../api/types';
import { keepErrors, toFetch } from './streamErrors';
import type { FetchLog, StreamError } from './streamErrors';

type StreamStatus = components['schemas']['StreamStatus'];

export function useStreamErrors(api: ApiClient, cameras: readonly Camera[]): ReadonlyMap<number, StreamError> {
  const [errors, setErrors] = useState<ReadonlyMap<number, StreamError>>(() => new Map());
  const log = useRef<FetchLog>(new Map());

  useEffect(() => {
    setErrors((cur) => keepErrors(cur, cameras));
    const step = toFetch(cameras, log.current, Date.now());
    log.current = step.log;
    for (const id of step.fetch) {
      api
        .request<StreamStatus>('GET', `/cameras/${encodeURIComponent(String(id))}/status`)
        .then((s) => {
          // Gone from the log: the camera recovered (or was deleted) while this was in flight.
          if (!log.current.has(id) || !s.last_error) return;
          const message = s.last_error;
          const code = s.last_error_code ?? null;
          setErrors((cur) => {
            const had = cur.get(id);
            if (had && had.code === code && had.message === message) return cur;
            return new Map(cur).set(id, { code, message });
          });
        })
        .catch(() => {
          // The badge still says "error"; the explanation comes with the next change of state.
        });
    }
  }, [api, cameras]);

  return errors;
}
