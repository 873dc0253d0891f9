//! Queries of the alert channels (`notify_channel`), their deliveries (`notify_delivery`, the
//! outbox and its history), the routing rules (`notify_rules`), and the MQTT bridge's settings
//! (`mqtt_settings`).

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigil_base::Result;

use crate::sql_err;

#[derive(Clone, Debug, PartialEq)]
pub struct ChannelRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub config_json: String,
    pub enabled: bool,
    pub created_at_ms: i64,
    pub updated_at_ms: i64,
}

const CHANNEL_COLUMNS: &str = "id, kind, name, config_json, enabled, created_at_ms, updated_at_ms";

fn channel(r: &Row<'_>) -> rusqlite::Result<ChannelRow> {
    Ok(ChannelRow {
        id: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        config_json: r.get(3)?,
        enabled: r.get(4)?,
        created_at_ms: r.get(5)?,
        updated_at_ms: r.get(6)?,
    })
}

pub fn list_channels(c: &Connection) -> Result<Vec<ChannelRow>> {
    let mut st = c
        .prepare_cached(&format!(
            "SELECT {CHANNEL_COLUMNS} FROM notify_channel ORDER BY id"
        ))
        .map_err(sql_err("preparing channel list"))?;
    let rows = st
        .query_map([], channel)
        .map_err(sql_err("listing channels"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("reading channels"))
}

pub fn get_channel(c: &Connection, id: i64) -> Result<Option<ChannelRow>> {
    c.query_row(
        &format!("SELECT {CHANNEL_COLUMNS} FROM notify_channel WHERE id = ?1"),
        [id],
        channel,
    )
    .optional()
    .map_err(sql_err("reading channel"))
}

/// Insert (`row.id` ignored); returns the id.
pub fn insert_channel(c: &Connection, row: &ChannelRow) -> Result<i64> {
    c.execute(
        "INSERT INTO notify_channel (kind, name, config_json, enabled, created_at_ms, updated_at_ms) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            row.kind,
            row.name,
            row.config_json,
            row.enabled,
            row.created_at_ms,
            row.updated_at_ms
        ],
    )
    .map_err(sql_err("saving channel"))?;
    Ok(c.last_insert_rowid())
}

pub fn update_channel(c: &Connection, row: &ChannelRow) -> Result<bool> {
    let n = c
        .execute(
            "UPDATE notify_channel SET name = ?2, config_json = ?3, enabled = ?4, updated_at_ms = ?5 \
             WHERE id = ?1",
            params![row.id, row.name, row.config_json, row.enabled, row.updated_at_ms],
        )
        .map_err(sql_err("updating channel"))?;
    Ok(n == 1)
}

