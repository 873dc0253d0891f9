//! JSON in and out. `Body<T>` reads a request body and reports the exact field that failed to parse
//! (`source.url: invalid type`), size and media-type problems included; `Data` wraps success as
//! `{"success": true, "data": ...}`.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
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

/// Parse JSON, naming the failing field in a validation error.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
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
        let mut f = FieldErrors::new();
        f.insert(field, msg);
        Error::validation(f)
    })
}

fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    Some(rest.split('`').next()?.to_string())
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
}
