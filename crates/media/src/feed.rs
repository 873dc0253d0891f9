//! What one camera's single upstream connection delivers to each consumer: a session start (codec
//! parameters), packets numbered in order, and the end of the session. Every consumer has its own
//! bounded queue; a consumer that falls behind loses its own packets (visible to it as a jump in
//! `seq`, and counted) and never slows the reader or the others.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;

use crate::input::{MediaPacket, SessionInfo};

#[derive(Clone, Debug)]
pub enum FeedItem {
    /// A new connection to the source; packets that follow use its streams and time bases.
    Session(Arc<SessionInfo>),
    /// `seq` increases by one per packet of the camera, across sessions.
    Packet {
        seq: u64,
        arrival_ms: i64,
        packet: MediaPacket,
    },
    /// The connection ended (error, end of file, stop).
    End { reason: String },
}

impl std::fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SessionInfo({})", self.describe())
    }
}

/// The sending side of a consumer's queue, with its drop counter.
pub struct FeedSender {
    pub name: &'static str,
    tx: mpsc::Sender<FeedItem>,
    dropped: Arc<AtomicU64>,
}

/// The receiving side, owned by the consumer.
pub struct FeedReceiver {
    pub rx: mpsc::Receiver<FeedItem>,
    dropped: Arc<AtomicU64>,
}

/// A bounded queue for one consumer.
pub fn feed_channel(name: &'static str, capacity: usize) -> (FeedSender, FeedReceiver) {
    let (tx, rx) = mpsc::channel(capacity);
    let dropped = Arc::new(AtomicU64::new(0));
    (
        FeedSender {
            name,
            tx,
            dropped: dropped.clone(),
        },
        FeedReceiver { rx, dropped },
    )
}

/// Result of offering an item to a consumer.
#[derive(Debug, PartialEq, Eq)]
pub enum Offer {
    Sent,
    Dropped,
    Closed,
}

impl FeedSender {
    /// Never blocks: a full queue drops the item (for this consumer only) and counts it. A consumer
    /// that misses a `Session` marker notices by the jump in `seq` and waits for the next keyframe.
    pub fn offer(&self, item: FeedItem) -> Offer {
        match self.tx.try_send(item) {
            Ok(()) => Offer::Sent,
            Err(mpsc::error::TrySendError::Full(_)) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                Offer::Dropped
            }
            Err(mpsc::error::TrySendError::Closed(_)) => Offer::Closed,
        }
    }

    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

impl FeedReceiver {
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_and_counts() {
        let (tx, mut rx) = feed_channel("test", 2);
        for _ in 0..3 {
            tx.offer(FeedItem::End { reason: "x".into() });
        }
        assert_eq!(tx.dropped(), 1);
        assert_eq!(rx.dropped(), 1);
        assert!(rx.rx.try_recv().is_ok());
        drop(rx);
        assert_eq!(
            tx.offer(FeedItem::End { reason: "x".into() }),
            Offer::Closed
        );
    }
}