pub fn delete_channel(c: &Connection, id: i64) -> Result<bool> {
    let n = c
        .execute("DELETE FROM notify_channel WHERE id = ?1", [id])
        .map_err(sql_err("deleting channel"))?;
    Ok(n == 1)
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryRow {
    pub id: i64,
    pub channel_id: i64,
    pub alert_id: Option<i64>,
    pub test: bool,
    pub body: String,
    pub state: String,
    pub attempts: i64,
    pub next_at_ms: i64,
    pub last_error: Option<String>,
    pub created_at_ms: i64,
    pub done_at_ms: Option<i64>,
}

const DELIVERY_COLUMNS: &str = "id, channel_id, alert_id, test, body, state, attempts, next_at_ms, \
    last_error, created_at_ms, done_at_ms";

fn delivery(r: &Row<'_>) -> rusqlite::Result<DeliveryRow> {
    Ok(DeliveryRow {
        id: r.get(0)?,
        channel_id: r.get(1)?,
        alert_id: r.get(2)?,
        test: r.get(3)?,
        body: r.get(4)?,
        state: r.get(5)?,
        attempts: r.get(6)?,
        next_at_ms: r.get(7)?,
        last_error: r.get(8)?,
        created_at_ms: r.get(9)?,
        done_at_ms: r.get(10)?,
    })
}

/// Queue a delivery (state `pending`, due at once); returns its id.
pub fn enqueue(
    c: &Connection,
    channel_id: i64,
    alert_id: Option<i64>,
    test: bool,
    body: &str,
    now_ms: i64,
) -> Result<i64> {
    c.execute(
        "INSERT INTO notify_delivery (channel_id, alert_id, test, body, state, next_at_ms, \
         created_at_ms) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5)",
        params![channel_id, alert_id, test, body, now_ms],
    )
    .map_err(sql_err("queueing a delivery"))?;
    Ok(c.last_insert_rowid())
}

/// Pending deliveries due by `now_ms`, oldest first.
pub fn due(c: &Connection, now_ms: i64, limit: i64) -> Result<Vec<DeliveryRow>> {
    let mut st = c
        .prepare_cached(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM notify_delivery WHERE state = 'pending' \
             AND next_at_ms <= ?1 ORDER BY next_at_ms, id LIMIT ?2"
        ))
        .map_err(sql_err("preparing due deliveries"))?;
    let rows = st
        .query_map(params![now_ms, limit], delivery)
        .map_err(sql_err("listing due deliveries"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("reading deliveries"))
}

/// The earliest time a pending delivery is due, if any.
pub fn next_due_ms(c: &Connection) -> Result<Option<i64>> {
    c.query_row(
        "SELECT min(next_at_ms) FROM notify_delivery WHERE state = 'pending'",
        [],
        |r| r.get(0),
    )
    .map_err(sql_err("reading the next delivery"))
}

/// Record an attempt: `state` `sent`, `failed` (given up) or `pending` again at `next_at_ms`.
pub fn record_attempt(
    c: &Connection,
    id: i64,
    state: &str,
    next_at_ms: i64,
    error: Option<&str>,
    now_ms: i64,
) -> Result<()> {
    c.execute(
        "UPDATE notify_delivery SET attempts = attempts + 1, state = ?2, next_at_ms = ?3, \
         last_error = coalesce(?4, last_error), \
         done_at_ms = CASE WHEN ?2 = 'pending' THEN NULL ELSE ?5 END WHERE id = ?1",
        params![id, state, next_at_ms, error, now_ms],
    )
    .map_err(sql_err("recording a delivery attempt"))?;
    Ok(())
}

/// A channel's deliveries, newest first.
pub fn list_deliveries(
    c: &Connection,
    channel_id: i64,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<DeliveryRow>> {
    let mut st = c
        .prepare_cached(&format!(
            "SELECT {DELIVERY_COLUMNS} FROM notify_delivery WHERE channel_id = ?1 \
             AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3"
        ))
        .map_err(sql_err("preparing deliveries"))?;
    let rows = st
        .query_map(params![channel_id, before_id, limit], delivery)
        .map_err(sql_err("listing deliveries"))?;
    rows.collect::<rusqlite::Result<_>>()
        .map_err(sql_err("reading deliveries"))
}

/// Delete finished deliveries older than `before_ms`; returns how many.
pub fn prune_deliveries(c: &Connection, before_ms: i64) -> Result<usize> {
    c.execute(
        "DELETE FROM notify_delivery WHERE state != 'pending' AND created_at_ms < ?1",
        [before_ms],
    )
    .map_err(sql_err("pruning deliveries"))
}

pub fn get_rules(c: &Connection) -> Result<Option<String>> {
    c.query_row(
        "SELECT rules_json FROM notify_rules WHERE id = 1",
        [],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err("reading the notification rules"))
}

pub fn set_rules(c: &Connection, json: &str, now_ms: i64) -> Result<()> {
    c.execute(
        "INSERT INTO notify_rules (id, rules_json, updated_at_ms) VALUES (1, ?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET rules_json = ?1, updated_at_ms = ?2",
        params![json, now_ms],
    )
    .map_err(sql_err("saving the notification rules"))?;
    Ok(())
}

/// The MQTT bridge's settings saved from the UI (JSON).
pub fn get_mqtt(c: &Connection) -> Result<Option<String>> {
    c.query_row(
        "SELECT settings_json FROM mqtt_settings WHERE id = 1",
        [],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err("reading the MQTT settings"))
}

pub fn set_mqtt(c: &Connection, json: &str, now_ms: i64) -> Result<()> {
    c.execute(
        "INSERT INTO mqtt_settings (id, settings_json, updated_at_ms) VALUES (1, ?1, ?2) \
         ON CONFLICT (id) DO UPDATE SET settings_json = ?1, updated_at_ms = ?2",
        params![json, now_ms],
    )
    .map_err(sql_err("saving the MQTT settings"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outbox_keeps_pending_deliveries_until_sent_or_given_up() {
        let c = crate::test_conn();
        let row = ChannelRow {
            id: 0,
            kind: "webhook".into(),
            name: "hook".into(),
            config_json: r#"{"url":"http://x"}"#.into(),
            enabled: true,
            created_at_ms: 1,
            updated_at_ms: 1,
        };
        let ch = insert_channel(&c, &row).unwrap();
        let a = enqueue(&c, ch, Some(7), false, "{}", 100).unwrap();
        let b = enqueue(&c, ch, None, true, "{}", 200).unwrap();
        assert_eq!(due(&c, 150, 10).unwrap().len(), 1);
        record_attempt(&c, a, "pending", 1_000, Some("HTTP 500"), 150).unwrap();
        assert_eq!(next_due_ms(&c).unwrap(), Some(200));
        record_attempt(&c, b, "sent", 0, None, 210).unwrap();
        assert_eq!(next_due_ms(&c).unwrap(), Some(1_000));
        let d = &due(&c, 1_000, 10).unwrap()[0];
        assert_eq!(
            (d.id, d.attempts, d.last_error.as_deref()),
            (a, 1, Some("HTTP 500"))
        );
        record_attempt(&c, a, "failed", 0, Some("gave up"), 1_100).unwrap();
        assert!(due(&c, i64::MAX, 10).unwrap().is_empty());
        let all = list_deliveries(&c, ch, None, 10).unwrap();
        assert_eq!(all.iter().map(|d| d.id).collect::<Vec<_>>(), vec![b, a]);
        assert_eq!(all[1].done_at_ms, Some(1_100));
        assert_eq!(prune_deliveries(&c, 150).unwrap(), 1);
        assert!(delete_channel(&c, ch).unwrap());
        assert!(list_deliveries(&c, ch, None, 10).unwrap().is_empty());
        assert_eq!(get_rules(&c).unwrap(), None);
        set_rules(&c, "[]", 5).unwrap();
        set_rules(&c, "[1]", 6).unwrap();
        assert_eq!(get_rules(&c).unwrap().as_deref(), Some("[1]"));
    }
}
