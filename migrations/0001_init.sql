-- 0001: the camera registry.
CREATE TABLE camera (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    manufacturer TEXT,
    model TEXT,
    serial_number TEXT UNIQUE,
    location TEXT,
    place TEXT,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('rtsp', 'rtmp_push', 'file')),
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
    updated_at_ms INTEGER NOT NULL
);
