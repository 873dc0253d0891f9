//! From a decoded RGB frame to a model's input tensor: resize (stretch or letterbox), channel
//! order, layout (NCHW/NHWC), element type and normalisation — and the inverse transform that puts
//! the model's boxes back into the frame's pixels.

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::RgbImage;
use vigil_base::{Result, err};

use crate::config::{ColorOrder, DType, InputSpec, Layout, ResizeMode};
use crate::geometry::BBox;

/// A borrowed RGB8 frame: `height` rows of `stride` bytes, each starting with `width` RGB pixels.
#[derive(Clone, Copy, Debug)]
pub struct FrameRef<'a> {
    width: u32,
    height: u32,
    stride: usize,
    data: &'a [u8],
}

impl<'a> FrameRef<'a> {
    /// Tightly packed rows (`stride = 3 × width`).
    pub fn new(width: u32, height: u32, data: &'a [u8]) -> Result<Self> {
        FrameRef::with_stride(width, height, width as usize * 3, data)
    }

    /// Rows `stride` bytes apart (FFmpeg's line size), padding ignored.
    pub fn with_stride(width: u32, height: u32, stride: usize, data: &'a [u8]) -> Result<Self> {
        if width == 0 || height == 0 {
            return Err(err!(InvalidArgument, "empty frame ({width}x{height})"));
        }
        let row = width as usize * 3;
        if stride < row {
            return Err(err!(
                InvalidArgument,
                "stride {stride} is less than 3 × width {width}"
            ));
        }
        let needed = stride * (height as usize - 1) + row;
        if data.len() < needed {
            return Err(err!(
                InvalidArgument,
                "frame buffer has {} bytes, {width}x{height} RGB with stride {stride} needs {needed}",
                data.len()
            ));
        }
        Ok(FrameRef {
            width,
            height,
            stride,
            data,
        })
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    fn packed(&self) -> std::borrow::Cow<'a, [u8]> {
        let row = self.width as usize * 3;
        let len = row * self.height as usize;
        if self.stride == row {
            return std::borrow::Cow::Borrowed(&self.data[..len]);
        }
        let mut out = Vec::with_capacity(len);
        for y in 0..self.height as usize {
            out.extend_from_slice(&self.data[y * self.stride..y * self.stride + row]);
        }
        std::borrow::Cow::Owned(out)
    }
}

impl<'a> From<&'a RgbImage> for FrameRef<'a> {
    fn from(img: &'a RgbImage) -> Self {
        FrameRef {
            width: img.width(),
            height: img.height(),
            stride: img.width() as usize * 3,
            data: img.as_raw(),
        }
    }
}

/// Maps model-input pixels to frame pixels: `input = frame × scale + pad`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Transform {
    pub scale_x: f32,
    pub scale_y: f32,
    pub pad_x: f32,
    pub pad_y: f32,
    pub frame_width: u32,
    pub frame_height: u32,
}

impl Transform {
    /// Where a frame of `width × height` goes inside an input of the spec's size: the scales,
    /// the offsets, and the size of the resized picture.
    pub fn plan(width: u32, height: u32, spec: &InputSpec) -> (Transform, u32, u32) {
        let (iw, ih) = (spec.width, spec.height);
        let (cw, ch) = match spec.resize {
            ResizeMode::Stretch => (iw, ih),
            ResizeMode::Letterbox => {
                let s = (iw as f32 / width as f32).min(ih as f32 / height as f32);
                let cw = ((width as f32 * s).round() as u32).clamp(1, iw);
                let ch = ((height as f32 * s).round() as u32).clamp(1, ih);
                (cw, ch)
            }
        };
        let t = Transform {
            scale_x: cw as f32 / width as f32,
            scale_y: ch as f32 / height as f32,
            pad_x: ((iw - cw) / 2) as f32,
            pad_y: ((ih - ch) / 2) as f32,
            frame_width: width,
            frame_height: height,
        };
        (t, cw, ch)
    }

