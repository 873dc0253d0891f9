//! "Start Vigil when I log in": an XDG autostart entry (`~/.config/autostart/vigil.desktop`, the
//! freedesktop.org way every Linux desktop follows) that runs this app at login. A setting of the
//! person at this PC, so it lives in their config dir, not in Vigil's data dir.

use std::path::{Path, PathBuf};

const FILE: &str = "autostart/vigil.desktop";

/// The user's config dir (`$XDG_CONFIG_HOME`, else `~/.config`).
pub fn config_dir() -> Option<PathBuf> {
    std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
}

/// Whether the entry is there and not switched off (`Hidden=true` or
/// `X-GNOME-Autostart-enabled=false`, as desktop settings tools leave it).
pub fn enabled_in(config: &Path) -> bool {
    match std::fs::read_to_string(config.join(FILE)) {
        Ok(text) => !text.lines().any(|l| {
            let l = l.trim();
            l.eq_ignore_ascii_case("Hidden=true")
                || l.eq_ignore_ascii_case("X-GNOME-Autostart-enabled=false")
        }),
        Err(_) => false,
    }
}

/// Write (for `on`) or remove the entry; `exe` is the program to start.
pub fn set_in(config: &Path, on: bool, exe: &Path) -> std::io::Result<()> {
    let path = config.join(FILE);
    if !on {
        return match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        };
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(
        &path,
        format!(
            "[Desktop Entry]\nType=Application\nName=Vigil\nComment=Network video recorder\n\
             Exec=\"{}\"\nIcon=vigil\nTerminal=false\nX-GNOME-Autostart-enabled=true\n",
            exe.display()
        ),
    )
}

#[tauri::command]
pub fn autostart() -> bool {
    config_dir().is_some_and(|c| enabled_in(&c))
}

#[tauri::command]
pub fn set_autostart(on: bool) -> Result<bool, String> {
    let config = config_dir().ok_or("no config dir (HOME is not set)")?;
    let exe = std::env::current_exe().map_err(|e| format!("finding this program: {e}"))?;
    set_in(&config, on, &exe).map_err(|e| format!("writing the autostart entry: {e}"))?;
    tracing::info!(on, "start at login changed");
    Ok(enabled_in(&config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_is_written_read_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!enabled_in(dir.path()));
        set_in(dir.path(), true, Path::new("/usr/bin/vigil-desktop")).unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(text.contains("Exec=\"/usr/bin/vigil-desktop\""), "{text}");
        assert!(enabled_in(dir.path()));
        // Switched off by a desktop's settings tool: not enabled.
        std::fs::write(dir.path().join(FILE), format!("{text}Hidden=true\n")).unwrap();
        assert!(!enabled_in(dir.path()));
        set_in(dir.path(), false, Path::new("/x")).unwrap();
        assert!(!dir.path().join(FILE).exists());
        set_in(dir.path(), false, Path::new("/x")).unwrap();
    }
}
