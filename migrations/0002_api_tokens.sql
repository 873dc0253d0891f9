-- 0002: API tokens for scripts and integrations; the secret itself is never stored, only its hash.
CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    remark TEXT,
    role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer', 'api_only')),
    permissions_json TEXT NOT NULL,
    rate_limit_per_min INTEGER CHECK (rate_limit_per_min IS NULL OR rate_limit_per_min > 0),
    secret_sha256 BLOB NOT NULL UNIQUE,
    secret_prefix TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,
    last_used_at_ms INTEGER
);

CREATE INDEX camera_status ON camera (status);
