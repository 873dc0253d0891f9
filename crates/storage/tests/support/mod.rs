//! The rig the storage suites share: a real (file) database with two cameras, a simulated
//! clock, segments with distinct content on real directories, and the check that the index owns
//! every file.

#![allow(dead_code)] // each suite uses part of it

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use vigil_base::SimulatedClock;
use vigil_db::Database;
use vigil_db::recordings::{self as rq, RecordingRow};
use vigil_storage::{ArchiveCredentials, Storage, StorageConfig, StorageEvent};

pub const T0: i64 = 1_764_000_000_000;

pub struct Rig {
    _dir: tempfile::TempDir,
    pub base: PathBuf,
    pub db: Database,
    pub clock: SimulatedClock,
    pub events: Arc<Mutex<Vec<StorageEvent>>>,
}

impl Rig {
    pub fn new() -> Rig {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().to_path_buf();
        let db = Database::open(&base.join("vigil.db")).unwrap();
        db.write_blocking(|c| {
            c.execute(
                "INSERT INTO camera (id, name, source_kind, source_json, created_at_ms, updated_at_ms) \
                 VALUES (1, 'gate', 'file', '{}', 1, 1), (2, 'yard', 'file', '{}', 1, 1)",
                [],
            )
            .map_err(|e| vigil_base::err!(Internal, "{e}"))?;
            Ok(())
        })
        .unwrap();
        Rig {
            _dir: dir,
            base,
            db,
            clock: SimulatedClock::new(T0),
            events: Arc::default(),
        }
    }

    pub fn dir(&self, name: &str) -> PathBuf {
        self.base.join(name)
    }

    pub fn open(&self, config: StorageConfig) -> vigil_base::Result<Storage> {
        self.open_with(config, None)
    }

    pub fn open_with(
        &self,
        config: StorageConfig,
        keys: Option<ArchiveCredentials>,
    ) -> vigil_base::Result<Storage> {
        let events = self.events.clone();
        Storage::open(
            self.db.clone(),
            Arc::new(self.clock.clone()),
            &self.dir("recordings"),
            config,
            keys,
            Arc::new(move |e: StorageEvent| events.lock().unwrap().push(e)),
        )
    }

    /// A complete one-minute segment of `camera` starting `at` with distinct content.
    pub fn segment(&self, root: &str, camera: i64, at: i64) -> RecordingRow {
        let path = format!("{camera}/seg/{at}.mp4");
        let file = self.dir(root_dir(root)).join(&path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        let body: Vec<u8> = (0..20_000u32)
            .map(|i| (i as i64 ^ at ^ camera) as u8)
            .collect();
        fs::write(&file, &body).unwrap();
        let row = RecordingRow {
            id: 0,
            camera_id: camera,
            root: root.into(),
            path,
            tier: root.into(),
            state: "complete".into(),
            start_ms: at,
            end_ms: at + 60_000,
            media_duration_90k: 60 * 90_000,
            bytes: body.len() as i64,
            init_bytes: 100,
            codec: "h264".into(),
            width: 640,
            height: 360,
            keyframe_index: vec![0, 0],
            clock_jump_ms: 0,
            created_at_ms: at,
        };
        let r2 = row.clone();
        let id = self.db.write_blocking(move |c| rq::insert(c, &r2)).unwrap();
        RecordingRow { id, ..row }
    }

    pub fn rows(&self) -> Vec<RecordingRow> {
        self.db
            .read_blocking(|c| rq::list_range(c, None, 0, i64::MAX, 10_000, 0))
            .unwrap()
    }

    /// Every row points at a file with its content; no file lacks a row; the journal is empty.
    pub fn assert_index_owns_every_file(&self, storage: &Storage, contents: &[(i64, Vec<u8>)]) {
        let roots = storage.roots();
        let mut listed = BTreeSet::new();
        for r in self.rows() {
            if roots.objects.contains_key(&r.root) {
                continue; // the archive suite checks objects
            }
            let (dir, online) = &roots.dirs[&r.root];
            assert!(online);
            let p = dir.join(&r.path);
            let want = &contents.iter().find(|(id, _)| *id == r.id).unwrap().1;
            assert_eq!(
                &fs::read(&p).unwrap_or_default(),
                want,
                "row {} at {}",
                r.id,
                p.display()
            );
            listed.insert(p);
        }
        for (dir, _) in roots.dirs.values() {
            for f in files(dir) {
                assert!(listed.contains(&f), "orphan {}", f.display());
            }
        }
        let ops = self.db.read_blocking(vigil_db::storage::ops).unwrap();
        assert!(ops.is_empty(), "journal left: {ops:?}");
        // The trigger-kept totals agree with the index.
        let (kept, counted) = self
            .db
            .read_blocking(|c| {
                let q = |sql: &str| -> Vec<(String, i64, i64)> {
                    let mut st = c.prepare(sql).unwrap();
                    st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .unwrap()
                        .map(|r| r.unwrap())
                        .collect()
                };
                Ok((
                    q("SELECT tier, sum(bytes), sum(segments) FROM footage_total \
                       GROUP BY tier HAVING sum(segments) > 0 ORDER BY tier"),
                    q("SELECT tier, sum(bytes), count(*) FROM recording GROUP BY tier ORDER BY tier"),
                ))
            })
            .unwrap();
        assert_eq!(kept, counted, "footage totals drifted from the index");
    }
}

pub fn root_dir(root: &str) -> &str {
    if root == "hot" { "recordings" } else { root }
}

/// Every file under `dir` except identity files.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if !p.ends_with(vigil_storage::tier::IDENTITY_FILE) {
            out.push(p);
        }
    }
    out
}

pub fn content(rig: &Rig, r: &RecordingRow) -> (i64, Vec<u8>) {
    (
        r.id,
        fs::read(rig.dir(root_dir(&r.root)).join(&r.path)).unwrap(),
    )
}
