//! Small helpers for field-level validation of requests (the engine's services use them): each check records a message under the field's name
//! instead of stopping at the first problem, so the UI can mark every bad field at once.

use crate::FieldErrors;

/// Deserialize a present-but-null field as `Some(None)`, so PATCH can tell "clear" from "absent".
pub fn some<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Trim an optional text field: empty means absent; too long or with control characters is an error.
pub fn optional_text(
    errs: &mut FieldErrors,
    field: &str,
    value: Option<String>,
    max: usize,
) -> Option<String> {
    let v = value?;
    let t = v.trim();
    if t.is_empty() {
        return None;
    }
    if t.chars().count() > max {
        errs.insert(field.into(), format!("must be at most {max} characters"));
    } else if t.chars().any(char::is_control) {
        errs.insert(field.into(), "must not contain control characters".into());
    }
    Some(t.to_string())
}

/// A required text field.
pub fn required_text(errs: &mut FieldErrors, field: &str, value: &str, max: usize) -> String {
    match optional_text(errs, field, Some(value.to_string()), max) {
        Some(s) => s,
        None => {
            errs.insert(field.into(), "is required".into());
            String::new()
        }
    }
}

/// An instant in a JSON body: epoch milliseconds (a number, or digits in a string) or RFC 3339.
pub fn instant_value(v: &serde_json::Value) -> Option<i64> {
    match v {
        serde_json::Value::Number(n) => n
            .as_i64()
            .filter(|ms| (crate::MIN_INSTANT_MS..=crate::MAX_INSTANT_MS).contains(ms)),
        serde_json::Value::String(s) => crate::parse_instant_ms(s),
        _ => None,
    }
}

/// An optional instant query field.
pub fn instant_field(errs: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<i64> {
    let s = value.as_deref()?;
    let parsed = crate::parse_instant_ms(s);
    if parsed.is_none() {
        errs.insert(
            field.into(),
            "must be an RFC 3339 time or epoch milliseconds".into(),
        );
    }
    parsed
}

/// A list's `limit`: 1–1000, default 100.
pub fn limit_field(errs: &mut FieldErrors, value: Option<i64>) -> i64 {
    let l = value.unwrap_or(100);
    if !(1..=1000).contains(&l) {
        errs.insert("limit".into(), "must be between 1 and 1000".into());
    }
    l
}

/// A time window from query parameters, already checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Window {
    /// Parse `start`/`end` (epoch ms or RFC 3339). Missing start: `default_span_ms` before end;
    /// missing end: now. A window longer than `max_span_ms` is its last `max_span_ms` (the answer
    /// says which window it covers); one that ends before it starts is empty. Only values that
    /// are not instants are refused.
    pub fn parse(
        start: Option<&str>,
        end: Option<&str>,
        now_ms: i64,
        default_span_ms: i64,
        max_span_ms: i64,
    ) -> crate::Result<Window> {
        let mut f = FieldErrors::new();
        let mut parse = |name: &str, v: Option<&str>| {
            v.and_then(|s| {
                let r = crate::parse_instant_ms(s);
                if r.is_none() {
                    f.insert(name.into(), "must be epoch milliseconds or RFC 3339".into());
                }
                r
            })
        };
        let end_ms = parse("end", end);
        let start_ms = parse("start", start);
        if !f.is_empty() {
            return Err(crate::Error::validation(f));
        }
        let end_ms = end_ms.unwrap_or(now_ms);
        let start_ms = start_ms
            .unwrap_or(end_ms.saturating_sub(default_span_ms))
            .min(end_ms)
            .max(end_ms.saturating_sub(max_span_ms));
        Ok(Window { start_ms, end_ms })
    }
}

/// How an instant is given in a query or a body: RFC 3339, or epoch milliseconds (for the API's
/// document: `{"oneOf": [date-time string, integer]}`).
pub struct InstantParam;

