//! The one error type of the engine crates: a coarse `ErrorKind` (gRPC-style) that the API layer maps
//! to an HTTP status in exactly one place, an optional stable machine code (`CAMERA_NOT_FOUND`), a
//! human message, and optional structured details such as field-level validation errors.

use std::collections::BTreeMap;
use std::fmt;

/// What went wrong, coarsely. The API maps each kind to one HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The caller sent something invalid (bad field, bad JSON).
    InvalidArgument,
    /// The named thing does not exist.
    NotFound,
    /// A unique thing already exists (duplicate serial number).
    AlreadyExists,
    /// No or bad credentials.
    Unauthenticated,
    /// Authenticated, but not allowed.
    PermissionDenied,
    /// A quota or limit was hit (rate limit, concurrent streams).
    ResourceExhausted,
    /// The system is not in a state where this can be done.
    FailedPrecondition,
    /// A dependency (camera, keyring, disk) is unavailable right now.
    Unavailable,
    /// A bug or an unexpected failure of the machine.
    Internal,
}

impl ErrorKind {
    /// A generic machine code for this kind, used when the error carries no specific one.
    pub fn default_code(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "VALIDATION_FAILED",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::AlreadyExists => "ALREADY_EXISTS",
            ErrorKind::Unauthenticated => "AUTH_TOKEN_INVALID",
            ErrorKind::PermissionDenied => "AUTH_INSUFFICIENT_PERMISSIONS",
            ErrorKind::ResourceExhausted => "RATE_LIMIT_EXCEEDED",
            ErrorKind::FailedPrecondition => "FAILED_PRECONDITION",
            ErrorKind::Unavailable => "UNAVAILABLE",
            ErrorKind::Internal => "INTERNAL_ERROR",
        }
    }
}

/// Field name → message, for validation errors the UI shows at each field.
pub type FieldErrors = BTreeMap<String, String>;

/// The error of every engine crate.
pub struct Error {
    kind: ErrorKind,
    code: Option<&'static str>,
    message: String,
    details: Option<serde_json::Value>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            code: None,
            message: message.into(),
            details: None,
            source: None,
        }
    }

    /// A validation failure with one message per offending field.
    pub fn validation(fields: FieldErrors) -> Self {
        let summary = fields
            .iter()
            .map(|(f, m)| format!("{f}: {m}"))
            .collect::<Vec<_>>()
            .join("; ");
        Error::new(
            ErrorKind::InvalidArgument,
            format!("validation failed: {summary}"),
        )
        .with_code("VALIDATION_FAILED")
        .with_details(serde_json::json!({ "fields": fields }))
    }

    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = Some(code);
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable machine code: the specific one if set, else the kind's default.
    pub fn code(&self) -> &'static str {
        self.code.unwrap_or_else(|| self.kind.default_code())
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(s) = &self.source {
            write!(f, ": {s}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}/{}: {}", self.kind, self.code(), self)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Attach a kind and message to any foreign error: `fs::write(..).err_kind(Internal, "writing x")?`.
pub trait ResultExt<T> {
    fn err_kind(self, kind: ErrorKind, message: impl FnOnce() -> String) -> Result<T>;
}

impl<T, E: std::error::Error + Send + Sync + 'static> ResultExt<T> for std::result::Result<T, E> {
    fn err_kind(self, kind: ErrorKind, message: impl FnOnce() -> String) -> Result<T> {
        self.map_err(|e| Error::new(kind, message()).with_source(e))
    }
}

/// Build an error: `err!(NotFound, "camera {id} not found")`, optionally with a code first:
/// `err!(NotFound, code = "CAMERA_NOT_FOUND", "camera {id} not found")`.
#[macro_export]
macro_rules! err {
    ($kind:ident, code = $code:expr, $($arg:tt)+) => {
        $crate::Error::new($crate::ErrorKind::$kind, format!($($arg)+)).with_code($code)
    };
    ($kind:ident, $($arg:tt)+) => {
        $crate::Error::new($crate::ErrorKind::$kind, format!($($arg)+))
    };
}

/// Return early with an error built by [`err!`].
#[macro_export]
macro_rules! bail {
    ($($arg:tt)+) => {
        return Err($crate::err!($($arg)+))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_defaults_to_kind_and_can_be_overridden() {
        let e = err!(NotFound, "camera {} not found", 7);
        assert_eq!(e.code(), "NOT_FOUND");
        assert_eq!(e.message(), "camera 7 not found");
        let e = err!(
            NotFound,
            code = "CAMERA_NOT_FOUND",
            "camera {} not found",
            7
        );
        assert_eq!(e.code(), "CAMERA_NOT_FOUND");
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }

    #[test]
    fn validation_lists_fields() {
        let mut f = FieldErrors::new();
        f.insert("name".into(), "must not be empty".into());
        let e = Error::validation(f);
        assert_eq!(e.code(), "VALIDATION_FAILED");
        assert_eq!(
            e.details().and_then(|d| d["fields"]["name"].as_str()),
            Some("must not be empty")
        );
    }

    #[test]
    fn display_includes_source() {
        let io = std::io::Error::other("disk on fire");
        let r: std::result::Result<(), _> = Err(io);
        let e = r
            .err_kind(ErrorKind::Internal, || "writing x".into())
            .unwrap_err();
        assert_eq!(e.to_string(), "writing x: disk on fire");
    }
}
