//! Every machine code an error can carry, as one enum: the API sends it as `error.code`, the
//! OpenAPI document lists its values and the UI's generated types make a union of them, so a code
//! is never a string typed by hand on either side. Control flow that depends on a condition (a
//! stalled source, frames reordered deeper than declared) matches these variants, never message text.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $name:ident = $wire:literal,)+) => {
        /// A stable machine code, e.g. `CAMERA_NOT_FOUND`.
        // `rename_all` rather than a `rename` per variant: the OpenAPI derive does not see
        // renames made of macro fragments. A test checks the two spellings agree.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum ErrorCode {
            $($(#[doc = $doc])* $name,)+
        }

        impl ErrorCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)+];

            /// The code as sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$name => $wire,)+
                }
            }
        }
    };
}

codes! {
    // Generic, one per kind (see `ErrorKind::default_code`).
    /// A request field or body is invalid; `details.fields` says which.
    ValidationFailed = "VALIDATION_FAILED",
    NotFound = "NOT_FOUND",
    AlreadyExists = "ALREADY_EXISTS",
    /// The bearer token is unknown, expired or revoked.
    AuthTokenInvalid = "AUTH_TOKEN_INVALID",
    /// No bearer token was sent.
    AuthTokenMissing = "AUTH_TOKEN_MISSING",
    /// The token's role lacks the permission this needs.
    AuthInsufficientPermissions = "AUTH_INSUFFICIENT_PERMISSIONS",
    /// Too many requests for the token's rate limit; see `Retry-After`.
    RateLimitExceeded = "RATE_LIMIT_EXCEEDED",
    FailedPrecondition = "FAILED_PRECONDITION",
    Unavailable = "UNAVAILABLE",
    InternalError = "INTERNAL_ERROR",
    // The HTTP layer.
    RouteNotFound = "ROUTE_NOT_FOUND",
    MethodNotAllowed = "METHOD_NOT_ALLOWED",
    PayloadTooLarge = "PAYLOAD_TOO_LARGE",
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE",
    RangeNotSatisfiable = "RANGE_NOT_SATISFIABLE",
    /// A browser `Origin` other than Vigil's own UI.
    OriginNotAllowed = "ORIGIN_NOT_ALLOWED",
    /// A `Host` header naming something other than this server (DNS rebinding).
    HostNotAllowed = "HOST_NOT_ALLOWED",
    /// A WebSocket message that is not what the socket expects.
    InvalidMessage = "INVALID_MESSAGE",
    // Start-up.
    /// Another Vigil process holds the data dir.
    DataDirInUse = "DATA_DIR_IN_USE",
    /// SQLite cannot read the database file (a damaged header or pages, or not a database).
    DatabaseCorrupt = "DATABASE_CORRUPT",
    CredentialStoreUnavailable = "CREDENTIAL_STORE_UNAVAILABLE",
    /// A disk Vigil writes to (recordings or the database) is full.
    StorageFull = "STORAGE_FULL",
    /// A storage tier is not there (unmounted, identity file missing or another database's).
    StorageTierOffline = "STORAGE_TIER_OFFLINE",
    /// Storage settings that would strand footage (a tier holding segments removed or moved).
    StorageConfigConflict = "STORAGE_CONFIG_CONFLICT",
    LockNotFound = "LOCK_NOT_FOUND",
    // Cameras and their sources.
    CameraNotFound = "CAMERA_NOT_FOUND",
    CameraSerialDuplicate = "CAMERA_SERIAL_DUPLICATE",
    /// The camera was deleted with its footage kept: its recordings play and export, but it can
    /// no longer be changed or started.
    CameraRemoved = "CAMERA_REMOVED",
    /// More cameras would stream at once than `VIGIL_MAX_CONCURRENT` allows.
    ConcurrentLimitExceeded = "CONCURRENT_LIMIT_EXCEEDED",
    /// The source cannot be reached (refused, timed out, unknown host).
    SourceUnreachable = "SOURCE_UNREACHABLE",
    /// The source answered with something unusable (no video, a bad reply, a bad file).
    SourceInvalid = "SOURCE_INVALID",
    /// A read was interrupted: the camera stopped, or nothing arrived for the stall timeout.
    SourceInterrupted = "SOURCE_INTERRUPTED",
    /// The camera reordered frames (B-frames) deeper than its stream parameters declare; Vigil
    /// reconnects (after the usual short backoff) with the depth it saw: a second or two of
    /// footage, once.
    SourceReorderDeeper = "SOURCE_REORDER_DEEPER",
    /// The source asked for credentials Vigil does not have, or refused them.
    SourceUnauthorized = "SOURCE_UNAUTHORIZED",
    /// The server answered but has no stream at that path (RTSP 404 to DESCRIBE): a wrong path
    /// in the URL.
    SourceNotFound = "SOURCE_NOT_FOUND",
    /// The camera took the connection but stopped answering while the session was set up
    /// (DESCRIBE, SETUP or PLAY unanswered, or no frame after PLAY; `details.stage` says which).
    SourceNotResponding = "SOURCE_NOT_RESPONDING",
    /// The camera cannot be steered: not an ONVIF camera, or one without a PTZ service.
    PtzUnsupported = "PTZ_UNSUPPORTED",
    /// The source's reply is larger than Vigil accepts (a hostile or broken server).
    SourceReplyTooLarge = "SOURCE_REPLY_TOO_LARGE",
    /// The source sends video in a codec Vigil cannot record (only H.264 and H.265).
    CodecUnsupported = "CODEC_UNSUPPORTED",
    /// The source sends no video stream at all.
    NoVideo = "NO_VIDEO",
    // Recordings and exports.
    RecordingNotFound = "RECORDING_NOT_FOUND",
    /// The recording's file is gone from the disk.
    RecordingMissing = "RECORDING_MISSING",
    /// The recording is still being written.
    RecordingInProgress = "RECORDING_IN_PROGRESS",
    RecordingEmpty = "RECORDING_EMPTY",
    /// Nothing was recorded in the asked range.
    NoRecordings = "NO_RECORDINGS",
    SegmentNotFound = "SEGMENT_NOT_FOUND",
    ExportNotFound = "EXPORT_NOT_FOUND",
    ExportNotReady = "EXPORT_NOT_READY",
    /// The range is longer than one export may cover (24 h).
    ExportTooLong = "EXPORT_TOO_LONG",
    // Live view.
    StreamNotReady = "STREAM_NOT_READY",
    /// More live decodes would run than `STREAM_MAX_CONCURRENT` allows.
    StreamLimitExceeded = "STREAM_LIMIT_EXCEEDED",
    QualityInvalid = "QUALITY_INVALID",
    SnapshotUnavailable = "SNAPSHOT_UNAVAILABLE",
    // Detection and alerts.
    DetectionUnavailable = "DETECTION_UNAVAILABLE",
    DetectionFailed = "DETECTION_FAILED",
    DetectionNotFound = "DETECTION_NOT_FOUND",
    EventNotFound = "EVENT_NOT_FOUND",
    SnapshotNotFound = "SNAPSHOT_NOT_FOUND",
    ModelUnavailable = "MODEL_UNAVAILABLE",
    ModelConfigInvalid = "MODEL_CONFIG_INVALID",
    AlertNotFound = "ALERT_NOT_FOUND",
    // The rest of the API.
    TokenNotFound = "TOKEN_NOT_FOUND",
    LayoutNotFound = "LAYOUT_NOT_FOUND",
    /// The user has a layout of that name already.
    LayoutNameTaken = "LAYOUT_NAME_TAKEN",
    /// A layout's tiles overlap or reach past the grid (`details.fields` names them).
    LayoutConflict = "LAYOUT_CONFLICT",
    BookmarkNotFound = "BOOKMARK_NOT_FOUND",
    // People and access.
    /// Wrong username or password (the same answer, in the same time, for an unknown user).
    AuthCredentialsInvalid = "AUTH_CREDENTIALS_INVALID",
    /// The refresh token is unknown, spent, expired or its session was revoked.
    AuthRefreshInvalid = "AUTH_REFRESH_INVALID",
    /// This needs the password again (admin pages, within the last minutes).
    AuthReauthRequired = "AUTH_REAUTH_REQUIRED",
    UserNotFound = "USER_NOT_FOUND",
    /// Another user has that username (usernames ignore case).
    UsernameTaken = "USERNAME_TAKEN",
    /// The change would leave no enabled admin.
    LastAdmin = "LAST_ADMIN",
    // Settings.
    /// These settings come from `config.toml`, which wins; change them there.
    SettingsInConfigFile = "SETTINGS_IN_CONFIG_FILE",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for c in ErrorCode::ALL {
            assert!(seen.insert(c.as_str()), "{c:?} twice");
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), *c);
        }
    }
}
