//! What a support agent gets: the diagnostics report, and the one redactor that both the report and the
//! log writer pass their text through.

pub mod redact;
pub mod report;
