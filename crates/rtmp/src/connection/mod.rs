//! One RTMP connection from accept to close: the handshake, then rml_rtmp's server session, the
//! connect/publish decisions, and forwarding media as FLV tags to the publish's reader. Every wait is
//! bounded by the stall timeout or the shutdown, and every failure ends only this connection.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use rml_rtmp::handshake::{Handshake, HandshakeProcessResult, PeerType};
use rml_rtmp::sessions::{ServerSession, ServerSessionConfig, ServerSessionResult};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tracing::{debug, info, warn};
use vigil_base::shutdown::ShutdownWaiter;
use vigil_base::{Error, ErrorKind, ResultExt, err};

use crate::PublishHandler;
use crate::reader::ChunkSender;
use crate::server::{KeyLease, PublishingKeys, RtmpOptions};

mod events;

/// What every connection task shares.
pub(crate) struct ConnContext {
    pub(crate) handler: Arc<dyn PublishHandler>,
    pub(crate) publishing: Arc<PublishingKeys>,
    pub(crate) options: RtmpOptions,
    pub(crate) shutdown: ShutdownWaiter,
}

/// Why a connection ends.
enum Stop {
    /// The peer closed the TCP connection.
    PeerClosed,
    /// The publisher sent deleteStream/closeStream.
    Unpublished,
    Shutdown,
    /// The publish's reader was dropped or cancelled.
    ReaderGone,
    /// We refused the connect or publish (already logged).
    Refused,
    Failed(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Failed(e)
    }
}

/// The publish in progress on this connection.
struct Active {
    key_masked: String,
    sender: ChunkSender,
    tags: u64,
    _lease: KeyLease,
}

/// What a connection reads and writes: the TCP stream, or TLS over it (RTMPS).
trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + Sync {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + Sync> Io for T {}

struct Connection<'a> {
    stream: Box<dyn Io>,
    peer: SocketAddr,
    ctx: &'a ConnContext,
    started: Instant,
    active: Option<Active>,
    /// Set when the connection must close once the queued responses are written.
    stop_after_writes: Option<Stop>,
}

pub(crate) async fn serve_connection(stream: TcpStream, peer: SocketAddr, ctx: &ConnContext) {
    let _ = stream.set_nodelay(true);
    debug!(%peer, "RTMP connection accepted");
    let stream: Box<dyn Io> = match &ctx.options.tls {
        None => Box::new(stream),
        Some(config) => {
            let acceptor = tokio_rustls::TlsAcceptor::from(config.clone());
            match tokio::time::timeout(ctx.options.setup_timeout, acceptor.accept(stream)).await {
                Ok(Ok(tls)) => Box::new(tls),
                Ok(Err(e)) => {
                    // A plain RTMP client on the RTMPS port, or one that refuses the certificate.
                    warn!(%peer, "RTMPS handshake failed: {e}");
                    return;
                }
                Err(_) => {
                    warn!(%peer, "RTMPS handshake timed out");
                    return;
                }
            }
        }
    };
    let mut conn = Connection {
        stream,
        peer,
        ctx,
        started: Instant::now(),
        active: None,
        stop_after_writes: None,
    };
    let stop = match conn.run().await {
        Ok(never) => match never {},
        Err(stop) => stop,
    };
    let publishing = conn.active.as_ref().map(|a| (a.key_masked.clone(), a.tags));
    let _ = conn.stream.shutdown().await;
    drop(conn); // ends the reader's stream and releases the key
    match (stop, publishing) {
        (Stop::Failed(e), Some((key, tags))) => {
            warn!(%peer, key = %key, tags, "RTMP publish aborted: {e}")
        }
        (Stop::Failed(e), None) => warn!(%peer, "RTMP connection closed: {e}"),
        (Stop::PeerClosed, Some((key, tags))) => {
            info!(%peer, key = %key, tags, "RTMP publisher disconnected")
        }
        (Stop::ReaderGone, Some((key, tags))) => {
            info!(%peer, key = %key, tags, "RTMP stream no longer read; publisher disconnected")
        }
        (Stop::Shutdown, Some((key, tags))) => {
            info!(%peer, key = %key, tags, "RTMP publish closed for shutdown")
        }
        (_, _) => debug!(%peer, "RTMP connection closed"),
    }
}

/// Runs a parser step, turning a panic inside rml_rtmp (it has a few on malformed input) into an
/// error that closes only this connection.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T, Error> {
    std::panic::catch_unwind(AssertUnwindSafe(f))
        .map_err(|_| err!(InvalidArgument, "malformed RTMP {what} (parser panicked)"))
}

