// Why: the live grid's saved layouts — picks one, keeps a local draft that edits change at once, and saves it to the server a moment later (one save at a time).
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { keys, toApiError, useLayoutsQuery } from '../../api/queries';
import type { Camera, Layout, LayoutInput } from '../../api/types';
import { fromApi, keepCameras, toApi } from './layoutMath';
import type { Tile } from './layoutMath';
import { initialTiles, newLayoutName, pickLayout, readLastLayout, writeLastLayout } from './layoutStore';

export const SAVE_DELAY_MS = 500;

export type SaveState =
  | { state: 'saved' }
  | { state: 'pending' }
  | { state: 'saving' }
  | { state: 'error'; message: string; fields: Record<string, string> };

interface Draft {
  id: number;
  tiles: Tile[];
  /** The server copy (updated_at) the draft started from or was last saved as. */
  base: string;
}

export interface GridLayouts {
  loading: boolean;
  loadError: string | null;
  layouts: Layout[];
  current: Layout | null;
  /** The tiles on screen: the draft, less cameras that no longer exist. */
  tiles: Tile[];
  /** The current layout's tiles are loaded (`tiles` is the layout, not the empty list before it). */
  ready: boolean;
  save: SaveState;
  change(tiles: Tile[]): void;
  select(id: number): void;
  create(name?: string): Promise<void>;
  rename(name: string): Promise<void>;
  remove(): Promise<void>;
  setDefault(): Promise<void>;
  /** Drop local edits and show the server's copy again. */
  revert(): void;
}

const NO_LAYOUTS: Layout[] = [];

function replaceIn(list: Layout[] | undefined, l: Layout): Layout[] {
  const rest = (list ?? []).filter((x) => x.id !== l.id);
  const others = l.is_default ? rest.map((x) => (x.is_default ? { ...x, is_default: false } : x)) : rest;
  return [...others, l].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.id - b.id);
}

