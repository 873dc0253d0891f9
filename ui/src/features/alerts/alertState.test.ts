// Why: pins how filters become queries and how live alert events and acknowledgements change a cached list and the unacknowledged count.
import { describe, expect, it } from 'vitest';
import type { Alert, AlertList } from '../../api/types';
import { alertFixture, event } from '../../test/fixtures';
import {
  DETECTION_LEAD_MS,
  NO_FILTER,
  applyAcknowledged,
  applyAlertEvent,
  alertSpan,
  applyNew,
  applyUpdated,
  filterToQuery,
  formatDuration,
  labelOptions,
  labelSummary,
  localInputMs,
  parseCursor,
  rangeToQuery,
  relativeTime,
  matchesQuery,
  shouldSound,
  snapshotPath,
  timelineTarget,
} from './alertState';

function alert(over: Partial<Alert> = {}): Alert {
  return alertFixture({ id: 1, camera_id: 3, message: 'Yard is offline', ...over });
}
const list = (alerts: Alert[], unacknowledged: number): AlertList => ({ alerts, unacknowledged });
const raised = (a: Alert) => event('alert', { camera_id: a.camera_id, alert: a, camera_name: 'Yard' });
const acknowledged = (a: Alert) => event('alert:acknowledged', { camera_id: a.camera_id, alert: a });

describe('filters', () => {
  it('turns the controls into the API query, leaving out "any"', () => {
    expect(filterToQuery(NO_FILTER)).toEqual({ limit: 100 });
    expect(filterToQuery({ ...NO_FILTER, severity: 'warning', type: 'detection', cameraId: 4, state: 'open' }, 20)).toEqual({
      limit: 20,
      severity: 'warning',
      type: 'detection',
      camera_id: 4,
      acknowledged: false,
    });
    expect(filterToQuery({ ...NO_FILTER, state: 'acknowledged' }).acknowledged).toBe(true);
  });

  it('matches an alert the way the server filters', () => {
    const a = alert();
    expect(matchesQuery(a, {})).toBe(true);
    expect(matchesQuery(a, { severity: 'critical', type: 'camera_offline', camera_id: 3, acknowledged: false })).toBe(true);
    expect(matchesQuery(a, { severity: 'warning' })).toBe(false);
    expect(matchesQuery(a, { type: 'detection' })).toBe(false);
    expect(matchesQuery(a, { camera_id: 4 })).toBe(false);
    expect(matchesQuery(a, { acknowledged: true })).toBe(false);
    expect(matchesQuery(a, { since: String(Date.parse(a.created_at) + 1) })).toBe(false);
    expect(matchesQuery(a, { since: '2025-06-01T09:00:00Z' })).toBe(true);
  });

  it('matches labels, zones, a time range and a page cursor like the server', () => {
    const at = Date.parse('2025-06-01T10:00:00.000Z');
    const a = alert({ id: 7, created_at: new Date(at).toISOString(), labels: { person: 2 }, details: { zones: ['door'] } });
    expect(matchesQuery(a, { label: 'person' })).toBe(true);
    expect(matchesQuery(a, { label: 'car' })).toBe(false);
    expect(matchesQuery(a, { zone: 'door' })).toBe(true);
    expect(matchesQuery(a, { zone: 'drive' })).toBe(false);
    expect(matchesQuery(alert({ details: {} }), { zone: 'door' })).toBe(false);
    // `until` is exclusive, `since` inclusive.
    expect(matchesQuery(a, { since: String(at), until: String(at + 1) })).toBe(true);
    expect(matchesQuery(a, { until: String(at) })).toBe(false);
    // A later page holds what is older than its cursor, or as old with a lower id.
    expect(matchesQuery(a, { cursor: `${at + 1}.1` })).toBe(true);
    expect(matchesQuery(a, { cursor: `${at}.8` })).toBe(true);
    expect(matchesQuery(a, { cursor: `${at}.7` })).toBe(false);
    expect(matchesQuery(a, { cursor: `${at - 1}.99` })).toBe(false);
    expect(matchesQuery(a, { cursor: 'nonsense' })).toBe(false);
    expect(parseCursor('-5.3')).toEqual({ ms: -5, id: 3 });
    expect(parseCursor('5')).toBeNull();
  });

  it('turns a time range into since/until', () => {
    const now = 10_000_000;
    expect(rangeToQuery('any', '', '', now)).toEqual({});
    expect(rangeToQuery('1h', '', '', now)).toEqual({ since: String(now - 3_600_000) });
    expect(rangeToQuery('7d', '', '', now)).toEqual({ since: String(now - 7 * 86_400_000) });
    const from = '2026-12-04T09:30';
    expect(rangeToQuery('custom', from, '', now)).toEqual({ since: String(new Date(from).getTime()) });
    expect(rangeToQuery('custom', '', 'garbage', now)).toEqual({});
    // "To 10:30" takes in the whole of that minute.
    expect(rangeToQuery('custom', '', '2026-12-04T10:30', now)).toEqual({ until: String(new Date('2026-12-04T10:30').getTime() + 60_000) });
    expect(localInputMs('')).toBeNull();
    expect(filterToQuery({ ...NO_FILTER, label: 'car', range: '24h' }, 50, now)).toEqual({
      limit: 50,
      label: 'car',
      since: String(now - 86_400_000),
    });
  });

  it('offers the common labels and any other seen', () => {
    const opts = labelOptions([alert({ labels: { forklift: 1, person: 1 } })]);
    expect(opts).toContain('forklift');
    expect(opts).toContain('person');
    expect(opts).toEqual([...opts].sort());
    expect(new Set(opts).size).toBe(opts.length);
  });
});

