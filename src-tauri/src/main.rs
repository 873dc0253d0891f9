//! The Vigil desktop app. When a Vigil already runs for this user (the system service, or `vigil
//! serve` on the same data dir) it is only that Vigil's window: it attaches through the data dir's
//! `runtime.json` and closing it never touches recording. Otherwise it starts the same engine and
//! loopback API as `vigil serve` in-process, opens the UI in a window and hands it the API address and token over IPC (never in a URL, a
//! command line or a file another process could read), keeps a tray icon, and allows one instance
//! per data dir. Everything else lives in the engine crates.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod autostart;
mod single_instance;
mod window_state;

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, Result};
use serde::Serialize;
use tauri::menu::{Menu, MenuItem};
use tauri::tray::{MouseButton, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Manager, RunEvent, WindowEvent};
use vigil::{Running, Settings, config};

/// What the UI needs to talk to the API.
#[derive(Clone, Serialize)]
struct ConnectionInfo {
    url: String,
    token: String,
}

#[tauri::command]
fn connection_info(info: tauri::State<'_, ConnectionInfo>) -> ConnectionInfo {
    info.inner().clone()
}

fn main() {
    if let Err(e) = run() {
        eprintln!("vigil-desktop: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let data_dir = std::env::var_os("VIGIL_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(config::default_data_dir);
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;

    let primary = match single_instance::acquire(&data_dir)? {
        single_instance::Role::Secondary => {
            eprintln!("Vigil is already running; showed its window.");
            return Ok(());
        }
        single_instance::Role::Primary(p) => p,
    };

    // A Vigil already running for this user: be its window, not a second engine.
    let candidates = [
        data_dir.clone(),
        PathBuf::from(vigil::attach::SYSTEM_DATA_DIR),
    ];
    if let Some(svc) = vigil::attach::find(&candidates) {
        let _log = vigil::logging::init(&data_dir, None)?;
        tracing::info!(
            url = %svc.url,
            data_dir = %svc.data_dir.display(),
            pid = svc.pid,
            "desktop: attached to the running Vigil service (no engine of its own)"
        );
        let info = ConnectionInfo {
            url: svc.url,
            token: svc.token,
        };
        return run_window(primary, data_dir.join("window.json"), info, None);
    }

    let listen = match std::env::var("VIGIL_LISTEN") {
        Ok(v) => Some(v.parse().context("VIGIL_LISTEN")?),
        // A free port: the window learns it over IPC, so nothing needs a fixed one.
        Err(_) => Some("127.0.0.1:0".parse()?),
    };
    let settings = Settings::load(
        data_dir,
        vigil::Overrides {
            listen,
            credential_store: std::env::var("VIGIL_CREDENTIAL_STORE").ok(),
            demo_footage: std::env::var_os("VIGIL_DEMO").map(PathBuf::from),
            ..Default::default()
        },
    )?;
    let _log = vigil::logging::init(settings.data_dir(), settings.log_level.as_deref())?;

    let running: Running = tauri::async_runtime::block_on(vigil::start(&settings, false))?;
    // First run: the person at this PC gets the owner's admin account (the window offers to set
    // its password). A failure is logged; the window still opens with the desktop credential.
    let login = vigil::owner::os_login();
    if let Err(e) = tauri::async_runtime::block_on(vigil::owner::ensure_desk_owner(
        &running.engine,
        login.as_deref(),
    )) {
        tracing::warn!(error = %e, "the desk owner's account was not created");
    }
    let window_file = settings.data_dir().join("window.json");
    let info = ConnectionInfo {
        url: running.url.clone(),
        token: running.desktop_token().to_string(),
    };
    tracing::info!(url = %info.url, "desktop: engine and API started");
    run_window(primary, window_file, info, Some(running))
}

/// The window, the tray and the process's life; `running` is the engine this process started
/// (stopped on Quit), `None` when attached to a service.
fn run_window(
    primary: single_instance::Primary,
    window_file: PathBuf,
    info: ConnectionInfo,
    running: Option<Running>,
) -> Result<()> {
    let engine_events = running.as_ref().map(|r| r.engine.events().subscribe());
    let running = Mutex::new(running);

    let app = tauri::Builder::default()
        .manage(info)
        .invoke_handler(tauri::generate_handler![
            connection_info,
            autostart::autostart,
            autostart::set_autostart
        ])
        .setup(move |app| {
            build_tray(app.handle())?;
            if let Some(w) = app.get_webview_window("main") {
                window_state::restore(&w, &window_file);
                let (w2, file) = (w.clone(), window_file.clone());
                w.on_window_event(move |e| match e {
                    WindowEvent::Resized(_) | WindowEvent::Moved(_) => {
                        window_state::remember(&w2, &file, false)
                    }
                    WindowEvent::CloseRequested { .. } => window_state::remember(&w2, &file, true),
                    _ => {}
                });
            }
            // A click on a desktop notification brings the window forward (the UI, which sees
            // the same event on its socket, opens the alert).
            let handle = app.handle().clone();
            if let Some(mut engine_events) = engine_events {
                tauri::async_runtime::spawn(async move {
                    use tokio::sync::broadcast::error::RecvError;
                    loop {
                        match engine_events.recv().await {
                            Ok(ev)
                                if matches!(
                                    ev.body,
                                    vigil_engine::EventBody::NotificationClicked { .. }
                                ) =>
                            {
                                show_main(&handle)
                            }
                            Ok(_) | Err(RecvError::Lagged(_)) => {}
                            Err(RecvError::Closed) => break,
                        }
                    }
                });
            }
            let handle = app.handle().clone();
            primary.on_show(move || show_main(&handle));
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                vigil::termination_signal().await;
                handle.exit(0);
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            // Closing the window keeps Vigil recording in the background; Quit is in the tray.
            if let WindowEvent::CloseRequested { api, .. } = event
                && window.label() == "main"
            {
                let _ = window.hide();
                api.prevent_close();
            }
        })
        .build(tauri::generate_context!())
        .context("building the window")?;

    app.run(move |_handle, event| {
        if let RunEvent::Exit = event {
            let taken = running.lock().ok().and_then(|mut g| g.take());
            if let Some(r) = taken
                && let Err(e) = tauri::async_runtime::block_on(r.stop())
            {
                tracing::error!(error = %e, "stopping the engine");
            }
        }
    });
    Ok(())
}

fn show_main(app: &AppHandle) {
    if let Some(w) = app.get_webview_window("main") {
        let _ = w.unminimize();
        let _ = w.show();
        let _ = w.set_focus();
    }
}

fn build_tray(app: &AppHandle) -> tauri::Result<()> {
    let open = MenuItem::with_id(app, "open", "Open Vigil", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit Vigil", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &quit])?;
    let mut tray = TrayIconBuilder::with_id("vigil")
        .tooltip("Vigil")
        .menu(&menu)
        .on_menu_event(|app, event| match event.id.as_ref() {
            "open" => show_main(app),
            "quit" => app.exit(0),
            _ => {}
        })
        .on_tray_icon_event(|tray, event| {
            if let TrayIconEvent::DoubleClick {
                button: MouseButton::Left,
                ..
            } = event
            {
                show_main(tray.app_handle());
            }
        });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}