impl utoipa::PartialSchema for InstantParam {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
                    .minimum(Some(crate::MIN_INSTANT_MS as f64))
                    .maximum(Some(crate::MAX_INSTANT_MS as f64)),
            )
            .description(Some("RFC 3339, or epoch milliseconds"))
            .into()
    }
}

impl utoipa::ToSchema for InstantParam {}

/// What the API's document says an RTSP URL looks like: `rtsp://` or `rtsps://`, optional
/// `user:password@`, a host name or IPv4 address, an optional port, then a path. It is kept a
/// subset of what [`rtsp_url`] accepts (which also takes IPv6 literals), so that every URL the
/// document allows is accepted.
const RTSP_URL_PATTERN: &str = concat!(
    "^rtsps?://",
    "([^\\s/?#\\u0000-\\u001f\\u007f-\\u009f\\ufeff]*@)?",
    "[^\\s\\u0000-\\u001f\\u007f-\\u009f\\ufeff#/:<>?@\\[\\\\\\]^|]+",
    "(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?",
    "([/?#][^\\s\\u0000-\\u001f\\u007f-\\u009f\\ufeff]*)?$"
);
/// The same without the `user:password@` part (URLs stored in the database).
const RTSP_URL_PLAIN_PATTERN: &str = concat!(
    "^rtsps?://",
    "[^\\s\\u0000-\\u001f\\u007f-\\u009f\\ufeff#/:<>?@\\[\\\\\\]^|]+",
    "(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?",
    "([/?#][^\\s\\u0000-\\u001f\\u007f-\\u009f\\ufeff]*)?$"
);
/// Longest URL taken.
pub const MAX_URL_CHARS: usize = 2048;

fn url_schema(
    pattern: &str,
    what: &str,
) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(pattern))
        .max_length(Some(MAX_URL_CHARS))
        .description(Some(what))
        .into()
}

/// An RTSP URL as the API's document describes it (credentials allowed: they are moved to the
/// credential store).
pub struct RtspUrl;

impl utoipa::PartialSchema for RtspUrl {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        url_schema(
            RTSP_URL_PATTERN,
            "rtsp:// or rtsps:// URL (IPv6 literal hosts in brackets are accepted too)",
        )
    }
}

impl utoipa::ToSchema for RtspUrl {}

/// An RTSP URL without credentials.
pub struct RtspUrlPlain;

impl utoipa::PartialSchema for RtspUrlPlain {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        url_schema(
            RTSP_URL_PLAIN_PATTERN,
            "rtsp:// or rtsps:// URL without user or password (IPv6 literal hosts in brackets are accepted too)",
        )
    }
}

impl utoipa::ToSchema for RtspUrlPlain {}

