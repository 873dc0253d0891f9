//! The mover: moves and deletions that keep the index owning every file, through the
//! `storage_op` journal (Moonfire's garbage table, generalised to moves).
//!
//! A move: journal the op (`planned`) → copy to `<path>.part` on the target → fsync → read back and
//! compare size and SHA-256 → rename to `<path>` → fsync the directory → one durable transaction
//! points the row at the target and marks the op `switched` (with a history row) → unlink the
//! source → fsync its directory → delete the op. A deletion: one durable transaction deletes the
//! row and journals the unlink → unlink → delete the op.
//!
//! At every instant every row points at a complete file. [`recover`] (start-up, before the
//! recorders and before reconciliation) rolls `planned` moves back (removing any copy on the
//! target) and finishes `switched` ones (removing the source), so a `kill -9` after any step loses
//! nothing and leaves no orphan. Ops on a tier that is offline stay in the journal until it is back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use vigil_base::{Clock, ErrorKind, Result, ResultExt, err};
use vigil_db::Database;
use vigil_db::recordings::{self as rq, RecordingRow};
use vigil_db::storage::{self as sq, OpRow, Reason};

use crate::archive::{self, Archive};
use crate::fsx;

/// Where each tier's files are, and whether it can be touched now.
#[derive(Clone, Debug, Default)]
pub struct Roots {
    /// Local tiers: directory and whether online.
    pub dirs: HashMap<String, (PathBuf, bool)>,
    /// The archive tier, by name, when it is online.
    pub objects: HashMap<String, Archive>,
}

impl Roots {
    /// The directory of an online local tier.
    pub fn online(&self, name: &str) -> Option<&Path> {
        self.dirs
            .get(name)
            .and_then(|(d, on)| on.then_some(d.as_path()))
    }

    /// The archive, if `name` is it and it is online.
    pub fn archive(&self, name: &str) -> Option<&Archive> {
        self.objects.get(name)
    }
}

/// Remove `rel` from tier `root` (file or object); `false` if the tier is offline.
fn remove_from(roots: &Roots, root: &str, rel: &str) -> Result<bool> {
    if let Some(a) = roots.archive(root) {
        a.delete(rel)?;
        return Ok(true);
    }
    let Some(dir) = roots.online(root) else {
        return Ok(false);
    };
    let p = dir.join(rel);
    fsx::remove_if_present(&p).map_err(io_err(format!("removing {}", p.display())))?;
    if let Some(parent) = p.parent() {
        fsx::sync_dir(parent);
    }
    fsx::prune_empty_dirs(dir, &p);
    Ok(true)
}

/// A point in the move protocol after which a test can make the mover stop dead, as a crash
/// would (nothing after it runs, nothing is cleaned up).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Journaled,
    Copied,
    Renamed,
    Switched,
    SourceRemoved,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Journaled,
        Step::Copied,
        Step::Renamed,
        Step::Switched,
        Step::SourceRemoved,
    ];
}

/// What a move did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Moved {
    Done {
        bytes: u64,
    },
    /// The row changed meanwhile (deleted, or moved by someone else): nothing to do.
    Skipped,
    /// Stopped at a crash point (tests).
    Crashed(Step),
}

fn io_err(what: String) -> impl FnOnce(std::io::Error) -> vigil_base::Error {
    move |e| {
        if e.kind() == std::io::ErrorKind::StorageFull {
            return vigil_base::Error::new(ErrorKind::ResourceExhausted, what)
                .with_code(vigil_base::ErrorCode::StorageFull)
                .with_source(e);
        }
        vigil_base::Error::new(ErrorKind::Unavailable, what).with_source(e)
    }
}

fn part_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".part");
    PathBuf::from(s)
}

