//! A hostile RTSP server cannot make Vigil read without bound: a DESCRIBE answered with
//! `Content-Length: 209715200` (the probe that once made every reconnect read 200 MB), a head of
//! endless header lines, and a body that never ends are each refused after at most 1 MiB with the
//! typed camera error `SOURCE_REPLY_TOO_LARGE`, and the server sees the connection closed long
//! before it could send what it announced. The server is a real TCP peer speaking RTSP.
#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

use vigil_base::ErrorCode;
use vigil_ingest::{Interrupt, RetinaOpener, SourceOpener};
use vigil_media::Transport;

/// What the server does when asked to DESCRIBE.
#[derive(Clone, Copy)]
enum Attack {
    /// Announce 200 MB of SDP and send zeros until the client hangs up.
    HugeContentLength,
    /// Send header lines forever.
    EndlessHead,
}

/// Serve one connection with `attack`; returns how many bytes the server managed to send.
fn serve(listener: TcpListener, attack: Attack) -> thread::JoinHandle<u64> {
    thread::spawn(move || {
        let (sock, _) = listener.accept().expect("accept");
        sock.set_write_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        let sent = Arc::new(AtomicU64::new(0));
        let mut reader = BufReader::new(sock.try_clone().unwrap());
        let mut out = sock;
        loop {
            // Read one request head.
            let mut method = String::new();
            let mut cseq = String::from("1");
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return sent.load(Ordering::Relaxed);
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
            if method != "DESCRIBE" {
                let reply = format!(
                    "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY\r\n\r\n"
                );
                if out.write_all(reply.as_bytes()).is_err() {
                    return sent.load(Ordering::Relaxed);
                }
                continue;
            }
            let head = match attack {
                Attack::HugeContentLength => format!(
                    "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nContent-Type: application/sdp\r\nContent-Length: 209715200\r\n\r\n"
                ),
                Attack::EndlessHead => format!("RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\n"),
            };
            if out.write_all(head.as_bytes()).is_err() {
                return sent.load(Ordering::Relaxed);
            }
            let chunk: Vec<u8> = match attack {
                Attack::HugeContentLength => vec![b'0'; 64 * 1024],
                Attack::EndlessHead => {
                    b"X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".repeat(1024)
                }
            };
            // Until the client hangs up (or 200 MB went out: the bound failed).
            while sent.load(Ordering::Relaxed) < 209_715_200 {
                if out.write_all(&chunk).is_err() {
                    break;
                }
                sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
            }
            return sent.load(Ordering::Relaxed);
        }
    })
}

fn attack(attack: Attack) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = serve(listener, attack);
    let opener = RetinaOpener {
        url: format!("rtsp://127.0.0.1:{port}/cam"),
        transport: Transport::Tcp,
        username: None,
        password: Box::new(|| None),
        learned_reorder: Default::default(),
        stage_timeout: vigil_ingest::STAGE_TIMEOUT,
    };
    let started = std::time::Instant::now();
    let err = match opener.open(&Interrupt::with_timeout(Duration::from_secs(20))) {
        Ok(_) => panic!("a hostile reply was accepted"),
        Err(e) => e,
    };
    assert_eq!(err.code(), ErrorCode::SourceReplyTooLarge, "{err}");
    assert!(err.message().contains("1 MiB"), "{err}");
    // Closing the client ends the server's writes.
    drop(opener);
    let sent = server.join().unwrap();
    // 1 MiB read, plus what the two kernels' socket buffers held when the client hung up.
    assert!(
        sent < 48 << 20,
        "the server got {sent} bytes out before the client hung up"
    );
    eprintln!(
        "refused after the server sent {:.1} MiB, in {:?}",
        sent as f64 / (1 << 20) as f64,
        started.elapsed()
    );
}

#[test]
fn a_describe_announcing_200_mb_is_refused_at_its_head() {
    attack(Attack::HugeContentLength);
}

#[test]
fn a_head_that_never_ends_is_refused() {
    attack(Attack::EndlessHead);
}

#[test]
fn an_ordinary_refusal_is_not_mistaken_for_a_large_reply() {
    // Nothing listens: unreachable, not "too large".
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let opener = RetinaOpener {
        url: format!("rtsp://127.0.0.1:{port}/cam"),
        transport: Transport::Tcp,
        username: None,
        password: Box::new(|| None),
        learned_reorder: Default::default(),
        stage_timeout: vigil_ingest::STAGE_TIMEOUT,
    };
    let err = match opener.open(&Interrupt::with_timeout(Duration::from_secs(5))) {
        Ok(_) => panic!("nothing listens there"),
        Err(e) => e,
    };
    assert_eq!(err.code(), ErrorCode::SourceUnreachable, "{err}");
}
