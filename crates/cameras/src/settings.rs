//! Each camera's detection settings: what it detects (labels, score, zones and masks, through
//! `vigil_detect::Filter`) and from which stream, with their validation and their row.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{FieldErrors, Result, err};
use vigil_db::detections as q;
use vigil_detect::Filter;

/// The labels a camera tracks until someone chooses: people and vehicles.
pub const DEFAULT_LABELS: &[&str] = &["person", "bicycle", "car", "motorcycle", "bus", "truck"];
/// Default least score a detection needs to count (per camera).
pub const DEFAULT_MIN_SCORE: f32 = 0.5;

/// `GET/PUT /cameras/{id}/detection`: what a camera detects and where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CameraDetection {
    /// A lower-resolution stream of the same camera (RTSP cameras): grid tiles and detection
    /// read it, while the main stream records and plays in an enlarged tile. No credentials in it: the camera's username and password are used.
    #[serde(default)]
    #[schema(value_type = Option<vigil_base::fields::RtspUrlPlain>)]
    pub substream_url: Option<String>,
    /// Labels, `min_score`, box area bounds (fractions of the frame), zones and masks.
    #[serde(default)]
    pub filter: Filter,
}

impl Default for CameraDetection {
    fn default() -> Self {
        CameraDetection {
            substream_url: None,
            filter: Filter {
                labels: DEFAULT_LABELS.iter().map(|s| s.to_string()).collect(),
                min_score: DEFAULT_MIN_SCORE,
                ..Filter::default()
            },
        }
    }
}

impl CameraDetection {
    pub fn validate(&self) -> Result<()> {
        let mut fields = FieldErrors::new();
        if let Err(e) = self.filter.validate() {
            let per_field = e
                .details()
                .and_then(|d| d.get("fields"))
                .and_then(|f| f.as_object());
            match per_field {
                Some(f) => {
                    for (k, v) in f {
                        let msg = v.as_str().unwrap_or("is invalid").to_string();
                        fields.insert(format!("filter.{k}"), msg);
                    }
                }
                None => return Err(e),
            }
        }
        if let Some(u) = &self.substream_url {
            vigil_base::fields::rtsp_url(&mut fields, "substream_url", u, false);
        }
        if fields.is_empty() {
            Ok(())
        } else {
            Err(vigil_base::Error::validation(fields))
        }
    }

    /// A stable text of what a running worker depends on (a change restarts it).
    pub fn fingerprint(&self, fps: u8) -> String {
        format!(
            "{fps}|{:?}|{}",
            self.substream_url,
            serde_json::to_string(&self.filter).unwrap_or_default()
        )
    }
}

/// The camera's detection settings (defaults if never set).
pub fn load_settings(
    c: &vigil_db::rusqlite::Connection,
    camera_id: i64,
) -> Result<CameraDetection> {
    match q::get_settings(c, camera_id)? {
        None => Ok(CameraDetection::default()),
        Some(row) => Ok(CameraDetection {
            substream_url: row.substream_url,
            filter: serde_json::from_str::<Filter>(&row.filter_json)
                .map_err(|e| err!(Internal, "camera {camera_id} has a corrupt filter: {e}"))?,
        }),
    }
}
