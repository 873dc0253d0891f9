//! Bookmarks: moments (or spans) someone marked on a camera's timeline, with a label; shown as
//! timeline markers and listed per camera.

use std::sync::Arc;

use serde::Deserialize;
use utoipa::ToSchema;
use vigil_base::{Clock, Error, FieldErrors, Result, bail, err};
use vigil_db::Database;
use vigil_db::bookmarks::{self as q, BookmarkRow};

use crate::{DeskEmitter, DeskEvent, camera_exists};
use vigil_base::Window;
use vigil_base::fields::{instant_value, required_text};

/// A moment (or span) marked on a camera's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Bookmark {
    pub id: i64,
    pub camera_id: i64,
    pub at_ms: i64,
    pub end_ms: Option<i64>,
    pub label: String,
    pub created_by: String,
    pub created_at_ms: i64,
}

/// Body of `POST /cameras/{id}/bookmarks`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookmarkInput {
    /// Epoch ms (an RFC 3339 string is accepted too).
    #[schema(value_type = vigil_base::fields::InstantParam)]
    pub at: serde_json::Value,
    /// The end of a span: epoch ms (or RFC 3339).
    #[serde(default)]
    #[schema(value_type = Option<vigil_base::fields::InstantParam>)]
    pub end: Option<serde_json::Value>,
    #[serde(default)]
    #[schema(pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$", max_length = 200)]
    pub label: String,
}

fn view(r: BookmarkRow) -> Bookmark {
    Bookmark {
        id: r.id,
        camera_id: r.camera_id,
        at_ms: r.at_ms,
        end_ms: r.end_ms,
        label: r.label,
        created_by: r.created_by,
        created_at_ms: r.created_at_ms,
    }
}

/// Bookmarks on camera timelines.
pub struct BookmarkService {
    db: Database,
    events: DeskEmitter,
    clock: Arc<dyn Clock>,
}

impl BookmarkService {
    pub fn new(db: Database, events: DeskEmitter, clock: Arc<dyn Clock>) -> BookmarkService {
        BookmarkService { db, events, clock }
    }

    pub async fn create(&self, camera_id: i64, input: BookmarkInput, by: &str) -> Result<Bookmark> {
        camera_exists(&self.db, camera_id).await?;
        let mut f = FieldErrors::new();
        let label = if input.label.trim().is_empty() {
            "Bookmark".to_string()
        } else {
            required_text(&mut f, "label", &input.label, 200)
        };
        let at = instant_value(&input.at);
        if at.is_none() {
            f.insert(
                "at".into(),
                "must be epoch milliseconds or an RFC 3339 time".into(),
            );
        }
        let end = match &input.end {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => match instant_value(v) {
                Some(e) => Some(e),
                None => {
                    f.insert(
                        "end".into(),
                        "must be epoch milliseconds or an RFC 3339 time".into(),
                    );
                    None
                }
            },
        };
        let Some(mut at_ms) = at.filter(|_| f.is_empty()) else {
            return Err(Error::validation(f));
        };
        // A span marked right to left is the same span.
        let mut end = end;
        if let Some(e) = end
            && e < at_ms
        {
            end = Some(at_ms);
            at_ms = e;
        }
        let row = BookmarkRow {
            id: 0,
            camera_id,
            at_ms,
            end_ms: end,
            label,
            created_by: by.to_string(),
            created_at_ms: self.clock.now_ms(),
        };
        let saved = self
            .db
            .write(move |c| {
                let id = q::insert(c, &row)?;
                q::get(c, id)?.ok_or_else(|| err!(Internal, "bookmark {id} vanished"))
            })
            .await?;
        let b = view(saved);
        (self.events)(DeskEvent::BookmarkCreated(b.clone()));
        Ok(b)
    }

    pub async fn list(&self, camera_id: i64, w: Window) -> Result<Vec<Bookmark>> {
        camera_exists(&self.db, camera_id).await?;
        let rows = self
            .db
            .read(move |c| q::in_range(c, camera_id, w.start_ms, w.end_ms, 10_000))
            .await?;
        Ok(rows.into_iter().map(view).collect())
    }

    pub async fn delete(&self, id: i64) -> Result<()> {
        self.delete_as(id, None, |_| true).await
    }

    /// Delete a bookmark if `owner` made it (`None`: anyone's, for admins) and its camera is
    /// one `visible` allows (a camera outside the caller's is answered as not found).
    pub async fn delete_as(
        &self,
        id: i64,
        owner: Option<String>,
        visible: impl Fn(i64) -> bool + Send + 'static,
    ) -> Result<()> {
        let row = self
            .db
            .write(move |c| {
                let row = q::get(c, id)?.filter(|r| visible(r.camera_id));
                if let (Some(r), Some(o)) = (&row, &owner)
                    && &r.created_by != o
                {
                    bail!(
                        PermissionDenied,
                        code = AuthInsufficientPermissions,
                        "only its author ({}) or an admin can delete this bookmark",
                        r.created_by
                    );
                }
                if row.is_some() {
                    q::delete(c, id)?;
                }
                Ok(row)
            })
            .await?
            .ok_or_else(|| err!(NotFound, code = BookmarkNotFound, "no bookmark {id}"))?;
        (self.events)(DeskEvent::BookmarkDeleted {
            camera_id: row.camera_id,
            bookmark_id: id,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil;
    use std::sync::Arc;

    #[tokio::test]
    async fn create_list_validate_delete_and_mark_the_timeline() {
        let t = testutil::setup();
        let svc = BookmarkService::new(t.db.clone(), t.emitter(), Arc::new(t.clock.clone()));
        let cam = testutil::camera(&t.db, "Dock").await;
        let b = svc
            .create(
                cam,
                BookmarkInput {
                    at: serde_json::json!("2026-11-21T10:00:00Z"),
                    end: Some(serde_json::json!(1_795_255_260_000i64)),
                    label: "Van at the dock".into(),
                },
                "desk",
            )
            .await
            .unwrap();
        assert_eq!(b.at_ms, 1_795_255_200_000);
        assert_eq!(b.created_by, "desk");
        let bad = svc
            .create(
                cam,
                BookmarkInput {
                    at: serde_json::json!("yesterday"),
                    end: Some(serde_json::json!(true)),
                    label: String::new(),
                },
                "desk",
            )
            .await
            .unwrap_err();
        let f = &bad.details().unwrap()["fields"];
        assert!(f["at"].is_string() && f["end"].is_string());
        let w = Window {
            start_ms: 1_795_255_000_000,
            end_ms: 1_795_256_000_000,
        };
        assert_eq!(svc.list(cam, w).await.unwrap().len(), 1);
        assert!(matches!(
            &t.seen.lock().unwrap()[0],
            DeskEvent::BookmarkCreated(b) if b.label == "Van at the dock"
        ));
        svc.delete(b.id).await.unwrap();
        assert_eq!(
            svc.delete(b.id).await.unwrap_err().code(),
            vigil_base::ErrorCode::BookmarkNotFound
        );
        assert!(svc.list(cam, w).await.unwrap().is_empty());
    }
}
