//! `storage` — the storage engine against its baselines, each in the same run:
//! - **mover**: moving N segment files hot → warm through the journaled mover (copy, fsync,
//!   read-back SHA-256, rename, durable switch, unlink) against `cp` of the same files to the same
//!   disk followed by `sync` (cp alone would leave the data in the page cache, which is not a
//!   move). Both start with the sources in the page cache (read once before each).
//! - **upload**: archiving N files to a real S3-compatible server (moto's, on 127.0.0.1) through
//!   the mover (multipart upload, `HEAD` check, switch, unlink) against `curl -T` of the same files
//!   to the same server, one after another.
//! - **plan**: planning a maintenance pass (index read + plan) over an index of 1,000,000 segments
//!   on three tiers with retention, locks and events; and the index side of `GET /storage`
//!   (usage per tier and camera, last-hour bitrate, spans) over the same index.
//!
//! The work happens under `--dir` (default `target/bench-storage`, on the repository's disk, not
//! a tmpfs).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use vigil_base::SimulatedClock;
use vigil_db::Database;
use vigil_db::recordings::{self as rq, RecordingRow};
use vigil_storage::config::{ArchiveConfig, RetentionConfig, TierConfig};
use vigil_storage::{ArchiveCredentials, Size, Span, Storage, StorageConfig};
use vigil_testkit::moto::MotoServer;

const T0: i64 = 1_764_000_000_000;
const DAY: i64 = 86_400_000;

pub struct Opts {
    pub parts: Vec<String>,
    pub files: usize,
    pub mib: usize,
    pub segments: usize,
    pub dir: Option<PathBuf>,
}

pub fn run(o: &Opts) -> Result<()> {
    let all = o.parts.iter().any(|p| p == "all");
    let want = |p: &str| all || o.parts.iter().any(|x| x == p);
    let base = o
        .dir
        .clone()
        .unwrap_or_else(|| super::root().join("target/bench-storage"));
    std::fs::create_dir_all(&base)?;
    let work = tempfile::tempdir_in(&base)?;
    println!(
        "\nStorage ({} cores; work under {})",
        super::procstat::cores(),
        base.display()
    );
    if want("mover") {
        mover(work.path(), o.files, o.mib)?;
    }
    if want("upload") {
        upload(work.path(), o.files.min(32), o.mib)?;
    }
    if want("plan") {
        plan(work.path(), o.segments)?;
    }
    Ok(())
}

