// Why: proves the delete question names the camera and says what happens to its recordings as the server does it —
// sizes and span from GET /storage, footage on a disconnected disk or in the archive called out, plain words without figures,
// and keeping the recordings offered whenever there are (or may be) some.
import { describe, expect, it } from 'vitest';
import { deleteText } from './deleteText';

const tiers = [
  { name: 'fast', online: true, archive: false },
  { name: 'usb', online: false, archive: false },
  { name: 'cold', online: true, archive: true },
];
const usage = (by_tier: Record<string, number>, days_held = 14 / 24) => ({
  camera_id: 3,
  bytes: Object.values(by_tier).reduce((a, b) => a + b, 0),
  by_tier,
  bitrate_bps: 0,
  days_held,
});

describe('deleteText', () => {
  it('gives size and span, and says the files go at once', () => {
    const t = deleteText('Gate', { usage: usage({ fast: 3.2e9 }), tiers });
    expect(t.question).toBe('Delete “Gate”?');
    expect(t.lines).toEqual([
      'It has 3.2 GB of recordings, covering 14 h.',
      'They are deleted from disk right away, with its detection events, alerts, bookmarks and footage locks.',
      'Or keep its recordings: the camera stops and leaves the list and the grid, and its recordings, events and bookmarks stay in the player and can be exported until retention deletes them.',
      'This cannot be undone.',
    ]);
    expect(t.confirm).toBe('Delete camera and recordings');
    expect(t.keep?.label).toBe('Delete camera, keep recordings');
  });

  it('calls out footage on a disk that is not connected and in the archive', () => {
    const t = deleteText('Gate', { usage: usage({ fast: 1e9, usb: 5e8, cold: 2e9 }, 3), tiers });
    expect(t.lines[0]).toBe('It has 3.5 GB of recordings, covering 3 days.');
    expect(t.lines).toContain(
      '500 MB of them are on “usb”, which is not connected now: those are deleted the next time Vigil starts with it connected.',
    );
    expect(t.lines).toContain(
      '2.0 GB of them are in the archive “cold” and stay there: Vigil stops listing them but does not delete them from the bucket.',
    );
    expect(t.lines.at(-1)).toBe('This cannot be undone.');
  });

  it('words a short span plainly', () => {
    expect(deleteText('Gate', { usage: usage({ fast: 187_000 }, 0.01), tiers }).lines[0]).toBe(
      'It has 187 KB of recordings, covering less than an hour.',
    );
  });

  it('says so when there is nothing recorded', () => {
    expect(deleteText('Gate', { usage: null, tiers }).lines[0]).toBe(
      'It has no recordings. It is deleted with its detection events, alerts, bookmarks and footage locks.',
    );
    expect(deleteText('Gate', { usage: usage({}), tiers }).confirm).toBe('Delete camera');
    // Nothing to keep: no second choice.
    expect(deleteText('Gate', { usage: usage({}), tiers }).keep).toBeNull();
  });

  it('offers only keeping the recordings to a role that may not delete them', () => {
    const t = deleteText('Gate', { usage: usage({ fast: 3.2e9 }), tiers }, false);
    expect(t.lines[0]).toBe('It has 3.2 GB of recordings, covering 14 h.');
    expect(t.lines[1]).toMatch(/^Its recordings are kept \(deleting recordings is not part of your role\)/);
    expect([t.confirm, t.confirmKeeps, t.keep]).toEqual(['Delete camera, keep recordings', true, null]);
    expect(deleteText('Gate', null, false).confirmKeeps).toBe(true);
    // Nothing recorded: nothing to keep, a plain delete.
    expect(deleteText('Gate', { usage: usage({}), tiers }, false).confirmKeeps).toBe(false);
  });

  it('uses plain words when the sizes are unknown', () => {
    const t = deleteText('Gate', null);
    expect(t.lines[0]).toBe(
      'Its recordings are deleted from disk right away, with its detection events, alerts, bookmarks and footage locks.',
    );
    // It may have recordings: keeping them is offered.
    expect(t.keep).not.toBeNull();
  });
});
