//! Vigil's benchmarks, each printing its figures next to a baseline measured in the same run:
//! `record` — CPU per camera-minute and memory per camera for 1, 4 and 16 RTSP cameras against
//! the usual NVR set-up of one `ffmpeg -c copy -f segment` process per camera; `drift` — recorded
//! media time against wall time and recorder drops; `vod` — playlist latency over a full camera-day;
//! `live` — live-view glass-to-glass latency (MJPEG, MSE, HLS), time to first frame, and the CPU
//! of MSE and MJPEG viewers (see live.rs); `detect` — object detection: per-model throughput
//! against Python onnxruntime, the server end to end (rates, latency, CPU, recorder drops) and
//! the motion gate's CPU saving on a still scene (see detect/); `isolation` — recorder drops and
//! packet-to-write latency while an API client hammers `/recordings` and `/timeline` (isolation.rs);
//! `storage` — the mover against `cp`, archive upload against `curl -T`, planning over a
//! million-segment index (storage.rs); `desk` — how calm the operator's desk is with the demo
//! camera: objects tracked against incidents, beeps and desktop notifications, per minute (desk/).
//! Run through `scripts/bench.sh`, which builds everything in release mode first.

mod auth;
mod backup;
mod channels;
mod desk;
mod detect;
mod fmp4;
mod isolation;
mod live;
mod procstat;
mod record;
mod stamp;
mod storage;
mod storage_rec;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(about = "Vigil benchmarks")]
struct Cli {
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Recording CPU and RSS for N RTSP cameras, Vigil against one ffmpeg per camera.
    Record {
        #[arg(long, value_delimiter = ',', default_value = "1,4,16")]
        cameras: Vec<usize>,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// Vigil's fsync interval for segments being written (its `fsync_interval_ms`).
        #[arg(long, default_value_t = 1000)]
        fsync_ms: u64,
        /// Cameras for the rows of clips with B-frames (H.264 and H.265); 0 skips them.
        #[arg(long, default_value_t = 4)]
        bframe_cameras: usize,
    },
    /// Media time recorded against wall time over a long run, and packets dropped at the recorder.
    Drift {
        #[arg(long, default_value_t = 600)]
        seconds: u64,
    },
    /// Time to answer a VOD playlist for random instants of a camera-day of 1,440 segments.
    Vod {
        #[arg(long, default_value_t = 200)]
        requests: usize,
    },
    /// Live view: glass-to-glass latency (MJPEG, MSE, HLS), time to first frame, viewer CPU.
    Live {
        /// Parts to run: latency, ttff, cpu (or all).
        #[arg(long, value_delimiter = ',', default_value = "all")]
        parts: Vec<String>,
        #[arg(long, default_value_t = 120)]
        mjpeg_frames: usize,
        #[arg(long, default_value_t = 150)]
        mse_frames: usize,
        #[arg(long, default_value_t = 12)]
        hls_segments: usize,
        #[arg(long, default_value_t = 20)]
        ttff_runs: usize,
        /// Cameras for the CPU part.
        #[arg(long, default_value_t = 16)]
        cameras: usize,
        /// Length of each CPU window.
        #[arg(long, default_value_t = 30)]
        cpu_seconds: u64,
    },
    /// Recorder drops and write latency with and without an API client hammering the index.
    /// Alert channels: alert → webhook, email and MQTT delivery latency against real receivers.
    Channels {
        /// Cameras going offline (one alert each).
        #[arg(long, default_value_t = 40)]
        cameras: usize,
    },
    /// Backups: `vigil backup` of a database indexing many segments while cameras record.
    Backup {
        /// Segments in the index (seeded before the start).
        #[arg(long, default_value_t = 1_000_000)]
        segments: u64,
        /// Cameras recording meanwhile.
        #[arg(long, default_value_t = 4)]
        cameras: usize,
    },
    /// Accounts: sign-in latency, and what authentication adds to a request.
    Auth {
        /// Sign-ins to time.
        #[arg(long, default_value_t = 50)]
        logins: usize,
        /// Requests of each kind.
        #[arg(long, default_value_t = 2000)]
        requests: usize,
    },
    Isolation {
        #[arg(long, default_value_t = 16)]
        cameras: usize,
        /// Length of each window (quiet, then hammered).
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// API requests a second in the hammered window.
        #[arg(long, default_value_t = 200)]
        rate: u32,
    },
    /// Storage: the mover vs cp, archive upload vs curl -T, planning over 1M segments.
    Storage {
        /// Parts to run: mover, upload, plan (or all).
        #[arg(long, value_delimiter = ',', default_value = "all")]
        parts: Vec<String>,
        /// Files to move (and, at most 32, to upload).
        #[arg(long, default_value_t = 64)]
        files: usize,
        /// MiB per file.
        #[arg(long, default_value_t = 8)]
        mib: usize,
        /// Segments in the planning index.
        #[arg(long, default_value_t = 1_000_000)]
        segments: usize,
        /// Where to work (default target/bench-storage).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Cameras recording in the `recording` part.
        #[arg(long, default_value_t = 4)]
        cameras: usize,
        /// Backlog-building and measured windows of the `recording` part.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
    /// Object detection: per-model throughput vs Python onnxruntime, end to end, motion gate CPU.
    Detect {
        /// Parts to run: throughput, e2e (includes the saturation run), saturation, gate (or all).
        #[arg(long, value_delimiter = ',', default_value = "all")]
        parts: Vec<String>,
        /// Length of each measurement window against the server.
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        /// Warm-up before each window.
        #[arg(long, default_value_t = 5)]
        warmup: u64,
        /// vtest frames for the throughput part.
        #[arg(long, default_value_t = 30)]
        frames: usize,
        /// Rounds of the throughput timing: one pass over the frames by Vigil, then one by Python.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
        /// ONNX Runtime intra-op threads (default: Vigil's, the core count clamped to 1–4).
        #[arg(long)]
        threads: Option<usize>,
        /// Cameras of the saturation runs (detect_fps 10, motion gate off), one run each.
        #[arg(long, value_delimiter = ',', default_value = "4,6")]
        saturation_cameras: Vec<usize>,
    },
    /// The operator's desk with the demo camera: objects tracked, incidents, alert updates,
    /// beeps and desktop notifications per minute, against one alert per object (before issue 13).
    Desk {
        /// Length of the run, in minutes.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=1440))]
        minutes: u64,
    },
}

fn root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn vigil_bin() -> Result<PathBuf> {
    let p = std::env::current_exe()?.with_file_name("vigil");
    if !p.is_file() {
        bail!(
            "{} not found: build it with `cargo build --release -p vigil`",
            p.display()
        );
    }
    Ok(p)
}

#[tokio::main]
async fn main() -> Result<()> {
    match Cli::parse().cmd {
        Cmd::Record {
            cameras,
            seconds,
            fsync_ms,
            bframe_cameras,
        } => record::record(&cameras, seconds, fsync_ms, bframe_cameras).await,
        Cmd::Drift { seconds } => drift(seconds).await,
        Cmd::Storage {
            parts,
            files,
            mib,
            segments,
            dir,
            cameras,
            seconds,
        } => {
            let recording = parts.iter().any(|p| p == "all" || p == "recording");
            let base = dir
                .clone()
                .unwrap_or_else(|| root().join("target/bench-storage"));
            tokio::task::spawn_blocking(move || {
                storage::run(&storage::Opts {
                    parts,
                    files,
                    mib,
                    segments,
                    dir,
                })
            })
            .await
            .context("storage bench")??;
            if recording {
                storage_rec::run(cameras, seconds, &base).await?;
            }
            Ok(())
        }
        Cmd::Vod { requests } => vod(requests).await,
        Cmd::Auth { logins, requests } => auth::run(logins, requests).await,
        Cmd::Backup { segments, cameras } => backup::run(segments, cameras).await,
        Cmd::Channels { cameras } => channels::run(cameras).await,
        Cmd::Desk { minutes } => desk::run(&desk::Options { minutes }).await,
        Cmd::Isolation {
            cameras,
            seconds,
            rate,
        } => isolation::run(cameras, seconds, rate).await,
        Cmd::Live {
            parts,
            mjpeg_frames,
            mse_frames,
            hls_segments,
            ttff_runs,
            cameras,
            cpu_seconds,
        } => {
            live::run(&live::Options {
                parts,
                mjpeg_frames,
                mse_frames,
                hls_segments,
                ttff_runs,
                cameras,
                cpu_seconds,
            })
            .await
        }
        Cmd::Detect {
            parts,
            seconds,
            warmup,
            frames,
            rounds,
            threads,
            saturation_cameras,
        } => {
            detect::run(&detect::Options {
                parts,
                seconds,
                warmup,
                frames,
                rounds,
                threads,
                saturation_cameras,
            })
            .await
        }
    }
}

/// A 1080p 25 fps H.264 clip of about 4 Mbit/s from real footage (OpenCV's vtest, scaled), long
/// enough for a measurement window; cached in .cache/bench. No B-frames, like IP cameras.
fn bench_clip(secs: u64) -> Result<PathBuf> {
    bench_clip_coded(secs, BenchCodec::H264, false)
}

/// The codecs of the bench clips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BenchCodec {
    H264,
    H265,
}

