//! Stream copy of real encoded video (made by the ffmpeg CLI) through `Demuxer` and `Fmp4Muxer`:
//! the chunks form a fragmented MP4 that ffprobe reads frame for frame, with ~1 s fragments that
//! start at keyframes where the GOP allows, for H.264 and H.265, with and without AAC audio.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use vigil_media::{Chunk, Demuxer, Fmp4Muxer, MuxEngine, MuxOptions, SourceSpec, mp4};
use vigil_testkit::{ClipSpec, VideoCodec, ffprobe_codec, ffprobe_frames, make_clip};

fn remux(src: &Path) -> (Vec<u8>, Vec<mp4::FragmentInfo>) {
    remux_with(src, MuxEngine::Auto)
}

fn remux_with(src: &Path, engine: MuxEngine) -> (Vec<u8>, Vec<mp4::FragmentInfo>) {
    let mut d = Demuxer::open(
        SourceSpec::File {
            path: src.to_path_buf(),
        },
        || false,
    )
    .unwrap();
    let session = d.session().clone();
    let mut m = Fmp4Muxer::new(
        &session,
        MuxOptions {
            engine,
            ..Default::default()
        },
    )
    .unwrap();
    // MP4 files are in MP4 form: the automatic choice is our own writer.
    assert_eq!(m.is_native(), engine == MuxEngine::Auto);
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

fn check(codec: VideoCodec, audio: bool, want_codec: &str) {
    for engine in [MuxEngine::Auto, MuxEngine::Ffmpeg] {
        check_with(codec, audio, want_codec, engine);
    }
}

fn check_with(codec: VideoCodec, audio: bool, want_codec: &str, engine: MuxEngine) {
    let dir = tempfile::tempdir().unwrap();
    // B-frames in the H.264 case: a file carries decode times, and the copy must keep them.
    let spec = ClipSpec {
        codec,
        audio,
        b_frames: codec == VideoCodec::H264,
        ..Default::default()
    };
    let clip = make_clip(dir.path(), "in.mp4", &spec);
    let (bytes, frags) = remux_with(&clip, engine);
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
    let (codec, n) = (ffprobe_codec(&out), ffprobe_frames(&out, &[]));
    assert_eq!(codec, want_codec);
    assert_eq!(n, 100, "every frame copied");
    if audio {
        assert_eq!(scan.init.tracks.len(), 2);
        // Ours drops the encoder-priming packet from before the first video frame (FFmpeg's
        // keeps it, with an edit list): every other audio packet is kept.
        if engine == MuxEngine::Auto {
            assert_eq!(packets(&out, "a"), packets(&clip, "a"));
        }
    }
    // What players see: the same packets (size, decode order, key flags) as the source.
    assert_eq!(packets(&out, "v"), packets(&clip, "v"), "{engine:?}");
}

/// `size,flags` of every packet of the selected streams, as ffprobe reads them.
fn packets(path: &Path, streams: &str) -> Vec<String> {
    let out = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", streams, "-show_entries"])
        .args(["packet=size,flags", "-of", "csv=p=0"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        // Encoder priming (flag D: decoded then discarded) is not media a recording keeps.
        .filter(|l| !l.is_empty() && !l.contains('D'))
        .map(|l| l.trim_end_matches(',').to_owned())
        .collect()
}

#[test]
fn h264_is_copied_frame_for_frame() {
    check(VideoCodec::H264, false, "h264");
}

#[test]
fn h265_with_aac_is_copied() {
    check(VideoCodec::H265, true, "hevc");
}

#[test]
fn init_names_codec_and_size() {
    let dir = tempfile::tempdir().unwrap();
    let clip = make_clip(
        dir.path(),
        "in.mp4",
        &ClipSpec {
            audio: true,
            ..Default::default()
        },
    );
    let (bytes, _) = remux(&clip);
    let scan = mp4::scan(&bytes).unwrap();
    let v = scan.init.main_track().unwrap();
    assert_eq!(&v.sample_entry, b"avc1");
    assert_eq!((v.width, v.height), (320, 240));
    assert!(scan.init.tracks.iter().any(|t| &t.sample_entry == b"mp4a"));
}
