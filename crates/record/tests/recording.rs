//! The recorder on real encoded video: contiguous, ffprobe-valid segments cut at keyframes; a
//! segment torn by a crash repaired to its last complete fragment; orphans and missing files
//! reconciled; a VOD playlist ffmpeg plays from the asked instant; an export of the asked range.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

use vigil_base::SimulatedClock;
use vigil_db::Database;
use vigil_db::recordings as q;
use vigil_media::{Demuxer, FeedItem, SourceSpec, feed_channel};
use vigil_record::writer::{RecorderConfig, RecorderStats, SegmentWriter};
use vigil_record::{StorageRoot, reconcile};
use vigil_testkit::{ClipSpec, ffprobe_frames as frames, make_clip};

const T0: i64 = 1_763_712_000_000;

struct Setup {
    _dir: tempfile::TempDir,
    root: StorageRoot,
    db: Database,
    src: PathBuf,
}

fn setup(secs: u32) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&dir.path().join("v.db")).unwrap();
    db.write_blocking(|c| {
        c.execute(
            "INSERT INTO camera (name, source_kind, source_json, created_at_ms, updated_at_ms) VALUES ('c', 'file', '{}', 0, 0)",
            [],
        )
        .map_err(|e| vigil_base::err!(Internal, "{e}"))
    })
    .unwrap();
    let src = make_clip(
        dir.path(),
        "src.mp4",
        &ClipSpec {
            secs: secs as f32,
            ..Default::default()
        },
    );
    let root = StorageRoot::new("hot", dir.path().join("recordings"));
    Setup {
        _dir: dir,
        root,
        db,
        src,
    }
}

/// Feed the whole file to a recorder as if it arrived in real time from T0.
fn record(s: &Setup, segment_ms: i64) -> Arc<RecorderStats> {
    record_with_clock(s, segment_ms, |ms| ms)
}

/// As `record`, with the wall clock at each packet given by `wall(media_ms)`.
fn record_with_clock(s: &Setup, segment_ms: i64, wall: impl Fn(i64) -> i64) -> Arc<RecorderStats> {
    let mut cfg = RecorderConfig::new(s.root.clone());
    cfg.segment_ms = segment_ms;
    let stats = Arc::new(RecorderStats::default());
    let w = SegmentWriter::new(
        1,
        cfg,
        s.db.clone(),
        Arc::new(SimulatedClock::new(T0)),
        stats.clone(),
        Arc::new(|_| {}),
    )
    .resume_after({
        s.db.flush_blocking().unwrap();
        s.db.read_blocking(|c| q::last_end_ms(c, 1)).unwrap()
    });
    let (tx, rx) = feed_channel("recorder", 100_000);
    let mut d = Demuxer::open(
        SourceSpec::File {
            path: s.src.clone(),
        },
        || false,
    )
    .unwrap();
    let session = d.session().clone();
    tx.offer(FeedItem::Session(session.clone()));
    let tb = session.streams[0].time_base;
    let mut seq = 0;
    let mut first: Option<i64> = None;
    while let Some(p) = d.next_packet().unwrap() {
        let dts = p.dts.unwrap_or(0);
        let ms = (dts - *first.get_or_insert(dts)) * 1000 * i64::from(tb.0) / i64::from(tb.1);
        tx.offer(FeedItem::Packet {
            seq,
            arrival_ms: T0 + wall(ms),
            packet: p,
        });
        seq += 1;
    }
    tx.offer(FeedItem::End {
        reason: "eof".into(),
    });
    drop(tx);
    w.run(rx);
    stats
}

fn rows(db: &Database) -> Vec<q::RecordingRow> {
    // The recorder's last updates may still be in the writer's batch.
    db.flush_blocking().unwrap();
    db.read_blocking(|c| q::list_range(c, Some(1), 0, i64::MAX, 1000, 0))
        .unwrap()
}

