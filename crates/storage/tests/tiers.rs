//! Tiered storage on real directories and a real (file) database: moves by age, retention with
//! second-scale durations, a crash after every step of the move protocol, an offline tier, locked
//! footage under eviction, manual deletion through the journal, a pass of several batches.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::fs;

use vigil_base::Clock;
use vigil_db::recordings as rq;
use vigil_db::storage::Reason;
use vigil_storage::config::{RetentionConfig, TierConfig};
use vigil_storage::{Location, Size, Span, Step, StorageConfig, StorageEvent};

mod support;
use support::*;

fn two_tiers(rig: &Rig, hot_age: u64) -> StorageConfig {
    StorageConfig {
        tiers: vec![
            TierConfig {
                name: "hot".into(),
                max_age: Some(Span::from_secs(hot_age)),
                reserve_free: Some(Size::bytes(0)),
                ..Default::default()
            },
            TierConfig {
                name: "warm".into(),
                path: Some(rig.dir("warm")),
                reserve_free: Some(Size::bytes(0)),
                ..Default::default()
            },
        ],
        ..Default::default()
    }
}

#[test]
fn segments_move_to_the_next_tier_by_age() {
    let rig = Rig::new();
    let storage = rig.open(two_tiers(&rig, 90)).unwrap();
    let segs: Vec<_> = (0..5)
        .map(|i| rig.segment("hot", 1, T0 + i * 60_000))
        .collect();
    let contents: Vec<_> = segs.iter().map(|r| content(&rig, r)).collect();
    // Now T0 + 6 min: the segments end at +1 … +5 min, so 0..=3 ended more than 90 s ago.
    rig.clock.set_ms(T0 + 6 * 60_000);
    let report = storage.run_pass().unwrap();
    assert_eq!(report.moved, 4, "{report:?}");
    let tiers: Vec<_> = rig.rows().iter().map(|r| r.tier.clone()).collect();
    assert_eq!(tiers, ["warm", "warm", "warm", "warm", "hot"]);
    for r in rig.rows() {
        assert_eq!(r.root, r.tier);
    }
    rig.assert_index_owns_every_file(&storage, &contents);
    let h = storage.history(None, 10).unwrap();
    assert_eq!(h.len(), 4);
    assert!(
        h.iter()
            .all(|h| h.moved && h.reason == Reason::Age && h.to_tier.as_deref() == Some("warm"))
    );
    let moved = rig
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| {
            matches!(
                e,
                StorageEvent::Moved {
                    reason: Reason::Age,
                    ..
                }
            )
        })
        .count();
    assert_eq!(moved, 4);
    // The footage on warm is found there.
    let first = &rig.rows()[0];
    let Location::File(p) = storage.locate(&first.root, &first.path).unwrap() else {
        panic!("a local tier's segment is a file");
    };
    assert_eq!(p, rig.dir("warm").join(&first.path));
    // Each tier root names its tier and database.
    let id = vigil_storage::tier::read_identity(&rig.dir("warm"))
        .unwrap()
        .unwrap();
    assert_eq!(id.tier, "warm");
    assert_eq!(id.database_id, storage.database_id());
}

#[test]
fn a_pass_of_several_batches_finishes_every_one() {
    // 3 batches and a part: each batch's sources are removed on a second thread while the next
    // one copies; when the pass returns, every one is finished.
    let rig = Rig::new();
    let storage = rig.open(two_tiers(&rig, 90)).unwrap();
    let n = 3 * vigil_storage::mover::BATCH as i64 + 5;
    let segs: Vec<_> = (0..n)
        .map(|i| rig.segment("hot", 1 + i % 2, T0 + i * 60_000))
        .collect();
    let contents: Vec<_> = segs.iter().map(|r| content(&rig, r)).collect();
    rig.clock.set_ms(T0 + (n + 10) * 60_000);
    let report = storage.run_pass().unwrap();
    assert_eq!((report.moved, report.failed), (n as usize, 0), "{report:?}");
    assert!(
        rig.rows()
            .iter()
            .all(|r| r.tier == "warm" && r.root == "warm")
    );
    rig.assert_index_owns_every_file(&storage, &contents);
    assert!(files(&rig.dir("recordings")).is_empty());
    let mut moved: Vec<i64> = rig
        .events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| match e {
            StorageEvent::Moved { recording_id, .. } => Some(*recording_id),
            _ => None,
        })
        .collect();
    moved.sort();
    let mut ids: Vec<i64> = segs.iter().map(|r| r.id).collect();
    ids.sort();
    assert_eq!(moved, ids, "one Moved event per segment");
}

