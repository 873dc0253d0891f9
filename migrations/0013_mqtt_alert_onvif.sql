-- Issues 15 and 16: the MQTT bridge's settings saved from the UI, the `database_restored` alert,
-- and ONVIF cameras (`source_kind = 'onvif'`).

-- The MQTT bridge's settings as set in the UI (`[mqtt]` in config.toml, when present, wins over
-- them). One row, JSON like config.toml's table; the broker's password is in the credential store.
CREATE TABLE mqtt_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings_json TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
);

-- Alerts gain `database_restored` (the database was unreadable at start-up and a snapshot
-- restored): SQLite cannot change a CHECK, so the table is rebuilt as 0010 did.
CREATE TABLE alert_new (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('camera_offline', 'recording_failed', 'storage_full', 'detection', 'detection_unavailable', 'storage_tier_offline', 'storage_locked_only', 'auth_failures', 'database_restored')),
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    camera_id INTEGER REFERENCES camera (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES detection_event (id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    details_json TEXT NOT NULL DEFAULT '{}',
    created_at_ms INTEGER NOT NULL,
    acknowledged_at_ms INTEGER,
    acknowledged_by TEXT,
    last_at_ms INTEGER,
    ended_at_ms INTEGER,
    resolved_at_ms INTEGER,
    objects INTEGER NOT NULL DEFAULT 1,
    labels_json TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO alert_new SELECT * FROM alert;
DROP TABLE alert;
ALTER TABLE alert_new RENAME TO alert;
CREATE INDEX alert_created ON alert (created_at_ms);
CREATE INDEX alert_camera_created ON alert (camera_id, created_at_ms);
CREATE INDEX alert_open_incident ON alert (camera_id) WHERE type = 'detection' AND ended_at_ms IS NULL;

-- Cameras gain the `onvif` source kind (its stream URIs asked of the camera when it connects). A
-- rebuild like the one above; the migration runs with foreign keys off (checked before commit),
-- so dropping the old table does not cascade into the recordings, events and alerts that
-- reference cameras.
CREATE TABLE camera_new (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    manufacturer TEXT,
    model TEXT,
    serial_number TEXT UNIQUE,
    location TEXT,
    place TEXT,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('rtsp', 'rtmp_push', 'file', 'onvif')),
    source_json TEXT NOT NULL,
    stream_key TEXT UNIQUE,
    username TEXT,
    has_password INTEGER NOT NULL DEFAULT 0,
    enabled INTEGER NOT NULL DEFAULT 1,
    recording_enabled INTEGER NOT NULL DEFAULT 1,
    detection_enabled INTEGER NOT NULL DEFAULT 0,
    detect_fps INTEGER NOT NULL DEFAULT 5 CHECK (detect_fps BETWEEN 1 AND 30),
    status TEXT NOT NULL DEFAULT 'stopped',
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    removed_at_ms INTEGER
);
INSERT INTO camera_new SELECT * FROM camera;
DROP TABLE camera;
ALTER TABLE camera_new RENAME TO camera;
CREATE INDEX camera_status ON camera (status);
