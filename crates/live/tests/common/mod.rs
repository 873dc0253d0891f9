//! A stand-in for a camera's ingest supervisor, shared by the live-view test suites: a real clip
//! demuxed into memory, offered to real feed queues.
#![allow(dead_code, clippy::unwrap_used)]

use std::path::Path;
use std::sync::{Arc, Mutex};

use vigil_live::Subscribe;
use vigil_media::{
    Demuxer, FeedItem, FeedSender, MediaPacket, Offer, SessionInfo, SourceSpec, feed_channel,
};
use vigil_testkit::{ClipSpec, make_clip};

/// A stand-in for the ingest supervisor of one camera: every subscriber gets its own queue that
/// starts with the current session, and each packet is offered to every queue.
pub struct Camera {
    pub session: Arc<SessionInfo>,
    pub packets: Vec<MediaPacket>,
    senders: Mutex<Vec<FeedSender>>,
    subscriptions: Mutex<usize>,
}

impl Camera {
    /// Demux a clip of `spec` into memory.
    pub fn clip(dir: &Path, name: &str, spec: &ClipSpec) -> Arc<Camera> {
        let path = make_clip(dir, name, spec);
        let mut demux = Demuxer::open(SourceSpec::File { path }, || false).unwrap();
        let session = demux.session().clone();
        let mut packets = vec![];
        while let Some(p) = demux.next_packet().unwrap() {
            packets.push(p);
        }
        Arc::new(Camera {
            session,
            packets,
            senders: Mutex::new(vec![]),
            subscriptions: Mutex::new(0),
        })
    }

    pub fn subscriber(self: &Arc<Self>) -> Subscribe {
        let cam = self.clone();
        Arc::new(move || {
            let (tx, rx) = feed_channel("live", 4096);
            tx.offer(FeedItem::Session(cam.session.clone()));
            cam.senders.lock().unwrap().push(tx);
            *cam.subscriptions.lock().unwrap() += 1;
            rx
        })
    }

    pub fn send(&self, item: FeedItem) {
        self.senders
            .lock()
            .unwrap()
            .retain(|s| s.offer(item.clone()) != Offer::Closed);
    }

    /// Offer packet `i` of the clip with feed sequence number `seq`.
    pub fn send_packet(&self, i: usize, seq: u64) {
        self.send(FeedItem::Packet {
            seq,
            arrival_ms: 0,
            packet: self.packets[i].clone(),
        });
    }

    /// Offer the whole clip at once (arrival times say nothing; only pts can pace the output).
    pub fn send_all(&self) {
        for i in 0..self.packets.len() {
            self.send_packet(i, i as u64);
        }
    }

    /// Subscribers whose queue is still open.
    pub fn open_queues(&self) -> usize {
        let mut s = self.senders.lock().unwrap();
        s.retain(|s| !s.is_closed());
        s.len()
    }

    /// Close every queue, as a supervisor does when the camera stops.
    pub fn close_all(&self) {
        self.senders.lock().unwrap().clear();
    }

    pub fn subscriptions(&self) -> usize {
        *self.subscriptions.lock().unwrap()
    }
}
