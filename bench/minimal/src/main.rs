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
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the window opens");
}
