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

/// An instant given as epoch milliseconds or RFC 3339.
pub fn parse_instant(s: &str) -> Option<i64> {
    s.parse::<i64>().ok().or_else(|| crate::parse_instant_ms(s))
}

/// An optional instant query field.
pub fn instant_field(errs: &mut FieldErrors, field: &str, value: &Option<String>) -> Option<i64> {
    let s = value.as_deref()?;
    let parsed = parse_instant(s);
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

/// The request fields of a time window.
/// A time window from query parameters, already checked.
#[derive(Clone, Copy, Debug)]
pub struct Window {
    pub start_ms: i64,
    pub end_ms: i64,
}

impl Window {
    /// Parse `start`/`end` (epoch ms or RFC 3339). Missing start: `default_span_ms` before end;
    /// missing end: now. At most `max_span_ms` long.
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
        let end_ms = end_ms.unwrap_or(now_ms);
        let start_ms = start_ms.unwrap_or(end_ms - default_span_ms);
        if f.is_empty() && end_ms <= start_ms {
            f.insert("end".into(), "must be after start".into());
        }
        if f.is_empty() && end_ms - start_ms > max_span_ms {
            f.insert(
                "end".into(),
                format!(
                    "the window may be at most {} hours",
                    max_span_ms / 3_600_000
                ),
            );
        }
        if !f.is_empty() {
            return Err(crate::Error::validation(f));
        }
        Ok(Window { start_ms, end_ms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
