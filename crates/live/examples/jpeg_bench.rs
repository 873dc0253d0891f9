//! Measures JPEG encode time per frame for the three candidate encoders (the numbers in
//! `src/encode.rs` come from here). Run optimised, on an otherwise idle machine:
//!
//! ```sh
//! cargo run --release -p vigil-live --example jpeg_bench [-- VIDEO_FILE]
//! ```
//!
//! Without a file it encodes 1920x1080 testsrc2 frames made with the ffmpeg CLI.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is the report

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::frame::Video as VideoFrame;
use vigil_live::Quality;
use vigil_live::encode::{JpegMaker, encode_yuv420};
use vigil_media::VideoDecoder;
use vigil_media::{Demuxer, SourceSpec, ffmpeg};

const FRAMES: usize = 24;

fn main() {
    vigil_media::init().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let spec = vigil_testkit::ClipSpec {
                width: 1920,
                height: 1080,
                secs: 2.0,
                ..Default::default()
            };
            vigil_testkit::make_clip(dir.path(), "bench.mp4", &spec)
        });
    let frames = decode_frames(&path, FRAMES);
    let (sw, sh) = (frames[0].width(), frames[0].height());
    println!(
        "source {} ({sw}x{sh}), {} frames",
        path.display(),
        frames.len()
    );
    // Each size at the quality that uses it; FFmpeg's qscale picked for a similar file size.
    for (q, qscale) in [(Quality::High, 2), (Quality::Medium, 4)] {
        let (w, h) = q.max_size();
        let q = q.jpeg_quality();
        let mut maker = JpegMaker::new();
        let yuv: Vec<VideoFrame> = frames
            .iter()
            .map(|f| maker.scale(f, w, h).unwrap().clone())
            .collect();
        let mut sizes = 0;
        let t = time(|i| sizes += encode_yuv420(&yuv[i], q).unwrap().len());
        report(&format!("jpeg-encoder q{q} (planar 4:2:0)"), w, h, t, sizes);

        let rgb: Vec<Vec<u8>> = frames.iter().map(|f| to_rgb(f, w, h)).collect();
        let mut sizes = 0;
        let t = time(|i| {
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, q)
                .encode(&rgb[i], w, h, image::ExtendedColorType::Rgb8)
                .unwrap();
            sizes += out.len();
        });
        report(
            &format!("image JpegEncoder q{q} (RGB, 4:4:4)"),
            w,
            h,
            t,
            sizes,
        );

        let mut mjpeg = ffmpeg_mjpeg(w, h, qscale);
        let (mut sizes, mut pts) = (0, 0);
        let t = time(|i| {
            let mut f = yuv[i].clone();
            pts += 1;
            f.set_pts(Some(pts));
            mjpeg.send_frame(&f).unwrap();
            let mut p = ffmpeg::Packet::empty();
            mjpeg.receive_packet(&mut p).unwrap();
            sizes += p.size();
        });
        report(
            &format!("FFmpeg mjpeg qscale {qscale} (yuvj420p)"),
            w,
            h,
            t,
            sizes,
        );

        let mut sizes = 0;
        let t = time(|i| sizes += maker.encode(&frames[i], w, h, q).unwrap().len());
        report(
            &format!("scale + jpeg-encoder q{q} (the hub)"),
            w,
            h,
            t,
            sizes,
        );
    }
}

fn time(mut f: impl FnMut(usize)) -> Duration {
    f(0); // warm-up
    let start = Instant::now();
    for i in 0..FRAMES {
        f(i);
    }
    start.elapsed() / FRAMES as u32
}

fn report(name: &str, w: u32, h: u32, per_frame: Duration, bytes: usize) {
    println!(
        "{w}x{h} {name:<42} {:>7.2} ms/frame {:>7} bytes/frame",
        per_frame.as_secs_f64() * 1000.0,
        bytes / (FRAMES + 1)
    );
}

fn decode_frames(path: &std::path::Path, n: usize) -> Vec<VideoFrame> {
    let mut demux = Demuxer::open(SourceSpec::File { path: path.into() }, || false).unwrap();
    let mut dec = VideoDecoder::for_session(demux.session()).unwrap();
    let mut frames = Vec::new();
    while frames.len() < n {
        let Some(p) = demux.next_packet().unwrap() else {
            break;
        };
        dec.decode(&p, |f| frames.push(f.clone()));
    }
    frames.truncate(n);
    assert!(!frames.is_empty(), "no frames decoded");
    frames
}

fn to_rgb(f: &VideoFrame, w: u32, h: u32) -> Vec<u8> {
    let mut s = scaling::Context::get(
        f.format(),
        f.width(),
        f.height(),
        Pixel::RGB24,
        w,
        h,
        scaling::Flags::BILINEAR,
    )
    .unwrap();
    let mut out = VideoFrame::empty();
    s.run(f, &mut out).unwrap();
    let stride = out.stride(0);
    let row = w as usize * 3;
    (0..h as usize)
        .flat_map(|y| out.data(0)[y * stride..][..row].to_vec())
        .collect()
}

fn ffmpeg_mjpeg(w: u32, h: u32, qscale: i32) -> ffmpeg::encoder::video::Encoder {
    let codec = ffmpeg::encoder::find(ffmpeg::codec::Id::MJPEG).unwrap();
    let mut enc = ffmpeg::codec::Context::new_with_codec(codec)
        .encoder()
        .video()
        .unwrap();
    enc.set_width(w);
    enc.set_height(h);
    enc.set_format(Pixel::YUVJ420P);
    enc.set_time_base(ffmpeg::Rational::new(1, 25));
    enc.set_flags(ffmpeg::codec::Flags::QSCALE);
    enc.set_qmin(qscale);
    enc.set_qmax(qscale);
    enc.set_global_quality(qscale * 118); // FF_QP2LAMBDA
    enc.open_as(codec).unwrap()
}
