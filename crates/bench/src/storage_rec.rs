//! `storage --parts recording` — recording while the mover runs flat out. N cameras record 2 s
//! segments onto a hot tier whose footage moves to a warm tier after 2 s (Vigil's own mover,
//! in-process, on every segment: a maintenance pass every second), while the storage crate's
//! mover, in this process on the same disk, moves batches of 16 × 8 MiB segments hot → warm back
//! to back (seeding the next batch between passes) for the whole window — the disk never rests.
//! Vigil's own backlog cannot keep a mover busy (it records ~2 MB/s; the mover moves hundreds of
//! MB/s), so the flat-out load is this second mover; the first proves the in-process path.
//! Measured: recorder drops; the recording path's CPU (per thread from /proc) with the movers
//! and, first, with storage quiet, against one `ffmpeg -c copy -f segment` per camera (2 s
//! segments, the same window, run after, without the load); the whole process's CPU; what both
//! movers moved.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

use super::{Rtsp, Vigil, bench_clip, ffmpeg_baseline, procstat};

pub async fn run(cameras: usize, seconds: u64, base: &std::path::Path) -> Result<()> {
    let clip = bench_clip(seconds + 60)?;
    std::fs::create_dir_all(base)?;
    let warm = tempfile::tempdir_in(base)?;
    let tiers = |hot_age: &str| {
        json!({"check_interval": "10s", "tiers": [
            {"name": "hot", "max_age": hot_age, "reserve_free": "0B"},
            {"name": "warm", "path": warm.path(), "reserve_free": "0B"}]})
    };
    eprintln!("== {cameras} camera(s) recording while the mover runs");
    let rtsp = Rtsp::start(&clip, cameras)?;
    let v = Vigil::start(&format!(
        "segment_seconds = 2\n[storage]\ncheck_interval = \"10s\"\n[[storage.tiers]]\nname = \"hot\"\n\
         max_age = \"1h\"\nreserve_free = \"0B\"\n[[storage.tiers]]\nname = \"warm\"\npath = \"{}\"\n\
         reserve_free = \"0B\"\n",
        warm.path().display()
    ))?;
    let mut ids = vec![];
    for i in 0..cameras {
        let c = v
            .call(
                reqwest::Method::POST,
                "/api/v1/cameras",
                Some(json!({"name": format!("cam{i}"), "source": {"kind": "rtsp", "url": rtsp.url(i)}})),
            )
            .await?;
        ids.push(c["data"]["id"].as_i64().context("id")?);
    }
    v.wait_running(&ids).await?;
    // First the same cameras with storage quiet (no mover, no passes): the recording path's
    // CPU to compare with.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let quiet0 = procstat::threads(v.pid())?;
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let quiet = recording_cpu(&quiet0, &procstat::threads(v.pid())?);
    v.call(reqwest::Method::PUT, "/api/v1/storage", Some(tiers("2s")))
        .await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    // The flat-out mover: its own index and files, on the same disk.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let load = {
        let (stop, dir) = (stop.clone(), tempfile::tempdir_in(base)?);
        std::thread::spawn(move || -> Result<(u64, f64)> {
            let db = super::storage::open_db(dir.path())?;
            let hot = dir.path().join("recordings");
            let config = vigil_storage::StorageConfig {
                tiers: vec![
                    super::storage::hot_tier(3_600),
                    vigil_storage::config::TierConfig {
                        name: "warm".into(),
                        path: Some(dir.path().join("warm")),
                        reserve_free: Some(vigil_storage::Size::bytes(0)),
                        ..Default::default()
                    },
                ],
                ..Default::default()
            };
            let storage = super::storage::open_storage(&db, &hot, config)?;
            let (mut bytes, mut busy) = (0u64, 0.0);
            let mut k = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let files = super::storage::seed_from(&db, &hot, 16, 8, k)?;
                k += 1;
                let t = Instant::now();
                let r = storage.run_pass().map_err(|e| anyhow::anyhow!("{e}"))?;
                busy += t.elapsed().as_secs_f64();
                bytes += r.bytes_moved;
                // The moved copies go, so the disk does not fill.
                let _ = std::fs::remove_dir_all(dir.path().join("warm/1"));
                drop(files);
            }
            Ok((bytes, busy))
        })
    };
    let t0 = procstat::cpu_seconds(&[v.pid()])?;
    let threads0 = procstat::threads(v.pid())?;
    let w0 = Instant::now();
    let (mut moved, mut bytes, mut passes, mut failed) = (0u64, 0u64, 0u64, 0u64);
    while w0.elapsed() < Duration::from_secs(seconds) {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let r = v
            .call(
                reqwest::Method::POST,
                "/api/v1/storage/maintenance",
                Some(json!({})),
            )
            .await?;
        moved += r["data"]["moved"].as_u64().unwrap_or(0);
        failed += r["data"]["failed"].as_u64().unwrap_or(0);
        bytes += r["data"]["bytes_moved"].as_u64().unwrap_or(0);
        passes += 1;
    }
    let window = w0.elapsed().as_secs_f64();
    let vigil_cpu = procstat::cpu_seconds(&[v.pid()])? - t0;
    let threads = procstat::threads(v.pid())?;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (load_bytes, load_busy) = load
        .join()
        .map_err(|_| anyhow::anyhow!("the load mover panicked"))??;
    let dropped = v.recorder_drops(&ids).await?;
    drop(v);
    drop(rtsp);
    eprintln!("== {cameras} camera(s): ffmpeg baseline (2 s segments)");
    let rtsp = Rtsp::start(&clip, cameras)?;
    let (ffmpeg_cpu, _) = ffmpeg_baseline(&rtsp, cameras, seconds, window, 2).await?;
    println!(
        "\nRecording while the mover runs flat out ({cameras} × 1080p25 4 Mbit/s cameras, 2 s segments, \
         {window:.0} s window, {} cores)",
        procstat::cores()
    );
    println!("| | value |");
    println!("|---|---|");
    println!(
        "| flat-out mover (same disk): moved | {:.0} MB, {:.0} MB/s while moving, busy {:.0}% of the window |",
        load_bytes as f64 / 1e6,
        load_bytes as f64 / 1e6 / load_busy.max(1e-9),
        100.0 * load_busy / window
    );
    println!(
        "| Vigil's own mover: segments moved hot → warm (a pass a second) | {moved} in {passes} passes, {:.0} MB |",
        bytes as f64 / 1e6
    );
    println!("| moves failed | {failed} |");
    println!("| recorder drops | {dropped} |");
    // Where Vigil's time went, by thread name (threads alive at the end; the rest ended): the
    // recording path (see `recording_cpu`), then the API serving the bench's requests, the
    // maintenance passes they run (tokio's blocking pool, also named `vigil`), heartbeats.
    let mut by: Vec<(String, f64)> = threads
        .iter()
        .map(|(n, s)| (n.clone(), s - threads0.get(n).copied().unwrap_or(0.0)))
        .filter(|(_, s)| *s >= 0.005)
        .collect();
    by.sort_by(|a, b| b.1.total_cmp(&a.1));
    let listed: f64 = by.iter().map(|(_, s)| s).sum();
    let recording = recording_cpu(&threads0, &threads);
    let parts: Vec<String> = by.iter().map(|(n, s)| format!("{n} {s:.2}")).collect();
    println!(
        "| Vigil CPU by thread | {}; threads that ended {:.2} s |",
        parts.join(", "),
        (vigil_cpu - listed).max(0.0)
    );
    println!("| ffmpeg CPU (recording only) | {ffmpeg_cpu:.2} s |");
    println!(
        "| **recording path (ingest, record, db-writer) / ffmpeg CPU** | **{:.2}×** (target ≤ 0.5×) |",
        recording / ffmpeg_cpu
    );
    println!(
        "| the same, storage quiet (same cameras, before the movers started) | {:.2}× ({quiet:.2} s; {recording:.2} s with the movers) |",
        quiet / ffmpeg_cpu
    );
    println!(
        "| whole Vigil process (recording + {passes} API-driven passes and their moves) / ffmpeg | {:.2}× ({vigil_cpu:.2} s) |",
        vigil_cpu / ffmpeg_cpu
    );
    Ok(())
}

/// CPU seconds of the recording path between two per-thread readings: each camera's ingest
/// thread (RTSP, with Retina's runtime inside it), its recorder thread, the database writer.
fn recording_cpu(
    before: &std::collections::BTreeMap<String, f64>,
    after: &std::collections::BTreeMap<String, f64>,
) -> f64 {
    ["ingest", "record", "db-writer"]
        .iter()
        .map(|n| after.get(*n).copied().unwrap_or(0.0) - before.get(*n).copied().unwrap_or(0.0))
        .sum()
}