describe('later pages', () => {
  it('a new alert never lands on a page after the first', () => {
    const old = alert({ id: 1, created_at: '2025-06-01T09:00:00.000Z' });
    const q = { cursor: `${Date.parse('2025-06-01T09:30:00.000Z')}.5` };
    expect(applyAlertEvent({ alerts: [old], unacknowledged: 1, next: null }, raised(alert({ id: 9 })), q)).toEqual({
      alerts: [old],
      unacknowledged: 2,
      next: null,
    });
  });

  it('a new alert on a full first page with pages after it pushes nothing out (the next page starts after the old cursor)', () => {
    const page = [2, 1].map((id) => alert({ id, created_at: `2025-06-01T09:0${id}:00.000Z` }));
    const full = applyAlertEvent({ alerts: page, unacknowledged: 2, next: '1.1' }, raised(alert({ id: 9 })), { limit: 2 }) as AlertList;
    expect(full.alerts.map((a) => a.id)).toEqual([9, 2, 1]);
    // The last page (no next) keeps its limit.
    const last = applyAlertEvent({ alerts: page, unacknowledged: 2, next: null }, raised(alert({ id: 9 })), { limit: 2 }) as AlertList;
    expect(last.alerts.map((a) => a.id)).toEqual([9, 2]);
  });

  it('an acknowledgement keeps the page\'s cursor', () => {
    const old = alert({ id: 1, created_at: '2025-06-01T09:00:00.000Z' });
    const out = applyAcknowledged({ alerts: [old], unacknowledged: 1, next: '1.1' }, { ...old, acknowledged: true }, {}, false);
    expect(out.next).toBe('1.1');
    expect(out.alerts[0]?.acknowledged).toBe(true);
  });
});

