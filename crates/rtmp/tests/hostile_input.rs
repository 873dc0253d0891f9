//! Property tests of hostile RTMP input against the real `RtmpServer` on 127.0.0.1: random bytes
//! instead of a handshake; random bytes or random well-framed chunks after a valid handshake, a
//! connect, or an accepted publish; client streams cut mid-handshake and mid-chunk, then closed or
//! left hanging; and chunk headers declaring 16 MiB messages followed by a few bytes. Proves that
//! the server never panics in Vigil's code (parser panics inside rml_rtmp stay contained), closes
//! every such connection itself (at once, or at its stall/setup timeout), gives back its connection
//! slots, turns whatever an authorized-but-hostile publisher sends into a well-formed FLV stream
//! that ends when the connection does, does not grow its memory for messages that never arrive,
//! and still takes a real ffmpeg publish afterwards.
//!
//! Deterministic by default (fixed seed); set `PROPTEST_RNG_SEED` to explore other inputs.
#![allow(clippy::unwrap_used)]

mod common;

use std::cell::RefCell;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::*;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use rml_rtmp::chunk_io::ChunkSerializer;
use rml_rtmp::handshake::{Handshake, HandshakeProcessResult, PeerType};
use rml_rtmp::messages::MessagePayload;
use rml_rtmp::sessions::{
    ClientSession, ClientSessionConfig, ClientSessionEvent, ClientSessionResult, PublishRequestType,
};
use rml_rtmp::time::RtmpTimestamp;
use vigil_rtmp::RtmpOptions;

const KEY: &str = "hostile-input-final";
/// Keys the hostile publishers use, one per case, so a lease still held by a connection that is
/// closing cannot refuse the next case.
const HOSTILE_KEYS: usize = 256;

const STALL: Duration = Duration::from_secs(1);
const SETUP: Duration = Duration::from_secs(2);
/// How long after its last byte a connection may stay open: the setup timeout (which also covers
/// the stall timeout before a publish), the stall timeout during one, and scheduling slack.
const CLOSE_WITHIN: Duration = Duration::from_millis(2000 + 1500);

fn options(max_connections: usize) -> RtmpOptions {
    RtmpOptions {
        stall_timeout: STALL,
        setup_timeout: SETUP,
        max_connections,
        ..RtmpOptions::default()
    }
}

fn start(max_connections: usize) -> Harness {
    watch_server_panics();
    let keys: Vec<String> = (0..HOSTILE_KEYS).map(|i| format!("hostile-{i}")).collect();
    let mut all: Vec<&str> = keys.iter().map(String::as_str).collect();
    all.push(KEY);
    Harness::start_with(&all, options(max_connections))
}

/// A fixed seed unless `PROPTEST_RNG_SEED` asks for another; no regression files in the tree.
fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig {
        cases,
        failure_persistence: None,
        // Each case is a real connection with real timeouts; shrinking a failure would take long.
        max_shrink_iters: 32,
        ..ProptestConfig::default()
    };
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(0x0072_746d_7068_6f73);
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Panics on the server's threads. rml_rtmp panics on some malformed input, and the server runs
// every parser step under `catch_unwind`; a panic anywhere else (Vigil's own code) is a bug.

static SERVER_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn watch_server_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().name() == Some("tokio-runtime-worker") {
                let at = info.location().map_or_else(
                    || "unknown".into(),
                    |l| format!("{}:{}", l.file(), l.line()),
                );
                SERVER_PANICS
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(at);
            }
            default(info);
        }));
    });
}

/// Every panic on a server thread so far was inside a third-party crate (contained by the
/// server); returns how many there were.
fn assert_no_vigil_panics() -> usize {
    let panics = SERVER_PANICS.lock().unwrap_or_else(|e| e.into_inner());
    let ours: Vec<_> = panics
        .iter()
        .filter(|at| !at.contains("/.cargo/registry/"))
        .collect();
    assert!(ours.is_empty(), "panics outside rml_rtmp: {ours:?}");
    panics.len()
}

// ---------------------------------------------------------------------------------------------
// Client side.

/// Reads until the server closes the connection; the time from `since` until then.
fn wait_closed(stream: &mut TcpStream, since: Instant) -> Duration {
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return since.elapsed(),
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted
                ) =>
            {
                return since.elapsed();
            }
            Err(e) => panic!("connection not closed after {:?}: {e}", since.elapsed()),
        }
    }
}

