-- 0006: tiered storage. The index owns every file: moves and deletions go through a journal
-- (storage_op) that start-up finishes or rolls back; what was moved or deleted, and why, stays in
-- storage_history; footage_lock pins segments against retention and eviction.

-- Facts about this database (its random id, written into every tier's identity file).
CREATE TABLE storage_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Tiers this database has initialised (identity file written). A tier listed here whose identity
-- file is missing is offline, never re-initialised.
CREATE TABLE storage_tier (
    name TEXT PRIMARY KEY,
    location TEXT NOT NULL,
    initialised_at_ms INTEGER NOT NULL
);

-- A move or deletion in progress. move: 'planned' (the row still points at the source; a copy
-- may exist on the target under a temporary or final name) → 'switched' (the row points at the
-- target; the source may still exist). delete: always 'switched' (the row is gone; the file may
-- still exist). Start-up rolls 'planned' back and 'switched' forward.
CREATE TABLE storage_op (
    id INTEGER PRIMARY KEY,
    recording_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('move', 'delete')),
    reason TEXT NOT NULL CHECK (reason IN ('age', 'size', 'free_space', 'retention', 'manual')),
    from_root TEXT NOT NULL,
    from_path TEXT NOT NULL,
    to_root TEXT,
    to_path TEXT,
    step TEXT NOT NULL CHECK (step IN ('planned', 'switched')),
    created_at_ms INTEGER NOT NULL,
    CHECK ((kind = 'move') = (to_root IS NOT NULL AND to_path IS NOT NULL))
);

-- Every completed move and deletion, with its reason (GET /api/v1/storage/ops).
CREATE TABLE storage_history (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    recording_id INTEGER NOT NULL,
    camera_id INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('move', 'delete')),
    reason TEXT NOT NULL CHECK (reason IN ('age', 'size', 'free_space', 'retention', 'manual')),
    from_tier TEXT NOT NULL,
    to_tier TEXT,
    bytes INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL
);

CREATE INDEX storage_history_at ON storage_history (at_ms);

-- Footage kept whatever retention and free space say (POST /api/v1/locks).
CREATE TABLE footage_lock (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    reason TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    CHECK (end_ms > start_ms)
);

CREATE INDEX footage_lock_camera ON footage_lock (camera_id, start_ms);

-- The planner walks each tier oldest first.
CREATE INDEX recording_tier_start ON recording (tier, start_ms);

-- Alerts gain storage_tier_offline and storage_locked_only. SQLite cannot change a CHECK, so the
-- table is rebuilt (nothing references it).
CREATE TABLE alert_new (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('camera_offline', 'recording_failed', 'storage_full', 'detection', 'detection_unavailable', 'storage_tier_offline', 'storage_locked_only')),
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    camera_id INTEGER REFERENCES camera (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES detection_event (id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    details_json TEXT NOT NULL DEFAULT '{}',
    created_at_ms INTEGER NOT NULL,
    acknowledged_at_ms INTEGER,
    acknowledged_by TEXT
);
INSERT INTO alert_new SELECT * FROM alert;
DROP TABLE alert;
ALTER TABLE alert_new RENAME TO alert;
CREATE INDEX alert_created ON alert (created_at_ms);
CREATE INDEX alert_camera_created ON alert (camera_id, created_at_ms);
