//! Pure geometry shared by the decoders and the per-camera filters: boxes, their area and IoU,
//! per-class non-maximum suppression, and point-in-polygon for zones. No model, no I/O.

use serde::{Deserialize, Serialize};

/// An axis-aligned box, corners `(x1, y1)` top-left and `(x2, y2)` bottom-right, in pixels of
/// whatever image it refers to (source-image pixels in a [`crate::Detection`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
}

impl BBox {
    pub const fn new(x1: f32, y1: f32, x2: f32, y2: f32) -> Self {
        BBox { x1, y1, x2, y2 }
    }

    /// From a centre and a size (YOLO's `cx, cy, w, h`).
    pub fn from_center(cx: f32, cy: f32, w: f32, h: f32) -> Self {
        BBox::new(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)
    }

    pub fn width(&self) -> f32 {
        (self.x2 - self.x1).max(0.0)
    }

    pub fn height(&self) -> f32 {
        (self.y2 - self.y1).max(0.0)
    }

    /// Area; 0 for an empty or inverted box.
    pub fn area(&self) -> f32 {
        self.width() * self.height()
    }

    pub fn center(&self) -> (f32, f32) {
        ((self.x1 + self.x2) / 2.0, (self.y1 + self.y2) / 2.0)
    }

    /// The middle of the bottom edge: where a person or a vehicle touches the ground, the usual
    /// point to test against zones drawn on the floor.
    pub fn bottom_center(&self) -> (f32, f32) {
        ((self.x1 + self.x2) / 2.0, self.y2)
    }

    /// The overlap of two boxes (empty box if they do not overlap).
    pub fn intersection(&self, other: &BBox) -> BBox {
        BBox::new(
            self.x1.max(other.x1),
            self.y1.max(other.y1),
            self.x2.min(other.x2),
            self.y2.min(other.y2),
        )
    }

    /// Intersection over union, in 0..=1; 0 when either box is empty.
    pub fn iou(&self, other: &BBox) -> f32 {
        let inter = self.intersection(other).area();
        if inter <= 0.0 {
            return 0.0;
        }
        let union = self.area() + other.area() - inter;
        if union <= 0.0 { 0.0 } else { inter / union }
    }

    /// Clipped to `0..width` × `0..height`.
    pub fn clamp(&self, width: f32, height: f32) -> BBox {
        BBox::new(
            self.x1.clamp(0.0, width),
            self.y1.clamp(0.0, height),
            self.x2.clamp(0.0, width),
            self.y2.clamp(0.0, height),
        )
    }

    /// Corners swapped where needed so that `x1 <= x2` and `y1 <= y2`.
    pub fn normalized_order(&self) -> BBox {
        BBox::new(
            self.x1.min(self.x2),
            self.y1.min(self.y2),
            self.x1.max(self.x2),
            self.y1.max(self.y2),
        )
    }

    /// True if every coordinate is finite.
    pub fn is_finite(&self) -> bool {
        self.x1.is_finite() && self.y1.is_finite() && self.x2.is_finite() && self.y2.is_finite()
    }
}

/// A box with a class index and a score, before labels are attached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scored {
    pub bbox: BBox,
    pub score: f32,
    pub class_id: u32,
}

/// Greedy per-class non-maximum suppression: highest score first, a box is dropped when its IoU
/// with a kept box of the same class exceeds `iou_threshold`. Keeps at most `max_keep` boxes
/// (highest scores). The result is sorted by score, descending.
pub fn nms_per_class(mut boxes: Vec<Scored>, iou_threshold: f32, max_keep: usize) -> Vec<Scored> {
    boxes.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut kept: Vec<Scored> = Vec::with_capacity(boxes.len().min(max_keep));
    for b in boxes {
        if kept.len() >= max_keep {
            break;
        }
        let suppressed = kept
            .iter()
            .any(|k| k.class_id == b.class_id && k.bbox.iou(&b.bbox) > iou_threshold);
        if !suppressed {
            kept.push(b);
        }
    }
    kept
}

/// Even-odd (ray casting) test of `(x, y)` against a polygon given as its vertices in order; the
/// polygon is closed implicitly. Fewer than 3 vertices contain nothing. Points exactly on an edge
/// may fall either way.
pub fn point_in_polygon(x: f32, y: f32, polygon: &[[f32; 2]]) -> bool {
    if polygon.len() < 3 {
        return false;
    }
    let mut inside = false;
    let mut j = polygon.len() - 1;
    for i in 0..polygon.len() {
        let [xi, yi] = polygon[i];
        let [xj, yj] = polygon[j];
        if (yi > y) != (yj > y) {
            let x_cross = xj + (y - yj) * (xi - xj) / (yi - yj);
            if x < x_cross {
                inside = !inside;
            }
        }
        j = i;
    }
    inside
}

