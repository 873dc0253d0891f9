//! `scripts/bench.sh record`: recording CPU and memory per camera against one
//! `ffmpeg -rtsp_transport tcp -c copy -f segment` per camera, for the plain bench clip and (issue
//! 16) clips with B-frames in H.264 and H.265.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde_json::json;

use super::{BenchCodec, Rtsp, Vigil, bench_clip, bench_clip_coded, ffmpeg_baseline, procstat};

struct Row {
    clip: &'static str,
    cameras: usize,
    vigil_cpu_s: f64,
    ffmpeg_cpu_s: f64,
    rss_per_camera_mb: f64,
    ffmpeg_rss_per_camera_mb: f64,
    window_s: f64,
}

pub(crate) async fn record(
    cameras: &[usize],
    seconds: u64,
    fsync_ms: u64,
    bframe_cameras: usize,
) -> Result<()> {
    let mut runs = vec![];
    let plain = bench_clip(seconds + 60)?;
    for &n in cameras {
        runs.push(("H.264, no B-frames", BenchCodec::H264, plain.clone(), n));
    }
    if bframe_cameras > 0 {
        // Cameras with B-frames: decode times derived from the reorder depth on Vigil's own
        // RTSP client (issue 16); ffmpeg's demuxer parses them from the bitstream.
        for (label, codec) in [
            ("H.264, B-frames", BenchCodec::H264),
            ("H.265, B-frames", BenchCodec::H265),
        ] {
            let clip = bench_clip_coded(seconds + 60, codec, true)?;
            runs.push((label, codec, clip, bframe_cameras));
        }
    }
    let mut rows = vec![];
    for (label, codec, clip, n) in runs {
        eprintln!("== {label}, {n} camera(s): Vigil");
        let rtsp = Rtsp::start_coded(&clip, codec, n)?;
        let v = Vigil::start(&format!(
            "segment_seconds = 60\nfsync_interval_ms = {fsync_ms}\n"
        ))?;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let idle_rss = procstat::rss_kb(v.pid())?;
        let mut ids = vec![];
        for i in 0..n {
            let c = v
                .call(reqwest::Method::POST, "/api/v1/cameras", Some(json!({"name": format!("cam{i}"), "source": {"kind": "rtsp", "url": rtsp.url(i)}})))
                .await?;
            ids.push(c["data"]["id"].as_i64().context("id")?);
        }
        v.wait_running(&ids).await?;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let t0 = procstat::cpu_seconds(&[v.pid()])?;
        let w0 = Instant::now();
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        let vigil_cpu = procstat::cpu_seconds(&[v.pid()])? - t0;
        let window = w0.elapsed().as_secs_f64();
        let rss = procstat::rss_kb(v.pid())?;
        let dropped = v.recorder_drops(&ids).await?;
        drop(v);
        drop(rtsp);

        eprintln!("== {label}, {n} camera(s): ffmpeg baseline");
        let rtsp = Rtsp::start_coded(&clip, codec, n)?;
        let (ffmpeg_cpu, ffmpeg_rss) = ffmpeg_baseline(&rtsp, n, seconds, window, 60).await?;
        rows.push(Row {
            clip: label,
            cameras: n,
            vigil_cpu_s: vigil_cpu,
            ffmpeg_cpu_s: ffmpeg_cpu,
            rss_per_camera_mb: (rss.saturating_sub(idle_rss)) as f64 / 1024.0 / n as f64,
            ffmpeg_rss_per_camera_mb: ffmpeg_rss as f64 / 1024.0 / n as f64,
            window_s: window,
        });
        eprintln!("   recorder drops: {dropped}, recorder errors: 0");
    }
    println!(
        "\nRecording CPU and memory: Vigil vs one `ffmpeg -rtsp_transport tcp -c copy -f segment` per camera"
    );
    println!(
        "(1080p 25 fps ~4 Mbit/s from a local GStreamer RTSP server; B-frames: 3 in a pyramid; {seconds} s window; {} cores)",
        procstat::cores()
    );
    println!(
        "| clip | cameras | Vigil CPU s/camera-min | ffmpeg CPU s/camera-min | ratio | Vigil % of one core | Vigil RSS MB/camera | ffmpeg RSS MB/camera |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for r in &rows {
        let per = |cpu: f64| cpu / r.cameras as f64 / (r.window_s / 60.0);
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.2}x | {:.1}% | {:.1} | {:.1} |",
            r.clip,
            r.cameras,
            per(r.vigil_cpu_s),
            per(r.ffmpeg_cpu_s),
            r.vigil_cpu_s / r.ffmpeg_cpu_s.max(1e-9),
            r.vigil_cpu_s / r.window_s * 100.0,
            r.rss_per_camera_mb,
            r.ffmpeg_rss_per_camera_mb
        );
    }
    Ok(())
}
