//! Brute-force defence for sign-in: failures are counted per username and per client address;
//! past a free allowance every further failure doubles a lockout (1 s, 2 s, 4 s … capped at
//! 15 min), during which attempts are refused before the password is even checked. A quiet
//! quarter of an hour forgets the count; a success forgets the username's (not the address's:
//! one account the attacker owns must not reset the count of an address that guesses others).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Failures allowed before lockouts start.
pub const FREE_PER_USERNAME: u32 = 5;
pub const FREE_PER_CLIENT: u32 = 20;
/// The longest lockout, and how long a quiet key is remembered.
pub const MAX_LOCK_MS: i64 = 15 * 60_000;
const FORGET_MS: i64 = 15 * 60_000;

#[derive(Clone, Copy, Debug, Default)]
struct Count {
    failures: u32,
    last_ms: i64,
    locked_until_ms: i64,
}

impl Count {
    fn fresh(&mut self, now: i64) {
        if now - self.last_ms > FORGET_MS && now >= self.locked_until_ms {
            *self = Count::default();
        }
    }
    fn fail(&mut self, now: i64, free: u32) {
        self.fresh(now);
        self.failures += 1;
        self.last_ms = now;
        if self.failures > free {
            let exp = (self.failures - free - 1).min(20);
            let lock = (1000_i64 << exp).min(MAX_LOCK_MS);
            self.locked_until_ms = now + lock;
        }
    }
}

#[derive(Default)]
struct State {
    users: HashMap<String, Count>,
    clients: HashMap<String, Count>,
    /// Times of failures in the last minute, all keys (for the `auth_failures` alert).
    recent: VecDeque<i64>,
}

#[derive(Default)]
pub struct LoginLimiter {
    state: Mutex<State>,
}

impl LoginLimiter {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `Err(ms)`: locked, retry after this many milliseconds.
    pub fn check(&self, username: &str, client: &str, now: i64) -> Result<(), i64> {
        let st = self.state();
        let user = st.users.get(&username.to_lowercase()).copied();
        let cl = st.clients.get(client).copied();
        let until = [user, cl]
            .into_iter()
            .flatten()
            .map(|c| c.locked_until_ms)
            .max()
            .unwrap_or(0);
        if until > now {
            Err(until - now)
        } else {
            Ok(())
        }
    }

    pub fn fail(&self, username: &str, client: &str, now: i64) {
        let mut st = self.state();
        st.users
            .entry(username.to_lowercase())
            .or_default()
            .fail(now, FREE_PER_USERNAME);
        st.clients
            .entry(client.to_string())
            .or_default()
            .fail(now, FREE_PER_CLIENT);
        st.recent.push_back(now);
        while st.recent.front().is_some_and(|t| now - t > 60_000) {
            st.recent.pop_front();
        }
        // Bound memory under a flood of distinct usernames: drop what is quiet.
        if st.users.len() > 10_000 {
            st.users
                .retain(|_, c| now - c.last_ms <= FORGET_MS || now < c.locked_until_ms);
        }
        if st.clients.len() > 10_000 {
            st.clients
                .retain(|_, c| now - c.last_ms <= FORGET_MS || now < c.locked_until_ms);
        }
    }

    /// An attempt refused by a lockout: not a new failure for the lockout (that would extend it
    /// forever), but one for the `auth_failures` alert (someone keeps trying).
    pub fn refused(&self, now: i64) {
        let mut st = self.state();
        st.recent.push_back(now);
        while st.recent.front().is_some_and(|t| now - t > 60_000) {
            st.recent.pop_front();
        }
    }

    pub fn succeed(&self, username: &str) {
        self.state().users.remove(&username.to_lowercase());
    }

    /// Failed sign-ins in the minute before `now`.
    pub fn failures_last_minute(&self, now: i64) -> usize {
        self.state()
            .recent
            .iter()
            .filter(|t| now - **t <= 60_000)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockout_doubles_and_success_forgets_the_username() {
        let l = LoginLimiter::default();
        let mut now = 1_000_000;
        for _ in 0..FREE_PER_USERNAME {
            assert!(l.check("Alice", "10.0.0.9", now).is_ok());
            l.fail("alice", "10.0.0.9", now);
        }
        assert!(l.check("alice", "10.0.0.9", now).is_ok());
        l.fail("alice", "10.0.0.9", now);
        assert_eq!(l.check("ALICE", "10.0.0.1", now), Err(1000));
        now += 1000;
        l.fail("alice", "10.0.0.9", now);
        assert_eq!(l.check("alice", "10.0.0.1", now), Err(2000));
        now += 2000;
        assert!(l.check("alice", "10.0.0.1", now).is_ok());
        assert_eq!(l.failures_last_minute(now), 7);
        l.succeed("alice");
        assert!(l.check("alice", "10.0.0.9", now).is_ok());
        assert_eq!(l.failures_last_minute(now + 61_000), 0);
    }

    #[test]
    fn an_address_guessing_many_names_is_locked() {
        let l = LoginLimiter::default();
        let now = 5_000;
        for i in 0..=FREE_PER_CLIENT {
            l.fail(&format!("user{i}"), "192.0.2.7", now);
        }
        assert!(l.check("someone-new", "192.0.2.7", now).is_err());
        assert!(l.check("someone-new", "192.0.2.8", now).is_ok());
        // The lock is capped and a quiet quarter of an hour forgets it.
        let later = now + MAX_LOCK_MS + FORGET_MS + 1;
        assert!(l.check("someone-new", "192.0.2.7", later).is_ok());
    }
}
