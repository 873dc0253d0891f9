//! The file a segment is appended to, written with O_DIRECT where the filesystem allows it. Why:
//! recordings are written once and rarely read back soon, yet buffered writes copy every byte
//! into the page cache — in the recording benchmark that copy was a third of Vigil's CPU, and 16
//! cameras fill gigabytes of cache an hour, evicting what the machine does need. Direct writes
//! go from our buffer to the disk.
//!
//! O_DIRECT wants block-aligned offsets, lengths and memory. Each append is written through at
//! once (a process crash loses nothing already appended): the complete blocks, then the partial
//! last block padded with zeros, which the next append rewrites. On disk a segment being written
//! may so end in up to a block of zeros; the index never claims them, the start-up repair reads
//! them as a torn tail, and `finish` trims the file to its real length. Where O_DIRECT is refused
//! (tmpfs, some network filesystems) the file is written through the page cache as before.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{FileExt, OpenOptionsExt};
use std::path::Path;

/// Alignment of offsets, lengths and memory for direct I/O (covers 512- and 4096-byte sectors).
const BLOCK: usize = 4096;

pub(crate) struct SegmentFile {
    file: File,
    /// `None` when writing through the page cache.
    direct: Option<Staging>,
    len: u64,
}

/// The aligned buffer: the unwritten part of the file's last block, then new data.
struct Staging {
    /// Over-allocated by a block so an aligned window fits; never reallocated while in use.
    mem: Vec<u8>,
    /// Where the aligned window starts in `mem`.
    start: usize,
    /// Bytes of the window in use (the first of them belong at file offset `base`).
    used: usize,
    /// File offset of the window's first byte (a multiple of BLOCK).
    base: u64,
}

impl Staging {
    fn with_capacity(cap: usize) -> Staging {
        let cap = cap.div_ceil(BLOCK) * BLOCK;
        let mem = vec![0u8; cap + BLOCK];
        let start = mem.as_ptr().align_offset(BLOCK).min(BLOCK);
        Staging {
            mem,
            start,
            used: 0,
            base: 0,
        }
    }
    fn capacity(&self) -> usize {
        self.mem.len() - BLOCK
    }
    /// Make room for `extra` more bytes, keeping what is staged (a new buffer, realigned).
    fn reserve(&mut self, extra: usize) {
        if self.used + extra <= self.capacity() {
            return;
        }
        let mut bigger = Staging::with_capacity((self.used + extra).max(2 * self.capacity()));
        bigger.mem[bigger.start..bigger.start + self.used]
            .copy_from_slice(&self.mem[self.start..self.start + self.used]);
        bigger.used = self.used;
        bigger.base = self.base;
        *self = bigger;
    }
}

