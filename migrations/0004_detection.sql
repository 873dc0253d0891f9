-- 0004: detection settings per camera, detections, tracked detection events and alerts.
CREATE TABLE camera_detection (
    camera_id INTEGER PRIMARY KEY REFERENCES camera (id) ON DELETE CASCADE,
    substream_url TEXT,
    filter_json TEXT NOT NULL DEFAULT '{}',
    updated_at_ms INTEGER NOT NULL
);

CREATE TABLE detection_event (
    id INTEGER PRIMARY KEY,
    camera_id INTEGER NOT NULL REFERENCES camera (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    ongoing INTEGER NOT NULL DEFAULT 1,
    top_score REAL NOT NULL,
    detections INTEGER NOT NULL DEFAULT 0,
    best_detection_id INTEGER,
    zones_json TEXT NOT NULL DEFAULT '[]',
    CHECK (end_ms >= start_ms)
);

CREATE INDEX detection_event_camera_start ON detection_event (camera_id, start_ms);
CREATE INDEX detection_event_start ON detection_event (start_ms);

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
    image_path TEXT,
    metadata_json TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX detection_camera_at ON detection (camera_id, at_ms);
CREATE INDEX detection_at ON detection (at_ms);
CREATE INDEX detection_event_id ON detection (event_id);

CREATE TABLE alert (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('camera_offline', 'recording_failed', 'storage_full', 'detection', 'detection_unavailable')),
    severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    camera_id INTEGER REFERENCES camera (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES detection_event (id) ON DELETE SET NULL,
    message TEXT NOT NULL,
    details_json TEXT NOT NULL DEFAULT '{}',
    created_at_ms INTEGER NOT NULL,
    acknowledged_at_ms INTEGER,
    acknowledged_by TEXT
);

CREATE INDEX alert_created ON alert (created_at_ms);
CREATE INDEX alert_camera_created ON alert (camera_id, created_at_ms);
