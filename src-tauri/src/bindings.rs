//! The types the webview receives, and the registry's command names, as TypeScript generated from the
//! Rust side so the two cannot drift apart: the test fails when `ui/src/bindings.ts` is stale.
//! `UPDATE_BINDINGS=1 cargo test -p tba-wizard bindings` rewrites it.

use ts_rs::{Config, TS};

fn render() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust types by `cargo test -p tba-wizard bindings`; do not edit.\n\
             // Regenerate with: UPDATE_BINDINGS=1 cargo test -p tba-wizard bindings\n\n",
    );
    macro_rules! declare {
            ($($t:ty),* $(,)?) => {
                $( out.push_str("export "); out.push_str(&<$t>::decl(&cfg)); out.push_str("\n\n"); )*
            };
        }
    use tba_engine::flow::{cards, home, view};
    use tba_engine::keep::{secrets, store};
    use tba_engine::netsuite::{client, outcome};
    use tba_engine::profiles;
    declare!(
        view::View,
        view::Journey,
        view::RevokeView,
        view::OldTokenCheck,
        view::RevokeCertificates,
        view::JourneyInfo,
        home::HomeView,
        home::HomeCard,
        home::AuthCard,
        home::JourneyOffer,
        home::HomeTest,
        home::HomeRenewal,
        tba_engine::keep::m2m::migrate::MoveNotice,
        cards::CertificateCard,
        home::SetupSummary,
        view::ProfileInfo,
        view::AccountView,
        view::ScreenInfo,
        view::ScreenKind,
        view::ScreenView,
        view::ScreenPart,
        view::JourneyControls,
        view::NextWarning,
        view::PageLink,
        view::ItemView,
        view::CaptureView,
        view::CaptureField,
        view::AlgorithmChoice,
        view::KeyView,
        view::CertificateIdView,
        profiles::M2mValue,
        view::TestView,
        view::TestRun,
        view::CauseView,
        view::ProbeLine,
        view::HandOffView,
        view::HandOffFieldView,
        view::HandOffChange,
        profiles::ItemKind,
        profiles::Place,
        client::DatacenterCheck,
        client::DatacenterStatus,
        store::ConnectionFile,
        store::LastTest,
        store::Profile,
        secrets::Field,
        secrets::Fingerprints,
        outcome::Report,
        outcome::Outcome,
        outcome::Cause,
        outcome::Step,
        outcome::NetworkProblem,
        outcome::NetworkKind,
        outcome::ClockCheck,
        outcome::ClockStatus,
        outcome::AuditTrailHelp,
        outcome::DetailValue,
        crate::error::UiError,
        tba_engine::ErrorCode,
        crate::commands::wizard::AppInfo,
        crate::commands::wizard::Captured,
        crate::commands::wizard::Opened,
        crate::commands::wizard::CopyWhat,
        crate::commands::wizard::Copied,
        crate::commands::support::DiagnosticsSaved,
        crate::commands::m2m::KeyMade,
        crate::commands::m2m::KeyFilesImported,
        crate::commands::m2m::FileSaved,
        crate::commands::m2m::SavedAs,
        crate::commands::m2m::FolderShown,
        crate::commands::m2m::KeyExported,
        crate::commands::moving::Moved,
        crate::commands::links::LinkEvent,
    );
    // Screen ids are enums in Rust (`SetupScreen`, `JourneyScreen`) sent as their text; a step's id is its
    // code from the profile, so the union stays open for those.
    let mut ids: Vec<&str> = tba_engine::flow::setup::SetupScreen::FIXED_IDS.to_vec();
    for s in tba_engine::flow::journey::JourneyScreen::ALL {
        if !ids.contains(&s.as_str()) {
            ids.push(s.as_str());
        }
    }
    let quoted: Vec<String> = ids.iter().map(|id| format!("\"{id}\"")).collect();
    out.push_str(&format!(
        "/** A screen's id: a setup or journey screen, or a profile step's code (\"AS-3\"). */\nexport type ScreenId = {} | StepCode;\n\n/** A profile step's code; `string & {{}}` keeps the named ids above visible to the editor. */\nexport type StepCode = string & {{}};\n\n",
        quoted.join(" | ")
    ));
    // The registry's command names, so that api.ts can only call a command that exists.
    out.push_str("/** Every window command, from src-tauri/src/registry.rs. */\nexport const COMMANDS = [\n");
    for name in crate::registry::COMMANDS {
        out.push_str(&format!("  \"{name}\",\n"));
    }
    out.push_str("] as const;\n\nexport type Command = (typeof COMMANDS)[number];\n");
    out.trim_end().to_string() + "\n"
}

#[test]
fn typescript_bindings_are_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let fresh = render();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &fresh).expect("ui/src/bindings.ts is writable");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p tba-wizard bindings` and commit it"
    );
}
