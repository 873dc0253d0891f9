//! Durations and sizes with units, as people write them in `config.toml` and the settings form:
//! `90s`, `10m`, `12h`, `7d`, `2w`; `500GB`, `2GiB`, `40MiB`, `1.5TB`. Decimal units are powers of
//! 1000 (what disk makers print), binary ones powers of 1024. Both serialise back to the shortest
//! exact text, so a setting read and written again does not change.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use vigil_base::{Error, Result, bail};

/// A span of time, whole seconds (tests use seconds, installs days).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span(u64);

/// A size in bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Size(u64);

const SPAN_UNITS: &[(&str, u64)] = &[
    ("w", 7 * 86_400),
    ("d", 86_400),
    ("h", 3_600),
    ("m", 60),
    ("s", 1),
];

const SIZE_UNITS: &[(&str, u64)] = &[
    ("TiB", 1 << 40),
    ("GiB", 1 << 30),
    ("MiB", 1 << 20),
    ("KiB", 1 << 10),
    ("TB", 1_000_000_000_000),
    ("GB", 1_000_000_000),
    ("MB", 1_000_000),
    ("KB", 1_000),
    ("kB", 1_000),
    ("B", 1),
];

/// Longest span accepted: 100 years (anything longer is "forever" and is written by omitting it).
const MAX_SPAN_SECS: u64 = 100 * 366 * 86_400;

impl Span {
    pub const fn from_secs(s: u64) -> Span {
        Span(s)
    }
    pub const fn from_days(d: u64) -> Span {
        Span(d * 86_400)
    }
    pub fn secs(self) -> u64 {
        self.0
    }
    pub fn ms(self) -> i64 {
        i64::try_from(self.0.saturating_mul(1000)).unwrap_or(i64::MAX)
    }
    pub fn as_duration(self) -> std::time::Duration {
        std::time::Duration::from_secs(self.0)
    }
}

impl Size {
    pub const fn bytes(b: u64) -> Size {
        Size(b)
    }
    pub fn get(self) -> u64 {
        self.0
    }
}

/// `<number><unit>` with optional spaces between; the number may have a fraction.
fn split_number(s: &str) -> Option<(f64, &str)> {
    let s = s.trim();
    let end = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(end);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return None;
    }
    let v: f64 = num.parse().ok()?;
    Some((v, unit.trim()))
}

impl FromStr for Span {
    type Err = Error;
    fn from_str(s: &str) -> Result<Span> {
        let Some((v, unit)) = split_number(s) else {
            bail!(
                InvalidArgument,
                "{s:?} is not a duration: write a number and a unit (90s, 10m, 12h, 7d, 2w)"
            );
        };
        let Some((_, mult)) = SPAN_UNITS.iter().find(|(u, _)| *u == unit) else {
            bail!(
                InvalidArgument,
                "{s:?}: unknown unit {unit:?} (use s, m, h, d or w)"
            );
        };
        let secs = v * *mult as f64;
        if secs.fract() != 0.0 || secs > MAX_SPAN_SECS as f64 {
            bail!(
                InvalidArgument,
                "{s:?} must be a whole number of seconds of at most 100 years"
            );
        }
        Ok(Span(secs as u64))
    }
}

impl FromStr for Size {
    type Err = Error;
    fn from_str(s: &str) -> Result<Size> {
        let Some((v, unit)) = split_number(s) else {
            bail!(
                InvalidArgument,
                "{s:?} is not a size: write a number and a unit (500MB, 2GB, 1.5TB, 40MiB)"
            );
        };
        let Some((_, mult)) = SIZE_UNITS.iter().find(|(u, _)| *u == unit) else {
            bail!(
                InvalidArgument,
                "{s:?}: unknown unit {unit:?} (use B, KB, MB, GB, TB or KiB, MiB, GiB, TiB)"
            );
        };
        let bytes = v * *mult as f64;
        // 2^63: sizes are stored as SQLite integers.
        if bytes.fract() != 0.0 || bytes >= 9.2e18 {
            bail!(
                InvalidArgument,
                "{s:?} must be a whole number of bytes below 9 EB"
            );
        }
        Ok(Size(bytes as u64))
    }
}

