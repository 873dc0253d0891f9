//! Keeps camera passwords out of logs and the database: mask the password in any URL before it is
//! printed, and split inline `user:pass@` credentials off a URL before it is stored.

use url::Url;

/// The URL with its password (if any) replaced by `***`. Unparseable input is masked wholesale
/// from the `//` to the last `@`, so a malformed URL never leaks what looks like a credential.
pub fn mask_url(raw: &str) -> String {
    match Url::parse(raw) {
        Ok(mut u) => {
            if u.password().is_some() && u.set_password(Some("***")).is_err() {
                return mask_fallback(raw);
            }
            u.to_string()
        }
        Err(_) => mask_fallback(raw),
    }
}

fn mask_fallback(raw: &str) -> String {
    match (raw.find("//"), raw.rfind('@')) {
        (Some(start), Some(at)) if at > start + 2 => {
            format!("{}//***@{}", &raw[..start], &raw[at + 1..])
        }
        _ => raw.to_string(),
    }
}

/// Split `rtsp://user:pass@host/path` into (`rtsp://host/path`, Some(user), Some(pass)).
/// Percent-encoding in the user info is decoded.
pub fn strip_url_credentials(u: &Url) -> (Url, Option<String>, Option<String>) {
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| s.to_string())
    };
    let user = (!u.username().is_empty()).then(|| decode(u.username()));
    let pass = u.password().map(decode);
    let mut clean = u.clone();
    let _ = clean.set_password(None);
    let _ = clean.set_username("");
    (clean, user, pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_password_keeps_rest() {
        assert_eq!(
            mask_url("rtsp://admin:hunter2@10.0.0.5:554/Streaming/101"),
            "rtsp://admin:***@10.0.0.5:554/Streaming/101"
        );
        assert_eq!(mask_url("rtsp://cam/x"), "rtsp://cam/x");
    }

    #[test]
    fn masks_unparseable() {
        let m = mask_url("rtsp://ad:se cret@[bad/x");
        assert!(!m.contains("se cret"), "{m}");
    }

    #[test]
    fn strips_credentials() {
        let u = Url::parse("rtsp://ad%40min:p%40ss@cam:554/s").unwrap();
        let (clean, user, pass) = strip_url_credentials(&u);
        assert_eq!(clean.as_str(), "rtsp://cam:554/s");
        assert_eq!(user.as_deref(), Some("ad@min"));
        assert_eq!(pass.as_deref(), Some("p@ss"));
    }
}
