//! Planning a maintenance pass: which segments move to the next tier and which are deleted, and
//! why. Pure: the index, the tiers' space, locks and events in; ops out. The mover executes them.
//!
//! Rules, per segment of an online tier, oldest first (a segment being written is never touched):
//! 1. **retention** — older than the camera's retention (events: footage overlapping a detection
//!    event or alert, padded; it falls back to `continuous`) → deleted, unless locked.
//! 2. **age** — older than the tier's `max_age` → moved to the next tier; on the last tier deleted
//!    (unless locked).
//! 3. **size / free space** — while the tier holds more than `max_size`, or its filesystem has less
//!    free than `reserve_free` (counting what this plan moves into it), the oldest segments move
//!    on; on the last tier they are deleted, unless locked.
//!
//! An offline tier is left alone: nothing moves into it or out of it, and nothing is deleted
//! because of it. The one exception is what keeps recording alive: when the first tier (where the
//! recorder writes) is short of free space and its next tier is offline, its oldest unlocked
//! footage is deleted (reason `free_space`), because an NVR that stops recording is worse than one
//! that loses its oldest minutes. If only locked footage is left where space is needed, the plan
//! says so (`locked_only`) instead of deleting it.
//!
//! Execution order: ops on later tiers first, so a tier makes room before footage moves into it.

use std::collections::HashMap;

use vigil_db::storage::{PlanRow, Reason};

use crate::config::Retention;

/// One tier as the planner sees it.
#[derive(Clone, Debug, Default)]
pub struct TierInput {
    pub name: String,
    pub online: bool,
    pub max_age_ms: Option<i64>,
    pub max_size: Option<u64>,
    /// Free space to keep on the filesystem.
    pub reserve_free: u64,
    /// Free space on the filesystem now.
    pub free: u64,
    /// Its segments, oldest first.
    pub rows: Vec<PlanRow>,
}

