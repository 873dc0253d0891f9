//! `vigil user list|add|passwd|disable|enable`: user accounts on a data dir while no server runs
//! (the first admin of a recorder box, a forgotten password). Passwords are asked for without
//! echo, or read as one line from stdin with `--password-stdin`; never taken as an argument
//! (it would be in the shell history and in `ps`).

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use vigil_engine::OfflineUsers;
use vigil_engine::auth::{User, UserCreate, UserPatch, UserRole};

use crate::UserAction;

pub async fn run(dir: &Path, action: UserAction) -> Result<()> {
    let o = OfflineUsers::open(dir).map_err(|e| anyhow!("{e}"))?;
    let r = act(&o, action).await;
    o.close().map_err(|e| anyhow!("{e}"))?;
    r
}

async fn act(o: &OfflineUsers, action: UserAction) -> Result<()> {
    let u = &o.users;
    match action {
        UserAction::List => {
            let list = u.list().await.map_err(|e| anyhow!("{e}"))?;
            if list.is_empty() {
                println!("no users yet: `vigil user add NAME --role admin` makes the first");
            }
            for x in list {
                println!(
                    "{:>4}  {:<24} {:<9} {:<9} cameras: {}{}",
                    x.id,
                    x.username,
                    role_name(x.role),
                    if x.enabled { "enabled" } else { "disabled" },
                    x.cameras
                        .map(|c| format!("{c:?}"))
                        .unwrap_or_else(|| "all".into()),
                    if x.has_password {
                        ""
                    } else {
                        "  (no password)"
                    }
                );
            }
            Ok(())
        }
        UserAction::Add {
            username,
            role,
            cameras,
            display_name,
            password_stdin,
        } => {
            let role = match role.as_str() {
                "admin" => UserRole::Admin,
                "operator" => UserRole::Operator,
                "viewer" => UserRole::Viewer,
                other => bail!("role must be admin, operator or viewer, not {other}"),
            };
            let password = read_password(password_stdin, true)?;
            let x = u
                .create(UserCreate {
                    username,
                    password: Some(password),
                    display_name,
                    role,
                    cameras,
                })
                .await
                .map_err(|e| anyhow!("{}", explain(&e)))?;
            println!("added {} ({})", x.username, role_name(x.role));
            Ok(())
        }
        UserAction::Passwd {
            username,
            password_stdin,
        } => {
            let x = find(o, &username).await?;
            let password = read_password(password_stdin, true)?;
            u.update(
                x.id,
                UserPatch {
                    password: Some(password),
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| anyhow!("{}", explain(&e)))?;
            println!("password of {} changed", x.username);
            Ok(())
        }
        UserAction::Disable { username } => set_enabled(o, &username, false).await,
        UserAction::Enable { username } => set_enabled(o, &username, true).await,
    }
}

async fn set_enabled(o: &OfflineUsers, username: &str, enabled: bool) -> Result<()> {
    let x = find(o, username).await?;
    o.users
        .update(
            x.id,
            UserPatch {
                enabled: Some(enabled),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("{}", explain(&e)))?;
    println!(
        "{} {}",
        x.username,
        if enabled { "enabled" } else { "disabled" }
    );
    Ok(())
}

async fn find(o: &OfflineUsers, username: &str) -> Result<User> {
    o.users
        .list()
        .await
        .map_err(|e| anyhow!("{e}"))?
        .into_iter()
        .find(|x| x.username.eq_ignore_ascii_case(username))
        .ok_or_else(|| anyhow!("no user called {username}"))
}

/// A validation error's fields, one per line.
fn explain(e: &vigil_base::Error) -> String {
    match e.details().and_then(|d| d["fields"].as_object()) {
        Some(f) => f
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or("")))
            .collect::<Vec<_>>()
            .join("; "),
        None => e.to_string(),
    }
}

fn role_name(r: UserRole) -> &'static str {
    r.role().as_str()
}

pub(crate) fn read_password(from_stdin: bool, confirm: bool) -> Result<String> {
    let stdin = std::io::stdin();
    if from_stdin || !stdin.is_terminal() {
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = prompt_hidden("Password: ")?;
    if confirm && prompt_hidden("Again: ")? != first {
        bail!("the passwords differ");
    }
    Ok(first)
}

/// Read a line from the terminal with echo off (`stty -echo`, restored however the read ends).
fn prompt_hidden(prompt: &str) -> Result<String> {
    eprint!("{prompt}");
    std::io::stderr().flush()?;
    let stty = |arg: &str| {
        std::process::Command::new("stty")
            .arg(arg)
            .stdin(std::process::Stdio::inherit())
            .status()
            .is_ok_and(|s| s.success())
    };
    let hidden = stty("-echo");
    let mut line = String::new();
    let r = std::io::stdin().lock().read_line(&mut line);
    if hidden {
        stty("echo");
    }
    eprintln!();
    r?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}
