//! The defences of a server on 127.0.0.1, which any web page the operator opens can reach:
//! `Host` must be a loopback name with our port (DNS rebinding); a browser `Origin` must be Vigil's
//! own UI (cross-site requests and WebSocket hijacking); bodies are size-limited; every protected
//! route needs a bearer token, compared in constant time by the engine; each token has a rate limit.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use vigil_base::{Clock, err};
use vigil_engine::{Permission, Principal};

use crate::{ApiConfig, ApiError, AppState};

/// Host and Origin allow-lists, fixed at start-up from the bound port and configuration.
pub struct Guard {
    hosts: HashSet<String>,
    /// Origins that are the server itself (same-origin UI): no CORS headers needed.
    self_origins: HashSet<String>,
    /// Other origins of Vigil's UI (the Tauri webview, configured dev servers): CORS allowed.
    cors_origins: HashSet<String>,
    max_body: u64,
}

impl Guard {
    pub fn new(cfg: &ApiConfig) -> Self {
        let port = cfg.local_addr.port();
        let mut names = vec!["127.0.0.1".to_string(), "localhost".into(), "[::1]".into()];
        if !cfg.local_addr.ip().is_loopback() && !cfg.local_addr.ip().is_unspecified() {
            names.push(match cfg.local_addr.ip() {
                std::net::IpAddr::V6(ip) => format!("[{ip}]"),
                ip => ip.to_string(),
            });
        }
        let mut hosts = HashSet::new();
        let mut self_origins = HashSet::new();
        for n in &names {
            hosts.insert(format!("{n}:{port}"));
            self_origins.insert(format!("http://{n}:{port}"));
            self_origins.insert(format!("https://{n}:{port}"));
            if port == 80 {
                hosts.insert(n.clone());
                self_origins.insert(format!("http://{n}"));
            }
        }
        for h in &cfg.extra_hosts {
            let h = h.to_ascii_lowercase();
            self_origins.insert(format!("http://{h}"));
            self_origins.insert(format!("https://{h}"));
            hosts.insert(h);
        }
        let mut cors_origins: HashSet<String> = [
            "tauri://localhost",
            "http://tauri.localhost",
            "https://tauri.localhost",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        cors_origins.extend(
            cfg.extra_origins
                .iter()
                .map(|o| o.trim_end_matches('/').to_ascii_lowercase()),
        );
        Guard {
            hosts,
            self_origins,
            cors_origins,
            max_body: cfg.max_body_bytes as u64,
        }
    }

    fn host_ok(&self, headers: &HeaderMap) -> bool {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| self.hosts.contains(&h.to_ascii_lowercase()))
    }
}

/// Outer guard for every request: Host, Origin (with CORS for the desktop webview), declared size.
pub async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let g = &st.guard;
    if !g.host_ok(req.headers()) {
        st.metrics.refused("host");
        tracing::warn!(host = ?req.headers().get(header::HOST), "refused request with a foreign Host header");
        return ApiError(err!(
            PermissionDenied,
            code = HostNotAllowed,
            "Host header is not this server's loopback address"
        ))
        .into_response();
    }
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .map(|o| o.to_str().unwrap_or("").to_ascii_lowercase());
    let mut cors_origin = None;
    if let Some(o) = origin {
        if g.cors_origins.contains(&o) {
            cors_origin = Some(o);
        } else if !g.self_origins.contains(&o) {
            st.metrics.refused("origin");
            tracing::warn!(origin = %o, "refused request from a foreign Origin");
            return ApiError(err!(
                PermissionDenied,
                code = OriginNotAllowed,
                "requests from this web origin are not allowed"
            ))
            .into_response();
        }
    }
    if req.method() == Method::OPTIONS && cors_origin.is_some() {
        let mut resp = StatusCode::NO_CONTENT.into_response();
        add_cors(resp.headers_mut(), cors_origin.as_deref(), true);
        return resp;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > g.max_body) {
        st.metrics.refused("body_size");
        return ApiError(err!(
            InvalidArgument,
            code = PayloadTooLarge,
            "request body is larger than {} bytes",
            g.max_body
        ))
        .into_response();
    }
    let mut resp = next.run(req).await;
    add_cors(resp.headers_mut(), cors_origin.as_deref(), false);
    add_security_headers(resp.headers_mut());
    resp
}

fn add_cors(h: &mut HeaderMap, origin: Option<&str>, preflight: bool) {
    let Some(o) = origin.and_then(|o| HeaderValue::from_str(o).ok()) else {
        return;
    };
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o);
    h.append(header::VARY, HeaderValue::from_static("Origin"));
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("x-request-id, retry-after"),
    );
    if preflight {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    }
}