#[derive(Clone, Debug, Default)]
pub struct PlanInput {
    pub now_ms: i64,
    pub tiers: Vec<TierInput>,
    pub retention: Retention,
    /// (camera, start, end) of footage locks.
    pub locks: Vec<(i64, i64, i64)>,
    /// (camera, start, end) of detection events and alerts (unpadded).
    pub events: Vec<(i64, i64, i64)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// To the tier at this index.
    Move(usize),
    Delete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlannedOp {
    pub recording_id: i64,
    pub camera_id: i64,
    /// Index of the tier it is on.
    pub from: usize,
    pub action: Action,
    pub reason: Reason,
    pub bytes: u64,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// In execution order.
    pub ops: Vec<PlannedOp>,
    /// Tiers that need room but hold only locked footage (or footage waiting on an offline tier).
    pub locked_only: Vec<usize>,
    /// Tiers whose footage waits to move because the next tier is offline.
    pub waiting_on_offline: Vec<usize>,
}

/// Merged, sorted intervals per camera.
struct Spans(HashMap<i64, Vec<(i64, i64)>>);

impl Spans {
    fn new(items: &[(i64, i64, i64)], pad_ms: i64) -> Spans {
        let mut m: HashMap<i64, Vec<(i64, i64)>> = HashMap::new();
        for &(cam, s, e) in items {
            m.entry(cam)
                .or_default()
                .push((s.saturating_sub(pad_ms), e.max(s).saturating_add(pad_ms)));
        }
        for v in m.values_mut() {
            v.sort_unstable();
            let mut merged: Vec<(i64, i64)> = Vec::with_capacity(v.len());
            for &(s, e) in v.iter() {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            *v = merged;
        }
        Spans(m)
    }

    /// Does `[s, e]` touch any span of `cam`?
    fn overlaps(&self, cam: i64, s: i64, e: i64) -> bool {
        let Some(v) = self.0.get(&cam) else {
            return false;
        };
        // The first span ending at or after s.
        let i = v.partition_point(|&(_, end)| end < s);
        v.get(i).is_some_and(|&(start, _)| start <= e)
    }
}

pub fn plan(input: &PlanInput) -> Plan {
    let locks = Spans::new(&input.locks, 0);
    let events = Spans::new(&input.events, input.retention.event_padding.ms());
    let n = input.tiers.len();
    let mut incoming = vec![0u64; n];
    let mut by_tier: Vec<Vec<PlannedOp>> = vec![vec![]; n];
    let mut out = Plan::default();
    for (i, t) in input.tiers.iter().enumerate() {
        if !t.online {
            continue;
        }
        let has_next = i + 1 < n;
        let next = (has_next && input.tiers[i + 1].online).then_some(i + 1);
        let used: u64 = t.rows.iter().map(|r| r.bytes.max(0) as u64).sum::<u64>() + incoming[i];
        let mut over_size = t.max_size.map_or(0, |m| used.saturating_sub(m));
        let mut need_free = t
            .reserve_free
            .saturating_add(incoming[i])
            .saturating_sub(t.free);
        let mut blocked_by_lock = false;
        let mut waiting = false;
        for r in &t.rows {
            if r.recording {
                continue;
            }
            let bytes = r.bytes.max(0) as u64;
            let locked = locks.overlaps(r.camera_id, r.start_ms, r.end_ms);
            let age = input.now_ms.saturating_sub(r.end_ms);
            let (cont, ev) = input.retention.for_camera(r.camera_id);
            let limit = if ev.is_some() && events.overlaps(r.camera_id, r.start_ms, r.end_ms) {
                ev
            } else {
                cont
            };
            let pressure = if need_free > 0 {
                Some(Reason::FreeSpace)
            } else if over_size > 0 {
                Some(Reason::Size)
            } else {
                None
            };
            let mut action = None;
            if !locked && limit.is_some_and(|l| age > l.ms()) {
                action = Some((Action::Delete, Reason::Retention));
            } else if !r.missing {
                if t.max_age_ms.is_some_and(|a| age > a) {
                    match next {
                        Some(nx) => action = Some((Action::Move(nx), Reason::Age)),
                        None if has_next => waiting = true,
                        None if !locked => action = Some((Action::Delete, Reason::Age)),
                        None => {}
                    }
                }
                if action.is_none()
                    && let Some(reason) = pressure
                {
                    match next {
                        Some(nx) => action = Some((Action::Move(nx), reason)),
                        None => {
                            // Past the last tier footage is deleted; before an offline tier
                            // only to keep the recorder's own tier writable.
                            let may_delete = !has_next || (i == 0 && reason == Reason::FreeSpace);
                            if has_next {
                                waiting = true;
                            }
                            if may_delete && locked {
                                blocked_by_lock = true;
                            } else if may_delete {
                                action = Some((Action::Delete, reason));
                            }
                        }
                    }
                }
            }
            let Some((action, reason)) = action else {
                continue;
            };
            if !r.missing {
                over_size = over_size.saturating_sub(bytes);
                if matches!(action, Action::Delete) || next.is_some() {
                    need_free = need_free.saturating_sub(bytes);
                }
            }
            if let Action::Move(nx) = action {
                incoming[nx] += bytes;
            }
            by_tier[i].push(PlannedOp {
                recording_id: r.id,
                camera_id: r.camera_id,
                from: i,
                action,
                reason,
                bytes,
            });
        }
        if (need_free > 0 || over_size > 0) && blocked_by_lock {
            out.locked_only.push(i);
        }
        if waiting {
            out.waiting_on_offline.push(i);
        }
    }
    for ops in by_tier.into_iter().rev() {
        out.ops.extend(ops);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Span;

    const MIN: i64 = 60_000;

    fn rows(cam: i64, n: i64, bytes: i64) -> Vec<PlanRow> {
        (0..n)
            .map(|i| PlanRow {
                id: cam * 1000 + i,
                camera_id: cam,
                start_ms: i * MIN,
                end_ms: (i + 1) * MIN,
                bytes,
                recording: false,
                missing: false,
            })
            .collect()
    }

    fn tier(name: &str, rows: Vec<PlanRow>) -> TierInput {
        TierInput {
            name: name.into(),
            online: true,
            free: u64::MAX / 2,
            rows,
            ..Default::default()
        }
    }

    fn ids(p: &Plan, action: Action) -> Vec<i64> {
        p.ops
            .iter()
            .filter(|o| o.action == action)
            .map(|o| o.recording_id)
            .collect()
    }

    #[test]
    fn age_moves_on_and_the_last_tier_deletes() {
        let mut hot = tier("hot", rows(1, 10, 100));
        hot.max_age_ms = Some(5 * MIN);
        let mut warm = tier("warm", rows(2, 10, 100));
        warm.max_age_ms = Some(8 * MIN);
        let p = plan(&PlanInput {
            now_ms: 10 * MIN,
            tiers: vec![hot, warm],
            ..Default::default()
        });
        // Ages are now − end: segments 0..=3 of hot are older than 5 min, 0 of warm than 8.
        assert_eq!(ids(&p, Action::Move(1)), vec![1000, 1001, 1002, 1003]);
        assert_eq!(ids(&p, Action::Delete), vec![2000]);
        // The last tier makes room first.
        assert_eq!(p.ops[0].recording_id, 2000);
        assert!(p.ops.iter().all(|o| o.reason == Reason::Age));
    }

    #[test]
    fn free_space_evicts_oldest_first_and_spares_locked_footage() {
        let mut hot = tier("hot", rows(1, 10, 100));
        hot.reserve_free = 1000;
        hot.free = 750;
        let p = plan(&PlanInput {
            now_ms: 10 * MIN,
            tiers: vec![hot.clone()],
            locks: vec![(1, 0, MIN + 1)],
            ..Default::default()
        });
        // 250 bytes to free: segments 0 and 1 are locked, so 2, 3 and 4 go.
        assert_eq!(ids(&p, Action::Delete), vec![1002, 1003, 1004]);
        assert!(p.ops.iter().all(|o| o.reason == Reason::FreeSpace));
        assert!(p.locked_only.is_empty());
        // Everything locked: nothing deleted, and the plan says why.
        let p = plan(&PlanInput {
            now_ms: 10 * MIN,
            tiers: vec![hot],
            locks: vec![(1, 0, 10 * MIN)],
            ..Default::default()
        });
        assert!(p.ops.is_empty());
        assert_eq!(p.locked_only, vec![0]);
    }

    #[test]
    fn size_moves_into_the_next_tier_which_makes_room() {
        let mut hot = tier("hot", rows(1, 10, 100));
        hot.max_size = Some(700);
        let mut warm = tier("warm", rows(2, 3, 100));
        warm.reserve_free = 100;
        warm.free = 300;
        let p = plan(&PlanInput {
            now_ms: 10 * MIN,
            tiers: vec![hot, warm],
            ..Default::default()
        });
        assert_eq!(ids(&p, Action::Move(1)), vec![1000, 1001, 1002]);
        // 300 bytes come in, 200 are free above the reserve: warm's oldest goes.
        assert_eq!(ids(&p, Action::Delete), vec![2000]);
        assert_eq!(p.ops[0].reason, Reason::FreeSpace);
    }

    #[test]
    fn offline_tiers_are_left_alone_but_recording_survives() {
        let mut hot = tier("hot", rows(1, 10, 100));
        hot.max_age_ms = Some(5 * MIN);
        let mut warm = tier("warm", rows(2, 10, 100));
        warm.online = false;
        warm.max_age_ms = Some(MIN);
        let input = PlanInput {
            now_ms: 10 * MIN,
            tiers: vec![hot, warm],
            retention: Retention {
                continuous: Some(Span::from_secs(3600)),
                ..Default::default()
            },
            ..Default::default()
        };
        let p = plan(&input);
        assert!(p.ops.is_empty(), "{p:?}");
        assert_eq!(p.waiting_on_offline, vec![0]);
        // The recording tier short of space with warm offline: its oldest unlocked go.
        let mut input = input;
        input.tiers[0].reserve_free = 1000;
        input.tiers[0].free = 850;
        let p = plan(&input);
        assert_eq!(ids(&p, Action::Delete), vec![1000, 1001]);
        assert!(p.ops.iter().all(|o| o.from == 0));
    }

    #[test]
    fn retention_keeps_event_footage_longer_and_deletes_missing_rows() {
        let mut r = rows(1, 10, 100);
        r[1].missing = true;
        let hot = tier("hot", r);
        let p = plan(&PlanInput {
            now_ms: 10 * MIN,
            tiers: vec![hot],
            retention: Retention {
                continuous: Some(Span::from_secs(5 * 60)),
                events: Some(Span::from_secs(60 * 60)),
                event_padding: Span::from_secs(10),
                ..Default::default()
            },
            // An event just after segment 2 ends: the padding reaches back into it.
            events: vec![(1, 3 * MIN + 5_000, 3 * MIN + 20_000)],
            ..Default::default()
        });
        assert_eq!(ids(&p, Action::Delete), vec![1000, 1001]);
        assert!(p.ops.iter().all(|o| o.reason == Reason::Retention));
    }

    #[test]
    fn segments_being_written_are_never_touched() {
        let mut r = rows(1, 3, 100);
        r[0].recording = true;
        let mut hot = tier("hot", r);
        hot.reserve_free = 10_000;
        hot.free = 0;
        let p = plan(&PlanInput {
            now_ms: 10 * MIN,
            tiers: vec![hot],
            ..Default::default()
        });
        assert_eq!(ids(&p, Action::Delete), vec![1001, 1002]);
    }

    #[test]
    fn plans_a_million_segments() {
        // Correctness at scale; the time is measured by `scripts/bench.sh storage`.
        let mut hot = tier("hot", (0..16).flat_map(|c| rows(c, 62_500, 100)).collect());
        hot.rows.sort_by_key(|r| (r.start_ms, r.id));
        hot.max_age_ms = Some(60_000 * MIN);
        let warm = tier("warm", vec![]);
        let p = plan(&PlanInput {
            now_ms: 62_500 * MIN,
            tiers: vec![hot, warm],
            locks: (0..16).map(|c| (c, 0, 100 * MIN)).collect(),
            ..Default::default()
        });
        assert_eq!(p.ops.len(), 16 * 2_499);
    }
}
