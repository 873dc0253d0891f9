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
