//! `vigil service install|uninstall|status|unit`: Vigil as a systemd service, so recording does not
//! depend on anyone being logged in. System-wide (the default; run as root) the unit runs
//! `vigil serve` as its own `vigil` user with its data in `/var/lib/vigil` (`StateDirectory=`);
//! `--user` makes a user unit with the per-user data dir instead. Either is `Type=notify` with a
//! watchdog (`WatchdogSec`: `vigil serve` pings only while the engine is alive, so a hung engine
//! is killed and restarted), restarts on failure, and logs to journald.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The unit's name.
pub const UNIT: &str = "vigil.service";
/// Seconds without a watchdog ping before systemd restarts the service.
pub const WATCHDOG_SEC: u32 = 60;

/// The unit file for the `vigil` binary at `exe`.
pub fn unit(exe: &Path, user: bool) -> String {
    let exe = exe.display();
    let who = if user {
        String::new()
    } else {
        "User=vigil\nGroup=vigil\n# /var/lib/vigil, owned by the vigil user, readable by its group only:\n\
         # members of the vigil group open the desktop window on this service.\n\
         StateDirectory=vigil\nStateDirectoryMode=0750\nEnvironment=HOME=/var/lib/vigil\n\
         Environment=VIGIL_SHARE_GROUP=1\n"
            .to_string()
    };
    let data = if user {
        String::new()
    } else {
        " --data-dir /var/lib/vigil".to_string()
    };
    let hardening = if user {
        ""
    } else {
        "NoNewPrivileges=yes\nPrivateTmp=yes\nProtectSystem=full\n"
    };
    let wanted = if user {
        "default.target"
    } else {
        "multi-user.target"
    };
    format!(
        "# Written by `vigil service install`; `vigil service uninstall` removes it.\n\
         [Unit]\n\
         Description=Vigil network video recorder\n\
         After=network-online.target\n\
         Wants=network-online.target\n\
         \n\
         [Service]\n\
         Type=notify\n\
         NotifyAccess=main\n\
         ExecStart={exe} serve{data}\n\
         {who}\
         # No keyring in a service: camera passwords go to the encrypted credential file.\n\
         Environment=VIGIL_CREDENTIAL_STORE=file\n\
         WatchdogSec={WATCHDOG_SEC}\n\
         Restart=on-failure\n\
         RestartSec=5\n\
         TimeoutStopSec=40\n\
         StandardOutput=journal\n\
         StandardError=journal\n\
         {hardening}\
         \n\
         [Install]\n\
         WantedBy={wanted}\n"
    )
}

/// Where the unit goes: `/etc/systemd/system`, or `~/.config/systemd/user` with `--user`.
pub fn unit_dir(user: bool) -> Result<PathBuf> {
    if !user {
        return Ok(PathBuf::from("/etc/systemd/system"));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .context("neither XDG_CONFIG_HOME nor HOME is set")?;
    Ok(config.join("systemd/user"))
}

fn systemctl(user: bool, args: &[&str]) -> Result<()> {
    let mut c = Command::new("systemctl");
    if user {
        c.arg("--user");
    }
    let st = c
        .args(args)
        .status()
        .context("running systemctl (is systemd there?)")?;
    if !st.success() {
        bail!("systemctl {} failed ({st})", args.join(" "));
    }
    Ok(())
}

/// Write the unit and, unless `enable` is false, enable and start it. System-wide it first makes
/// the `vigil` system user if there is none.
pub fn install(user: bool, dir: Option<PathBuf>, enable: bool) -> Result<PathBuf> {
    let exe = std::env::current_exe().context("finding the vigil binary")?;
    let dir = match dir {
        Some(d) => d,
        None => unit_dir(user)?,
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(UNIT);
    std::fs::write(&path, unit(&exe, user))
        .with_context(|| format!("writing {} (run as root, or use --user)", path.display()))?;
    if !enable {
        return Ok(path);
    }
    if !user
        && !Command::new("id")
            .arg("vigil")
            .output()
            .is_ok_and(|o| o.status.success())
    {
        let st = Command::new("useradd")
            .args([
                "--system",
                "--home-dir",
                "/var/lib/vigil",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "vigil",
            ])
            .status()
            .context("running useradd")?;
        if !st.success() {
            bail!("could not create the vigil system user ({st})");
        }
    }
    systemctl(user, &["daemon-reload"])?;
    systemctl(user, &["enable", "--now", UNIT])?;
    Ok(path)
}

/// Stop and disable the service and remove its unit (the data dir stays).
pub fn uninstall(user: bool, dir: Option<PathBuf>) -> Result<PathBuf> {
    let dir = match dir {
        Some(d) => d,
        None => unit_dir(user)?,
    };
    let path = dir.join(UNIT);
    if !path.exists() {
        bail!("no {} (not installed)", path.display());
    }
    // Stopping may fail if it is not running; the unit goes anyway.
    let _ = systemctl(user, &["disable", "--now", UNIT]);
    std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
    let _ = systemctl(user, &["daemon-reload"]);
    Ok(path)
}

/// `systemctl status` of the unit, as systemd tells it.
pub fn status(user: bool) -> Result<()> {
    let mut c = Command::new("systemctl");
    if user {
        c.arg("--user");
    }
    // `status` exits 3 for a stopped unit: that is an answer, not a failure.
    c.args(["status", "--no-pager", UNIT])
        .status()
        .context("running systemctl (is systemd there?)")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_unit_is_a_notify_service_with_a_watchdog() {
        let sys = unit(Path::new("/usr/bin/vigil"), false);
        for line in [
            "Type=notify",
            "ExecStart=/usr/bin/vigil serve --data-dir /var/lib/vigil",
            "User=vigil",
            "StateDirectory=vigil",
            "Environment=VIGIL_SHARE_GROUP=1",
            "WatchdogSec=60",
            "Restart=on-failure",
            "WantedBy=multi-user.target",
        ] {
            assert!(sys.lines().any(|l| l == line), "{line} missing:\n{sys}");
        }
        let user = unit(Path::new("/opt/vigil"), true);
        assert!(user.lines().any(|l| l == "ExecStart=/opt/vigil serve"));
        assert!(!user.contains("User=") && user.contains("WantedBy=default.target"));
    }
}