fn add_security_headers(h: &mut HeaderMap) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // The UI's own scripts, styles and media only: no inline script, nothing from elsewhere, no
    // framing. `blob:` for MSE/HLS media, hls.js's worker, the VOD playlist it fetches from a blob
    // URL, and snapshot pictures; `'unsafe-inline'`
    // styles only (React's style attributes: the grid's tile positions).
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' blob: data:; media-src 'self' blob:; connect-src 'self' blob:; \
             worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Marks a WebSocket upgrade that carried no token: the handler must get one in the first message.
#[derive(Clone, Copy)]
pub struct PendingWsAuth {
    /// Whether the socket comes from this computer ([`SameHost`]), for the token that follows.
    pub same_host: bool,
}

/// Whether a connection comes from this computer: set by the server for every request; requests
/// without it (tests driving the router directly) count as local.
#[derive(Clone, Copy, Debug)]
pub struct SameHost(pub bool);

fn same_host(req: &Request) -> bool {
    req.extensions().get::<SameHost>().is_none_or(|s| s.0)
}

/// Refuses a credential that only works on this computer ([`Principal::same_host_only`], the
/// desktop's) when it comes from elsewhere, as if it were unknown.
pub fn check_origin(p: &Principal, same_host: bool) -> Result<(), vigil_base::Error> {
    if p.same_host_only && !same_host {
        return Err(err!(
            Unauthenticated,
            code = AuthTokenInvalid,
            "this credential is accepted only from the computer Vigil runs on"
        ));
    }
    Ok(())
}

/// Authenticate protected routes: `Authorization: Bearer`, or for WebSocket upgrades `?token=`.
/// Then apply the caller's rate limit.
pub async fn authenticate(State(st): State<AppState>, req: Request, next: Next) -> Response {
    authenticate_inner(st, req, next, false).await
}

/// As [`authenticate`], but a WebSocket upgrade with no token is let through marked
/// [`PendingWsAuth`]: the handler must get the token in the first message (browsers cannot set
/// headers on a WebSocket). Only for routes whose handler does that.
pub async fn authenticate_ws(State(st): State<AppState>, req: Request, next: Next) -> Response {
    authenticate_inner(st, req, next, true).await
}

async fn authenticate_inner(
    st: AppState,
    mut req: Request,
    next: Next,
    allow_pending: bool,
) -> Response {
    let is_ws = req
        .headers()
        .get(header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let token = bearer(req.headers()).or_else(|| {
        is_ws
            .then(|| query_param(req.uri().query().unwrap_or(""), "token"))
            .flatten()
    });
    let Some(token) = token else {
        if is_ws && allow_pending {
            let same_host = same_host(&req);
            req.extensions_mut().insert(PendingWsAuth { same_host });
            return next.run(req).await;
        }
        st.metrics.auth_failure("missing");
        return ApiError(err!(
            Unauthenticated,
            code = AuthTokenMissing,
            "this route needs Authorization: Bearer <token>"
        ))
        .into_response();
    };
    let principal = match st
        .engine
        .tokens()
        .authenticate(&token)
        .and_then(|p| check_origin(&p, same_host(&req)).map(|()| p))
    {
        Ok(p) => p,
        Err(e) => {
            st.metrics.auth_failure("invalid");
            return ApiError(e).into_response();
        }
    };
    if let Err(resp) = st.limiter.check(&principal) {
        st.metrics.rate_limited();
        return resp;
    }
    // The route's declared permission (its OpenAPI security scope), before any extractor runs:
    // what the document says is what the server enforces. Handlers check again.
    if let Some(needed) = st.route_permissions.needed(&req) {
        match needed {
            Needed::Authenticated => {}
            Needed::Permission(perm) => {
                if let Err(e) = require(&principal, perm) {
                    return e.into_response();
                }
                if asks_password_again(perm)
                    && !st.engine.tokens().recently_authenticated(&principal)
                {
                    return ApiError(err!(
                        PermissionDenied,
                        code = AuthReauthRequired,
                        "enter your password again (POST /api/v1/auth/reauth) to use admin pages"
                    ))
                    .into_response();
                }
            }
            Needed::Undeclared => {
                tracing::error!(path = %req.uri().path(), "route declares no permission");
                return ApiError(err!(
                    PermissionDenied,
                    code = AuthInsufficientPermissions,
                    "this route declares no permission"
                ))
                .into_response();
            }
        }
    }
    if let Some(camera) = named_camera(req.uri())
        && !principal.can_see(camera)
    {
        return camera_not_found(camera).into_response();
    }
    req.extensions_mut().insert(principal);
    next.run(req).await
}

/// What a route needs, from its declared security scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Needed {
    /// Any authenticated caller (`/auth/me`).
    Authenticated,
    Permission(Permission),
    /// A protected route with no scope in the document: refused (a new route must say).
    Undeclared,
}

