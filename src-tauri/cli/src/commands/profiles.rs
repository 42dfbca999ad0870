//! `profiles`: the connector profiles this build knows, for support's "which connectors does your
//! version have?".

use crate::exit::*;
use crate::output::*;
use serde_json::{json, Value};
use tba_engine::profiles::ConnectorProfile;

/// Support asks "which connectors does your version have?": the embedded profiles, as the wizard
/// uses them.
pub(crate) fn cmd_profiles(as_json: bool) -> Result<u8, CliError> {
    let profiles = ConnectorProfile::all();
    if as_json {
        let list: Vec<Value> = profiles
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "name": p.name,
                    "short_name": p.short_name,
                    "auth": p.auth.code(),
                    "signed_test": p.signed_test,
                    "holds": p.held(),
                    "steps": p.steps.iter().map(|s| json!({
                        "code": s.code,
                        "title": s.title,
                        "collects": s.collects.iter().map(|c| c.code()).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        out_line(format_args!(
            "{}",
            json_text(&json!({ "version": env!("CARGO_PKG_VERSION"), "profiles": list }))
        ));
        return Ok(EXIT_OK);
    }
    out_line(format_args!(
        "tba-wizard {} knows {} connector profiles:",
        env!("CARGO_PKG_VERSION"),
        profiles.len()
    ));
    for p in profiles {
        out_line(format_args!("\n{} ({})", p.name, p.id));
        out_line(format_args!("  auth: {}", p.auth.label()));
        out_line(format_args!("  holds: {}", p.held().join(", ")));
        out_line(format_args!(
            "  signed test: {}",
            if p.signed_test {
                "yes"
            } else {
                "no (the connector's own test)"
            }
        ));
        for s in &p.steps {
            let collects: Vec<&str> = s.collects.iter().map(|c| c.code()).collect();
            let collects = if collects.is_empty() {
                String::new()
            } else {
                format!("  [collects {}]", collects.join(", "))
            };
            out_line(format_args!("  {:<6} {}{collects}", s.code, s.title));
        }
    }
    Ok(EXIT_OK)
}

// ---------------------------------------------------------------- connections