/// Area of a simple polygon (shoelace formula), always non-negative.
pub fn polygon_area(polygon: &[[f32; 2]]) -> f32 {
    if polygon.len() < 3 {
        return 0.0;
    }
    let mut twice = 0.0f32;
    let mut j = polygon.len() - 1;
    for i in 0..polygon.len() {
        twice += polygon[j][0] * polygon[i][1] - polygon[i][0] * polygon[j][1];
        j = i;
    }
    twice.abs() / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x1: f32, y1: f32, x2: f32, y2: f32, score: f32, class_id: u32) -> Scored {
        Scored {
            bbox: BBox::new(x1, y1, x2, y2),
            score,
            class_id,
        }
    }

    #[test]
    fn area_and_iou() {
        let a = BBox::new(0.0, 0.0, 10.0, 10.0);
        let b = BBox::new(5.0, 5.0, 15.0, 15.0);
        assert_eq!(a.area(), 100.0);
        assert!((a.iou(&b) - 25.0 / 175.0).abs() < 1e-6);
        assert_eq!(a.iou(&a), 1.0);
        assert_eq!(a.iou(&BBox::new(20.0, 20.0, 30.0, 30.0)), 0.0);
        // touching edges: no overlap
        assert_eq!(a.iou(&BBox::new(10.0, 0.0, 20.0, 10.0)), 0.0);
        // inverted and empty boxes have no area
        assert_eq!(BBox::new(10.0, 10.0, 0.0, 0.0).area(), 0.0);
        assert_eq!(BBox::new(1.0, 1.0, 1.0, 1.0).iou(&a), 0.0);
    }

    #[test]
    fn from_center_clamp_and_order() {
        let b = BBox::from_center(10.0, 20.0, 4.0, 6.0);
        assert_eq!(b, BBox::new(8.0, 17.0, 12.0, 23.0));
        assert_eq!(b.center(), (10.0, 20.0));
        assert_eq!(b.bottom_center(), (10.0, 23.0));
        let c = BBox::new(-5.0, -1.0, 700.0, 50.0).clamp(640.0, 480.0);
        assert_eq!(c, BBox::new(0.0, 0.0, 640.0, 50.0));
        assert_eq!(
            BBox::new(5.0, 6.0, 1.0, 2.0).normalized_order(),
            BBox::new(1.0, 2.0, 5.0, 6.0)
        );
        assert!(!BBox::new(f32::NAN, 0.0, 1.0, 1.0).is_finite());
    }

    #[test]
    fn nms_is_per_class_and_keeps_best() {
        let boxes = vec![
            s(0.0, 0.0, 10.0, 10.0, 0.6, 0),
            s(1.0, 1.0, 11.0, 11.0, 0.9, 0), // overlaps the first, better
            s(1.0, 1.0, 11.0, 11.0, 0.5, 2), // same place, other class: kept
            s(50.0, 50.0, 60.0, 60.0, 0.4, 0), // elsewhere: kept
        ];
        let kept = nms_per_class(boxes, 0.5, 100);
        assert_eq!(kept.len(), 3);
        assert_eq!(kept[0].score, 0.9);
        assert_eq!(kept[1].class_id, 2);
        assert_eq!(kept[2].score, 0.4);
        // max_keep cuts the lowest scores
        let kept = nms_per_class(
            vec![s(0.0, 0.0, 1.0, 1.0, 0.1, 0), s(5.0, 5.0, 6.0, 6.0, 0.8, 0)],
            0.5,
            1,
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].score, 0.8);
    }

    #[test]
    fn nms_threshold_is_strict() {
        // IoU exactly 0.5 is not above 0.5: both stay
        let a = s(0.0, 0.0, 30.0, 10.0, 0.9, 1);
        let b = s(10.0, 0.0, 40.0, 10.0, 0.8, 1);
        assert!((a.bbox.iou(&b.bbox) - 0.5).abs() < 1e-6);
        assert_eq!(nms_per_class(vec![a, b], 0.5, 10).len(), 2);
        assert_eq!(nms_per_class(vec![a, b], 0.49, 10).len(), 1);
    }

    #[test]
    fn point_in_polygon_square_triangle_concave() {
        let square = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        assert!(point_in_polygon(0.5, 0.5, &square));
        assert!(!point_in_polygon(1.5, 0.5, &square));
        assert!(!point_in_polygon(-0.1, 0.5, &square));
        let tri = [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]];
        assert!(point_in_polygon(0.2, 0.2, &tri));
        assert!(!point_in_polygon(0.8, 0.8, &tri));
        // a U shape: the notch is outside
        let u = [
            [0.0, 0.0],
            [0.3, 0.0],
            [0.3, 0.7],
            [0.7, 0.7],
            [0.7, 0.0],
            [1.0, 0.0],
            [1.0, 1.0],
            [0.0, 1.0],
        ];
        assert!(!point_in_polygon(0.5, 0.3, &u));
        assert!(point_in_polygon(0.5, 0.9, &u));
        assert!(point_in_polygon(0.1, 0.3, &u));
        // degenerate
        assert!(!point_in_polygon(0.0, 0.0, &[[0.0, 0.0], [1.0, 1.0]]));
    }

    #[test]
    fn polygon_area_shoelace() {
        let square = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]];
        assert_eq!(polygon_area(&square), 4.0);
        let reversed: Vec<_> = square.iter().rev().copied().collect();
        assert_eq!(polygon_area(&reversed), 4.0);
        assert_eq!(polygon_area(&square[..2]), 0.0);
    }
}