/// Route → permission, read once from the OpenAPI document the routes generate. Keyed by the
/// matched path (`/api/v1/cameras/{id}`), then the method: a lookup borrows the request's path.
#[derive(Default)]
pub struct RoutePermissions {
    map: HashMap<String, Vec<(Method, Needed)>>,
}

impl RoutePermissions {
    pub fn from_doc(doc: &utoipa::openapi::OpenApi) -> RoutePermissions {
        let mut map = HashMap::new();
        for (path, item) in doc.paths.paths.iter() {
            let ops = [
                (Method::GET, item.get.as_ref()),
                (Method::POST, item.post.as_ref()),
                (Method::PUT, item.put.as_ref()),
                (Method::PATCH, item.patch.as_ref()),
                (Method::DELETE, item.delete.as_ref()),
            ];
            for (m, op) in ops {
                let Some(op) = op else { continue };
                let Some(reqs) = op.security.as_ref() else {
                    continue;
                };
                let json = serde_json::to_value(reqs).unwrap_or_default();
                let scopes: Vec<String> = json
                    .as_array()
                    .and_then(|a| a.first())
                    .and_then(|r| r.get("bearer"))
                    .and_then(|b| b.as_array())
                    .map(|a| {
                        a.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let needed = match scopes.as_slice() {
                    [] => Needed::Authenticated,
                    [one] => Permission::parse(one).map_or(Needed::Undeclared, Needed::Permission),
                    _ => Needed::Undeclared,
                };
                map.entry(path.clone())
                    .or_insert_with(Vec::new)
                    .push((m, needed));
            }
        }
        RoutePermissions { map }
    }

    /// `None` when the request did not match a documented route (the fallbacks answer it).
    fn needed(&self, req: &Request) -> Option<Needed> {
        let matched = req.extensions().get::<axum::extract::MatchedPath>()?;
        // The router is nested under /api/v1, and the matched path includes it.
        let needed = self
            .map
            .get(matched.as_str())
            .and_then(|ops| ops.iter().find(|(m, _)| m == req.method()))
            .map(|(_, n)| *n);
        Some(needed.unwrap_or(Needed::Undeclared))
    }
}

/// The camera a request names in its path (`/cameras/{id}/…`) or its `camera_id` query
/// parameter: a caller limited to some cameras is refused any other here, once for every route,
/// as if it did not exist. Routes naming a camera only inside their body or through another
/// thing (a recording, an export) check it themselves.
fn named_camera(uri: &axum::http::Uri) -> Option<i64> {
    let mut segs = uri.path().split('/');
    let in_path = segs
        .by_ref()
        .skip_while(|s| *s != "cameras")
        .nth(1)
        .and_then(|id| id.parse().ok());
    in_path.or_else(|| {
        query_param(uri.query().unwrap_or(""), "camera_id")?
            .parse()
            .ok()
    })
}

/// The answer for a camera outside the caller's cameras: the same as for one that does not exist.
pub fn camera_not_found(id: i64) -> ApiError {
    ApiError(err!(
        NotFound,
        code = CameraNotFound,
        "camera {id} not found"
    ))
}

/// Refuse (as not found) a camera outside the caller's cameras.
pub fn require_camera(p: &Principal, camera_id: i64) -> Result<(), ApiError> {
    if p.can_see(camera_id) {
        Ok(())
    } else {
        Err(camera_not_found(camera_id))
    }
}

/// The peer address of the request, for the audit log and sign-in lockouts (`None` when the
/// server was not given connection info, as in tests driving the router directly).
pub struct ClientAddr(pub Option<String>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip().to_string()),
        ))
    }
}

fn bearer(h: &HeaderMap) -> Option<String> {
    let v = h.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| rest.trim().to_string())
        .filter(|t| !t.is_empty())
}

