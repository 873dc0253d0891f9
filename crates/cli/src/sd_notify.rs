//! The systemd notification protocol, for `Type=notify` units: `READY=1` once the API listens,
//! `WATCHDOG=1` at half the unit's `WatchdogSec` while the engine is alive (its loops running, the
//! database writer answering, the server accepting), `STOPPING=1` on the way out. A datagram to
//! `$NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace); nothing at all when the
//! variable is unset (not run by systemd). Written here rather than taken from a crate: it is one
//! `sendto` and an address parse.

use std::os::unix::net::UnixDatagram;
use std::time::Duration;

/// Where notifications go, from `$NOTIFY_SOCKET`.
#[derive(Clone, Debug)]
pub struct Notifier {
    socket: String,
}

impl Notifier {
    /// `None` unless started by systemd (or a test) with `NOTIFY_SOCKET` set.
    pub fn from_env() -> Option<Notifier> {
        let socket = std::env::var("NOTIFY_SOCKET").ok()?;
        (!socket.is_empty()).then_some(Notifier { socket })
    }

    /// Send one notification (`READY=1`, `WATCHDOG=1`, `STATUS=…`); failures are logged, never
    /// fatal (systemd restarting us for a missed ping is the worst they cause).
    pub fn notify(&self, state: &str) {
        if let Err(e) = self.send(state) {
            tracing::warn!(error = %e, socket = %self.socket, "systemd notification not sent");
        }
    }

    fn send(&self, state: &str) -> std::io::Result<()> {
        let sock = UnixDatagram::unbound()?;
        match self.socket.strip_prefix('@') {
            Some(name) => {
                use std::os::linux::net::SocketAddrExt;
                let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())?;
                sock.send_to_addr(state.as_bytes(), &addr)?;
            }
            None => {
                sock.send_to(state.as_bytes(), &self.socket)?;
            }
        }
        Ok(())
    }
}

/// The watchdog interval systemd asks for (`$WATCHDOG_USEC`, for this process when
/// `$WATCHDOG_PID` names one): pings go at half of it.
pub fn watchdog_interval() -> Option<Duration> {
    if let Ok(pid) = std::env::var("WATCHDOG_PID")
        && pid.parse::<u32>().ok() != Some(std::process::id())
    {
        return None;
    }
    let usec: u64 = std::env::var("WATCHDOG_USEC").ok()?.parse().ok()?;
    (usec > 0).then(|| Duration::from_micros(usec / 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notifications_reach_a_path_and_an_abstract_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify.sock");
        let rx = UnixDatagram::bind(&path).unwrap();
        let n = Notifier {
            socket: path.to_string_lossy().into(),
        };
        n.notify("READY=1");
        let mut buf = [0u8; 64];
        let len = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..len], b"READY=1");

        use std::os::linux::net::SocketAddrExt;
        let name = format!("vigil-test-{}", std::process::id());
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let rx = UnixDatagram::bind_addr(&addr).unwrap();
        Notifier {
            socket: format!("@{name}"),
        }
        .notify("WATCHDOG=1");
        let len = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..len], b"WATCHDOG=1");
    }
}
