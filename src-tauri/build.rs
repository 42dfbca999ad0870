fn main() {
    // Declaring the app's commands makes Tauri generate one `allow-<command>` permission per command;
    // the window's capability then grants exactly those, and nothing is allowed by default.
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_info",
            "wizard_view",
            "wizard_start",
            "wizard_reset",
            "wizard_set_account",
            "wizard_check_account",
            "wizard_tick",
            "wizard_pick",
            "wizard_next",
            "wizard_back",
            "wizard_goto",
            "wizard_capture_paste",
            "wizard_capture_typed",
            "wizard_open",
            "wizard_copy",
            "wizard_run_test",
            "wizard_cancel_test",
            "home_view",
            "home_test",
            "connection_remove",
            "connection_forget_old",
            "journey_start",
            "journey_end",
            "journey_discard_new",
            "journey_set_token_name",
            "journey_check_old",
            "support_copy_diagnostics",
            "support_save_diagnostics",
            "link_ready",
            "link_apply",
        ])),
    )
    .expect("failed to run tauri-build");
}
