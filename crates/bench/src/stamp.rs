//! Reading the capture time burned into the pictures of the `clock` source of
//! `tests/support/rtsp_server.py`: 64 cells in two rows of 32 across the full width, one cell below
//! the top, each cell WIDTH/32 pixels square, black (luma 16) or white (235). Cell k (row-major) is
//! bit 63-k of a word holding a 48-bit wall-clock time in ms and a CRC-16/CCITT (poly 0x1021, init
//! 0xFFFF) of its 6 big-endian bytes. The picture may have been scaled (the code scales with it),
//! JPEG- or H.264-compressed, and be in video or full range.

/// A cell whose mean luma is this close to mid-grey is unreadable (the picture is not a clock
/// frame, or is damaged): the frame is rejected rather than guessed.
const AMBIGUOUS: f64 = 40.0;

/// The time (ms since the Unix epoch) a luma plane shows, or None when it carries no valid code.
pub fn read(luma: &[u8], width: usize, height: usize, stride: usize) -> Option<i64> {
    if width < 32 || stride < width || luma.len() < stride * (height.max(1) - 1) + width {
        return None;
    }
    let cell = width as f64 / 32.0;
    if 3.0 * cell > height as f64 {
        return None;
    }
    let mut word: u64 = 0;
    for k in 0..64usize {
        let (r, c) = (k / 32, k % 32);
        // The middle half of the cell, clear of the blur at its edges.
        let x0 = ((c as f64 + 0.25) * cell).round() as usize;
        let x1 = (((c as f64 + 0.75) * cell).round() as usize).max(x0 + 1);
        let y0 = ((1.0 + r as f64 + 0.25) * cell).round() as usize;
        let y1 = (((1.0 + r as f64 + 0.75) * cell).round() as usize).max(y0 + 1);
        let (mut sum, mut n) = (0u64, 0u64);
        for y in y0..y1.min(height) {
            let row = &luma[y * stride..y * stride + width];
            for &v in &row[x0.min(width)..x1.min(width)] {
                sum += u64::from(v);
                n += 1;
            }
        }
        if n == 0 {
            return None;
        }
        let mean = sum as f64 / n as f64;
        if (mean - 128.0).abs() < AMBIGUOUS {
            return None;
        }
        word = word << 1 | u64::from(mean > 128.0);
    }
    let ms = word >> 16;
    let bytes = ms.to_be_bytes();
    (crc16(&bytes[2..]) == (word & 0xFFFF) as u16).then_some(ms as i64)
}

/// CRC-16/CCITT-FALSE, as the Python generator computes it.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                crc << 1 ^ 0x1021
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// The time shown by a JPEG picture (an MJPEG message), decoded to luma.
pub fn read_jpeg(jpeg: &[u8]) -> anyhow::Result<Option<i64>> {
    let img = image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg)?.to_luma8();
    let (w, h) = (img.width() as usize, img.height() as usize);
    Ok(read(img.as_raw(), w, h, w))
}