pub(crate) fn open_db(dir: &Path) -> Result<Database> {
    std::fs::create_dir_all(dir)?;
    let db = Database::open(&dir.join("vigil.db")).map_err(|e| anyhow::anyhow!("{e}"))?;
    db.write_blocking(|c| {
        for id in 1..=16 {
            c.execute(
                "INSERT INTO camera (id, name, source_kind, source_json, created_at_ms, updated_at_ms) \
                 VALUES (?1, ?2, 'file', '{}', 1, 1)",
                vigil_db::rusqlite::params![id, format!("cam{id}")],
            )
            .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
        }
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(db)
}

fn row(camera: i64, root: &str, path: String, at: i64, bytes: i64) -> RecordingRow {
    RecordingRow {
        id: 0,
        camera_id: camera,
        root: root.into(),
        path,
        tier: root.into(),
        state: "complete".into(),
        start_ms: at,
        end_ms: at + 60_000,
        media_duration_90k: 60 * 90_000,
        bytes,
        init_bytes: 100,
        codec: "h264".into(),
        width: 1920,
        height: 1080,
        keyframe_index: vec![0, 0],
        clock_jump_ms: 0,
        created_at_ms: at,
    }
}

/// `n` files of `mib` MiB of incompressible bytes under `hot/`, indexed.
fn seed(db: &Database, hot: &Path, n: usize, mib: usize) -> Result<Vec<PathBuf>> {
    seed_from(db, hot, n, mib, 0)
}

/// [`seed`], the `k`-th batch (distinct names and times).
pub(crate) fn seed_from(
    db: &Database,
    hot: &Path,
    n: usize,
    mib: usize,
    k: usize,
) -> Result<Vec<PathBuf>> {
    let mut files = vec![];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut rows = vec![];
    for i in k * n..(k + 1) * n {
        let rel = format!("1/2025-11-24/10/{}.mp4", T0 - DAY + i as i64 * 60_000);
        let p = hot.join(&rel);
        std::fs::create_dir_all(p.parent().context("parent")?)?;
        let mut buf = vec![0u8; mib << 20];
        for chunk in buf.chunks_mut(8) {
            // xorshift: fast, incompressible enough for a disk
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let b = state.to_le_bytes();
            chunk.copy_from_slice(&b[..chunk.len()]);
        }
        std::fs::write(&p, &buf)?;
        rows.push(row(
            1,
            "hot",
            rel,
            T0 - DAY + i as i64 * 60_000,
            buf.len() as i64,
        ));
        files.push(p);
    }
    db.write_blocking(move |c| {
        for r in &rows {
            rq::insert(c, r)?;
        }
        Ok(())
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    Command::new("sync").status()?;
    Ok(files)
}

/// Read every file once, so each contestant starts with them in the page cache.
fn warm(files: &[PathBuf]) -> Result<()> {
    for f in files {
        std::fs::read(f)?;
    }
    Ok(())
}

pub(crate) fn open_storage(
    db: &Database,
    recordings: &Path,
    config: StorageConfig,
) -> Result<Storage> {
    let clock = SimulatedClock::new(T0);
    Storage::open(
        db.clone(),
        Arc::new(clock),
        recordings,
        config,
        Some(ArchiveCredentials {
            access_key_id: "bench".into(),
            secret_access_key: "bench-secret".into(),
        }),
        Arc::new(|_| {}),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
}

pub(crate) fn hot_tier(max_age_s: u64) -> TierConfig {
    TierConfig {
        name: "hot".into(),
        max_age: Some(Span::from_secs(max_age_s)),
        reserve_free: Some(Size::bytes(0)),
        ..Default::default()
    }
}

fn mover(work: &Path, n: usize, mib: usize) -> Result<()> {
    let dir = work.join("mover");
    let db = open_db(&dir)?;
    let hot = dir.join("recordings");
    let warm_dir = dir.join("warm");
    let config = StorageConfig {
        tiers: vec![
            hot_tier(3_600),
            TierConfig {
                name: "warm".into(),
                path: Some(warm_dir.clone()),
                reserve_free: Some(Size::bytes(0)),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let storage = open_storage(&db, &hot, config)?;
    let files = seed(&db, &hot, n, mib)?;
    let total = (n * mib) as f64;

    warm(&files)?;
    let cp_dir = dir.join("cp");
    std::fs::create_dir_all(&cp_dir)?;
    let t = Instant::now();
    let st = Command::new("cp")
        .args(files.iter())
        .arg(&cp_dir)
        .status()?;
    let st2 = Command::new("sync").arg("-f").arg(&cp_dir).status()?;
    let cp_s = t.elapsed().as_secs_f64();
    if !st.success() || !st2.success() {
        bail!("cp failed");
    }
    // A move also deletes its source: the same removal, timed, completes the baseline.
    let t = Instant::now();
    std::fs::remove_dir_all(&cp_dir)?;
    Command::new("sync").arg("-f").arg(&dir).status()?;
    let rm_s = t.elapsed().as_secs_f64();

    warm(&files)?;
    let t = Instant::now();
    let report = storage.run_pass().map_err(|e| anyhow::anyhow!("{e}"))?;
    let mover_s = t.elapsed().as_secs_f64();
    if report.moved != n {
        bail!("the mover moved {} of {n}: {report:?}", report.moved);
    }
    println!(
        "\nMover, local → local ({n} files × {mib} MiB, same disk; both from the page cache, both durable)"
    );
    println!("| | seconds | MB/s |");
    println!("|---|---|---|");
    println!(
        "| `cp` + `sync -f` | {cp_s:.2} | {:.0} |",
        total * 1.048_576 / cp_s
    );
    println!(
        "| `cp` + `sync -f`, then `rm` + `sync -f` (what a move also does) | {:.2} | {:.0} |",
        cp_s + rm_s,
        total * 1.048_576 / (cp_s + rm_s)
    );
    println!(
        "| Vigil mover (kernel copy, fsync, size check, rename, durable switch, unlink) | {mover_s:.2} | {:.0} |",
        total * 1.048_576 / mover_s
    );
    println!(
        "| **mover throughput / cp** | **{:.2}×** (target ≥ 0.8×) | |",
        cp_s / mover_s
    );
    println!(
        "| mover throughput / (cp, then rm) | {:.2}× | |",
        (cp_s + rm_s) / mover_s
    );
    Ok(())
}

fn upload(work: &Path, n: usize, mib: usize) -> Result<()> {
    let s3 = MotoServer::start();
    s3.create_bucket("bench");
    let dir = work.join("upload");
    let db = open_db(&dir)?;
    let hot = dir.join("recordings");
    let config = StorageConfig {
        tiers: vec![hot_tier(60)],
        archive: Some(ArchiveConfig {
            url: "s3://bench/vigil".into(),
            endpoint: Some(s3.endpoint()),
            ..Default::default()
        }),
        retention: RetentionConfig::default(),
        ..Default::default()
    };
    let storage = open_storage(&db, &hot, config)?;
    let files = seed(&db, &hot, n, mib)?;
    let total = (n * mib) as f64;

    warm(&files)?;
    let t = Instant::now();
    for (i, f) in files.iter().enumerate() {
        let st = Command::new("curl")
            .args(["-sS", "-f", "-o", "/dev/null", "-T"])
            .arg(f)
            .arg(format!("{}/bench/curl/{i}.mp4", s3.endpoint()))
            .status()
            .context("curl")?;
        if !st.success() {
            bail!("curl -T failed");
        }
    }
    let curl_s = t.elapsed().as_secs_f64();

    warm(&files)?;
    let t = Instant::now();
    let report = storage.run_pass().map_err(|e| anyhow::anyhow!("{e}"))?;
    let vigil_s = t.elapsed().as_secs_f64();
    if report.moved != n {
        bail!("the archive got {} of {n}: {report:?}", report.moved);
    }
    println!(
        "\nArchive upload ({n} files × {mib} MiB to moto's S3 server on 127.0.0.1, one after another)"
    );
    println!("| | seconds | MB/s |");
    println!("|---|---|---|");
    println!(
        "| `curl -T` (unsigned PUT) | {curl_s:.2} | {:.0} |",
        total * 1.048_576 / curl_s
    );
    println!(
        "| Vigil mover (signed PUT, multipart above 8 MiB; HEAD check, switch, unlink) | {vigil_s:.2} | {:.0} |",
        total * 1.048_576 / vigil_s
    );
    println!(
        "| **upload throughput / curl** | **{:.2}×** (target ≥ 0.8×) | |",
        curl_s / vigil_s
    );
    Ok(())
}

fn plan(work: &Path, n: usize) -> Result<()> {
    let dir = work.join("plan");
    let db = open_db(&dir)?;
    let hot = dir.join("recordings");
    // 16 cameras' minute segments, newest on hot, older on warm, oldest on cold.
    let t = Instant::now();
    let per_cam = n / 16;
    db.write_blocking(move |c| {
        let tx = c
            .transaction()
            .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
        for cam in 1..=16i64 {
            for i in 0..per_cam as i64 {
                let at = T0 - (per_cam as i64 - i) * 60_000;
                let age_days = (T0 - at) / DAY;
                let tier = match age_days {
                    0..7 => "hot",
                    7..30 => "warm",
                    _ => "cold",
                };
                rq::insert(
                    &tx,
                    &row(cam, tier, format!("{cam}/x/{at}.mp4"), at, 4_000_000),
                )?;
            }
        }
        // An event every ten minutes on camera 1, and a lock a day on camera 2.
        for k in 0..(per_cam as i64 / 10) {
            let at = T0 - k * 600_000;
            tx.execute(
                "INSERT INTO alert (type, severity, camera_id, message, created_at_ms) \
                 VALUES ('detection', 'info', 1, 'person', ?1)",
                [at],
            )
            .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
        }
        for d in 0..(per_cam as i64 / 1_440) {
            let at = T0 - d * DAY;
            tx.execute(
                "INSERT INTO footage_lock (camera_id, start_ms, end_ms, reason, created_at_ms) \
                 VALUES (2, ?1, ?2, 'bench', 0)",
                [at - 600_000, at],
            )
            .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
        }
        tx.commit().map_err(|e| vigil_base::err!(Internal, "{e}"))
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    eprintln!(
        "   index of {} segments built in {:.1} s",
        per_cam * 16,
        t.elapsed().as_secs_f64()
    );
    let tier = |name: &str, age: u64| TierConfig {
        name: name.into(),
        path: (name != "hot").then(|| dir.join(name)),
        max_age: Some(Span::from_days(age)),
        reserve_free: Some(Size::bytes(0)),
        ..Default::default()
    };
    let config = StorageConfig {
        tiers: vec![tier("hot", 7), tier("warm", 30), tier("cold", 365)],
        retention: RetentionConfig {
            continuous: Some(Span::from_days(30)),
            events: Some(Span::from_days(90)),
            ..Default::default()
        },
        ..Default::default()
    };
    let storage = open_storage(&db, &hot, config)?;
    let mut plan_ms = vec![];
    let mut ops = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let p = storage.plan().map_err(|e| anyhow::anyhow!("{e}"))?;
        plan_ms.push(t.elapsed().as_secs_f64() * 1e3);
        ops = p.ops.len();
    }
    let mut usage_ms = vec![];
    for _ in 0..20 {
        let t = Instant::now();
        storage.usage().map_err(|e| anyhow::anyhow!("{e}"))?;
        usage_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let med = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "\nPlanning over an index of {} segments (16 cameras, 3 tiers, retention, events, locks)",
        per_cam * 16
    );
    println!("| | median | worst | target |");
    println!("|---|---|---|---|");
    println!(
        "| plan a maintenance pass ({ops} ops) | {:.0} ms | {:.0} ms | ≤ 1 s |",
        med(&mut plan_ms.clone()),
        plan_ms.iter().copied().fold(0.0, f64::max)
    );
    println!(
        "| the index side of `GET /storage` (usage per tier and camera, bitrate, spans) | {:.0} ms | {:.0} ms | ≤ 50 ms |",
        med(&mut usage_ms.clone()),
        usage_ms.iter().copied().fold(0.0, f64::max)
    );
    Ok(())
}