/// Move recording `id` to tier `to` (its root is the tier name). `crash_after` is for tests.
pub fn move_recording(
    db: &Database,
    clock: &dyn Clock,
    roots: &Roots,
    id: i64,
    to: &str,
    reason: Reason,
    crash_after: Option<Step>,
) -> Result<Moved> {
    let Some(rec) = db.read_blocking(move |c| rq::get(c, id))? else {
        return Ok(Moved::Skipped);
    };
    if rec.root == to {
        return Ok(Moved::Skipped);
    }
    if let (Some(from_dir), Some(ar)) = (roots.online(&rec.root), roots.archive(to)) {
        return move_to_archive(
            db,
            clock,
            roots,
            from_dir,
            ar,
            &rec,
            to,
            reason,
            crash_after,
        );
    }
    let (Some(from_dir), Some(to_dir)) = (roots.online(&rec.root), roots.online(to)) else {
        return Err(err!(
            Unavailable,
            code = StorageTierOffline,
            "moving recording {id}: tier {:?} or {to:?} is offline",
            rec.root
        ));
    };
    let now = clock.now_ms();
    let (r2, to_s) = (rec.clone(), to.to_string());
    let Some(op) =
        db.write_blocking(move |c| sq::plan_move(c, &r2, &to_s, &r2.path, reason, now))?
    else {
        return Ok(Moved::Skipped);
    };
    if crash_after == Some(Step::Journaled) {
        return Ok(Moved::Crashed(Step::Journaled));
    }
    let src = from_dir.join(&rec.path);
    let dst = to_dir.join(&rec.path);
    let tmp = part_path(&dst);
    let copied = (|| {
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent)
                .map_err(io_err(format!("creating {}", parent.display())))?;
        }
        fsx::copy_verified(&src, &tmp).map_err(io_err(format!(
            "copying {} to {}",
            src.display(),
            tmp.display()
        )))
    })();
    let copied = match copied {
        Ok(c) => c,
        Err(e) => {
            // Nothing points at the copy; the op goes, the row still points at the source.
            let _ = fsx::remove_if_present(&tmp);
            let op_id = op.id;
            db.write_blocking(move |c| sq::delete_op(c, op_id))?;
            return Err(e);
        }
    };
    if crash_after == Some(Step::Copied) {
        return Ok(Moved::Crashed(Step::Copied));
    }
    std::fs::rename(&tmp, &dst).map_err(io_err(format!("renaming {}", tmp.display())))?;
    if let Some(parent) = dst.parent() {
        fsx::sync_dir(parent);
    }
    if crash_after == Some(Step::Renamed) {
        return Ok(Moved::Crashed(Step::Renamed));
    }
    let (op2, tier) = (op.clone(), to.to_string());
    let now = clock.now_ms();
    let switched = db.write_blocking(move |c| sq::switch_move(c, &op2, &tier, now))?;
    if !switched {
        let _ = fsx::remove_if_present(&dst);
        let op_id = op.id;
        db.write_blocking(move |c| sq::delete_op(c, op_id))?;
        return Ok(Moved::Skipped);
    }
    if crash_after == Some(Step::Switched) {
        return Ok(Moved::Crashed(Step::Switched));
    }
    finish_unlink(db, roots, &op, crash_after)?;
    if crash_after == Some(Step::SourceRemoved) {
        return Ok(Moved::Crashed(Step::SourceRemoved));
    }
    Ok(Moved::Done {
        bytes: copied.bytes,
    })
}

/// A local segment to the archive: journal → multipart upload → `HEAD` verifies the size → one
/// durable transaction points the row at the object → unlink the local file → delete the op. The
/// object is invisible until the upload completes, so there is no `.part` and no rename (a crash
/// "after the rename" is the same point as after the upload).
#[allow(clippy::too_many_arguments)]
fn move_to_archive(
    db: &Database,
    clock: &dyn Clock,
    roots: &Roots,
    from_dir: &Path,
    ar: &Archive,
    rec: &RecordingRow,
    to: &str,
    reason: Reason,
    crash_after: Option<Step>,
) -> Result<Moved> {
    let id = rec.id;
    let rel = archive::segment_key(rec.camera_id, rec.start_ms, &rec.path);
    let now = clock.now_ms();
    let (r2, to_s, rel2) = (rec.clone(), to.to_string(), rel.clone());
    let Some(op) = db.write_blocking(move |c| sq::plan_move(c, &r2, &to_s, &rel2, reason, now))?
    else {
        return Ok(Moved::Skipped);
    };
    if crash_after == Some(Step::Journaled) {
        return Ok(Moved::Crashed(Step::Journaled));
    }
    let src = from_dir.join(&rec.path);
    let bytes = match ar.upload(&src, &rel) {
        Ok(b) => b,
        Err(e) => {
            // Nothing points at the object; it and the op go, the row stays on the local file.
            let _ = ar.delete(&rel);
            let op_id = op.id;
            db.write_blocking(move |c| sq::delete_op(c, op_id))?;
            return Err(e.context(&format!("archiving recording {id}")));
        }
    };
    for step in [Step::Copied, Step::Renamed] {
        if crash_after == Some(step) {
            return Ok(Moved::Crashed(step));
        }
    }
    let (op2, tier) = (op.clone(), to.to_string());
    let now = clock.now_ms();
    if !db.write_blocking(move |c| sq::switch_move(c, &op2, &tier, now))? {
        let _ = ar.delete(&rel);
        let op_id = op.id;
        db.write_blocking(move |c| sq::delete_op(c, op_id))?;
        return Ok(Moved::Skipped);
    }
    if crash_after == Some(Step::Switched) {
        return Ok(Moved::Crashed(Step::Switched));
    }
    finish_unlink(db, roots, &op, crash_after)?;
    if crash_after == Some(Step::SourceRemoved) {
        return Ok(Moved::Crashed(Step::SourceRemoved));
    }
    Ok(Moved::Done { bytes })
}

