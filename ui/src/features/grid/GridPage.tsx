// Why: the live page (#/live) — the saved layout's camera grid with its toolbar, and the alert panel beside it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import type { LiveConnection } from '../../live/protocol';
import { AlertWidget } from '../alerts/AlertWidget';
import { CameraGrid } from './CameraGrid';
import { GridToolbar } from './GridToolbar';
import { addTile, applyPreset, presetOf, removeTile } from './layoutMath';
import type { Preset } from './layoutMath';
import { useGridLayouts } from './useGridLayouts';

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  /** null while the camera list is loading. */
  cameras: Camera[] | null;
}

const PANEL_KEY = 'vigil.alertPanel';
function readPanel(): boolean {
  try {
    return localStorage.getItem(PANEL_KEY) !== 'closed';
  } catch {
    return true;
  }
}

export function GridPage({ api, conn, cameras }: Props) {
  const g = useGridLayouts(api, cameras);
  const [alertsOpen, setAlertsOpen] = useState(readPanel);
  const byId = useMemo(() => new Map((cameras ?? []).map((c) => [c.id, c])), [cameras]);
  const { tiles, change } = g;

  const addable = useMemo(() => (cameras ?? []).filter((c) => !tiles.some((t) => t.id === c.id)), [cameras, tiles]);
  // Stable for the memoised tiles: a tile's ✕ should not re-render every tile when the layout changes.
  const tilesRef = useRef(tiles);
  useEffect(() => {
    tilesRef.current = tiles;
  });
  const onRemove = useCallback((id: number) => change(removeTile(tilesRef.current, id)), [change]);
  const onAdd = useCallback(
    (id: number) => {
      const next = addTile(tiles, id);
      if (next) change(next);
    },
    [change, tiles],
  );
  const onPreset = useCallback(
    (n: Preset) => change(applyPreset(tiles, n, (cameras ?? []).map((c) => c.id))),
    [change, tiles, cameras],
  );
  const toggleAlerts = useCallback(() => {
    setAlertsOpen((o) => {
      try {
        localStorage.setItem(PANEL_KEY, o ? 'closed' : 'open');
      } catch {
        // Storage disabled: the choice lasts for this page only.
      }
      return !o;
    });
  }, []);

  const save = g.save;
  return (
    <main className={`live-page ${alertsOpen ? 'with-panel' : ''}`} data-testid="live-page">
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
              {cameras.length ? 'Pick a preset or add a camera above.' : 'Add a camera on the Cameras page first.'}
            </p>
          </div>
        ) : (
          <CameraGrid api={api} conn={conn} tiles={tiles} cameras={byId} onChange={change} onRemove={onRemove} />
        )}
      </div>
      {alertsOpen && (
        <aside className="live-side" aria-label="Alerts">
          <AlertWidget api={api} cameras={cameras ?? []} compact />
        </aside>
      )}
    </main>
  );
}
