//! The one error type of the engine crates: a coarse `ErrorKind` (gRPC-style) that the API layer maps
//! to an HTTP status in exactly one place, an optional stable machine code (`CAMERA_NOT_FOUND`), a
//! human message, and optional structured details such as field-level validation errors.

use std::collections::BTreeMap;
use std::fmt;

use crate::ErrorCode;

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
    pub fn default_code(self) -> ErrorCode {
        match self {
            ErrorKind::InvalidArgument => ErrorCode::ValidationFailed,
            ErrorKind::NotFound => ErrorCode::NotFound,
            ErrorKind::AlreadyExists => ErrorCode::AlreadyExists,
            ErrorKind::Unauthenticated => ErrorCode::AuthTokenInvalid,
            ErrorKind::PermissionDenied => ErrorCode::AuthInsufficientPermissions,
            ErrorKind::ResourceExhausted => ErrorCode::RateLimitExceeded,
            ErrorKind::FailedPrecondition => ErrorCode::FailedPrecondition,
            ErrorKind::Unavailable => ErrorCode::Unavailable,
            ErrorKind::Internal => ErrorCode::InternalError,
        }
    }
}

/// Field name → message, for validation errors the UI shows at each field.
pub type FieldErrors = BTreeMap<String, String>;

/// The error of every engine crate.
pub struct Error {
    kind: ErrorKind,
    code: Option<ErrorCode>,
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
        .with_code(ErrorCode::ValidationFailed)
        .with_details(serde_json::json!({ "fields": fields }))
    }

    pub fn with_code(mut self, code: ErrorCode) -> Self {
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
    pub fn code(&self) -> ErrorCode {
        self.code.unwrap_or_else(|| self.kind.default_code())
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn details(&self) -> Option<&serde_json::Value> {
        self.details.as_ref()
    }

    /// The same error, its message prefixed with what was being done (`finishing segment: …`).
    pub fn context(mut self, what: &str) -> Self {
        self.message = format!("{what}: {}", self.message);
        self
    }

    /// The kind of the first I/O error among the sources, if any.
    pub fn io_kind(&self) -> Option<std::io::ErrorKind> {
        let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(self);
        while let Some(s) = src {
            if let Some(io) = s.downcast_ref::<std::io::Error>() {
                return Some(match io.raw_os_error() {
                    // Over quota is a full disk for whoever writes.
                    Some(EDQUOT) => std::io::ErrorKind::StorageFull,
                    _ => io.kind(),
                });
            }
            src = s.source();
        }
        None
    }

    /// Whether this failed because a disk (or the quota on it) is full. Decided by the typed
    /// I/O error underneath (`io::ErrorKind::StorageFull`), never by the message's text.
    pub fn is_storage_full(&self) -> bool {
        self.io_kind() == Some(std::io::ErrorKind::StorageFull)
    }
}

/// `EDQUOT` on Linux (disk quota exceeded).
const EDQUOT: i32 = 122;

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
/// `err!(NotFound, code = CameraNotFound, "camera {id} not found")` (an [`ErrorCode`] variant).
#[macro_export]
macro_rules! err {
    ($kind:ident, code = $code:ident, $($arg:tt)+) => {
        $crate::Error::new($crate::ErrorKind::$kind, format!($($arg)+))
            .with_code($crate::ErrorCode::$code)
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
        assert_eq!(e.code(), ErrorCode::NotFound);
        assert_eq!(e.message(), "camera 7 not found");
        let e = err!(NotFound, code = CameraNotFound, "camera {} not found", 7);
        assert_eq!(e.code(), ErrorCode::CameraNotFound);
        assert_eq!(e.kind(), ErrorKind::NotFound);
    }

    #[test]
    fn validation_lists_fields() {
        let mut f = FieldErrors::new();
        f.insert("name".into(), "must not be empty".into());
        let e = Error::validation(f);
        assert_eq!(e.code(), ErrorCode::ValidationFailed);
        assert_eq!(
            e.details().and_then(|d| d["fields"]["name"].as_str()),
            Some("must not be empty")
        );
    }

    #[test]
    fn a_full_disk_is_known_by_the_io_error_kind() {
        let enospc = std::io::Error::from_raw_os_error(28);
        let e = err!(Unavailable, "writing segment").with_source(enospc);
        assert!(e.is_storage_full());
        assert!(e.context("finishing segment").is_storage_full());
        let quota = std::io::Error::from_raw_os_error(EDQUOT);
        assert!(err!(Unavailable, "x").with_source(quota).is_storage_full());
        let other = std::io::Error::from_raw_os_error(5); // EIO
        assert!(!err!(Unavailable, "x").with_source(other).is_storage_full());
        // Text that mentions it is not the condition.
        assert!(!err!(Internal, "No space left on device").is_storage_full());
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
