//! Embeds every `profiles/*.json`: a connector is one file there, with no list to keep in step. The
//! file's stem must be a valid profile id; the content is validated by the profile tests and, at the
//! latest, on first use.

use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable profiles folder").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = String::from("/// Every `profiles/*.json` (file name, text), sorted by file name.\npub(crate) const EMBEDDED: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).expect("a UTF-8 file name");
        let stem = name.trim_end_matches(".json");
        let valid = !stem.is_empty()
            && stem.len() <= 32
            && stem.starts_with(|c: char| c.is_ascii_lowercase())
            && stem
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        assert!(
            valid,
            "profiles/{name}: a profile's file name is its id: lower-case letters, digits and '_', starting with a letter"
        );
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    let target = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("profiles.rs");
    fs::write(target, out).expect("OUT_DIR is writable");
}
