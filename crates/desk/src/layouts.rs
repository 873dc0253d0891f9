//! Camera-grid layouts, saved per user (the token's name): named arrangements of camera tiles
//! on a 12-column grid, one of them the default. Validation keeps every tile inside the grid, on
//! an existing camera, and off every other tile, with one message per bad field.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigil_base::{Clock, Error, ErrorCode, ErrorKind, FieldErrors, Result, err};
use vigil_db::Database;
use vigil_db::layouts::{self as q, LayoutRow};

use crate::{DeskEmitter, DeskEvent};
use vigil_base::fields::required_text;

/// Columns of the grid; presets 1/4/9/16 are 12, 6, 4 and 3 columns wide.
pub const GRID_COLUMNS: u32 = 12;
/// Rows a layout may reach.
pub const GRID_ROWS: u32 = 48;
/// Tiles a layout may hold.
pub const MAX_TILES: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// Column, 0–11.
    #[schema(minimum = 0, maximum = 11)]
    pub x: u32,
    /// Row, 0–47.
    #[schema(minimum = 0, maximum = 47)]
    pub y: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Size {
    /// Columns, 1–12.
    #[schema(minimum = 1, maximum = 12)]
    pub width: u32,
    /// Rows, 1–48.
    #[schema(minimum = 1, maximum = 48)]
    pub height: u32,
}

/// One camera's tile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Tile {
    pub camera_id: i64,
    pub position: Position,
    pub size: Size,
}

impl Tile {
    fn overlaps(&self, o: &Tile) -> bool {
        let (a, b) = (self, o);
        a.position.x < b.position.x + b.size.width
            && b.position.x < a.position.x + a.size.width
            && a.position.y < b.position.y + b.size.height
            && b.position.y < a.position.y + a.size.height
    }
}

/// A saved layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub id: i64,
    pub name: String,
    pub layout: Vec<Tile>,
    pub is_default: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

/// Body of `POST /layouts` and `PUT /layouts/{id}`.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LayoutInput {
    #[schema(
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\s\\u0000-\\u001f\\u007f-\\u009f][^\\u0000-\\u001f\\u007f-\\u009f]*$",
        max_length = 100
    )]
    pub name: String,
    /// At most 64 tiles, inside the 12 × 48 grid, apart, on existing cameras (a tile that
    /// overlaps another or reaches past the grid is a 409 `LAYOUT_CONFLICT`, a missing camera
    /// a 404 `CAMERA_NOT_FOUND`, both naming the tile's field).
    #[schema(max_items = 64)]
    pub layout: Vec<Tile>,
    #[serde(default)]
    pub is_default: bool,
}

fn view(r: LayoutRow) -> Result<Layout> {
    Ok(Layout {
        id: r.id,
        name: r.name,
        layout: serde_json::from_str(&r.layout_json)
            .map_err(|e| err!(Internal, "layout {} is corrupt: {e}", r.id))?,
        is_default: r.is_default,
        created_at_ms: r.created_at_ms,
        updated_at_ms: r.updated_at_ms,
    })
}

fn not_found(id: i64) -> Error {
    err!(NotFound, code = LayoutNotFound, "no layout {id}")
}

