// Why: proves the grid's layout hook against a fake API — a first layout made for a new user, edits saved once after a pause with the full body, server errors shown per field, the remembered layout opened.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { ApiClient } from '../../api/client';
import type { Camera, Layout, LayoutInput } from '../../api/types';
import { camera } from '../../test/fixtures';
import { LAST_LAYOUT_KEY } from './layoutStore';
import { useGridLayouts } from './useGridLayouts';
import type { GridLayouts } from './useGridLayouts';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function fakeApi(initial: Layout[]) {
  let layouts = [...initial];
  let next = 100;
  const stamp = () => new Date(Date.now() + next).toISOString();
  const update = vi.fn(async (id: number, b: LayoutInput): Promise<Layout> => {
    const l = { ...layouts.find((x) => x.id === id)!, ...b, updated_at: stamp() };
    layouts = layouts.map((x) => (x.id === id ? l : x));
    return l;
  });
  const create = vi.fn(async (b: LayoutInput): Promise<Layout> => {
    const l = { id: next++, ...b, created_at: stamp(), updated_at: stamp() };
    layouts.push(l);
    return l;
  });
  const api = {
    layouts: {
      list: vi.fn(async () => layouts),
      get: vi.fn(),
      create,
      update,
      remove: vi.fn(async (id: number) => {
        layouts = layouts.filter((l) => l.id !== id);
      }),
    },
  } as unknown as ApiClient;
  return { api, update, create };
}

const layout = (id: number, name: string, over: Partial<Layout> = {}): Layout => ({
  id,
  name,
  layout: [{ camera_id: 1, position: { x: 0, y: 0 }, size: { width: 12, height: 12 } }],
  is_default: false,
  created_at: '2025-01-01T00:00:00.000Z',
  updated_at: '2025-01-01T00:00:00.000Z',
  ...over,
});

let host: HTMLDivElement;
let root: Root;
let current: GridLayouts | null;
const cams: Camera[] = [camera({ id: 1, name: 'A' }), camera({ id: 2, name: 'B' })];

/** Every render's (current layout, ready, tiles), to catch a render where the layout is known but its tiles are not. */
let renders: { layout: number | null; ready: boolean; tiles: number }[] = [];

function Probe({ api, cameras }: { api: ApiClient; cameras: Camera[] }) {
  current = useGridLayouts(api, cameras);
  renders.push({ layout: current.current?.id ?? null, ready: current.ready, tiles: current.tiles.length });
  return null;
}

function mount(api: ApiClient) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  act(() =>
    root.render(
      <QueryClientProvider client={qc}>
        <Probe api={api} cameras={cams} />
      </QueryClientProvider>,
    ),
  );
}

const until = (fn: () => void) => vi.waitFor(fn, { timeout: 3000, interval: 20 });

beforeEach(() => {
  localStorage.clear();
  current = null;
  renders = [];
  host = document.createElement('div');
  document.body.appendChild(host);
  root = createRoot(host);
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('useGridLayouts', () => {
  it('is ready only once the current layout\'s own tiles are loaded (never an empty list posing as the layout)', async () => {
    const { api } = fakeApi([layout(1, 'Main', { is_default: true })]);
    mount(api);
    await until(() => expect(current?.ready).toBe(true));
    expect(current?.tiles).toHaveLength(1);
    // A render that knows the layout but not yet its tiles says it is not ready (the live page's
    // auto-join of new cameras waits for ready, or it would save the new camera alone).
    for (const r of renders) if (r.layout !== null && r.tiles === 0) expect(r.ready).toBe(false);
    expect(renders.some((r) => r.layout === 1 && !r.ready)).toBe(true);
  });

  it('makes a default layout with the cameras for a user who has none', async () => {
    const { api, create } = fakeApi([]);
    mount(api);
    // The layout and its tiles may land in separate renders (seen under load): wait for both.
    await until(() => {
      expect(current?.current?.name).toBe('Default');
      expect(current?.tiles).toHaveLength(2);
    });
    expect(create).toHaveBeenCalledTimes(1);
    expect(create.mock.calls[0]![0]).toMatchObject({ name: 'Default', is_default: true });
    expect(current?.tiles.map((t) => [t.id, t.x, t.y, t.w, t.h])).toEqual([
      [1, 0, 0, 6, 6],
      [2, 6, 0, 6, 6],
    ]);
    expect(localStorage.getItem(LAST_LAYOUT_KEY)).toBe(String(current?.current?.id));
  });

  it('shows an edit at once and saves the last of quick edits once, with the full body', async () => {
    const { api, update } = fakeApi([layout(1, 'Main', { is_default: true })]);
    mount(api);
    await until(() => expect(current?.tiles).toHaveLength(1));
    act(() => current!.change([{ id: 1, x: 0, y: 0, w: 6, h: 6 }]));
    expect(current!.tiles[0]).toMatchObject({ w: 6 });
    expect(current!.save.state).toBe('pending');
    act(() => current!.change([{ id: 1, x: 6, y: 0, w: 6, h: 6 }]));
    await until(() => expect(current!.save.state).toBe('saved'));
    expect(update).toHaveBeenCalledTimes(1);
    expect(update.mock.calls[0]).toEqual([
      1,
      { name: 'Main', is_default: true, layout: [{ camera_id: 1, position: { x: 6, y: 0 }, size: { width: 6, height: 6 } }] },
    ]);
    expect(current!.tiles[0]).toMatchObject({ x: 6 });
  });

  it('shows the server’s per-field refusal and keeps the edit', async () => {
    const { api, update } = fakeApi([layout(1, 'Main')]);
    update.mockRejectedValueOnce(
      new ApiError(400, 'VALIDATION_FAILED', 'invalid layout', { fields: { 'layout[0].camera_id': 'no camera 1' } }),
    );
    mount(api);
    await until(() => expect(current?.tiles).toHaveLength(1));
    act(() => current!.change([{ id: 1, x: 0, y: 0, w: 4, h: 4 }]));
    await until(() => expect(current!.save.state).toBe('error'));
    const s = current!.save;
    expect(s.state === 'error' && s.fields).toEqual({ 'layout[0].camera_id': 'no camera 1' });
    expect(current!.tiles[0]).toMatchObject({ w: 4 });
    act(() => current!.revert());
    await until(() => expect(current!.tiles[0]).toMatchObject({ w: 12 }));
  });

  it('opens the remembered layout and renames with a full replace', async () => {
    localStorage.setItem(LAST_LAYOUT_KEY, '2');
    const { api, update } = fakeApi([layout(1, 'One', { is_default: true }), layout(2, 'Two')]);
    mount(api);
    await until(() => expect(current?.current?.id).toBe(2));
    await act(() => current!.rename('Second'));
    expect(update).toHaveBeenCalledWith(2, expect.objectContaining({ name: 'Second', is_default: false }));
    await until(() => expect(current?.current?.name).toBe('Second'));
  });

  it('tiles of cameras that no longer exist are not shown', async () => {
    const { api } = fakeApi([
      layout(1, 'Main', {
        layout: [
          { camera_id: 1, position: { x: 0, y: 0 }, size: { width: 6, height: 6 } },
          { camera_id: 9, position: { x: 6, y: 0 }, size: { width: 6, height: 6 } },
        ],
      }),
    ]);
    mount(api);
    await until(() => expect(current?.tiles.map((t) => t.id)).toEqual([1]));
  });
});