impl BenchCodec {
    /// As the RTSP test server names it.
    fn mount(self) -> &'static str {
        match self {
            BenchCodec::H264 => "h264",
            BenchCodec::H265 => "h265",
        }
    }
}

/// The bench clip in `codec`, with B-frames if `b_frames` (3, in a pyramid: x264's and x265's
/// usual setting, as "smart codec" cameras send), else none.
fn bench_clip_coded(secs: u64, codec: BenchCodec, b_frames: bool) -> Result<PathBuf> {
    let dir = root().join(".cache/bench");
    std::fs::create_dir_all(&dir)?;
    let tag = match (codec, b_frames) {
        (BenchCodec::H264, false) => "1080p25-4mbit-nobf",
        (BenchCodec::H264, true) => "1080p25-4mbit-bf3",
        (BenchCodec::H265, false) => "1080p25-4mbit-hevc-nobf",
        (BenchCodec::H265, true) => "1080p25-4mbit-hevc-bf3",
    };
    let out = dir.join(format!("{tag}-{secs}s.mp4"));
    if out.is_file() {
        return Ok(out);
    }
    eprintln!("making {} (once)...", out.display());
    let footage = root().join(".cache/footage/vtest.mp4");
    let mut c = Command::new("ffmpeg");
    c.args(["-hide_banner", "-loglevel", "error", "-y"]);
    if footage.is_file() {
        c.args(["-stream_loop", "-1", "-i"])
            .arg(&footage)
            .args(["-vf", "scale=1920:1080,fps=25"]);
    } else {
        c.args(["-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25"]);
    }
    c.args(["-t", &secs.to_string(), "-an"]);
    let bf = if b_frames { "3" } else { "0" };
    match codec {
        BenchCodec::H264 => c.args(["-c:v", "libx264", "-preset", "veryfast", "-bf", bf]),
        // ultrafast: a 1080p clip of a few minutes takes minutes, not tens of them, on 2 cores.
        BenchCodec::H265 => c
            .args(["-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1"])
            .args(["-x265-params"])
            .arg(format!("log-level=error:bframes={bf}:b-pyramid=1")),
    };
    c.args(["-b:v", "4M", "-maxrate", "4M", "-bufsize", "8M", "-g", "50"])
        .args(["-pix_fmt", "yuv420p"])
        .arg(out.with_extension("tmp.mp4"));
    if !c.status()?.success() {
        bail!("ffmpeg failed to make the bench clip");
    }
    std::fs::rename(out.with_extension("tmp.mp4"), &out)?;
    Ok(out)
}

