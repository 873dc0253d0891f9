//! Steering PTZ cameras through ONVIF's PTZ service: continuous move (pan, tilt, zoom speeds),
//! stop, and presets (list, go to, save), on the camera's main profile with its stored
//! credentials. The device handle is kept per camera (connecting costs two requests) and made
//! again after any failure or a change of the camera's address or user.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::sync::lock;
use vigil_base::{Result, err};
use vigil_onvif::{Credentials, Device, Preset};

use crate::Engine;
use crate::cameras::Source;

/// `POST /cameras/{id}/ptz`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum PtzCommand {
    /// Move at these speeds (−1…1; 0 holds that axis) until `stop`.
    Move {
        #[serde(default)]
        #[schema(minimum = -1.0, maximum = 1.0)]
        pan: f32,
        #[serde(default)]
        #[schema(minimum = -1.0, maximum = 1.0)]
        tilt: f32,
        #[serde(default)]
        #[schema(minimum = -1.0, maximum = 1.0)]
        zoom: f32,
    },
    Stop,
    GotoPreset {
        #[schema(min_length = 1, max_length = 64)]
        preset: String,
    },
    /// Save the current position under `name`.
    SetPreset {
        #[schema(min_length = 1, max_length = 64)]
        name: String,
    },
}

/// What a PTZ camera offers.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PtzInfo {
    pub presets: Vec<Preset>,
}

/// The answer to a command: the preset saved, for `set_preset`.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct PtzDone {
    pub preset: Option<String>,
}

/// Devices by camera, with what they were made from.
#[derive(Default)]
pub(crate) struct PtzDevices(Mutex<HashMap<i64, (String, Device)>>);

fn unsupported(id: i64) -> vigil_base::Error {
    err!(
        FailedPrecondition,
        code = PtzUnsupported,
        "camera {id} cannot be steered: only ONVIF cameras with a PTZ service can"
    )
}

impl Engine {
    /// The camera's device and main profile, connecting if need be.
    async fn ptz_device(&self, id: i64) -> Result<(Device, String)> {
        let cam = self.cameras().get(id).await?;
        let Source::Onvif {
            address,
            main_profile,
            ..
        } = &cam.source
        else {
            return Err(unsupported(id));
        };
        let key = format!("{address}|{}", cam.username.as_deref().unwrap_or(""));
        if let Some((k, d)) = lock(&self.inner.ptz.0).get(&id)
            && *k == key
        {
            return Ok((d.clone(), main_profile.clone()));
        }
        let creds = cam.username.clone().map(|username| Credentials {
            username,
            password: self
                .credentials()
                .camera_password(id)
                .ok()
                .flatten()
                .unwrap_or_default(),
        });
        let d = Device::connect(address, creds).await?;
        if !d.has_ptz() {
            return Err(unsupported(id));
        }
        lock(&self.inner.ptz.0).insert(id, (key, d.clone()));
        Ok((d, main_profile.clone()))
    }

    fn ptz_forget(&self, id: i64) {
        lock(&self.inner.ptz.0).remove(&id);
    }

    /// The camera's presets (`PTZ_UNSUPPORTED` when it cannot be steered).
    pub async fn ptz_info(&self, id: i64) -> Result<PtzInfo> {
        let (d, profile) = self.ptz_device(id).await?;
        match d.presets(&profile).await {
            Ok(presets) => Ok(PtzInfo { presets }),
            Err(e) => {
                self.ptz_forget(id);
                Err(e)
            }
        }
    }

    pub async fn ptz(&self, id: i64, cmd: PtzCommand) -> Result<PtzDone> {
        let (d, profile) = self.ptz_device(id).await?;
        let r = match cmd {
            PtzCommand::Move { pan, tilt, zoom } => {
                let bad = |v: f32| !v.is_finite() || !(-1.0..=1.0).contains(&v);
                if bad(pan) || bad(tilt) || bad(zoom) {
                    return Err(err!(
                        InvalidArgument,
                        "pan, tilt and zoom are speeds from -1 to 1"
                    ));
                }
                d.ptz_move(&profile, pan, tilt, zoom).await.map(|()| None)
            }
            PtzCommand::Stop => d.ptz_stop(&profile).await.map(|()| None),
            PtzCommand::GotoPreset { preset } => {
                d.goto_preset(&profile, preset.trim()).await.map(|()| None)
            }
            PtzCommand::SetPreset { name } => {
                let name = name.trim();
                if name.is_empty()
                    || name.chars().count() > 64
                    || name.chars().any(char::is_control)
                {
                    return Err(err!(InvalidArgument, "a preset name is 1–64 characters"));
                }
                d.set_preset(&profile, name).await.map(Some)
            }
        };
        match r {
            Ok(preset) => Ok(PtzDone { preset }),
            Err(e) => {
                self.ptz_forget(id);
                Err(e)
            }
        }
    }
}
