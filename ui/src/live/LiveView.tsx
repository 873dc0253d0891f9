// Why: the live tiles the user opened from the camera list, side by side (the drag-and-drop grid comes later).
import type { ApiClient } from '../api/client';
import type { Camera } from '../api/types';
import { CameraTile } from './CameraTile';
import type { LiveConnection } from './protocol';

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  /** The cameras to show, in the order they were opened. */
  cameras: Camera[];
  onClose: (id: number) => void;
}

export function LiveView({ api, conn, cameras, onClose }: Props) {
  if (cameras.length === 0) return null;
  return (
    <section className="live-view" aria-label="Live view" data-testid="live-view">
      {cameras.map((cam) => (
        <CameraTile key={cam.id} api={api} conn={conn} camera={cam} onClose={() => onClose(cam.id)} />
      ))}
    </section>
  );
}

/** Open a camera's tile, or close it when it is open. */
export function toggleLive(open: readonly number[], id: number): number[] {
  return open.includes(id) ? open.filter((x) => x !== id) : [...open, id];
}

/** The open tiles' cameras, in opening order, leaving out cameras that were deleted. */
export function openCameras(open: readonly number[], cameras: readonly Camera[]): Camera[] {
  const byId = new Map(cameras.map((c) => [c.id, c]));
  return open.flatMap((id) => {
    const c = byId.get(id);
    return c ? [c] : [];
  });
}
