//! `/api/v1/audit`: who did what, when, from where (admin only), as JSON pages or CSV.

use axum::Extension;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use vigil_base::fields::instant_field;
use vigil_base::format_rfc3339_ms as rfc3339;
use vigil_base::{Error, FieldErrors};
use vigil_engine::auth::audit::AuditFilter;
use vigil_engine::{AuditAction, AuditOutcome, Permission, Principal};

use crate::AppState;
use crate::error::ApiError;
use crate::extract::{Data, Envelope, Query};
use crate::security::require;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(csv))
}

/// Filters of the audit log.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// A username: that user's entries, failed sign-ins under that name included.
    #[param(pattern = "^[A-Za-z0-9._@-]{1,64}$")]
    pub user: Option<String>,
    pub camera_id: Option<i64>,
    #[param(value_type = Option<AuditAction>)]
    pub action: Option<AuditAction>,
    /// RFC 3339 (or epoch ms): entries at or after.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub start: Option<String>,
    /// RFC 3339 (or epoch ms): entries before.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub end: Option<String>,
    /// The next page: `next` of the previous answer.
    #[param(pattern = "^[0-9]{1,18}$")]
    pub cursor: Option<String>,
    /// 1–1000, default 100.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
}

/// Filters of the CSV export (every matching entry, newest first, at most 100000).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditCsvParams {
    /// A username: that user's entries, failed sign-ins under that name included.
    #[param(pattern = "^[A-Za-z0-9._@-]{1,64}$")]
    pub user: Option<String>,
    pub camera_id: Option<i64>,
    #[param(value_type = Option<AuditAction>)]
    pub action: Option<AuditAction>,
    /// RFC 3339 (or epoch ms): entries at or after.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub start: Option<String>,
    /// RFC 3339 (or epoch ms): entries before.
    #[param(value_type = Option<vigil_base::fields::InstantParam>)]
    pub end: Option<String>,
}

impl From<AuditCsvParams> for AuditParams {
    fn from(c: AuditCsvParams) -> Self {
        AuditParams {
            user: c.user,
            camera_id: c.camera_id,
            action: c.action,
            start: c.start,
            end: c.end,
            cursor: None,
            limit: None,
        }
    }
}

/// One audit entry.
#[derive(Serialize, ToSchema)]
pub struct AuditRecord {
    pub id: i64,
    /// RFC 3339 UTC.
    pub at: String,
    /// `user:alice`, `token:<name>`, `admin token`, `rtmp`; a failed sign-in's tried name ends
    /// in `?`.
    pub actor: String,
    pub user_id: Option<i64>,
    pub action: AuditAction,
    pub camera_id: Option<i64>,
    pub target: Option<String>,
    pub outcome: AuditOutcome,
    /// The peer address.
    pub client: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

#[derive(Serialize, ToSchema)]
pub struct AuditPage {
    /// Newest first.
    pub entries: Vec<AuditRecord>,
    /// More match: pass this as `cursor` for the next page (null on the last page).
    pub next: Option<String>,
}

fn filter(q: AuditParams, default_limit: u32, max: u32) -> Result<AuditFilter, ApiError> {
    let mut errs = FieldErrors::new();
    if let Some(u) = &q.user
        && (u.is_empty()
            || u.len() > 64
            || !u
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._@-".contains(c)))
    {
        errs.insert(
            "user".into(),
            "a username: 1 to 64 letters, digits, '.', '_', '@' or '-'".into(),
        );
    }
    let start_ms = instant_field(&mut errs, "start", &q.start);
    let end_ms = instant_field(&mut errs, "end", &q.end);
    let before_id = match q.cursor.as_deref().map(str::parse::<i64>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            errs.insert(
                "cursor".into(),
                "must be the `next` of a previous page".into(),
            );
            None
        }
    };
    let limit = q.limit.unwrap_or(default_limit);
    if !(1..=max).contains(&limit) {
        errs.insert("limit".into(), format!("must be between 1 and {max}"));
    }
    if !errs.is_empty() {
        return Err(ApiError(Error::validation(errs)));
    }
    Ok(AuditFilter {
        user_id: None,
        actor: q.user.map(|u| format!("user:{u}")),
        camera_id: q.camera_id,
        action: q.action,
        start_ms,
        end_ms,
        before_id,
        limit,
    })
}

fn record(e: vigil_engine::AuditEntry) -> AuditRecord {
    AuditRecord {
        id: e.id,
        at: rfc3339(e.at_ms),
        actor: e.actor,
        user_id: e.user_id,
        action: e.action,
        camera_id: e.camera_id,
        target: e.target,
        outcome: e.outcome,
        client: e.client,
        details: e.details,
    }
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/audit", tag = "audit", params(AuditParams),
    responses((status = 200, body = Envelope<AuditPage>)), security(("bearer" = ["admin"])))]
pub async fn list(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<AuditParams>,
) -> Result<Data<AuditPage>, ApiError> {
    require(&p, Permission::Admin)?;
    let f = filter(q, 100, 1000)?;
    let limit = f.limit as usize;
    let mut rows = st
        .engine
        .audit()
        .list(AuditFilter {
            limit: f.limit + 1,
            ..f
        })
        .await?;
    let next = (rows.len() > limit).then(|| {
        rows.truncate(limit);
        rows.last().map(|r| r.id.to_string()).unwrap_or_default()
    });
    Ok(Data(AuditPage {
        entries: rows.into_iter().map(record).collect(),
        next,
    }))
}

/// The audit log as CSV (the same filters; newest first).
#[utoipa::path(get, path = "/audit/export.csv", tag = "audit", params(AuditCsvParams),
    responses((status = 200, description = "CSV: at, actor, action, outcome, camera_id, target, client, details", content_type = "text/csv")),
    security(("bearer" = ["admin"])))]
pub async fn csv(
    State(st): State<AppState>,
    Extension(p): Extension<Principal>,
    Query(q): Query<AuditCsvParams>,
) -> Result<Response, ApiError> {
    require(&p, Permission::Admin)?;
    let f = filter(q.into(), 100_000, 100_000)?;
    let rows = st.engine.audit().list(f).await?;
    let mut out = String::from("at,actor,action,outcome,camera_id,target,client,details\n");
    for r in rows {
        let line = [
            rfc3339(r.at_ms),
            r.actor,
            r.action.as_str().to_string(),
            serde_json::to_value(r.outcome)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            r.camera_id.map(|c| c.to_string()).unwrap_or_default(),
            r.target.unwrap_or_default(),
            r.client.unwrap_or_default(),
            if r.details.is_null() {
                String::new()
            } else {
                r.details.to_string()
            },
        ]
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
        out.push_str(&line);
        out.push('\n');
    }
    let mut resp = out.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"vigil-audit.csv\""),
    );
    Ok(resp)
}

/// RFC 4180 quoting; a leading `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does
/// not run a name someone chose as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(super::csv_field("plain"), "plain");
        assert_eq!(super::csv_field("a,b"), "\"a,b\"");
        assert_eq!(super::csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(super::csv_field("=cmd()"), "'=cmd()");
    }
}
