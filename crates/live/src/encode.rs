//! Decoded frame → scaled JPEG. swscale resizes and converts to full-range 4:2:0 (what JFIF
//! means by YCbCr) in one pass; the `jpeg-encoder` crate then encodes those planes directly, with
//! libjpeg's quality scale (Annex K tables scaled by the IJG formula: q70 means libjpeg's q70).
//!
//! Why this encoder: measured with `examples/jpeg_bench.rs` (release build, this project's
//! 2-core machine, encode only unless noted, ms per frame; testsrc2 / real footage upscaled):
//!
//! | encoder                                      | 1920x1080 q90 | 1280x720 q80 |
//! |----------------------------------------------|---------------|--------------|
//! | `jpeg-encoder` 0.7, AVX2, 4:2:0 (chosen)     | 9.0 / 11.0    | 3.7 / 4.7    |
//! | the same plus swscale from the decoded frame | 11.1 / 12.7   | 5.5 / 5.6    |
//! | `image` 0.25 `JpegEncoder` (RGB in, 4:4:4)   | 47 / 52       | 20 / 22      |
//! | FFmpeg `mjpeg` (yuvj420p, fixed qscale)      | 5.4 / 9.5     | 2.1 / 3.9    |
//!
//! FFmpeg's encoder is faster but has no libjpeg quality: it quantises with MPEG-1's matrix times
//! a qscale (libjpeg tables could only be set through raw pointers, and its DC step is 8/4/2/1).
//! `image` is five times slower and cannot subsample chroma. Debug builds are another matter:
//! unoptimised, this encoder takes ~390 ms for a 1080p frame (its generic code is compiled in this
//! crate), so a dev profile meant for watching live video wants `opt-level = 3` for
//! `jpeg-encoder` and `vigil-live`.

use bytes::Bytes;
use ffmpeg::format::Pixel;
use ffmpeg::software::scaling;
use ffmpeg::util::frame::Video as VideoFrame;
use jpeg_encoder::{ChromaSubsamplingMethod, Encoder, ImageBuffer, JpegColorType, SamplingFactor};
use vigil_base::{Result, err};
use vigil_media::ffmpeg;

/// Scales frames to a size and encodes them as JPEG, keeping its scaler and buffers between
/// frames (one per output size in use).
#[derive(Default)]
pub struct JpegMaker {
    scaler: Option<Scaler>,
}

struct Scaler {
    key: (Pixel, u32, u32, u32, u32),
    ctx: scaling::Context,
    out: VideoFrame,
}

impl JpegMaker {
    pub fn new() -> JpegMaker {
        JpegMaker::default()
    }

    /// `frame` scaled to `width`x`height` (even numbers) as a JPEG of libjpeg `quality`.
    pub fn encode(
        &mut self,
        frame: &VideoFrame,
        width: u32,
        height: u32,
        quality: u8,
    ) -> Result<Bytes> {
        let scaled = self.scale(frame, width, height)?;
        encode_yuv420(scaled, quality).map(Bytes::from)
    }

    /// `frame` as full-range YUV 4:2:0 at `width`x`height`.
    pub fn scale(&mut self, frame: &VideoFrame, width: u32, height: u32) -> Result<&VideoFrame> {
        if width == 0 || height == 0 || width > 65_535 || height > 65_535 {
            return Err(err!(InvalidArgument, "bad JPEG size {width}x{height}"));
        }
        let key = (frame.format(), frame.width(), frame.height(), width, height);
        if self.scaler.as_ref().is_none_or(|s| s.key != key) {
            // Bilinear is enough for a live view and costs half of bicubic.
            let ctx = scaling::Context::get(
                key.0,
                key.1,
                key.2,
                Pixel::YUVJ420P,
                width,
                height,
                scaling::Flags::BILINEAR,
            )
            .map_err(|e| {
                err!(
                    Internal,
                    "no scaler from {:?} {}x{} to {width}x{height}: {e}",
                    key.0,
                    key.1,
                    key.2
                )
            })?;
            self.scaler = Some(Scaler {
                key,
                ctx,
                out: VideoFrame::new(Pixel::YUVJ420P, width, height),
            });
        }
        let Some(scaler) = self.scaler.as_mut() else {
            return Err(err!(Internal, "scaler missing"));
        };
        scaler
            .ctx
            .run(frame, &mut scaler.out)
            .map_err(|e| err!(Internal, "scaling a frame: {e}"))?;
        Ok(&scaler.out)
    }
}

/// Encode a full-range YUV 4:2:0 frame (`YUVJ420P`, even size) as a baseline JPEG, 4:2:0.
pub fn encode_yuv420(frame: &VideoFrame, quality: u8) -> Result<Vec<u8>> {
    let image = Yuv420::new(frame)?;
    let (w, h) = (usize::from(image.width), usize::from(image.height));
    let mut out = Vec::with_capacity(w * h / 4 + 1024);
    let mut enc = Encoder::new(&mut out, quality.clamp(1, 100));
    // libjpeg's default sampling at every quality (the crate switches to 4:4:4 at q90, which
    // only adds bytes here: the source chroma is 4:2:0 already).
    enc.set_sampling_factor(SamplingFactor::F_2_2);
    enc.set_chroma_subsampling_method(ChromaSubsamplingMethod::Nearest);
    enc.encode_image(image)
        .map_err(|e| err!(Internal, "JPEG encoding: {e}"))?;
    Ok(out)
}

