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

INSERT INTO footage_total (tier, camera_id, bytes, segments)
    SELECT tier, camera_id, coalesce(sum(bytes), 0), count(*) FROM recording GROUP BY tier, camera_id;

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
