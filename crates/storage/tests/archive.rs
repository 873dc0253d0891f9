//! The archive tier against a real S3-compatible server on 127.0.0.1 (moto's, started here):
//! footage moves up by age as multipart uploads under `<prefix>/<camera>/<yyyy>/<mm>/<dd>/`, reads
//! back by byte range through Vigil, is deleted after the archive's `max_age`; a crash after each
//! step of the move loses nothing and leaves no orphan object or file; an archive that goes away
//! is offline (nothing lost, nothing purged because of it) and moves resume when it is back.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::collections::BTreeSet;
use std::fs;

use vigil_base::Clock;
use vigil_db::storage::Reason;
use vigil_storage::config::{ArchiveConfig, TierConfig};
use vigil_storage::{
    ArchiveCredentials, Location, Size, Span, Step, Storage, StorageConfig, StorageEvent,
};
use vigil_testkit::moto::MotoServer;

mod support;
use support::*;

const BUCKET: &str = "footage";

fn keys() -> Option<ArchiveCredentials> {
    Some(ArchiveCredentials {
        access_key_id: "vigil-test".into(),
        secret_access_key: "not-a-real-secret".into(),
    })
}

/// One local tier (moving on after `hot_age` seconds) and the archive (deleting after an hour).
fn with_archive(endpoint: &str, prefix: &str, hot_age: u64) -> StorageConfig {
    StorageConfig {
        tiers: vec![TierConfig {
            name: "hot".into(),
            max_age: Some(Span::from_secs(hot_age)),
            reserve_free: Some(Size::bytes(0)),
            ..Default::default()
        }],
        archive: Some(ArchiveConfig {
            url: format!("s3://{BUCKET}/{prefix}"),
            endpoint: Some(endpoint.into()),
            max_age: Some(Span::from_secs(3_600)),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// Keys under `prefix` except the identity object.
fn segment_keys(s3: &MotoServer, prefix: &str) -> BTreeSet<String> {
    s3.keys(BUCKET, prefix)
        .into_iter()
        .filter(|k| !k.ends_with(vigil_storage::tier::IDENTITY_FILE))
        .collect()
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Every row on the archive points at an object with its content, every row on hot at a file;
/// nothing else is there; the journal is empty.
fn assert_owned(
    rig: &Rig,
    storage: &Storage,
    s3: &MotoServer,
    prefix: &str,
    contents: &[(i64, Vec<u8>)],
) {
    rig.assert_index_owns_every_file(storage, contents);
    let mut want = BTreeSet::new();
    for r in rig.rows().iter().filter(|r| r.root == "archive") {
        let loc = storage.locate(&r.root, &r.path).unwrap();
        assert!(matches!(loc, Location::Object { .. }));
        let body = &contents.iter().find(|(id, _)| *id == r.id).unwrap().1;
        let got = block_on(loc.read_range(0, body.len() as u64)).unwrap();
        assert_eq!(&got, body, "object of row {}", r.id);
        want.insert(format!("{prefix}/{}", r.path));
    }
    assert_eq!(
        segment_keys(s3, prefix),
        want,
        "objects without rows, or rows without objects"
    );
}

#[test]
fn segments_move_to_the_archive_read_back_by_range_and_expire() {
    let s3 = MotoServer::start();
    s3.create_bucket(BUCKET);
    let rig = Rig::new();
    let storage = rig
        .open_with(with_archive(&s3.endpoint(), "site-a", 60), keys())
        .unwrap();
    let tiers = storage.tiers();
    let archive = tiers.iter().find(|t| t.archive).unwrap();
    assert!(archive.online, "{:?}", archive.offline_reason);
    assert_eq!(archive.path.to_str(), Some("s3://footage/site-a"));
    let now = rig.clock.now_ms();
    let old: Vec<_> = (0..3)
        .map(|i| rig.segment("hot", 1 + i % 2, now - 600_000 + i * 60_000))
        .collect();
    let fresh = rig.segment("hot", 1, now - 10_000);
    let contents: Vec<_> = old
        .iter()
        .chain([&fresh])
        .map(|r| content(&rig, r))
        .collect();

    let report = storage.run_pass().unwrap();
    assert_eq!((report.moved, report.failed), (3, 0), "{report:?}");
    let rows = rig.rows();
    for r in &old {
        let now_row = rows.iter().find(|x| x.id == r.id).unwrap();
        assert_eq!(now_row.root, "archive");
        // <camera>/<yyyy>/<mm>/<dd>/<start>.mp4, the UTC day of the segment's start.
        assert_eq!(
            now_row.path,
            format!("{}/2025/11/24/{}.mp4", r.camera_id, r.start_ms),
            "T0 is 2025-11-24 in UTC"
        );
        assert!(
            !rig.dir("recordings").join(&r.path).exists(),
            "local copy left"
        );
    }
    assert_eq!(rows.iter().find(|x| x.id == fresh.id).unwrap().root, "hot");
    assert_owned(&rig, &storage, &s3, "site-a", &contents);
    // A range from the middle, as the HTTP file endpoint and VOD pieces ask for it.
    let r = rows.iter().find(|x| x.id == old[1].id).unwrap();
    let body = &contents.iter().find(|(id, _)| *id == r.id).unwrap().1;
    let loc = storage.locate(&r.root, &r.path).unwrap();
    assert_eq!(
        block_on(loc.read_range(1_000, 5_000)).unwrap(),
        body[1_000..6_000]
    );
    // Exports fetch whole objects into a scratch directory.
    let scratch = rig.dir("scratch");
    let local = loc.local_file(&scratch).unwrap();
    assert_eq!(&fs::read(local).unwrap(), body);
    let moves = rig
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|e| matches!(e, StorageEvent::Moved { to_tier, reason: Reason::Age, .. } if to_tier == "archive"))
        .count();
    assert_eq!(moves, 3);

    // After the archive's max_age the objects are deleted, rows first.
    rig.clock.advance(std::time::Duration::from_secs(2 * 3_600));
    let report = storage.run_pass().unwrap();
    // The three archived go; the fresh one, now old, moves up (and goes on the next pass).
    assert_eq!((report.deleted, report.moved), (3, 1), "{report:?}");
    assert_eq!(segment_keys(&s3, "site-a").len(), 1);
    let report = storage.run_pass().unwrap();
    assert_eq!(report.deleted, 1, "{report:?}");
    assert!(segment_keys(&s3, "site-a").is_empty());
    assert!(rig.rows().is_empty());
    let history = storage.history(None, 100).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.from_tier == "archive" && h.reason == Reason::Age)
    );
}

#[test]
fn a_crash_after_each_step_of_an_archive_move_loses_nothing_and_leaves_no_orphan() {
    let s3 = MotoServer::start();
    s3.create_bucket(BUCKET);
    for step in Step::ALL {
        let prefix = format!("crash-{step:?}").to_lowercase();
        let rig = Rig::new();
        let config = with_archive(&s3.endpoint(), &prefix, 60);
        let storage = rig.open_with(config.clone(), keys()).unwrap();
        let now = rig.clock.now_ms();
        let seg = rig.segment("hot", 1, now - 600_000);
        let contents = vec![content(&rig, &seg)];
        storage.crash_after(Some(step));
        storage.run_pass().unwrap();
        drop(storage);
        // Start-up finishes or rolls back the op.
        let storage = rig.open_with(config, keys()).unwrap();
        assert_owned(&rig, &storage, &s3, &prefix, &contents);
        let root = rig.rows()[0].root.clone();
        let expect = if matches!(step, Step::Switched | Step::SourceRemoved) {
            "archive"
        } else {
            "hot"
        };
        assert_eq!(root, expect, "after a crash at {step:?}");
        // And the next pass completes the move.
        storage.run_pass().unwrap();
        assert_eq!(rig.rows()[0].root, "archive");
        assert_owned(&rig, &storage, &s3, &prefix, &contents);
    }
}

#[test]
fn an_archive_that_goes_away_is_offline_nothing_is_purged_and_moves_resume() {
    let mut s3 = MotoServer::start();
    s3.create_bucket(BUCKET);
    let port = s3.port;
    let rig = Rig::new();
    let config = with_archive(&s3.endpoint(), "nas", 60);
    let storage = rig.open_with(config, keys()).unwrap();
    let identity = s3
        .keys(BUCKET, "nas")
        .into_iter()
        .find(|k| k.ends_with(vigil_storage::tier::IDENTITY_FILE))
        .expect("the archive holds its identity object");
    let now = rig.clock.now_ms();
    let segs: Vec<_> = (0..3)
        .map(|i| rig.segment("hot", 1, now - 900_000 + i * 60_000))
        .collect();
    let contents: Vec<_> = segs.iter().map(|r| content(&rig, r)).collect();

    s3.kill();
    let report = storage.run_pass().unwrap();
    assert_eq!((report.moved, report.deleted), (0, 0), "{report:?}");
    let archive = storage.tiers().into_iter().find(|t| t.archive).unwrap();
    assert!(!archive.online);
    assert!(
        rig.events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, StorageEvent::TierOffline { tier, .. } if tier == "archive"))
    );
    // Everything is still on hot, readable.
    assert!(rig.rows().iter().all(|r| r.root == "hot"));
    rig.assert_index_owns_every_file(&storage, &contents);

    // The same bucket comes back (moto keeps objects in memory: put back what it held).
    let s3 = MotoServer::start_on(port);
    s3.create_bucket(BUCKET);
    let id = serde_json::json!({"tier": "archive", "database_id": storage.database_id()});
    s3.put(BUCKET, &identity, id.to_string().as_bytes());
    let report = storage.run_pass().unwrap();
    assert_eq!(report.moved, 3, "{report:?}");
    assert!(
        rig.events
            .lock()
            .unwrap()
            .iter()
            .any(|e| matches!(e, StorageEvent::TierOnline { tier } if tier == "archive"))
    );
    assert_owned(&rig, &storage, &s3, "nas", &contents);
}

