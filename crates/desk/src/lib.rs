//! The operator's desk: what people arrange and mark rather than what cameras send — camera-grid
//! layouts per user (`layouts`) and bookmarks on camera timelines (`bookmarks`). Each service
//! keeps its rows in the database and tells its owner what changed through a [`DeskEmitter`].

pub mod bookmarks;
pub mod layouts;

use std::sync::Arc;

use vigil_base::{Result, err};
use vigil_db::Database;

pub use bookmarks::{Bookmark, BookmarkInput, BookmarkService};
pub use layouts::{Layout, LayoutInput, LayoutService, Tile};

/// What changed on the desk (the owner announces it on its event bus).
#[derive(Clone, Debug)]
pub enum DeskEvent {
    BookmarkCreated(Bookmark),
    BookmarkDeleted { camera_id: i64, bookmark_id: i64 },
    LayoutSaved { layout_id: i64, owner: String },
    LayoutDeleted { layout_id: i64, owner: String },
}

/// Where [`DeskEvent`]s go.
pub type DeskEmitter = Arc<dyn Fn(DeskEvent) + Send + Sync>;

/// `CAMERA_NOT_FOUND` unless camera `id` exists.
async fn camera_exists(db: &Database, id: i64) -> Result<()> {
    match db.read(move |c| vigil_db::cameras::get(c, id)).await? {
        Some(_) => Ok(()),
        None => Err(err!(
            NotFound,
            code = CameraNotFound,
            "camera {id} not found"
        )),
    }
}

#[cfg(test)]
pub(crate) mod testutil {
    use std::sync::Mutex;

    use super::*;

    pub struct T {
        pub db: Database,
        pub seen: Arc<Mutex<Vec<DeskEvent>>>,
        pub clock: vigil_base::SimulatedClock,
        _dir: tempfile::TempDir,
    }

    impl T {
        pub fn emitter(&self) -> DeskEmitter {
            let seen = self.seen.clone();
            Arc::new(move |e| seen.lock().unwrap_or_else(|p| p.into_inner()).push(e))
        }
    }

    pub fn setup() -> T {
        let dir = tempfile::tempdir().expect("tempdir");
        T {
            db: Database::open(&dir.path().join("v.db")).expect("db"),
            seen: Arc::default(),
            clock: vigil_base::SimulatedClock::new(1_763_712_000_000),
            _dir: dir,
        }
    }

    /// A camera row to hang things on.
    pub async fn camera(db: &Database, name: &str) -> i64 {
        let name = name.to_string();
        db.write(move |c| {
            c.execute(
                "INSERT INTO camera (name, source_kind, source_json, created_at_ms, updated_at_ms) \
                 VALUES (?1, 'file', '{}', 0, 0)",
                [name],
            )
            .map_err(|e| err!(Internal, "{e}"))?;
            Ok(c.last_insert_rowid())
        })
        .await
        .expect("camera")
    }
}
