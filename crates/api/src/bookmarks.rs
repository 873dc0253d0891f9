//! Bookmarks on a camera's timeline over HTTP: moments (or spans) someone marked, with a label.

use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_engine::bookmarks::BookmarkInput;
use vigil_engine::{Permission, Principal};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Body, Data, Envelope, Path, Query};
use crate::recordings::WindowQuery;
use crate::security::require;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(remove))
}

/// A bookmark.
#[derive(Clone, Serialize, ToSchema)]
pub struct Bookmark {
    pub id: i64,
    pub camera_id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    pub at_ms: i64,
    pub end: Option<String>,
    pub end_ms: Option<i64>,
    pub label: String,
    pub created_by: String,
    pub created_at: String,
}

impl From<vigil_engine::bookmarks::Bookmark> for Bookmark {
    fn from(b: vigil_engine::bookmarks::Bookmark) -> Self {
        Bookmark {
            id: b.id,
            camera_id: b.camera_id,
            at: rfc3339(b.at_ms),
            at_ms: b.at_ms,
            end: b.end_ms.map(rfc3339),
            end_ms: b.end_ms,
            label: b.label,
            created_by: b.created_by,
            created_at: rfc3339(b.created_at_ms),
        }
    }
}

/// Bookmarks of a camera in a window (default: the last 24 h).
#[utoipa::path(get, path = "/cameras/{id}/bookmarks", tag = "recordings",
    params(("id" = i64, Path), WindowQuery),
    responses((status = 200, body = Envelope<Vec<Bookmark>>)), security(("bearer" = ["recording:read"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Query(q): Query<WindowQuery>,
) -> Result<Data<Vec<Bookmark>>, ApiError> {
    require(&p, Permission::RecordingRead)?;
    const DAY: i64 = 86_400_000;
    let w = q.window(&st, DAY, 31 * DAY)?;
    let marks = st.engine.bookmarks().list(id, w).await?;
    Ok(Data(marks.into_iter().map(Bookmark::from).collect()))
}

/// Mark a moment (or a span with `end`) on a camera's timeline.
#[utoipa::path(post, path = "/cameras/{id}/bookmarks", tag = "recordings",
    params(("id" = i64, Path)), request_body = BookmarkInput,
    responses((status = 201, body = Envelope<Bookmark>)), security(("bearer" = ["bookmark:write"])))]
pub async fn create(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
    Body(input): Body<BookmarkInput>,
) -> Result<impl IntoResponse, ApiError> {
    require(&p, Permission::BookmarkWrite)?;
    let b = st.engine.bookmarks().create(id, input, &p.name).await?;
    Ok((StatusCode::CREATED, Data(Bookmark::from(b))))
}

/// Delete a bookmark: its author's or, for an admin, anyone's.
#[utoipa::path(delete, path = "/bookmarks/{id}", tag = "recordings", params(("id" = i64, Path)),
    responses((status = 204), (status = 404, description = "BOOKMARK_NOT_FOUND", body = ErrorBody)),
    security(("bearer" = ["bookmark:write"])))]
pub async fn remove(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Path(id): Path<i64>,
) -> Result<StatusCode, ApiError> {
    require(&p, Permission::BookmarkWrite)?;
    let owner = (!p.has(Permission::Admin)).then(|| p.name.clone());
    let scope = p.cameras.clone();
    st.engine
        .bookmarks()
        .delete_as(id, owner, move |c| {
            scope.as_ref().is_none_or(|s| s.contains(&c))
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