#[test]
fn a_segment_larger_than_a_part_goes_up_as_a_multipart_upload() {
    let s3 = MotoServer::start();
    s3.create_bucket(BUCKET);
    let rig = Rig::new();
    let storage = rig
        .open_with(with_archive(&s3.endpoint(), "big", 60), keys())
        .unwrap();
    let archive = storage.roots().objects["archive"].clone();
    // 20 MiB: three parts of 8, 8 and 4 MiB.
    let body: Vec<u8> = (0..20u32 << 20)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let src = rig.dir("big.mp4");
    fs::write(&src, &body).unwrap();
    assert_eq!(
        archive.upload(&src, "1/2025/11/24/big.mp4").unwrap(),
        body.len() as u64
    );
    assert_eq!(
        archive.size("1/2025/11/24/big.mp4").unwrap(),
        Some(body.len() as u64)
    );
    let at = (17 << 20) - 10;
    let got = block_on(archive.read_range("1/2025/11/24/big.mp4", at, 1_000)).unwrap();
    assert_eq!(got, body[at as usize..at as usize + 1_000]);
    archive.delete("1/2025/11/24/big.mp4").unwrap();
    assert_eq!(archive.size("1/2025/11/24/big.mp4").unwrap(), None);
}

/// The database's nightly snapshots go to the archive too: a copy under the prefix, removed again
/// when the snapshot ages out; without an archive nothing is sent.
#[test]
fn snapshots_are_copied_to_the_archive_and_removed() {
    let s3 = MotoServer::start();
    s3.create_bucket(BUCKET);
    let rig = Rig::new();
    let storage = rig
        .open_with(with_archive(&s3.endpoint(), "site-b", 60), keys())
        .unwrap();
    let src = rig.dir("backups").join("vigil-20261204-030000.db");
    std::fs::create_dir_all(src.parent().unwrap()).unwrap();
    std::fs::write(&src, vec![42u8; 70_000]).unwrap();
    let rel = "backups/vigil-20261204-030000.db";
    assert_eq!(storage.archive_copy(&src, rel).unwrap(), Some(70_000));
    assert!(
        segment_keys(&s3, "site-b").contains("site-b/backups/vigil-20261204-030000.db"),
        "{:?}",
        segment_keys(&s3, "site-b")
    );
    storage.archive_remove(rel).unwrap();
    assert!(segment_keys(&s3, "site-b").is_empty());

    let local_only = Rig::new();
    let storage = local_only
        .open_with(StorageConfig::default(), None)
        .unwrap();
    assert_eq!(storage.archive_copy(&src, rel).unwrap(), None);
}
