//! A maintenance pass: plan it over the index as it is now ([`crate::plan`]), then carry it out —
//! moves in batches through the journaled mover, deletions one by one — and note the tiers'
//! usage for the chart.

use std::sync::atomic::Ordering;

use vigil_base::Result;
use vigil_base::sync::lock;
use vigil_db::storage as sq;

use crate::mover::Outcomes;
use crate::{
    Action, Moved, PassReport, Plan, PlannedOp, Storage, StorageEvent, mover, plan, tier_names,
};

/// A batch of moves between two tiers, as planned.
struct Moves {
    from: String,
    to: String,
    batch: Vec<PlannedOp>,
}

impl Storage {
    /// Plan a pass over the index as it is now.
    pub fn plan(&self) -> Result<Plan> {
        let i = &self.inner;
        let (resolved, tiers) = {
            let st = lock(&i.state);
            (st.resolved.clone(), st.tiers.clone())
        };
        let names = tier_names(&resolved);
        let (rows, locks, events) = i.db.read_blocking(move |c| {
            let mut rows = vec![];
            for n in &names {
                rows.push(sq::plan_rows(c, n)?);
            }
            let locks = sq::locks(c, None)?
                .into_iter()
                .map(|l| (l.camera_id, l.start_ms, l.end_ms))
                .collect::<Vec<_>>();
            Ok((rows, locks, sq::event_spans(c)?))
        })?;
        let input = plan::PlanInput {
            now_ms: i.clock.now_ms(),
            tiers: resolved
                .tiers
                .iter()
                .map(|t| (t.name.clone(), t.max_age, t.max_size, false))
                .chain(
                    resolved
                        .archive
                        .iter()
                        .map(|a| (a.name.clone(), a.max_age, None, true)),
                )
                .zip(rows)
                .map(|((name, max_age, max_size, archive), rows)| {
                    let s = tiers.iter().find(|s| s.name == name);
                    plan::TierInput {
                        online: s.is_some_and(|s| s.online),
                        max_age_ms: max_age.map(|a| a.ms()),
                        max_size: max_size.map(|s| s.get()),
                        reserve_free: s.map_or(0, |s| s.reserve_free_bytes),
                        // An object store has no free space to protect.
                        free: if archive {
                            u64::MAX
                        } else {
                            s.map_or(0, |s| s.free_bytes)
                        },
                        name,
                        rows,
                    }
                })
                .collect(),
            retention: resolved.retention.clone(),
            locks,
            events,
        };
        Ok(plan::plan(&input))
    }

