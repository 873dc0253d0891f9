//! SOAP 1.2 as ONVIF devices speak it: envelopes with a WS-Security UsernameToken (password
//! digest: Base64(SHA-1(nonce + created + password)), ONVIF Core §5.12), the request over HTTP, and
//! reading answers and faults by element local names (devices differ in namespace prefixes, and
//! some in namespace versions, but not in names).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha1::{Digest, Sha1};
use vigil_base::{ErrorCode, Result, err};

pub const NS_DEVICE: &str = "http://www.onvif.org/ver10/device/wsdl";
pub const NS_MEDIA: &str = "http://www.onvif.org/ver10/media/wsdl";
pub const NS_PTZ: &str = "http://www.onvif.org/ver20/ptz/wsdl";
pub const NS_SCHEMA: &str = "http://www.onvif.org/ver10/schema";

const WSSE: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
const WSU: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";
const DIGEST: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest";
const BASE64: &str = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary";

/// A user name and password for the device.
#[derive(Clone)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials({}, ***)", self.username)
    }
}

/// The WS-Security password digest.
pub fn password_digest(nonce: &[u8], created: &str, password: &str) -> String {
    let mut h = Sha1::new();
    h.update(nonce);
    h.update(created.as_bytes());
    h.update(password.as_bytes());
    B64.encode(h.finalize())
}

/// Text escaped for XML content and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The security header for `creds` at `created` (RFC 3339 UTC, in the device's time).
fn security(creds: &Credentials, created: &str) -> String {
    let mut nonce = [0u8; 16];
    // The nonce only has to be unique; a failing OS generator would fail everything else too.
    let _ = getrandom::fill(&mut nonce);
    format!(
        "<Security s:mustUnderstand=\"1\" xmlns=\"{WSSE}\"><UsernameToken><Username>{}</Username>\
         <Password Type=\"{DIGEST}\">{}</Password><Nonce EncodingType=\"{BASE64}\">{}</Nonce>\
         <Created xmlns=\"{WSU}\">{created}</Created></UsernameToken></Security>",
        escape(&creds.username),
        password_digest(&nonce, created, &creds.password),
        B64.encode(nonce),
    )
}

/// A whole request: `body` (one element, using the prefixes tds, trt, tptz, tt) with a
/// security header when there are credentials.
pub fn envelope(body: &str, creds: Option<&Credentials>, created: &str) -> String {
    let header = creds.map(|c| security(c, created)).unwrap_or_default();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" xmlns:tds=\"{NS_DEVICE}\" \
         xmlns:trt=\"{NS_MEDIA}\" xmlns:tptz=\"{NS_PTZ}\" xmlns:tt=\"{NS_SCHEMA}\">\
         <s:Header>{header}</s:Header><s:Body>{body}</s:Body></s:Envelope>"
    )
}

/// Child elements of `n` named `name` (local name).
pub fn children<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// The first child element named `name`.
pub fn child<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> Option<roxmltree::Node<'a, 'i>> {
    children(n, name).next()
}

