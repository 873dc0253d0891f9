//! Inference throughput of each shipped model on one real frame (vtest.avi frame 100 unless a
//! picture is given), with 1 and 2 intra-op threads: the numbers behind issue 5's table.
//!
//! cargo run --release -p vigil-detect --example throughput -- [--frame PIC] [--iters N] [--threads 1,2]
//!
//! Writes the frame it used to `target/throughput-frame.png` so another runtime (Python
//! onnxruntime, `scripts/ort_baseline.py`) can be timed on the very same pixels.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a measuring tool: a panic is the report

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use vigil_detect::{Detector, FrameRef, ModelConfig, Runtime, RuntimeOptions};

const VTEST: &str = "/usr/share/doc/opencv-doc/examples/data/vtest.avi";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut frame: Option<PathBuf> = None;
    let mut iters = 30usize;
    let mut threads = vec![1usize, 2];
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--frame" => frame = args.next().map(PathBuf::from),
            "--iters" => iters = args.next().and_then(|v| v.parse().ok()).expect("--iters N"),
            "--threads" => {
                threads = args
                    .next()
                    .expect("--threads 1,2")
                    .split(',')
                    .map(|t| t.parse().expect("thread count"))
                    .collect()
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let out_png = repo.join("target/throughput-frame.png");
    let img = match frame {
        Some(p) => image::open(p).unwrap().to_rgb8(),
        None => {
            let status = std::process::Command::new("ffmpeg")
                .args(["-hide_banner", "-loglevel", "error", "-y", "-i", VTEST])
                .args(["-vf", r"select=eq(n\,100)", "-frames:v", "1"])
                .arg(&out_png)
                .status()
                .expect("ffmpeg");
            assert!(status.success(), "ffmpeg could not decode {VTEST}");
            image::open(&out_png).unwrap().to_rgb8()
        }
    };
    img.save(&out_png).unwrap();

    let runtime = Runtime::init(&RuntimeOptions {
        library_path: None,
        search_dirs: vec![repo.join(".cache/onnxruntime")],
    })
    .unwrap_or_else(|e| panic!("{e}"));
    eprintln!(
        "ONNX Runtime {:?} from {}; frame {}x{}; {iters} runs after 3 warm-ups",
        runtime.library().version,
        runtime.library().path.display(),
        img.width(),
        img.height()
    );

    println!(
        "| model | input | threads | total ms (median) | preprocess | inference | postprocess | detections |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for config in ModelConfig::load_dir(repo.join("models")).unwrap() {
        for &t in &threads {
            let det = Detector::load(&config, &runtime, t).unwrap();
            let frame = FrameRef::from(&img);
            for _ in 0..3 {
                det.detect_timed(frame, config.score_threshold).unwrap();
            }
            let (mut total, mut pre, mut inf, mut post) = (vec![], vec![], vec![], vec![]);
            let mut found = 0;
            for _ in 0..iters {
                let start = Instant::now();
                let (dets, timings) = det.detect_timed(frame, config.score_threshold).unwrap();
                total.push(start.elapsed());
                pre.push(timings.preprocess);
                inf.push(timings.inference);
                post.push(timings.postprocess);
                found = dets.len();
            }
            println!(
                "| {} | {}x{} {:?} | {t} | {:.1} | {:.1} | {:.1} | {:.2} | {found} |",
                config.name,
                config.input.width,
                config.input.height,
                config.input.dtype,
                ms(median(total)),
                ms(median(pre)),
                ms(median(inf)),
                ms(median(post)),
            );
        }
    }
}
