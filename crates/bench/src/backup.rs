//! `backup`: `vigil backup` of a database indexing N segments (default 1,000,000) while cameras
//! record. The index is seeded before Vigil starts (rows of a camera out of service, marked
//! `missing` so start-up does not look for their files; each with a keyframe index the size of a
//! minute's), then M cameras (default 4) record 2 s segments from the RTSP server. Measured: the
//! backup's wall time and size, and the recorders' drops and packet-to-write latency during it,
//! against a quiet window of the same length just before (the baseline of the same run).

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;
use vigil_db::rusqlite::params;

use crate::isolation::{quantile, scrape};
use crate::{Rtsp, Vigil, bench_clip, vigil_bin};

/// Seed `segments` recording rows of one camera into a new database at `dir`.
fn seed(dir: &std::path::Path, segments: u64) -> Result<()> {
    let db = vigil_db::Database::open(&dir.join("vigil.db")).map_err(|e| anyhow::anyhow!("{e}"))?;
    db.write_blocking(move |c| {
        let tx = c.transaction().map_err(|e| vigil_base::err!(Internal, "{e}"))?;
        tx.execute(
            "INSERT INTO camera (id, name, source_kind, source_json, enabled, created_at_ms, \
             updated_at_ms) VALUES (1000, 'archive of a camera', 'file', '{\"kind\":\"file\",\"path\":\"/x.mp4\"}', 0, 0, 0)",
            [],
        )
        .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
        {
            let mut st = tx
                .prepare(
                    "INSERT INTO recording (camera_id, root, path, tier, state, start_ms, end_ms, \
                     media_duration_90k, bytes, init_bytes, codec, width, height, keyframe_index, \
                     created_at_ms) VALUES (1000, 'hot', ?1, 'hot', 'missing', ?2, ?3, 5400000, \
                     2000000, 900, 'h264', 1920, 1080, ?4, ?2)",
                )
                .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
            // A minute with a keyframe every 2 s: 30 entries of two varints.
            let index: Vec<u8> = (0..30).flat_map(|_| [0xb0, 0x9a, 0x01, 0xa0, 0x8d, 0x06]).collect();
            let t0: i64 = 1_700_000_000_000;
            for i in 0..segments as i64 {
                let start = t0 + i * 60_000;
                let path = format!("1000/{}/{start}.mp4", start / 86_400_000);
                st.execute(params![path, start, start + 60_000, index])
                    .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
            }
        }
        tx.commit().map_err(|e| vigil_base::err!(Internal, "{e}"))
    })
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    db.close().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

pub async fn run(segments: u64, cameras: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    eprintln!("== seeding {segments} segments");
    let t = Instant::now();
    let d = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || seed(&d, segments)).await??;
    let db_bytes = std::fs::metadata(dir.path().join("vigil.db"))?.len();
    eprintln!(
        "   seeded in {:.1} s ({:.0} MB)",
        t.elapsed().as_secs_f64(),
        db_bytes as f64 / 1e6
    );

    let clip = bench_clip(600)?;
    let rtsp = Rtsp::start(&clip, cameras)?;
    let data = dir.path().to_path_buf();
    let v = Vigil::start_in(
        dir,
        "segment_seconds = 2\nbackup_keep = 0\n",
        &[("VIGIL_DETECTION", "off")],
        &[],
    )?;
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
    tokio::time::sleep(Duration::from_secs(5)).await;

    // The backup first (its length sets the quiet window's), then the quiet window.
    let dest = data.join("bench-backup.db");
    let before = scrape(&v).await?;
    let drops0 = v.recorder_drops(&ids).await?;
    let t = Instant::now();
    let out = tokio::process::Command::new(vigil_bin()?)
        .args(["backup", "--data-dir"])
        .arg(&data)
        .arg(&dest)
        .output()
        .await?;
    let took = t.elapsed();
    anyhow::ensure!(
        out.status.success(),
        "vigil backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Writes whose latency the backup could have touched land within a flush after it.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = scrape(&v).await?;
    let drops1 = v.recorder_drops(&ids).await?;
    let size = std::fs::metadata(&dest)?.len();

    let quiet_len = took.max(Duration::from_secs(5));
    let q0 = scrape(&v).await?;
    tokio::time::sleep(quiet_len + Duration::from_secs(2)).await;
    let q1 = scrape(&v).await?;
    let drops2 = v.recorder_drops(&ids).await?;

    let (b50, bn) = quantile(&before, &after, 0.50);
    let (b99, _) = quantile(&before, &after, 0.99);
    let (q50, qn) = quantile(&q0, &q1, 0.50);
    let (q99, _) = quantile(&q0, &q1, 0.99);
    println!();
    println!(
        "backup of a database indexing {segments} segments, {cameras} cameras recording (2 s segments)"
    );
    println!(
        "  database {:.0} MB; backup {:.0} MB in {:.1} s ({})",
        db_bytes as f64 / 1e6,
        size as f64 / 1e6,
        took.as_secs_f64(),
        String::from_utf8_lossy(&out.stdout).trim()
    );
    println!("  | window | recorder drops | writes | write latency p50 | p99 |");
    println!("  |---|---|---|---|---|");
    println!(
        "  | quiet (baseline, {:.1} s) | {} | {qn} | {q50} | {q99} |",
        quiet_len.as_secs_f64() + 2.0,
        drops2 - drops1
    );
    println!(
        "  | during the backup | {} | {bn} | {b50} | {b99} |",
        drops1 - drops0
    );
    Ok(())
}
