//! The ONVIF client against the project's device simulator (tests/support/onvif_sim.py, written
//! from the ONVIF WSDLs; it checks every WS-Security digest): a wrong password refused as
//! `SOURCE_UNAUTHORIZED`, device information, profiles with their stream and snapshot URIs, PTZ
//! moves and presets as the simulator recorded them, and WS-Discovery over multicast on loopback.
#![allow(clippy::unwrap_used)] // test code: a panic is the failure report

use std::time::Duration;

use vigil_base::ErrorCode;
use vigil_onvif::{Credentials, Device, discovery};

// The same simulator helper the server's tests use.
#[path = "../../../tests/support/onvif.rs"]
mod sim;
use sim::OnvifSim;

fn sim(name: &str, discovery: bool) -> OnvifSim {
    OnvifSim::start(8554, "s3cret", name, discovery)
}

fn creds(password: &str) -> Option<Credentials> {
    Some(Credentials {
        username: "admin".into(),
        password: password.into(),
    })
}

#[tokio::test]
async fn a_device_is_read_and_steered() {
    let s = sim("Yard", false);
    let addr = s.address();

    let e = Device::connect(&addr, creds("wrong")).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::SourceUnauthorized, "{e}");
    let e = Device::connect(&addr, None).await.unwrap_err();
    assert_eq!(
        e.code(),
        ErrorCode::SourceUnauthorized,
        "no credentials: {e}"
    );

    let d = Device::connect(&addr, creds("s3cret")).await.unwrap();
    let info = d.information().await.unwrap();
    assert_eq!(info.manufacturer.as_deref(), Some("Vigil Test Cameras"));
    assert_eq!(info.serial_number.as_deref(), Some("SIM0001"));
    assert_eq!(info.firmware.as_deref(), Some("2.4.1"));

    let profiles = d.profiles().await.unwrap();
    assert_eq!(profiles.len(), 3);
    let main = &profiles[0];
    assert_eq!(
        (main.token.as_str(), main.width, main.height),
        ("prof_main", Some(1280), Some(720))
    );
    assert_eq!(
        main.stream_uri.as_deref(),
        Some("rtsp://127.0.0.1:8554/main")
    );
    assert!(main.ptz && main.recordable);
    assert_eq!(
        profiles[1].stream_uri.as_deref(),
        Some("rtsp://127.0.0.1:8554/sub")
    );
    assert_eq!(profiles[1].fps, Some(15.0));
    assert!(!profiles[2].recordable, "a JPEG profile cannot be recorded");
    assert!(
        profiles[0]
            .snapshot_uri
            .as_deref()
            .unwrap()
            .ends_with("/snapshot/prof_main.jpg")
    );

    assert!(d.has_ptz());
    d.ptz_move("prof_main", 0.5, -0.25, 0.0).await.unwrap();
    d.ptz_stop("prof_main").await.unwrap();
    let token = d.set_preset("prof_main", "Door & gate").await.unwrap();
    let presets = d.presets("prof_main").await.unwrap();
    assert!(
        presets
            .iter()
            .any(|p| p.token == token && p.name == "Door & gate"),
        "{presets:?}"
    );
    d.goto_preset("prof_main", &token).await.unwrap();
    let e = d.goto_preset("prof_main", "nope").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::SourceInvalid, "{e}");

    let seen = s.calls().await;
    let ops: Vec<&str> = seen.iter().map(|c| c["op"].as_str().unwrap()).collect();
    assert!(
        ops.iter().filter(|o| **o == "refused").count() >= 2,
        "{ops:?}"
    );
    let mv = seen.iter().find(|c| c["op"] == "ContinuousMove").unwrap();
    assert_eq!(
        (mv["pan"].as_f64(), mv["tilt"].as_f64()),
        (Some(0.5), Some(-0.25))
    );
    assert!(ops.contains(&"Stop"));
    assert!(
        seen.iter()
            .any(|c| c["op"] == "GotoPreset" && c["preset"] == token.as_str())
    );
}

#[tokio::test]
async fn ws_discovery_finds_the_device() {
    let s = sim("Front door", true);
    let want = s.address();
    let mut streamed = vec![];
    let all = discovery::scan(Duration::from_secs(2), |f| streamed.push(f.address.clone()))
        .await
        .unwrap();
    let me = all
        .iter()
        .find(|f| f.address == want)
        .unwrap_or_else(|| panic!("the simulator at {want} was not found: {all:?}"));
    assert_eq!(me.name.as_deref(), Some("Front door"));
    assert_eq!(me.hardware.as_deref(), Some("SIM-PTZ-1"));
    assert!(me.endpoint.starts_with("urn:uuid:"));
    assert_eq!(
        streamed.iter().filter(|a| **a == want).count(),
        1,
        "reported once: {streamed:?}"
    );
}