fn shortest(v: u64, units: &[(&str, u64)]) -> String {
    if v == 0 {
        return format!("0{}", units[units.len() - 1].0);
    }
    units
        .iter()
        .filter(|(u, _)| *u != "kB")
        .find(|(_, m)| v.is_multiple_of(*m))
        .map(|(u, m)| format!("{}{u}", v / m))
        .unwrap_or_else(|| v.to_string())
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Days, not weeks: "30d" reads better than "4w2d" would.
        let units: Vec<_> = SPAN_UNITS
            .iter()
            .copied()
            .filter(|(u, _)| *u != "w")
            .collect();
        f.write_str(&shortest(self.0, &units))
    }
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Prefer decimal units when both fit (people configure "500GB"), binary otherwise.
        let dec: Vec<_> = SIZE_UNITS
            .iter()
            .copied()
            .filter(|(u, _)| !u.contains('i'))
            .collect();
        let dec_s = shortest(self.0, &dec);
        let bin_s = shortest(self.0, SIZE_UNITS);
        f.write_str(if dec_s.len() <= bin_s.len() {
            &dec_s
        } else {
            &bin_s
        })
    }
}

macro_rules! text_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse()
                    .map_err(|e: Error| serde::de::Error::custom(e.message()))
            }
        }
    };
}
text_serde!(Span);
text_serde!(Size);

macro_rules! text_schema {
    ($t:ty, $name:literal, $pattern:literal, $example:literal, $doc:literal) => {
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .pattern(Some($pattern))
                    .description(Some($doc))
                    .examples([serde_json::json!($example)])
                    .into()
            }
        }
        impl utoipa::ToSchema for $t {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed($name)
            }
        }
    };
}
// The patterns accept what `FromStr` accepts except the bounds (checked with a field error).
text_schema!(
    Span,
    "Duration",
    "^ *[0-9]+(\\.[0-9]+)? *(s|m|h|d|w) *$",
    "7d",
    "A duration with a unit: s, m, h, d or w (90s, 10m, 7d)."
);
text_schema!(
    Size,
    "ByteSize",
    "^ *[0-9]+(\\.[0-9]+)? *(B|KB|kB|MB|GB|TB|KiB|MiB|GiB|TiB) *$",
    "500GB",
    "A size with a unit: B, KB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (of 1024)."
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_parse_with_units_and_round_trip() {
        for (t, secs) in [
            ("90s", 90),
            ("10m", 600),
            ("12h", 43_200),
            ("7d", 604_800),
            ("2w", 1_209_600),
            ("1.5h", 5_400),
            (" 3 d ", 259_200),
        ] {
            let s: Span = t.parse().unwrap();
            assert_eq!(s.secs(), secs, "{t}");
            assert_eq!(s.to_string().parse::<Span>().unwrap(), s);
        }
        assert_eq!(Span::from_secs(90).to_string(), "90s");
        assert_eq!(Span::from_days(7).to_string(), "7d");
        for bad in ["", "7", "d", "7 days", "-1d", "0.5s", "1.d", "99999w", "7D"] {
            assert!(bad.parse::<Span>().is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_parse_decimal_and_binary_units() {
        for (t, b) in [
            ("500GB", 500_000_000_000),
            ("2GiB", 2 << 30),
            ("40MiB", 40 << 20),
            ("1.5TB", 1_500_000_000_000),
            ("10 kB", 10_000),
            ("7B", 7),
        ] {
            let s: Size = t.parse().unwrap();
            assert_eq!(s.get(), b, "{t}");
            assert_eq!(s.to_string().parse::<Size>().unwrap(), s, "{t}");
        }
        assert_eq!(Size::bytes(2_000_000_000).to_string(), "2GB");
        assert_eq!(Size::bytes(40 << 20).to_string(), "40MiB");
        for bad in [
            "",
            "5",
            "GB",
            "5 gigabytes",
            "0.5B",
            "-1GB",
            "10EB",
            "1e3MB",
        ] {
            assert!(bad.parse::<Size>().is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_reads_and_writes_text() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct T {
            a: Span,
            b: Size,
        }
        let t: T = toml::from_str("a = \"7d\"\nb = \"2GB\"").unwrap();
        assert_eq!(t.a, Span::from_days(7));
        assert_eq!(toml::to_string(&t).unwrap(), "a = \"7d\"\nb = \"2GB\"\n");
        let e = toml::from_str::<T>("a = \"7 days\"\nb = \"2GB\"").unwrap_err();
        assert!(e.to_string().contains("unknown unit"), "{e}");
    }
}
