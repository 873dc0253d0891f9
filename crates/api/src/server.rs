//! The accept loop, written out instead of `axum::serve` for what a server reachable from the LAN
//! needs and `axum::serve` does not offer: TLS (rustls), a deadline for the request headers (and
//! for the TLS handshake), and a cap on open connections per client address. Measured with
//! `scripts/bench.sh auth --parts slowloris` idea from the issue: 200 connections sending a byte a
//! second all stayed open for 60 s under `axum::serve`; here each is closed when its headers have
//! not arrived within `header_timeout`, and past `max_per_client` a client's new connections are
//! closed at once.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tower::ServiceExt;
use vigil_base::shutdown::ShutdownWaiter;

use crate::tls::Tls;

/// How connections are served.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// HTTPS when set.
    pub tls: Option<Tls>,
    /// A request's headers (and a TLS handshake) must arrive within this.
    pub header_timeout: Duration,
    /// Open connections one client address may hold (a browser with a 16-camera grid holds
    /// ~20: sockets, the events socket, HLS requests).
    pub max_per_client: usize,
    /// In-flight requests get this long to finish at shutdown.
    pub drain: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            tls: None,
            header_timeout: Duration::from_secs(10),
            max_per_client: 128,
            drain: Duration::from_secs(10),
        }
    }
}

/// Open connections per client address.
#[derive(Default)]
struct PerClient(Mutex<HashMap<IpAddr, usize>>);

struct Slot {
    table: Arc<PerClient>,
    ip: IpAddr,
}

impl PerClient {
    fn take(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<Slot> {
        let mut m = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let n = m.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(Slot {
            table: self.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut m = self.table.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = m.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                m.remove(&self.ip);
            }
        }
    }
}

/// Serve `app` on `listener` until `shutdown`, then let in-flight requests finish (up to
/// `opts.drain`).
pub async fn run(
    listener: TcpListener,
    app: Router,
    opts: ServeOptions,
    shutdown: ShutdownWaiter,
    metrics: Arc<crate::Metrics>,
) -> std::io::Result<()> {
    let acceptor = opts
        .tls
        .as_ref()
        .map(|t| tokio_rustls::TlsAcceptor::from(t.config.clone()));
    let clients = Arc::new(PerClient::default());
    let mut conns = JoinSet::new();
    let stop = shutdown.clone().wait();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
            accepted = listener.accept() => {
                let (tcp, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        // Usually out of file descriptors: back off instead of spinning.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let Some(slot) = clients.take(peer.ip(), opts.max_per_client) else {
                    metrics.refused("connections_per_client");
                    tracing::warn!(%peer, max = opts.max_per_client, "connection refused: too many from this address");
                    continue;
                };
                let _ = tcp.set_nodelay(true);
                // From this computer: loopback, or the address it dialled is its own (a browser
                // or the desktop window on the recorder opening its LAN address).
                let same_host = crate::security::SameHost(
                    peer.ip().is_loopback() || tcp.local_addr().is_ok_and(|l| l.ip() == peer.ip()),
                );
                let app = app.clone();
                let acceptor = acceptor.clone();
                let opts = opts.clone();
                let shutdown = shutdown.clone();
                let metrics = metrics.clone();
                conns.spawn(async move {
                    let _slot = slot;
                    match acceptor {
                        Some(a) => {
                            let tls = match tokio::time::timeout(opts.header_timeout, a.accept(tcp)).await {
                                Ok(Ok(s)) => s,
                                Ok(Err(e)) => {
                                    // Plain HTTP to the HTTPS port lands here, as does a client
                                    // that does not trust the certificate.
                                    metrics.refused("tls_handshake");
                                    tracing::debug!(%peer, error = %e, "TLS handshake failed");
                                    return;
                                }
                                Err(_) => {
                                    metrics.refused("tls_handshake");
                                    return;
                                }
                            };
                            serve_one(TokioIo::new(tls), app, peer, same_host, &opts, shutdown).await;
                        }
                        None => serve_one(TokioIo::new(tcp), app, peer, same_host, &opts, shutdown).await,
                    }
                });
            }
        }
    }
    drop(listener);
    // Every connection task watches the shutdown too: it finishes its request and closes.
    let _ = tokio::time::timeout(opts.drain, async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
    Ok(())
}

async fn serve_one<I>(
    io: I,
    app: Router,
    peer: SocketAddr,
    same_host: crate::security::SameHost,
    opts: &ServeOptions,
    shutdown: ShutdownWaiter,
) where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let svc = app.map_request(move |mut req: hyper::Request<Incoming>| {
        req.extensions_mut().insert(ConnectInfo(peer));
        req.extensions_mut().insert(same_host);
        req.map(Body::new)
    });
    let svc = TowerToHyperService::new(svc);
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(opts.header_timeout);
    builder.http2().timer(TokioTimer::new());
    let conn = builder.serve_connection_with_upgrades(io, svc);
    tokio::pin!(conn);
    let stop = shutdown.wait();
    tokio::pin!(stop);
    tokio::select! {
        r = conn.as_mut() => {
            if let Err(e) = r {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        }
        _ = &mut stop => {
            conn.as_mut().graceful_shutdown();
            let _ = conn.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_client_slots_are_counted_and_returned() {
        let t = Arc::new(PerClient::default());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let a = t.take(ip, 2).unwrap();
        let _b = t.take(ip, 2).unwrap();
        assert!(t.take(ip, 2).is_none());
        assert!(t.take("192.0.2.2".parse().unwrap(), 2).is_some());
        drop(a);
        assert!(t.take(ip, 2).is_some());
    }
}