/// The text of the element at `path` (local names) below `n`, trimmed.
pub fn text_at(n: roxmltree::Node<'_, '_>, path: &[&'static str]) -> Option<String> {
    let mut cur = n;
    for p in path {
        cur = child(cur, p)?;
    }
    cur.text()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// The first element named `name` anywhere below `n`.
pub fn find<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.descendants()
        .find(|d| d.is_element() && d.tag_name().name() == name)
}

/// A SOAP fault's subcode (`ter:NotAuthorized` → `NotAuthorized`) and reason.
fn fault(doc: &roxmltree::Document<'_>) -> Option<(String, String)> {
    let f = find(doc.root(), "Fault")?;
    let sub = f
        .descendants()
        .filter(|d| d.is_element() && d.tag_name().name() == "Value")
        .filter_map(|v| v.text())
        .map(|t| t.rsplit(':').next().unwrap_or(t).trim().to_string())
        .next_back()
        .unwrap_or_default();
    let reason = find(f, "Text")
        .and_then(|t| t.text())
        .or_else(|| find(f, "faultstring").and_then(|t| t.text()))
        .unwrap_or("")
        .trim()
        .to_string();
    Some((sub, reason))
}

/// POST `body` to `url` and return the answer's XML. Errors are typed as a camera's: refused
/// credentials `SOURCE_UNAUTHORIZED`, nothing there `SOURCE_UNREACHABLE`, an answer that is not
/// ONVIF `SOURCE_INVALID`, a fault for an operation the device lacks `SOURCE_NOT_FOUND`.
pub async fn call(http: &reqwest::Client, url: &str, envelope: String) -> Result<String> {
    let resp = http
        .post(url)
        .header("Content-Type", "application/soap+xml; charset=utf-8")
        .body(envelope)
        .send()
        .await
        .map_err(|e| {
            let what = if e.is_timeout() {
                "did not answer in time"
            } else {
                "cannot be reached"
            };
            err!(Unavailable, code = SourceUnreachable, "{url} {what}: {e}")
        })?;
    let status = resp.status();
    // A body past 1 MiB is not an ONVIF answer (profiles of a 64-channel NVR are ~200 kB).
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| err!(Unavailable, code = SourceUnreachable, "reading {url}: {e}"))?;
    if bytes.len() > 1 << 20 {
        return Err(err!(
            Unavailable,
            code = SourceReplyTooLarge,
            "{url} answered with {} bytes; refused",
            bytes.len()
        ));
    }
    let text = String::from_utf8_lossy(&bytes).to_string();
    let parsed = roxmltree::Document::parse(&text).ok();
    if let Some((sub, reason)) = parsed.as_ref().and_then(fault) {
        let code = match sub.as_str() {
            "NotAuthorized" | "FailedAuthentication" | "InvalidSecurity" => {
                ErrorCode::SourceUnauthorized
            }
            "ActionNotSupported" | "NotSupported" | "NoProfile" | "NoSuchService" => {
                ErrorCode::SourceNotFound
            }
            _ => ErrorCode::SourceInvalid,
        };
        let what = if reason.is_empty() { sub } else { reason };
        return Err(err!(Unavailable, "the device refused: {what}").with_code(code));
    }
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        return Err(err!(
            Unavailable,
            code = SourceUnauthorized,
            "the device refused the user name or password (HTTP {status})"
        ));
    }
    if !status.is_success() || parsed.is_none() {
        return Err(err!(
            Unavailable,
            code = SourceInvalid,
            "{url} is not an ONVIF service (HTTP {status})"
        ));
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_digest_is_sha1_of_nonce_created_and_password() {
        // Computed independently: base64(sha1(bytes 0..16 + created + "secret")).
        let nonce: Vec<u8> = (0..16).collect();
        assert_eq!(
            password_digest(&nonce, "2026-12-04T10:00:00Z", "secret"),
            "N2XzsxFFWgXNcsOO6DoEYMZYZyA="
        );
    }

    #[test]
    fn envelopes_escape_and_faults_are_typed() {
        let creds = Credentials {
            username: "a<b".into(),
            password: "p".into(),
        };
        let e = envelope(
            "<tds:GetDeviceInformation/>",
            Some(&creds),
            "2026-12-04T10:00:00Z",
        );
        let doc = roxmltree::Document::parse(&e).unwrap();
        assert_eq!(
            text_at(find(doc.root(), "UsernameToken").unwrap(), &["Username"]).as_deref(),
            Some("a<b")
        );
        assert!(find(doc.root(), "GetDeviceInformation").is_some());
        assert!(format!("{creds:?}").contains("***") && !format!("{creds:?}").contains("\"p\""));

        let f = r#"<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:ter="http://www.onvif.org/ver10/error"><s:Body><s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value>ter:NotAuthorized</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">Sender not authorized</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>"#;
        let doc = roxmltree::Document::parse(f).unwrap();
        assert_eq!(
            fault(&doc),
            Some(("NotAuthorized".into(), "Sender not authorized".into()))
        );
    }
}
