//! WS-Discovery: a Probe for `dn:NetworkVideoTransmitter` sent to 239.255.255.250:3702, and the
//! ProbeMatches devices answer with (their endpoint, service addresses, and scopes such as
//! `onvif://www.onvif.org/name/…` and `…/hardware/…`). Sent on the default interface and on
//! loopback (a device simulator, or a camera bridge on this computer), twice each because UDP may
//! drop one; answers are matched to our MessageID and each device is reported once, as it answers,
//! until the scan time is up.

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Duration;

use serde::Serialize;
use tokio::net::UdpSocket;
use utoipa::ToSchema;
use vigil_base::{Result, err};

use crate::soap::{children, find, text_at};

const GROUP: Ipv4Addr = Ipv4Addr::new(239, 255, 255, 250);
const PORT: u16 = 3702;

/// A device that answered a probe.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct Found {
    /// Its WS-Addressing endpoint (`urn:uuid:…`): the same device answers with the same one.
    pub endpoint: String,
    /// `host:port` of its device service (from the first service address).
    pub address: String,
    /// Every device service URL it gave.
    pub xaddrs: Vec<String>,
    /// From its `onvif://www.onvif.org/name/…` scope.
    pub name: Option<String>,
    /// From its `…/hardware/…` scope.
    pub hardware: Option<String>,
}

/// The Probe message.
pub fn probe_message(message_id: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <e:Envelope xmlns:e=\"http://www.w3.org/2003/05/soap-envelope\" \
         xmlns:w=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" \
         xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" \
         xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\">\
         <e:Header><w:MessageID>{message_id}</w:MessageID>\
         <w:To e:mustUnderstand=\"true\">urn:schemas-xmlsoap-org:ws:2005:04:discovery</w:To>\
         <w:Action e:mustUnderstand=\"true\">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</w:Action>\
         </e:Header><e:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></e:Body>\
         </e:Envelope>"
    )
}

/// Percent-decoding for scope values (`name/Front%20door`).
fn unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

/// The devices in a ProbeMatches answering `message_id` (others' traffic is ignored).
pub fn parse_matches(xml: &str, message_id: &str) -> Vec<Found> {
    let Ok(doc) = roxmltree::Document::parse(xml) else {
        return vec![];
    };
    let relates = find(doc.root(), "RelatesTo")
        .and_then(|r| r.text())
        .map(str::trim);
    if relates != Some(message_id) {
        return vec![];
    }
    let Some(matches) = find(doc.root(), "ProbeMatches") else {
        return vec![];
    };
    children(matches, "ProbeMatch")
        .filter_map(|m| {
            let endpoint = find(m, "EndpointReference").and_then(|e| text_at(e, &["Address"]))?;
            let xaddrs: Vec<String> = text_at(m, &["XAddrs"])?
                .split_whitespace()
                .map(str::to_string)
                .collect();
            let address = xaddrs.iter().find_map(|x| {
                let u = reqwest::Url::parse(x).ok()?;
                let host = u.host_str()?;
                let port = u.port_or_known_default()?;
                Some(if host.contains(':') {
                    format!("[{host}]:{port}")
                } else {
                    format!("{host}:{port}")
                })
            })?;
            let scopes = text_at(m, &["Scopes"]).unwrap_or_default();
            let scope = |kind: &str| {
                scopes.split_whitespace().find_map(|s| {
                    s.strip_prefix(&format!("onvif://www.onvif.org/{kind}/"))
                        .map(unescape)
                })
            };
            Some(Found {
                endpoint,
                address,
                name: scope("name"),
                hardware: scope("hardware"),
                xaddrs,
            })
        })
        .collect()
}

/// A UDP socket sending multicast out of `iface` (unspecified: the default route's).
fn socket(iface: Ipv4Addr) -> Result<UdpSocket> {
    let s = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::DGRAM, None)
        .map_err(|e| err!(Unavailable, "UDP socket: {e}"))?;
    let bind = if iface.is_loopback() {
        iface
    } else {
        Ipv4Addr::UNSPECIFIED
    };
    s.bind(&SocketAddr::V4(SocketAddrV4::new(bind, 0)).into())
        .map_err(|e| err!(Unavailable, "UDP bind: {e}"))?;
    if !iface.is_unspecified() {
        s.set_multicast_if_v4(&iface)
            .map_err(|e| err!(Unavailable, "multicast interface {iface}: {e}"))?;
    }
    s.set_multicast_loop_v4(true)
        .map_err(|e| err!(Unavailable, "multicast loop: {e}"))?;
    s.set_nonblocking(true)
        .map_err(|e| err!(Unavailable, "UDP socket: {e}"))?;
    UdpSocket::from_std(s.into()).map_err(|e| err!(Unavailable, "UDP socket: {e}"))
}

