//! Per-model detection throughput: Vigil's whole `Detector::detect_timed` (resize + tensor fill,
//! ONNX Runtime, decode + per-class NMS + mapping back) against Python onnxruntime doing the same
//! work with PIL and numpy (crates/detect/scripts/ort_baseline.py --frames), on the same PNG
//! frames with the same intra-op thread count, spinning off on both sides. Each model is timed in
//! Rust and then in Python before the next, so machine noise hits both alike.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use vigil_detect::{Detector, FrameRef, ModelConfig, Runtime, RuntimeOptions};

/// One model's figures on one side.
#[derive(Clone, Debug, Default)]
pub struct Side {
    pub median_ms: f64,
    pub fps: f64,
    pub pre_ms: f64,
    pub run_ms: f64,
    pub post_ms: f64,
    pub per_frame: f64,
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
        0 => 0.0,
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

/// Python onnxruntime's full detection on `frames`, for the given models.
pub fn python_baseline(
    frames: &Path,
    threads: usize,
    passes: usize,
    models: &[&str],
) -> Result<(String, Vec<(String, Side)>)> {
    let mut c = std::process::Command::new(python()?);
    c.arg(crate::root().join("crates/detect/scripts/ort_baseline.py"))
        .arg("--frames")
        .arg(frames)
        .args(["--threads", &threads.to_string()])
        .args(["--passes", &passes.to_string(), "--json"]);
    for m in models {
        c.args(["--model", m]);
    }
    let out = c.output().context("running ort_baseline.py")?;
    if !out.status.success() {
        bail!(
            "ort_baseline.py failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let v: Value = serde_json::from_slice(&out.stdout).context("ort_baseline.py's JSON")?;
    let f = |m: &Value, k: &str| m[k].as_f64().unwrap_or(f64::NAN);
    let rows = v["models"]
        .as_array()
        .context("no models in ort_baseline.py's JSON")?
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap_or("?").to_string(),
                Side {
                    median_ms: f(m, "median_ms"),
                    fps: f(m, "fps"),
                    pre_ms: f(m, "preprocess_ms"),
                    run_ms: f(m, "run_ms"),
                    post_ms: f(m, "postprocess_ms"),
                    per_frame: f(m, "detections_per_frame"),
                },
            )
        })
        .collect();
    let who = format!(
        "Python {} + onnxruntime {}",
        v["python"].as_str().unwrap_or("?"),
        v["onnxruntime"].as_str().unwrap_or("?")
    );
    Ok((who, rows))
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

/// Vigil's detector on every frame, `passes` times, after 3 warm-up frames.
fn vigil_side(det: &Detector, frames: &[image::RgbImage], passes: usize) -> Result<Side> {
    let threshold = det.config().score_threshold;
    for f in frames.iter().take(3) {
        det.detect_timed(FrameRef::from(f), threshold)?;
    }
    let (mut total, mut pre, mut run, mut post) = (vec![], vec![], vec![], vec![]);
    let mut found = 0usize;
    let start = Instant::now();
    for _ in 0..passes {
        for f in frames {
            let t = Instant::now();
            let (dets, timings) = det.detect_timed(FrameRef::from(f), threshold)?;
            total.push(ms(t.elapsed()));
            pre.push(ms(timings.preprocess));
            run.push(ms(timings.inference));
            post.push(ms(timings.postprocess));
            found += dets.len();
        }
    }
    let n = total.len();
    Ok(Side {
        median_ms: median(total),
        fps: n as f64 / start.elapsed().as_secs_f64(),
        pre_ms: median(pre),
        run_ms: median(run),
        post_ms: median(post),
        per_frame: found as f64 / n as f64,
    })
}

pub struct Throughput {
    pub rows: Vec<ModelRow>,
    pub table: String,
}

pub fn run(frames_dir: &Path, threads: usize, passes: usize, footage: &str) -> Result<Throughput> {
    let root = crate::root();
    let runtime = Runtime::init(&RuntimeOptions {
        library_path: None,
        search_dirs: vec![root.join(".cache/onnxruntime")],
    })
    .map_err(|e| anyhow::anyhow!("{e} (run scripts/dev.sh setup, or set ORT_DYLIB_PATH)"))?;
    let frames = load_frames(frames_dir)?;
    let first = frames.first().context("no frames")?;
    let (fw, fh) = (first.width(), first.height());
    let mut rows = vec![];
    let mut python_who = String::new();
    let mut configs = ModelConfig::load_dir(root.join("models"))?;
    configs.sort_by(|a, b| a.name.cmp(&b.name));
    for config in configs {
        eprintln!("   {}: Vigil", config.name);
        let det = Detector::load(&config, &runtime, threads)?;
        let vigil = vigil_side(&det, &frames, passes)?;
        drop(det);
        eprintln!("   {}: Python", config.name);
        let (who, py) = python_baseline(frames_dir, threads, passes, &[config.name.as_str()])?;
        python_who = who;
        let python = py
            .into_iter()
            .find(|(n, _)| *n == config.name)
            .map(|(_, s)| s)
            .context("the Python baseline did not time this model")?;
        rows.push(ModelRow {
            input: format!(
                "{}x{} {}",
                config.input.width,
                config.input.height,
                format!("{:?}", config.input.dtype).to_lowercase()
            ),
            name: config.name.clone(),
            vigil,
            python,
        });
    }
    let lib = runtime.library();
    let mut s = format!(
        "\nDetection throughput per model: {} frames of {footage} ({fw}x{fh}, PNG, decoded before \
         timing), {passes} passes after 3 warm-up frames; {threads} intra-op threads, spinning off, \
         on both sides; {} cores. Vigil: `Detector::detect_timed` (fast_image_resize + tensor fill, \
         ONNX Runtime {} from {}, decode + per-class NMS + mapping to the frame). Baseline: {python_who} \
         doing the same (PIL resize, numpy normalise, session.run, numpy decode + NMS). \
         Frames/s = frames / wall time of the passes.\n\n\
         | model | input | Vigil ms (median) | Vigil frames/s | Python ms (median) | Python frames/s | Vigil / Python (frames/s) | Vigil pre / ORT / post ms | Python pre / run / post ms | detections per frame (Vigil / Python) |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
        frames.len(),
        crate::procstat::cores(),
        lib.version
            .map(|(a, b, c)| format!("{a}.{b}.{c}"))
            .unwrap_or_else(|| "?".into()),
        lib.path.display(),
    );
    for r in &rows {
        s += &format!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | **{:.2}×** | {:.1} / {:.1} / {:.2} | {:.1} / {:.1} / {:.2} | {:.2} / {:.2} |\n",
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
        );
    }
    Ok(Throughput { rows, table: s })
}