#[test]
fn a_crash_after_each_step_of_a_move_loses_nothing_and_leaves_no_orphan() {
    for step in Step::ALL {
        let rig = Rig::new();
        let storage = rig.open(two_tiers(&rig, 60)).unwrap();
        // Three old segments (moved as one batch: the crash hits all of them at that step).
        let segs: Vec<_> = (0..3)
            .map(|k| rig.segment("hot", 1, T0 - k * 60_000))
            .collect();
        let keep = rig.segment("hot", 2, T0 + 10 * 60_000);
        let contents: Vec<_> = segs
            .iter()
            .chain([&keep])
            .map(|r| content(&rig, r))
            .collect();
        rig.clock.set_ms(T0 + 5 * 60_000);
        storage.crash_after(Some(step));
        storage.run_pass().unwrap();
        drop(storage);
        // "Restart": open again, which finishes or rolls back the journal.
        let storage = rig.open(two_tiers(&rig, 60)).unwrap();
        rig.assert_index_owns_every_file(&storage, &contents);
        let tier = rig.rows()[0].tier.clone();
        let expect = match step {
            Step::Journaled | Step::Copied | Step::Renamed => "hot",
            Step::Switched | Step::SourceRemoved => "warm",
        };
        assert_eq!(tier, expect, "after {step:?}");
        let old: Vec<_> = rig
            .rows()
            .into_iter()
            .filter(|r| r.camera_id == 1)
            .collect();
        assert!(
            old.iter().all(|r| r.tier == expect),
            "after {step:?}: {old:?}"
        );
        // The next pass completes what was rolled back.
        storage.crash_after(None);
        storage.run_pass().unwrap();
        let old: Vec<_> = rig
            .rows()
            .into_iter()
            .filter(|r| r.camera_id == 1)
            .collect();
        assert!(old.iter().all(|r| r.tier == "warm"), "after {step:?}");
        rig.assert_index_owns_every_file(&storage, &contents);
    }
}

#[test]
fn an_offline_tier_is_neither_written_nor_purged_and_moves_resume() {
    let rig = Rig::new();
    let mut cfg = two_tiers(&rig, 60);
    cfg.retention = RetentionConfig {
        continuous: Some(Span::from_secs(600)),
        ..Default::default()
    };
    let storage = rig.open(cfg.clone()).unwrap();
    let hot = rig.segment("hot", 1, T0 + 20 * 60_000);
    let warm = rig.segment("warm", 1, T0);
    let contents = vec![content(&rig, &hot), content(&rig, &warm)];
    // The NAS is unmounted: its identity file is gone (the files would be too; keep them to
    // show nothing deletes them).
    let ident = rig.dir("warm").join(vigil_storage::tier::IDENTITY_FILE);
    let saved = fs::read(&ident).unwrap();
    fs::remove_file(&ident).unwrap();
    rig.clock.set_ms(T0 + 30 * 60_000);
    let report = storage.run_pass().unwrap();
    assert_eq!((report.moved, report.deleted), (0, 0), "{report:?}");
    assert!(rig.dir("warm").join(&warm.path).exists());
    assert!(
        rig.events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, StorageEvent::TierOffline { tier, .. } if tier == "warm"))
    );
    let t = storage
        .tiers()
        .into_iter()
        .find(|t| t.name == "warm")
        .unwrap();
    assert!(!t.online);
    assert!(
        t.offline_reason
            .unwrap()
            .contains("identity file is missing")
    );
    let e = storage.locate("warm", &warm.path).unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::StorageTierOffline);
    // A tier that was never there is not re-initialised on an empty mount point.
    assert!(!ident.exists());
    // Mounted again: the move resumes and retention applies on warm.
    fs::write(&ident, saved).unwrap();
    let report = storage.run_pass().unwrap();
    assert_eq!((report.moved, report.deleted), (1, 1), "{report:?}");
    assert!(
        rig.events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, StorageEvent::TierOnline { tier } if tier == "warm"))
    );
    let rows = rig.rows();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].id, rows[0].tier.as_str()), (hot.id, "warm"));
    rig.assert_index_owns_every_file(&storage, &contents);
}

