//! Stream copy of real encoded video (made by the ffmpeg CLI) through `Demuxer` and `Fmp4Muxer`:
//! the chunks form a fragmented MP4 that ffprobe reads frame for frame, with ~1 s fragments that
//! start at keyframes where the GOP allows, for H.264 and H.265, with and without AAC audio.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use vigil_media::{Chunk, Demuxer, Fmp4Muxer, MuxOptions, SourceSpec, mp4};

fn make_clip(dir: &Path, name: &str, vcodec: &str, audio: bool) -> std::path::PathBuf {
    let out = dir.join(name);
    let mut args: Vec<String> =
        "-hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=25:duration=4"
            .split(' ')
            .map(String::from)
            .collect();
    if audio {
        args.extend(
            "-f lavfi -i sine=frequency=440:sample_rate=48000:duration=4 -c:a aac -b:a 64k"
                .split(' ')
                .map(String::from),
        );
    }
    args.extend(["-c:v", vcodec, "-g", "25", "-pix_fmt", "yuv420p"].map(String::from));
    if vcodec == "libx265" {
        args.extend(["-x265-params", "log-level=error", "-tag:v", "hvc1"].map(String::from));
    }
    args.push(out.to_string_lossy().into_owned());
    let st = Command::new("ffmpeg")
        .args(&args)
        .status()
        .expect("ffmpeg CLI");
    assert!(st.success());
    out
}

fn remux(src: &Path) -> (Vec<u8>, Vec<mp4::FragmentInfo>) {
    let mut d = Demuxer::open(
        SourceSpec::File {
            path: src.to_path_buf(),
        },
        || false,
    )
    .unwrap();
    let session = d.session().clone();
    let mut m = Fmp4Muxer::new(&session, MuxOptions::default()).unwrap();
    let mut out = vec![];
    let mut frags = vec![];
    let mut sink = |chunks: Vec<Chunk>, out: &mut Vec<u8>| {
        for c in chunks {
            match c {
                Chunk::Init { data, .. } => {
                    assert!(out.is_empty(), "init comes first");
                    out.extend_from_slice(&data)
                }
                Chunk::Fragment { data, info } => {
                    assert!(!out.is_empty());
                    out.extend_from_slice(&data);
                    frags.push(info);
                }
            }
        }
    };
    while let Some(p) = d.next_packet().unwrap() {
        m.write(&p).unwrap();
        sink(m.take_chunks(), &mut out);
    }
    sink(m.finish().unwrap(), &mut out);
    (out, frags)
}

fn ffprobe_frames(path: &Path) -> (String, u64) {
    let o = Command::new("ffprobe")
        .args([
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-count_frames",
            "-show_entries",
            "stream=codec_name,nb_read_frames",
            "-of",
            "csv=p=0",
        ])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = String::from_utf8(o.stdout).unwrap();
    let mut parts = s.trim().split(',');
    (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().parse().unwrap(),
    )
}

fn check(vcodec: &str, audio: bool, want_codec: &str) {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "in.mp4", vcodec, audio);
    let (bytes, frags) = remux(&clip);
    let out = dir.path().join("out.mp4");
    std::fs::write(&out, &bytes).unwrap();

    let scan = mp4::scan(&bytes).unwrap();
    assert_eq!(scan.valid_len, bytes.len() as u64, "no torn tail");
    assert_eq!(scan.fragments.len(), frags.len());
    let ts = scan.init.main_track().unwrap().timescale as f64;
    let total: u64 = frags.iter().map(|f| f.duration).sum();
    assert!(
        (total as f64 / ts - 4.0).abs() < 0.1,
        "media time {}",
        total as f64 / ts
    );
    assert!(frags[0].keyframe, "first fragment starts with a keyframe");
    assert_eq!(frags[0].decode_time, 0, "timestamps start at zero");
    for f in &frags {
        assert!(
            f.duration as f64 / ts <= 1.05,
            "fragments are about a second or less"
        );
    }
    assert!(
        frags.iter().filter(|f| f.keyframe).count() >= 4,
        "a keyframe fragment per GOP"
    );
    let (codec, n) = ffprobe_frames(&out);
    assert_eq!(codec, want_codec);
    assert_eq!(n, 100, "every frame copied");
    if audio {
        assert_eq!(scan.init.tracks.len(), 2);
    }
}

#[test]
fn h264_is_copied_frame_for_frame() {
    check("libx264", false, "h264");
}

#[test]
fn h265_with_aac_is_copied() {
    check("libx265", true, "hevc");
}

#[test]
fn init_names_codec_and_size() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(dir.path(), "in.mp4", "libx264", true);
    let (bytes, _) = remux(&clip);
    let scan = mp4::scan(&bytes).unwrap();
    let v = scan.init.main_track().unwrap();
    assert_eq!(&v.sample_entry, b"avc1");
    assert_eq!((v.width, v.height), (320, 240));
    assert!(scan.init.tracks.iter().any(|t| &t.sample_entry == b"mp4a"));
}
