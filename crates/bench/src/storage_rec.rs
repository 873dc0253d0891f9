//! `storage --parts recording` — recording while the mover runs flat out. N cameras record 2 s
//! segments for a warm-up window onto a hot tier that keeps footage an hour, building a backlog;
//! then hot's `max_age` drops to 1 s (through `PUT /storage`) and maintenance passes run back to
//! back (`POST /storage/maintenance`) for the measured window, moving the backlog and every new
//! segment to a warm tier on the same disk while recording goes on. Measured: recorder drops,
//! Vigil's CPU (recording *and* moving) against one `ffmpeg -c copy -f segment` per camera
//! (2 s segments, the same window, run after), and what the mover moved.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

use super::{Rtsp, Vigil, bench_clip, ffmpeg_baseline, procstat};

pub async fn run(cameras: usize, seconds: u64, base: &std::path::Path) -> Result<()> {
    let clip = bench_clip(2 * seconds + 60)?;
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
    eprintln!("   building a backlog for {seconds} s");
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    v.call(reqwest::Method::PUT, "/api/v1/storage", Some(tiers("1s")))
        .await?;
    let t0 = procstat::cpu_seconds(&[v.pid()])?;
    let w0 = Instant::now();
    let (mut moved, mut bytes, mut passes) = (0u64, 0u64, 0u64);
    while w0.elapsed() < Duration::from_secs(seconds) {
        let r = v
            .call(
                reqwest::Method::POST,
                "/api/v1/storage/maintenance",
                Some(json!({})),
            )
            .await?;
        moved += r["data"]["moved"].as_u64().unwrap_or(0);
        bytes += r["data"]["bytes_moved"].as_u64().unwrap_or(0);
        passes += 1;
    }
    let window = w0.elapsed().as_secs_f64();
    let vigil_cpu = procstat::cpu_seconds(&[v.pid()])? - t0;
    let mut dropped = 0;
    for id in &ids {
        let s = v
            .call(
                reqwest::Method::GET,
                &format!("/api/v1/cameras/{id}/status"),
                None,
            )
            .await?;
        dropped += s["data"]["recording"]["dropped_packets"]
            .as_u64()
            .unwrap_or(0);
    }
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
        "| mover: segments moved hot → warm (passes back to back) | {moved} in {passes} passes, {:.0} MB, {:.1} MB/s |",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / window
    );
    println!("| recorder drops | {dropped} |");
    println!("| Vigil CPU (recording + moving) | {vigil_cpu:.2} s |");
    println!("| ffmpeg CPU (recording only) | {ffmpeg_cpu:.2} s |");
    println!(
        "| **Vigil / ffmpeg CPU** | **{:.2}×** (target ≤ 0.5×) |",
        vigil_cpu / ffmpeg_cpu
    );
    Ok(())
}