#[test]
fn segments_are_contiguous_valid_and_cut_at_keyframes() {
    let s = setup(10);
    let stats = record(&s, 3_000);
    let rs = rows(&s.db);
    assert!(rs.len() >= 3, "{} segments", rs.len());
    assert_eq!(stats.dropped.load(std::sync::atomic::Ordering::Relaxed), 0);
    let mut total_frames = 0;
    for (i, r) in rs.iter().enumerate() {
        assert_eq!(r.state, "complete");
        assert_eq!(r.codec, "h264");
        assert_eq!((r.width, r.height), (320, 240));
        if i == 0 {
            assert_eq!(r.start_ms, T0);
        } else {
            assert_eq!(r.start_ms, rs[i - 1].end_ms, "segments are contiguous");
        }
        let path = s.root.resolve(&r.path);
        assert_eq!(std::fs::metadata(&path).unwrap().len() as i64, r.bytes);
        total_frames += frames(&path, &[]);
        let kf = vigil_record::index::decode(&r.keyframe_index).unwrap();
        assert_eq!(
            kf[0].offset as i64, r.init_bytes,
            "first fragment is a keyframe right after the init"
        );
    }
    assert_eq!(total_frames, 250, "every frame recorded exactly once");
    let media: i64 = rs.iter().map(|r| r.media_duration_90k).sum();
    assert!(
        (media - 10 * 90_000).abs() <= 90_000 / 25,
        "media time {media}"
    );
}

#[test]
fn a_torn_segment_is_repaired_and_orphans_reconciled() {
    let s = setup(6);
    record(&s, 60_000);
    let r = rows(&s.db).remove(0);
    let path = s.root.resolve(&r.path);
    // Simulate a crash mid-fragment: the file has a partial fragment at its end, and the row was
    // last updated earlier (state still 'recording').
    let full = std::fs::read(&path).unwrap();
    let scan = vigil_media::mp4::scan(&full).unwrap();
    let last = scan.fragments.last().unwrap();
    std::fs::write(&path, &full[..(last.offset + last.len / 2) as usize]).unwrap();
    let id = r.id;
    s.db.write_blocking(move |c| q::set_state(c, id, "recording"))
        .unwrap();
    // An orphan of the same camera (indexed), one of an unknown camera (deleted), and a row
    // whose file is gone (marked missing).
    let orphan_rel = vigil_record::segment_path(1, T0 + 100_000);
    let orphan = s.root.resolve(&orphan_rel);
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, &full).unwrap();
    let stranger = s.root.resolve(&vigil_record::segment_path(99, T0));
    std::fs::create_dir_all(stranger.parent().unwrap()).unwrap();
    std::fs::write(&stranger, &full).unwrap();
    let mut gone = r.clone();
    gone.path = vigil_record::segment_path(1, T0 + 500_000);
    gone.state = "complete".into();
    gone.id = s.db.next_recording_id();
    s.db.write_blocking(move |c| q::insert(c, &gone)).unwrap();

    let report = reconcile::reconcile(&s.db, std::slice::from_ref(&s.root)).unwrap();
    assert_eq!(report.repaired, 1);
    assert_eq!(report.orphans_indexed, 1);
    assert_eq!(report.orphans_deleted, 1);
    assert_eq!(report.marked_missing, 1);
    assert!(!stranger.exists());

    let repaired = s.db.read_blocking(|c| q::get(c, id)).unwrap().unwrap();
    assert_eq!(repaired.state, "repaired");
    assert_eq!(
        repaired.bytes as u64, last.offset,
        "cut back to the last complete fragment"
    );
    assert_eq!(std::fs::metadata(&path).unwrap().len(), last.offset);
    // Lost at most one fragment (about a second) of 6 s.
    assert!(
        repaired.media_duration_90k >= 4 * 90_000,
        "{}",
        repaired.media_duration_90k
    );
    assert!(frames(&path, &[]) >= 100);
    let all = rows(&s.db);
    let o = all.iter().find(|x| x.path == orphan_rel).unwrap();
    assert_eq!((o.codec.as_str(), o.width, o.height), ("h264", 320, 240));
    assert_eq!(o.start_ms, T0 + 100_000);
    // A second pass finds nothing to do.
    assert_eq!(
        reconcile::reconcile(&s.db, std::slice::from_ref(&s.root)).unwrap(),
        Default::default()
    );
    // After a restore from a snapshot, a file of a camera the database does not know stays (the
    // camera may be newer than the snapshot); an ordinary pass deletes it.
    std::fs::write(&stranger, &full).unwrap();
    let kept = reconcile::reconcile_with(&s.db, std::slice::from_ref(&s.root), true).unwrap();
    assert_eq!((kept.orphans_kept, kept.orphans_deleted), (1, 0));
    assert!(stranger.exists());
    let report = reconcile::reconcile(&s.db, std::slice::from_ref(&s.root)).unwrap();
    assert_eq!(report.orphans_deleted, 1);
    assert!(!stranger.exists());
}

