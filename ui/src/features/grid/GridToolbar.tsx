// Why: the controls above the grid — choose, create, rename, delete and mark the default layout, apply a preset, add a camera, and see whether the layout is saved.
import { useState } from 'react';
import type { Camera, Layout } from '../../api/types';
import { PRESETS } from './layoutMath';
import type { Preset } from './layoutMath';
import type { SaveState } from './useGridLayouts';

interface Props {
  layouts: Layout[];
  current: Layout | null;
  preset: Preset | null;
  /** Cameras not yet in the layout. */
  addable: Camera[];
  save: SaveState;
  alertsOpen: boolean;
  onSelect: (id: number) => void;
  onCreate: () => void;
  onRename: (name: string) => void;
  onDelete: () => void;
  onDefault: () => void;
  onPreset: (n: Preset) => void;
  onAdd: (cameraId: number) => void;
  onRevert: () => void;
  onToggleAlerts: () => void;
}

const SAVE_LABELS: Record<SaveState['state'], string> = {
  saved: 'Saved',
  pending: 'Unsaved changes…',
  saving: 'Saving…',
  error: 'Not saved',
};

function RenameForm({ name, onDone }: { name: string; onDone: (name: string | null) => void }) {
  const [value, setValue] = useState(name);
  return (
    <form
      className="toolbar-group"
      onSubmit={(e) => {
        e.preventDefault();
        const v = value.trim();
        onDone(v && v !== name ? v : null);
      }}
    >
      <input
        type="text"
        aria-label="Layout name"
        value={value}
        autoFocus
        maxLength={100}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onDone(null)}
        data-testid="layout-name"
      />
      <button type="submit" className="btn btn-small btn-primary">
        Save name
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => onDone(null)}>
        Cancel
      </button>
    </form>
  );
}

export function GridToolbar(p: Props) {
  const [renaming, setRenaming] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const { current, save } = p;

  return (
    <div className="grid-toolbar" role="toolbar" aria-label="Layout">
      {renaming && current ? (
        <RenameForm
          name={current.name}
          onDone={(name) => {
            setRenaming(false);
            if (name) p.onRename(name);
          }}
        />
      ) : (
        <div className="toolbar-group">
          <select
            aria-label="Layout"
            value={current?.id ?? ''}
            onChange={(e) => p.onSelect(Number(e.target.value))}
            data-testid="layout-select"
            disabled={p.layouts.length === 0}
          >
            {p.layouts.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
                {l.is_default ? ' (default)' : ''}
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-small" onClick={p.onCreate} data-testid="layout-new">
            New
          </button>
          <button type="button" className="btn btn-small" disabled={!current} onClick={() => setRenaming(true)} data-testid="layout-rename">
            Rename
          </button>
          <button
            type="button"
            className="btn btn-small"
            disabled={!current || current.is_default}
            onClick={p.onDefault}
            data-testid="layout-default"
            title="Open this layout first on every device"
          >
            {current?.is_default ? 'Default' : 'Make default'}
          </button>
          {confirmDelete ? (
            <>
              <button
                type="button"
                className="btn btn-small btn-danger"
                onClick={() => {
                  setConfirmDelete(false);
                  p.onDelete();
                }}
                data-testid="layout-delete-confirm"
              >
                Delete “{current?.name}”
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirmDelete(false)}>
                Keep
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn btn-small btn-ghost btn-danger-text"
              disabled={!current}
              onClick={() => setConfirmDelete(true)}
              data-testid="layout-delete"
            >
              Delete
            </button>
          )}
        </div>
      )}

      <div className="toolbar-group segmented" role="group" aria-label="Preset" data-testid="layout-preset" data-preset={p.preset ?? 'free'}>
        {PRESETS.map((n) => (
          <button
            key={n}
            type="button"
            className={`btn btn-small ${p.preset === n ? 'is-active' : ''}`}
            aria-pressed={p.preset === n}
            disabled={!current}
            onClick={() => p.onPreset(n)}
            data-testid={`preset-${n}`}
            title={`${n} camera${n === 1 ? '' : 's'}`}
          >
            {n}
          </button>
        ))}
        <span className={`btn btn-small preset-free ${p.preset === null ? 'is-active' : ''}`} aria-hidden="true">
          Free
        </span>
      </div>

      <div className="toolbar-group">
        <select
          aria-label="Add a camera"
          value=""
          disabled={!current || p.addable.length === 0}
          onChange={(e) => e.target.value && p.onAdd(Number(e.target.value))}
          data-testid="add-tile"
        >
          <option value="">{p.addable.length ? 'Add camera…' : 'All cameras shown'}</option>
          {p.addable.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>

      <div className="toolbar-group toolbar-end">
        <span className={`save-state save-${save.state}`} data-testid="layout-save-state" data-state={save.state}>
          {SAVE_LABELS[save.state]}
        </span>
        {save.state === 'error' && (
          <button type="button" className="btn btn-small btn-ghost" onClick={p.onRevert}>
            Revert
          </button>
        )}
        <button
          type="button"
          className={`btn btn-small ${p.alertsOpen ? 'is-active' : ''}`}
          aria-pressed={p.alertsOpen}
          onClick={p.onToggleAlerts}
          data-testid="toggle-alert-panel"
        >
          Alerts panel
        </button>
      </div>
    </div>
  );
}
