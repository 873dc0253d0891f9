//! The motion gate: decides, for a few microseconds a frame, whether anything moved, so the model
//! runs only then. It works on the luma plane the decoder already produced (no colour conversion),
//! box-averaged down to a small grid, compared with a slowly adapting background; a cell changed if
//! its brightness differs by more than a threshold, and the frame has motion if enough cells did.
//!
//! Why a background average and not the previous frame: a person walking slowly changes little
//! between two frames 200 ms apart but a lot against the scene as it was a second ago. Why the
//! grid: sensor noise and compression shimmer average out in a cell of ~10×10 pixels.

/// Settings of the gate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MotionConfig {
    /// Grid width in cells (the height follows the frame's aspect ratio).
    pub grid_width: u32,
    /// Brightness change (0–255) of a cell that counts as changed.
    pub threshold: u8,
    /// Fraction of cells that must change for motion (0–1).
    pub min_fraction: f32,
    /// How fast the background follows the scene, per frame (0–1).
    pub alpha: f32,
    /// Above this fraction of changed cells the whole scene changed (lights, IR switch, a camera
    /// moved): the background restarts from this frame, and the frame counts as motion once.
    pub scene_change_fraction: f32,
}

impl Default for MotionConfig {
    fn default() -> Self {
        MotionConfig {
            grid_width: 64,
            threshold: 18,
            min_fraction: 0.002,
            alpha: 0.05,
            scene_change_fraction: 0.6,
        }
    }
}

/// The gate's verdict on one frame.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MotionResult {
    pub motion: bool,
    /// Fraction of grid cells that changed.
    pub changed: f32,
    /// The background restarted (first frame, size change or scene change).
    pub reset: bool,
}

/// The gate of one camera.
#[derive(Clone, Debug)]
pub struct MotionGate {
    config: MotionConfig,
    grid: Vec<f32>,
    background: Vec<f32>,
    cols: usize,
    rows: usize,
    /// Size of the frames the background was built from.
    source: (u32, u32),
}

impl MotionGate {
    pub fn new(config: MotionConfig) -> MotionGate {
        MotionGate {
            config,
            grid: Vec::new(),
            background: Vec::new(),
            cols: 0,
            rows: 0,
            source: (0, 0),
        }
    }

    pub fn config(&self) -> &MotionConfig {
        &self.config
    }

    /// Forget the background (a new session).
    pub fn reset(&mut self) {
        self.background.clear();
        self.source = (0, 0);
    }

    /// Judge one frame given as an 8-bit luma plane of `width`×`height` with rows `stride` bytes
    /// apart. A frame of another size than the last restarts the background.
    pub fn update(&mut self, luma: &[u8], width: u32, height: u32, stride: usize) -> MotionResult {
        let (w, h) = (width as usize, height as usize);
        if w == 0 || h == 0 || stride < w || luma.len() < stride * (h - 1) + w {
            return MotionResult::default();
        }
        if self.source != (width, height) {
            self.cols = (self.config.grid_width.max(4) as usize).min(w);
            self.rows = (self.cols * h / w).clamp(1, h);
            self.source = (width, height);
            self.background.clear();
        }
        self.downscale(luma, w, h, stride);
        if self.background.len() != self.grid.len() {
            self.background.clone_from(&self.grid);
            return MotionResult {
                motion: true,
                changed: 1.0,
                reset: true,
            };
        }
        let threshold = f32::from(self.config.threshold);
        let alpha = self.config.alpha.clamp(0.0, 1.0);
        let mut changed = 0usize;
        for (bg, &v) in self.background.iter_mut().zip(&self.grid) {
            if (v - *bg).abs() > threshold {
                changed += 1;
            }
            *bg += alpha * (v - *bg);
        }
        let fraction = changed as f32 / self.grid.len() as f32;
        if fraction > self.config.scene_change_fraction {
            self.background.clone_from(&self.grid);
            return MotionResult {
                motion: true,
                changed: fraction,
                reset: true,
            };
        }
        MotionResult {
            motion: fraction >= self.config.min_fraction && changed > 0,
            changed: fraction,
            reset: false,
        }
    }