    /// A box in model-input pixels to frame pixels, clipped to the frame.
    pub fn to_frame(&self, b: &BBox) -> BBox {
        BBox::new(
            (b.x1 - self.pad_x) / self.scale_x,
            (b.y1 - self.pad_y) / self.scale_y,
            (b.x2 - self.pad_x) / self.scale_x,
            (b.y2 - self.pad_y) / self.scale_y,
        )
        .normalized_order()
        .clamp(self.frame_width as f32, self.frame_height as f32)
    }
}

/// A filled input tensor, in the element type the model takes.
#[derive(Debug)]
pub enum TensorData {
    F32(Vec<f32>),
    U8(Vec<u8>),
}

/// Reusable buffers, resizer and lookup tables for one input spec.
pub struct Preprocessor {
    spec: InputSpec,
    /// Per model channel: which RGB channel feeds it.
    source_channel: [usize; 3],
    /// Per model channel: the normalised value of each byte value.
    lut: [[f32; 256]; 3],
    resizer: Resizer,
    options: ResizeOptions,
    resized: Vec<u8>,
}

impl Preprocessor {
    pub fn new(spec: &InputSpec) -> Self {
        let source_channel = match spec.color {
            ColorOrder::Rgb => [0, 1, 2],
            ColorOrder::Bgr => [2, 1, 0],
        };
        let mean = spec.mean.unwrap_or([0.0; 3]);
        let std = spec.std.unwrap_or([1.0; 3]);
        let mut lut = [[0.0f32; 256]; 3];
        for c in 0..3 {
            for (v, slot) in lut[c].iter_mut().enumerate() {
                *slot = (v as f32 - mean[c]) / std[c];
            }
        }
        Preprocessor {
            spec: spec.clone(),
            source_channel,
            lut,
            resizer: Resizer::new(),
            // A convolution (not point sampling): antialiased when shrinking 1080p to 416.
            options: ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear)),
            resized: Vec::new(),
        }
    }

    /// The tensor's shape for the spec's layout.
    pub fn shape(&self) -> [usize; 4] {
        let (w, h) = (self.spec.width as usize, self.spec.height as usize);
        match self.spec.layout {
            Layout::Nchw => [1, 3, h, w],
            Layout::Nhwc => [1, h, w, 3],
        }
    }

    /// Resizes the frame and writes the tensor into `out` (resized as needed, reused across calls).
    pub fn run(&mut self, frame: FrameRef<'_>, out: &mut TensorData) -> Result<Transform> {
        let (t, cw, ch) = Transform::plan(frame.width, frame.height, &self.spec);
        let packed = frame.packed();
        let mut resized = std::mem::take(&mut self.resized);
        let pixels: &[u8] = if (cw, ch) == (frame.width, frame.height) {
            &packed
        } else {
            let src = ImageRef::new(frame.width, frame.height, &packed, PixelType::U8x3)
                .map_err(|e| err!(Internal, "frame buffer: {e}"))?;
            resized.clear();
            resized.resize(cw as usize * ch as usize * 3, 0);
            let mut dst = Image::from_slice_u8(cw, ch, &mut resized, PixelType::U8x3)
                .map_err(|e| err!(Internal, "resize buffer: {e}"))?;
            self.resizer
                .resize(&src, &mut dst, &self.options)
                .map_err(|e| err!(Internal, "resizing the frame: {e}"))?;
            &resized
        };
        let img = (pixels, cw as usize, ch as usize);
        let (px, py) = (t.pad_x as usize, t.pad_y as usize);
        match (self.spec.dtype, out) {
            (DType::F32, TensorData::F32(buf)) => {
                self.fill(img, px, py, buf, |c, v| self.lut[c][v as usize])
            }
            (DType::U8, TensorData::U8(buf)) => self.fill(img, px, py, buf, |_, v| v),
            (DType::F32, out) => {
                let mut buf = Vec::new();
                self.fill(img, px, py, &mut buf, |c, v| self.lut[c][v as usize]);
                *out = TensorData::F32(buf);
            }
            (DType::U8, out) => {
                let mut buf = Vec::new();
                self.fill(img, px, py, &mut buf, |_, v| v);
                *out = TensorData::U8(buf);
            }
        }
        self.resized = resized;
        Ok(t)
    }

    /// Writes an RGB picture (`pixels`, width, height) at `(px, py)` into a padded input-sized
    /// tensor, mapping each byte with `f`.
    fn fill<T: Copy>(
        &self,
        (raw, iw, ih): (&[u8], usize, usize),
        px: usize,
        py: usize,
        buf: &mut Vec<T>,
        f: impl Fn(usize, u8) -> T,
    ) {
        let (w, h) = (self.spec.width as usize, self.spec.height as usize);
        let pad = self.spec.pad_value;
        buf.clear();
        buf.resize(w * h * 3, f(0, pad));
        let letterboxed = iw != w || ih != h;
        match self.spec.layout {
            Layout::Nchw => {
                for (c, &sc) in self.source_channel.iter().enumerate() {
                    let plane = &mut buf[c * w * h..(c + 1) * w * h];
                    if letterboxed {
                        plane.fill(f(c, pad));
                    }
                    for y in 0..ih {
                        let row = &raw[y * iw * 3..(y + 1) * iw * 3];
                        let dst = &mut plane[(y + py) * w + px..(y + py) * w + px + iw];
                        for (d, p) in dst.iter_mut().zip(row.chunks_exact(3)) {
                            *d = f(c, p[sc]);
                        }
                    }
                }
            }
            Layout::Nhwc => {
                if letterboxed {
                    for pixel in buf.chunks_exact_mut(3) {
                        for (c, v) in pixel.iter_mut().enumerate() {
                            *v = f(c, pad);
                        }
                    }
                }
                for y in 0..ih {
                    let row = &raw[y * iw * 3..(y + 1) * iw * 3];
                    let start = ((y + py) * w + px) * 3;
                    let dst = &mut buf[start..start + iw * 3];
                    for (d, p) in dst.chunks_exact_mut(3).zip(row.chunks_exact(3)) {
                        for c in 0..3 {
                            d[c] = f(c, p[self.source_channel[c]]);
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(layout: Layout, dtype: DType, color: ColorOrder, resize: ResizeMode) -> InputSpec {
        InputSpec {
            name: None,
            layout,
            width: 8,
            height: 8,
            dtype,
            color,
            resize,
            mean: None,
            std: None,
            pad_value: 114,
        }
    }

    /// A 4x2 frame: left half pure red (200,0,0), right half (0,50,100).
    fn frame() -> RgbImage {
        RgbImage::from_fn(4, 2, |x, _| {
            if x < 2 {
                image::Rgb([200, 0, 0])
            } else {
                image::Rgb([0, 50, 100])
            }
        })
    }

    #[test]
    fn frame_ref_checks_sizes_and_strides() {
        assert!(FrameRef::new(2, 2, &[0; 11]).is_err());
        assert!(FrameRef::new(0, 2, &[]).is_err());
        assert!(FrameRef::with_stride(2, 2, 5, &[0; 12]).is_err());
        // stride 8: 6 bytes of pixels + 2 of padding per row; the last row may be short
        let data = [1, 2, 3, 4, 5, 6, 99, 99, 7, 8, 9, 10, 11, 12];
        let f = FrameRef::with_stride(2, 2, 8, &data).unwrap();
        assert_eq!(&f.packed()[..], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    }

    #[test]
    fn letterbox_plan_and_inverse() {
        let mut s = spec(
            Layout::Nchw,
            DType::F32,
            ColorOrder::Rgb,
            ResizeMode::Letterbox,
        );
        s.width = 640;
        s.height = 640;
        let (t, cw, ch) = Transform::plan(1280, 720, &s);
        assert_eq!((cw, ch), (640, 360));
        assert_eq!((t.pad_x, t.pad_y), (0.0, 140.0));
        let back = t.to_frame(&BBox::new(320.0, 140.0, 640.0, 500.0));
        assert_eq!(back, BBox::new(640.0, 0.0, 1280.0, 720.0));
        // stretch: independent scales, no padding; clipped to the frame
        s.resize = ResizeMode::Stretch;
        let (t, cw, ch) = Transform::plan(1280, 720, &s);
        assert_eq!((cw, ch, t.pad_y), (640, 640, 0.0));
        let back = t.to_frame(&BBox::new(-10.0, 320.0, 320.0, 700.0));
        assert_eq!(back, BBox::new(0.0, 360.0, 640.0, 720.0));
    }

    #[test]
    fn nchw_bgr_normalised_with_letterbox_padding() {
        let mut s = spec(
            Layout::Nchw,
            DType::F32,
            ColorOrder::Bgr,
            ResizeMode::Letterbox,
        );
        s.mean = Some([10.0, 20.0, 30.0]);
        s.std = Some([2.0, 2.0, 2.0]);
        let mut p = Preprocessor::new(&s);
        assert_eq!(p.shape(), [1, 3, 8, 8]);
        let mut out = TensorData::F32(Vec::new());
        let img = frame();
        let t = p.run(FrameRef::from(&img), &mut out).unwrap();
        // 4x2 → 8x4 content, 2 rows of padding above and below
        assert_eq!(
            (t.scale_x, t.scale_y, t.pad_x, t.pad_y),
            (2.0, 2.0, 0.0, 2.0)
        );
        let TensorData::F32(buf) = out else { panic!() };
        assert_eq!(buf.len(), 3 * 64);
        let at = |c: usize, y: usize, x: usize| buf[c * 64 + y * 8 + x];
        // padding row: (114 - mean) / std per channel
        assert_eq!(at(0, 0, 0), (114.0 - 10.0) / 2.0);
        assert_eq!(at(2, 7, 7), (114.0 - 30.0) / 2.0);
        // channel 0 is blue, channel 2 red; far left is pure red
        assert_eq!(at(0, 3, 0), (0.0 - 10.0) / 2.0);
        assert_eq!(at(2, 3, 0), (200.0 - 30.0) / 2.0);
        // far right: blue 100, red 0
        assert_eq!(at(0, 4, 7), (100.0 - 10.0) / 2.0);
        assert_eq!(at(2, 4, 7), (0.0 - 30.0) / 2.0);
    }

    #[test]
    fn nhwc_u8_rgb_stretch() {
        let mut p = Preprocessor::new(&spec(
            Layout::Nhwc,
            DType::U8,
            ColorOrder::Rgb,
            ResizeMode::Stretch,
        ));
        assert_eq!(p.shape(), [1, 8, 8, 3]);
        // a wrongly typed buffer is replaced
        let mut out = TensorData::F32(vec![1.0]);
        let img = frame();
        let t = p.run(FrameRef::from(&img), &mut out).unwrap();
        assert_eq!((t.scale_x, t.scale_y), (2.0, 4.0));
        let TensorData::U8(buf) = out else { panic!() };
        assert_eq!(buf.len(), 192);
        assert_eq!(&buf[0..3], &[200, 0, 0]); // top-left pixel
        assert_eq!(&buf[(7 * 8 + 7) * 3..], &[0, 50, 100]); // bottom-right pixel
    }

    #[test]
    fn same_size_frame_is_copied_as_is() {
        let mut s = spec(
            Layout::Nhwc,
            DType::U8,
            ColorOrder::Bgr,
            ResizeMode::Stretch,
        );
        s.width = 4;
        s.height = 2;
        let mut p = Preprocessor::new(&s);
        let mut out = TensorData::U8(Vec::new());
        let img = frame();
        p.run(FrameRef::from(&img), &mut out).unwrap();
        let TensorData::U8(buf) = out else { panic!() };
        assert_eq!(&buf[0..3], &[0, 0, 200]);
        assert_eq!(&buf[9..12], &[100, 50, 0]);
    }
}
