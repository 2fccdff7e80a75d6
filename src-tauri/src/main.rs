// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    webkit_environment();
    cunjing_app::run();
}

/// WebKitGTK without accelerated compositing (docs/decisions/0015-webview-memory.md): the page
/// is painted on the CPU into one surface instead of GPU layers. The UI is forms and tables on one
/// local page, so nothing is lost on screen, and the web process drops by about 100 MB (the
/// composited layers' buffers and the GL state); on the weak or generic GPU drivers of Kylin/UOS
/// laptops it also avoids WebKit's GPU path, the usual cause of a blank or flickering window.
/// A value the user set is left alone: `WEBKIT_DISABLE_COMPOSITING_MODE=0` brings compositing back.
///
/// Not under WebDriver (tauri-driver sets `TAURI_AUTOMATION`): without compositing,
/// WebKitWebDriver's screenshot waits for the next paint, which a still page never makes, and the
/// real-app tests' screenshots hang. Those tests run with compositing until they nudge a repaint
/// before each screenshot; `scripts/measure-memory.sh` sets the variable itself.
///
/// It has to be the environment, before Tauri starts: the UI process reads it when it creates the
/// web view and the web process inherits it. `std::env::set_var` is `unsafe` in Rust 2024 (and the
/// workspace forbids unsafe code); `glib::setenv` is the same setenv(3) with the same rule, which
/// holds here: it runs first thing in `main`, while this is the only thread.
#[cfg(target_os = "linux")]
fn webkit_environment() {
    const DISABLE_COMPOSITING: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(DISABLE_COMPOSITING).is_none() && std::env::var_os("TAURI_AUTOMATION").is_none() {
        // `overwrite: false`: never replaces a value, even one set between the check and here.
        if let Err(e) = glib::setenv(DISABLE_COMPOSITING, "1", false) {
            eprintln!("{DISABLE_COMPOSITING} not set: {e}");
        }
    }
}
