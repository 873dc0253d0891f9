//! The mover: moves and deletions that keep the index owning every file, through the
//! `storage_op` journal (Moonfire's garbage table, generalised to moves).
//!
//! A move: journal the op (`planned`) → copy to `<path>.part` on the target → fsync → check its
//! size against the source's → rename to `<path>` → fsync the directory → one durable transaction
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

/// Most moves in one batch (measured with 64 × 8 MiB before the flush and the unlinks overlapped
/// the copies: batches of 16 spent a third of the pass on per-batch flushes and unlinks, 0.67×
/// `cp` + `sync`; one batch of 64 0.78×; 32 kept most of that while a crash rolls back at most 32
/// copies, and lets the unlinks of one batch overlap the copies of the next).
pub const BATCH: usize = 32;

/// One move of a batch, from its journal row to its copy.
struct Staged {
    op: OpRow,
    src: PathBuf,
    dst: PathBuf,
    bytes: u64,
}

/// What became of each recording of a batch, by id.
pub type Outcomes = Vec<(i64, Result<Moved>)>;

/// A test's crash point hit after `step`: each of `staged` stops there.
fn crashed(staged: &[Staged], out: &mut Outcomes, step: Step) {
    for st in staged {
        out.push((st.op.recording_id, Ok(Moved::Crashed(step))));
    }
}

/// A batch whose rows already point at their new copies: what is left is removing the sources
/// ([`finish_batch`]). Until then each op stays journaled as `switched`, so a crash meanwhile
/// loses nothing: [`recover`] removes the sources.
#[derive(Default)]
pub struct Switched {
    done: Vec<Staged>,
    from_root: Option<PathBuf>,
}

impl Switched {
    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
    }
}

