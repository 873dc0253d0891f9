//! An RTSP server's answer to DESCRIBE becomes a typed camera error through both RTSP clients
//! (Retina and FFmpeg's), never by reading message text: 404 (no stream at that path, the usual
//! wrong path in a URL) is `SOURCE_NOT_FOUND`, 401 (a refused login) is `SOURCE_UNAUTHORIZED`, and
//! "test connection" reports the same codes. The server is a real TCP peer speaking RTSP; the
//! test against GStreamer's server is in `tests/api_layouts.rs`.
#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use vigil_base::ErrorCode;
use vigil_ingest::probe::{ProbeOutcome, probe_blocking};
use vigil_ingest::{Interrupt, RetinaOpener, RtspOpener, SourceOpener};
use vigil_media::Transport;

/// Serve every connection: OPTIONS is answered 200, DESCRIBE with `status` (and anything else
/// 405). Returns the port.
fn serve(status: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    thread::spawn(move || {
        for sock in listener.incoming() {
            let Ok(sock) = sock else { return };
            thread::spawn(move || answer(sock, status));
        }
    });
    port
}

fn answer(sock: TcpStream, status: &str) {
    sock.set_read_timeout(Some(Duration::from_secs(20))).ok();
    let Ok(read_half) = sock.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(read_half);
    let mut out = sock;
    loop {
        let mut method = String::new();
        let mut cseq = String::from("1");
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if method.is_empty() {
                method = line.split(' ').next().unwrap_or("").to_string();
            } else if let Some(v) = line.strip_prefix("CSeq:") {
                cseq = v.trim().to_string();
            }
        }
        let reply = match method.as_str() {
            "OPTIONS" => format!(
                "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n"
            ),
            "DESCRIBE" if status.starts_with("401") => format!(
                "RTSP/1.0 {status}\r\nCSeq: {cseq}\r\nWWW-Authenticate: Basic realm=\"cam\"\r\n\r\n"
            ),
            "DESCRIBE" => format!("RTSP/1.0 {status}\r\nCSeq: {cseq}\r\n\r\n"),
            _ => format!("RTSP/1.0 405 Method Not Allowed\r\nCSeq: {cseq}\r\n\r\n"),
        };
        if out.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

fn openers(port: u16, user: Option<&str>) -> Vec<(&'static str, Box<dyn SourceOpener>)> {
    let url = format!("rtsp://127.0.0.1:{port}/no/such/stream");
    let username = user.map(str::to_string);
    let password = || Box::new(|| Some("wrong".to_string())) as Box<_>;
    vec![
        (
            "retina",
            Box::new(RetinaOpener {
                url: url.clone(),
                transport: Transport::Tcp,
                username: username.clone(),
                password: password(),
                learned_reorder: Default::default(),
                stage_timeout: vigil_ingest::STAGE_TIMEOUT,
            }),
        ),
        (
            "ffmpeg",
            Box::new(RtspOpener {
                url,
                transport: Transport::Tcp,
                username,
                password: password(),
            }),
        ),
    ]
}

fn open_error(opener: &dyn SourceOpener) -> vigil_base::Error {
    match opener.open(&Interrupt::with_timeout(Duration::from_secs(20))) {
        Ok(_) => panic!("the server has no stream, yet it opened"),
        Err(e) => e,
    }
}

#[test]
fn a_wrong_path_is_source_not_found() {
    let port = serve("404 Not Found");
    for (client, opener) in openers(port, None) {
        let err = open_error(opener.as_ref());
        assert_eq!(err.code(), ErrorCode::SourceNotFound, "{client}: {err}");
        match probe_blocking(opener.as_ref(), "source.url").unwrap() {
            ProbeOutcome::Failed(f) => {
                assert_eq!(f.code, ErrorCode::SourceNotFound, "{client}: {}", f.message);
                assert_eq!(f.field, "source.url");
            }
            ProbeOutcome::Ok(r) => panic!("{client}: probe found {r:?}"),
        }
    }
}

#[test]
fn a_refused_login_is_source_unauthorized() {
    let port = serve("401 Unauthorized");
    for (client, opener) in openers(port, Some("admin")) {
        let err = open_error(opener.as_ref());
        assert_eq!(err.code(), ErrorCode::SourceUnauthorized, "{client}: {err}");
    }
}

#[test]
fn a_server_error_is_not_taken_for_a_wrong_path() {
    let port = serve("503 Service Unavailable");
    for (client, opener) in openers(port, None) {
        let err = open_error(opener.as_ref());
        assert_eq!(err.code(), ErrorCode::SourceUnreachable, "{client}: {err}");
    }
}
