//! Per-camera detection filters (issue 5, point 4): which labels to keep, a minimum score, box
//! size bounds as fractions of the frame, and polygon zones (include or exclude) in normalised
//! coordinates, so they survive a change of stream resolution. Pure geometry, no model.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Error, FieldErrors, Result};

use crate::Detection;
use crate::geometry::{BBox, point_in_polygon};

/// What a zone does to detections whose anchor point lies inside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ZoneMode {
    /// Keep only detections inside (at least one of) the include zones.
    #[default]
    Include,
    /// Drop detections inside: a mask over a tree, a road, the neighbour's garden.
    Exclude,
}

/// The point of a box tested against zones.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// Middle of the bottom edge: where people and vehicles touch the ground.
    #[default]
    BottomCenter,
    /// Centre of the box.
    Center,
}

/// Longest zone name.
const MAX_ZONE_NAME: usize = 100;

/// A polygon over the frame, vertices in normalised coordinates (`0..=1`, origin top-left).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Zone {
    #[serde(default)]
    #[schema(max_length = 100)]
    pub name: String,
    #[serde(default)]
    pub mode: ZoneMode,
    /// At least three `[x, y]` points, each coordinate a fraction of the frame (0–1).
    #[schema(schema_with = polygon_schema)]
    pub polygon: Vec<[f32; 2]>,
}

/// `polygon` in the API's document: at least 3 points of two fractions.
fn polygon_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let coord = ObjectBuilder::new()
        .schema_type(Type::Number)
        .minimum(Some(0.0))
        .maximum(Some(1.0));
    let point = ArrayBuilder::new()
        .items(coord)
        .min_items(Some(2))
        .max_items(Some(2));
    ArrayBuilder::new().items(point).min_items(Some(3)).build()
}

impl Zone {
    pub fn include(name: impl Into<String>, polygon: Vec<[f32; 2]>) -> Self {
        Zone {
            name: name.into(),
            mode: ZoneMode::Include,
            polygon,
        }
    }

    pub fn exclude(name: impl Into<String>, polygon: Vec<[f32; 2]>) -> Self {
        Zone {
            name: name.into(),
            mode: ZoneMode::Exclude,
            polygon,
        }
    }

    /// Whether a point given in normalised coordinates is inside.
    pub fn contains(&self, x: f32, y: f32) -> bool {
        point_in_polygon(x, y, &self.polygon)
    }
}

/// Why a detection did not pass a [`Filter`].
#[derive(Clone, Debug, PartialEq)]
pub enum Rejection {
    Label,
    Score,
    TooSmall,
    TooLarge,
    /// There are include zones and the anchor is in none of them.
    OutsideZones,
    /// The anchor is inside this exclude zone.
    Excluded(String),
}

/// Per-camera filter. The default keeps everything.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Filter {
    /// Labels to keep; empty keeps every label (blank entries are ignored).
    pub labels: Vec<String>,
    /// Minimum score, `0..=1`.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub min_score: f32,
    /// Smallest box area kept, as a fraction of the frame's area.
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub min_area: f32,
    /// Largest box area kept, as a fraction of the frame's area (bounds given the wrong way
    /// round are swapped).
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub max_area: f32,
    pub zones: Vec<Zone>,
    pub anchor: Anchor,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            labels: Vec::new(),
            min_score: 0.0,
            min_area: 0.0,
            max_area: 1.0,
            zones: Vec::new(),
            anchor: Anchor::BottomCenter,
        }
    }
}

impl Filter {
    /// The same filter with blank labels dropped and area bounds in order (what a person meant).
    pub fn normalised(mut self) -> Filter {
        self.labels.retain(|l| !l.trim().is_empty());
        if self.min_area > self.max_area {
            std::mem::swap(&mut self.min_area, &mut self.max_area);
        }
        self
    }

