//! File operations of the mover: a durable, checked copy, directory fsync, and tidying of empty
//! per-day directories.
//!
//! Measured decision (`scripts/bench.sh storage --parts mover`, 64 × 8 MiB on one disk): the
//! first mover hashed the source with SHA-256 while copying through a 1 MiB buffer, then read the
//! fsynced target back and compared — 0.34× the throughput of `cp` + `sync`. The read-back comes
//! from the page cache, so it checks the kernel's copy of what was just written, not the disk:
//! it guards against nothing the write and fsync results do not already report. The copy is now
//! the kernel's (`std::fs::copy`: `copy_file_range`, a reflink where the filesystem offers one),
//! then fsync, then the target's size checked against the source's and the index's.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::Path;

/// fsync a directory (after a rename or unlink in it). Errors are ignored: some filesystems
/// (network mounts) refuse to open directories for sync, and the data itself is already synced.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// What a checked copy wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Copied {
    pub bytes: u64,
}

/// Copy `src` to `dst` (created or truncated), fsync it, and check that it holds as many bytes
/// as the source. The caller renames `dst` into place afterwards; on error `dst` is removed.
pub fn copy_verified(src: &Path, dst: &Path) -> io::Result<Copied> {
    copy_checked(src, dst, Flush::Now)
}

/// How [`copy_checked`] leaves the copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flush {
    /// fsync it before returning.
    Now,
    /// The caller flushes a batch of copies at once with [`sync_filesystem`].
    Later,
    /// As `Later`, but the copy's writeback starts at once, so it reaches the disk while the
    /// batch's next copies are made and the batch's flush waits mostly for the last. Only for a
    /// copy that more copies follow: the call is not free (measured: starting it for each of
    /// Vigil's one-segment passes while recording doubled Vigil's CPU in `scripts/bench.sh
    /// storage --parts recording`, 0.38 s → 0.75 s), and before a flush that follows at once it
    /// gains nothing.
    LaterStartNow,
}

/// [`copy_verified`] with the fsync left to the caller unless `flush` is [`Flush::Now`]: a batch
/// copies all its files, then makes them durable with one [`sync_filesystem`]. Measured with
/// 32 × 8 MiB: with the writeback left to the flush, the flush took 0.14 s after 0.10 s of
/// copying; started per file, 0.01 s after 0.13 s.
pub fn copy_checked(src: &Path, dst: &Path, flush: Flush) -> io::Result<Copied> {
    let r = copy_inner(src, dst, flush);
    if r.is_err() {
        let _ = fs::remove_file(dst);
    }
    r
}

fn copy_inner(src: &Path, dst: &Path, flush: Flush) -> io::Result<Copied> {
    let want = fs::metadata(src)?.len();
    let copied = fs::copy(src, dst)?;
    let out = OpenOptions::new().write(true).open(dst)?;
    match flush {
        Flush::Now => out.sync_all()?,
        Flush::LaterStartNow => start_writeback(&out),
        Flush::Later => {}
    }
    let got = out.metadata()?.len();
    if copied != want || got != want {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{} holds {got} bytes after copying {copied} of {want}",
                dst.display()
            ),
        ));
    }
    Ok(Copied { bytes: got })
}

/// Ask the kernel to start writing `f`'s dirty pages now, without waiting for them
/// (`posix_fadvise(DONTNEED)`: on Linux it starts writeback, then drops the pages already clean,
/// so old footage on its way to a colder tier does not crowd the page cache). Best effort: it
/// changes when data is written, never whether (the flush that follows makes it durable).
fn start_writeback(f: &File) {
    let _ = rustix::fs::fadvise(f, 0, None, rustix::fs::Advice::DontNeed);
}

/// Flush everything written to the filesystem holding `dir` (`syncfs`): one flush for a batch of
/// copies instead of one fsync each. Measured (`scripts/bench.sh storage --parts mover`): fsyncs
/// one file at a time serialise the disk's writes (0.52–0.70× `cp` + `sync`); one flush lets the
/// kernel write them all at once, as `sync -f` does.
pub fn sync_filesystem(dir: &Path) -> io::Result<()> {
    let d = File::open(dir)?;
    rustix::fs::syncfs(&d).map_err(io::Error::from)
}

/// Remove a file; a file already gone is fine.
pub fn remove_if_present(p: &Path) -> io::Result<()> {
    match fs::remove_file(p) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Remove the now empty directories between `file`'s parent and `root` (exclusive), fsyncing
/// each parent. Stops at the first directory that is not empty.
pub fn prune_empty_dirs(root: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == root || !d.starts_with(root) {
            break;
        }
        if fs::remove_dir(d).is_err() {
            break;
        }
        if let Some(p) = d.parent() {
            sync_dir(p);
        }
        dir = d.parent();
    }
}

/// Bytes `[offset, offset + len)` of a file (blocking). A missing file is `RECORDING_MISSING`.
pub fn read_range(path: &Path, offset: u64, len: u64) -> vigil_base::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    use vigil_base::err;
    let mut f = fs::File::open(path)
        .map_err(|e| err!(NotFound, code = RecordingMissing, "{}: {e}", path.display()))?;
    f.seek(SeekFrom::Start(offset))
        .map_err(|e| err!(Unavailable, "seek: {e}"))?;
    let mut buf =
        vec![0u8; usize::try_from(len).map_err(|_| err!(InvalidArgument, "range too large"))?];
    f.read_exact(&mut buf)
        .map_err(|e| err!(Unavailable, "reading {}: {e}", path.display()))?;
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_and_verifies() {
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("a.mp4");
        let body: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&src, &body).unwrap();
        let dst = d.path().join("b.part");
        let c = copy_verified(&src, &dst).unwrap();
        assert_eq!(c.bytes, body.len() as u64);
        assert_eq!(fs::read(&dst).unwrap(), body);
        // A missing source leaves no target behind.
        let dst2 = d.path().join("c.part");
        assert!(copy_verified(&d.path().join("nope"), &dst2).is_err());
        assert!(!dst2.exists());
        let nested = d.path().join("1/2026-12-03/10/x.mp4");
        fs::create_dir_all(nested.parent().unwrap()).unwrap();
        fs::write(&nested, b"x").unwrap();
        fs::remove_file(&nested).unwrap();
        prune_empty_dirs(d.path(), &nested);
        assert!(!d.path().join("1").exists());
        assert!(d.path().exists());
    }
}
