-- The MQTT bridge's settings as set in the UI (`[mqtt]` in config.toml, when present, wins over
-- them). One row, JSON like config.toml's table; the broker's password is in the credential store.
CREATE TABLE mqtt_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    settings_json TEXT NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
