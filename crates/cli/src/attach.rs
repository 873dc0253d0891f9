//! The desktop window as a client of a Vigil that already runs (`vigil service install`, or a
//! `vigil serve` on the same data dir): instead of starting a second engine it reads the server's
//! `runtime.json` (URL and the desktop credential, an admin's token accepted only from this
//! computer) from the data dir — readable only by the service's user and
//! group — and checks that the process it names is alive, holds the data dir, and answers. Closing
//! the window then never touches recording.

use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The data dir of the system service (`vigil service install`).
pub const SYSTEM_DATA_DIR: &str = "/var/lib/vigil";

/// A running Vigil found through its data dir.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub data_dir: PathBuf,
    pub url: String,
    pub token: String,
    pub pid: u32,
}

#[derive(Deserialize)]
struct Runtime {
    url: String,
    token: Option<String>,
    pid: u32,
}

/// Whether some process holds the data dir's lock (a running engine).
fn locked(dir: &Path) -> bool {
    match File::options()
        .read(true)
        .write(true)
        .open(dir.join("vigil.lock"))
    {
        Ok(f) => match f.try_lock() {
            Ok(()) => {
                let _ = f.unlock();
                false
            }
            Err(_) => true,
        },
        // Readable by the group but not writable: the service's own, and held if runtime.json
        // says so (checked by the caller through the process and the socket).
        Err(_) => dir.join("vigil.lock").exists(),
    }
}

/// Whether `url` (`http://host:port`) answers `GET /api/v1/health` with 200 within a second.
fn answers(url: &str) -> bool {
    let Some(hostport) = url.strip_prefix("http://") else {
        // HTTPS: a TCP answer is the check (the window's own client verifies the certificate).
        return url
            .strip_prefix("https://")
            .and_then(|h| h.to_socket_addrs().ok()?.next())
            .is_some_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok());
    };
    let Some(addr) = hostport.to_socket_addrs().ok().and_then(|mut a| a.next()) else {
        return false;
    };
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(1)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req =
        format!("GET /api/v1/health HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// The running Vigil of `dir`, if there is one the caller may use.
pub fn find_in(dir: &Path) -> Option<Service> {
    let bytes = std::fs::read(dir.join("runtime.json")).ok()?;
    let rt: Runtime = serde_json::from_slice(&bytes).ok()?;
    let token = rt.token?;
    let alive = Path::new(&format!("/proc/{}", rt.pid)).exists();
    (alive && locked(dir) && answers(&rt.url)).then(|| Service {
        data_dir: dir.to_path_buf(),
        url: rt.url,
        token,
        pid: rt.pid,
    })
}

/// The first running Vigil among `dirs` (the user's data dir, then the system service's).
pub fn find(dirs: &[PathBuf]) -> Option<Service> {
    dirs.iter().find_map(|d| find_in(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_or_foreign_runtime_file_is_not_a_service() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(find_in(dir.path()), None, "nothing there");
        // A runtime.json left by a crash: its process is gone.
        std::fs::write(
            dir.path().join("runtime.json"),
            r#"{"url": "http://127.0.0.1:9", "token": "t", "pid": 4194303}"#,
        )
        .unwrap();
        assert_eq!(find_in(dir.path()), None);
        // Our own pid but no lock held and nothing listening: still not a service.
        std::fs::write(
            dir.path().join("runtime.json"),
            format!(
                r#"{{"url": "http://127.0.0.1:9", "token": "t", "pid": {}}}"#,
                std::process::id()
            ),
        )
        .unwrap();
        assert_eq!(find_in(dir.path()), None);
    }
}