/// The time shown by a decoded video frame (its luma plane).
pub fn read_frame(frame: &vigil_media::ffmpeg::util::frame::Video) -> Option<i64> {
    let (w, h) = (frame.width() as usize, frame.height() as usize);
    read(frame.data(0), w, h, frame.stride(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A plane drawn the way the Python generator draws it (its own test draws it for real).
    fn draw(ms: i64, w: usize, h: usize) -> Vec<u8> {
        let word = (ms as u64) << 16 | u64::from(crc16(&(ms as u64).to_be_bytes()[2..]));
        let cell = w / 32;
        let mut p = vec![128u8; w * h];
        for k in 0..64 {
            let v = if word >> (63 - k) & 1 == 1 { 235 } else { 16 };
            let (r, c) = (k / 32, k % 32);
            for y in (1 + r) * cell..(2 + r) * cell {
                p[y * w + c * cell..y * w + (c + 1) * cell].fill(v);
            }
        }
        p
    }

    #[test]
    fn crc_matches_the_reference() {
        // CRC-16/CCITT-FALSE check value.
        assert_eq!(crc16(b"123456789"), 0x29B1);
    }

    #[test]
    fn reads_what_was_drawn_and_rejects_damage() {
        let ms = 1_763_683_200_123;
        let mut p = draw(ms, 1280, 720);
        assert_eq!(read(&p, 1280, 720, 1280), Some(ms));
        // One cell flipped: the CRC catches it.
        for y in 50..70 {
            for x in 45..75 {
                p[y * 1280 + x] = 255 - p[y * 1280 + x];
            }
        }
        assert_eq!(read(&p, 1280, 720, 1280), None);
        // A grey picture has no code.
        assert_eq!(read(&vec![128; 1280 * 720], 1280, 720, 1280), None);
        // Nor does a black one (all-zero word fails the CRC).
        assert_eq!(read(&vec![0; 640 * 360], 640, 360, 640), None);
    }

    /// Frames made by the Python generator (tests/support/rtsp_server.py --frames), compressed by
    /// the ffmpeg CLI at high and very low quality, read back through the bench's own decode paths.
    mod python_frames {
        use std::path::{Path, PathBuf};
        use std::process::Command;

        use super::super::read_jpeg;
        use crate::fmp4;

        const W: usize = 1280;
        const H: usize = 720;

        /// Writes `n` frames to dir/f.yuv; returns the times they show.
        fn generate(dir: &Path, n: usize) -> Vec<i64> {
            let script = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../tests/support/rtsp_server.py"
            );
            let out = Command::new("/usr/bin/python3")
                .arg(script)
                .arg("--frames")
                .arg(dir.join("f.yuv"))
                .arg(format!("{W}x{H}"))
                .arg(n.to_string())
                .arg("1763683200007")
                .arg("40")
                .output()
                .expect("/usr/bin/python3");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let times: Vec<i64> = String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(|l| l.trim().parse().expect("a time per line"))
                .collect();
            assert_eq!(times.len(), n);
            times
        }

        fn ffmpeg(dir: &Path, args: &[&str]) {
            let st = Command::new("ffmpeg")
                .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo"])
                .args([
                    "-pix_fmt",
                    "yuv420p",
                    "-s",
                    &format!("{W}x{H}"),
                    "-r",
                    "25",
                    "-i",
                ])
                .arg(dir.join("f.yuv"))
                .args(args)
                .current_dir(dir)
                .status()
                .expect("ffmpeg");
            assert!(st.success(), "ffmpeg {args:?}");
        }

        /// H.264 in fragmented MP4, one frame per fragment (as MSE gets it), decoded by FFmpeg.
        fn h264_times(dir: &Path, name: &str, crf: &str, vf: &str) -> Vec<Option<i64>> {
            ffmpeg(
                dir,
                &[
                    "-vf",
                    vf,
                    "-c:v",
                    "libx264",
                    "-preset",
                    "ultrafast",
                    "-tune",
                    "zerolatency",
                    "-bf",
                    "0",
                    "-g",
                    "25",
                    "-crf",
                    crf,
                    "-movflags",
                    "frag_keyframe+empty_moov+default_base_moof+frag_every_frame",
                    name,
                ],
            );
            let buf = std::fs::read(dir.join(name)).expect("mp4");
            let track = fmp4::parse_init(&buf).expect("init");
            let mut dec = fmp4::Decoder::new(track.clone()).expect("decoder");
            let mut times = vec![];
            let samples = fmp4::samples(&buf, &track).expect("samples");
            assert!(samples[0].keyframe);
            for s in &samples {
                dec.decode(s, |f| times.push(super::super::read_frame(f)))
                    .expect("decode");
            }
            times
        }

        fn jpeg_times(dir: &Path, prefix: &str, q: &str, vf: &str) -> Vec<Option<i64>> {
            let pattern = format!("{prefix}%03d.jpg");
            ffmpeg(
                dir,
                &[
                    "-vf", vf, "-pix_fmt", "yuvj420p", "-c:v", "mjpeg", "-q:v", q, &pattern,
                ],
            );
            let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
                .expect("dir")
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".jpg"))
                })
                .collect();
            files.sort();
            files
                .iter()
                .map(|p| read_jpeg(&std::fs::read(p).expect("jpeg")).expect("decodes"))
                .collect()
        }

        #[test]
        fn the_time_code_survives_h264_and_jpeg() {
            let dir = tempfile::tempdir().expect("tempdir");
            let d = dir.path();
            // A keyframe and P-frames (GOP 25) are enough; debug-build JPEG decoding is slow.
            let times = generate(d, 12);
            let want: Vec<Option<i64>> = times.iter().map(|&t| Some(t)).collect();
            let full = format!("scale={W}:{H}");
            // High quality, very low quality, and scaled to the MJPEG low level's 640x360 — down to
            // x264's worst (crf 51) and the JPEG encoder's worst (q:v 31).
            assert_eq!(h264_times(d, "hi.mp4", "18", &full), want, "x264 crf 18");
            assert_eq!(h264_times(d, "lo.mp4", "45", &full), want, "x264 crf 45");
            assert_eq!(
                h264_times(d, "worst.mp4", "51", "scale=640:360"),
                want,
                "x264 640x360 crf 51"
            );
            assert_eq!(jpeg_times(d, "j_hi_", "2", &full), want, "JPEG q:v 2");
            assert_eq!(jpeg_times(d, "j_lo_", "31", &full), want, "JPEG q:v 31");
            assert_eq!(
                jpeg_times(d, "j_small_", "31", "scale=640:360"),
                want,
                "JPEG 640x360 q:v 31"
            );
        }
    }
}
