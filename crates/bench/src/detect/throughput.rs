//! Per-model detection throughput: Vigil's whole `Detector::detect_timed` (resize + tensor fill,
//! ONNX Runtime, decode + per-class NMS + mapping back) against Python onnxruntime doing the same
//! work with PIL and numpy (crates/detect/scripts/ort_baseline.py --frames), on the same PNG
//! frames with the same intra-op thread count, spinning off on both sides. The two sides take
//! turns — one pass over the frames each, for several rounds — so that the load other work puts
//! on a shared machine hits both alike; the CPU that other work used meanwhile is reported.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use vigil_detect::{Detector, FrameRef, ModelConfig, Runtime, RuntimeOptions};

use super::{QUIET_PCT, QUIET_WAIT};
use crate::procstat::{self, OtherLoad};

/// Per-frame timings of one side, pooled over its passes.
#[derive(Default)]
struct Acc {
    /// (preprocess, inference, postprocess, total) ms per frame.
    each: Vec<[f64; 4]>,
    /// Wall time of the timed passes.
    wall_s: f64,
    detections: usize,
    /// CPU of other processes while this side ran, and over how long.
    other_s: f64,
    other_wall_s: f64,
}

/// One model's figures on one side.
#[derive(Clone, Debug, Default)]
pub struct Side {
    pub median_ms: f64,
    pub fps: f64,
    pub pre_ms: f64,
    pub run_ms: f64,
    pub post_ms: f64,
    pub per_frame: f64,
    /// Other processes' CPU while this side ran, % of one core.
    pub other_pct: f64,
}

impl Acc {
    fn side(&self) -> Side {
        let m = |i: usize| median(self.each.iter().map(|t| t[i]).collect());
        let n = self.each.len().max(1) as f64;
        Side {
            median_ms: m(3),
            fps: self.each.len() as f64 / self.wall_s,
            pre_ms: m(0),
            run_ms: m(1),
            post_ms: m(2),
            per_frame: self.detections as f64 / n,
            other_pct: self.other_s / self.other_wall_s * 100.0,
        }
    }
}

pub struct ModelRow {
    pub name: String,
    pub input: String,
    pub vigil: Side,
    pub python: Side,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The Python with onnxruntime, numpy and pillow: `VIGIL_BENCH_PYTHON` (scripts/bench.sh sets
/// it), else the venv bench.sh makes.
fn python() -> Result<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("VIGIL_BENCH_PYTHON") {
        return Ok(p.into());
    }
    let p = crate::root().join(".cache/bench-venv/bin/python");
    if !p.is_file() {
        bail!(
            "{} not found: run through scripts/bench.sh detect, which makes it",
            p.display()
        );
    }
    Ok(p)
}

/// One pass of Python onnxruntime's full detection over `frames` for `model` (after its own 3
/// warm-up frames); returns who ran it ("Python x + onnxruntime y").
fn python_pass(frames: &Path, threads: usize, model: &str, acc: &mut Acc) -> Result<String> {
    let mut c = std::process::Command::new(python()?);
    c.arg(crate::root().join("crates/detect/scripts/ort_baseline.py"))
        .arg("--frames")
        .arg(frames)
        .args(["--threads", &threads.to_string()])
        .args(["--passes", "1", "--json", "--model", model]);
    let load = OtherLoad::start(&[std::process::id()])?;
    let out = c.output().context("running ort_baseline.py")?;
    acc.other_s += load.seconds()?;
    acc.other_wall_s += load.elapsed_s();
    if !out.status.success() {
        bail!(
            "ort_baseline.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: Value = serde_json::from_slice(&out.stdout).context("ort_baseline.py's JSON")?;
    let m = v["models"]
        .as_array()
        .and_then(|a| a.iter().find(|m| m["name"] == model))
        .with_context(|| format!("ort_baseline.py did not time {model}"))?;
    for t in m["each_ms"].as_array().context("each_ms")? {
        let f = |i: usize| t[i].as_f64().unwrap_or(f64::NAN);
        acc.each.push([f(0), f(1), f(2), f(3)]);
    }
    acc.wall_s += m["wall_s"].as_f64().context("wall_s")?;
    acc.detections += m["detections"].as_u64().unwrap_or(0) as usize;
    Ok(format!(
        "Python {} + onnxruntime {}",
        v["python"].as_str().unwrap_or("?"),
        v["onnxruntime"].as_str().unwrap_or("?")
    ))
}

/// One pass of Vigil's detector over every frame.
fn vigil_pass(det: &Detector, frames: &[image::RgbImage], acc: &mut Acc) -> Result<()> {
    let threshold = det.config().score_threshold;
    let load = OtherLoad::start(&[std::process::id()])?;
    let start = Instant::now();
    for f in frames {
        let t = Instant::now();
        let (dets, timings) = det.detect_timed(FrameRef::from(f), threshold)?;
        let total = ms(t.elapsed());
        acc.each.push([
            ms(timings.preprocess),
            ms(timings.inference),
            ms(timings.postprocess),
            total,
        ]);
        acc.detections += dets.len();
    }
    acc.wall_s += start.elapsed().as_secs_f64();
    acc.other_s += load.seconds()?;
    acc.other_wall_s += load.elapsed_s();
    Ok(())
}

fn load_frames(dir: &Path) -> Result<Vec<image::RgbImage>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            Ok(image::open(p)
                .with_context(|| p.display().to_string())?
                .to_rgb8())
        })
        .collect()
}

