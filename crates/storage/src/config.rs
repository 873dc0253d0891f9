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
    /// An optional last tier on any S3-compatible object store.
    pub archive: Option<ArchiveConfig>,
    pub retention: RetentionConfig,
}

/// The archive tier: an S3 bucket (AWS, MinIO, a NAS's S3 service…). Its access keys are set
/// through `PUT /api/v1/storage/archive/credentials` (kept in the credential store) or come from
/// the usual AWS environment variables; never here.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ArchiveConfig {
    /// Tier name (default `archive`).
    #[schema(pattern = "^[a-z0-9_-]{1,32}$")]
    pub name: Option<String>,
    /// `s3://bucket/prefix` (the prefix is optional).
    pub url: String,
    /// The S3 endpoint, e.g. `http://nas.local:9000`; omitted for AWS.
    pub endpoint: Option<String>,
    /// Default `us-east-1` (or `AWS_REGION`).
    pub region: Option<String>,
    /// Path-style requests (`endpoint/bucket/key`); default: on when an endpoint is given.
    pub path_style: Option<bool>,
    /// Archived footage is deleted after this (omitted: kept until retention says otherwise).
    pub max_age: Option<Span>,
}

/// The archive as the mover uses it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchiveTier {
    pub name: String,
    /// As configured (`s3://bucket/prefix`), for display and logs (it holds no secret).
    pub url: String,
    pub bucket: String,
    /// Without leading or trailing `/`; may be empty.
    pub prefix: String,
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub path_style: bool,
    pub max_age: Option<Span>,
}

/// `s3://bucket/prefix` → (bucket, prefix).
fn parse_s3_url(url: &str) -> std::result::Result<(String, String), &'static str> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or("must be s3://bucket or s3://bucket/prefix")?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let ok = (3..=63).contains(&bucket.len())
        && bucket
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !bucket.starts_with(['-', '.'])
        && !bucket.ends_with(['-', '.']);
    if !ok {
        return Err("the bucket name must be 3–63 lower-case letters, digits, - and .");
    }
    let prefix = prefix.trim_matches('/');
    if prefix.split('/').any(|p| p == "." || p == "..")
        || prefix.contains("//")
        || prefix.len() > 512
    {
        return Err("the prefix must be a plain path");
    }
    Ok((bucket.to_string(), prefix.to_string()))
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
    pub archive: Option<ArchiveTier>,
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
        if let Some(a) = &self.archive {
            let name = a.name.as_deref().unwrap_or("archive");
            if !valid_name(name) {
                f.insert(
                    "archive.name".into(),
                    "1–32 characters: lower-case letters, digits, - and _".into(),
                );
            } else if names.contains(name) {
                f.insert("archive.name".into(), "names must be unique".into());
            }
            if let Err(e) = parse_s3_url(&a.url) {
                f.insert("archive.url".into(), e.into());
            }
            if let Some(e) = &a.endpoint
                && url::Url::parse(e)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                    .is_none()
            {
                f.insert(
                    "archive.endpoint".into(),
                    "must be an http:// or https:// URL".into(),
                );
            }
            if let Some(r) = &a.region
                && (r.is_empty()
                    || r.len() > 64
                    || !r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
            {
                f.insert("archive.region".into(), "not a region name".into());
            }
            if a.max_age.is_some_and(|v| v.secs() == 0) {
                f.insert("archive.max_age".into(), "must be above 0".into());
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
        // With an archive, the last local tier has a next tier too.
        let n = self.tiers.len().max(1) + usize::from(self.archive.is_some());
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
        let archive = match &self.archive {
            None => None,
            Some(a) => {
                let (bucket, prefix) = parse_s3_url(&a.url)
                    .map_err(|e| vigil_base::err!(InvalidArgument, "archive.url: {e}"))?;
                Some(ArchiveTier {
                    name: a.name.clone().unwrap_or_else(|| "archive".into()),
                    url: a.url.clone(),
                    bucket,
                    prefix,
                    endpoint: a.endpoint.clone(),
                    region: a.region.clone(),
                    path_style: a.path_style.unwrap_or(a.endpoint.is_some()),
                    max_age: a.max_age,
                })
            }
        };
        let r = &self.retention;
        Ok(Resolved {
            check_interval: self.check_interval.unwrap_or(Span::from_secs(600)),
            tiers,
            archive,
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
    fn archive_urls_parse_and_the_archive_is_the_last_tier() {
        assert_eq!(
            parse_s3_url("s3://vigil-footage/site/a/"),
            Ok(("vigil-footage".into(), "site/a".into()))
        );
        assert_eq!(
            parse_s3_url("s3://bucket"),
            Ok(("bucket".into(), "".into()))
        );
        for bad in [
            "http://b/x",
            "s3://ab",
            "s3://Bucket",
            "s3://b../x",
            "s3://bkt/a/../b",
        ] {
            assert!(parse_s3_url(bad).is_err(), "{bad}");
        }
        let c: StorageConfig = toml::from_str(
            "[[tiers]]\nname = \"hot\"\n[archive]\nurl = \"s3://footage/vigil\"\n\
             endpoint = \"http://127.0.0.1:9000\"\nmax_age = \"365d\"",
        )
        .unwrap();
        let r = c.resolve(Path::new("/data/recordings")).unwrap();
        // With an archive next, the one local tier moves footage on after 7 days by default.
        assert_eq!(r.tiers[0].max_age, Some(Span::from_days(7)));
        let a = r.archive.unwrap();
        assert_eq!(
            (a.name.as_str(), a.bucket.as_str(), a.prefix.as_str()),
            ("archive", "footage", "vigil")
        );
        assert!(a.path_style, "an explicit endpoint defaults to path-style");
        assert_eq!(a.max_age, Some(Span::from_days(365)));
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
            archive: Some(ArchiveConfig {
                name: Some("warm".into()),
                url: "s3://B/x".into(),
                endpoint: Some("ftp://nas".into()),
                max_age: Some(Span::from_secs(0)),
                ..Default::default()
            }),
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
            "archive.name",
            "archive.url",
            "archive.endpoint",
            "archive.max_age",
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
