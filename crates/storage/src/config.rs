//! The `[storage]` section of `config.toml` (and the body of `PUT /api/v1/storage`): ordered tiers,
//! retention, the maintenance interval. Validation names each bad field, like the API's other
//! forms; `resolve` turns it into the tiers the mover works with, defaults filled in.
//!
//! Defaults, chosen so a default install is safe for years without anyone configuring it: one tier
//! at `DATA_DIR/recordings` with no age limit and free-space protection on — the oldest footage
//! goes when the disk needs room, never the newest, and recording never stops. With more tiers, a
//! tier that has a next one moves footage on after 7 / 30 / 90 days (by position) unless told
//! otherwise; the last tier keeps footage until retention or free space says otherwise.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Error, FieldErrors, Result};

use crate::units::{Size, Span};

/// Default ages after which a tier with a next tier moves footage on, by position.
const DEFAULT_TIER_AGES_DAYS: [u64; 3] = [7, 30, 90];
/// Most tiers (local directories; the archive is extra).
pub const MAX_TIERS: usize = 8;
/// The floor of the default free-space reserve.
pub const DEFAULT_RESERVE_FLOOR: u64 = 2_000_000_000;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StorageConfig {
    /// How often a maintenance pass runs (default 10m); free space is checked every 30 s or
    /// more often whatever this says.
    pub check_interval: Option<Span>,
    pub tiers: Vec<TierConfig>,
    pub retention: RetentionConfig,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TierConfig {
    /// 1–32 characters: lower-case letters, digits, `-` and `_`.
    #[schema(pattern = "^[a-z0-9_-]{1,32}$")]
    pub name: String,
    /// An absolute directory. Default for the first tier: `DATA_DIR/recordings`.
    #[schema(value_type = Option<String>)]
    pub path: Option<PathBuf>,
    /// Footage older than this moves to the next tier (or is deleted on the last).
    pub max_age: Option<Span>,
    /// When the tier holds more, its oldest footage moves on.
    pub max_size: Option<Size>,
    /// Free space never given up on the tier's filesystem. Default: the larger of 2 GB and one
    /// hour of the cameras' measured bitrate, capped at 10% of the filesystem.
    pub reserve_free: Option<Size>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RetentionConfig {
    /// Continuous footage is deleted after this, whatever tier it is on (omitted: kept).
    pub continuous: Option<Span>,
    /// Footage overlapping a detection event or an alert (with padding) is kept this long.
    pub events: Option<Span>,
    /// Padding around events (default 10s).
    pub event_padding: Option<Span>,
    /// Per camera overrides, by camera id.
    #[schema(value_type = BTreeMap<String, CameraRetention>)]
    pub cameras: BTreeMap<i64, CameraRetention>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CameraRetention {
    pub continuous: Option<Span>,
    pub events: Option<Span>,
}

/// A tier as the mover uses it: defaults applied, path absolute.
#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    pub name: String,
    pub dir: PathBuf,
    pub max_age: Option<Span>,
    pub max_size: Option<Size>,
    /// `None`: the default, computed from the filesystem and the measured bitrate.
    pub reserve_free: Option<Size>,
}

/// Retention as the planner applies it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Retention {
    pub continuous: Option<Span>,
    pub events: Option<Span>,
    pub event_padding: Span,
    pub cameras: BTreeMap<i64, CameraRetention>,
}

impl Retention {
    /// (continuous, events) for one camera.
    pub fn for_camera(&self, camera_id: i64) -> (Option<Span>, Option<Span>) {
        let o = self.cameras.get(&camera_id);
        (
            o.and_then(|o| o.continuous).or(self.continuous),
            o.and_then(|o| o.events).or(self.events),
        )
    }
}

/// The storage settings in effect.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub check_interval: Span,
    pub tiers: Vec<Tier>,
    pub retention: Retention,
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 32
        && n.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl StorageConfig {
    /// Field errors (`VALIDATION_FAILED`), keyed like the body: `tiers[1].path`.
    pub fn validate(&self) -> Result<()> {
        let mut f = FieldErrors::new();
        if let Some(i) = self.check_interval
            && !(10..=86_400).contains(&i.secs())
        {
            f.insert("check_interval".into(), "must be between 10s and 1d".into());
        }
        if self.tiers.len() > MAX_TIERS {
            f.insert("tiers".into(), format!("at most {MAX_TIERS} tiers"));
        }
        let mut names = std::collections::HashSet::new();
        let mut paths = std::collections::HashSet::new();
        for (i, t) in self.tiers.iter().enumerate() {
            if !valid_name(&t.name) {
                f.insert(
                    format!("tiers[{i}].name"),
                    "1–32 characters: lower-case letters, digits, - and _".into(),
                );
            } else if !names.insert(t.name.as_str()) {
                f.insert(format!("tiers[{i}].name"), "names must be unique".into());
            }
            match &t.path {
                None if i > 0 => {
                    f.insert(
                        format!("tiers[{i}].path"),
                        "only the first tier has a default path".into(),
                    );
                }
                Some(p) if !p.is_absolute() => {
                    f.insert(
                        format!("tiers[{i}].path"),
                        "must be an absolute path".into(),
                    );
                }
                Some(p) if !paths.insert(p.clone()) => {
                    f.insert(
                        format!("tiers[{i}].path"),
                        "two tiers share this path".into(),
                    );
                }
                _ => {}
            }
            if let Some(a) = t.max_age
                && a.secs() == 0
            {
                f.insert(format!("tiers[{i}].max_age"), "must be above 0".into());
            }
            if let Some(s) = t.max_size
                && s.get() < 1 << 20
            {
                f.insert(
                    format!("tiers[{i}].max_size"),
                    "must be at least 1MiB".into(),
                );
            }
        }
        let r = &self.retention;
        for (k, v) in [("continuous", r.continuous), ("events", r.events)] {
            if v.is_some_and(|v| v.secs() == 0) {
                f.insert(format!("retention.{k}"), "must be above 0".into());
            }
        }
        if let (Some(c), Some(e)) = (r.continuous, r.events)
            && e < c
        {
            f.insert(
                "retention.events".into(),
                "must not be shorter than retention.continuous (event footage is kept longer)"
                    .into(),
            );
        }
        if r.event_padding.is_some_and(|p| p.secs() > 3_600) {
            f.insert(
                "retention.event_padding".into(),
                "must be at most 1h".into(),
            );
        }
        for (cam, o) in &r.cameras {
            for (k, v) in [("continuous", o.continuous), ("events", o.events)] {
                if v.is_some_and(|v| v.secs() == 0) {
                    f.insert(
                        format!("retention.cameras.{cam}.{k}"),
                        "must be above 0".into(),
                    );
                }
            }
        }
        if f.is_empty() {
            Ok(())
        } else {
            Err(Error::validation(f))
        }
    }

    /// The tiers in effect: the configured ones, or one `hot` tier at `recordings_dir`.
    pub fn resolve(&self, recordings_dir: &Path) -> Result<Resolved> {
        self.validate()?;
        let mut tiers = vec![];
        let n = self.tiers.len().max(1);
        let configured: Vec<TierConfig> = if self.tiers.is_empty() {
            vec![TierConfig {
                name: "hot".into(),
                ..TierConfig::default()
            }]
        } else {
            self.tiers.clone()
        };
        for (i, t) in configured.into_iter().enumerate() {
            let has_next = i + 1 < n;
            let default_age = has_next.then(|| Span::from_days(DEFAULT_TIER_AGES_DAYS[i.min(2)]));
            tiers.push(Tier {
                name: t.name,
                dir: t.path.unwrap_or_else(|| recordings_dir.to_path_buf()),
                max_age: t.max_age.or(default_age),
                max_size: t.max_size,
                reserve_free: t.reserve_free,
            });
        }
        let r = &self.retention;
        Ok(Resolved {
            check_interval: self.check_interval.unwrap_or(Span::from_secs(600)),
            tiers,
            retention: Retention {
                continuous: r.continuous,
                events: r.events,
                event_padding: r.event_padding.unwrap_or(Span::from_secs(10)),
                cameras: r.cameras.clone(),
            },
        })
    }
}

/// The default free-space reserve of a filesystem of `capacity` bytes with cameras writing
/// `bitrate_bps` bits a second together: max(2 GB, one hour of footage), at most 10%.
pub fn default_reserve(capacity: u64, bitrate_bps: u64) -> u64 {
    let hour = bitrate_bps / 8 * 3_600;
    DEFAULT_RESERVE_FLOOR.max(hour).min(capacity / 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_documented_example() {
        let c: StorageConfig = toml::from_str(
            r#"
            check_interval = "10m"
            [[tiers]]
            name = "hot"
            path = "/ssd/vigil"
            max_age = "7d"
            max_size = "500GB"
            reserve_free = "2GB"
            [[tiers]]
            name = "warm"
            path = "/hdd/vigil"
            max_age = "30d"
            [[tiers]]
            name = "cold"
            path = "/nas/vigil"
            [retention]
            continuous = "30d"
            events = "90d"
            [retention.cameras.3]
            continuous = "2d"
            "#,
        )
        .unwrap();
        let r = c.resolve(Path::new("/data/recordings")).unwrap();
        assert_eq!(r.tiers.len(), 3);
        assert_eq!(r.tiers[0].max_size, Some(Size::bytes(500_000_000_000)));
        assert_eq!(r.tiers[1].max_age, Some(Span::from_days(30)));
        // The last tier keeps until retention or free space say otherwise.
        assert_eq!(r.tiers[2].max_age, None);
        assert_eq!(
            r.retention.for_camera(3),
            (Some(Span::from_days(2)), Some(Span::from_days(90)))
        );
        assert_eq!(
            r.retention.for_camera(4),
            (Some(Span::from_days(30)), Some(Span::from_days(90)))
        );
    }

    #[test]
    fn default_is_one_tier_in_the_data_dir_without_age_limit() {
        let r = StorageConfig::default()
            .resolve(Path::new("/data/recordings"))
            .unwrap();
        assert_eq!(r.tiers.len(), 1);
        assert_eq!(r.tiers[0].name, "hot");
        assert_eq!(r.tiers[0].dir, Path::new("/data/recordings"));
        assert_eq!(r.tiers[0].max_age, None);
        assert_eq!(r.tiers[0].reserve_free, None);
        assert_eq!(r.check_interval, Span::from_secs(600));
    }

    #[test]
    fn validation_names_each_bad_field() {
        let c = StorageConfig {
            check_interval: Some(Span::from_secs(1)),
            tiers: vec![
                TierConfig {
                    name: "Hot!".into(),
                    ..Default::default()
                },
                TierConfig {
                    name: "warm".into(),
                    path: Some("relative".into()),
                    max_size: Some(Size::bytes(10)),
                    ..Default::default()
                },
                TierConfig {
                    name: "warm".into(),
                    ..Default::default()
                },
            ],
            retention: RetentionConfig {
                continuous: Some(Span::from_days(30)),
                events: Some(Span::from_days(1)),
                ..Default::default()
            },
        };
        let e = c.validate().unwrap_err();
        let fields = &e.details().unwrap()["fields"];
        for k in [
            "check_interval",
            "tiers[0].name",
            "tiers[1].path",
            "tiers[1].max_size",
            "tiers[2].name",
            "tiers[2].path",
            "retention.events",
        ] {
            assert!(fields.get(k).is_some(), "{k} missing in {fields}");
        }
        let unknown = toml::from_str::<StorageConfig>("[[tiers]]\nname = \"a\"\nsize = \"1GB\"");
        assert!(unknown.is_err());
    }

    #[test]
    fn default_reserve_is_two_gb_or_an_hour_capped_at_a_tenth() {
        // 16 cameras at 4 Mbit/s: 28.8 GB an hour.
        assert_eq!(
            default_reserve(4_000_000_000_000, 64_000_000),
            28_800_000_000
        );
        assert_eq!(default_reserve(4_000_000_000_000, 0), 2_000_000_000);
        // A 40 MiB test filesystem: 10% of it.
        assert_eq!(default_reserve(40 << 20, 4_000_000), (40 << 20) / 10);
    }
}