/// Completes a real RTMP handshake as a client.
fn handshaken(h: &Harness) -> TcpStream {
    let mut s = TcpStream::connect(h.addr).unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
    let mut hs = Handshake::new(PeerType::Client);
    s.write_all(&hs.generate_outbound_p0_and_p1().unwrap())
        .unwrap();
    let mut buf = [0u8; 4096];
    loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "server closed during the handshake");
        match hs.process_bytes(&buf[..n]).unwrap() {
            HandshakeProcessResult::InProgress { response_bytes } => {
                s.write_all(&response_bytes).unwrap()
            }
            HandshakeProcessResult::Completed { response_bytes, .. } => {
                s.write_all(&response_bytes).unwrap();
                return s;
            }
        }
    }
}

fn send_results(s: &mut TcpStream, results: Vec<ClientSessionResult>) -> bool {
    let mut raised = false;
    for r in results {
        match r {
            ClientSessionResult::OutboundResponse(p) => s.write_all(&p.bytes).unwrap(),
            ClientSessionResult::RaisedEvent(
                ClientSessionEvent::ConnectionRequestAccepted
                | ClientSessionEvent::PublishRequestAccepted,
            ) => raised = true,
            _ => {}
        }
    }
    raised
}

/// Feeds the server's replies to `client` until it accepts what was asked.
fn drive(s: &mut TcpStream, client: &mut ClientSession) {
    let mut buf = [0u8; 4096];
    loop {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "server closed while setting up");
        if send_results(s, client.handle_input(&buf[..n]).unwrap()) {
            return;
        }
    }
}

/// How far a connection gets, legitimately, before the hostile bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Handshake,
    Connected,
    Publishing,
}

/// A connection at `stage`, and for a publish, the FLV stream the handler got (read to its end on
/// another thread, as a demuxer would).
fn at_stage(h: &Harness, stage: Stage, key: &str) -> (TcpStream, Option<Receiver<Vec<u8>>>) {
    let mut s = handshaken(h);
    if stage == Stage::Handshake {
        return (s, None);
    }
    let (mut client, initial) = ClientSession::new(ClientSessionConfig::new()).unwrap();
    send_results(&mut s, initial);
    let req = client.request_connection("live".into()).unwrap();
    send_results(&mut s, vec![req]);
    drive(&mut s, &mut client);
    if stage == Stage::Connected {
        return (s, None);
    }
    let req = client
        .request_publishing(key.into(), PublishRequestType::Live)
        .unwrap();
    send_results(&mut s, vec![req]);
    drive(&mut s, &mut client);
    let publish = h.next_publish();
    assert_eq!(publish.stream_key, key);
    let (tx, rx) = std::sync::mpsc::channel();
    let mut reader = publish.reader;
    std::thread::spawn(move || {
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        let _ = tx.send(out);
    });
    (s, Some(rx))
}

fn next_key() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!(
        "hostile-{}",
        NEXT.fetch_add(1, Ordering::Relaxed) % HOSTILE_KEYS
    )
}

/// A connection that got its hostile bytes and must now be closed by the server.
struct Sent {
    stream: TcpStream,
    /// When the last byte was sent.
    at: Instant,
    /// Whether the client left its side open (else it half-closed after the last byte).
    hung: bool,
    flv: Option<Receiver<Vec<u8>>>,
}

/// FLV tags that hostile publishers' random input turned into (all well formed).
static HOSTILE_TAGS: AtomicUsize = AtomicUsize::new(0);

impl Sent {
    /// The server closed the connection (at once when the client half-closed, within
    /// `CLOSE_WITHIN` when it hung), and the publish's FLV stream (if any) ended with it and is
    /// well formed.
    fn check_closed(mut self) {
        let took = wait_closed(&mut self.stream, self.at);
        let limit = if self.hung { CLOSE_WITHIN } else { STALL };
        assert!(
            took < limit,
            "closed {took:?} after the last byte (hung: {})",
            self.hung
        );
        if let Some(rx) = self.flv {
            let bytes = rx
                .recv_timeout(WAIT)
                .expect("the FLV stream did not end with its connection");
            HOSTILE_TAGS.fetch_add(walk_tags(&bytes).len(), Ordering::Relaxed);
        }
    }
}

