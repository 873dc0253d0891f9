-- The current schema, applied in one step to a new database. Every numbered migration must leave an
-- older database exactly equal to this (checked by vigil-db's fresh_equals_upgraded test).

-- One row per applied schema version (the highest is the current one).
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at_ms INTEGER NOT NULL,
    description TEXT NOT NULL
);

-- A camera the operator registered. Its password is never here: only `has_password`, with the
-- secret in the credential store under the camera's id.
CREATE TABLE camera (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    manufacturer TEXT,
    model TEXT,
    serial_number TEXT UNIQUE,          -- optional; unique when present
    location TEXT,                      -- free text, e.g. "Building A"
    place TEXT,                         -- free text, e.g. "North gate"
    source_kind TEXT NOT NULL CHECK (source_kind IN ('rtsp', 'rtmp_push', 'file', 'onvif')),
    source_json TEXT NOT NULL,          -- the source without credentials, as the API shows it
    stream_key TEXT UNIQUE,             -- rtmp_push only: the key a camera publishes with
    username TEXT,
    has_password INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    recording_enabled INTEGER NOT NULL DEFAULT 1,
    detection_enabled INTEGER NOT NULL DEFAULT 0,
    detect_fps INTEGER NOT NULL DEFAULT 5 CHECK (detect_fps BETWEEN 1 AND 30),
    status TEXT NOT NULL DEFAULT 'stopped',  -- the stream supervisor's last state
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    removed_at_ms INTEGER               -- deleted with its footage kept (0011); NULL: in service
);

CREATE INDEX camera_status ON camera (status);

-- API tokens other than the admin token. Only a SHA-256 of the secret is kept; the secret is shown
-- once at creation. `secret_prefix` (first characters) lets an operator tell tokens apart.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    remark TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer', 'api_only')),
    permissions_json TEXT NOT NULL,     -- JSON array of permission names
    rate_limit_per_min INTEGER CHECK (rate_limit_per_min IS NULL OR rate_limit_per_min > 0),
    secret_sha256 BLOB NOT NULL UNIQUE,
    secret_prefix TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,              -- NULL: never expires
    last_used_at_ms INTEGER,
    cameras_json TEXT                   -- NULL: every camera; else a JSON array of camera ids
);

-- One recorded segment: a fragmented MP4 file of about a minute, stream-copied from the camera.
-- Rows are inserted when a segment starts (state 'recording') and updated as its fragments are
-- fsynced, so the index never claims bytes that are not on disk.
CREATE TABLE recording (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
    root TEXT NOT NULL,                 -- storage root name ('hot' = DATA_DIR/recordings)
    path TEXT NOT NULL,                 -- relative to the root: <camera>/<YYYY-MM-DD>/<HH>/<start_ms>.mp4
    tier TEXT NOT NULL DEFAULT 'hot',
    state TEXT NOT NULL CHECK (state IN ('recording', 'complete', 'repaired', 'missing')),
    start_ms INTEGER NOT NULL,          -- UTC wall time of the first frame
    end_ms INTEGER NOT NULL,            -- start_ms + media duration
    media_duration_90k INTEGER NOT NULL,
    bytes INTEGER NOT NULL,             -- bytes of complete fragments (the file may be longer while written)
    init_bytes INTEGER NOT NULL,        -- length of ftyp+moov at the file's start
    codec TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    keyframe_index BLOB NOT NULL,       -- per keyframe fragment: varint byte-offset delta, varint 90k-time delta
    clock_jump_ms INTEGER NOT NULL DEFAULT 0,  -- wall clock correction applied at this segment's start
    created_at_ms INTEGER NOT NULL,
    UNIQUE (root, path),
    CHECK (end_ms >= start_ms)
);

CREATE INDEX recording_camera_start ON recording (camera_id, start_ms);

-- Detection settings beyond the camera row's switch and rate: an optional lower-resolution stream
-- for detection (its URL without credentials; the camera's are used) and the filter (labels,
-- min_score, box area bounds, zones) as JSON.
CREATE TABLE camera_detection (
    camera_id INTEGER PRIMARY KEY REFERENCES camera (id) ON DELETE CASCADE,
    substream_url TEXT,
    filter_json TEXT NOT NULL DEFAULT '{}',
    updated_at_ms INTEGER NOT NULL
);