    /// Box-average the plane into `self.grid` (`cols`×`rows`), sampling every other row and column
    /// of each box: plenty for a brightness average, and half the memory reads twice over.
    fn downscale(&mut self, luma: &[u8], w: usize, h: usize, stride: usize) {
        let (cols, rows) = (self.cols, self.rows);
        self.grid.clear();
        self.grid.resize(cols * rows, 0.0);
        for gy in 0..rows {
            let (y0, y1) = (gy * h / rows, ((gy + 1) * h / rows).max(gy * h / rows + 1));
            for gx in 0..cols {
                let (x0, x1) = (gx * w / cols, ((gx + 1) * w / cols).max(gx * w / cols + 1));
                let (mut sum, mut n) = (0u32, 0u32);
                for y in (y0..y1).step_by(2) {
                    let row = &luma[y * stride + x0..y * stride + x1];
                    for &p in row.iter().step_by(2) {
                        sum += u32::from(p);
                        n += 1;
                    }
                }
                self.grid[gy * cols + gx] = sum as f32 / n.max(1) as f32;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 320×240 grey scene with a little noise, and a dark 40×80 "person" at `x`.
    fn scene(person_x: Option<usize>, seed: u32) -> Vec<u8> {
        let (w, h) = (320usize, 240usize);
        let mut v = vec![0u8; w * h];
        let mut s = seed.wrapping_mul(2_654_435_761).max(1);
        for (i, p) in v.iter_mut().enumerate() {
            s ^= s << 13;
            s ^= s >> 17;
            s ^= s << 5;
            *p = 120 + (s % 7) as u8 + (i % w / 40) as u8;
        }
        if let Some(x) = person_x {
            for y in 120..200 {
                for p in &mut v[y * w + x..y * w + x + 40] {
                    *p = 30;
                }
            }
        }
        v
    }

    #[test]
    fn still_noisy_scene_has_no_motion() {
        let mut g = MotionGate::new(MotionConfig::default());
        let first = g.update(&scene(None, 1), 320, 240, 320);
        assert!(first.motion && first.reset, "the first frame is looked at");
        for i in 2..50 {
            let r = g.update(&scene(None, i), 320, 240, 320);
            assert!(!r.motion, "frame {i}: {r:?}");
        }
    }

    #[test]
    fn a_moving_object_is_motion_and_a_parked_one_fades_into_the_background() {
        let mut g = MotionGate::new(MotionConfig::default());
        g.update(&scene(None, 1), 320, 240, 320);
        for (i, x) in (10..250).step_by(12).enumerate() {
            let r = g.update(&scene(Some(x), i as u32 + 2), 320, 240, 320);
            assert!(r.motion && !r.reset, "step {i}: {r:?}");
        }
        // It stops: after a while the background has learnt it.
        let mut last = MotionResult::default();
        for i in 0..150 {
            last = g.update(&scene(Some(250), 500 + i), 320, 240, 320);
        }
        assert!(!last.motion, "{last:?}");
    }

    #[test]
    fn lights_on_resets_the_background_once() {
        let mut g = MotionGate::new(MotionConfig::default());
        g.update(&scene(None, 1), 320, 240, 320);
        let bright: Vec<u8> = scene(None, 2)
            .iter()
            .map(|p| p.saturating_add(60))
            .collect();
        let r = g.update(&bright, 320, 240, 320);
        assert!(r.motion && r.reset, "{r:?}");
        let bright2: Vec<u8> = scene(None, 3)
            .iter()
            .map(|p| p.saturating_add(60))
            .collect();
        assert!(!g.update(&bright2, 320, 240, 320).motion);
    }

    #[test]
    fn stride_size_changes_and_bad_input() {
        let mut g = MotionGate::new(MotionConfig::default());
        // Rows padded to 384 bytes: same verdicts as packed.
        let packed = scene(None, 1);
        let mut padded = vec![255u8; 384 * 240];
        for y in 0..240 {
            padded[y * 384..y * 384 + 320].copy_from_slice(&packed[y * 320..y * 320 + 320]);
        }
        g.update(&padded, 320, 240, 384);
        assert!(!g.update(&padded, 320, 240, 384).motion);
        // A new size restarts the background.
        assert!(g.update(&vec![128u8; 160 * 120], 160, 120, 160).reset);
        // Too short a buffer: no verdict, no panic.
        assert_eq!(g.update(&[0u8; 10], 320, 240, 320), MotionResult::default());
    }
}
