//! Test media shared by Vigil's test suites: real encoded clips made with the ffmpeg CLI (the
//! apt package the set-up installs), and what ffprobe reads back from recordings.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test support: a panic is the failure report

use std::path::{Path, PathBuf};
use std::process::Command;

pub mod moto;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VideoCodec {
    H264,
    H265,
}

/// What to encode: testsrc2 video with a keyframe every `gop` frames at 25 fps.
#[derive(Clone, Copy, Debug)]
pub struct ClipSpec {
    pub width: u32,
    pub height: u32,
    pub secs: f32,
    pub codec: VideoCodec,
    /// B-frames, as some cameras send (x264 `-bf 3`); otherwise none, like most IP cameras.
    pub b_frames: bool,
    /// A 440 Hz AAC track at 48 kHz.
    pub audio: bool,
    pub gop: u32,
}

impl Default for ClipSpec {
    fn default() -> Self {
        ClipSpec {
            width: 320,
            height: 240,
            secs: 4.0,
            codec: VideoCodec::H264,
            b_frames: false,
            audio: false,
            gop: 25,
        }
    }
}

/// Encode `spec` into `dir/name` (an MP4).
pub fn make_clip(dir: &Path, name: &str, spec: &ClipSpec) -> PathBuf {
    let out = dir.join(name);
    let mut c = Command::new("ffmpeg");
    c.args([
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
    ])
    .arg(format!(
        "testsrc2=size={}x{}:rate=25:duration={}",
        spec.width, spec.height, spec.secs
    ));
    if spec.audio {
        c.args(["-f", "lavfi", "-i"])
            .arg(format!(
                "sine=frequency=440:sample_rate=48000:duration={}",
                spec.secs
            ))
            .args(["-c:a", "aac", "-b:a", "64k"]);
    }
    c.args(["-g", &spec.gop.to_string(), "-pix_fmt", "yuv420p"]);
    match (spec.codec, spec.b_frames) {
        (VideoCodec::H264, false) => {
            c.args(["-c:v", "libx264", "-preset", "ultrafast", "-bf", "0"])
        }
        (VideoCodec::H264, true) => c.args(["-c:v", "libx264", "-preset", "veryfast", "-bf", "3"]),
        (VideoCodec::H265, b) => c
            .args([
                "-c:v",
                "libx265",
                "-preset",
                "ultrafast",
                "-tag:v",
                "hvc1",
                "-x265-params",
            ])
            .arg(format!(
                "log-level=error:keyint={}:bframes={}:open-gop=1",
                spec.gop,
                if b { 3 } else { 0 }
            )),
    };
    let st = c.arg(&out).status().expect("the ffmpeg CLI (apt ffmpeg)");
    assert!(st.success(), "ffmpeg could not make {name}");
    out
}

/// Frames of the first video stream, decoded by ffprobe (`extra` goes before the input).
pub fn ffprobe_frames(path: &Path, extra: &[&str]) -> u64 {
    let o = Command::new("ffprobe")
        .args(["-v", "error"])
        .args(extra)
        .args([
            "-select_streams",
            "v:0",
            "-count_frames",
            "-show_entries",
            "stream=nb_read_frames",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .expect("ffprobe (apt ffmpeg)");
    assert!(
        o.status.success(),
        "ffprobe {}: {}",
        path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    let out = String::from_utf8(o.stdout).unwrap();
    out.lines()
        .filter_map(|l| l.trim().trim_end_matches(',').parse::<u64>().ok())
        .max()
        .unwrap_or_else(|| panic!("no frame count in {out:?}"))
}

/// The codec name ffprobe sees in the first video stream.
pub fn ffprobe_codec(path: &Path) -> String {
    let o = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=codec_name",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .expect("ffprobe (apt ffmpeg)");
    String::from_utf8(o.stdout).unwrap().trim().to_string()
}
