//! The web UI at `/`: the built `ui/dist`, with unknown paths falling back to `index.html` for the
//! client-side router. Without a built UI, a page says how to build it.

use std::path::PathBuf;

use axum::response::Html;
use axum::routing::{MethodRouter, get};
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

pub fn service(ui_dir: Option<PathBuf>) -> MethodRouter<AppState> {
    match ui_dir.filter(|d| d.join("index.html").is_file()) {
        Some(dir) => {
            let index = dir.join("index.html");
            let serve = ServeDir::new(dir).fallback(ServeFile::new(index));
            axum::routing::get_service(serve)
        }
        None => get(|| async {
            Html(
                "<!doctype html><title>Vigil</title><h1>Vigil is running</h1>\
                 <p>The web UI is not built. Run <code>npm run build:ui</code> in the Vigil \
                 checkout, then restart with <code>--ui-dir ui/dist</code>. The API is at \
                 <code>/api/v1</code>.</p>",
            )
        }),
    }
}
