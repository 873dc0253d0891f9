//! A real S3-compatible server for the archive tier's tests: moto's server (PyPI `moto[server]`,
//! installed by `scripts/dev.sh setup` into `.cache/moto`), on 127.0.0.1 at a free port, killed
//! when dropped. Found at `$VIGIL_MOTO_SERVER`, then `.cache/moto/bin/moto_server`, then on PATH;
//! a machine without it fails the test with that instruction rather than skipping it.
//!
//! moto keeps objects in memory and does not check signatures, so any access keys work; the
//! tests still send signed requests through `object_store`, as against a real S3.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct MotoServer {
    child: Child,
    pub port: u16,
}

fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("VIGIL_MOTO_SERVER") {
        return PathBuf::from(p);
    }
    let cached =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.cache/moto/bin/moto_server");
    if cached.exists() {
        return cached;
    }
    PathBuf::from("moto_server")
}

impl MotoServer {
    pub fn start() -> MotoServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        Self::start_on(port)
    }

    /// On a given port (a server "coming back" where it was).
    pub fn start_on(port: u16) -> MotoServer {
        let bin = binary();
        let child = Command::new(&bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "starting {} failed ({e}): run scripts/dev.sh setup (installs moto's S3 server)",
                    bin.display()
                )
            });
        let mut s = MotoServer { child, port };
        let t0 = Instant::now();
        loop {
            if s.request("GET", "/", b"")
                .is_some_and(|(code, _)| code == 200)
            {
                break;
            }
            if let Ok(Some(st)) = s.child.try_wait() {
                panic!("moto_server exited: {st}");
            }
            assert!(
                t0.elapsed() < Duration::from_secs(60),
                "moto_server did not answer"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        s
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn create_bucket(&self, bucket: &str) {
        let (code, body) = self
            .request("PUT", &format!("/{bucket}"), b"")
            .expect("moto answers");
        assert_eq!(code, 200, "creating bucket {bucket}: {body}");
    }

    /// Put an object with a plain request.
    pub fn put(&self, bucket: &str, key: &str, body: &[u8]) {
        let (code, text) = self
            .request("PUT", &format!("/{bucket}/{key}"), body)
            .expect("moto answers");
        assert_eq!(code, 200, "putting {key}: {text}");
    }

    /// Every key under `prefix` in `bucket` (one page: the tests hold far fewer than 1,000).
    pub fn keys(&self, bucket: &str, prefix: &str) -> Vec<String> {
        let (code, body) = self
            .request(
                "GET",
                &format!("/{bucket}?list-type=2&prefix={prefix}"),
                b"",
            )
            .expect("moto answers");
        assert_eq!(code, 200, "listing {bucket}: {body}");
        let mut out = vec![];
        let mut rest = body.as_str();
        while let Some(i) = rest.find("<Key>") {
            let after = &rest[i + 5..];
            let Some(j) = after.find("</Key>") else { break };
            out.push(after[..j].to_string());
            rest = &after[j..];
        }
        out
    }

    /// Stop the server (its objects are gone with it).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// One plain HTTP/1.1 request (moto does not check signatures); `None` if nothing answers.
    fn request(&self, method: &str, path: &str, body: &[u8]) -> Option<(u16, String)> {
        let mut c = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        c.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            body.len()
        );
        c.write_all(head.as_bytes()).ok()?;
        c.write_all(body).ok()?;
        let mut resp = vec![];
        c.read_to_end(&mut resp).ok()?;
        let text = String::from_utf8_lossy(&resp).into_owned();
        let code = text.split_whitespace().nth(1)?.parse().ok()?;
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        Some((code, body))
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        self.kill();
    }
}
