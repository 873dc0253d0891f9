//! Time behind a small trait so tests can simulate it, after Moonfire NVR's `Clocks`: wall time
//! (token expiry, segment start times), monotonic time (stall detection, sync intervals, backoff
//! deadlines) and sleeping. A [`SimulatedClock`] moves only when told — or when a thread sleeps
//! on it, which moves it on by the sleep at once — so backoff, stall detection and the recorder's
//! sync schedule are tested deterministically without waiting. Wall times are UTC milliseconds
//! since the epoch (`_ms`).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

/// A source of time.
pub trait Clock: Send + Sync + 'static {
    /// Wall-clock time in UTC milliseconds since the Unix epoch.
    fn now_ms(&self) -> i64;

    /// Monotonic time, for intervals and deadlines (never jumps with the wall clock).
    fn instant(&self) -> Instant;

    /// Block the calling thread for `d`. A simulated clock moves on by `d` instead.
    fn sleep(&self, d: Duration);

    /// Monotonic time since `earlier`.
    fn elapsed(&self, earlier: Instant) -> Duration {
        self.instant().saturating_duration_since(earlier)
    }
}

/// The real clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let now = time::OffsetDateTime::now_utc();
        (now.unix_timestamp_nanos() / 1_000_000) as i64
    }
    fn instant(&self) -> Instant {
        Instant::now()
    }
    fn sleep(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// A clock tests move by hand. Wall and monotonic time move together; sleeping moves both on
/// (so a thread sleeping on it runs through its timers at once, in order).
#[derive(Clone, Debug)]
pub struct SimulatedClock(Arc<SimInner>);

#[derive(Debug)]
struct SimInner {
    wall_ms: AtomicI64,
    /// Monotonic time since `base`, in nanoseconds.
    mono_ns: AtomicI64,
    /// Wall time in nanoseconds beyond `wall_ms` (so sub-millisecond steps add up).
    wall_frac_ns: AtomicI64,
    base: Instant,
}

impl Default for SimulatedClock {
    fn default() -> Self {
        SimulatedClock::new(0)
    }
}

impl SimulatedClock {
    pub fn new(start_ms: i64) -> Self {
        SimulatedClock(Arc::new(SimInner {
            wall_ms: AtomicI64::new(start_ms),
            mono_ns: AtomicI64::new(0),
            wall_frac_ns: AtomicI64::new(0),
            base: Instant::now(),
        }))
    }
    /// Move time on (wall and monotonic).
    pub fn advance(&self, d: Duration) {
        let ns = i64::try_from(d.as_nanos()).unwrap_or(i64::MAX);
        self.0.mono_ns.fetch_add(ns, Ordering::SeqCst);
        let frac = self
            .0
            .wall_frac_ns
            .fetch_add(ns % 1_000_000, Ordering::SeqCst)
            + ns % 1_000_000;
        let carry = frac / 1_000_000;
        if carry > 0 {
            self.0
                .wall_frac_ns
                .fetch_sub(carry * 1_000_000, Ordering::SeqCst);
        }
        self.0
            .wall_ms
            .fetch_add(ns / 1_000_000 + carry, Ordering::SeqCst);
    }
    pub fn advance_ms(&self, ms: i64) {
        self.advance(Duration::from_millis(ms.max(0) as u64));
        if ms < 0 {
            // Only the wall clock can go back.
            self.0.wall_ms.fetch_add(ms, Ordering::SeqCst);
        }
    }
    /// Set the wall clock (a jump; monotonic time does not move).
    pub fn set_ms(&self, ms: i64) {
        self.0.wall_ms.store(ms, Ordering::SeqCst);
    }
    /// Monotonic time since the clock was made.
    pub fn uptime(&self) -> Duration {
        Duration::from_nanos(self.0.mono_ns.load(Ordering::SeqCst).max(0) as u64)
    }
}

impl Clock for SimulatedClock {
    fn now_ms(&self) -> i64 {
        self.0.wall_ms.load(Ordering::SeqCst)
    }
    fn instant(&self) -> Instant {
        self.0.base + self.uptime()
    }
    fn sleep(&self, d: Duration) {
        self.advance(d);
        // Let other threads run, as a real sleep would.
        std::thread::yield_now();
    }
}

/// RFC 3339 with millisecond precision in UTC, e.g. `2026-11-21T08:00:00.123Z`.
pub fn format_rfc3339_ms(ms: i64) -> String {
    let nanos = i128::from(ms) * 1_000_000;
    let dt = time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let fmt = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    dt.format(&fmt).unwrap_or_else(|_| ms.to_string())
}

/// The earliest instant the API takes: 0000-01-01T00:00:00Z, the first an RFC 3339 time can name.
pub const MIN_INSTANT_MS: i64 = -62_167_219_200_000;
/// The latest: 9999-12-31T23:59:59.999Z, the last an RFC 3339 time can name. Epoch milliseconds
/// outside these are refused, so every stored instant also has an RFC 3339 form.
pub const MAX_INSTANT_MS: i64 = 253_402_300_799_999;

/// Parse an instant given as epoch milliseconds or RFC 3339 (within the RFC 3339 years).
pub fn parse_instant_ms(s: &str) -> Option<i64> {
    let ms = match s.parse::<i64>() {
        Ok(ms) => ms,
        Err(_) => {
            let dt = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .ok()?;
            (dt.unix_timestamp_nanos() / 1_000_000) as i64
        }
    };
    (MIN_INSTANT_MS..=MAX_INSTANT_MS)
        .contains(&ms)
        .then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulated_clock_moves_only_when_told() {
        let c = SimulatedClock::new(1_000);
        let t0 = c.instant();
        assert_eq!(c.now_ms(), 1_000);
        c.advance_ms(500);
        assert_eq!(c.now_ms(), 1_500);
        assert_eq!(c.elapsed(t0), Duration::from_millis(500));
        c.sleep(Duration::from_secs(2));
        assert_eq!(c.now_ms(), 3_500);
        assert_eq!(c.elapsed(t0), Duration::from_millis(2_500));
        // A wall-clock jump back leaves monotonic time alone.
        c.advance_ms(-10_000);
        assert_eq!(c.now_ms(), -6_500);
        assert_eq!(c.elapsed(t0), Duration::from_millis(2_500));
        // Sub-millisecond steps add up on both clocks.
        for _ in 0..4 {
            c.advance(Duration::from_micros(250));
        }
        assert_eq!(c.now_ms(), -6_499);
        assert_eq!(c.elapsed(t0), Duration::from_micros(2_501_000));
    }

    #[test]
    fn rfc3339_round_trip() {
        let s = format_rfc3339_ms(1_763_712_000_123);
        assert_eq!(s, "2025-11-21T08:00:00.123Z");
        assert_eq!(parse_instant_ms(&s), Some(1_763_712_000_123));
        assert_eq!(parse_instant_ms("42"), Some(42));
        assert_eq!(parse_instant_ms("yesterday"), None);
    }

    #[test]
    fn system_clock_is_recent() {
        assert!(SystemClock.now_ms() > 1_700_000_000_000);
    }
}
