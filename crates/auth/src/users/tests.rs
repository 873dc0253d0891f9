//! Sign-in, refresh rotation and reuse, lockout, re-authentication, the set-up link, user changes
//! that make principals stale, the last admin, validation: through the services and a real database.

use super::*;
use crate::{AdminToken, Permission, TokenService};
use vigil_base::{ErrorCode, SimulatedClock};

struct T {
    clock: SimulatedClock,
    users: UserService,
    tokens: TokenService,
    _dir: tempfile::TempDir,
}

fn setup() -> T {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(&dir.path().join("v.db")).unwrap();
    let clock = SimulatedClock::new(1_763_712_000_000);
    let c: Arc<dyn Clock> = Arc::new(clock.clone());
    let sessions = Sessions::new();
    let admin = AdminToken::load_or_create(dir.path(), None).unwrap();
    let tokens = TokenService::load(db.clone(), admin, c.clone(), sessions.clone()).unwrap();
    let audit = AuditLog::new(db.clone(), c.clone());
    let users = UserService::load(db, c, sessions, audit).unwrap();
    T {
        clock,
        users,
        tokens,
        _dir: dir,
    }
}

fn create(name: &str, role: UserRole) -> UserCreate {
    UserCreate {
        username: name.into(),
        password: Some("correct horse battery".into()),
        display_name: None,
        role,
        cameras: None,
    }
}

#[tokio::test]
async fn login_refresh_rotation_and_reuse() {
    let t = setup();
    let u = t
        .users
        .create(create("Alice", UserRole::Operator))
        .await
        .unwrap();
    assert!(u.has_password);
    let e = t
        .users
        .login("alice", "wrong password!", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthCredentialsInvalid);
    let e = t
        .users
        .login("nobody", "correct horse battery", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthCredentialsInvalid);

    let s = t
        .users
        .login("ALICE", "correct horse battery", Some("10.0.0.2".into()))
        .await
        .unwrap();
    assert_eq!(s.session.expires_in, 900);
    let p = t.tokens.authenticate(&s.session.access_token).unwrap();
    assert_eq!(p.name, "Alice");
    assert!(p.has(Permission::RecordingExport));
    assert!(!p.has(Permission::CameraWrite));
    assert!(t.tokens.is_current(&p));

    // The access token lasts 15 minutes; the refresh token gets a new pair, once.
    t.clock.advance_ms(ACCESS_TTL_MS);
    assert!(t.tokens.authenticate(&s.session.access_token).is_err());
    let s2 = t
        .users
        .refresh(&s.session.refresh_token, None)
        .await
        .unwrap();
    let p2 = t.tokens.authenticate(&s2.session.access_token).unwrap();
    assert_eq!(
        p2.user.as_ref().unwrap().session_id,
        p.user.as_ref().unwrap().session_id
    );
    // The spent one again: refused, and the whole family is revoked.
    let e = t
        .users
        .refresh(&s.session.refresh_token, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthRefreshInvalid);
    assert!(t.tokens.authenticate(&s2.session.access_token).is_err());
    assert!(!t.tokens.is_current(&p2));
    let e = t
        .users
        .refresh(&s2.session.refresh_token, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthRefreshInvalid);
    assert_eq!(t.users.counters().refresh_reuse.load(Ordering::Relaxed), 1);
}

#[tokio::test]
async fn the_set_up_link_makes_the_first_admin_once() {
    let t = setup();
    let code = t.users.setup_code().await.unwrap().unwrap();
    assert_eq!(
        t.users.setup_code().await.unwrap().as_deref(),
        Some(code.as_str())
    );
    let e = t
        .users
        .setup("not-the-code", "owner", "correct horse battery", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthCredentialsInvalid);
    let s = t
        .users
        .setup(&code, "owner", "correct horse battery", None)
        .await
        .unwrap();
    assert_eq!(s.user.role, UserRole::Admin);
    assert!(t.tokens.authenticate(&s.session.access_token).is_ok());
    let e = t
        .users
        .setup(&code, "second", "correct horse battery", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthCredentialsInvalid);
    assert_eq!(t.users.setup_code().await.unwrap(), None);
}

