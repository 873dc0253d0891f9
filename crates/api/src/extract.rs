//! JSON in and out, and every extractor's rejection as the JSON error envelope. `Body<T>` reads a
//! request body and reports the exact field that failed to parse (`source.url: invalid type`),
//! size and media-type problems included; `Path<T>` and `Query<T>` refuse bad path segments and
//! query strings (a NUL byte, `null` for an id) the same way; `Data` wraps success as
//! `{"success": true, "data": ...}`.

use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;
use vigil_base::{Error, FieldErrors, err};

use crate::ApiError;

/// A parsed JSON request body.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                let ct = ct.split(';').next().unwrap_or("").trim();
                ct.eq_ignore_ascii_case("application/json")
            });
        if !is_json {
            return Err(ApiError(err!(
                InvalidArgument,
                code = UnsupportedMediaType,
                "request body must be application/json"
            )));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError(err!(
                    InvalidArgument,
                    code = PayloadTooLarge,
                    "request body is too large"
                ))
            } else {
                ApiError(err!(InvalidArgument, "could not read request body: {rej}"))
            }
        })?;
        parse(&bytes).map(Body).map_err(ApiError)
    }
}

/// Parse JSON, naming the failing field in a validation error. A number with no fraction is an
/// integer whatever its spelling (`3.0` is JSON Schema's integer 3, and what JavaScript may send
/// for one), so it is made one before the typed fields read it.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        let msg = e.to_string();
        let msg = msg
            .rsplit_once(" at line ")
            .map(|(m, _)| m.to_string())
            .unwrap_or(msg);
        one_field("body", msg)
    })?;
    integral_floats_to_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        let syntax = inner.is_syntax() || inner.is_eof();
        // serde's message ends with " at line L column C"; the field path says where.
        let msg = msg
            .rsplit_once(" at line ")
            .map(|(m, _)| m.to_string())
            .unwrap_or(msg);
        // Syntax errors have no meaningful path ("." or "?"): blame the body as a whole.
        let field = if syntax || path == "." || path.is_empty() {
            missing_field(&msg).unwrap_or_else(|| "body".into())
        } else {
            path
        };
        one_field(&field, msg)
    })
}

/// `2.0` → `2` throughout, within i64 (past it a float stays a float, and an integer field refuses it).
fn integral_floats_to_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                // Both ends strict: -9223372036854775809 is -2^63 once a float, yet no i64.
                && f > i64::MIN as f64
                && f < i64::MAX as f64
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(integral_floats_to_integers),
        Value::Object(o) => o.values_mut().for_each(integral_floats_to_integers),
        _ => {}
    }
}

fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
}

fn one_field(field: &str, msg: impl Into<String>) -> Error {
    let mut f = FieldErrors::new();
    f.insert(field.into(), msg.into());
    Error::validation(f)
}

/// Path parameters, refused as a `VALIDATION_FAILED` envelope when they do not parse.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|e: PathRejection| ApiError(one_field("path", e.body_text())))
    }
}

/// Query parameters. Parameters the route does not know and values that do not parse are refused
/// as a `VALIDATION_FAILED` envelope naming the parameter (a typo must not silently widen a
/// filter). An empty value (`since=`) is a value like any other, refused where it is not one: the
/// document says what each parameter takes, and "empty means absent" is not in it (the UI leaves
/// unset parameters out).
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(raw.as_bytes()));
        serde_path_to_error::deserialize(de)
            .map(Query)
            .map_err(|e| {
                let path = e.path().to_string();
                let msg = e.into_inner().to_string();
                let (field, msg) = query_problem(&path, &msg);
                ApiError(one_field(&field, msg))
            })
    }
}

/// A query parameter's problem in words a person (or the UI next to a filter) can use.
fn query_problem(path: &str, msg: &str) -> (String, String) {
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return (name.to_string(), "unknown parameter".into());
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        return (name.to_string(), "is required".into());
    }
    let field = if path.is_empty() || path == "." {
        "query".to_string()
    } else {
        path.to_string()
    };
    let friendly = if msg.contains("invalid digit")
        || msg.contains("too large")
        || msg.contains("too small")
    {
        "must be an integer"
    } else if msg.contains("`true` or `false`") {
        "must be true or false"
    } else if msg.contains("invalid float literal") {
        "must be a number"
    } else {
        msg
    };
    (field, friendly.to_string())
}

/// `{"success": true, "data": ...}`.
#[derive(Serialize, ToSchema)]
pub struct Envelope<T> {
    pub success: bool,
    pub data: T,
}

pub struct Data<T>(pub T);

impl<T: Serialize> IntoResponse for Data<T> {
    fn into_response(self) -> Response {
        axum::Json(Envelope {
            success: true,
            data: self.0,
        })
        .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct T {
        name: String,
        inner: Option<Inner>,
    }
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
    }

    #[test]
    fn names_the_field() {
        let e = parse::<T>(br#"{"name": "a", "inner": {"n": "x"}}"#).unwrap_err();
        let f = &e.details().unwrap()["fields"];
        assert!(
            f["inner.n"].as_str().unwrap().contains("invalid type"),
            "{f}"
        );
        let e = parse::<T>(br#"{}"#).unwrap_err();
        assert_eq!(
            e.details().unwrap()["fields"]["name"],
            "missing field `name`"
        );
        let e = parse::<T>(b"{oops").unwrap_err();
        assert!(
            e.details().unwrap()["fields"]["body"].is_string(),
            "{:?}",
            e.details()
        );
    }

    #[test]
    fn integral_floats_are_integers() {
        let t = parse::<T>(br#"{"name": "a", "inner": {"n": 7.0}}"#).unwrap();
        assert_eq!(t.inner.unwrap().n, 7);
        let e = parse::<T>(br#"{"name": "a", "inner": {"n": 7.5}}"#).unwrap_err();
        assert!(e.details().unwrap()["fields"]["inner.n"].is_string());
        let e = parse::<T>(br#"{"name": "a", "inner": {"n": 1e300}}"#).unwrap_err();
        assert!(e.details().unwrap()["fields"]["inner.n"].is_string());
        // Just past i64 on either side: a float that rounds onto the end, still no integer.
        for past in ["-9223372036854775809", "9223372036854775808"] {
            let body = format!(r#"{{"name": "a", "inner": {{"n": {past}}}}}"#);
            let e = parse::<T>(body.as_bytes()).unwrap_err();
            assert!(
                e.details().unwrap()["fields"]["inner.n"].is_string(),
                "{past}"
            );
        }
    }
}
