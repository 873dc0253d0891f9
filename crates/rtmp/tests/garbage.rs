//! Hostile and broken peers: random bytes instead of RTMP, random bytes after a valid handshake, and
//! a silent connection. Each must close only its own connection; a real publish works afterwards.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use rml_rtmp::handshake::{Handshake, HandshakeProcessResult, PeerType};
use vigil_rtmp::RtmpOptions;

const KEY: &str = "garbage-test-key";

fn short_timeouts() -> RtmpOptions {
    RtmpOptions {
        stall_timeout: Duration::from_secs(2),
        setup_timeout: Duration::from_secs(4),
        ..RtmpOptions::default()
    }
}

/// Deterministic noise (xorshift), so a failure can be replayed.
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Reads until the server closes the connection; returns how long that took.
fn wait_closed(stream: &mut TcpStream) -> Duration {
    let start = Instant::now();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return start.elapsed(),
            Ok(_) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return start.elapsed(),
            Err(e) => panic!("connection not closed: {e}"),
        }
    }
}

/// A good publish still goes through.
fn assert_publish_works(h: &Harness) {
    let child = ffmpeg_publish(&h.url("live", KEY), Media::Video, 1);
    let publish = h.next_publish();
    let bytes = read_all(publish.reader, WAIT);
    assert!(wait_exit(child, WAIT).0.success());
    assert!(walk_tags(&bytes).len() > 10);
}

#[test]
fn random_bytes_instead_of_a_handshake_close_that_connection_only() {
    let h = Harness::start_with(&[KEY], short_timeouts());
    // One idle (but valid) neighbour connection must survive the garbage next to it.
    let mut neighbour = TcpStream::connect(h.addr).unwrap();

    for seed in 1..=5u64 {
        let mut bytes = noise(8192, seed);
        bytes[0] = 0x47; // not version 3
        let mut s = TcpStream::connect(h.addr).unwrap();
        // The server may hang up before all of it is written.
        let _ = s.write_all(&bytes);
        let took = wait_closed(&mut s);
        assert!(took < Duration::from_secs(1), "closed after {took:?}");
    }
    // The neighbour is still open: its handshake still works.
    let mut hs = Handshake::new(PeerType::Client);
    neighbour
        .write_all(&hs.generate_outbound_p0_and_p1().unwrap())
        .unwrap();
    neighbour
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = neighbour.read(&mut buf).unwrap();
    assert!(n > 0, "neighbour got a handshake reply");

    assert_publish_works(&h);
    assert!(h.published.try_recv().is_err());
}

/// Connects and completes a real RTMP handshake as a client.
fn handshaken(h: &Harness) -> TcpStream {
    let mut s = TcpStream::connect(h.addr).unwrap();
    let mut hs = Handshake::new(PeerType::Client);
    s.write_all(&hs.generate_outbound_p0_and_p1().unwrap())
        .unwrap();
    s.set_read_timeout(Some(WAIT)).unwrap();
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

#[test]
fn random_bytes_after_a_valid_handshake_close_that_connection_only() {
    let h = Harness::start_with(&[KEY], short_timeouts());
    for seed in 10..=14u64 {
        let mut s = handshaken(&h);
        let _ = s.write_all(&noise(16 * 1024, seed));
        let took = wait_closed(&mut s);
        assert!(took < Duration::from_secs(1), "closed after {took:?}");
    }
    assert_publish_works(&h);
}

#[test]
fn crafted_chunks_close_that_connection_only() {
    let h = Harness::start_with(&[KEY], short_timeouts());
    // A complete type-0 chunk (csid 3, Window Acknowledgement Size), then a type-1 chunk whose
    // extended timestamp is smaller than 0xFFFFFF: rml_rtmp 0.8 subtracts and overflows (a panic
    // in debug builds), which must end only this connection.
    let mut underflow = vec![0x03, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0x10, 0, 0];
    underflow.extend_from_slice(&[
        0x43, 0xFF, 0xFF, 0xFF, 0, 0, 4, 5, 0, 0, 0, 1, 0, 0x10, 0, 0,
    ]);
    // A chunk announcing a 16 MiB message, then silence: the stall guard ends it.
    let huge = vec![0x03, 0, 0, 0, 0xFF, 0xFF, 0xFF, 20, 0, 0, 0, 0, 0x02];
    for (bytes, limit) in [
        (underflow, Duration::from_secs(1)),
        (huge, Duration::from_secs(4)),
    ] {
        let mut s = handshaken(&h);
        s.write_all(&bytes).unwrap();
        let took = wait_closed(&mut s);
        assert!(took < limit, "closed after {took:?}");
    }
    assert_publish_works(&h);
}

#[test]
fn a_silent_connection_is_closed_by_the_stall_guard() {
    let h = Harness::start_with(&[KEY], short_timeouts());
    let mut s = TcpStream::connect(h.addr).unwrap();
    let took = wait_closed(&mut s);
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_secs(4),
        "closed after {took:?}"
    );
    assert_publish_works(&h);
}
