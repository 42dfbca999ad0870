//! Keeps the engine's layers honest: a module may name only the layers listed before its own in
//! `LAYERS` (and `crate::` items defined in lib.rs). A lower layer naming a higher one fails here, with
//! the file and line, before the knot grows.

use std::path::{Path, PathBuf};

/// Lowest first, as in lib.rs. `os` sits beside `keep`: it may use NetSuite and the profiles only.
const LAYERS: [(&str, &[&str]); 6] = [
    ("netsuite", &[]),
    ("profiles", &["netsuite"]),
    ("keep", &["netsuite", "profiles"]),
    ("os", &["netsuite", "profiles"]),
    ("flow", &["netsuite", "profiles", "keep", "os"]),
    ("support", &["netsuite", "profiles", "keep", "os", "flow"]),
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// Every `crate::<layer>` named in `text`, with its line number. Comments count too: a doc link to a
/// higher layer is a dependency a reader follows.
fn named_layers(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if LAYERS.iter().any(|(layer, _)| *layer == name) {
                found.push((n + 1, name));
            }
        }
    }
    found
}

/// The violations in the engine's sources at `src`.
fn violations(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for (layer, allowed) in LAYERS {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "no sources for layer {layer}");
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for (line, named) in named_layers(&text) {
                if named != layer && !allowed.contains(&named.as_str()) {
                    problems.push(format!(
                        "{}:{line}: the {layer} layer names crate::{named}, a layer above it",
                        file.display()
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn lower_layers_never_name_higher_ones() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = violations(&src);
    assert!(problems.is_empty(), "layer violations:\n  {}", problems.join("\n  "));
}

/// The check itself can fail: a copy of the sources where the signer names the vault is refused.
#[test]
fn a_lower_layer_naming_a_higher_one_is_caught() {
    let scratch = std::env::temp_dir().join(format!("tba-layers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    for (layer, _) in LAYERS {
        std::fs::create_dir_all(scratch.join(layer)).unwrap();
        std::fs::write(scratch.join(layer).join("mod.rs"), "//! fine\n").unwrap();
    }
    std::fs::write(
        scratch.join("netsuite").join("oauth1.rs"),
        "use crate::keep::vault::Vault;\n",
    )
    .unwrap();
    let problems = violations(&scratch);
    std::fs::remove_dir_all(&scratch).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("the netsuite layer names crate::keep"),
        "{problems:?}"
    );
}
