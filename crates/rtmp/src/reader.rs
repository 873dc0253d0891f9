//! The bridge from one async RTMP connection to one blocking consumer (an FFmpeg demux thread): a
//! bounded queue of FLV chunks. A full queue makes the connection wait (and so TCP pushes back on the
//! camera) instead of dropping tags; a dropped or cancelled reader makes the connection close.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use bytes::{Buf, Bytes};
use tokio::sync::Notify;

struct State {
    queue: VecDeque<Bytes>,
    /// The connection is done: the reader drains the queue, then sees EOF.
    sender_closed: bool,
    /// The reader was dropped: the connection stops.
    reader_gone: bool,
    /// Cancelled: the reader sees EOF at once and the connection stops.
    cancelled: bool,
}

struct Shared {
    state: Mutex<State>,
    capacity: usize,
    /// Wakes the blocked reader (new chunk, sender closed, cancelled).
    readable: Condvar,
    /// Wakes the async sender (room in the queue, reader gone, cancelled).
    changed: Notify,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave `State` inconsistent (every update is one
        // field store or one queue operation), so a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A bounded FLV channel: the async sending half for the connection, the blocking reader for the
/// consumer. `capacity` counts chunks (one FLV tag each, plus the file header).
pub(crate) fn flv_channel(capacity: usize) -> (ChunkSender, FlvReader) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            queue: VecDeque::with_capacity(capacity.min(1024)),
            sender_closed: false,
            reader_gone: false,
            cancelled: false,
        }),
        capacity: capacity.max(1),
        readable: Condvar::new(),
        changed: Notify::new(),
    });
    (
        ChunkSender {
            shared: shared.clone(),
        },
        FlvReader {
            shared,
            current: Bytes::new(),
        },
    )
}

/// The connection's end of the channel. Dropping it ends the stream: the reader sees EOF once it has
/// read everything already queued.
pub(crate) struct ChunkSender {
    shared: Arc<Shared>,
}

/// The reader was dropped or cancelled; nobody wants the stream any more.
#[derive(Debug)]
pub(crate) struct ReaderGone;

impl ChunkSender {
    /// Queues one chunk, waiting while the queue is full.
    pub(crate) async fn send(&self, chunk: Bytes) -> Result<(), ReaderGone> {
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            // Register before looking at the state, so a wake-up between the check and the
            // `.await` is not lost.
            notified.as_mut().enable();
            {
                let mut st = self.shared.lock();
                if st.reader_gone || st.cancelled {
                    return Err(ReaderGone);
                }
                if st.queue.len() < self.shared.capacity {
                    st.queue.push_back(chunk);
                    drop(st);
                    self.shared.readable.notify_one();
                    return Ok(());
                }
            }
            notified.await;
        }
    }

    /// Resolves once the reader is dropped or cancelled.
    pub(crate) async fn reader_gone(&self) {
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let st = self.shared.lock();
                if st.reader_gone || st.cancelled {
                    return;
                }
            }
            notified.await;
        }
    }
}

impl Drop for ChunkSender {
    fn drop(&mut self) {
        self.shared.lock().sender_closed = true;
        self.shared.readable.notify_all();
    }
}

/// Blocking reader of the FLV stream of one publish: the FLV header, then one tag per RTMP
/// audio/video message (and `onMetaData`), in arrival order.
///
/// `read` blocks until data arrives. It returns `Ok(0)` (EOF) once the publisher has stopped
/// publishing or disconnected and everything queued has been read, or at once after
/// [`FlvCancel::cancel`]. Dropping the reader closes the RTMP connection. Do not call `read` from an
/// async task: it blocks the thread.
pub struct FlvReader {
    shared: Arc<Shared>,
    /// The rest of the chunk being read.
    current: Bytes,
}

impl FlvReader {
    /// A handle that ends this stream from another thread (see [`FlvCancel`]).
    pub fn canceller(&self) -> FlvCancel {
        FlvCancel {
            shared: self.shared.clone(),
        }
    }

