// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    #[cfg(target_os = "linux")]
    webkit_environment();
    cunjing_app::run();
}

/// WebKitGTK's environment (docs/decisions/0015-webview-memory.md), each variable only when the
/// user has not set it:
///
/// - `WEBKIT_DISABLE_COMPOSITING_MODE=1`: no accelerated compositing. The page is painted on the
///   CPU into one surface instead of GPU layers. The UI is forms and tables on one local page, so
///   nothing is lost on screen, and the web process drops by about 100 MB (the composited layers'
///   buffers and the GL state); on the weak or generic GPU drivers of Kylin/UOS laptops it also
///   avoids WebKit's GPU path, the usual cause of a blank or flickering window. `=0` brings
///   compositing back. Not under WebDriver (tauri-driver sets `TAURI_AUTOMATION`): without
///   compositing, WebKitWebDriver's screenshot waits for the next paint, which a still page never
///   makes, and the real-app tests' screenshots hang. Those tests run with compositing until they
///   nudge a repaint before each screenshot; `scripts/measure-memory.sh` sets the variable itself.
/// - `JSC_useDFGJIT=0`: JavaScriptCore without its optimising tiers (DFG, and FTL above it); the
///   interpreter and the baseline JIT remain. The web process is about 11 MB smaller at idle (the
///   optimising compilers' code, data and threads); screens open as fast within the measurement's
///   noise, since the UI's JavaScript is short bursts of Vue rendering that rarely get hot enough
///   for the DFG. `JSC_useDFGJIT=1` brings it back. CPU only: the same on every GPU.
///
/// It has to be the environment, before Tauri starts: the UI process reads it when it creates the
/// web view and the web process inherits it. `std::env::set_var` is `unsafe` in Rust 2024 (and the
/// workspace forbids unsafe code); `glib::setenv` is the same setenv(3) with the same rule, which
/// holds here: it runs first thing in `main`, while this is the only thread.
#[cfg(target_os = "linux")]
fn webkit_environment() {
    let automation = std::env::var_os("TAURI_AUTOMATION").is_some();
    let defaults = [("WEBKIT_DISABLE_COMPOSITING_MODE", "1", !automation), ("JSC_useDFGJIT", "0", true)];
    for (name, value, wanted) in defaults {
        if wanted && std::env::var_os(name).is_none() {
            // `overwrite: false`: never replaces a value, even one set between the check and here.
            if let Err(e) = glib::setenv(name, value, false) {
                eprintln!("{name} not set: {e}");
            }
        }
    }
}