/// Check an RTSP URL, recording a message under `field` when it is not one: no spaces or control
/// characters anywhere, at most [`MAX_URL_CHARS`], `rtsp`/`rtsps`, a host, and (unless
/// `credentials` is true) no user or password.
pub fn rtsp_url(
    errs: &mut FieldErrors,
    field: &str,
    value: &str,
    credentials: bool,
) -> Option<url::Url> {
    let mut fail = |m: String| {
        errs.insert(field.into(), m);
        None
    };
    if value.chars().count() > MAX_URL_CHARS {
        return fail(format!("must be at most {MAX_URL_CHARS} characters"));
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\u{feff}')
    {
        return fail("must not contain spaces or control characters".into());
    }
    let parsed = match url::Url::parse(value) {
        Ok(u) => u,
        Err(e) => return fail(format!("is not a valid URL ({e})")),
    };
    if !matches!(parsed.scheme(), "rtsp" | "rtsps") {
        return fail("must start with rtsp:// or rtsps://".into());
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return fail("must name a host".into());
    }
    if !credentials && (!parsed.username().is_empty() || parsed.password().is_some()) {
        return fail(
            "must not contain credentials: the camera's username and password are used".into(),
        );
    }
    Some(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_trimmed_not_refused() {
        const H: i64 = 3_600_000;
        let w = |s: Option<&str>, e: Option<&str>| Window::parse(s, e, 100 * H, H, 24 * H);
        assert_eq!(
            w(None, None).unwrap(),
            Window {
                start_ms: 99 * H,
                end_ms: 100 * H
            }
        );
        // Longer than allowed: its last 24 hours.
        let long = w(Some("0"), Some(&(50 * H).to_string())).unwrap();
        assert_eq!((long.start_ms, long.end_ms), (26 * H, 50 * H));
        // Ends before it starts: empty.
        let rev = w(Some(&(60 * H).to_string()), Some(&(50 * H).to_string())).unwrap();
        assert_eq!((rev.start_ms, rev.end_ms), (50 * H, 50 * H));
        let bad = w(Some("yesterday"), None).unwrap_err();
        assert!(bad.details().unwrap()["fields"]["start"].is_string());
    }

    #[test]
    fn rtsp_urls_the_document_allows_are_accepted() {
        let ok = |u: &str, creds: bool| {
            let mut e = FieldErrors::new();
            let r = rtsp_url(&mut e, "url", u, creds);
            assert!(r.is_some(), "{u}: {e:?}");
        };
        for u in [
            "rtsp://0",
            "rtsp://a_b.c-d:554/x",
            "rtsps://é.example/stream?x=1#f",
            "rtsp://a%zz",
            "rtsp://h:65535",
            "rtsp://h:",
            "rtsp://10.0.0.7/a@b[c]\\d",
            "rtsp://[::1]:8554/cam",
            "rtsp://h!$&'()*+,;=~.x",
        ] {
            ok(u, false);
            ok(u, true);
        }
        ok("rtsp://u:p@h/x", true);
        ok("rtsp://u@x@h", true);
        ok("rtsp://:@h", true);
        let bad = |u: &str, creds: bool| {
            let mut e = FieldErrors::new();
            assert!(rtsp_url(&mut e, "url", u, creds).is_none(), "{u}");
            assert!(e.contains_key("url"));
        };
        bad("rtsp://u:p@h/x", false);
        bad(" rtsp://h", true);
        bad("rtsp://h/a b", true);
        bad("rtsp://h\tx", true);
        bad("http://h", true);
        bad("rtsp://r]", true);
        bad("rtsp://h:65536", true);
        bad("rtsp://", true);
        bad(&format!("rtsp://h/{}", "x".repeat(MAX_URL_CHARS)), true);
    }

    #[test]
    fn instants_stay_within_rfc3339_years() {
        assert_eq!(crate::parse_instant_ms("0"), Some(0));
        assert_eq!(
            crate::parse_instant_ms("9999-12-31T23:59:59.999Z"),
            Some(crate::MAX_INSTANT_MS)
        );
        assert_eq!(
            crate::parse_instant_ms("0000-01-01T00:00:00Z"),
            Some(crate::MIN_INSTANT_MS)
        );
        assert_eq!(crate::parse_instant_ms("9223372036854775806"), None);
        assert_eq!(
            instant_value(&serde_json::json!(-9223372036854775807i64)),
            None
        );
        assert_eq!(instant_value(&serde_json::json!("12")), Some(12));
        assert_eq!(instant_value(&serde_json::json!(true)), None);
    }

    #[test]
    fn text_rules() {
        let mut e = FieldErrors::new();
        assert_eq!(
            optional_text(&mut e, "a", Some("  x ".into()), 5).as_deref(),
            Some("x")
        );
        assert_eq!(optional_text(&mut e, "b", Some("   ".into()), 5), None);
        assert!(e.is_empty());
        optional_text(&mut e, "c", Some("toolong".into()), 5);
        optional_text(&mut e, "d", Some("a\u{7}b".into()), 5);
        required_text(&mut e, "e", " ", 5);
        assert_eq!(e.len(), 3);
        assert_eq!(e["e"], "is required");
    }
}
