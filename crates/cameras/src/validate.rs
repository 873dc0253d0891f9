//! Field-level validation of camera input: every bad field gets its own message, sources are
//! checked for what they are (an RTSP URL with a host, an absolute existing file), credentials in
//! an RTSP URL are split off to the credential store, and push cameras get their stream key.

use std::path::Path;

use vigil_base::{Error, FieldErrors, Result, err, strip_url_credentials};
use vigil_db::cameras::CameraRow;

use super::CameraService;
use super::{CameraPatch, SourceInput};
use vigil_base::fields::{optional_text, required_text};

/// What to do with the stored password when saving.
pub(super) enum PasswordChange {
    Keep,
    Set(String),
    Clear,
}

/// A fully validated camera, ready to store.
pub(super) struct Valid {
    pub(super) row: CameraRow,
    pub(super) password: PasswordChange,
}

impl CameraService {
    /// Apply `patch` onto `base` and check every field; all problems come back together.
    pub(super) fn validate(
        &self,
        mut row: CameraRow,
        patch: CameraPatch,
        mut errs: FieldErrors,
    ) -> Result<Valid> {
        if let Some(name) = patch.name {
            row.name = required_text(&mut errs, "name", &name, 100);
        }
        let text = |errs: &mut FieldErrors,
                    field: &str,
                    cur: Option<String>,
                    new: Option<Option<String>>,
                    max| match new {
            Some(v) => optional_text(errs, field, v, max),
            None => cur,
        };
        row.manufacturer = text(
            &mut errs,
            "manufacturer",
            row.manufacturer.take(),
            patch.manufacturer,
            100,
        );
        row.model = text(&mut errs, "model", row.model.take(), patch.model, 100);
        row.serial_number = text(
            &mut errs,
            "serial_number",
            row.serial_number.take(),
            patch.serial_number,
            64,
        );
        row.location = text(
            &mut errs,
            "location",
            row.location.take(),
            patch.location,
            200,
        );
        row.place = text(&mut errs, "place", row.place.take(), patch.place, 200);
        let explicit_user = patch.username.is_some();
        let mut username = text(
            &mut errs,
            "username",
            row.username.take(),
            patch.username,
            128,
        );
        if let Some(fps) = patch.detect_fps {
            if (1..=30).contains(&fps) {
                row.detect_fps = fps;
            } else {
                errs.insert("detect_fps".into(), "must be between 1 and 30".into());
            }
        }
        let mut password = match patch.password {
            None => PasswordChange::Keep,
            Some(None) => PasswordChange::Clear,
            Some(Some(p)) if p.is_empty() => PasswordChange::Clear,
            Some(Some(p)) => {
                if p.len() > 256 {
                    errs.insert("password".into(), "must be at most 256 bytes".into());
                }
                PasswordChange::Set(p)
            }
        };
        if let Some(src) = patch.source {
            let explicit_password = !matches!(password, PasswordChange::Keep);
            if let Some((kind, source, key, url_user, url_pass)) =
                self.validate_source(&mut errs, src, &row)
            {
                // Credentials in the URL move to the credential store. Where the request's own
                // username or password fields say otherwise, the fields win (they are the
                // explicit statement); a URL password goes with the URL's user only.
                let url_user_taken = match url_user {
                    Some(u) if explicit_user && username.as_deref().is_some_and(|e| e != u) => {
                        false
                    }
                    Some(u) => {
                        username = Some(u);
                        true
                    }
                    None => true,
                };
                if let Some(p) = url_pass
                    && !explicit_password
                    && url_user_taken
                {
                    password = PasswordChange::Set(p);
                }
                row.source_kind = kind.into();
                row.source_json = serde_json::to_string(&source)
                    .map_err(|e| err!(Internal, "encoding source: {e}"))?;
                row.stream_key = key;
            }
        }
        row.username = username;
        row.has_password = match &password {
            PasswordChange::Keep => row.has_password,
            PasswordChange::Set(_) => true,
            PasswordChange::Clear => false,
        };
        if !errs.is_empty() {
            return Err(Error::validation(errs));
        }
        Ok(Valid { row, password })
    }

    /// Check a source; returns (kind, stored JSON form, stream key, user and password found in the URL).
    #[allow(clippy::type_complexity)]
    fn validate_source(
        &self,
        errs: &mut FieldErrors,
        src: SourceInput,
        current: &CameraRow,
    ) -> Option<(
        &'static str,
        serde_json::Value,
        Option<String>,
        Option<String>,
        Option<String>,
    )> {
        match src {
            SourceInput::Rtsp { url, transport } => {
                let parsed = vigil_base::fields::rtsp_url(errs, "source.url", &url, true)?;
                let (clean, user, pass) = strip_url_credentials(&parsed);
                let json = serde_json::json!({
                    "kind": "rtsp",
                    "url": clean.as_str(),
                    "transport": transport.unwrap_or_default(),
                });
                Some(("rtsp", json, None, user, pass))
            }
            SourceInput::RtmpPush {} => {
                let key = match (&current.stream_key, current.source_kind.as_str()) {
                    (Some(k), "rtmp_push") => k.clone(),
                    _ => new_stream_key(),
                };
                Some((
                    "rtmp_push",
                    serde_json::json!({"kind": "rtmp_push"}),
                    Some(key),
                    None,
                    None,
                ))
            }
            SourceInput::Onvif {
                address,
                main_profile,
                sub_profile,
                transport,
            } => {
                let too_long = address.chars().count() > 300;
                let address = address.trim().to_string();
                if too_long {
                    errs.insert(
                        "source.address".into(),
                        "must be at most 300 characters".into(),
                    );
                } else if let Err(e) = vigil_onvif::check_address(&address) {
                    errs.insert("source.address".into(), e);
                }
                let main = vigil_base::fields::required_text(
                    errs,
                    "source.main_profile",
                    &main_profile,
                    64,
                );
                let sub =
                    vigil_base::fields::optional_text(errs, "source.sub_profile", sub_profile, 64);
                if errs.keys().any(|k| k.starts_with("source.")) {
                    return None;
                }
                let json = serde_json::json!({
                    "kind": "onvif",
                    "address": address,
                    "main_profile": main,
                    "sub_profile": sub,
                    "transport": transport.unwrap_or_default(),
                });
                Some(("onvif", json, None, None, None))
            }
            SourceInput::File { path } => {
                let p = Path::new(path.trim());
                if !p.is_absolute() {
                    errs.insert("source.path".into(), "must be an absolute path".into());
                    return None;
                }
                // Whether the file is there now is the world's state, not the request's: like an
                // RTSP camera that is offline, a missing file is saved and shows in the camera's
                // status ("cannot open …"), and "Test connection" checks it before saving.
                Some((
                    "file",
                    serde_json::json!({"kind": "file", "path": p}),
                    None,
                    None,
                    None,
                ))
            }
        }
    }
}

fn new_stream_key() -> String {
    use base64::Engine as _;
    let mut b = [0u8; 18];
    getrandom::fill(&mut b).expect("OS random number generator");
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}
