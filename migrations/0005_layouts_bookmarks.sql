-- 0005: grid layouts per user, bookmarks on the timeline.
CREATE TABLE layout (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    name TEXT NOT NULL,
    layout_json TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    UNIQUE (owner, name)
);

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