export function useGridLayouts(api: ApiClient, cameras: Camera[] | null): GridLayouts {
  const qc = useQueryClient();
  const q = useLayoutsQuery(api);
  const layouts = q.data ?? NO_LAYOUTS;
  const [wanted, setWanted] = useState<number | null>(() => readLastLayout());
  const current = pickLayout(layouts, wanted);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [save, setSave] = useState<SaveState>({ state: 'saved' });

  // The newest body waiting to be sent, and the chain that sends one at a time.
  const pending = useRef<{ id: number; body: LayoutInput } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const inflight = useRef(0);

  const cameraIds = useMemo(() => (cameras ? new Set(cameras.map((c) => c.id)) : null), [cameras]);

  // Open the chosen layout, or take the server's newer copy when nothing local is unsaved.
  useEffect(() => {
    if (!current) return;
    setDraft((d) => {
      if (d && d.id === current.id) {
        // Only a newer copy (someone else's save) replaces the draft: a refetch that started before
        // our own last save answers with an older one.
        if (current.updated_at <= d.base || pending.current || inflight.current > 0) return d;
      }
      return { id: current.id, tiles: fromApi(current.layout), base: current.updated_at };
    });
  }, [current]);

  const tiles = useMemo(() => {
    if (!draft || !current || draft.id !== current.id) return [];
    return cameraIds ? keepCameras(draft.tiles, cameraIds) : draft.tiles;
  }, [draft, current, cameraIds]);

  const store = useCallback((l: Layout) => qc.setQueryData<Layout[]>(keys.layouts, (list) => replaceIn(list, l)), [qc]);

  const send = useCallback(
    (id: number, body: LayoutInput) => {
      inflight.current += 1;
      setSave({ state: 'saving' });
      const run = async () => {
        try {
          const saved = await api.layouts.update(id, body);
          setDraft((d) => (d && d.id === saved.id && !pending.current ? { ...d, base: saved.updated_at } : d));
          store(saved);
          if (saved.is_default) void qc.invalidateQueries({ queryKey: keys.layouts });
          if (inflight.current === 1 && !pending.current) setSave({ state: 'saved' });
        } catch (e) {
          const err = toApiError(e);
          setSave({ state: 'error', message: `${err.code}: ${err.message}`, fields: err.fields });
        } finally {
          inflight.current -= 1;
        }
      };
      const next = chain.current.then(run);
      chain.current = next;
      return next;
    },
    [api, qc, store],
  );

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const p = pending.current;
    pending.current = null;
    return p ? send(p.id, p.body) : chain.current;
  }, [send]);

  // Unsaved edits go out when the page is left.
  useEffect(() => () => void flush(), [flush]);

  const bodyOf = useCallback(
    (l: Layout, t: Tile[], over: Partial<LayoutInput> = {}): LayoutInput => ({
      name: l.name,
      layout: toApi(t),
      is_default: l.is_default,
      ...over,
    }),
    [],
  );

  const change = useCallback(
    (next: Tile[]) => {
      if (!current) return;
      setDraft((d) => (d && d.id === current.id ? { ...d, tiles: next } : { id: current.id, tiles: next, base: '' }));
      pending.current = { id: current.id, body: bodyOf(current, next) };
      setSave({ state: 'pending' });
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    },
    [current, bodyOf, flush],
  );

  const select = useCallback(
    (id: number) => {
      void flush();
      setWanted(id);
      writeLastLayout(id);
      setSave({ state: 'saved' });
    },
    [flush],
  );

  const create = useCallback(
    async (name?: string) => {
      await flush();
      try {
        const ids = cameras?.map((c) => c.id) ?? [];
        const made = await api.layouts.create({
          name: name ?? newLayoutName(layouts),
          layout: toApi(initialTiles(ids.slice(0, 16))),
          is_default: layouts.length === 0,
        });
        store(made);
        setWanted(made.id);
        writeLastLayout(made.id);
        setSave({ state: 'saved' });
      } catch (e) {
        const err = toApiError(e);
        setSave({ state: 'error', message: `${err.code}: ${err.message}`, fields: err.fields });
      }
    },
    [api, cameras, flush, layouts, store],
  );

  // A user with no layout at all gets one with their cameras, once per session.
  const autoCreated = useRef(false);
  useEffect(() => {
    if (autoCreated.current || !q.isSuccess || layouts.length > 0 || !cameras) return;
    autoCreated.current = true;
    void create('Default');
  }, [q.isSuccess, layouts.length, cameras, create]);

  const rename = useCallback(
    async (name: string) => {
      if (!current) return;
      pending.current = { id: current.id, body: bodyOf(current, tiles, { name }) };
      await flush();
    },
    [current, tiles, bodyOf, flush],
  );

  const setDefault = useCallback(async () => {
    if (!current) return;
    pending.current = { id: current.id, body: bodyOf(current, tiles, { is_default: true }) };
    await flush();
  }, [current, tiles, bodyOf, flush]);

  const remove = useCallback(async () => {
    if (!current) return;
    if (timer.current) clearTimeout(timer.current);
    pending.current = null;
    await chain.current;
    try {
      await api.layouts.remove(current.id);
      qc.setQueryData<Layout[]>(keys.layouts, (list) => (list ?? []).filter((l) => l.id !== current.id));
      setWanted(null);
      writeLastLayout(null);
      setSave({ state: 'saved' });
    } catch (e) {
      const err = toApiError(e);
      setSave({ state: 'error', message: `${err.code}: ${err.message}`, fields: err.fields });
    }
  }, [api, current, qc]);

  const revert = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    pending.current = null;
    setSave({ state: 'saved' });
    if (current) setDraft({ id: current.id, tiles: fromApi(current.layout), base: current.updated_at });
    void qc.invalidateQueries({ queryKey: keys.layouts });
  }, [current, qc]);

  return {
    loading: q.isPending,
    loadError: q.error ? `${toApiError(q.error).code}: ${toApiError(q.error).message}` : null,
    layouts,
    current,
    tiles,
    ready: draft !== null && current !== null && draft.id === current.id,
    save,
    change,
    select,
    create,
    rename,
    remove,
    setDefault,
    revert,
  };
}
