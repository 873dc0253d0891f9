//! The live-view quality levels a viewer picks from, and the output size each gives for a source:
//! the source fitted into the level's box, aspect ratio kept, never upscaled, even dimensions.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use vigil_base::{Error, err};

/// A live-view quality: a bounding box, a frame rate and a JPEG quality (libjpeg scale, 1–100).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    /// 640x360 @ 5 fps, q70.
    Low,
    /// 1280x720 @ 10 fps, q80.
    Medium,
    /// 1920x1080 @ 15 fps, q90.
    High,
}

impl Quality {
    /// Every level, in index order.
    pub const ALL: [Quality; 3] = [Quality::Low, Quality::Medium, Quality::High];

    /// The largest output size (width, height).
    pub const fn max_size(self) -> (u32, u32) {
        match self {
            Quality::Low => (640, 360),
            Quality::Medium => (1280, 720),
            Quality::High => (1920, 1080),
        }
    }

    /// Frames per second of media time.
    pub const fn fps(self) -> u32 {
        match self {
            Quality::Low => 5,
            Quality::Medium => 10,
            Quality::High => 15,
        }
    }

    /// The time between two frames, in media time.
    pub fn frame_interval(self) -> Duration {
        Duration::from_secs(1) / self.fps()
    }

    /// JPEG quality with libjpeg's meaning (Annex K tables scaled by the IJG formula).
    pub const fn jpeg_quality(self) -> u8 {
        match self {
            Quality::Low => 70,
            Quality::Medium => 80,
            Quality::High => 90,
        }
    }

    /// The lowercase name (`low`, `medium`, `high`), as in URLs and JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Quality::Low => "low",
            Quality::Medium => "medium",
            Quality::High => "high",
        }
    }

    /// Position in [`Quality::ALL`] (for per-quality arrays).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The output size for a `width`x`height` source.
    pub fn output_size(self, width: u32, height: u32) -> (u32, u32) {
        let (bw, bh) = self.max_size();
        fit_within(width, height, bw, bh)
    }
}

/// `width`x`height` scaled to fit inside `max_w`x`max_h` keeping the aspect ratio, never enlarged,
/// rounded down to even numbers (4:2:0 chroma), at least 2x2. A zero-sized source gives (0, 0).
pub fn fit_within(width: u32, height: u32, max_w: u32, max_h: u32) -> (u32, u32) {
    if width == 0 || height == 0 {
        return (0, 0);
    }
    let (w, h) = (u64::from(width), u64::from(height));
    let (mw, mh) = (u64::from(max_w), u64::from(max_h));
    let (w, h) = if w <= mw && h <= mh {
        (w, h)
    } else if w * mh > h * mw {
        // Wider than the box: width is the limit.
        (mw, (h * mw + w / 2) / w)
    } else {
        (((w * mh) + h / 2) / h, mh)
    };
    let even = |v: u64| u32::try_from(v & !1).unwrap_or(u32::MAX).max(2);
    (even(w), even(h))
}

impl fmt::Display for Quality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Quality {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "low" => Ok(Quality::Low),
            "medium" => Ok(Quality::Medium),
            "high" => Ok(Quality::High),
            _ => Err(err!(
                InvalidArgument,
                code = QualityInvalid,
                "unknown live quality {s:?} (expected low, medium or high)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_fit_the_box_keep_aspect_and_never_upscale() {
        assert_eq!(Quality::High.output_size(3840, 2160), (1920, 1080));
        assert_eq!(Quality::Medium.output_size(1920, 1080), (1280, 720));
        assert_eq!(Quality::Low.output_size(1920, 1080), (640, 360));
        // 4:3 is limited by height.
        assert_eq!(Quality::Low.output_size(1024, 768), (480, 360));
        assert_eq!(Quality::Medium.output_size(768, 576), (768, 576));
        // Smaller than the box: unchanged (made even).
        assert_eq!(Quality::High.output_size(320, 240), (320, 240));
        assert_eq!(Quality::High.output_size(321, 241), (320, 240));
        // Very wide and very tall sources.
        assert_eq!(Quality::Low.output_size(4000, 1000), (640, 160));
        assert_eq!(Quality::Low.output_size(1000, 4000), (90, 360));
        assert_eq!(Quality::Low.output_size(0, 100), (0, 0));
        assert_eq!(fit_within(1, 1, 640, 360), (2, 2));
    }

    #[test]
    fn levels_and_names() {
        assert_eq!(Quality::Low.fps(), 5);
        assert_eq!(Quality::Medium.jpeg_quality(), 80);
        assert_eq!(
            Quality::High.frame_interval(),
            Duration::from_nanos(66_666_666)
        );
        assert_eq!("HIGH".parse::<Quality>().unwrap(), Quality::High);
        assert_eq!(
            "ultra".parse::<Quality>().unwrap_err().code(),
            vigil_base::ErrorCode::QualityInvalid
        );
        assert_eq!(
            serde_json::to_string(&Quality::Medium).unwrap(),
            "\"medium\""
        );
        let q: Quality = serde_json::from_str("\"low\"").unwrap();
        assert_eq!(q, Quality::Low);
        for q in Quality::ALL {
            assert_eq!(Quality::ALL[q.index()], q);
            assert_eq!(q.to_string().parse::<Quality>().unwrap(), q);
        }
    }
}
