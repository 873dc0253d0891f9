//! Foundations every Vigil crate shares: one error type with a kind, clocks, time units,
//! masking of secrets in URLs, and a shutdown signal.

pub mod clock;
pub mod code;
pub mod error;
pub mod fields;
pub mod fs;
pub mod redact;
pub mod shutdown;
pub mod sync;

pub use clock::{Clock, SimulatedClock, SystemClock, format_rfc3339_ms};
pub use clock::{MAX_INSTANT_MS, MIN_INSTANT_MS, parse_instant_ms};
pub use code::ErrorCode;
pub use error::{Error, ErrorKind, FieldErrors, Result, ResultExt};
pub use fields::Window;
pub use redact::{mask_url, strip_url_credentials};
