// Why: which cameras a synced group plays — by default the leader plus the cameras of the grid's current layout in reading order, at most four, and the operator's picks kept within that limit.
import type { Layout } from '../../api/types';
import { SYNC_MAX } from './syncDrift';

/** Camera ids of a layout in reading order (top row first, left to right), each once. */
export function layoutCameras(layout: Pick<Layout, 'layout'> | null): number[] {
  if (!layout) return [];
  const tiles = [...layout.layout].sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
  return [...new Set(tiles.map((t) => t.camera_id))];
}

/**
 * The default group: the leader first, then the layout's cameras that still exist, then (when
 * the layout has too few, or there is none) the other cameras in list order — up to {@link SYNC_MAX}.
 */
export function defaultSyncCameras(leader: number, layoutIds: readonly number[], cameraIds: readonly number[]): number[] {
  const exists = new Set(cameraIds);
  const out = [leader];
  for (const id of [...layoutIds.filter((id) => exists.has(id)), ...cameraIds]) {
    if (out.length >= SYNC_MAX) break;
    if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** The picks for `leader`: it first and always in, the others kept in order, at most {@link SYNC_MAX}. */
export function withLeader(picked: readonly number[], leader: number, cameraIds: readonly number[]): number[] {
  const exists = new Set(cameraIds);
  return [leader, ...picked.filter((id) => id !== leader && exists.has(id))].slice(0, SYNC_MAX);
}

/** Tick or untick camera `id`: the leader stays; a fifth camera is refused (the same array back). */
export function togglePick(picked: readonly number[], id: number, leader: number): readonly number[] {
  if (id === leader) return picked;
  if (picked.includes(id)) return picked.filter((x) => x !== id);
  if (picked.length >= SYNC_MAX) return picked;
  return [...picked, id];
}