#[test]
fn retention_by_age_in_seconds_keeps_event_and_locked_footage() {
    let rig = Rig::new();
    let cfg = StorageConfig {
        retention: RetentionConfig {
            continuous: Some(Span::from_secs(120)),
            events: Some(Span::from_secs(600)),
            event_padding: Some(Span::from_secs(5)),
            ..Default::default()
        },
        tiers: vec![TierConfig {
            name: "hot".into(),
            reserve_free: Some(Size::bytes(0)),
            ..Default::default()
        }],
        ..Default::default()
    };
    let storage = rig.open(cfg).unwrap();
    let segs: Vec<_> = (0..6)
        .map(|i| rig.segment("hot", 1, T0 + i * 60_000))
        .collect();
    let contents: Vec<_> = segs.iter().map(|r| content(&rig, r)).collect();
    // A detection event in segment 1, a lock over segment 2.
    rig.db
        .write_blocking(|c| {
            c.execute(
                "INSERT INTO detection_event (camera_id, label, start_ms, end_ms, ongoing, top_score) \
                 VALUES (1, 'person', ?1, ?2, 0, 0.9)",
                [T0 + 70_000, T0 + 80_000],
            )
            .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
            Ok(())
        })
        .unwrap();
    let lock = storage
        .add_lock(1, T0 + 130_000, T0 + 140_000, "evidence".into())
        .unwrap();
    rig.clock.set_ms(T0 + 6 * 60_000 + 1);
    let report = storage.run_pass().unwrap();
    // Segments 0..=3 ended more than 120 s ago; 1 has an event, 2 is locked.
    assert_eq!(report.deleted, 2, "{report:?}");
    let left: Vec<_> = rig.rows().iter().map(|r| r.id).collect();
    assert_eq!(left, [segs[1].id, segs[2].id, segs[4].id, segs[5].id]);
    rig.assert_index_owns_every_file(&storage, &contents);
    assert!(
        storage
            .history(None, 10)
            .unwrap()
            .iter()
            .all(|h| !h.moved && h.reason == Reason::Retention)
    );
    // Past the event retention the event footage goes; the locked segment stays until unlocked.
    rig.clock.set_ms(T0 + 20 * 60_000);
    storage.run_pass().unwrap();
    let left: Vec<_> = rig.rows().iter().map(|r| r.id).collect();
    assert_eq!(left, [segs[2].id]);
    assert!(storage.remove_lock(lock.id).unwrap());
    storage.run_pass().unwrap();
    assert!(rig.rows().is_empty());
    rig.assert_index_owns_every_file(&storage, &contents);
}

