// Why: what deleting a camera does, in words true to the server — DELETE /cameras/{id} removes its recordings' files
// from every connected disk at once (rows, events, detections, alerts, bookmarks and footage locks go with the camera),
// files on a disk that is not connected go at the next start with it attached, and the S3 archive is not touched.
// Sizes come from GET /storage when it answers; plain words when it does not. A camera with recordings (or when
// that is unknown) can instead be deleted keeping them (`?keep_footage=true`): it leaves service and its footage
// stays playable until retention ages it out.
import { humanBytes, humanDays } from '../storage/format';
import type { CameraStorage, TierView } from '../storage/types';

/** What GET /storage says about one camera; `null` while unknown (loading, or not allowed to read it). */
export interface CameraFootage {
  usage: CameraStorage | null;
  tiers: Pick<TierView, 'name' | 'online' | 'archive'>[];
}

export interface DeleteText {
  /** `Delete “Gate”?` */
  question: string;
  /** Sentences, in order: the recordings, anything left behind, and that it cannot be undone. */
  lines: string[];
  /** The confirm button. */
  confirm: string;
  /** The confirm button keeps the recordings (the caller may not delete them: no `recording:delete`). */
  confirmKeeps: boolean;
  /** The "keep its recordings" button and what it does, when the camera has (or may have) recordings. */
  keep: { label: string; line: string } | null;
}

const WITH = 'with its detection events, alerts, bookmarks and footage locks';
const AND = 'Delete camera and recordings';
const KEEP = {
  label: 'Delete camera, keep recordings',
  line: 'Or keep its recordings: the camera stops and leaves the list and the grid, and its recordings, events and bookmarks stay in the player and can be exported until retention deletes them.',
};

const KEPT =
  'Its recordings are kept (deleting recordings is not part of your role): the camera stops and leaves the list and the grid, and its recordings, events and bookmarks stay in the player and can be exported until retention deletes them.';

/** `canDeleteFootage`: the caller holds `recording:delete`; without it, a camera with recordings can only be deleted keeping them. */
export function deleteText(name: string, footage: CameraFootage | null, canDeleteFootage = true): DeleteText {
  const question = `Delete “${name}”?`;
  const undo = 'This cannot be undone.';
  const keepOnly = (first: string[]): DeleteText => ({
    question,
    lines: [...first, KEPT],
    confirm: KEEP.label,
    confirmKeeps: true,
    keep: null,
  });
  if (!footage) {
    if (!canDeleteFootage) return keepOnly([]);
    return {
      question,
      lines: [`Its recordings are deleted from disk right away, ${WITH}.`, KEEP.line, undo],
      confirm: AND,
      confirmKeeps: false,
      keep: KEEP,
    };
  }
  const byTier = Object.entries(footage.usage?.by_tier ?? {})
    .map(([tier, b]) => ({ tier, bytes: typeof b === 'number' ? b : Number(b) || 0 }))
    .filter((t) => t.bytes > 0);
  const total = byTier.reduce((s, t) => s + t.bytes, 0);
  if (total === 0) {
    return { question, lines: [`It has no recordings. It is deleted ${WITH}.`, undo], confirm: 'Delete camera', confirmKeeps: false, keep: null };
  }
  const info = (tier: string) => footage.tiers.find((t) => t.name === tier);
  const archived = byTier.filter((t) => info(t.tier)?.archive);
  // A tier no longer listed counts as a disk that is not there.
  const offline = byTier.filter((t) => !info(t.tier)?.archive && !info(t.tier)?.online);
  const connected = total - [...archived, ...offline].reduce((s, t) => s + t.bytes, 0);
  const days = footage.usage?.days_held ?? 0;
  const span = days <= 0 ? '' : days * 24 < 1 ? ', covering less than an hour' : `, covering ${humanDays(days)}`;
  const lines = [`It has ${humanBytes(total)} of recordings${span}.`];
  if (!canDeleteFootage) return keepOnly(lines);
  lines.push(
    connected > 0
      ? `They are deleted from disk right away, ${WITH}.`
      : `Its detection events, alerts, bookmarks and footage locks are deleted right away.`,
  );
  for (const t of offline) {
    lines.push(
      `${humanBytes(t.bytes)} of them are on “${t.tier}”, which is not connected now: those are deleted the next time Vigil starts with it connected.`,
    );
  }
  for (const t of archived) {
    lines.push(
      `${humanBytes(t.bytes)} of them are in the archive “${t.tier}” and stay there: Vigil stops listing them but does not delete them from the bucket.`,
    );
  }
  lines.push(KEEP.line, undo);
  return { question, lines, confirm: AND, confirmKeeps: false, keep: KEEP };
}
