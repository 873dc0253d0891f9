//! Listening beyond this computer, through the real server: plain HTTP or RTMP on a LAN address is
//! refused at start unless waived; with `tls = "self-signed"` a client pinned to the certificate's
//! fingerprint (as the log and `/health` show it) talks HTTPS, a client pinned to another
//! fingerprint is refused, and plain HTTP to the HTTPS port gets no answer; slow clients whose
//! headers do not arrive in time are cut off, and one address cannot hold more connections than
//! its cap.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

mod support;

use std::sync::Arc;
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};
use support::TestServer;
use support::media::ffmpeg_push;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Trusts exactly the certificate whose SHA-256 is `want` (how a user checks a self-signed one).
#[derive(Debug)]
struct Pinned {
    want: String,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let got: Vec<String> = Sha256::digest(end_entity.as_ref())
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect();
        if got.join(":") == self.want {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::General(
                "certificate fingerprint mismatch".into(),
            ))
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// GET `path` over HTTPS with a client pinned to `fingerprint`; the raw response.
async fn pinned_get(port: u16, fingerprint: &str, path: &str) -> Result<String, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Pinned {
            want: fingerprint.to_string(),
            provider,
        }))
        .with_no_client_auth();
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let mut tls = connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .map_err(|e| e.to_string())?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    tls.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    tls.read_to_string(&mut out)
        .await
        .map_err(|e| e.to_string())?;
    Ok(out)
}

async fn start_err(f: impl FnOnce(&mut vigil::Settings)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let mut s = vigil::Settings::load(
        dir.path().to_path_buf(),
        vigil::Overrides {
            credential_store: Some("file".into()),
            ..Default::default()
        },
    )
    .unwrap();
    s.engine.detection = false;
    s.engine.notifications = false;
    s.rtmp_listen = None;
    f(&mut s);
    match vigil::start(&s, true).await {
        Ok(_) => panic!("started, but should have refused"),
        Err(e) => format!("{e:#}"),
    }
}