/// Remove the op's source (its row no longer points there), then the op. A source on an offline
/// tier stays journaled.
fn finish_unlink(
    db: &Database,
    roots: &Roots,
    op: &OpRow,
    crash_after: Option<Step>,
) -> Result<()> {
    if !remove_from(roots, &op.from_root, &op.from_path)? {
        return Ok(());
    }
    if crash_after == Some(Step::SourceRemoved) {
        return Ok(());
    }
    let op_id = op.id;
    db.write_blocking(move |c| sq::delete_op(c, op_id))
}

/// Delete recording `id` (row first, durably, then its file). `None` if there is no such row or
/// it is still being written. A file on an offline tier stays journaled until the tier is back.
pub fn delete_recording(
    db: &Database,
    clock: &dyn Clock,
    roots: &Roots,
    id: i64,
    reason: Reason,
) -> Result<Option<RecordingRow>> {
    let now = clock.now_ms();
    let Some((op, rec)) = db.write_blocking(move |c| sq::delete_with_op(c, id, reason, now))?
    else {
        return Ok(None);
    };
    finish_unlink(db, roots, &op, None)?;
    Ok(Some(rec))
}

/// What [`recover`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Recovered {
    pub rolled_back: usize,
    pub finished: usize,
    /// Ops left for a tier that is offline.
    pub waiting: usize,
}

/// Finish or roll back every op in the journal.
pub fn recover(db: &Database, roots: &Roots) -> Result<Recovered> {
    let mut out = Recovered::default();
    for op in db.read_blocking(sq::ops)? {
        let referenced = |root: &str, path: &str| -> Result<bool> {
            let (root, path) = (root.to_string(), path.to_string());
            db.read_blocking(move |c| {
                c.query_row(
                    "SELECT 1 FROM recording WHERE root = ?1 AND path = ?2",
                    [&root, &path],
                    |_| Ok(()),
                )
                .map(|_| true)
                .or_else(|e| match e {
                    vigil_db::rusqlite::Error::QueryReturnedNoRows => Ok(false),
                    e => Err(err!(Internal, "reading recording").with_source(e)),
                })
            })
        };
        match (&op.to, op.switched) {
            (Some((to_root, to_path)), false) => {
                // Planned: the row still points at the source. Remove whatever reached the target.
                if let Some(ar) = roots.archive(to_root) {
                    if !referenced(to_root, to_path)? {
                        ar.delete(to_path)?;
                    }
                } else {
                    let Some(dir) = roots.online(to_root) else {
                        out.waiting += 1;
                        continue;
                    };
                    let dst = dir.join(to_path);
                    let _ = fsx::remove_if_present(&part_path(&dst));
                    if !referenced(to_root, to_path)? {
                        fsx::remove_if_present(&dst).err_kind(ErrorKind::Unavailable, || {
                            format!("removing {}", dst.display())
                        })?;
                        fsx::prune_empty_dirs(dir, &dst);
                    }
                }
                let op_id = op.id;
                db.write_blocking(move |c| sq::delete_op(c, op_id))?;
                tracing::info!(
                    recording_id = op.recording_id,
                    "rolled back an interrupted move"
                );
                out.rolled_back += 1;
            }
            _ => {
                // Switched move or deletion: the row no longer points at the source.
                if roots.online(&op.from_root).is_none() && roots.archive(&op.from_root).is_none() {
                    out.waiting += 1;
                    continue;
                }
                if referenced(&op.from_root, &op.from_path)? {
                    // Cannot happen through the mover; never delete a file a row points at.
                    let op_id = op.id;
                    db.write_blocking(move |c| sq::delete_op(c, op_id))?;
                    continue;
                }
                finish_unlink(db, roots, &op, None)?;
                tracing::info!(
                    recording_id = op.recording_id,
                    "finished an interrupted move or deletion"
                );
                out.finished += 1;
            }
        }
    }
    Ok(out)
}