impl SegmentFile {
    /// Create `path` (which must not exist).
    pub(crate) fn create_new(path: &Path) -> std::io::Result<SegmentFile> {
        let direct = OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(libc::O_DIRECT)
            .open(path);
        match direct {
            Ok(file) => Ok(SegmentFile {
                file,
                direct: Some(Staging::with_capacity(512 << 10)),
                len: 0,
            }),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                // The filesystem has no direct I/O. create_new failed before creating anything.
                let file = OpenOptions::new().write(true).create_new(true).open(path)?;
                Ok(SegmentFile {
                    file,
                    direct: None,
                    len: 0,
                })
            }
            Err(e) => Err(e),
        }
    }

    /// Whether writes bypass the page cache.
    #[cfg(test)]
    pub(crate) fn is_direct(&self) -> bool {
        self.direct.is_some()
    }

    /// Append `data` and hand it to the OS (not yet durable: see `sync`).
    pub(crate) fn append(&mut self, data: &[u8]) -> std::io::Result<()> {
        let Some(s) = self.direct.as_mut() else {
            self.file.write_all(data)?;
            self.len += data.len() as u64;
            return Ok(());
        };
        s.reserve(data.len());
        let at = s.start + s.used;
        s.mem[at..at + data.len()].copy_from_slice(data);
        s.used += data.len();
        self.len += data.len() as u64;
        match write_through(&self.file, s) {
            Ok(()) => Ok(()),
            Err(e) if e.raw_os_error() == Some(libc::EINVAL) => {
                // Opened with O_DIRECT but refused at write time: continue buffered, rewriting
                // the staged bytes at their place.
                let s = self
                    .direct
                    .take()
                    .unwrap_or_else(|| Staging::with_capacity(0));
                self.file = reopen_buffered(&self.file)?;
                self.file
                    .write_all_at(&s.mem[s.start..s.start + s.used], s.base)?;
                use std::io::{Seek, SeekFrom};
                self.file.seek(SeekFrom::Start(self.len))?;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// Make everything appended so far durable.
    pub(crate) fn sync(&self) -> std::io::Result<()> {
        self.file.sync_data()
    }

    /// Cut the file back to `len` bytes (what is known to be on disk, after a failed write) and
    /// sync. Nothing more is appended after this.
    pub(crate) fn truncate(&mut self, len: u64) -> std::io::Result<()> {
        self.direct = None;
        self.len = len;
        self.file.set_len(len)?;
        self.file.sync_data()
    }

    /// Trim the padding of the last block and sync: the file is exactly what was appended.
    pub(crate) fn finish(&self) -> std::io::Result<()> {
        self.file.set_len(self.len)?;
        self.file.sync_data()
    }
}

/// Write the staged window: every complete block, and the last partial block padded with zeros
/// (kept staged, to be rewritten with what follows it).
fn write_through(file: &File, s: &mut Staging) -> std::io::Result<()> {
    let window = s.used.div_ceil(BLOCK) * BLOCK;
    let (start, used) = (s.start, s.used);
    s.mem[start + used..start + window].fill(0);
    file.write_all_at(&s.mem[start..start + window], s.base)?;
    let full = used / BLOCK * BLOCK;
    if full > 0 {
        s.mem.copy_within(start + full..start + used, start);
        s.used -= full;
        s.base += full as u64;
    }
    Ok(())
}

/// The same file opened again without O_DIRECT.
fn reopen_buffered(file: &File) -> std::io::Result<File> {
    use std::os::fd::AsRawFd;
    let path = format!("/proc/self/fd/{}", file.as_raw_fd());
    OpenOptions::new().write(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_are_exact_after_finish_and_readable_before() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg.mp4");
        let mut f = SegmentFile::create_new(&path).unwrap();
        eprintln!("direct I/O: {}", f.is_direct());
        let mut want = vec![];
        // Odd sizes: partial blocks, a block boundary hit exactly, and more than the buffer.
        for (i, n) in [10usize, 4086, 4096, 1, 3 << 20, 777]
            .into_iter()
            .enumerate()
        {
            let chunk: Vec<u8> = (0..n).map(|j| (i * 31 + j) as u8).collect();
            f.append(&chunk).unwrap();
            want.extend_from_slice(&chunk);
            // Everything appended is in the file already (crash safety), maybe followed by
            // padding of the last block.
            let on_disk = std::fs::read(&path).unwrap();
            assert_eq!(&on_disk[..want.len()], &want[..], "after append {i}");
            assert!(on_disk[want.len()..].iter().all(|&b| b == 0));
            assert!(on_disk.len() - want.len() < BLOCK);
        }
        f.finish().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), want);
    }

    #[test]
    fn refuses_to_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("seg.mp4");
        std::fs::write(&path, b"x").unwrap();
        assert!(SegmentFile::create_new(&path).is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
    }

    #[test]
    fn works_on_tmpfs() {
        // Older kernels refuse O_DIRECT on tmpfs (the buffered path); newer accept it.
        let Ok(dir) = tempfile::tempdir_in("/dev/shm") else {
            return; // no tmpfs here: nothing to check
        };
        let path = dir.path().join("seg.mp4");
        let mut f = SegmentFile::create_new(&path).unwrap();
        f.append(b"hello").unwrap();
        f.append(&[7; 5000]).unwrap();
        f.finish().unwrap();
        let got = std::fs::read(&path).unwrap();
        assert_eq!(&got[..5], b"hello");
        assert_eq!(got.len(), 5005);
    }
}