pub fn query_param(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then(|| percent_decode(v))
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Refuse with 403 unless the caller has `p`.
pub fn require(principal: &Principal, p: Permission) -> Result<(), ApiError> {
    if principal.has(p) {
        Ok(())
    } else {
        Err(ApiError(err!(
            PermissionDenied,
            code = AuthInsufficientPermissions,
            "this account lacks the {} permission",
            p.as_str()
        )))
    }
}

/// Per-token token buckets: capacity = the limit per minute, refilled continuously.
pub struct RateLimiter {
    clock: Arc<dyn Clock>,
    buckets: Mutex<HashMap<String, (f64, i64)>>,
}

impl RateLimiter {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        RateLimiter {
            clock,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Take one request from the caller's bucket, or answer 429 with `Retry-After`.
    #[allow(clippy::result_large_err)]
    pub fn check(&self, p: &Principal) -> Result<(), Response> {
        let Some(limit) = p.rate_limit_per_min else {
            return Ok(());
        };
        let cap = f64::from(limit);
        let now = self.clock.now_ms();
        let mut buckets = match self.buckets.lock() {
            Ok(b) => b,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (tokens, last) = buckets.entry(p.key()).or_insert((cap, now));
        let refill = (now - *last).max(0) as f64 * cap / 60_000.0;
        *tokens = (*tokens + refill).min(cap);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            return Ok(());
        }
        let wait_s = ((1.0 - *tokens) * 60.0 / cap).ceil().max(1.0) as u64;
        let mut resp = ApiError(
            err!(
                ResourceExhausted,
                code = RateLimitExceeded,
                "rate limit of {limit} requests per minute exceeded"
            )
            .with_details(serde_json::json!({"limit_per_min": limit, "retry_after_s": wait_s})),
        )
        .into_response();
        if let Ok(v) = HeaderValue::from_str(&wait_s.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        Err(resp)
    }
}

/// Admin pages (users, tokens, the audit log, storage and its archive keys): a signed-in person
/// enters the password again after five minutes (tokens are not asked).
fn asks_password_again(perm: Permission) -> bool {
    matches!(perm, Permission::Admin | Permission::StorageAdmin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigil_base::SimulatedClock;
    use vigil_engine::Role;

    #[test]
    fn admin_pages_ask_for_the_password_again_and_the_desk_does_not() {
        // Users, tokens, the audit log and storage do; nothing an operator does at the desk does.
        assert!(asks_password_again(Permission::Admin));
        assert!(asks_password_again(Permission::StorageAdmin));
        for p in vigil_engine::Role::Operator.permissions() {
            assert!(!asks_password_again(p), "{p:?}");
        }
    }

    #[test]
    fn bucket_refills_over_time() {
        let clock = SimulatedClock::new(0);
        let rl = RateLimiter::new(Arc::new(clock.clone()));
        let p = Principal {
            token_id: Some(1),
            user: None,
            name: "t".into(),
            role: Role::Viewer,
            permissions: Role::Viewer.permissions(),
            rate_limit_per_min: Some(2),
            cameras: None,
            same_host_only: false,
        };
        assert!(rl.check(&p).is_ok());
        assert!(rl.check(&p).is_ok());
        let r = rl.check(&p).unwrap_err();
        assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(r.headers()[header::RETRY_AFTER], "30");
        clock.advance_ms(30_000);
        assert!(rl.check(&p).is_ok());
        assert!(rl.check(&p).is_err());
    }

    #[test]
    fn requests_name_their_camera() {
        let u = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        assert_eq!(named_camera(&u("/cameras/12/stream/mse")), Some(12));
        assert_eq!(named_camera(&u("/api/v1/cameras/7")), Some(7));
        assert_eq!(named_camera(&u("/cameras")), None);
        assert_eq!(named_camera(&u("/cameras/probe")), None);
        assert_eq!(named_camera(&u("/recordings?camera_id=3&limit=2")), Some(3));
        assert_eq!(named_camera(&u("/recordings?limit=2")), None);
    }

    #[test]
    fn query_params_decode() {
        assert_eq!(
            query_param("a=1&token=vgl_x%2By", "token").as_deref(),
            Some("vgl_x+y")
        );
        assert_eq!(query_param("token=abc%", "token").as_deref(), Some("abc%"));
        assert_eq!(query_param("a=1", "token"), None);
    }

    #[test]
    fn guard_lists() {
        let cfg = ApiConfig::new("127.0.0.1:8080".parse().unwrap());
        let g = Guard::new(&cfg);
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("localhost:8080"));
        assert!(g.host_ok(&h));
        h.insert(header::HOST, HeaderValue::from_static("evil.example:8080"));
        assert!(!g.host_ok(&h));
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:9999"));
        assert!(!g.host_ok(&h));
        assert!(g.self_origins.contains("http://127.0.0.1:8080"));
        assert!(g.cors_origins.contains("tauri://localhost"));
    }
}
