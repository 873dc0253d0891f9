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
