//! Finding and loading the ONNX Runtime shared library, once per process. `ort` (load-dynamic)
//! panics when the library is missing and can abort on a mismatched one, so every path is checked
//! here first — exists, is a shared library for this CPU, declares a compatible version — and any
//! problem becomes an `Unavailable` / `DETECTION_UNAVAILABLE` error for the caller to report once.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use vigil_base::{Error, Result, err};

/// The ONNX Runtime release Vigil ships and tests (the PyPI `onnxruntime` wheel's library).
pub const ORT_VERSION: &str = "1.31.1";

/// File names tried in each searched directory, best first.
pub const LIBRARY_NAMES: &[&str] = if cfg!(target_os = "windows") {
    &["onnxruntime.dll"]
} else if cfg!(target_os = "macos") {
    &["libonnxruntime.1.31.1.dylib", "libonnxruntime.dylib"]
} else {
    &[
        "libonnxruntime.so.1.31.1",
        "libonnxruntime.so.1",
        "libonnxruntime.so",
    ]
};

/// Where to look for the library. Resolution order: `library_path` (a configured path: used
/// as is, an error if unusable), `ORT_DYLIB_PATH` (likewise), the directory of the running
/// executable, then each of `search_dirs` in order.
#[derive(Clone, Debug, Default)]
pub struct RuntimeOptions {
    pub library_path: Option<PathBuf>,
    pub search_dirs: Vec<PathBuf>,
}

/// A checked library: where it is and the version it declares (if it declares one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LibraryInfo {
    pub path: PathBuf,
    pub version: Option<(u32, u32, u32)>,
}

/// The loaded ONNX Runtime: cheap to clone and share between detectors and threads.
#[derive(Clone)]
pub struct Runtime {
    inner: Arc<Inner>,
}

struct Inner {
    env: ort::environment::Environment,
    library: LibraryInfo,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("library", &self.inner.library)
            .finish()
    }
}

static RUNTIME: OnceLock<Runtime> = OnceLock::new();
static INIT: Mutex<()> = Mutex::new(());

impl Runtime {
    /// Finds and checks the library, then loads it and creates the process's one ONNX Runtime
    /// environment. After a success later calls return the same runtime (a process cannot switch
    /// libraries), but still check their own options first, so a bad path is always reported.
    /// A failure is not remembered: a later call (after the library is installed) may succeed.
    pub fn init(options: &RuntimeOptions) -> Result<Runtime> {
        let library = resolve_library(options)?;
        let _guard = INIT.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(rt) = RUNTIME.get() {
            if rt.inner.library.path != library.path {
                tracing::debug!(
                    loaded = %rt.inner.library.path.display(),
                    requested = %library.path.display(),
                    "ONNX Runtime is already loaded; keeping the loaded library"
                );
            }
            return Ok(rt.clone());
        }
        let path = library.path.clone();
        let built = std::panic::catch_unwind(move || -> Result<ort::environment::Environment> {
            let builder = ort::init_from(&path).map_err(|e| {
                unavailable(format!(
                    "cannot load ONNX Runtime from {}: {e}",
                    path.display()
                ))
            })?;
            builder
                .with_name("vigil")
                .with_telemetry(false)
                .build()
                .map_err(|e| {
                    unavailable(format!(
                        "ONNX Runtime from {} failed to start: {e}",
                        path.display()
                    ))
                })
        });
        let env = match built {
            Ok(r) => r?,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("panic");
                return Err(unavailable(format!(
                    "ONNX Runtime from {} could not be loaded: {what}",
                    library.path.display()
                )));
            }
        };
        tracing::info!(library = %library.path.display(), "ONNX Runtime loaded");
        let rt = Runtime {
            inner: Arc::new(Inner { env, library }),
        };
        let _ = RUNTIME.set(rt.clone());
        Ok(rt)
    }

    /// The runtime, if [`Runtime::init`] has succeeded in this process.
    pub fn get() -> Option<Runtime> {
        RUNTIME.get().cloned()
    }

    pub fn library(&self) -> &LibraryInfo {
        &self.inner.library
    }

    pub(crate) fn environment(&self) -> &ort::environment::Environment {
        &self.inner.env
    }
}