#[test]
fn vod_playlist_plays_in_ffmpeg_from_the_asked_instant() {
    let s = setup(10);
    record(&s, 3_000);
    let rs = rows(&s.db);
    let asked = T0 + 4_500;
    // Serve the playlist's pieces as files the way the API serves them: inits as they are, media
    // pieces with their decode times shifted onto the playlist's timeline.
    let dir = s.root.dir.join("vod");
    std::fs::create_dir_all(&dir).unwrap();
    let init_uri = |id: i64| {
        let r = rs.iter().find(|r| r.id == id).unwrap();
        let bytes = std::fs::read(s.root.resolve(&r.path)).unwrap();
        let p = dir.join(format!("init-{id}.mp4"));
        std::fs::write(&p, &bytes[..r.init_bytes as usize]).unwrap();
        p.to_string_lossy().into_owned()
    };
    let media_uri = |piece: &vigil_record::playlist::VodSegment| {
        let r = rs.iter().find(|r| r.id == piece.recording_id).unwrap();
        let bytes = std::fs::read(s.root.resolve(&r.path)).unwrap();
        let init = vigil_media::mp4::scan(&bytes).unwrap().init;
        let mut part = bytes[piece.offset as usize..(piece.offset + piece.len) as usize].to_vec();
        vigil_media::mp4::shift_decode_times(&mut part, &init, piece.shift_ms).unwrap();
        let p = dir.join(format!("m-{}-{}.m4s", piece.recording_id, piece.offset));
        std::fs::write(&p, part).unwrap();
        p.to_string_lossy().into_owned()
    };
    let m =
        vigil_record::playlist::vod_playlist(&rs, asked, T0 + 10_000, init_uri, media_uri).unwrap();
    let list = dir.join("vod.m3u8");
    std::fs::write(&list, &m).unwrap();
    // The first media segment is the GOP holding 4.5 s (4–5 s): 6 s of video from there, every
    // frame decoded across the change of file.
    let n = frames(
        &list,
        &["-allowed_extensions", "ALL", "-protocol_whitelist", "file"],
    );
    assert_eq!(n, 150, "{n} frames from 4 s to 10 s\n{m}");
    assert!(m.contains("#EXT-X-START:TIME-OFFSET=0.500"), "{m}");
    let o = Command::new("ffmpeg")
        .args([
            "-hide_banner",
            "-v",
            "error",
            "-allowed_extensions",
            "ALL",
            "-protocol_whitelist",
            "file",
            "-i",
        ])
        .arg(&list)
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn export_copies_the_asked_range() {
    let s = setup(10);
    record(&s, 3_000);
    let rs: Vec<_> = rows(&s.db)
        .into_iter()
        .map(|r| {
            let p = s.root.resolve(&r.path);
            (r, p)
        })
        .collect();
    let out = s.root.dir.join("clip.mp4");
    let mut seen = vec![];
    let sum =
        vigil_record::export::export_clip(&rs, T0 + 2_500, T0 + 7_500, &out, |p| seen.push(p))
            .unwrap();
    assert_eq!(
        sum.start_ms,
        T0 + 2_000,
        "starts at the keyframe before the asked start"
    );
    assert_eq!(seen.last().copied(), Some(1.0));
    // 2.0 s to 7.5 s = 5.5 s at 25 fps.
    let n = frames(&out, &[]);
    assert!((135..=140).contains(&n), "{n} frames");
    let o = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-show_entries",
            "format=format_name",
            "-of",
            "csv=p=0",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("mp4"));
}

