fn main() {
    // Declaring the app's commands makes Tauri generate one `allow-<command>` permission per command;
    // the window's capability then grants exactly those, and nothing is allowed by default.
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_info",
            "capture_from_clipboard",
            "capture_typed",
            "copy_secret",
        ])),
    )
    .expect("failed to run tauri-build");
}