fn unavailable(message: String) -> Error {
    err!(
        Unavailable,
        code = DetectionUnavailable,
        "detection unavailable: {message}"
    )
}

/// The message of an `unavailable` error without its prefix (to wrap it once more).
fn reason(e: &Error) -> &str {
    e.message()
        .strip_prefix("detection unavailable: ")
        .unwrap_or(e.message())
}

/// Applies the resolution order of [`RuntimeOptions`] and checks the file found.
pub fn resolve_library(options: &RuntimeOptions) -> Result<LibraryInfo> {
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    resolve_with(options, std::env::var_os("ORT_DYLIB_PATH"), exe_dir)
}

fn resolve_with(
    options: &RuntimeOptions,
    env_path: Option<OsString>,
    exe_dir: Option<PathBuf>,
) -> Result<LibraryInfo> {
    if let Some(p) = &options.library_path {
        return check_library(p)
            .map_err(|e| unavailable(format!("the configured library: {}", reason(&e))));
    }
    if let Some(p) = env_path.filter(|p| !p.is_empty()) {
        return check_library(Path::new(&p))
            .map_err(|e| unavailable(format!("ORT_DYLIB_PATH: {}", reason(&e))));
    }
    let mut searched = Vec::new();
    for dir in exe_dir.iter().chain(&options.search_dirs) {
        for name in LIBRARY_NAMES {
            let candidate = dir.join(name);
            if candidate.exists() {
                return check_library(&candidate).map_err(|e| unavailable(e.message().to_string()));
            }
        }
        searched.push(dir.display().to_string());
    }
    Err(unavailable(format!(
        "ONNX Runtime {ORT_VERSION} ({}) was not found: no library path is configured, ORT_DYLIB_PATH is not set, \
         and it is not in {}; install it (scripts/dev.sh setup) or set ORT_DYLIB_PATH",
        LIBRARY_NAMES[0],
        if searched.is_empty() {
            "any searched directory".to_string()
        } else {
            searched.join(", ")
        }
    )))
}

/// Checks a library file without loading it: it exists, is an ELF shared library for this CPU
/// (on Linux), and the version in its symbol versions (`VERS_1.31.1`) or its file name is 1.x
/// with x ≥ the API version `ort` was built for.
pub fn check_library(path: &Path) -> Result<LibraryInfo> {
    let fail = |what: String| unavailable(format!("{}: {what}", path.display()));
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot use it ({e})")))?;
    if !meta.is_file() {
        return Err(fail("not a file".into()));
    }
    let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let from_name = real
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(version_from_name);
    let from_elf = match elf_version(&real) {
        Ok(v) => v,
        Err(ElfProblem::NotElf) if !cfg!(target_os = "linux") => None,
        Err(ElfProblem::NotElf) => return Err(fail("not a shared library (no ELF header)".into())),
        Err(ElfProblem::Bad(what)) => return Err(fail(what)),
    };
    let version = from_elf.or(from_name);
    if let Some((major, minor, patch)) = version {
        let need = ort::MINOR_VERSION;
        if major != 1 || minor < need {
            return Err(fail(format!(
                "ONNX Runtime {major}.{minor}.{patch} is not supported: this build needs 1.{need} or newer \
                 (install {ORT_VERSION})"
            )));
        }
    }
    Ok(LibraryInfo {
        path: path.to_path_buf(),
        version,
    })
}

/// `libonnxruntime.so.1.31.1`, `libonnxruntime.1.31.1.dylib` → (1, 31, 1).
fn version_from_name(name: &str) -> Option<(u32, u32, u32)> {
    let start = name.find(|c: char| c.is_ascii_digit())?;
    let mut parts = name[start..]
        .split('.')
        .map_while(|p| p.parse::<u32>().ok());
    Some((parts.next()?, parts.next()?, parts.next()?))
}