fn runtime() -> Result<Runtime> {
    Runtime::init(&RuntimeOptions {
        library_path: None,
        search_dirs: vec![crate::root().join(".cache/onnxruntime")],
    })
    .map_err(|e| anyhow::anyhow!("{e} (run scripts/dev.sh setup, or set ORT_DYLIB_PATH)"))
}

/// One model, Vigil and Python taking turns for `rounds` passes each; also returns who the
/// Python was.
fn time_model(
    config: &ModelConfig,
    runtime: &Runtime,
    frames_dir: &Path,
    frames: &[image::RgbImage],
    threads: usize,
    rounds: usize,
) -> Result<(ModelRow, String)> {
    eprintln!("   {}: {rounds} rounds of Vigil, then Python", config.name);
    let det = Detector::load(config, runtime, threads)?;
    for f in frames.iter().take(3) {
        det.detect_timed(FrameRef::from(f), config.score_threshold)?;
    }
    let (mut vigil, mut python) = (Acc::default(), Acc::default());
    let mut who = String::new();
    for _ in 0..rounds.max(1) {
        procstat::wait_quiet(QUIET_PCT, QUIET_WAIT)?;
        vigil_pass(&det, frames, &mut vigil)?;
        who = python_pass(frames_dir, threads, &config.name, &mut python)?;
    }
    let row = ModelRow {
        input: format!(
            "{}x{} {}",
            config.input.width,
            config.input.height,
            format!("{:?}", config.input.dtype).to_lowercase()
        ),
        name: config.name.clone(),
        vigil: vigil.side(),
        python: python.side(),
    };
    Ok((row, who))
}

/// The shipped model `name` alone, Vigil and Python (for the saturation run's baseline).
pub fn one_model(frames_dir: &Path, name: &str, threads: usize, rounds: usize) -> Result<ModelRow> {
    let runtime = runtime()?;
    let frames = load_frames(frames_dir)?;
    let config = ModelConfig::from_file(crate::root().join(format!("models/{name}.toml")))?;
    Ok(time_model(&config, &runtime, frames_dir, &frames, threads, rounds)?.0)
}

pub fn run(frames_dir: &Path, threads: usize, rounds: usize, footage: &str) -> Result<String> {
    let runtime = runtime()?;
    let frames = load_frames(frames_dir)?;
    let first = frames.first().context("no frames")?;
    let (fw, fh) = (first.width(), first.height());
    let mut rows = vec![];
    let mut python_who = String::new();
    let mut configs = ModelConfig::load_dir(crate::root().join("models"))?;
    configs.sort_by(|a, b| a.name.cmp(&b.name));
    for config in configs {
        let (row, who) = time_model(&config, &runtime, frames_dir, &frames, threads, rounds)?;
        python_who = who;
        rows.push(row);
    }
    let lib = runtime.library();
    let mut s = format!(
        "\nDetection throughput per model: {} frames of {footage}, spread over the clip ({fw}x{fh} \
         PNG, decoded before timing); {rounds} rounds, each one pass by Vigil then one by Python \
         (after 3 warm-up frames on each side), figures pooled over the rounds; {threads} intra-op \
         threads, spinning off, on both sides; {} cores. Vigil: `Detector::detect_timed` \
         (fast_image_resize + tensor fill, ONNX Runtime {} from {}, decode + per-class NMS + \
         mapping to the frame). Baseline: {python_who} doing the same (PIL resize, numpy \
         normalise, session.run, numpy decode + NMS). Frames/s = frames / wall time of the \
         passes. Other load: CPU used by other processes on the machine meanwhile.\n\n\
         | model | input | Vigil ms (median) | Vigil frames/s | Python ms (median) | Python frames/s | Vigil / Python (frames/s) | Vigil pre / ORT / post ms | Python pre / run / post ms | detections per frame (Vigil / Python) | other load, % of a core (Vigil / Python) |\n\
         |---|---|---|---|---|---|---|---|---|---|---|\n",
        frames.len(),
        procstat::cores(),
        lib.version
            .map(|(a, b, c)| format!("{a}.{b}.{c}"))
            .unwrap_or_else(|| "?".into()),
        std::fs::canonicalize(&lib.path)
            .unwrap_or_else(|_| lib.path.clone())
            .display(),
    );
    for r in &rows {
        s += &format!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | **{:.2}×** | {:.1} / {:.1} / {:.2} | {:.1} / {:.1} / {:.2} | {:.2} / {:.2} | {:.0}% / {:.0}% |\n",
            r.name,
            r.input,
            r.vigil.median_ms,
            r.vigil.fps,
            r.python.median_ms,
            r.python.fps,
            r.vigil.fps / r.python.fps,
            r.vigil.pre_ms,
            r.vigil.run_ms,
            r.vigil.post_ms,
            r.python.pre_ms,
            r.python.run_ms,
            r.python.post_ms,
            r.vigil.per_frame,
            r.python.per_frame,
            r.vigil.other_pct,
            r.python.other_pct,
        );
    }
    Ok(s)
}
