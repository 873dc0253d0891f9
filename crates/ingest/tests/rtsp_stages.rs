//! Every stage of opening an RTSP session has its own time limit and names itself when it runs
//! out: a scripted RTSP peer on 127.0.0.1 (a real TCP server speaking RTSP) goes silent after
//! accepting, after DESCRIBE, after SETUP and after PLAY, and a listener whose accept queue is
//! full leaves the TCP connection itself unanswered. Each must fail within the stage's limit with
//! `SOURCE_NOT_RESPONDING` (`SOURCE_UNREACHABLE` for the connection), `details.stage`, and a
//! message saying which request went unanswered.
#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use vigil_base::ErrorCode;
use vigil_ingest::{Interrupt, RetinaOpener, SourceOpener};
use vigil_media::Transport;

/// Where the scripted camera stops answering.
#[derive(Clone, Copy, PartialEq)]
enum SilentAt {
    Describe,
    Setup,
    Play,
    /// PLAY is answered; no RTP ever follows.
    FirstFrame,
}

const SDP: &str = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n\
a=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1\r\na=control:trackID=0\r\n";

/// Serve one connection, answering until `silent` (then reading and never replying).
fn serve(listener: TcpListener, silent: SilentAt) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let (sock, _) = listener.accept().unwrap();
        let port = sock.local_addr().unwrap().port();
        let mut reader = BufReader::new(sock.try_clone().unwrap());
        let mut out = sock;
        loop {
            let (mut method, mut cseq) = (String::new(), String::from("1"));
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return; // the client hung up
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
            let quiet = matches!(
                (silent, method.as_str()),
                (SilentAt::Describe, "DESCRIBE")
                    | (SilentAt::Setup, "SETUP")
                    | (SilentAt::Play, "PLAY")
            );
            if quiet {
                continue; // read on (the client's keep-alives), answer nothing
            }
            let reply = match method.as_str() {
                "DESCRIBE" => format!(
                    "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nContent-Base: rtsp://127.0.0.1:{port}/cam/\r\n\
                     Content-Type: application/sdp\r\nContent-Length: {}\r\n\r\n{SDP}",
                    SDP.len()
                ),
                "SETUP" => format!(
                    "RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nSession: 4242;timeout=60\r\n\
                     Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n"
                ),
                "PLAY" => format!("RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nSession: 4242\r\n\r\n"),
                _ => format!("RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nSession: 4242\r\n\r\n"),
            };
            if out.write_all(reply.as_bytes()).is_err() {
                return;
            }
        }
    })
}

fn opener(port: u16) -> RetinaOpener {
    RetinaOpener {
        url: format!("rtsp://127.0.0.1:{port}/cam"),
        transport: Transport::Tcp,
        username: None,
        password: Box::new(|| None),
        learned_reorder: Default::default(),
        stage_timeout: Duration::from_secs(1),
    }
}

/// Open against `port` and return the error. (Were the stage limits not applied, the 20 s open
/// timeout would end it instead, as `SOURCE_INTERRUPTED` with no stage.)
fn open_error(port: u16) -> vigil_base::Error {
    match opener(port).open(&Interrupt::with_timeout(Duration::from_secs(20))) {
        Ok(_) => panic!("a silent camera opened"),
        Err(e) => e,
    }
}

fn check(silent: SilentAt, stage: &str, says: &str) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Still listening after the scripted connection, as a camera is (the client's check that
    // the connection itself works lands in its queue).
    let _listening = listener.try_clone().unwrap();
    let server = serve(listener, silent);
    let err = open_error(port);
    assert_eq!(err.code(), ErrorCode::SourceNotResponding, "{err}");
    assert_eq!(err.details().unwrap()["stage"], stage, "{err}");
    assert!(err.message().contains(says), "{err}");
    server.join().unwrap();
}

#[test]
fn a_camera_silent_after_accepting_is_named_at_describe() {
    check(
        SilentAt::Describe,
        "describe",
        "accepted the connection but did not answer DESCRIBE within 1 s",
    );
}

#[test]
fn a_camera_silent_at_setup_is_named_at_setup() {
    check(
        SilentAt::Setup,
        "setup",
        "answered DESCRIBE but not SETUP within 1 s",
    );
}

#[test]
fn a_camera_silent_at_play_is_named_at_play() {
    check(
        SilentAt::Play,
        "play",
        "accepted SETUP but did not answer PLAY within 1 s",
    );
}

#[test]
fn a_camera_that_plays_nothing_is_named_at_the_first_frame() {
    check(
        SilentAt::FirstFrame,
        "first_frame",
        "answered PLAY but sent no video within 1 s",
    );
}

#[test]
fn an_unanswered_connection_is_named_at_connect() {
    // A listener that never accepts, its queue filled: the kernel drops further SYNs, so a new
    // connection hangs as it does towards an address where nothing answers.
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    sock.bind(
        &"127.0.0.1:0"
            .parse::<std::net::SocketAddr>()
            .unwrap()
            .into(),
    )
    .unwrap();
    sock.listen(0).unwrap();
    let addr = sock.local_addr().unwrap().as_socket().unwrap();
    let mut held = vec![];
    for _ in 0..8 {
        // Connections that complete fill the queue; later ones time out, which is the point.
        if let Ok(c) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            held.push(c);
        }
    }
    let err = open_error(addr.port());
    assert_eq!(err.code(), ErrorCode::SourceUnreachable, "{err}");
    assert_eq!(err.details().unwrap()["stage"], "connect", "{err}");
    assert!(
        err.message().contains(&format!(
            "could not connect to 127.0.0.1:{} within 1 s",
            addr.port()
        )),
        "{err}"
    );
    drop(sock);
}
