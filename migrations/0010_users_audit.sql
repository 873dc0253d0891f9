-- People and access (issue 14): user accounts with a role limited to all or some cameras, login
-- sessions whose refresh tokens rotate (one use each; a reused one revokes its whole family), API
-- tokens scoped to cameras like users, an append-only audit log, and the `auth_failures` alert.

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

ALTER TABLE api_token ADD COLUMN cameras_json TEXT; -- NULL: every camera

-- The operator role is what the issue defines (live, playback, export, acknowledge, bookmarks,
-- locks); permissions that were folded into broader ones get their own names. Each token keeps
-- what it could do, within what its role now allows.
CREATE TEMP TABLE perm_map (old TEXT, new TEXT);
INSERT INTO perm_map VALUES
    ('camera:read', 'camera:read'), ('camera:write', 'camera:write'),
    ('stream:view', 'stream:view'), ('stream:view', 'alert:ack'),
    ('recording:read', 'recording:read'), ('recording:read', 'recording:export'),
    ('recording:read', 'bookmark:write'), ('recording:delete', 'recording:delete'),
    ('recording:delete', 'footage:lock'), ('storage:admin', 'storage:admin'), ('admin', 'admin');
CREATE TEMP TABLE role_perm (role TEXT, perm TEXT);
INSERT INTO role_perm SELECT 'admin', new FROM perm_map;
INSERT INTO role_perm VALUES
    ('operator', 'camera:read'), ('operator', 'stream:view'), ('operator', 'recording:read'),
    ('operator', 'recording:export'), ('operator', 'alert:ack'), ('operator', 'bookmark:write'),
    ('operator', 'footage:lock'),
    ('viewer', 'camera:read'), ('viewer', 'stream:view'), ('viewer', 'recording:read'),
    ('api_only', 'camera:read'), ('api_only', 'recording:read');
UPDATE api_token SET permissions_json = (
    SELECT coalesce(json_group_array(p), '[]') FROM (
        SELECT DISTINCT m.new AS p FROM json_each(api_token.permissions_json) j
        JOIN perm_map m ON m.old = j.value
        JOIN role_perm r ON r.role = api_token.role AND r.perm = m.new
        ORDER BY p));
DROP TABLE perm_map;
DROP TABLE role_perm;

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

CREATE TABLE alert_new (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('camera_offline', 'recording_failed', 'storage_full', 'detection', 'detection_unavailable', 'storage_tier_offline', 'storage_locked_only', 'auth_failures')),
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
