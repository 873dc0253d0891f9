//! The one place engine error kinds become HTTP statuses, and the error body every failure uses:
//! `{"success": false, "error": {"code", "message", "details", "timestamp", "requestId"}}`.
//! Internal errors are logged in full and answered with a generic message.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use vigil_base::{Error, ErrorCode, ErrorKind, err};

tokio::task_local! {
    /// The id of the request being handled, set by the request-context middleware.
    pub static REQUEST_ID: String;
}

/// An engine error on its way out as an HTTP response.
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

/// The body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Always `false`.
    pub success: bool,
    pub error: ErrorInfo,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorInfo {
    /// Stable machine code, e.g. `CAMERA_NOT_FOUND`.
    pub code: ErrorCode,
    pub message: String,
    /// Structured details, e.g. `{"fields": {"name": "is required"}}` for validation errors.
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
    /// RFC 3339 UTC.
    pub timestamp: String,
    #[serde(rename = "requestId")]
    pub request_id: String,
}

/// The code an error goes out with: a full disk is `STORAGE_FULL`, whatever raised it.
pub fn code_for(e: &Error) -> ErrorCode {
    if e.is_storage_full() {
        ErrorCode::StorageFull
    } else {
        e.code()
    }
}

/// HTTP status for an error: by code for the few that have their own status, else by kind.
pub fn status_for(e: &Error) -> StatusCode {
    match code_for(e) {
        ErrorCode::StorageFull => return StatusCode::INSUFFICIENT_STORAGE,
        ErrorCode::PayloadTooLarge => return StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => return StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::MethodNotAllowed => return StatusCode::METHOD_NOT_ALLOWED,
        ErrorCode::RangeNotSatisfiable => return StatusCode::RANGE_NOT_SATISFIABLE,
        _ => {}
    }
    match e.kind() {
        ErrorKind::InvalidArgument => StatusCode::BAD_REQUEST,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::AlreadyExists => StatusCode::CONFLICT,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::PermissionDenied => StatusCode::FORBIDDEN,
        ErrorKind::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::FailedPrecondition => StatusCode::CONFLICT,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub fn current_request_id() -> String {
    REQUEST_ID.try_with(|id| id.clone()).unwrap_or_default()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = status_for(&e);
        let (message, details) = if status.is_server_error() {
            tracing::error!(code = %code_for(&e), error = %e, "request failed");
            let msg = if e.kind() == ErrorKind::Internal && !e.is_storage_full() {
                "internal error; see the server log".to_string()
            } else {
                e.message().to_string()
            };
            (msg, None)
        } else {
            tracing::debug!(code = %code_for(&e), error = %e, "request refused");
            (e.message().to_string(), e.details().cloned())
        };
        let retry_after = details
            .as_ref()
            .and_then(|d| d["retry_after_s"].as_i64())
            .filter(|_| status == StatusCode::TOO_MANY_REQUESTS);
        let body = ErrorBody {
            success: false,
            error: ErrorInfo {
                code: code_for(&e),
                message,
                details,
                timestamp: vigil_base::format_rfc3339_ms(vigil_base::Clock::now_ms(
                    &vigil_base::SystemClock,
                )),
                request_id: current_request_id(),
            },
        };
        let mut resp = (status, axum::Json(body)).into_response();
        if let Some(v) = retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"vigil\""),
            );
        }
        resp
    }
}

pub async fn api_not_found() -> ApiError {
    ApiError(err!(NotFound, code = RouteNotFound, "no such API route"))
}

pub async fn method_not_allowed() -> ApiError {
    ApiError(err!(
        InvalidArgument,
        code = MethodNotAllowed,
        "method not allowed on this route"
    ))
}
