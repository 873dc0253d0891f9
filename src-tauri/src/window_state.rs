//! The window remembers its size and place: saved to `DATA_DIR/window.json` as it changes
//! (written at most every half second) and applied at start, if it still fits a monitor.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tauri::{PhysicalPosition, PhysicalSize, Runtime, WebviewWindow};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
struct Saved {
    x: i32,
    y: i32,
    width: u32,
    height: u32,
    maximized: bool,
}

/// Apply the saved size and place (ignored when unreadable or off every monitor).
pub fn restore<R: Runtime>(w: &WebviewWindow<R>, file: &Path) {
    let Some(saved) = std::fs::read(file)
        .ok()
        .and_then(|b| serde_json::from_slice::<Saved>(&b).ok())
    else {
        return;
    };
    if saved.width < 400 || saved.height < 300 {
        return;
    }
    let on_screen = w.available_monitors().ok().is_some_and(|ms| {
        ms.iter().any(|m| {
            let (p, s) = (m.position(), m.size());
            saved.x + 50 >= p.x
                && saved.y + 50 >= p.y
                && saved.x < p.x + s.width as i32 - 50
                && saved.y < p.y + s.height as i32 - 50
        })
    });
    let _ = w.set_size(PhysicalSize::new(saved.width, saved.height));
    if on_screen {
        let _ = w.set_position(PhysicalPosition::new(saved.x, saved.y));
    }
    if saved.maximized {
        let _ = w.maximize();
    }
}

static LAST_WRITE: Mutex<Option<Instant>> = Mutex::new(None);

/// Save the current size and place; unless `force`, at most every half second (resizing fires
/// many events; the window's closing saves the final state with `force`).
pub fn remember<R: Runtime>(w: &WebviewWindow<R>, file: &Path, force: bool) {
    if let Ok(mut last) = LAST_WRITE.lock() {
        if !force && last.is_some_and(|t| t.elapsed() < Duration::from_millis(500)) {
            return;
        }
        *last = Some(Instant::now());
    }
    let (Ok(pos), Ok(size)) = (w.outer_position(), w.inner_size()) else {
        return;
    };
    let saved = Saved {
        x: pos.x,
        y: pos.y,
        width: size.width,
        height: size.height,
        maximized: w.is_maximized().unwrap_or(false),
    };
    if let Ok(json) = serde_json::to_vec(&saved) {
        let _ = std::fs::write(file, json);
    }
}