-- A tracked object: consecutive detections of one object, from first to last sighting.
CREATE TABLE detection_event (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    start_ms INTEGER NOT NULL,          -- UTC wall time of the first sighting
    end_ms INTEGER NOT NULL,            -- of the latest sighting (final once ongoing = 0)
    ongoing INTEGER NOT NULL DEFAULT 1,
    top_score REAL NOT NULL,
    detections INTEGER NOT NULL DEFAULT 0,  -- detection rows stored for it
    best_detection_id INTEGER,          -- the detection whose snapshot represents the event
    zones_json TEXT NOT NULL DEFAULT '[]',  -- names of the include zones it was seen in
    CHECK (end_ms >= start_ms)
);

CREATE INDEX detection_event_camera_start ON detection_event (camera_id, start_ms);
CREATE INDEX detection_event_start ON detection_event (start_ms);

-- One stored sighting (sampled: a track's first, then about one a second, and each new best).
-- Boxes are fractions of the frame (0..1) so they survive a change of resolution.
CREATE TABLE detection (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES detection_event (id) ON DELETE SET NULL,
    at_ms INTEGER NOT NULL,
    label TEXT NOT NULL,
    score REAL NOT NULL CHECK (score >= 0 AND score <= 1),
    x REAL NOT NULL,
    y REAL NOT NULL,
    width REAL NOT NULL,
    height REAL NOT NULL,
    image_path TEXT,                    -- annotated JPEG, relative to DATA_DIR/snapshots
    metadata_json TEXT NOT NULL DEFAULT '{}'  -- model, track id, zones, frame size
);

CREATE INDEX detection_camera_at ON detection (camera_id, at_ms);
CREATE INDEX detection_at ON detection (at_ms);
CREATE INDEX detection_event_id ON detection (event_id);

-- Something the operator should see: raised by the engine, acknowledged by a person.
CREATE TABLE alert (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('camera_offline', 'recording_failed', 'storage_full', 'detection', 'detection_unavailable', 'storage_tier_offline', 'storage_locked_only', 'auth_failures', 'database_restored')),
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    camera_id INTEGER REFERENCES camera (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES detection_event (id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    details_json TEXT NOT NULL DEFAULT '{}',
    created_at_ms INTEGER NOT NULL,
    acknowledged_at_ms INTEGER,         -- NULL: not acknowledged
    acknowledged_by TEXT,               -- the token's name
    last_at_ms INTEGER,                 -- incidents (`detection`): the last activity
    ended_at_ms INTEGER,                -- incidents: NULL while open
    resolved_at_ms INTEGER,             -- conditions: cleared at; NULL while it holds
    objects INTEGER NOT NULL DEFAULT 1, -- incidents: tracked objects in it
    labels_json TEXT NOT NULL DEFAULT '{}' -- incidents: label -> objects
);

CREATE INDEX alert_created ON alert (created_at_ms);
CREATE INDEX alert_camera_created ON alert (camera_id, created_at_ms);
CREATE INDEX alert_open_incident ON alert (camera_id) WHERE type = 'detection' AND ended_at_ms IS NULL;

-- A camera grid arrangement, per user (the token's name): tiles as JSON
-- [{camera_id, position: {x, y}, size: {width, height}}] on a 12-column grid.
CREATE TABLE layout (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    layout_json TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,  -- at most one per owner (kept so by the engine)
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    UNIQUE (owner, name)
);

-- A moment (or span) someone marked on a camera's timeline.
CREATE TABLE bookmark (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
    at_ms INTEGER NOT NULL,
    end_ms INTEGER,
    label TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    CHECK (end_ms IS NULL OR end_ms >= at_ms)
);

CREATE INDEX bookmark_camera_at ON bookmark (camera_id, at_ms);

-- Tiered storage (0006): the journal of moves and deletions, their history, footage locks.
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

-- Storage usage over time (the Storage page's chart): one sample per tier at most a minute
-- apart, taken after maintenance passes; kept 90 days.
CREATE TABLE storage_usage (
    tier TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    used_bytes INTEGER NOT NULL,
    free_bytes INTEGER NOT NULL,
    capacity_bytes INTEGER NOT NULL,
    PRIMARY KEY (tier, at_ms)
) WITHOUT ROWID;

CREATE INDEX storage_usage_at ON storage_usage (at_ms);

-- Footage bytes and segments per tier and camera, kept by triggers as rows come, change and go,
-- so GET /api/v1/storage and /metrics read a few rows instead of summing the whole index
-- (measured: 1.2 s over 1,000,000 segments before; scripts/bench.sh storage --parts plan).
CREATE TABLE footage_total (
    tier TEXT NOT NULL,
    camera_id INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    segments INTEGER NOT NULL,
    PRIMARY KEY (tier, camera_id)
) WITHOUT ROWID;

CREATE TRIGGER recording_total_insert AFTER INSERT ON recording BEGIN
    INSERT INTO footage_total (tier, camera_id, bytes, segments)
        VALUES (NEW.tier, NEW.camera_id, NEW.bytes, 1)
        ON CONFLICT (tier, camera_id) DO UPDATE
        SET bytes = bytes + excluded.bytes, segments = segments + 1;
END;

CREATE TRIGGER recording_total_delete AFTER DELETE ON recording BEGIN
    UPDATE footage_total SET bytes = bytes - OLD.bytes, segments = segments - 1
        WHERE tier = OLD.tier AND camera_id = OLD.camera_id;
END;

CREATE TRIGGER recording_total_update AFTER UPDATE OF bytes, tier, camera_id ON recording BEGIN
    UPDATE footage_total SET bytes = bytes - OLD.bytes, segments = segments - 1
        WHERE tier = OLD.tier AND camera_id = OLD.camera_id;
    INSERT INTO footage_total (tier, camera_id, bytes, segments)
        VALUES (NEW.tier, NEW.camera_id, NEW.bytes, 1)
        ON CONFLICT (tier, camera_id) DO UPDATE
        SET bytes = bytes + excluded.bytes, segments = segments + 1;
END;

-- People and access: users, login sessions with one-use refresh tokens, the audit log.
CREATE TABLE user (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    cameras_json TEXT,                  -- NULL: every camera; else a JSON array of camera ids
    enabled INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT,                 -- argon2id PHC string; NULL: no password set yet
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    last_login_at_ms INTEGER
);

-- One login: a family of refresh tokens, each usable once. Only SHA-256 of a token is stored.
CREATE TABLE auth_session (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES user (id) ON DELETE CASCADE,
    created_at_ms INTEGER NOT NULL,
    client TEXT,                        -- the peer address at login
    revoked_at_ms INTEGER,              -- NULL while the session lives
    revoked_reason TEXT
);

CREATE TABLE refresh_token (
    token_sha256 BLOB PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES auth_session (id) ON DELETE CASCADE,
    issued_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL,
    used_at_ms INTEGER                  -- NULL: the family's current token
) WITHOUT ROWID;

CREATE INDEX refresh_token_session ON refresh_token (session_id);
CREATE INDEX auth_session_user ON auth_session (user_id);

-- Who did what, when, from where. Rows are only ever added (and aged out after the retention).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,                -- 'user:<name>', 'token:<name>', 'admin token', 'system', '-'
    user_id INTEGER,                    -- no foreign key: the trail outlives the account
    action TEXT NOT NULL,
    camera_id INTEGER,
    target TEXT,                        -- what it acted on (a recording id, a username, a range)
    outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
    client TEXT,                        -- the peer address
    details_json TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_at ON audit_log (at_ms);
CREATE INDEX audit_log_user_at ON audit_log (user_id, at_ms);
CREATE INDEX audit_log_camera_at ON audit_log (camera_id, at_ms);

-- Alert channels beyond the desktop (webhook, email): their settings without secrets (those are
-- in the credential store), every delivery (the outbox: a pending row survives a restart and is
-- sent then; a sent or failed one is the channel's history), and the rules routing alerts.
CREATE TABLE notify_channel (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('webhook', 'email', 'mqtt')),
    name TEXT NOT NULL,
    config_json TEXT NOT NULL,          -- the kind's settings, never a secret
    enabled INTEGER NOT NULL DEFAULT 1,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);

CREATE TABLE notify_delivery (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES notify_channel (id) ON DELETE CASCADE,
    alert_id INTEGER,                   -- no foreign key: the record outlives the alert
    test INTEGER NOT NULL DEFAULT 0,    -- a "send test" from the UI
    body TEXT NOT NULL,                 -- the payload as sent (JSON)
    state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at_ms INTEGER NOT NULL,        -- when a pending delivery is (re)tried
    last_error TEXT,
    created_at_ms INTEGER NOT NULL,
    done_at_ms INTEGER
);

CREATE INDEX notify_delivery_due ON notify_delivery (next_at_ms) WHERE state = 'pending';
CREATE INDEX notify_delivery_channel ON notify_delivery (channel_id, id);

-- The routing rules, one JSON document (GET/PUT /notifications/rules); no row: the default.
CREATE TABLE notify_rules (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    rules_json TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
);

-- The MQTT bridge's settings as set in the UI (`[mqtt]` in config.toml, when present, wins over
-- them). One row, JSON like config.toml's table; the broker's password is in the credential store.
CREATE TABLE mqtt_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings_json TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
