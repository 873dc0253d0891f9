//! One desktop instance per data dir, without D-Bus: the first instance listens on a Unix socket in
//! the data dir; a second one connects, asks it to show its window, and exits.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use anyhow::{Context, Result};

pub enum Role {
    Primary(Primary),
    Secondary,
}

pub struct Primary {
    #[cfg(unix)]
    listener: std::os::unix::net::UnixListener,
}

#[cfg(unix)]
pub fn acquire(data_dir: &Path) -> Result<Role> {
    use std::os::unix::net::{UnixListener, UnixStream};
    let path = data_dir.join("desktop.sock");
    if let Ok(mut s) = UnixStream::connect(&path) {
        s.write_all(b"show\n")
            .context("asking the running instance to show")?;
        return Ok(Role::Secondary);
    }
    // Nobody answered: a stale socket from a crash, or none at all.
    let _ = std::fs::remove_file(&path);
    let listener =
        UnixListener::bind(&path).with_context(|| format!("binding {}", path.display()))?;
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(Role::Primary(Primary { listener }))
}

#[cfg(not(unix))]
pub fn acquire(_data_dir: &Path) -> Result<Role> {
    Ok(Role::Primary(Primary {}))
}

impl Primary {
    /// Call `show` whenever another instance starts.
    pub fn on_show(self, show: impl Fn() + Send + 'static) {
        #[cfg(unix)]
        {
            let listener = self.listener;
            std::thread::Builder::new()
                .name("single-instance".into())
                .spawn(move || {
                    for conn in listener.incoming().flatten() {
                        let mut line = String::new();
                        if BufReader::new(conn).read_line(&mut line).is_ok()
                            && line.trim() == "show"
                        {
                            tracing::info!("another instance started; showing the window");
                            show();
                        }
                    }
                })
                .ok();
        }
        #[cfg(not(unix))]
        let _ = show;
    }
}