/// Move several recordings from one local tier to another as one batch, up to the point where
/// the index points at the copies: each is journaled and copied on its own; then one flush of the
/// target filesystem, the renames, one fsync per target directory, and one durable transaction
/// switching them all. [`finish_batch`] then unlinks the sources (one fsync per source directory)
/// and deletes the ops. Every op passes through the same states as a single move, so [`recover`]
/// finishes or rolls back each on its own. Measured (`scripts/bench.sh storage --parts mover`):
/// one move at a time paid two directory fsyncs and a durable commit per segment, 0.70× the
/// throughput of `cp` + `sync`; batched, 0.60–0.72×, level with `cp` then `rm`. Timed by phase,
/// a batch of 32 × 8 MiB spent 0.10 s copying, 0.14 s in the flush and 0.08 s unlinking (an
/// unlink of an 8 MiB file costs ~4 ms on this ext4, mounted with `discard`). Now the pass
/// finishes one batch on another thread while the next one copies, and each copy but the last
/// starts its writeback at once ([`fsx::Flush`]), so the flush waits ~0.01 s: 1.00–1.08×.
/// (Making the previous batch durable on the second thread too, instead of the write-behind,
/// measured 0.75–0.79×: a flush running beside the copies flushes them as well.)
pub fn stage_batch(
    db: &Database,
    clock: &dyn Clock,
    roots: &Roots,
    ids: &[i64],
    to: &str,
    reason: Reason,
    crash_after: Option<Step>,
) -> (Outcomes, Switched) {
    let mut out: Outcomes = vec![];
    let mut staged: Vec<Staged> = vec![];
    let drop_op = |op_id: i64| {
        let _ = db.write_blocking(move |c| sq::delete_op(c, op_id));
    };
    for (k, &id) in ids.iter().enumerate() {
        // Write-behind only where another copy follows (see `fsx::Flush`).
        let flush = if k + 1 < ids.len() {
            fsx::Flush::LaterStartNow
        } else {
            fsx::Flush::Later
        };
        let rec = match db.read_blocking(move |c| rq::get(c, id)) {
            Ok(Some(r)) if r.root != to => r,
            Ok(_) => {
                out.push((id, Ok(Moved::Skipped)));
                continue;
            }
            Err(e) => {
                out.push((id, Err(e)));
                continue;
            }
        };
        let (Some(from_dir), Some(to_dir)) = (roots.online(&rec.root), roots.online(to)) else {
            out.push((
                id,
                Err(err!(
                    Unavailable,
                    code = StorageTierOffline,
                    "moving recording {id}: tier {:?} or {to:?} is offline",
                    rec.root
                )),
            ));
            continue;
        };
        let now = clock.now_ms();
        let (r2, to_s) = (rec.clone(), to.to_string());
        let op =
            match db.write_blocking(move |c| sq::plan_move(c, &r2, &to_s, &r2.path, reason, now)) {
                Ok(Some(op)) => op,
                Ok(None) => {
                    out.push((id, Ok(Moved::Skipped)));
                    continue;
                }
                Err(e) => {
                    out.push((id, Err(e)));
                    continue;
                }
            };
        if crash_after == Some(Step::Journaled) {
            crashed(&staged, &mut out, Step::Journaled);
            out.push((id, Ok(Moved::Crashed(Step::Journaled))));
            return (out, Switched::default());
        }
        let src = from_dir.join(&rec.path);
        let dst = to_dir.join(&rec.path);
        let tmp = part_path(&dst);
        let copied = dst
            .parent()
            .map_or(Ok(()), |p| {
                std::fs::create_dir_all(p).map_err(io_err(format!("creating {}", p.display())))
            })
            .and_then(|()| {
                fsx::copy_checked(&src, &tmp, flush).map_err(io_err(format!(
                    "copying {} to {}",
                    src.display(),
                    tmp.display()
                )))
            });
        match copied {
            Ok(c) => staged.push(Staged {
                op,
                src,
                dst,
                bytes: c.bytes,
            }),
            Err(e) => {
                // Nothing points at the copy; the op goes, the row still points at the source.
                let _ = fsx::remove_if_present(&tmp);
                drop_op(op.id);
                out.push((id, Err(e)));
            }
        }
    }
    if staged.is_empty() {
        return (out, Switched::default());
    }
    // The copies are made durable together, before any rename can point at them.
    if let Some(to_dir) = roots.online(to)
        && let Err(e) = fsx::sync_filesystem(to_dir)
    {
        for st in &staged {
            let _ = fsx::remove_if_present(&part_path(&st.dst));
            drop_op(st.op.id);
            out.push((
                st.op.recording_id,
                Err(io_err(format!("flushing {}", to_dir.display()))(
                    std::io::Error::new(e.kind(), e.to_string()),
                )),
            ));
        }
        return (out, Switched::default());
    }
    if crash_after == Some(Step::Copied) {
        crashed(&staged, &mut out, Step::Copied);
        return (out, Switched::default());
    }
    let mut dirs = std::collections::BTreeSet::new();
    staged.retain(|st| {
        let tmp = part_path(&st.dst);
        match std::fs::rename(&tmp, &st.dst) {
            Ok(()) => {
                if let Some(p) = st.dst.parent() {
                    dirs.insert(p.to_path_buf());
                }
                true
            }
            Err(e) => {
                let _ = fsx::remove_if_present(&tmp);
                drop_op(st.op.id);
                out.push((
                    st.op.recording_id,
                    Err(io_err(format!("renaming {}", tmp.display()))(e)),
                ));
                false
            }
        }
    });
    for d in &dirs {
        fsx::sync_dir(d);
    }
    if crash_after == Some(Step::Renamed) {
        crashed(&staged, &mut out, Step::Renamed);
        return (out, Switched::default());
    }
    let ops: Vec<OpRow> = staged.iter().map(|st| st.op.clone()).collect();
    let (tier, now) = (to.to_string(), clock.now_ms());
    let switched = match db.write_blocking(move |c| sq::switch_moves(c, &ops, &tier, now)) {
        Ok(v) => v,
        Err(e) => {
            // Not switched: the rows still point at the sources; the copies and ops go.
            for st in &staged {
                let _ = fsx::remove_if_present(&st.dst);
                drop_op(st.op.id);
                out.push((
                    st.op.recording_id,
                    Err(vigil_base::Error::new(e.kind(), e.to_string())),
                ));
            }
            return (out, Switched::default());
        }
    };
    let mut done = vec![];
    for (st, ok) in staged.into_iter().zip(switched) {
        if ok {
            done.push(st);
        } else {
            let _ = fsx::remove_if_present(&st.dst);
            drop_op(st.op.id);
            out.push((st.op.recording_id, Ok(Moved::Skipped)));
        }
    }
    if crash_after == Some(Step::Switched) {
        crashed(&done, &mut out, Step::Switched);
        return (out, Switched::default());
    }
    let from_root = roots
        .online(
            &done
                .first()
                .map(|d| d.op.from_root.clone())
                .unwrap_or_default(),
        )
        .map(Path::to_path_buf);
    (out, Switched { done, from_root })
}

/// The rest of a batch staged by [`stage_batch`]: unlink the sources, one fsync per source
/// directory, prune emptied directories, delete the ops. Safe to run on another thread while the
/// next batch is staged.
pub fn finish_batch(db: &Database, switched: Switched, crash_after: Option<Step>) -> Outcomes {
    let Switched { done, from_root } = switched;
    let mut out: Outcomes = vec![];
    let mut src_dirs = std::collections::BTreeSet::new();
    let mut finished = vec![];
    for st in done {
        match fsx::remove_if_present(&st.src) {
            Ok(()) => {
                if let Some(p) = st.src.parent() {
                    src_dirs.insert(p.to_path_buf());
                }
                finished.push(st);
            }
            // The op stays journaled: start-up (or the next pass's recovery) removes it.
            Err(e) => out.push((
                st.op.recording_id,
                Err(io_err(format!("removing {}", st.src.display()))(e)),
            )),
        }
    }
    for d in &src_dirs {
        fsx::sync_dir(d);
    }
    if let Some(root) = &from_root {
        for st in &finished {
            fsx::prune_empty_dirs(root, &st.src);
        }
    }
    if crash_after == Some(Step::SourceRemoved) {
        crashed(&finished, &mut out, Step::SourceRemoved);
        return out;
    }
    let op_ids: Vec<i64> = finished.iter().map(|st| st.op.id).collect();
    if let Err(e) = db.write_blocking(move |c| sq::delete_ops(c, &op_ids)) {
        tracing::warn!(error = %e, "finished ops not deleted; recovery will");
    }
    for st in finished {
        out.push((st.op.recording_id, Ok(Moved::Done { bytes: st.bytes })));
    }
    out
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