/// Probe for `duration`, calling `found` for each device as it first answers; all of them at
/// the end. Fails only when no socket could send at all.
pub async fn scan(duration: Duration, mut found: impl FnMut(&Found)) -> Result<Vec<Found>> {
    let message_id = format!("uuid:{}", uuid::Uuid::new_v4());
    let probe = probe_message(&message_id);
    let mut sockets = vec![];
    for iface in [Ipv4Addr::UNSPECIFIED, Ipv4Addr::LOCALHOST] {
        match socket(iface) {
            Ok(s) => sockets.push(s),
            Err(e) => tracing::debug!(%iface, error = %e, "no discovery on this interface"),
        }
    }
    let target = SocketAddr::V4(SocketAddrV4::new(GROUP, PORT));
    let mut sent = 0;
    for s in &sockets {
        if s.send_to(probe.as_bytes(), target).await.is_ok() {
            sent += 1;
        }
    }
    if sent == 0 {
        return Err(err!(
            Unavailable,
            "could not send a WS-Discovery probe on any interface (no network?)"
        ));
    }
    // One reader per socket into a channel; the scan takes what arrives until its time is up.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(64);
    let mut readers = tokio::task::JoinSet::new();
    let sockets: Vec<std::sync::Arc<UdpSocket>> =
        sockets.into_iter().map(std::sync::Arc::new).collect();
    for s in &sockets {
        let (s, tx) = (s.clone(), tx.clone());
        readers.spawn(async move {
            let mut buf = vec![0u8; 64 * 1024];
            while let Ok((n, _)) = s.recv_from(&mut buf).await {
                let xml = String::from_utf8_lossy(&buf[..n]).to_string();
                if tx.send(xml).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    let deadline = tokio::time::Instant::now() + duration;
    let resend = tokio::time::Instant::now() + Duration::from_millis(300).min(duration / 2);
    let mut resent = false;
    let mut seen = HashSet::new();
    let mut all = vec![];
    loop {
        tokio::select! {
            _ = tokio::time::sleep_until(deadline) => break,
            _ = tokio::time::sleep_until(resend), if !resent => {
                resent = true;
                for s in &sockets {
                    let _ = s.send_to(probe.as_bytes(), target).await;
                }
            }
            m = rx.recv() => match m {
                Some(xml) => {
                    for f in parse_matches(&xml, &message_id) {
                        if seen.insert(f.endpoint.clone()) {
                            found(&f);
                            all.push(f);
                        }
                    }
                }
                None => break,
            },
        }
    }
    readers.abort_all();
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probe_matches_are_read_and_others_ignored() {
        let id = "uuid:1234";
        let xml = format!(
            r#"<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Header><a:RelatesTo>{id}</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:cam-1</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/Front%20door onvif://www.onvif.org/hardware/IPC-1</d:Scopes><d:XAddrs>http://192.168.1.20:8080/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>"#
        );
        let f = parse_matches(&xml, id);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].endpoint, "urn:uuid:cam-1");
        assert_eq!(f[0].address, "192.168.1.20:8080");
        assert_eq!(f[0].name.as_deref(), Some("Front door"));
        assert_eq!(f[0].hardware.as_deref(), Some("IPC-1"));
        assert_eq!(f[0].xaddrs.len(), 2);
        assert!(parse_matches(&xml, "uuid:other").is_empty(), "not ours");
        assert!(parse_matches("not xml", id).is_empty());
        let probe = probe_message(id);
        let doc = roxmltree::Document::parse(&probe).unwrap();
        assert_eq!(
            find(doc.root(), "Types").unwrap().text(),
            Some("dn:NetworkVideoTransmitter")
        );
    }
}
