//! The ONVIF device simulator (tests/support/onvif_sim.py) as a child process, for the tests
//! that need a camera's ONVIF side; its stream comes from a real RTSP server (media.rs).
#![allow(dead_code, clippy::unwrap_used)] // shared by several test binaries; each uses a part

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub struct OnvifSim {
    child: Child,
    pub port: u16,
}

impl Drop for OnvifSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl OnvifSim {
    /// A device with user `admin` / `password`, streams from `rtsp_port` (`/main`, `/sub`),
    /// answering WS-Discovery when `discovery`.
    pub fn start(rtsp_port: u16, password: &str, name: &str, discovery: bool) -> OnvifSim {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/support/onvif_sim.py"
        );
        let mut cmd = Command::new("/usr/bin/python3");
        cmd.arg(script)
            .args(["--rtsp-port", &rtsp_port.to_string()])
            .args(["--user", "admin", "--password", password, "--name", name]);
        if discovery {
            cmd.arg("--discovery");
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("/usr/bin/python3");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("READY ")
            .unwrap_or_else(|| panic!("ONVIF simulator did not start: {line:?}"))
            .parse()
            .unwrap();
        OnvifSim { child, port }
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Every authenticated call the device received (and `refused` ones).
    pub async fn calls(&self) -> Vec<Value> {
        reqwest::get(format!("http://127.0.0.1:{}/calls", self.port))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// Point its stream URIs at another RTSP server (as a firmware update might).
    pub async fn move_streams(&self, rtsp_port: u16) {
        let r = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{}/control", self.port))
            .body(format!("{{\"rtsp_port\": {rtsp_port}}}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    }
}
