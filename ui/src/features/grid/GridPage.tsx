// Why: the live page (#/live) — the saved layout's camera grid with its toolbar, the camera drawer, solo and selection, keyboard shortcuts, undo of a removal, new cameras joining the layout, and the alert panel beside it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import type { LiveConnection } from '../../live/protocol';
import { AlertWidget } from '../alerts/AlertWidget';
import { CameraDrawer } from './CameraDrawer';
import { CameraGrid } from './CameraGrid';
import { GridToolbar } from './GridToolbar';
import { useCan } from '../access/can';
import { LIVE_SHORTCUTS, joiningCameras, liveKeyAction, ptzKey } from './liveKeys';
import { PTZ_SPEED, sendPtz } from './PtzPad';
import { addTile, applyPreset, neighbour, placeInSlot, presetOf, removeTile, replaceTile, sameTiles } from './layoutMath';
import type { Preset, Slot, Tile } from './layoutMath';
import { useGridLayouts } from './useGridLayouts';

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  /** null while the camera list is loading. */
  cameras: Camera[] | null;
}

function readFlag(key: string, dflt: boolean): boolean {
  try {
    const v = localStorage.getItem(key);
    return v === null ? dflt : v === 'on' || v === 'open';
  } catch {
    return dflt;
  }
}
function writeFlag(key: string, on: boolean, words: [string, string] = ['on', 'off']): void {
  try {
    localStorage.setItem(key, on ? words[0] : words[1]);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
}

const PANEL_KEY = 'vigil.alertPanel';
const FIT_KEY = 'vigil.gridFit';
const CLOCK_KEY = 'vigil.gridClock';
/** How long "Removed … Undo" stays. */
const UNDO_MS = 10_000;

/** What "Undo" puts back: a removed tile (at its place when still free), or a whole layout (a preset). */
type Undo = { layoutId: number; text: string } & ({ removed: Tile } | { tiles: Tile[] });

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()} data-testid="live-help">
      <div className="dialog shortcut-dialog" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
        <h2>Keyboard shortcuts</h2>
        <dl className="shortcut-list">
          {LIVE_SHORTCUTS.map(([keys, what]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <div className="dialog-actions">
          <button type="button" className="btn btn-primary" onClick={onClose} autoFocus>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

export function GridPage({ api, conn, cameras }: Props) {
  const g = useGridLayouts(api, cameras);
  const [alertsOpen, setAlertsOpen] = useState(() => readFlag(PANEL_KEY, true));
  const [fit, setFit] = useState(() => readFlag(FIT_KEY, false));
  const [clock, setClock] = useState(() => readFlag(CLOCK_KEY, false));
  const [drawer, setDrawer] = useState(false);
  const [help, setHelp] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const [solo, setSolo] = useState<number | null>(null);
  const [undo, setUndo] = useState<Undo | null>(null);
  const byId = useMemo(() => new Map((cameras ?? []).map((c) => [c.id, c])), [cameras]);
  const { tiles, change, current } = g;
  const shown = useMemo(() => new Set(tiles.map((t) => t.id)), [tiles]);

  const addable = useMemo(() => (cameras ?? []).filter((c) => !shown.has(c.id)), [cameras, shown]);
  // Stable for the memoised tiles: a tile's menu should not re-render every tile when the layout changes.
  const latest = useRef({ tiles, current, byId });
  useEffect(() => {
    latest.current = { tiles, current, byId };
  });

  const onRemove = useCallback(
    (id: number) => {
      const { tiles: before, current: layout, byId: cams } = latest.current;
      const removed = before.find((t) => t.id === id);
      if (!layout || !removed) return;
      change(removeTile(before, id));
      setUndo({ layoutId: layout.id, removed, text: `Removed ${cams.get(id)?.name ?? `Camera ${id}`} from the layout.` });
    },
    [change],
  );
  useEffect(() => {
    if (!undo) return;
    const t = setTimeout(() => setUndo(null), UNDO_MS);
    return () => clearTimeout(t);
  }, [undo]);
  // A removed camera put back another way (dragged in, added) leaves nothing to undo.
  useEffect(() => {
    if (undo && 'removed' in undo && shown.has(undo.removed.id)) setUndo(null);
  }, [undo, shown]);
  const onUndo = () => {
    if (undo && current?.id === undo.layoutId) {
      if ('tiles' in undo) change(undo.tiles);
      else if (!tiles.some((t) => t.id === undo.removed.id)) {
        // Only that tile comes back (moves made since stay): at its place when free, else the first free one.
        const back = placeInSlot(tiles, undo.removed.id, undo.removed);
        change(back.some((t) => t.id === undo.removed.id) ? back : (addTile(tiles, undo.removed.id) ?? tiles));
      }
    }
    setUndo(null);
  };

  const onAdd = useCallback(
    (id: number) => {
      const next = addTile(latest.current.tiles, id);
      if (next) change(next);
    },
    [change],
  );
  const onPreset = useCallback(
    (n: Preset) => {
      const next = applyPreset(tiles, n, (cameras ?? []).map((c) => c.id), solo ?? selected);
      if (sameTiles(next, tiles) || !current) return;
      change(next);
      // A preset rewrites a free layout: it can be taken back.
      setUndo({ layoutId: current.id, tiles, text: `Switched to the ${n === 1 ? 'single view' : `${Math.sqrt(n)}×${Math.sqrt(n)} preset`}.` });
    },
    [change, tiles, cameras, solo, selected, current],
  );
  const onDropCamera = useCallback(
    (cameraId: number, target: { slot: Slot } | { tile: number }) => {
      const all = latest.current.tiles;
      change('slot' in target ? placeInSlot(all, cameraId, target.slot) : replaceTile(all, target.tile, cameraId));
      setSelected(cameraId);
      // Dropped on the camera shown alone: the dropped one is shown alone now.
      if ('tile' in target && target.tile === solo) setSolo(cameraId);
    },
    [change, solo],
  );
  const onSelect = useCallback((id: number) => setSelected(id), []);
  const onSolo = useCallback((id: number | null) => setSolo(id), []);

  // A solo camera taken out of the layout (or another layout chosen) ends solo.
  useEffect(() => {
    if (solo !== null && !shown.has(solo)) setSolo(null);
    if (selected !== null && !shown.has(selected)) setSelected(null);
  }, [shown, solo, selected]);

  // New cameras join the layout on screen: those created after the layout was last saved and not in
  // it (a camera the operator removed was removed after that, so it stays out).
  const tried = useRef(new Set<string>());
  useEffect(() => {
    // Only once the layout's own tiles are loaded: before that `tiles` is empty, and adding to it
    // would replace the layout with the new camera alone.
    if (!current || !cameras || g.loading || !g.ready) return;
    const joiners = joiningCameras(cameras, current.updated_at, tiles).filter((c) => !tried.current.has(`${current.id}:${c.id}`));
    if (joiners.length === 0) return;
    let next = tiles;
    for (const c of joiners) {
      tried.current.add(`${current.id}:${c.id}`);
      next = addTile(next, c.id) ?? next;
    }
    if (next !== tiles) change(next);
  }, [current, cameras, tiles, change, g.loading, g.ready]);

  const toggle = (key: string, set: (f: (v: boolean) => boolean) => void, words?: [string, string]) =>
    set((v) => {
      writeFlag(key, !v, words);
      return !v;
    });
  const toggleAlerts = useCallback(() => toggle(PANEL_KEY, setAlertsOpen, ['open', 'closed']), []);

  // PTZ from the keyboard: the selected (or enlarged) ONVIF camera, while a key is held.
  const canPtz = useCan('camera:ptz');
  const ptzTarget = useMemo(() => {
    const id = solo ?? selected;
    const cam = id === null ? undefined : cameras?.find((c) => c.id === id);
    return canPtz && cam?.source.kind === 'onvif' ? cam.id : null;
  }, [canPtz, cameras, selected, solo]);
  const ptzHeld = useRef<{ key: string; camera: number } | null>(null);
  useEffect(() => {
    const onUp = (e: KeyboardEvent) => {
      const held = ptzHeld.current;
      if (!held || (e.key !== held.key && e.key !== 'Shift')) return;
      ptzHeld.current = null;
      void sendPtz(api, held.camera, { action: 'stop' }).catch(() => {});
    };
    window.addEventListener('keyup', onUp);
    return () => window.removeEventListener('keyup', onUp);
  }, [api]);

  // Keyboard shortcuts (not while typing, not with modifiers).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(t.tagName))) return;
      const v = ptzTarget !== null && !help ? ptzKey(e.key, e.shiftKey, PTZ_SPEED) : null;
      if (v && ptzTarget !== null) {
        if (!e.repeat && ptzHeld.current === null) {
          ptzHeld.current = { key: e.key, camera: ptzTarget };
          void sendPtz(api, ptzTarget, { action: 'move', ...v }).catch(() => {});
        }
        e.preventDefault();
        return;
      }
      const a = liveKeyAction(e.key);
      if (!a) return;
      // Behind the shortcut list only Esc and ? act; an open tile menu has the keys to itself.
      if (help && a.kind !== 'escape' && a.kind !== 'help') return;
      if (document.querySelector('.live-tile.is-menu-open')) return;
      // Enter on a focused button or link is that control's own.
      if (a.kind === 'solo' && t && ['BUTTON', 'A'].includes(t.tagName)) return;
      const all = latest.current.tiles;
      switch (a.kind) {
        case 'preset':
          onPreset(a.preset);
          break;
        case 'move': {
          const from = selected ?? solo;
          const to = from === null ? (all[0]?.id ?? null) : neighbour(all, from, a.dir);
          if (to === null) return;
          setSelected(to);
          if (solo !== null) setSolo(to);
          break;
        }
        case 'solo':
          if (selected === null) return;
          setSolo((s) => (s === selected ? null : selected));
          break;
        case 'fullscreen': {
          const id = solo ?? selected;
          const el = id !== null ? document.querySelector<HTMLElement>(`[data-testid="grid-tile-${id}"]`) : document.querySelector<HTMLElement>('[data-testid="camera-grid"]');
          if (!el) return;
          if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
          else void el.requestFullscreen?.().catch(() => {});
          break;
        }
        case 'escape':
          if (help) setHelp(false);
          else if (solo !== null) setSolo(null);
          else if (selected !== null) setSelected(null);
          else return;
          break;
        case 'help':
          setHelp((h) => !h);
          break;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onPreset, selected, solo, help, ptzTarget, api]);

  const save = g.save;
  return (
    <main className={`live-page ${alertsOpen ? 'with-panel' : ''} ${drawer ? 'with-drawer' : ''}`} data-testid="live-page">
      {drawer && cameras && <CameraDrawer cameras={cameras} shown={shown} onAdd={onAdd} onClose={() => setDrawer(false)} />}
      <div className="live-main">
        <GridToolbar
          layouts={g.layouts}
          current={g.current}
          preset={presetOf(tiles)}
          addable={addable}
          save={save}
          alertsOpen={alertsOpen}
          onSelect={g.select}
          onCreate={() => void g.create()}
          onRename={(n) => void g.rename(n)}
          onDelete={() => void g.remove()}
          onDefault={() => void g.setDefault()}
          onPreset={onPreset}
          onAdd={onAdd}
          onRevert={g.revert}
          onToggleAlerts={toggleAlerts}
        />
        <div className="grid-toolbar grid-view-toolbar" role="toolbar" aria-label="View">
          <button type="button" className={`btn btn-small ${drawer ? 'is-active' : ''}`} aria-pressed={drawer} onClick={() => setDrawer((d) => !d)} data-testid="drawer-toggle">
            Camera list
          </button>
          <button
            type="button"
            className={`btn btn-small ${fit ? 'is-active' : ''}`}
            aria-pressed={fit}
            onClick={() => toggle(FIT_KEY, setFit)}
            data-testid="grid-fit"
            title="Size the tiles so the whole layout fits the window's height"
          >
            Fit to screen
          </button>
          <button type="button" className={`btn btn-small ${clock ? 'is-active' : ''}`} aria-pressed={clock} onClick={() => toggle(CLOCK_KEY, setClock)} data-testid="grid-clock-toggle">
            Date and time
          </button>
          {solo !== null && (
            <button type="button" className="btn btn-small" onClick={() => setSolo(null)} data-testid="grid-unsolo">
              Back to the grid
            </button>
          )}
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts" data-testid="live-help-open" title="Keyboard shortcuts (?)">
            ?
          </button>
        </div>
        {undo && (
          <div className="banner undo-banner" role="status" data-testid="grid-undo">
            {undo.text}
            <button type="button" className="btn btn-small" onClick={onUndo} data-testid="grid-undo-button">
              Undo
            </button>
          </div>
        )}
        {save.state === 'error' && (
          <div className="banner banner-error" role="alert" data-testid="layout-error">
            {save.message}
            {Object.keys(save.fields).length > 0 && (
              <ul>
                {Object.entries(save.fields).map(([k, v]) => (
                  <li key={k}>
                    <code>{k}</code>: {v}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
        {g.loadError && (
          <div className="banner banner-error" role="alert">
            Layouts: {g.loadError}
          </div>
        )}
        {g.loading || cameras === null ? (
          <p className="muted" data-testid="grid-loading">
            Loading layout…
          </p>
        ) : !g.current ? (
          <div className="empty card" data-testid="grid-empty">
            <p>No layout yet.</p>
            <button type="button" className="btn btn-primary" onClick={() => void g.create()}>
              Create a layout
            </button>
          </div>
        ) : tiles.length === 0 ? (
          <div className="empty card" data-testid="grid-empty">
            <p>This layout shows no camera.</p>
            <p className="muted">
              {cameras.length ? 'Pick a preset, add a camera above, or drag one from the camera list.' : 'Add a camera on the Cameras page first.'}
            </p>
          </div>
        ) : (
          <CameraGrid
            api={api}
            conn={conn}
            tiles={tiles}
            cameras={byId}
            onChange={change}
            onRemove={onRemove}
            selected={selected}
            onSelect={onSelect}
            solo={solo}
            onSolo={onSolo}
            fit={fit}
            clock={clock}
            onDropCamera={onDropCamera}
          />
        )}
      </div>
      {alertsOpen && (
        <aside className="live-side" aria-label="Alerts">
          <AlertWidget api={api} cameras={cameras ?? []} compact />
        </aside>
      )}
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
    </main>
  );
}
