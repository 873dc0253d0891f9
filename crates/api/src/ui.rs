//! The web UI at `/`: the built `ui/dist`. Pages are routed in the URL fragment, so any other path
//! falls back to `index.html` — except under `/assets/`: a script or style that is not there (a tab
//! opened before a rebuild asking for the old hashed file names) is a 404, not `index.html` served
//! as JavaScript, which the browser refuses and the UI can then say "Vigil was updated — reload".
//! Without a built UI, a page says how to build it.

use std::convert::Infallible;
use std::path::PathBuf;

use axum::extract::Request;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{MethodRouter, get};
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};

pub fn service<S: Clone + Send + Sync + 'static>(ui_dir: Option<PathBuf>) -> MethodRouter<S> {
    match ui_dir.filter(|d| d.join("index.html").is_file()) {
        Some(dir) => {
            let pages = ServeDir::new(&dir).fallback(ServeFile::new(dir.join("index.html")));
            let assets = ServeDir::new(&dir);
            get(move |req: Request| {
                let (pages, assets) = (pages.clone(), assets.clone());
                async move {
                    let served = if req.uri().path().starts_with("/assets/") {
                        assets.oneshot(req).await.map(IntoResponse::into_response)
                    } else {
                        pages.oneshot(req).await.map(IntoResponse::into_response)
                    };
                    let r: Result<Response, Infallible> = served;
                    match r {
                        Ok(r) => r,
                        Err(never) => match never {},
                    }
                }
            })
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt as _;

    async fn get(app: &axum::Router, path: &str) -> (StatusCode, String) {
        let r = app
            .clone()
            .oneshot(Request::get(path).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn pages_fall_back_to_the_index_but_a_missing_asset_is_a_404() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<!doctype html>index").unwrap();
        std::fs::create_dir(dir.path().join("assets")).unwrap();
        std::fs::write(dir.path().join("assets/app-1.js"), "console.log(1)").unwrap();
        let app: axum::Router =
            axum::Router::new().fallback(super::service(Some(dir.path().into())));
        assert_eq!(
            get(&app, "/").await,
            (StatusCode::OK, "<!doctype html>index".into())
        );
        assert_eq!(get(&app, "/some/page").await.1, "<!doctype html>index");
        assert_eq!(
            get(&app, "/assets/app-1.js").await,
            (StatusCode::OK, "console.log(1)".into())
        );
        // An old build's script: not the index in its place.
        assert_eq!(get(&app, "/assets/app-0.js").await.0, StatusCode::NOT_FOUND);
    }
}