#[test]
fn free_space_eviction_spares_locked_footage_and_says_when_only_that_is_left() {
    let rig = Rig::new();
    // A reserve larger than any disk: every unlocked segment is evicted, oldest first.
    let cfg = StorageConfig {
        tiers: vec![TierConfig {
            name: "hot".into(),
            reserve_free: Some(Size::bytes(1 << 62)),
            ..Default::default()
        }],
        ..Default::default()
    };
    let storage = rig.open(cfg).unwrap();
    let segs: Vec<_> = (0..4)
        .map(|i| rig.segment("hot", 2, T0 + i * 60_000))
        .collect();
    let contents: Vec<_> = segs.iter().map(|r| content(&rig, r)).collect();
    storage
        .add_lock(2, T0 + 60_000, T0 + 61_000, "keep".into())
        .unwrap();
    assert!(storage.short_of_space());
    let report = storage.run_pass().unwrap();
    assert_eq!(report.deleted, 2, "{report:?}");
    // Segment 0 ends at +60 s, touching the lock: both 0 and 1 are kept.
    let left: Vec<_> = rig.rows().iter().map(|r| r.id).collect();
    assert_eq!(left, [segs[0].id, segs[1].id]);
    assert!(
        storage
            .history(None, 10)
            .unwrap()
            .iter()
            .all(|h| h.reason == Reason::FreeSpace)
    );
    assert!(
        rig.events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, StorageEvent::LockedOnly { tier } if tier == "hot"))
    );
    rig.assert_index_owns_every_file(&storage, &contents);
}

#[test]
fn manual_deletion_goes_through_the_journal_and_refuses_segments_being_written() {
    let rig = Rig::new();
    let storage = rig.open(StorageConfig::default()).unwrap();
    let a = rig.segment("hot", 1, T0);
    let b = rig.segment("hot", 1, T0 + 60_000);
    rig.db
        .write_blocking(move |c| rq::set_state(c, b.id, "recording"))
        .unwrap();
    let gone = storage
        .delete_recording(a.id, Reason::Manual)
        .unwrap()
        .unwrap();
    assert_eq!(gone.id, a.id);
    assert!(!rig.dir("recordings").join(&a.path).exists());
    assert!(
        storage
            .delete_recording(b.id, Reason::Manual)
            .unwrap()
            .is_none()
    );
    assert!(
        storage
            .delete_recording(a.id, Reason::Manual)
            .unwrap()
            .is_none()
    );
    let h = storage.history(None, 10).unwrap();
    assert_eq!((h.len(), h[0].reason), (1, Reason::Manual));
    // The default install: one tier in the data dir, free-space protection on.
    let t = storage.first_tier();
    assert_eq!(
        (t.name.as_str(), t.path.clone()),
        ("hot", rig.dir("recordings"))
    );
    assert!(t.reserve_free_bytes > 0);
}

#[test]
fn settings_change_without_restart_and_guard_tiers_holding_footage() {
    let rig = Rig::new();
    let storage = rig.open(two_tiers(&rig, 3600)).unwrap();
    rig.segment("warm", 1, T0);
    let mut cfg = two_tiers(&rig, 60);
    cfg.tiers[1].path = Some(rig.dir("elsewhere"));
    let e = storage.set_config(cfg).unwrap_err();
    assert_eq!(e.code(), vigil_base::ErrorCode::StorageConfigConflict);
    let mut cfg = two_tiers(&rig, 60);
    cfg.tiers.push(TierConfig {
        name: "cold".into(),
        path: Some(rig.dir("cold")),
        ..Default::default()
    });
    storage.set_config(cfg).unwrap();
    assert_eq!(storage.tiers().len(), 3);
    assert!(
        rig.dir("cold")
            .join(vigil_storage::tier::IDENTITY_FILE)
            .exists()
    );
    // Bad settings are refused field by field and change nothing.
    let mut bad = two_tiers(&rig, 60);
    bad.tiers[1].name = "hot".into();
    let e = storage.set_config(bad).unwrap_err();
    assert!(
        e.details().unwrap()["fields"]
            .get("tiers[1].name")
            .is_some()
    );
    assert_eq!(storage.tiers().len(), 3);
    // A tier holding nothing yet may move: it is initialised at its new path, online.
    let mut cfg = storage.config();
    cfg.tiers[2].path = Some(rig.dir("cold2"));
    storage.set_config(cfg).unwrap();
    let cold = storage
        .tiers()
        .into_iter()
        .find(|t| t.name == "cold")
        .unwrap();
    assert!(cold.online, "{:?}", cold.offline_reason);
    assert_eq!(cold.path, rig.dir("cold2"));
    let _ = rig.clock.now_ms();
}
