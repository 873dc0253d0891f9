//! Tauri's build step: reads tauri.conf.json (a link to the top-level one) and embeds icons.
fn main() {
    tauri_build::build()
}
