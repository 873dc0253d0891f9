//! Webhook deliveries: an HTTP POST of the JSON payload, signed with the hook's secret as
//! `X-Vigil-Signature: sha256=<hex HMAC-SHA256 of the body>` (so the receiver can tell it came from
//! this Vigil and was not changed), with `X-Vigil-Delivery` naming the delivery (the same on every
//! retry: a receiver can drop repeats). Any 2xx answer is delivered; anything else is retried.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The signature header's value for `body`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// How long one attempt may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// POST `body` to `url`. `Err` says why it was not delivered (for the delivery's record).
pub async fn send(
    http: &reqwest::Client,
    url: &str,
    secret: Option<&str>,
    delivery_id: i64,
    body: &str,
) -> Result<(), String> {
    let mut req = http
        .post(url)
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .header("User-Agent", concat!("Vigil/", env!("CARGO_PKG_VERSION")))
        .header("X-Vigil-Delivery", delivery_id.to_string());
    if let Some(s) = secret {
        req = req.header("X-Vigil-Signature", signature(s, body.as_bytes()));
    }
    match req.body(body.to_string()).send().await {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!("HTTP {}", r.status())),
        Err(e) if e.is_timeout() => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
        Err(e) if e.is_connect() => Err(format!("cannot connect: {}", root_cause(&e))),
        Err(e) => Err(root_cause(&e)),
    }
}

fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    cur.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