    /// Copies from `current`, then from queued chunks, without waiting.
    fn copy_available(&mut self, st: &mut State, buf: &mut [u8]) -> usize {
        let mut n = 0;
        while n < buf.len() {
            if !self.current.has_remaining() {
                match st.queue.pop_front() {
                    Some(next) => self.current = next,
                    None => break,
                }
            }
            let take = self.current.remaining().min(buf.len() - n);
            self.current.copy_to_slice(&mut buf[n..n + take]);
            n += take;
        }
        n
    }
}

impl Read for FlvReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let shared = self.shared.clone();
        let mut st = shared.lock();
        loop {
            if st.cancelled {
                self.current = Bytes::new();
                return Ok(0);
            }
            let had_queued = !st.queue.is_empty();
            let n = self.copy_available(&mut st, buf);
            if n > 0 {
                drop(st);
                if had_queued {
                    shared.changed.notify_waiters();
                }
                return Ok(n);
            }
            if st.sender_closed {
                return Ok(0);
            }
            st = shared.readable.wait(st).unwrap_or_else(|e| e.into_inner());
        }
    }
}

impl Drop for FlvReader {
    fn drop(&mut self) {
        {
            let mut st = self.shared.lock();
            st.reader_gone = true;
            st.queue.clear();
        }
        self.shared.changed.notify_waiters();
    }
}

impl std::fmt::Debug for FlvReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlvReader").finish_non_exhaustive()
    }
}

/// Ends one publish's stream from any thread: the reader's blocked and future reads return `Ok(0)`
/// promptly, queued data is discarded, and the RTMP connection is closed.
#[derive(Clone)]
pub struct FlvCancel {
    shared: Arc<Shared>,
}

impl FlvCancel {
    pub fn cancel(&self) {
        {
            let mut st = self.shared.lock();
            st.cancelled = true;
            st.queue.clear();
        }
        self.shared.readable.notify_all();
        self.shared.changed.notify_waiters();
    }

    pub fn is_cancelled(&self) -> bool {
        self.shared.lock().cancelled
    }
}

impl std::fmt::Debug for FlvCancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FlvCancel")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn reads_everything_then_eof() {
        let (tx, mut rx) = flv_channel(4);
        rt().block_on(async {
            tx.send(Bytes::from_static(b"abc")).await.unwrap();
            tx.send(Bytes::from_static(b"defg")).await.unwrap();
        });
        drop(tx);
        let mut out = Vec::new();
        rx.read_to_end(&mut out).unwrap();
        assert_eq!(out, b"abcdefg");
    }

    #[test]
    fn full_queue_makes_sender_wait_without_loss() {
        let (tx, mut rx) = flv_channel(2);
        let producer = std::thread::spawn(move || {
            rt().block_on(async {
                for i in 0..100u8 {
                    tx.send(Bytes::from(vec![i])).await.unwrap();
                }
            })
        });
        let mut out = Vec::new();
        let mut one = [0u8; 1];
        // Read slowly: one byte per call.
        while rx.read(&mut one).unwrap() == 1 {
            out.push(one[0]);
        }
        producer.join().unwrap();
        assert_eq!(out, (0..100u8).collect::<Vec<_>>());
    }

    #[test]
    fn dropped_reader_fails_the_sender() {
        let (tx, rx) = flv_channel(1);
        let rt = rt();
        rt.block_on(tx.send(Bytes::from_static(b"x"))).unwrap();
        let waiter = std::thread::spawn(move || {
            rt.block_on(async {
                // Blocks on the full queue until the reader goes away.
                let r = tx.send(Bytes::from_static(b"y")).await;
                tx.reader_gone().await;
                r
            })
        });
        drop(rx);
        assert!(waiter.join().unwrap().is_err());
    }

    #[test]
    fn cancel_wakes_a_blocked_read() {
        let (tx, mut rx) = flv_channel(4);
        let cancel = rx.canceller();
        let t = std::thread::spawn(move || {
            let mut buf = [0u8; 16];
            let start = Instant::now();
            let n = rx.read(&mut buf).unwrap();
            (n, start.elapsed())
        });
        std::thread::sleep(Duration::from_millis(50));
        cancel.cancel();
        let (n, waited) = t.join().unwrap();
        assert_eq!(n, 0);
        assert!(waited < Duration::from_secs(2));
        assert!(cancel.is_cancelled());
        assert!(rt().block_on(tx.send(Bytes::from_static(b"z"))).is_err());
    }
}
