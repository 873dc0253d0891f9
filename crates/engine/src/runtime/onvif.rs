//! An ONVIF camera's stream: the RTSP URI of its profile asked of the camera (GetStreamUri, with
//! its credentials) when it connects, kept while connecting with it works, and asked again after
//! a connection fails — so a camera whose URIs change (a firmware update, a new port) keeps
//! recording without anyone editing it. The RTSP side is the same opener an RTSP camera has.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use vigil_base::sync::lock;
use vigil_base::{Result, err};
use vigil_ingest::{Interrupt, PacketSource, SourceOpener};
use vigil_onvif::{Credentials, Device};

type Password = Arc<dyn Fn() -> Option<String> + Send + Sync>;
type MakeRtsp = Box<dyn Fn(&str) -> Arc<dyn SourceOpener> + Send + Sync>;

/// How long asking the camera for its URI may take (inside the supervisor's 20 s open timeout).
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(12);

pub struct OnvifOpener {
    address: String,
    profile: String,
    username: Option<String>,
    password: Password,
    make: MakeRtsp,
    /// The URI in use and its opener; `None` until resolved, and again after a failure.
    current: Mutex<Option<(String, Arc<dyn SourceOpener>)>>,
}

impl OnvifOpener {
    pub fn new(
        address: &str,
        profile: &str,
        username: Option<String>,
        password: Password,
        make: MakeRtsp,
    ) -> Self {
        OnvifOpener {
            address: address.to_string(),
            profile: profile.to_string(),
            username,
            password,
            make,
            current: Mutex::new(None),
        }
    }

    /// Ask the camera for the profile's RTSP URI.
    fn resolve(&self, interrupt: &Interrupt) -> Result<String> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| err!(Internal, "ONVIF runtime: {e}"))?;
        let creds = self.username.clone().map(|username| Credentials {
            username,
            password: (self.password)().unwrap_or_default(),
        });
        let (address, profile) = (self.address.clone(), self.profile.clone());
        let ask = async move {
            let d = Device::connect(&address, creds).await?;
            d.stream_uri(&profile).await
        };
        rt.block_on(async {
            let stop = async {
                while !interrupt.stop_requested() {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            };
            tokio::select! {
                r = tokio::time::timeout(RESOLVE_TIMEOUT, ask) => r.unwrap_or_else(|_| Err(err!(
                    Unavailable,
                    code = SourceUnreachable,
                    "the camera's ONVIF service at {} did not give the stream's address within {} s",
                    self.address,
                    RESOLVE_TIMEOUT.as_secs()
                ))),
                _ = stop => Err(err!(Unavailable, code = SourceInterrupted, "stopped")),
            }
        })
    }
}

impl SourceOpener for OnvifOpener {
    fn open(&self, interrupt: &Interrupt) -> Result<Box<dyn PacketSource>> {
        let known = lock(&self.current).clone();
        let (uri, opener) = match known {
            Some(k) => k,
            None => {
                let uri = self.resolve(interrupt).map_err(|e| {
                    e.context(&format!(
                        "asking {} for profile {}",
                        self.address, self.profile
                    ))
                })?;
                tracing::info!(
                    address = %self.address,
                    profile = %self.profile,
                    uri = %vigil_base::mask_url(&uri),
                    "ONVIF stream address"
                );
                let opener = (self.make)(&uri);
                *lock(&self.current) = Some((uri.clone(), opener.clone()));
                (uri, opener)
            }
        };
        match opener.open(interrupt) {
            Ok(s) => Ok(s),
            Err(e) => {
                // The URI may have changed: ask the camera again before the next attempt.
                tracing::debug!(uri = %vigil_base::mask_url(&uri), error = %e, "ONVIF stream failed; its address is asked again next time");
                *lock(&self.current) = None;
                Err(e)
            }
        }
    }

    fn describe(&self) -> String {
        format!("onvif {} profile {}", self.address, self.profile)
    }
}
