-- Incidents instead of one alert per tracked object (issue 13): detections on a camera join the
-- camera's open `detection` alert while activity continues, and it ends after a quiet period.
-- Conditions (a camera offline, storage) say when they cleared.
ALTER TABLE alert ADD COLUMN last_at_ms INTEGER;                     -- incidents: the last activity
ALTER TABLE alert ADD COLUMN ended_at_ms INTEGER;                    -- incidents: NULL while open
ALTER TABLE alert ADD COLUMN resolved_at_ms INTEGER;                 -- conditions: NULL while it holds
ALTER TABLE alert ADD COLUMN objects INTEGER NOT NULL DEFAULT 1;     -- incidents: tracked objects
ALTER TABLE alert ADD COLUMN labels_json TEXT NOT NULL DEFAULT '{}'; -- incidents: label -> objects

-- Alerts of one object each from before: closed incidents of that object.
UPDATE alert SET last_at_ms = created_at_ms, ended_at_ms = created_at_ms,
    labels_json = json_object(json_extract(details_json, '$.label'), 1)
    WHERE type = 'detection' AND json_extract(details_json, '$.label') IS NOT NULL;
UPDATE alert SET last_at_ms = created_at_ms, ended_at_ms = created_at_ms
    WHERE type = 'detection' AND ended_at_ms IS NULL;

CREATE INDEX alert_open_incident ON alert (camera_id) WHERE type = 'detection' AND ended_at_ms IS NULL;