#[tokio::test]
async fn plain_http_or_rtmp_beyond_loopback_is_refused_unless_waived() {
    let e = start_err(|s| s.listen = "0.0.0.0:0".parse().unwrap()).await;
    assert!(
        e.contains("needs HTTPS") && e.contains("tls = \"self-signed\""),
        "{e}"
    );
    let e = start_err(|s| s.rtmp_listen = Some("0.0.0.0:0".parse().unwrap())).await;
    assert!(e.contains("allow_insecure_rtmp"), "{e}");
    let e = start_err(|s| s.tls = vigil::config::TlsMode::Files).await;
    assert!(e.contains("tls_cert and tls_key"), "{e}");

    // Waived: it starts, says so, and answers plain HTTP.
    let s = TestServer::start_with(|s| {
        s.listen = "0.0.0.0:0".parse().unwrap();
        s.allow_insecure_http = true;
    })
    .await;
    let r = s
        .http
        .get(format!("{}/api/v1/health", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.stop().await;
}

#[tokio::test]
async fn self_signed_https_with_a_pinned_client() {
    let s = TestServer::start_with(|s| {
        s.listen = "0.0.0.0:0".parse().unwrap();
        s.tls = vigil::config::TlsMode::SelfSigned;
        s.allowed_hosts = vec!["nvr.local:7878".into()];
    })
    .await;
    assert!(s.url.starts_with("https://"), "{}", s.url);
    let fp = s.running.as_ref().unwrap().tls_fingerprint.clone().unwrap();
    assert_eq!(fp.len(), 32 * 3 - 1);

    let resp = pinned_get(s.port, &fp, "/api/v1/health").await.unwrap();
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains(&fp), "/health shows the fingerprint: {resp}");
    // The certificate is kept: the same one after a restart (a user checks it once).
    let pem = std::fs::read_to_string(s.dir.path().join("tls/cert.pem")).unwrap();
    assert!(pem.contains("BEGIN CERTIFICATE"));
    let key_mode = {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(s.dir.path().join("tls/key.pem"))
            .unwrap()
            .permissions()
            .mode()
    };
    assert_eq!(key_mode & 0o077, 0, "the key is private");

    // Pinned to another certificate: the handshake fails.
    let other = "00:".repeat(31) + "00";
    let e = pinned_get(s.port, &other, "/api/v1/health")
        .await
        .unwrap_err();
    assert!(e.contains("fingerprint"), "{e}");

    // Plain HTTP to the HTTPS port: no HTTP answer at all.
    let r = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{}/api/v1/health", s.port))
        .timeout(Duration::from_secs(5))
        .send()
        .await;
    assert!(r.is_err(), "plain HTTP got {r:?}");

    let mut s = s;
    let dir = std::mem::replace(&mut s.dir, tempfile::tempdir().unwrap());
    s.stop().await;
    let again = TestServer::start_in(dir.path().to_path_buf(), |s| {
        s.listen = "0.0.0.0:0".parse().unwrap();
        s.tls = vigil::config::TlsMode::SelfSigned;
    })
    .await;
    assert_eq!(
        again.running.as_ref().unwrap().tls_fingerprint.as_deref(),
        Some(fp.as_str())
    );
    again.stop().await;
}

#[tokio::test]
async fn slow_and_greedy_clients_are_cut_off() {
    let s = TestServer::start_with(|s| {
        s.header_timeout_seconds = 2;
        s.max_connections_per_client = 50;
    })
    .await;
    // 200 connections that dribble a request a byte at a time (slowloris).
    let mut slow = vec![];
    for _ in 0..200 {
        slow.push(TcpStream::connect(("127.0.0.1", s.port)).await.unwrap());
    }
    async fn closed(c: &mut TcpStream) -> bool {
        let mut buf = [0u8; 256];
        matches!(
            tokio::time::timeout(Duration::from_millis(50), c.read(&mut buf)).await,
            Ok(Ok(0)) | Ok(Err(_))
        )
    }
    // Past the cap of 50 a connection is closed as soon as it is accepted.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut at_once = 0;
    for c in &mut slow {
        if closed(c).await {
            at_once += 1;
        }
    }
    assert_eq!(at_once, 150, "connections past the cap closed at once");
    // The 50 that got in send a byte every half second; their headers never complete, and the
    // server closes each at the 2 s header deadline (the loop gives up after 30 s).
    let started = std::time::Instant::now();
    let request = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
    let mut tick = 0;
    loop {
        let mut open = 0;
        for c in &mut slow {
            let byte = [request[tick % request.len()]];
            if c.write_all(&byte).await.is_ok() && !closed(c).await {
                open += 1;
            }
        }
        if open == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{open} slow connections still open after {:?}",
            started.elapsed()
        );
        tick += 1;
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    drop(slow);
    // The server still answers a well-behaved client.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let r = s
        .http
        .get(format!("{}/api/v1/health", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, m) = support::body(
        s.req(reqwest::Method::GET, "/api/v1/metrics")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        m.as_str()
            .unwrap()
            .contains("reason=\"connections_per_client\""),
        "{m}"
    );
    s.stop().await;
}

#[tokio::test]
async fn the_ui_is_served_with_security_headers() {
    let s = TestServer::start().await;
    let r = s.http.get(format!("{}/", s.url)).send().await.unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "script-src 'self';",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["cross-origin-opener-policy"], "same-origin");
    s.stop().await;
}

#[tokio::test]
async fn rtmps_on_the_lan_with_the_https_certificate() {
    let s = TestServer::start_with(|s| {
        s.listen = "0.0.0.0:0".parse().unwrap();
        s.tls = vigil::config::TlsMode::SelfSigned;
        s.rtmp_listen = Some("0.0.0.0:0".parse().unwrap());
        s.rtmp_tls = true;
    })
    .await;
    // The test client speaks plain HTTP, so the camera is made in process.
    let engine = &s.running.as_ref().unwrap().engine;
    let cam = engine
        .cameras()
        .create(vigil_engine::cameras::CameraCreate {
            name: "Dock".into(),
            source: Some(vigil_engine::cameras::SourceInput::RtmpPush {}),
            ..Default::default()
        })
        .await
        .unwrap();
    let vigil_engine::cameras::Source::RtmpPush {
        stream_key,
        publish_url,
    } = &cam.source
    else {
        panic!("{:?}", cam.source)
    };
    assert!(publish_url.starts_with("rtmps://"), "{publish_url}");
    let port = s.rtmp_port;
    let key = stream_key.clone();
    let plain = tokio::task::spawn_blocking(move || {
        ffmpeg_push(&format!("rtmp://127.0.0.1:{port}/live/{key}"), 2)
    });
    assert!(
        !plain.await.unwrap(),
        "plain RTMP to the RTMPS port is refused"
    );
    let key = stream_key.clone();
    let tls = tokio::task::spawn_blocking(move || {
        ffmpeg_push(&format!("rtmps://127.0.0.1:{port}/live/{key}"), 2)
    });
    assert!(tls.await.unwrap(), "RTMPS publish");
    let rows = engine
        .audit()
        .list(vigil_engine::auth::audit::AuditFilter {
            action: Some(vigil_engine::AuditAction::RtmpPublishAccepted),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].camera_id, Some(cam.id));
    s.stop().await;
}
