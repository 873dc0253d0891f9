//! Reconnect delays: about 1 s doubling to a 30 s cap, each shortened by up to 25% at random so a
//! site full of cameras that lost power together does not reconnect in lockstep.

use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Backoff {
    min: Duration,
    max: Duration,
    attempt: u32,
}

impl Backoff {
    pub fn new(min: Duration, max: Duration) -> Self {
        Backoff {
            min,
            max,
            attempt: 0,
        }
    }

    /// The delay before the next attempt.
    pub fn next_delay(&mut self) -> Duration {
        let exp = self.min.saturating_mul(1u32 << self.attempt.min(16));
        let capped = exp.min(self.max);
        self.attempt = self.attempt.saturating_add(1);
        let mut b = [0u8; 2];
        let r = if getrandom::fill(&mut b).is_ok() {
            u16::from_le_bytes(b)
        } else {
            0
        };
        let jitter = f64::from(r) / f64::from(u16::MAX) * 0.25;
        capped.mul_f64(1.0 - jitter)
    }

    /// Back to the shortest delay (after a healthy session).
    pub fn reset(&mut self) {
        self.attempt = 0;
    }

    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_with_jitter_up_to_the_cap() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(30));
        let d: Vec<f64> = (0..8).map(|_| b.next_delay().as_secs_f64()).collect();
        let nominal = [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0];
        for (got, want) in d.iter().zip(nominal) {
            assert!(*got <= want && *got >= want * 0.75, "{got} vs {want}");
        }
        b.reset();
        assert!(b.next_delay() <= Duration::from_secs(1));
    }
}