#[tokio::test]
async fn admin_pages_need_a_recent_password() {
    let t = setup();
    t.users
        .create(create("root", UserRole::Admin))
        .await
        .unwrap();
    let s = t
        .users
        .login("root", "correct horse battery", None)
        .await
        .unwrap();
    let p = t.tokens.authenticate(&s.session.access_token).unwrap();
    assert!(t.tokens.recently_authenticated(&p), "signing in counts");
    t.clock.advance_ms(REAUTH_TTL_MS);
    assert!(!t.tokens.recently_authenticated(&p));
    let e = t
        .users
        .reauthenticate(&p, "wrong!", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthCredentialsInvalid);
    t.users
        .reauthenticate(&p, "correct horse battery", None)
        .await
        .unwrap();
    assert!(t.tokens.recently_authenticated(&p));
}

#[tokio::test]
async fn changes_make_principals_stale_and_disable_ends_sessions() {
    let t = setup();
    let u = t
        .users
        .create(create("bob", UserRole::Viewer))
        .await
        .unwrap();
    let mut rx = t.tokens.revocations();
    let s = t
        .users
        .login("bob", "correct horse battery", None)
        .await
        .unwrap();
    let p = t.tokens.authenticate(&s.session.access_token).unwrap();
    assert!(p.sees_all());
    t.users
        .update(
            u.id,
            UserPatch {
                role: Some(UserRole::Operator),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(rx.has_changed().unwrap());
    rx.mark_unchanged();
    assert!(
        !t.tokens.is_current(&p),
        "role changed: sockets must re-check"
    );
    let p = t.tokens.authenticate(&s.session.access_token).unwrap();
    assert!(p.has(Permission::AlertAck));
    t.users
        .update(
            u.id,
            UserPatch {
                enabled: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(!t.tokens.is_current(&p));
    assert!(t.tokens.authenticate(&s.session.access_token).is_err());
    let e = t
        .users
        .refresh(&s.session.refresh_token, None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthRefreshInvalid);
    let e = t
        .users
        .login("bob", "correct horse battery", None)
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::AuthCredentialsInvalid);
}

#[tokio::test]
async fn lockout_and_last_admin_and_validation() {
    let t = setup();
    let admin = t
        .users
        .create(create("root", UserRole::Admin))
        .await
        .unwrap();
    for _ in 0..6 {
        let _ = t
            .users
            .login("root", "not the password", Some("10.1.1.1".into()))
            .await;
    }
    let e = t
        .users
        .login("root", "correct horse battery", Some("10.1.1.1".into()))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::RateLimitExceeded);
    assert!(e.details().unwrap()["retry_after_s"].as_i64().unwrap() >= 1);
    assert!(t.users.failures_last_minute() >= 6);
    t.clock.advance_ms(2_000);
    t.users
        .login("root", "correct horse battery", Some("10.1.1.1".into()))
        .await
        .unwrap();

    let e = t
        .users
        .update(
            admin.id,
            UserPatch {
                role: Some(UserRole::Viewer),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::LastAdmin);
    assert_eq!(
        t.users.delete(admin.id).await.unwrap_err().code(),
        ErrorCode::LastAdmin
    );
    let e = t
        .users
        .create(create("ROOT", UserRole::Viewer))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::UsernameTaken);
    let e = t
        .users
        .create(UserCreate {
            username: "bad name".into(),
            password: Some("short".into()),
            display_name: None,
            role: UserRole::Viewer,
            cameras: Some(vec![42]),
        })
        .await
        .unwrap_err();
    let f = &e.details().unwrap()["fields"];
    assert!(f["username"].is_string());
    assert!(f["password"].is_string());
    let e = t
        .users
        .create(UserCreate {
            cameras: Some(vec![42]),
            ..create("carol", UserRole::Viewer)
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::CameraNotFound);
    assert_eq!(
        e.details().unwrap()["fields"]["cameras"],
        "no camera with id [42]"
    );
}
