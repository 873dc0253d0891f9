// Why: the camera list beside the grid — every camera with its state, dragged onto an empty numbered slot (or onto a tile to take its place), or added with a click for keyboard users.
import type { Camera } from '../../api/types';
import { startCameraDrag } from './dragCamera';

interface Props {
  cameras: Camera[];
  /** Cameras the layout shows now. */
  shown: ReadonlySet<number>;
  onAdd: (id: number) => void;
  onClose: () => void;
}

export function CameraDrawer({ cameras, shown, onAdd, onClose }: Props) {
  return (
    <aside className="camera-drawer card" aria-label="Cameras" data-testid="camera-drawer">
      <header className="camera-drawer-head">
        <h2>Cameras</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close the camera list" data-testid="camera-drawer-close">
          ✕
        </button>
      </header>
      <p className="muted small">Drag a camera onto an empty slot, or onto a tile to show it there instead.</p>
      {cameras.length === 0 ? (
        <p className="muted small">No cameras yet: add one on the Cameras page.</p>
      ) : (
        <ul className="camera-drawer-list">
          {cameras.map((c) => (
            <li
              key={c.id}
              draggable
              onDragStart={(e) => startCameraDrag(e.dataTransfer, c.id, c.name)}
              className={`camera-drawer-item ${shown.has(c.id) ? 'is-shown' : ''}`}
              data-testid={`drawer-camera-${c.id}`}
              title={`Drag ${c.name} onto the grid`}
            >
              <span className={`live-dot live-${c.status === 'running' ? 'playing' : c.status === 'reconnecting' || c.status === 'error' ? 'error' : 'stopped'}`} aria-hidden="true" />
              <span className="camera-drawer-name">{c.name}</span>
              {shown.has(c.id) ? (
                <span className="muted small">shown</span>
              ) : (
                <button type="button" className="btn btn-small" onClick={() => onAdd(c.id)} data-testid={`drawer-add-${c.id}`} aria-label={`Add ${c.name} to the layout`}>
                  Add
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