/// Writes `bytes` (the server may hang up before all are taken), then either half-closes (the
/// server must see the end at once) or leaves the connection hanging (the server must time it
/// out). Hanging connections are returned to be checked later, in parallel with the rest.
fn send(
    mut stream: TcpStream,
    bytes: &[u8],
    hang: bool,
    flv: Option<Receiver<Vec<u8>>>,
) -> Option<Sent> {
    let _ = stream.write_all(bytes);
    if !hang {
        let _ = stream.shutdown(Shutdown::Write);
    }
    let sent = Sent {
        stream,
        at: Instant::now(),
        hung: hang,
        flv,
    };
    if hang {
        Some(sent)
    } else {
        sent.check_closed();
        None
    }
}

/// A real publish still goes through: the handler sees it and its FLV stream has the media.
fn assert_publish_works(h: &Harness) {
    while h.published.try_recv().is_ok() {}
    let child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 1);
    let publish = h.next_publish();
    assert_eq!(publish.stream_key, KEY);
    let bytes = read_all(publish.reader, WAIT);
    let (status, stderr) = wait_exit(child, WAIT);
    assert!(status.success(), "ffmpeg failed: {stderr}");
    assert!(walk_tags(&bytes).len() > 10);
}

// ---------------------------------------------------------------------------------------------
// Strategies.

fn hang() -> impl Strategy<Value = bool> {
    prop::bool::weighted(0.25)
}

/// RTMP chunks the server's deserializer can frame, carrying random messages: mostly video and
/// audio on the publish's stream (so an accepted publish turns them into FLV tags), and every
/// other message type, on any stream, with any timestamp and payload.
fn framed_chunks(chunk_size: u32) -> impl Strategy<Value = Vec<u8>> {
    let type_id = prop_oneof![
        8 => Just(9u8),
        4 => Just(8u8),
        1 => Just(18u8),
        1 => prop::sample::select(vec![1u8, 2, 3, 4, 5, 6, 15, 17, 19, 20, 22, 0, 255]),
    ];
    let message = (
        type_id,
        prop_oneof![4 => Just(1u32), 1 => 0..3u32],
        any::<u32>(),
        prop::collection::vec(any::<u8>(), 0..9000),
    );
    prop::collection::vec(message, 1..10).prop_map(move |msgs| {
        let mut ser = ChunkSerializer::new();
        if chunk_size != 128 {
            ser.set_max_chunk_size(chunk_size, RtmpTimestamp::new(0))
                .unwrap();
        }
        let mut out = vec![];
        for (type_id, stream, ts, data) in msgs {
            let payload = MessagePayload {
                timestamp: RtmpTimestamp::new(ts),
                type_id,
                message_stream_id: stream,
                data: Bytes::from(data),
            };
            out.extend(ser.serialize(&payload, true, false).unwrap().bytes);
        }
        out
    })
}

/// What follows a legitimate stage: raw noise, or framed chunks of random messages, maybe with
/// noise after them. (rml_rtmp drops every message of a read that ends in an error, so noise
/// after the frames hides them; it comes only sometimes.)
fn after_stage(stage: Stage) -> impl Strategy<Value = Vec<u8>> {
    let chunk_size = if stage == Stage::Handshake { 128 } else { 4096 };
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..16 * 1024),
        2 => framed_chunks(chunk_size),
        1 => (
            framed_chunks(chunk_size),
            prop::collection::vec(any::<u8>(), 1..64)
        )
            .prop_map(|(a, b)| [a, b].concat()),
    ]
}

fn stage() -> impl Strategy<Value = Stage> {
    prop_oneof![
        1 => Just(Stage::Handshake),
        1 => Just(Stage::Connected),
        2 => Just(Stage::Publishing),
    ]
}

// ---------------------------------------------------------------------------------------------
// (a) Random bytes instead of a handshake.

