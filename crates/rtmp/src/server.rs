//! The RTMP listener: accepts connections, runs each in its own task under a connection limit, keeps
//! the set of stream keys currently publishing, and stops everything on shutdown.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::{JoinHandle, JoinSet};
use tracing::{debug, error, info, warn};
use vigil_base::shutdown::ShutdownWaiter;
use vigil_base::{ErrorKind, Result, ResultExt};

use crate::PublishHandler;
use crate::connection::{ConnContext, serve_connection};

/// Limits and timeouts of the server; `Default` is what production uses.
#[derive(Clone, Debug)]
pub struct RtmpOptions {
    /// A connection that sends nothing for this long is closed (a dead camera, a stuck network).
    pub stall_timeout: Duration,
    /// A connection must be publishing within this long of connecting.
    pub setup_timeout: Duration,
    /// How many FLV tags may wait for a slow reader before the connection stops reading the socket.
    pub queue_tags: usize,
    /// Connections beyond this many are closed at once.
    pub max_connections: usize,
    /// RTMPS: TLS (with the HTTPS certificate) before the RTMP handshake.
    pub tls: Option<std::sync::Arc<tokio_rustls::rustls::ServerConfig>>,
}

impl Default for RtmpOptions {
    fn default() -> Self {
        RtmpOptions {
            stall_timeout: Duration::from_secs(30),
            setup_timeout: Duration::from_secs(30),
            queue_tags: 512,
            max_connections: 64,
            tls: None,
        }
    }
}

/// A running RTMP server. It stops when the shutdown it was given fires; dropping this handle does
/// not stop it.
pub struct RtmpServer {
    local_addr: SocketAddr,
    task: JoinHandle<()>,
}

impl RtmpServer {
    /// Listens on `addr` (port 0 picks a free port) with [`RtmpOptions::default`].
    pub async fn bind(
        addr: SocketAddr,
        handler: Arc<dyn PublishHandler>,
        shutdown: ShutdownWaiter,
    ) -> Result<RtmpServer> {
        Self::bind_with(addr, handler, shutdown, RtmpOptions::default()).await
    }

    pub async fn bind_with(
        addr: SocketAddr,
        handler: Arc<dyn PublishHandler>,
        shutdown: ShutdownWaiter,
        options: RtmpOptions,
    ) -> Result<RtmpServer> {
        let listener = TcpListener::bind(addr)
            .await
            .err_kind(ErrorKind::Unavailable, || {
                format!("cannot listen for RTMP on {addr}")
            })?;
        let local_addr = listener.local_addr().err_kind(ErrorKind::Internal, || {
            "RTMP listener has no address".into()
        })?;
        info!(%local_addr, "RTMP server listening");
        let ctx = Arc::new(ConnContext {
            handler,
            publishing: Arc::new(PublishingKeys::default()),
            options,
            shutdown,
        });
        let task = tokio::spawn(accept_loop(listener, ctx));
        Ok(RtmpServer { local_addr, task })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// Waits until the server has stopped (after shutdown) and every connection has closed.
    pub async fn join(self) {
        if let Err(e) = self.task.await {
            error!("RTMP accept loop failed: {e}");
        }
    }
}

async fn accept_loop(listener: TcpListener, ctx: Arc<ConnContext>) {
    let limit = Arc::new(Semaphore::new(ctx.options.max_connections.max(1)));
    let mut conns = JoinSet::new();
    let shutdown = ctx.shutdown.clone().wait();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            Some(done) = conns.join_next(), if !conns.is_empty() => log_join(done),
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let Ok(permit) = limit.clone().try_acquire_owned() else {
                        warn!(%peer, "RTMP connection refused: too many connections");
                        continue;
                    };
                    let ctx = ctx.clone();
                    conns.spawn(async move {
                        serve_connection(stream, peer, &ctx).await;
                        drop(permit);
                    });
                }
                Err(e) => {
                    // Usually out of file descriptors: back off instead of spinning.
                    warn!("RTMP accept failed: {e}");
                    tokio::select! {
                        _ = &mut shutdown => break,
                        _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                    }
                }
            },
        }
    }
    drop(listener);
    debug!(connections = conns.len(), "RTMP server stopping");
    // Each connection watches the same shutdown signal and closes itself.
    while let Some(done) = conns.join_next().await {
        log_join(done);
    }
    info!("RTMP server stopped");
}

fn log_join(done: std::result::Result<(), tokio::task::JoinError>) {
    if let Err(e) = done {
        error!("RTMP connection task failed: {e}");
    }
}

/// Stream keys with a publish in progress, so a second publisher on the same key is refused.
#[derive(Default)]
pub(crate) struct PublishingKeys(Mutex<HashSet<String>>);

impl PublishingKeys {
    /// Marks `key` as publishing until the returned lease is dropped; `None` if it already is.
    pub(crate) fn claim(self: &Arc<Self>, key: &str) -> Option<KeyLease> {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !set.insert(key.to_string()) {
            return None;
        }
        Some(KeyLease {
            keys: self.clone(),
            key: key.to_string(),
        })
    }
}

/// Holds a stream key as publishing; released on drop, whatever way the connection ends.
pub(crate) struct KeyLease {
    keys: Arc<PublishingKeys>,
    key: String,
}

impl Drop for KeyLease {
    fn drop(&mut self) {
        let mut set = self.keys.0.lock().unwrap_or_else(|e| e.into_inner());
        set.remove(&self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_leased_once_at_a_time() {
        let keys = Arc::new(PublishingKeys::default());
        let lease = keys.claim("k1").unwrap();
        assert!(keys.claim("k1").is_none());
        assert!(keys.claim("k2").is_some());
        drop(lease);
        assert!(keys.claim("k1").is_some());
    }
}