struct Rtsp(Child, u16);

impl Rtsp {
    fn start(clip: &Path, mounts: usize) -> Result<Rtsp> {
        Rtsp::start_coded(clip, BenchCodec::H264, mounts)
    }

    fn start_coded(clip: &Path, codec: BenchCodec, mounts: usize) -> Result<Rtsp> {
        let specs: Vec<String> = (0..mounts)
            .map(|i| format!("cam{i}={}:{}", codec.mount(), clip.display()))
            .collect();
        Rtsp::start_specs(&specs)
    }

    /// Serve mounts given as the script's `NAME=KIND:ARG` arguments.
    fn start_specs(specs: &[String]) -> Result<Rtsp> {
        use std::io::BufRead;
        let mut c = Command::new("/usr/bin/python3");
        c.arg(root().join("tests/support/rtsp_server.py"))
            .arg("0")
            .args(specs);
        let mut child = c
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting the RTSP server")?;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
        let port = line
            .trim()
            .strip_prefix("READY ")
            .context("RTSP server did not start")?
            .parse()?;
        Ok(Rtsp(child, port))
    }
    fn url(&self, i: usize) -> String {
        self.mount_url(&format!("cam{i}"))
    }
    fn mount_url(&self, mount: &str) -> String {
        format!("rtsp://127.0.0.1:{}/{mount}", self.1)
    }
}

impl Drop for Rtsp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct Vigil {
    child: Child,
    url: String,
    token: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

impl Vigil {
    fn start(config: &str) -> Result<Vigil> {
        Vigil::start_env(config, &[])
    }

    /// Start with extra environment variables.
    fn start_env(config: &str, env: &[(&str, &str)]) -> Result<Vigil> {
        Vigil::start_args(config, env, &[])
    }

