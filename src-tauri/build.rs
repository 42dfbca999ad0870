//! Declares the window's commands to Tauri, which generates one `allow-<command>` permission per
//! command; the window's capability then grants exactly those, and nothing is allowed by default. The
//! names come from the one registry (src/registry.rs), so they cannot drift from the handler.

fn main() {
    println!("cargo:rerun-if-changed=src/registry.rs");
    // tauri-build wants 'static names; a build script runs once, so leaking the text is free.
    let registry: &'static str = Box::leak(
        std::fs::read_to_string("src/registry.rs")
            .expect("src/registry.rs is readable")
            .into_boxed_str(),
    );
    let body = registry
        .split_once("\nregistry! {\n")
        .and_then(|(_, rest)| rest.split_once("\n}\n"))
        .map(|(body, _)| body)
        .expect("src/registry.rs holds a `registry! { … }` block");
    let commands: Vec<&'static str> = body
        .lines()
        .map(|line| line.trim().trim_end_matches(','))
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .map(|line| {
            line.rsplit_once("::")
                .map(|(_, name)| name)
                .unwrap_or_else(|| panic!("src/registry.rs: `{line}` is not `module::command`"))
        })
        .collect();
    assert!(!commands.is_empty(), "src/registry.rs lists no command");
    tauri_build::try_build(
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(commands.leak())),
    )
    .expect("failed to run tauri-build");
}