#[test]
fn clock_jumps_never_overlap_or_go_negative() {
    // The wall clock jumps back an hour at 4 s, then forward two hours at 7 s.
    let s = setup(10);
    record_with_clock(&s, 2_000, |ms| match ms {
        m if m < 4_000 => m,
        m if m < 7_000 => m - 3_600_000,
        m => m + 7_200_000,
    });
    let rs = rows(&s.db);
    assert!(rs.len() >= 4);
    for w in rs.windows(2) {
        assert!(
            w[1].start_ms >= w[0].end_ms,
            "no overlap: {:?}",
            rs.iter()
                .map(|r| (r.start_ms, r.end_ms))
                .collect::<Vec<_>>()
        );
    }
    for r in &rs {
        assert!(r.end_ms >= r.start_ms);
    }
    // The backward jump is recorded and absorbed; the forward one is recorded and leaves a gap.
    let back = rs
        .iter()
        .find(|r| r.clock_jump_ms < 0)
        .expect("backward jump recorded");
    assert!(back.clock_jump_ms <= -3_500_000, "{}", back.clock_jump_ms);
    let fwd = rs
        .iter()
        .find(|r| r.clock_jump_ms > 0)
        .expect("forward jump recorded");
    assert!(fwd.start_ms >= T0 + 7_200_000);
    let media: i64 = rs.iter().map(|r| r.media_duration_90k).sum();
    assert!(
        (media - 10 * 90_000).abs() <= 90_000 / 25,
        "no media lost: {media}"
    );
}

/// The recorder's fsync schedule in simulated time: packets pushed one at a time, the clock
/// moved on by each packet's duration, so every decision is made at a known instant.
fn record_in_simulated_time(s: &Setup, sync_interval_ms: u64) -> (Arc<RecorderStats>, Vec<i64>) {
    let clock = SimulatedClock::new(T0);
    let mut cfg = RecorderConfig::new(s.root.clone());
    cfg.segment_ms = 60_000;
    cfg.sync_interval_ms = sync_interval_ms;
    let stats = Arc::new(RecorderStats::default());
    let mut rec = SegmentWriter::new(
        1,
        cfg,
        s.db.clone(),
        Arc::new(clock.clone()),
        stats.clone(),
        Arc::new(|_| {}),
    )
    .into_steps();
    let mut d = Demuxer::open(
        SourceSpec::File {
            path: s.src.clone(),
        },
        || false,
    )
    .unwrap();
    rec.push(FeedItem::Session(d.session().clone()));
    // When (simulated monotonic ms) each sync happened.
    let mut sync_times = vec![];
    let mut seq = 0;
    while let Some(p) = d.next_packet().unwrap() {
        clock.advance(std::time::Duration::from_millis(40));
        let before = stats.syncs.load(std::sync::atomic::Ordering::Relaxed);
        rec.push(FeedItem::Packet {
            seq,
            arrival_ms: vigil_base::Clock::now_ms(&clock),
            packet: p,
        });
        if stats.syncs.load(std::sync::atomic::Ordering::Relaxed) > before {
            sync_times.push(clock.uptime().as_millis() as i64);
        }
        seq += 1;
    }
    rec.finish();
    (stats, sync_times)
}

#[test]
fn fsyncs_follow_the_sync_interval_in_simulated_time() {
    // 10 s at 25 fps with a keyframe (and so a fragment) every second.
    let s = setup(10);
    let (stats, syncs) = record_in_simulated_time(&s, 3_000);
    assert!(
        syncs.windows(2).all(|w| w[1] - w[0] >= 3_000),
        "never more often than the interval: {syncs:?}"
    );
    assert!(
        syncs.windows(2).all(|w| w[1] - w[0] <= 3_000 + 1_000),
        "at most a fragment later than due: {syncs:?}"
    );
    assert!(
        (2..=3).contains(&syncs.len()),
        "10 s with a 3 s interval: {syncs:?}"
    );
    // The segment's end is synced too (finish), and the index covers exactly the file.
    assert_eq!(
        stats.syncs.load(std::sync::atomic::Ordering::Relaxed),
        syncs.len() as u64 + 1
    );
    let r = rows(&s.db).remove(0);
    assert_eq!(r.state, "complete");
    assert_eq!(
        std::fs::metadata(s.root.resolve(&r.path)).unwrap().len() as i64,
        r.bytes
    );

    // Interval 0: every fragment is synced as it is written (one a second).
    let s = setup(10);
    let (_, syncs) = record_in_simulated_time(&s, 0);
    assert!(
        syncs
            .windows(2)
            .all(|w| (960..=1_040).contains(&(w[1] - w[0]))),
        "{syncs:?}"
    );
    assert!((8..=10).contains(&syncs.len()), "{syncs:?}");
}