/// The planes of a `YUVJ420P` frame, row by row as the encoder asks for them. Chroma is repeated
/// horizontally; with nearest 2x2 subsampling the encoder takes back exactly the source samples.
struct Yuv420<'a> {
    planes: [(&'a [u8], usize); 3],
    width: u16,
    height: u16,
}

impl<'a> Yuv420<'a> {
    fn new(frame: &'a VideoFrame) -> Result<Yuv420<'a>> {
        if frame.format() != Pixel::YUVJ420P || frame.planes() < 3 {
            return Err(err!(
                Internal,
                "JPEG input must be YUVJ420P, got {:?}",
                frame.format()
            ));
        }
        let (Ok(width), Ok(height)) = (u16::try_from(frame.width()), u16::try_from(frame.height()))
        else {
            return Err(err!(InvalidArgument, "frame too large for JPEG"));
        };
        if width == 0 || height == 0 || width % 2 != 0 || height % 2 != 0 {
            return Err(err!(
                InvalidArgument,
                "JPEG size {width}x{height} must be even"
            ));
        }
        let plane = |i: usize| (frame.data(i), frame.stride(i));
        Ok(Yuv420 {
            planes: [plane(0), plane(1), plane(2)],
            width,
            height,
        })
    }
}

impl ImageBuffer for Yuv420<'_> {
    fn get_jpeg_color_type(&self) -> JpegColorType {
        JpegColorType::Ycbcr
    }

    fn width(&self) -> u16 {
        self.width
    }

    fn height(&self) -> u16 {
        self.height
    }

    fn fill_buffers(&self, y: u16, buffers: &mut [Vec<u8>; 4]) {
        let w = usize::from(self.width);
        let y = usize::from(y);
        let (luma, stride) = self.planes[0];
        buffers[0].extend_from_slice(&luma[y * stride..][..w]);
        for (buffer, (chroma, stride)) in buffers[1..3].iter_mut().zip(&self.planes[1..]) {
            let row = &chroma[(y / 2) * stride..][..w / 2];
            buffer.extend(row.iter().flat_map(|&v| [v, v]));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gradient(width: u32, height: u32) -> VideoFrame {
        let mut f = VideoFrame::new(Pixel::YUVJ420P, width, height);
        for i in 0..3 {
            let (w, h, stride) = (f.plane_width(i), f.plane_height(i), f.stride(i));
            let data = f.data_mut(i);
            for y in 0..h as usize {
                for x in 0..w as usize {
                    data[y * stride + x] = if i == 0 {
                        (x * 255 / w as usize) as u8
                    } else {
                        128
                    };
                }
            }
        }
        f
    }

    #[test]
    fn encodes_a_decodable_jpeg_of_the_right_size() {
        vigil_media::init().unwrap();
        let f = gradient(64, 48);
        let jpeg = encode_yuv420(&f, 80).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let img = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap();
        assert_eq!((img.width(), img.height()), (64, 48));
        // Full range kept: the left edge is black, the right edge near white.
        let rgb = img.to_rgb8();
        assert!(rgb.get_pixel(0, 24)[0] < 16);
        assert!(rgb.get_pixel(63, 24)[0] > 230);
    }

    /// The quantisation tables (DQT segments) of a baseline JPEG, in zigzag order.
    fn dqt_tables(jpeg: &[u8]) -> Vec<[u8; 64]> {
        let mut tables = vec![];
        let mut i = 2;
        while i + 4 <= jpeg.len() && jpeg[i] == 0xFF && jpeg[i + 1] != 0xDA {
            let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
            if jpeg[i + 1] == 0xDB {
                for t in jpeg[i + 4..i + 2 + len].chunks(65) {
                    assert_eq!(t[0] >> 4, 0, "8-bit tables");
                    tables.push(t[1..].try_into().unwrap());
                }
            }
            i += 2 + len;
        }
        tables
    }

    #[test]
    fn quality_means_what_it_means_to_libjpeg() {
        // ITU T.81 Annex K tables (natural order) and the zigzag scan.
        const LUMA: [u32; 64] = [
            16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57,
            69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55,
            64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100,
            103, 99,
        ];
        const CHROMA: [u32; 64] = {
            let mut t = [99; 64];
            let rows = [
                [17, 18, 24, 47],
                [18, 21, 26, 66],
                [24, 26, 56, 99],
                [47, 66, 99, 99],
            ];
            let mut i = 0;
            while i < 16 {
                t[(i / 4) * 8 + i % 4] = rows[i / 4][i % 4];
                i += 1;
            }
            t
        };
        const ZIGZAG: [usize; 64] = [
            0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34,
            27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37,
            44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        ];
        // libjpeg's jpeg_quality_scaling and jpeg_add_quant_table (baseline: 1..=255).
        let libjpeg = |base: u32, q: u32| {
            let scale = if q < 50 { 5000 / q } else { 200 - 2 * q };
            ((base * scale + 50) / 100).clamp(1, 255) as u8
        };
        vigil_media::init().unwrap();
        let f = gradient(32, 32);
        for q in [70u8, 80, 90] {
            let tables = dqt_tables(&encode_yuv420(&f, q).unwrap());
            assert_eq!(tables.len(), 2, "q{q}");
            for (k, &n) in ZIGZAG.iter().enumerate() {
                assert_eq!(tables[0][k], libjpeg(LUMA[n], q.into()), "q{q} luma {n}");
                assert_eq!(
                    tables[1][k],
                    libjpeg(CHROMA[n], q.into()),
                    "q{q} chroma {n}"
                );
            }
        }
    }

    #[test]
    fn higher_quality_means_more_bytes() {
        vigil_media::init().unwrap();
        let mut maker = JpegMaker::new();
        let f = gradient(320, 240);
        let low = maker.encode(&f, 160, 120, 30).unwrap();
        let high = maker.encode(&f, 160, 120, 95).unwrap();
        assert!(high.len() > low.len(), "{} <= {}", high.len(), low.len());
        assert!(maker.encode(&f, 0, 120, 50).is_err());
    }
}