impl Connection<'_> {
    async fn run(&mut self) -> Result<std::convert::Infallible, Stop> {
        let mut buf = vec![0u8; 64 * 1024];

        let mut handshake = Handshake::new(PeerType::Server);
        let leftover = loop {
            let n = self.read_some(&mut buf).await?;
            match guarded("handshake", || handshake.process_bytes(&buf[..n]))? {
                Ok(HandshakeProcessResult::InProgress { response_bytes }) => {
                    self.write(&response_bytes).await?;
                }
                Ok(HandshakeProcessResult::Completed {
                    response_bytes,
                    remaining_bytes,
                }) => {
                    self.write(&response_bytes).await?;
                    break remaining_bytes;
                }
                Err(e) => {
                    return Err(Stop::Failed(
                        err!(InvalidArgument, "not an RTMP handshake").with_source(e),
                    ));
                }
            }
        };

        let (mut session, initial) = ServerSession::new(ServerSessionConfig::new())
            .err_kind(ErrorKind::Internal, || "cannot start RTMP session".into())?;
        self.handle_results(&mut session, initial).await?;
        if !leftover.is_empty() {
            self.feed(&mut session, &leftover).await?;
        }
        loop {
            let n = self.read_some(&mut buf).await?;
            self.feed(&mut session, &buf[..n]).await?;
        }
    }

    async fn feed(&mut self, session: &mut ServerSession, input: &[u8]) -> Result<(), Stop> {
        let results = guarded("message", || session.handle_input(input))?
            .err_kind(ErrorKind::InvalidArgument, || "bad RTMP data".into())?;
        self.handle_results(session, results).await
    }

    /// Writes responses and acts on events, in order. Responses that events produce (accepting a
    /// connect or publish) go after the ones already queued, which is the order rml_rtmp serialized
    /// them in; RTMP chunk-header compression depends on it.
    async fn handle_results(
        &mut self,
        session: &mut ServerSession,
        results: Vec<ServerSessionResult>,
    ) -> Result<(), Stop> {
        let mut queue = VecDeque::from(results);
        while let Some(result) = queue.pop_front() {
            match result {
                ServerSessionResult::OutboundResponse(packet) => self.write(&packet.bytes).await?,
                ServerSessionResult::RaisedEvent(event) => {
                    queue.extend(self.on_event(session, event).await?);
                }
                ServerSessionResult::UnhandleableMessageReceived(payload) => {
                    debug!(peer = %self.peer, type_id = payload.type_id, "RTMP message ignored");
                }
            }
        }
        match self.stop_after_writes.take() {
            Some(stop) => Err(stop),
            None => Ok(()),
        }
    }

    /// Reads what the peer sent. Waits at most the stall timeout (or, before publishing, what is
    /// left of the setup timeout), and gives up on shutdown or when the reader goes away.
    async fn read_some(&mut self, buf: &mut [u8]) -> Result<usize, Stop> {
        let opts = &self.ctx.options;
        let (limit, what) = match &self.active {
            Some(_) => (opts.stall_timeout, "no data from the publisher"),
            None => {
                let left = opts.setup_timeout.saturating_sub(self.started.elapsed());
                if left < opts.stall_timeout {
                    (left, "not publishing within the setup timeout")
                } else {
                    (opts.stall_timeout, "no data from the peer")
                }
            }
        };
        let reader_gone = async {
            match &self.active {
                Some(active) => active.sender.reader_gone().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = self.ctx.shutdown.clone().wait() => Err(Stop::Shutdown),
            _ = reader_gone => Err(Stop::ReaderGone),
            read = tokio::time::timeout(limit, self.stream.read(buf)) => match read {
                Err(_) => Err(Stop::Failed(err!(
                    Unavailable,
                    "{what} for {:.0?}; closing",
                    limit
                ))),
                Ok(Err(e)) => Err(Stop::Failed(
                    Error::new(ErrorKind::Unavailable, "reading from the RTMP peer").with_source(e),
                )),
                Ok(Ok(0)) => Err(Stop::PeerClosed),
                Ok(Ok(n)) => Ok(n),
            },
        }
    }

    /// Writes to the peer, bounded by the stall timeout and the shutdown.
    async fn write(&mut self, bytes: &[u8]) -> Result<(), Stop> {
        if bytes.is_empty() {
            return Ok(());
        }
        let limit = self.ctx.options.stall_timeout;
        tokio::select! {
            _ = self.ctx.shutdown.clone().wait() => Err(Stop::Shutdown),
            written = tokio::time::timeout(limit, self.stream.write_all(bytes)) => match written {
                Err(_) => Err(Stop::Failed(err!(Unavailable, "RTMP peer not reading for {limit:.0?}"))),
                Ok(Err(e)) => Err(Stop::Failed(
                    Error::new(ErrorKind::Unavailable, "writing to the RTMP peer").with_source(e),
                )),
                Ok(Ok(())) => Ok(()),
            },
        }
    }
}