enum ElfProblem {
    NotElf,
    Bad(String),
}

fn elf_version(path: &Path) -> std::result::Result<Option<(u32, u32, u32)>, ElfProblem> {
    let mut f = File::open(path).map_err(|e| ElfProblem::Bad(format!("cannot open it ({e})")))?;
    let mut h = [0u8; 64];
    if f.read_exact(&mut h).is_err() || &h[..4] != b"\x7fELF" {
        return Err(ElfProblem::NotElf);
    }
    if h[4] != 2 || h[5] != 1 {
        return Err(ElfProblem::Bad("not a 64-bit little-endian library".into()));
    }
    let u16_at = |b: &[u8], o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
    let u32_at = |b: &[u8], o: usize| u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
    let u64_at = |b: &[u8], o: usize| u64::from_le_bytes(b[o..o + 8].try_into().unwrap_or([0; 8]));
    let machine = u16_at(&h, 18);
    let expected = match std::env::consts::ARCH {
        "x86_64" => Some(62),
        "aarch64" => Some(183),
        _ => None,
    };
    if let Some(m) = expected
        && machine != m
    {
        return Err(ElfProblem::Bad(format!(
            "built for another CPU (ELF machine {machine}, this is {})",
            std::env::consts::ARCH
        )));
    }
    let (shoff, shentsize, shnum) = (
        u64_at(&h, 0x28),
        u16_at(&h, 0x3a) as usize,
        u16_at(&h, 0x3c) as usize,
    );
    if shentsize < 64 || shnum == 0 || shnum > 4096 {
        return Ok(None);
    }
    let read = |f: &mut File, off: u64, len: u64| -> Option<Vec<u8>> {
        if len > 64 << 20 {
            return None;
        }
        let mut buf = vec![0u8; len as usize];
        f.seek(SeekFrom::Start(off)).ok()?;
        f.read_exact(&mut buf).ok()?;
        Some(buf)
    };
    let Some(sections) = read(&mut f, shoff, (shentsize * shnum) as u64) else {
        return Ok(None);
    };
    let section = |i: usize| &sections[i * shentsize..i * shentsize + 64];
    // SHT_GNU_verdef: the versions this library defines, e.g. VERS_1.31.1.
    let Some(verdef) = (0..shnum)
        .map(section)
        .find(|s| u32_at(s, 4) == 0x6fff_fffd)
    else {
        return Ok(None);
    };
    let link = u32_at(verdef, 40) as usize;
    if link >= shnum {
        return Ok(None);
    }
    let strtab = section(link);
    let (Some(defs), Some(strings)) = (
        read(&mut f, u64_at(verdef, 24), u64_at(verdef, 32)),
        read(&mut f, u64_at(strtab, 24), u64_at(strtab, 32)),
    ) else {
        return Ok(None);
    };
    let mut off = 0usize;
    for _ in 0..u32_at(verdef, 44).min(1024) {
        if off + 20 > defs.len() {
            break;
        }
        let aux = off + u32_at(&defs, off + 12) as usize;
        if aux + 8 <= defs.len() {
            let name_off = u32_at(&defs, aux) as usize;
            if let Some(rest) = strings.get(name_off..) {
                let name = &rest[..rest.iter().position(|&b| b == 0).unwrap_or(rest.len())];
                if let Some(v) = std::str::from_utf8(name)
                    .ok()
                    .and_then(|n| n.strip_prefix("VERS_"))
                    .and_then(version_from_name)
                {
                    return Ok(Some(v));
                }
            }
        }
        let next = u32_at(&defs, off + 16) as usize;
        if next == 0 {
            break;
        }
        off += next;
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev_lib_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.cache/onnxruntime")
    }

    #[test]
    fn versions_from_file_names() {
        assert_eq!(
            version_from_name("libonnxruntime.so.1.31.1"),
            Some((1, 31, 1))
        );
        assert_eq!(
            version_from_name("libonnxruntime.1.22.0.dylib"),
            Some((1, 22, 0))
        );
        assert_eq!(version_from_name("libonnxruntime.so.1"), None);
        assert_eq!(version_from_name("onnxruntime.dll"), None);
    }

    #[test]
    fn the_shipped_library_declares_its_version() {
        let lib = dev_lib_dir().join("libonnxruntime.so.1.31.1");
        assert!(
            lib.exists(),
            "run scripts/dev.sh setup first: {} is missing",
            lib.display()
        );
        let info = check_library(&lib).unwrap();
        assert_eq!(info.version, Some((1, 31, 1)));
        // through the symlink too: the version comes from the ELF, not the link's name
        let info = check_library(&dev_lib_dir().join("libonnxruntime.so")).unwrap();
        assert_eq!(info.version, Some((1, 31, 1)));
    }

    #[test]
    fn bad_files_are_unavailable_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("libonnxruntime.so.1.31.1");
        let e = check_library(&missing).unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::DetectionUnavailable);
        let text = dir.path().join("libonnxruntime.so");
        std::fs::write(&text, "not a library").unwrap();
        let e = check_library(&text).unwrap_err();
        assert!(e.message().contains("no ELF header"), "{e}");
        let old = dir.path().join("libonnxruntime.so.1.22.0");
        // an ELF header without sections: the file name decides
        let mut elf = vec![0u8; 64];
        elf[..4].copy_from_slice(b"\x7fELF");
        elf[4] = 2;
        elf[5] = 1;
        elf[18..20].copy_from_slice(
            &(if cfg!(target_arch = "aarch64") {
                183u16
            } else {
                62u16
            })
            .to_le_bytes(),
        );
        std::fs::write(&old, &elf).unwrap();
        let e = check_library(&old).unwrap_err();
        assert!(e.message().contains("1.22.0 is not supported"), "{e}");
        let arm = dir.path().join("other-cpu.so");
        elf[18..20].copy_from_slice(&40u16.to_le_bytes());
        std::fs::write(&arm, &elf).unwrap();
        let e = check_library(&arm).unwrap_err();
        assert!(e.message().contains("another CPU"), "{e}");
    }

    #[test]
    fn resolution_order() {
        let dev = dev_lib_dir();
        let empty = tempfile::tempdir().unwrap();
        let search = RuntimeOptions {
            library_path: None,
            search_dirs: vec![empty.path().to_path_buf(), dev.clone()],
        };
        // nothing configured: the executable's directory, then the search dirs in order
        let found = resolve_with(&search, None, Some(empty.path().to_path_buf())).unwrap();
        assert_eq!(found.path, dev.join(LIBRARY_NAMES[0]));
        // ORT_DYLIB_PATH wins over the search, and a bad one is an error, not a fallback
        let e = resolve_with(&search, Some(empty.path().join("nope.so").into()), None).unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::DetectionUnavailable);
        assert!(e.message().contains("ORT_DYLIB_PATH"), "{e}");
        // a configured path wins over ORT_DYLIB_PATH
        let configured = RuntimeOptions {
            library_path: Some(dev.join("libonnxruntime.so.1")),
            ..search.clone()
        };
        let found = resolve_with(&configured, Some("/nope".into()), None).unwrap();
        assert_eq!(found.path, dev.join("libonnxruntime.so.1"));
        // nothing anywhere: one clear message naming where it looked
        let e = resolve_with(
            &RuntimeOptions {
                library_path: None,
                search_dirs: vec![empty.path().to_path_buf()],
            },
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e.code(), vigil_base::ErrorCode::DetectionUnavailable);
        assert!(e.message().contains("not found"), "{e}");
        assert!(
            e.message().contains(&empty.path().display().to_string()),
            "{e}"
        );
    }
}