    /// Field-level validation errors (`VALIDATION_FAILED`), for the API to show next to each field.
    pub fn validate(&self) -> Result<()> {
        let mut fields = FieldErrors::new();
        let fraction = |v: f32| v.is_finite() && (0.0..=1.0).contains(&v);
        if !fraction(self.min_score) {
            fields.insert("min_score".into(), "must be between 0 and 1".into());
        }
        if !fraction(self.min_area) {
            fields.insert("min_area".into(), "must be between 0 and 1".into());
        }
        if !fraction(self.max_area) {
            fields.insert("max_area".into(), "must be between 0 and 1".into());
        }
        for (i, zone) in self.zones.iter().enumerate() {
            if zone.name.chars().count() > MAX_ZONE_NAME {
                fields.insert(
                    format!("zones[{i}].name"),
                    format!("must be at most {MAX_ZONE_NAME} characters"),
                );
            }
            if zone.polygon.len() < 3 {
                fields.insert(
                    format!("zones[{i}].polygon"),
                    "needs at least 3 points".into(),
                );
            } else if zone
                .polygon
                .iter()
                .any(|[x, y]| !fraction(*x) || !fraction(*y))
            {
                fields.insert(
                    format!("zones[{i}].polygon"),
                    "coordinates must be between 0 and 1 (fractions of the frame)".into(),
                );
            }
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(fields))
        }
    }

    /// The anchor point of a box, normalised to the frame.
    pub fn anchor_point(&self, bbox: &BBox, frame_width: u32, frame_height: u32) -> (f32, f32) {
        let (x, y) = match self.anchor {
            Anchor::BottomCenter => bbox.bottom_center(),
            Anchor::Center => bbox.center(),
        };
        (
            x / frame_width.max(1) as f32,
            y / frame_height.max(1) as f32,
        )
    }

    /// Passes the detection, or says why not. `frame_width`/`frame_height` are the size of the
    /// image the box's pixel coordinates refer to.
    pub fn check(
        &self,
        det: &Detection,
        frame_width: u32,
        frame_height: u32,
    ) -> std::result::Result<(), Rejection> {
        if !self.labels.is_empty() && !self.labels.iter().any(|l| l == &det.label) {
            return Err(Rejection::Label);
        }
        if det.score < self.min_score {
            return Err(Rejection::Score);
        }
        let frame_area = (frame_width.max(1) as f32) * (frame_height.max(1) as f32);
        let fraction = det.bbox.area() / frame_area;
        if fraction < self.min_area {
            return Err(Rejection::TooSmall);
        }
        if fraction > self.max_area {
            return Err(Rejection::TooLarge);
        }
        let (x, y) = self.anchor_point(&det.bbox, frame_width, frame_height);
        if let Some(z) = self
            .zones
            .iter()
            .find(|z| z.mode == ZoneMode::Exclude && z.contains(x, y))
        {
            return Err(Rejection::Excluded(z.name.clone()));
        }
        let mut includes = self
            .zones
            .iter()
            .filter(|z| z.mode == ZoneMode::Include)
            .peekable();
        if includes.peek().is_some() && !includes.any(|z| z.contains(x, y)) {
            return Err(Rejection::OutsideZones);
        }
        Ok(())
    }

    pub fn accepts(&self, det: &Detection, frame_width: u32, frame_height: u32) -> bool {
        self.check(det, frame_width, frame_height).is_ok()
    }

    /// Keeps the detections that pass.
    pub fn apply(
        &self,
        detections: Vec<Detection>,
        frame_width: u32,
        frame_height: u32,
    ) -> Vec<Detection> {
        detections
            .into_iter()
            .filter(|d| self.accepts(d, frame_width, frame_height))
            .collect()
    }

    /// Names of the include zones the detection's anchor lies in (for "object in zone" alerts).
    pub fn zones_containing(
        &self,
        det: &Detection,
        frame_width: u32,
        frame_height: u32,
    ) -> Vec<&str> {
        let (x, y) = self.anchor_point(&det.bbox, frame_width, frame_height);
        self.zones
            .iter()
            .filter(|z| z.mode == ZoneMode::Include && z.contains(x, y))
            .map(|z| z.name.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn det(label: &str, score: f32, bbox: BBox) -> Detection {
        Detection {
            label: label.into(),
            class_id: 0,
            score,
            bbox,
        }
    }

    const W: u32 = 1000;
    const H: u32 = 500;

    #[test]
    fn default_keeps_everything() {
        let f = Filter::default();
        f.validate().unwrap();
        assert!(f.accepts(&det("kite", 0.01, BBox::new(0.0, 0.0, 1.0, 1.0)), W, H));
        assert!(f.accepts(&det("bus", 0.99, BBox::new(0.0, 0.0, 1000.0, 500.0)), W, H));
    }

    #[test]
    fn labels_score_and_area() {
        let f = Filter {
            labels: vec!["person".into(), "car".into()],
            min_score: 0.5,
            min_area: 0.01,
            max_area: 0.5,
            ..Filter::default()
        };
        f.validate().unwrap();
        let ok = BBox::new(100.0, 100.0, 200.0, 300.0); // 20000 px = 4 %
        assert_eq!(f.check(&det("person", 0.6, ok), W, H), Ok(()));
        assert_eq!(f.check(&det("dog", 0.9, ok), W, H), Err(Rejection::Label));
        assert_eq!(f.check(&det("car", 0.4, ok), W, H), Err(Rejection::Score));
        let tiny = BBox::new(0.0, 0.0, 10.0, 10.0); // 0.02 %
        assert_eq!(
            f.check(&det("car", 0.9, tiny), W, H),
            Err(Rejection::TooSmall)
        );
        let huge = BBox::new(0.0, 0.0, 900.0, 400.0); // 72 %
        assert_eq!(
            f.check(&det("car", 0.9, huge), W, H),
            Err(Rejection::TooLarge)
        );
        let kept = f.apply(
            vec![
                det("person", 0.6, ok),
                det("dog", 0.9, ok),
                det("car", 0.9, tiny),
            ],
            W,
            H,
        );
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].label, "person");
    }

    #[test]
    fn include_zone_uses_the_bottom_centre() {
        // the left half of the frame
        let f = Filter {
            zones: vec![Zone::include(
                "drive",
                vec![[0.0, 0.0], [0.5, 0.0], [0.5, 1.0], [0.0, 1.0]],
            )],
            ..Filter::default()
        };
        f.validate().unwrap();
        let inside = det("person", 0.9, BBox::new(100.0, 100.0, 200.0, 400.0));
        let outside = det("person", 0.9, BBox::new(700.0, 100.0, 800.0, 400.0));
        // box straddling the edge: its bottom centre (450) is inside
        let straddling = det("person", 0.9, BBox::new(400.0, 100.0, 500.0, 400.0));
        assert!(f.accepts(&inside, W, H));
        assert_eq!(f.check(&outside, W, H), Err(Rejection::OutsideZones));
        assert!(f.accepts(&straddling, W, H));
        assert_eq!(f.zones_containing(&inside, W, H), vec!["drive"]);
        assert!(f.zones_containing(&outside, W, H).is_empty());
    }

    #[test]
    fn anchor_choice_matters() {
        // the top half of the frame; a box whose centre is in it but whose feet are not
        let top = vec![[0.0, 0.0], [1.0, 0.0], [1.0, 0.5], [0.0, 0.5]];
        // centre y 200 (0.4 of the frame), bottom 350 (0.7)
        let d = det("person", 0.9, BBox::new(100.0, 50.0, 200.0, 350.0));
        let mut f = Filter {
            zones: vec![Zone::include("top", top)],
            ..Filter::default()
        };
        assert!(!f.accepts(&d, W, H));
        f.anchor = Anchor::Center;
        assert!(f.accepts(&d, W, H));
    }

    #[test]
    fn exclude_zone_wins_over_include() {
        let f = Filter {
            zones: vec![
                Zone::include("all", vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]),
                Zone::exclude("tree", vec![[0.6, 0.6], [0.9, 0.6], [0.9, 0.9], [0.6, 0.9]]),
            ],
            ..Filter::default()
        };
        f.validate().unwrap();
        let in_tree = det("person", 0.9, BBox::new(700.0, 100.0, 800.0, 400.0)); // (0.75, 0.8)
        let elsewhere = det("person", 0.9, BBox::new(100.0, 100.0, 200.0, 400.0));
        assert_eq!(
            f.check(&in_tree, W, H),
            Err(Rejection::Excluded("tree".into()))
        );
        assert!(f.accepts(&elsewhere, W, H));
        // exclude zones alone do not restrict the rest of the frame
        let only_mask = Filter {
            zones: vec![f.zones[1].clone()],
            ..Filter::default()
        };
        assert!(only_mask.accepts(&elsewhere, W, H));
        assert!(!only_mask.accepts(&in_tree, W, H));
    }

    #[test]
    fn validation_names_each_bad_field() {
        let f = Filter {
            labels: vec![" ".into()],
            min_score: 1.5,
            min_area: 0.6,
            max_area: 0.5,
            zones: vec![
                Zone::include("a", vec![[0.0, 0.0], [1.0, 0.0]]),
                Zone::exclude("b", vec![[0.0, 0.0], [2.0, 0.0], [0.0, 1.0]]),
            ],
            anchor: Anchor::Center,
        };
        let e = f.validate().unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::ValidationFailed);
        let fields = &e.details().unwrap()["fields"];
        for k in ["min_score", "zones[0].polygon", "zones[1].polygon"] {
            assert!(fields.get(k).is_some(), "{k} missing in {fields}");
        }
        // Blank labels and bounds given the wrong way round are what a person meant, not errors:
        // `normalised` drops and swaps them.
        for k in ["labels", "max_area", "min_area"] {
            assert!(fields.get(k).is_none(), "{k} unexpected in {fields}");
        }
        let n = f.normalised();
        assert!(n.labels.is_empty());
        assert_eq!((n.min_area, n.max_area), (0.5, 0.6));
    }

    #[test]
    fn deserialises_from_toml() {
        let f: Filter = toml::from_str(
            r#"
            labels = ["person"]
            min_score = 0.6
            [[zones]]
            name = "door"
            polygon = [[0.1, 0.1], [0.4, 0.1], [0.4, 0.9]]
            [[zones]]
            name = "street"
            mode = "exclude"
            polygon = [[0.5, 0.0], [1.0, 0.0], [1.0, 1.0]]
            "#,
        )
        .unwrap();
        f.validate().unwrap();
        assert_eq!(f.max_area, 1.0);
        assert_eq!(f.zones[1].mode, ZoneMode::Exclude);
        assert_eq!(f.anchor, Anchor::BottomCenter);
    }
}
