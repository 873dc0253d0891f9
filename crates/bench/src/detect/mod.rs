//! `detect`: object detection (issue 5), measured three ways on real footage (OpenCV's vtest):
//!
//! 1. `throughput` — each shipped model (models/*.toml) on the same ~30 PNG frames: Vigil's full
//!    detect against Python onnxruntime doing the same work, same threads (see throughput.rs).
//! 2. `e2e` — the real `vigil serve` with 1 and then 4 RTSP cameras of vtest, detection at 5 fps,
//!    motion gate on: analysed frames/s, objects/s, stored detections/s, events, CPU, frame
//!    arrival → `detection` message latency, recorder drops and the detector's own busy drops;
//!    then a saturation run (4 cameras at 10 fps, gate off) against the Python baseline's frames/s.
//!    (`saturation` runs only that.)
//! 3. `gate` — CPU on a still, empty scene (people removed by a per-pixel median), with and
//!    without the motion gate.

mod footage;
mod server;
mod throughput;

use std::time::Duration;

use anyhow::Result;

use crate::live::{stats, verdict};
use crate::procstat;
use footage::Footage;
use server::{Setup, Window, measure};

/// What to run and how much (the `detect` subcommand's options).
pub struct Options {
    pub parts: Vec<String>,
    /// Length of each measurement window against the server.
    pub seconds: u64,
    pub warmup: u64,
    /// PNG frames for the throughput part.
    pub frames: usize,
    pub passes: usize,
    /// Intra-op threads; None: Vigil's default (the core count, 1–4).
    pub threads: Option<usize>,
}

/// Issue 5's targets.
const LATENCY_P95_TARGET_MS: f64 = 250.0;
const GATE_CPU_TARGET_RATIO: f64 = 5.0;
/// Frames averaged into the empty scene.
const MEDIAN_FRAMES: usize = 31;

pub async fn run(o: &Options) -> Result<()> {
    let want = |p: &str| o.parts.iter().any(|x| x == p || x == "all");
    let threads = o.threads.unwrap_or_else(|| procstat::cores().clamp(1, 4));
    let footage = Footage::new()?;
    eprintln!("== footage: {}", footage.describe());
    let mut out = String::new();
    let mut nanodet_python_fps = None;
    if want("throughput") {
        eprintln!("== throughput: {} frames, {threads} threads", o.frames);
        let frames = footage.png_frames(o.frames)?;
        let t = throughput::run(&frames, threads, o.passes, &footage.describe())?;
        nanodet_python_fps = t
            .rows
            .iter()
            .find(|r| r.name == "nanodet")
            .map(|r| r.python.fps);
        out += &t.table;
    }
    let (e2e, saturation) = (want("e2e"), want("e2e") || want("saturation"));
    if e2e || saturation {
        // Start-up (connect, 50 packets, detectors running) + warm-up + window, with room to spare.
        let clip = footage.clip(o.warmup + o.seconds + 30)?;
        let setup = |cameras, detect_fps, motion_gate| Setup {
            clip: &clip,
            cameras,
            detect_fps,
            motion_gate,
            threads,
            warmup: Duration::from_secs(o.warmup),
            window: Duration::from_secs(o.seconds),
        };
        let mut rows = vec![];
        if e2e {
            for n in [1, 4] {
                eprintln!("== e2e: {n} camera(s) at 5 fps, motion gate on");
                rows.push((n, measure(&setup(n, 5, true)).await?));
            }
            out += &e2e_table(&rows, o, &footage);
        }
        if saturation {
            eprintln!("== saturation: 4 cameras at 10 fps, motion gate off");
            let w = measure(&setup(4, 10, false)).await?;
            let py = match nanodet_python_fps {
                Some(f) => f,
                None => {
                    eprintln!("   Python baseline for nanodet");
                    let frames = footage.png_frames(o.frames)?;
                    let (_, rows) =
                        throughput::python_baseline(&frames, threads, o.passes, &["nanodet"])?;
                    rows.first().map(|r| r.1.fps).unwrap_or(f64::NAN)
                }
            };
            out += &saturation_table(&w, py, threads, o);
        }
    }
    if want("gate") {
        let scene = footage.empty_scene(MEDIAN_FRAMES)?;
        let clip = footage.still_clip(&scene, (o.warmup + o.seconds + 25).max(60))?;
        let mut runs = vec![];
        for gate in [true, false] {
            eprintln!(
                "== gate: still scene, 1 camera at 5 fps, motion gate {}",
                if gate { "on" } else { "off" }
            );
            let w = measure(&Setup {
                clip: &clip,
                cameras: 1,
                detect_fps: 5,
                motion_gate: gate,
                threads,
                warmup: Duration::from_secs(o.warmup),
                window: Duration::from_secs(o.seconds),
            })
            .await?;
            runs.push((gate, w));
        }
        out += &gate_table(&runs, o);
    }
    println!("{out}");
    Ok(())
}

