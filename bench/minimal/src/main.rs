// A minimal Tauri window whose page reports, through one command, that its script has run.

use std::time::Instant;

static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

#[tauri::command]
fn ready() {
    let ms = START.get().map(|s| s.elapsed().as_millis()).unwrap_or(0);
    eprintln!("READY {ms}");
}

fn main() {
    START.get_or_init(Instant::now);
    // The same stage marks as the wizard's (src-tauri/src/state.rs), so the benchmark can set the two
    // starts side by side.
    eprintln!("PHASE run");
    tauri::Builder::default()
        .setup(|_| {
            eprintln!("PHASE setup");
            Ok(())
        })
        .on_page_load(|_, payload| match payload.event() {
            tauri::webview::PageLoadEvent::Started => eprintln!("PHASE page-started"),
            tauri::webview::PageLoadEvent::Finished => eprintln!("PHASE page-loaded"),
        })
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the window opens");
}