/// Check the tiles against the grid, each other and the cameras that exist. What a field alone
/// decides (the name, sizes, positions, the tile count) is a 400; then tiles that do not fit
/// together (409 `LAYOUT_CONFLICT`) or name a camera that does not exist (404), one message per
/// tile field either way.
fn validate(input: &LayoutInput, cameras: &[i64]) -> Result<String> {
    let mut f = FieldErrors::new();
    let name = required_text(&mut f, "name", &input.name, 100);
    if input.layout.len() > MAX_TILES {
        f.insert("layout".into(), format!("holds at most {MAX_TILES} tiles"));
    }
    for (i, t) in input.layout.iter().enumerate() {
        let at = |k: &str| format!("layout[{i}].{k}");
        if !(1..=GRID_COLUMNS).contains(&t.size.width) {
            f.insert(
                at("size.width"),
                format!("must be 1 to {GRID_COLUMNS} columns"),
            );
        }
        if !(1..=GRID_ROWS).contains(&t.size.height) {
            f.insert(at("size.height"), format!("must be 1 to {GRID_ROWS} rows"));
        }
        if t.position.x >= GRID_COLUMNS {
            f.insert(
                at("position.x"),
                format!("must be 0 to {}", GRID_COLUMNS - 1),
            );
        }
        if t.position.y >= GRID_ROWS {
            f.insert(at("position.y"), format!("must be 0 to {}", GRID_ROWS - 1));
        }
    }
    if !f.is_empty() {
        return Err(Error::validation(f));
    }
    let mut geometry = false;
    for (i, t) in input.layout.iter().enumerate() {
        let at = |k: &str| format!("layout[{i}].{k}");
        if !cameras.contains(&t.camera_id) {
            f.insert(at("camera_id"), format!("no camera {}", t.camera_id));
        }
        if t.position.x + t.size.width > GRID_COLUMNS {
            geometry = true;
            f.insert(
                at("position.x"),
                format!("puts the tile past column {GRID_COLUMNS}"),
            );
        }
        if t.position.y + t.size.height > GRID_ROWS {
            geometry = true;
            f.insert(
                at("position.y"),
                format!("puts the tile past row {GRID_ROWS}"),
            );
        }
        if let Some(j) = input.layout[..i].iter().position(|o| o.overlaps(t)) {
            geometry = true;
            f.insert(at("position"), format!("overlaps layout[{j}]"));
        }
    }
    if f.is_empty() {
        return Ok(name);
    }
    let (kind, code, what) = if geometry {
        (
            ErrorKind::FailedPrecondition,
            ErrorCode::LayoutConflict,
            "tiles overlap or reach past the grid",
        )
    } else {
        (
            ErrorKind::NotFound,
            ErrorCode::CameraNotFound,
            "a tile names a camera that does not exist",
        )
    };
    let summary: Vec<String> = f.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    Err(Error::new(kind, format!("{what}: {}", summary.join("; ")))
        .with_code(code)
        .with_details(serde_json::json!({ "fields": f })))
}

/// Camera-grid layouts, per user.
pub struct LayoutService {
    db: Database,
    events: DeskEmitter,
    clock: Arc<dyn Clock>,
}

impl LayoutService {
    pub fn new(db: Database, events: DeskEmitter, clock: Arc<dyn Clock>) -> LayoutService {
        LayoutService { db, events, clock }
    }

    pub async fn list(&self, owner: &str) -> Result<Vec<Layout>> {
        let owner = owner.to_string();
        let rows = self.db.read(move |c| q::list(c, &owner)).await?;
        rows.into_iter().map(view).collect()
    }

    pub async fn get(&self, owner: &str, id: i64) -> Result<Layout> {
        let owner = owner.to_string();
        let row = self.db.read(move |c| q::get(c, &owner, id)).await?;
        view(row.ok_or_else(|| not_found(id))?)
    }

    /// Create (`id` None) or replace a layout of `owner`.
    pub async fn save(&self, owner: &str, id: Option<i64>, input: LayoutInput) -> Result<Layout> {
        let cameras: Vec<i64> = self
            .db
            .read(vigil_db::cameras::list)
            .await?
            .iter()
            .filter(|c| c.removed_at_ms.is_none())
            .map(|c| c.id)
            .collect();
        let name = validate(&input, &cameras)?;
        let now = self.clock.now_ms();
        let layout_json = serde_json::to_string(&input.layout)
            .map_err(|e| err!(Internal, "encoding a layout: {e}"))?;
        let owner_s = owner.to_string();
        let saved = self
            .db
            .write(move |c| {
                let mut row = LayoutRow {
                    id: 0,
                    owner: owner_s.clone(),
                    name,
                    layout_json,
                    is_default: input.is_default,
                    created_at_ms: now,
                    updated_at_ms: now,
                };
                if let Some(id) = id {
                    let current = q::get(c, &owner_s, id)?.ok_or_else(|| not_found(id))?;
                    row.id = id;
                    row.created_at_ms = current.created_at_ms;
                }
                let id = q::save(c, &row).map_err(|e| {
                    if q::is_duplicate_name(&e) {
                        let mut f = FieldErrors::new();
                        f.insert(
                            "name".into(),
                            "you already have a layout of this name".into(),
                        );
                        err!(
                            AlreadyExists,
                            code = LayoutNameTaken,
                            "you already have a layout of this name"
                        )
                        .with_details(serde_json::json!({ "fields": f }))
                    } else {
                        e
                    }
                })?;
                q::get(c, &owner_s, id)?.ok_or_else(|| not_found(id))
            })
            .await?;
        let layout = view(saved)?;
        (self.events)(DeskEvent::LayoutSaved {
            layout_id: layout.id,
            owner: owner.to_string(),
        });
        Ok(layout)
    }

