-- 0003: recorded segments.
CREATE TABLE recording (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
    root TEXT NOT NULL,
    path TEXT NOT NULL,
    tier TEXT NOT NULL DEFAULT 'hot',
    state TEXT NOT NULL CHECK (state IN ('recording', 'complete', 'repaired', 'missing')),
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    media_duration_90k INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    init_bytes INTEGER NOT NULL,
    codec TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    keyframe_index BLOB NOT NULL,
    clock_jump_ms INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    UNIQUE (root, path),
    CHECK (end_ms >= start_ms)
);

CREATE INDEX recording_camera_start ON recording (camera_id, start_ms);