    /// Start with extra environment variables and extra `vigil serve` arguments.
    fn start_args(config: &str, env: &[(&str, &str)], args: &[&std::ffi::OsStr]) -> Result<Vigil> {
        Vigil::start_in(tempfile::tempdir()?, config, env, args)
    }

    /// Start on a data dir prepared beforehand (a seeded database).
    fn start_in(
        dir: tempfile::TempDir,
        config: &str,
        env: &[(&str, &str)],
        args: &[&std::ffi::OsStr],
    ) -> Result<Vigil> {
        use std::io::BufRead;
        std::fs::write(dir.path().join("config.toml"), config)?;
        let token = "bench-token-0123456789abcdef".to_string();
        let mut child = Command::new(vigil_bin()?)
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--credential-store",
                "file",
                "--data-dir",
            ])
            .arg(dir.path())
            .args(args)
            .env("VIGIL_TOKEN", &token)
            .env("VIGIL_RTMP_LISTEN", "off")
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().context("stdout")?).read_line(&mut line)?;
        let url = line
            .split_whitespace()
            .find(|w| w.starts_with("http://"))
            .context("no URL")?
            .to_string();
        Ok(Vigil {
            child,
            url,
            token,
            http: reqwest::Client::new(),
            _dir: dir,
        })
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value> {
        let mut r = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(b) = body {
            r = r.json(&b);
        }
        let resp = r.send().await?;
        let status = resp.status();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            bail!("{path}: {status} {v}");
        }
        Ok(v)
    }

    async fn wait_running(&self, ids: &[i64]) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let mut all = true;
            for id in ids {
                let v = self
                    .call(
                        reqwest::Method::GET,
                        &format!("/api/v1/cameras/{id}/status"),
                        None,
                    )
                    .await?;
                all &= v["data"]["status"] == "running"
                    && v["data"]["packets"].as_u64().unwrap_or(0) > 50;
            }
            if all {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("cameras did not all start");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Packets the recorders of `ids` dropped, summed.
    async fn recorder_drops(&self, ids: &[i64]) -> Result<u64> {
        let mut dropped = 0;
        for id in ids {
            let s = self
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
        Ok(dropped)
    }
}

impl Drop for Vigil {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// One `ffmpeg -c copy -f segment` per camera of `rtsp` (the usual NVR set-up), measured over
/// `seconds` after a 5 s start: (CPU seconds scaled to `window`, RSS in KiB summed).
async fn ffmpeg_baseline(
    rtsp: &Rtsp,
    n: usize,
    seconds: u64,
    window: f64,
    segment_s: u32,
) -> Result<(f64, u64)> {
    let out = tempfile::tempdir()?;
    let mut procs = vec![];
    for i in 0..n {
        let pattern = out.path().join(format!("cam{i}-%03d.mp4"));
        procs.push(
            Command::new("ffmpeg")
                .args([
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-nostdin",
                    "-rtsp_transport",
                    "tcp",
                    "-i",
                ])
                .arg(rtsp.url(i))
                .args(["-c", "copy", "-f", "segment", "-segment_time"])
                .arg(segment_s.to_string())
                .args(["-reset_timestamps", "1"])
                .arg(pattern)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()?,
        );
    }
    let pids: Vec<u32> = procs.iter().map(Child::id).collect();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let f0 = procstat::cpu_seconds(&pids)?;
    let fw = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let cpu = (procstat::cpu_seconds(&pids)? - f0) * window / fw.elapsed().as_secs_f64();
    let rss: u64 = pids.iter().map(|&p| procstat::rss_kb(p).unwrap_or(0)).sum();
    for mut p in procs {
        let _ = p.kill();
        let _ = p.wait();
    }
    Ok((cpu, rss))
}

async fn drift(seconds: u64) -> Result<()> {
    let clip = bench_clip(seconds + 60)?;
    let rtsp = Rtsp::start(&clip, 1)?;
    let v = Vigil::start("segment_seconds = 60\n")?;
    let c = v
        .call(
            reqwest::Method::POST,
            "/api/v1/cameras",
            Some(json!({"name": "drift", "source": {"kind": "rtsp", "url": rtsp.url(0)}})),
        )
        .await?;
    let id = c["data"]["id"].as_i64().context("id")?;
    v.wait_running(&[id]).await?;
    eprintln!("recording for {seconds} s...");
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let status = v
        .call(
            reqwest::Method::GET,
            &format!("/api/v1/cameras/{id}/status"),
            None,
        )
        .await?;
    let list = v
        .call(
            reqwest::Method::GET,
            &format!(
                "/api/v1/recordings?camera_id={id}&limit=1000&start={}",
                vigil_base::Clock::now_ms(&vigil_base::SystemClock) - (seconds as i64 + 600) * 1000
            ),
            None,
        )
        .await?;
    let items = list["data"]["items"].as_array().context("items")?;
    let first = items.first().context("no recordings")?;
    let last = items.last().context("no recordings")?;
    let media_ms: i64 = items
        .iter()
        .map(|r| r["duration_ms"].as_i64().unwrap_or(0))
        .sum();
    let wall_ms = last["end_ms"].as_i64().unwrap_or(0) - first["start_ms"].as_i64().unwrap_or(0);
    let contiguous = items.windows(2).all(|w| w[1]["start_ms"] == w[0]["end_ms"]);
    let now = vigil_base::Clock::now_ms(&vigil_base::SystemClock);
    let true_wall = now - first["start_ms"].as_i64().unwrap_or(now);
    println!("\nMedia time against wall time, one camera, {seconds} s");
    println!(
        "| segments | media s | wall s (first start to now) | difference | contiguous | recorder drops |"
    );
    println!("|---|---|---|---|---|---|");
    println!(
        "| {} | {:.1} | {:.1} | {:.3}% | {} | {} |",
        items.len(),
        media_ms as f64 / 1000.0,
        true_wall as f64 / 1000.0,
        (true_wall - media_ms) as f64 / true_wall as f64 * 100.0,
        contiguous,
        status["data"]["recording"]["dropped_packets"]
    );
    eprintln!("(segment span {wall_ms} ms; the last ~1 s is in the segment still being written)");
    Ok(())
}

async fn vod(requests: usize) -> Result<()> {
    // A camera-day of 1,440 one-minute segments, indexed as the recorder indexes them.
    let v = Vigil::start("")?;
    let c = v
        .call(
            reqwest::Method::POST,
            "/api/v1/cameras",
            Some(json!({"name": "day", "source": {"kind": "rtmp_push"}, "enabled": false})),
        )
        .await?;
    let id = c["data"]["id"].as_i64().context("id")?;
    let db_path = v._dir.path().join("vigil.db");
    let day0 = 1_763_683_200_000i64; // a UTC midnight
    {
        let conn = vigil_db::rusqlite::Connection::open(&db_path)?;
        conn.execute_batch("PRAGMA busy_timeout = 5000; BEGIN")?;
        for m in 0..1440i64 {
            let kf: Vec<_> = (0..30u64)
                .map(|i| vigil_record::index::KeyframeEntry {
                    offset: 800 + i * 1_000_000,
                    time_90k: i * 180_000,
                })
                .collect();
            conn.execute(
                "INSERT INTO recording (camera_id, root, path, tier, state, start_ms, end_ms, media_duration_90k, bytes, init_bytes, codec, width, height, keyframe_index, clock_jump_ms, created_at_ms) \
                 VALUES (?1, 'hot', ?2, 'hot', 'complete', ?3, ?4, 5400000, 30000800, 800, 'h264', 1920, 1080, ?5, 0, 0)",
                vigil_db::rusqlite::params![id, vigil_record::segment_path(id, day0 + m * 60_000), day0 + m * 60_000, day0 + m * 60_000 + 60_000, vigil_record::index::encode(&kf)],
            )?;
        }
        conn.execute_batch("COMMIT")?;
    }
    let mut times = vec![];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..requests {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let at = day0 + (x % 86_000_000) as i64;
        let t = Instant::now();
        let r = v
            .http
            .get(format!(
                "{}/api/v1/cameras/{id}/vod.m3u8?start={at}&end={}",
                v.url,
                at + 3_600_000
            ))
            .bearer_auth(&v.token)
            .send()
            .await?;
        let ok = r.status().is_success();
        let body = r.text().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        if !ok || !body.contains("#EXT-X-ENDLIST") {
            bail!("bad playlist: {body}");
        }
    }
    times.sort_by(f64::total_cmp);
    let pct = |p: f64| times[((times.len() as f64 - 1.0) * p) as usize];
    println!(
        "\nVOD playlist (one hour from a random instant) over a camera-day of 1,440 segments, {requests} requests over HTTP"
    );
    println!("| p50 ms | p95 ms | max ms | target p95 |");
    println!("|---|---|---|---|");
    println!(
        "| {:.2} | {:.2} | {:.2} | ≤ 50 ms |",
        pct(0.5),
        pct(0.95),
        pct(1.0)
    );
    Ok(())
}