describe('live events on a cached list', () => {
  it('a new alert goes on top and counts', () => {
    const old = alert({ id: 1, created_at: '2025-06-01T09:00:00.000Z' });
    const fresh = alert({ id: 2 });
    const out = applyAlertEvent(list([old], 1), raised(fresh), {});
    expect(out).toEqual(list([fresh, old], 2));
  });

  it('a new alert outside the filter is counted but not listed', () => {
    const out = applyAlertEvent(list([], 0), raised(alert({ severity: 'warning', type: 'detection' })), {
      severity: 'critical',
    });
    expect(out).toEqual(list([], 1));
  });

  it('keeps to the limit and ignores an alert it already has', () => {
    const a = alert({ id: 1, created_at: '2025-06-01T09:00:00.000Z' });
    const out = applyNew(list([a], 1), alert({ id: 2 }), { limit: 1 });
    expect(out.alerts.map((x) => x.id)).toEqual([2]);
    const same = list([a], 1);
    expect(applyNew(same, a, {})).toBe(same);
  });

  it('an acknowledgement event flips the alert and lowers the count once', () => {
    const a = alert();
    const acked = alert({ acknowledged: true, acknowledged_at: '2025-06-01T10:01:00.000Z', acknowledged_by: 'admin' });
    const after = applyAlertEvent(list([a], 3), acknowledged(acked), {});
    expect(after).toEqual(list([acked], 2));
    // The same news again (e.g. our own POST's reply first, then the event) changes nothing.
    expect(applyAlertEvent(after as AlertList, acknowledged(acked), {})).toBeNull();
  });

  it('our POST reply then the event lower the count once, in either order', () => {
    const a = alert();
    const acked = alert({ acknowledged: true });
    const replyFirst = applyAcknowledged(list([a], 1), acked, {}, false);
    expect(replyFirst.unacknowledged).toBe(0);
    expect(applyAlertEvent(replyFirst, acknowledged(acked), {})).toBeNull();
    const eventFirst = applyAlertEvent(list([a], 1), acknowledged(acked), {}) as AlertList;
    expect(applyAcknowledged(eventFirst, acked, {}, false)).toBe(eventFirst);
    expect(eventFirst.unacknowledged).toBe(0);
  });

  it('an acknowledged alert leaves an "open only" list; an alert not held still lowers the count', () => {
    const a = alert();
    const acked = alert({ acknowledged: true });
    expect(applyAlertEvent(list([a], 1), acknowledged(acked), { acknowledged: false })).toEqual(list([], 0));
    expect(applyAlertEvent(list([], 5), acknowledged(acked), { severity: 'warning' })).toEqual(list([], 4));
    expect(applyAlertEvent(list([], 0), acknowledged(acked), { severity: 'warning' })).toEqual(list([], 0));
  });

  it('refetches after a reconnect or missed events, and ignores other events', () => {
    const data = list([], 0);
    expect(applyAlertEvent(data, event('hello', { subscriber: 'admin' }), {})).toBe('refetch');
    expect(applyAlertEvent(data, event('events:lagged', { missed: 3 }), {})).toBe('refetch');
    expect(applyAlertEvent(data, event('stream:status', { camera_id: 3, status: 'error', detail: null }), {})).toBeNull();
    expect(applyAlertEvent(data, event('notification:clicked', { alert_id: 1 }), {})).toBeNull();
  });
});

describe('sound, timeline and snapshots', () => {
  it('beeps for open alerts at or above warning', () => {
    expect(shouldSound(alert({ severity: 'critical' }))).toBe(true);
    expect(shouldSound(alert({ severity: 'warning' }))).toBe(true);
    expect(shouldSound(alert({ severity: 'info' }))).toBe(false);
    expect(shouldSound(alert({ severity: 'critical', acknowledged: true }))).toBe(false);
  });

  it('opens the timeline at the alert, a few seconds earlier for detections', () => {
    const t = Date.parse('2025-06-01T10:00:00.000Z');
    expect(timelineTarget(alert())).toEqual({ cameraId: 3, at: t });
    expect(timelineTarget(alert({ type: 'detection' }))).toEqual({ cameraId: 3, at: t - DETECTION_LEAD_MS });
    expect(timelineTarget(alert({ camera_id: null }))).toBeNull();
    expect(timelineTarget(alert({ created_at: 'garbage' }))).toBeNull();
  });

  it('takes the snapshot path of a detection alert, and only API paths', () => {
    const snap = '/api/v1/detections/9/snapshot';
    expect(snapshotPath(alert({ type: 'detection', snapshot_url: snap, details: { detection_id: 9 } }))).toBe(snap);
    expect(snapshotPath(alert({ snapshot_url: 'http://evil/x.jpg' }))).toBeNull();
    expect(snapshotPath(alert())).toBeNull();
  });

  it('prefers snapshot_url, and falls back to details.snapshot_url for older alerts', () => {
    const older = '/api/v1/detections/8/snapshot';
    expect(snapshotPath(alert({ details: { snapshot_url: older } }))).toBe(older);
    const both = alert({ snapshot_url: '/api/v1/detections/9/snapshot', details: { snapshot_url: older } });
    expect(snapshotPath(both)).toBe('/api/v1/detections/9/snapshot');
    expect(snapshotPath(alert({ snapshot_url: 'http://evil/x.jpg', details: { snapshot_url: older } }))).toBe(older);
    expect(snapshotPath(alert({ details: { snapshot_url: 'http://evil/x.jpg' } }))).toBeNull();
    expect(snapshotPath(alert({ details: { snapshot_url: null } }))).toBeNull();
  });
});