#[test]
fn random_bytes_instead_of_a_handshake() {
    let h = start(64);
    let hanging = RefCell::new(vec![]);
    let start = Instant::now();
    proptest!(config(32), |(
        c0 in prop_oneof![Just(3u8), any::<u8>()],
        rest in prop::collection::vec(any::<u8>(), 0..8192),
        hang in hang(),
    )| {
        let stream = TcpStream::connect(h.addr).unwrap();
        let bytes = [&[c0][..], &rest].concat();
        hanging.borrow_mut().extend(send(stream, &bytes, hang, None));
    });
    let hanging = hanging.into_inner();
    let n = hanging.len();
    hanging.into_iter().for_each(Sent::check_closed);
    assert_publish_works(&h);
    let panics = assert_no_vigil_panics();
    eprintln!(
        "32 cases ({n} left hanging) and a publish in {:?}; {panics} rml_rtmp panics contained so far",
        start.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// (b) A valid handshake (and maybe a connect and an accepted publish), then random input.

#[test]
fn random_input_after_a_valid_handshake_connect_or_publish() {
    let h = start(64);
    let hanging = RefCell::new(vec![]);
    let start = Instant::now();
    proptest!(config(32), |(
        (stage, bytes) in stage().prop_flat_map(|s| (Just(s), after_stage(s))),
        hang in hang(),
    )| {
        let (stream, flv) = at_stage(&h, stage, &next_key());
        hanging.borrow_mut().extend(send(stream, &bytes, hang, flv));
    });
    let hanging = hanging.into_inner();
    let n = hanging.len();
    hanging.into_iter().for_each(Sent::check_closed);
    assert_publish_works(&h);
    let panics = assert_no_vigil_panics();
    eprintln!(
        "32 cases ({n} left hanging) and a publish in {:?}; {} FLV tags from hostile \
         publishers; {panics} rml_rtmp panics contained so far",
        start.elapsed(),
        HOSTILE_TAGS.load(Ordering::Relaxed)
    );
}

// ---------------------------------------------------------------------------------------------
// (c) Client streams cut short: mid-C0/C1, mid-C2, mid-command chunk.

#[derive(Clone, Copy, Debug)]
enum Cut {
    /// Within C0+C1 (1537 bytes).
    C0C1,
    /// Within C2, after the server's S0+S1+S2.
    C2,
    /// Within the connect command (chunked at 128 bytes), after a complete handshake.
    Connect,
    /// Within a 16 KiB video message, after a publish was accepted.
    Media,
}

#[test]
fn streams_cut_mid_handshake_or_mid_chunk() {
    // A small connection limit: if cut connections kept their slots, later cases would be refused.
    let h = start(8);
    let hanging = RefCell::new(vec![]);
    let start = Instant::now();
    proptest!(config(24), |(
        cut in prop_oneof![Just(Cut::C0C1), Just(Cut::C2), Just(Cut::Connect), Just(Cut::Media)],
        at in any::<prop::sample::Index>(),
        hang in hang(),
    )| {
        let (stream, bytes, flv) = match cut {
            Cut::C0C1 => {
                let mut hs = Handshake::new(PeerType::Client);
                let c0c1 = hs.generate_outbound_p0_and_p1().unwrap();
                (TcpStream::connect(h.addr).unwrap(), c0c1, None)
            }
            Cut::C2 => {
                let mut s = TcpStream::connect(h.addr).unwrap();
                s.set_read_timeout(Some(WAIT)).unwrap();
                let mut hs = Handshake::new(PeerType::Client);
                s.write_all(&hs.generate_outbound_p0_and_p1().unwrap()).unwrap();
                let mut got = vec![];
                let mut buf = [0u8; 4096];
                let c2 = loop {
                    let n = s.read(&mut buf).unwrap();
                    prop_assert!(n > 0, "server closed during the handshake");
                    got.extend_from_slice(&buf[..n]);
                    if got.len() >= 1 + 1536 + 1536 {
                        match hs.process_bytes(&got).unwrap() {
                            HandshakeProcessResult::Completed { response_bytes, .. } => {
                                break response_bytes;
                            }
                            HandshakeProcessResult::InProgress { response_bytes } => {
                                break response_bytes;
                            }
                        }
                    }
                };
                (s, c2, None)
            }
            Cut::Connect => {
                let s = handshaken(&h);
                let (mut client, _) = ClientSession::new(ClientSessionConfig::new()).unwrap();
                let ClientSessionResult::OutboundResponse(p) =
                    client.request_connection("live".into()).unwrap()
                else {
                    unreachable!()
                };
                (s, p.bytes, None)
            }
            Cut::Media => {
                let (s, flv) = at_stage(&h, Stage::Publishing, &next_key());
                let mut ser = ChunkSerializer::new();
                ser.set_max_chunk_size(4096, RtmpTimestamp::new(0)).unwrap();
                let payload = MessagePayload {
                    timestamp: RtmpTimestamp::new(40),
                    type_id: 9,
                    message_stream_id: 1,
                    data: Bytes::from(vec![0x17; 16 * 1024]),
                };
                (s, ser.serialize(&payload, true, false).unwrap().bytes, flv)
            }
        };
        // Strictly inside: the last byte never arrives.
        let cut_at = at.index(bytes.len() - 1);
        hanging.borrow_mut().extend(send(stream, &bytes[..cut_at], hang, flv));
        // Keep the number of open connections under the limit.
        let full = hanging.borrow().len() >= 4;
        if full {
            let batch: Vec<Sent> = hanging.borrow_mut().drain(..).collect();
            batch.into_iter().for_each(Sent::check_closed);
        }
    });
    let hanging = hanging.into_inner();
    let n = hanging.len();
    hanging.into_iter().for_each(Sent::check_closed);
    assert_publish_works(&h);
    let panics = assert_no_vigil_panics();
    eprintln!(
        "24 cut streams ({n} hanging at the end) and a publish in {:?}; {panics} rml_rtmp panics contained so far",
        start.elapsed()
    );
}

// ---------------------------------------------------------------------------------------------
// Memory: messages declared at 16 MiB that never arrive.

/// The resident set of this process (server included), in bytes.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS in /proc/self/status");
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("VmRSS in kB");
    kb * 1024
}

/// A type-0 chunk header on chunk stream 3 announcing a message of 0xFFFFFF bytes (16 MiB - 1),
/// of `type_id` on stream 1.
fn huge_header(type_id: u8) -> Vec<u8> {
    vec![0x03, 0, 0, 0, 0xFF, 0xFF, 0xFF, type_id, 1, 0, 0, 0]
}

/// Set Chunk Size (protocol control message 1) to `size`.
fn set_chunk_size(size: u32) -> Vec<u8> {
    let mut v = vec![0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0];
    v.extend(size.to_be_bytes());
    v
}

#[test]
fn declared_16_mib_messages_do_not_grow_memory() {
    const CONNS: usize = 8;
    // A limit just above the connections held open at once: a second round only gets in if the
    // first round's slots came back.
    let h = start(CONNS + 2);
    // Warm up (runtime threads, first connection) before the baseline.
    let mut warm = handshaken(&h);
    warm.write_all(&huge_header(9)).unwrap();
    let _ = warm.shutdown(Shutdown::Write);
    wait_closed(&mut warm, Instant::now());
    let start = Instant::now();
    let before = rss();
    let mut peak = before;
    for round in 0..2 {
        let mut open = vec![];
        for i in 0..CONNS {
            let mut s = handshaken(&h);
            let mut bytes = vec![];
            match i % 4 {
                // Default 128-byte chunks: the first chunk of the message and nothing more.
                0 => {
                    bytes.extend(huge_header(9));
                    bytes.extend([0x17; 128]);
                }
                // Same, as an AMF0 command the server must parse once complete.
                1 => {
                    bytes.extend(huge_header(20));
                    bytes.extend([0x02; 100]);
                }
                // Chunks as large as a whole message: the parser waits for 16 MiB in one chunk.
                2 => {
                    bytes.extend(set_chunk_size(0x00FF_FFFF));
                    bytes.extend(huge_header(9));
                    bytes.extend([0x27; 4000]);
                }
                // 128-byte chunks of the message on other chunk streams (type-3 continuations).
                _ => {
                    bytes.extend(huge_header(8));
                    bytes.extend([0xAF; 128]);
                    for _ in 0..16 {
                        bytes.push(0xC3);
                        bytes.extend([0xAF; 128]);
                    }
                }
            }
            s.write_all(&bytes).unwrap();
            open.push(Sent {
                stream: s,
                at: Instant::now(),
                hung: true,
                flv: None,
            });
        }
        // Let the server take it all in, then look at memory while every connection is open.
        std::thread::sleep(Duration::from_millis(400));
        peak = peak.max(rss());
        for s in open {
            s.check_closed();
        }
        eprintln!("round {round}: RSS {} -> {} MiB", before >> 20, peak >> 20);
    }
    let grown = peak.saturating_sub(before);
    assert!(
        grown < 64 << 20,
        "RSS grew by {} MiB for {} connections announcing 16 MiB each",
        grown >> 20,
        2 * CONNS
    );
    assert_publish_works(&h);
    assert_no_vigil_panics();
    eprintln!(
        "RSS grew by {} KiB; done in {:?}",
        grown >> 10,
        start.elapsed()
    );
}
