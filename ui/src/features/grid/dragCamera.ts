// Why: a camera dragged from the camera drawer onto the grid — one MIME type for the drag, and the camera id read back only when it is a real one.

/** The drag's data type: only drags that carry it are taken by the grid's tiles and slots. */
export const CAMERA_DRAG_TYPE = 'application/x-vigil-camera';

/** Start dragging camera `id` (from the drawer). */
export function startCameraDrag(dt: DataTransfer, id: number, name: string): void {
  dt.setData(CAMERA_DRAG_TYPE, String(id));
  dt.setData('text/plain', name);
  dt.effectAllowed = 'copyMove';
}

/** The camera a drop carries, or null when it is not a camera drag (a file, text from elsewhere). */
export function draggedCamera(dt: Pick<DataTransfer, 'getData'>): number | null {
  const v = dt.getData(CAMERA_DRAG_TYPE);
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