    /// Run one maintenance pass now (on the calling thread; blocking).
    ///
    /// Consecutive moves between the same two local tiers go in batches ([`mover::stage_batch`]);
    /// while one batch is staged, the previous one's sources are removed on a second thread
    /// ([`mover::finish_batch`]), so the unlinks (about 4 ms per 8 MiB segment on an ext4 with
    /// `discard`) overlap the next copies instead of adding to them. At most one batch finishes
    /// at a time, and the pass returns only when every batch is finished.
    pub fn run_pass(&self) -> Result<PassReport> {
        let i = &self.inner;
        let _pass = lock(&i.pass);
        self.refresh()?;
        let t0 = std::time::Instant::now();
        let plan = self.plan()?;
        let mut report = PassReport {
            plan_ms: t0.elapsed().as_millis() as u64,
            ..Default::default()
        };
        let names = tier_names(&lock(&i.state).resolved);
        {
            let mut st = lock(&i.state);
            let now_locked: Vec<String> =
                plan.locked_only.iter().map(|&t| names[t].clone()).collect();
            for t in &now_locked {
                if !st.locked_only.contains(t) {
                    tracing::warn!(tier = %t, "storage tier needs room but holds only locked footage");
                    (i.emit)(StorageEvent::LockedOnly { tier: t.clone() });
                }
            }
            st.locked_only = now_locked;
        }
        let roots = self.roots();
        let crash_after = *lock(&i.crash_after);
        // `true` if a test's crash point was hit: the pass stops as a killed process would.
        let crashed = std::thread::scope(|sc| {
            // The batch whose sources are being removed, with what its outcomes are told as.
            let mut finishing: Option<(Moves, std::thread::ScopedJoinHandle<'_, Outcomes>)> = None;
            let join = |f: &mut Option<(Moves, std::thread::ScopedJoinHandle<'_, Outcomes>)>,
                        report: &mut PassReport| {
                f.take().is_some_and(|(m, h)| {
                    let outcomes = h.join().unwrap_or_else(|_| {
                        // Its ops stay journaled as `switched`: recovery removes the sources.
                        tracing::error!("removing moved segments' sources panicked");
                        vec![]
                    });
                    self.tell_moves(report, &m, outcomes)
                })
            };
            let mut n = 0;
            while n < plan.ops.len() {
                if i.stop.load(Ordering::Relaxed) {
                    report.left = plan.ops.len() - n;
                    break;
                }
                let op = &plan.ops[n];
                let from = names[op.from].clone();
                match op.action {
                    Action::Move(to_i) => {
                        let to = names[to_i].clone();
                        let local = roots.archive(&to).is_none();
                        // Consecutive moves between the same two local tiers go as one batch.
                        let batch: Vec<PlannedOp> = plan.ops[n..]
                            .iter()
                            .take_while(|o| {
                                o.from == op.from && o.action == op.action && o.reason == op.reason
                            })
                            .take(if local { mover::BATCH } else { 1 })
                            .copied()
                            .collect();
                        n += batch.len();
                        let moves = Moves { from, to, batch };
                        if !local {
                            let outcome = mover::move_recording(
                                &i.db,
                                i.clock.as_ref(),
                                &roots,
                                op.recording_id,
                                &moves.to,
                                op.reason,
                                crash_after,
                            );
                            if self.tell_moves(
                                &mut report,
                                &moves,
                                vec![(op.recording_id, outcome)],
                            ) {
                                join(&mut finishing, &mut report);
                                return true;
                            }
                            continue;
                        }
                        let ids: Vec<i64> = moves.batch.iter().map(|o| o.recording_id).collect();
                        let (staged, switched) = mover::stage_batch(
                            &i.db,
                            i.clock.as_ref(),
                            &roots,
                            &ids,
                            &moves.to,
                            op.reason,
                            crash_after,
                        );
                        if join(&mut finishing, &mut report)
                            | self.tell_moves(&mut report, &moves, staged)
                        {
                            return true;
                        }
                        if crash_after.is_some() {
                            // Crash tests stop at a step of this batch: no second thread.
                            let out = mover::finish_batch(&i.db, switched, crash_after);
                            if self.tell_moves(&mut report, &moves, out) {
                                return true;
                            }
                        } else if !switched.is_empty() {
                            let db = &i.db;
                            finishing = Some((
                                moves,
                                sc.spawn(move || mover::finish_batch(db, switched, None)),
                            ));
                        }
                    }
                    Action::Delete => {
                        n += 1;
                        match mover::delete_recording(
                            &i.db,
                            i.clock.as_ref(),
                            &roots,
                            op.recording_id,
                            op.reason,
                        ) {
                            Ok(Some(rec)) => {
                                report.deleted += 1;
                                report.bytes_deleted += rec.bytes.max(0) as u64;
                                (i.emit)(StorageEvent::Deleted {
                                    recording_id: rec.id,
                                    camera_id: rec.camera_id,
                                    tier: rec.tier,
                                    reason: op.reason,
                                    bytes: rec.bytes.max(0) as u64,
                                });
                            }
                            Ok(None) => {}
                            Err(e) => {
                                report.failed += 1;
                                tracing::warn!(recording_id = op.recording_id, error = %e, "deletion failed");
                                (i.emit)(StorageEvent::Failed {
                                    tier: from,
                                    error: e.to_string(),
                                });
                            }
                        }
                    }
                }
            }
            join(&mut finishing, &mut report)
        });
        if crashed {
            return Ok(report);
        }
        if report.moved + report.deleted + report.failed > 0 {
            tracing::info!(?report, "storage maintenance pass");
            self.refresh()?;
        }
        lock(&i.state).last_pass = Some((i.clock.now_ms(), report.clone()));
        if let Err(e) = self.sample_usage() {
            tracing::warn!(error = %e, "recording storage usage");
        }
        Ok(report)
    }

    /// Count and tell what became of a batch of moves; `true` if a test's crash point was hit.
    fn tell_moves(&self, report: &mut PassReport, m: &Moves, outcomes: Outcomes) -> bool {
        let mut crashed = false;
        for (id, outcome) in outcomes {
            let Some(o) = m.batch.iter().find(|o| o.recording_id == id) else {
                continue;
            };
            match outcome {
                Ok(Moved::Done { bytes }) => {
                    report.moved += 1;
                    report.bytes_moved += bytes;
                    (self.inner.emit)(StorageEvent::Moved {
                        recording_id: id,
                        camera_id: o.camera_id,
                        from_tier: m.from.clone(),
                        to_tier: m.to.clone(),
                        reason: o.reason,
                        bytes,
                    });
                }
                Ok(Moved::Skipped) => {}
                Ok(Moved::Crashed(_)) => crashed = true,
                Err(e) => {
                    report.failed += 1;
                    tracing::warn!(recording_id = id, error = %e, "move failed");
                    (self.inner.emit)(StorageEvent::Failed {
                        tier: m.to.clone(),
                        error: e.to_string(),
                    });
                }
            }
        }
        crashed
    }

    /// Note every tier's usage for the chart (at most once a minute, kept 90 days).
    fn sample_usage(&self) -> Result<()> {
        let i = &self.inner;
        let usage = i.db.read_blocking(sq::usage)?;
        let now = i.clock.now_ms();
        let samples: Vec<sq::UsageSample> = self
            .tiers()
            .iter()
            .map(|t| sq::UsageSample {
                tier: t.name.clone(),
                at_ms: now,
                used_bytes: usage
                    .iter()
                    .find(|u| u.tier == t.name)
                    .map_or(0, |u| u.bytes),
                free_bytes: t.free_bytes.min(i64::MAX as u64) as i64,
                capacity_bytes: t.capacity_bytes.min(i64::MAX as u64) as i64,
            })
            .collect();
        i.db.write_blocking(move |c| sq::add_usage_samples(c, &samples, 60_000, 90 * 86_400_000))?;
        Ok(())
    }
}