    pub async fn delete(&self, owner: &str, id: i64) -> Result<()> {
        let o = owner.to_string();
        if !self.db.write(move |c| q::delete(c, &o, id)).await? {
            return Err(not_found(id));
        }
        (self.events)(DeskEvent::LayoutDeleted {
            layout_id: id,
            owner: owner.to_string(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil;
    use std::sync::Arc;

    fn tile(camera_id: i64, x: u32, y: u32, w: u32, h: u32) -> Tile {
        Tile {
            camera_id,
            position: Position { x, y },
            size: Size {
                width: w,
                height: h,
            },
        }
    }

    #[test]
    fn tiles_stay_in_the_grid_on_cameras_and_apart() {
        let ok = LayoutInput {
            name: " Quad ".into(),
            layout: vec![
                tile(1, 0, 0, 6, 6),
                tile(2, 6, 0, 6, 6),
                tile(1, 0, 6, 12, 6),
            ],
            is_default: false,
        };
        assert_eq!(validate(&ok, &[1, 2]).unwrap(), "Quad");
        let bad = LayoutInput {
            name: "".into(),
            layout: vec![
                tile(1, 0, 0, 6, 6),
                tile(9, 3, 3, 6, 6),
                tile(1, 8, 0, 6, 2),
                tile(1, 0, 46, 2, 4),
                tile(1, 0, 20, 0, 1),
            ],
            is_default: false,
        };
        // Fields alone first: 400.
        let e = validate(&bad, &[1]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::ValidationFailed);
        let f = &e.details().unwrap()["fields"];
        assert_eq!(f["name"], "is required");
        assert!(f["layout[4].size.width"].is_string());
        assert!(f.get("layout[1].position").is_none());
        // Then tiles together: overlaps and edges are a conflict, naming every bad tile.
        let mut bad = bad;
        bad.name = "Bad".into();
        bad.layout.pop();
        let e = validate(&bad, &[1]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::LayoutConflict);
        let f = &e.details().unwrap()["fields"];
        assert_eq!(f["layout[1].camera_id"], "no camera 9");
        assert_eq!(f["layout[1].position"], "overlaps layout[0]");
        assert!(f["layout[2].position.x"].is_string());
        assert!(f["layout[3].position.y"].is_string());
        // Only a missing camera: not found.
        let e = validate(
            &LayoutInput {
                name: "One".into(),
                layout: vec![tile(7, 0, 0, 1, 1)],
                is_default: false,
            },
            &[1],
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::CameraNotFound);
        assert_eq!(
            e.details().unwrap()["fields"]["layout[0].camera_id"],
            "no camera 7"
        );
    }

    #[tokio::test]
    async fn layouts_are_per_user_with_one_default() {
        let t = testutil::setup();
        let svc = LayoutService::new(t.db.clone(), t.emitter(), Arc::new(t.clock.clone()));
        let cam = testutil::camera(&t.db, "Door").await;
        let input = |name: &str, default| LayoutInput {
            name: name.into(),
            layout: vec![tile(cam, 0, 0, 12, 12)],
            is_default: default,
        };
        let a = svc.save("desk", None, input("One", true)).await.unwrap();
        let b = svc.save("desk", None, input("Two", true)).await.unwrap();
        let dup = svc
            .save("desk", None, input("One", false))
            .await
            .unwrap_err();
        assert_eq!(dup.code(), vigil_base::ErrorCode::LayoutNameTaken);
        assert!(dup.details().unwrap()["fields"]["name"].is_string());
        let list = svc.list("desk").await.unwrap();
        assert_eq!(list.len(), 2);
        assert!(list.iter().find(|l| l.id == b.id).unwrap().is_default);
        assert!(!list.iter().find(|l| l.id == a.id).unwrap().is_default);
        assert!(svc.list("night").await.unwrap().is_empty());
        let other = svc.get("night", a.id).await.unwrap_err();
        assert_eq!(other.code(), vigil_base::ErrorCode::LayoutNotFound);
        let replaced = svc
            .save("desk", Some(a.id), input("One bigger", false))
            .await
            .unwrap();
        assert_eq!(replaced.name, "One bigger");
        assert_eq!(replaced.created_at_ms, a.created_at_ms);
        svc.delete("desk", a.id).await.unwrap();
        assert_eq!(
            svc.delete("desk", a.id).await.unwrap_err().code(),
            vigil_base::ErrorCode::LayoutNotFound
        );
    }
}