fn e2e_table(rows: &[(usize, Window)], o: &Options, footage: &Footage) -> String {
    let mut s = format!(
        "\nEnd to end: `vigil serve` (release, default model nanodet, default motion gate on) with N \
         RTSP cameras of {} (H.264, no B-frames, GOP 2 s) from a local GStreamer RTSP server, \
         detection at 5 fps, every label at score ≥ 0.35; {} s warm-up, then a {} s window; {} cores. \
         Rates are per second of the window, summed over the cameras. Latency: the `latency_ms` of \
         every `detection` message on `/api/v1/events` in the window (publish wall time − the \
         frame's packet arrival in Vigil).\n\n\
         | cameras | analysed frames/s | sampled frames/s (still) | objects/s | stored detections/s | events | CPU % of one core | latency p50 / p95 / max ms (messages) | recorder drops | detector dropped busy |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
        footage.describe(),
        o.warmup,
        o.seconds,
        procstat::cores()
    );
    for (n, w) in rows {
        let l = stats(&w.latencies);
        s += &format!(
            "| {n} | {:.1} | {:.1} ({}) | {:.1} | {:.1} | {} | {:.1}% | {:.0} / {:.0} / {:.0} ({}) | {} | {} |\n",
            w.rate("inferences"),
            w.rate("frames_sampled"),
            w.get("frames_still"),
            w.rate("objects"),
            w.rate("detections"),
            w.get("events"),
            w.cpu_pct,
            l.median,
            l.p95,
            l.max,
            l.n,
            w.recorder_drops,
            w.get("frames_dropped_busy"),
        );
    }
    if let Some((_, w)) = rows.iter().find(|(n, _)| *n == 4) {
        let p95 = stats(&w.latencies).p95;
        s += &format!(
            "\nTargets at 4 cameras: latency p95 ≤ {LATENCY_P95_TARGET_MS:.0} ms: {p95:.0} ms, {}; \
             recorder drops 0: {}.\n",
            verdict(p95, LATENCY_P95_TARGET_MS),
            if w.recorder_drops == 0 {
                "met"
            } else {
                "**not met**"
            }
        );
    }
    let notes: Vec<String> = rows
        .iter()
        .map(|(n, w)| {
            format!(
                "{n} camera(s): {:.1} frames/s decoded, mean inference {:.1} ms, {} decode errors, \
                 {} events:lagged",
                w.rate("frames_decoded"),
                w.inference_ms,
                w.get("decode_errors"),
                w.lagged
            )
        })
        .collect();
    s += &format!("\n{}.\n", notes.join("; "));
    s
}

fn saturation_table(w: &Window, python_fps: f64, threads: usize, o: &Options) -> String {
    let l = stats(&w.latencies);
    let analysed = w.rate("inferences");
    let mut s = format!(
        "\nSaturation: 4 cameras at detect_fps 10 (vtest's own rate: every frame asked for), \
         `VIGIL_MOTION_GATE=off`, {} s window. Vigil's analysed frames/s include decoding the 4 \
         H.264 streams, RGB conversion, recording and storing, on the same {} cores; the Python \
         figure is nanodet on PNG frames already decoded (throughput part), {threads} threads.\n\n\
         | analysed frames/s (decode included) | asked for (sampled/s) | detector dropped busy | Python nanodet frames/s | Vigil / Python | CPU % of one core | latency p50 / p95 ms | recorder drops |\n\
         |---|---|---|---|---|---|---|---|\n",
        o.seconds,
        procstat::cores()
    );
    s += &format!(
        "| {analysed:.1} | {:.1} | {} | {python_fps:.1} | **{:.2}×** | {:.1}% | {:.0} / {:.0} | {} |\n",
        w.rate("frames_sampled"),
        w.get("frames_dropped_busy"),
        analysed / python_fps,
        w.cpu_pct,
        l.median,
        l.p95,
        w.recorder_drops,
    );
    s += &format!(
        "\nRecording under full detection load: {} dropped packets at the recorder ({}). \
         {:.1} frames/s decoded; mean inference {:.1} ms.\n",
        w.recorder_drops,
        if w.recorder_drops == 0 {
            "target 0: met"
        } else {
            "target 0: **not met**"
        },
        w.rate("frames_decoded"),
        w.inference_ms,
    );
    s
}

fn gate_table(runs: &[(bool, Window)], o: &Options) -> String {
    let mut s = format!(
        "\nMotion gate on a still scene: the per-pixel median of {MEDIAN_FRAMES} vtest frames spread \
         over the clip (people removed), as 10 fps H.264 with mild temporal noise \
         (`noise=alls=3:allf=t`); 1 camera at detect_fps 5, recording; a fresh server per row, \
         {} s warm-up, {} s window. CPU is the whole vigil process (recording, RTSP, decoding \
         included; nothing subtracted).\n\n\
         | motion gate | CPU % of one core | inferences in the window | sampled | still (not sent) | with motion | objects |\n\
         |---|---|---|---|---|---|---|\n",
        o.warmup, o.seconds
    );
    for (gate, w) in runs {
        s += &format!(
            "| {} | {:.2}% | {} | {} | {} | {} | {} |\n",
            if *gate { "on" } else { "off" },
            w.cpu_pct,
            w.get("inferences"),
            w.get("frames_sampled"),
            w.get("frames_still"),
            w.get("frames_with_motion"),
            w.get("objects"),
        );
    }
    let cpu = |g: bool| {
        runs.iter()
            .find(|(x, _)| *x == g)
            .map(|(_, w)| w.cpu_pct)
            .unwrap_or(f64::NAN)
    };
    let ratio = cpu(false) / cpu(true);
    s += &format!(
        "\nCPU without the gate / with it: **{ratio:.1}×** (target ≥ {GATE_CPU_TARGET_RATIO:.0}×: {}).\n",
        if ratio >= GATE_CPU_TARGET_RATIO {
            "met"
        } else {
            "**not met**"
        }
    );
    s
}