describe('incidents and cleared conditions', () => {
  const incident = (over: Partial<Alert> = {}) =>
    alert({ id: 9, type: 'detection', severity: 'warning', count: 1, labels: { person: 1 }, ...over });

  it('replaces a grown incident in place without moving the count', () => {
    const q = filterToQuery(NO_FILTER);
    const data: AlertList = { alerts: [incident(), alert({ id: 2 })], unacknowledged: 2 };
    const grown = incident({ count: 3, labels: { person: 2, car: 1 }, message: '3 objects at Yard' });
    const next = applyAlertEvent(data, event('alert:updated', { camera_id: 3, alert: grown }), q);
    expect(next).not.toBe('refetch');
    const list = next as AlertList;
    expect(list.alerts).toHaveLength(2);
    expect(list.alerts.find((a) => a.id === 9)?.count).toBe(3);
    expect(list.unacknowledged).toBe(2);
  });

  it('keeps an acknowledgement the list already shows', () => {
    const q = filterToQuery(NO_FILTER);
    const acked = incident({ acknowledged: true, acknowledged_by: 'desk', acknowledged_at: '2025-06-01T10:01:00.000Z' });
    const data: AlertList = { alerts: [acked], unacknowledged: 0 };
    const next = applyUpdated(data, incident({ count: 2, ended_at: '2025-06-01T10:02:00.000Z' }), q);
    expect(next.alerts[0]).toMatchObject({ acknowledged: true, acknowledged_by: 'desk', count: 2 });
  });

  it('drops an updated alert a filtered list no longer matches', () => {
    const q = filterToQuery({ ...NO_FILTER, severity: 'warning' });
    const data: AlertList = { alerts: [incident()], unacknowledged: 1 };
    const next = applyUpdated(data, incident({ severity: 'critical' }), q);
    expect(next.alerts).toHaveLength(0);
  });

  it('says how long things lasted', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(134_000)).toBe('2 min 14 s');
    expect(formatDuration(3 * 3_600_000 + 5 * 60_000)).toBe('3 h 5 min');
    expect(labelSummary({ car: 1, person: 3 })).toBe('3 person, 1 car');
    const start = '2025-06-01T10:00:00.000Z';
    expect(alertSpan(alertFixture({ created_at: start, resolved_at: '2025-06-01T10:02:14.000Z' }))).toBe('cleared after 2 min 14 s');
    expect(alertSpan(alertFixture({ created_at: start }))).toBeNull();
    expect(alertSpan(incident({ created_at: start, ended_at: '2025-06-01T10:05:00.000Z' }))).toBe('lasted 5 min');
    const now = Date.parse(start) + 90_000;
    expect(alertSpan(incident({ created_at: start, last_at: '2025-06-01T10:01:00.000Z' }), now)).toBe(
      'going on, 1 min 30 s so far; last activity 30 s ago',
    );
  });

  it('matches "still going on" and "over"', () => {
    const going = { limit: 10, resolved: false };
    expect(matchesQuery(alert(), going)).toBe(true);
    expect(matchesQuery(alert({ resolved_at: '2025-06-01T10:02:14.000Z' }), going)).toBe(false);
    expect(matchesQuery(incident({ ended_at: '2025-06-01T10:05:00.000Z' }), { limit: 10, resolved: true })).toBe(true);
  });

  it('says when, relative to now, for the last day', () => {
    const at = '2025-06-01T10:00:00.000Z';
    const t = Date.parse(at);
    expect(relativeTime(at, t + 3_000)).toBe('just now');
    expect(relativeTime(at, t + 40_000)).toBe('40 s ago');
    expect(relativeTime(at, t + 125_000)).toBe('2 min ago');
    expect(relativeTime(at, t + 3 * 3_600_000 + 1)).toBe('3 h ago');
    expect(relativeTime(at, t + 2 * 86_400_000)).toBeNull();
  });
});
