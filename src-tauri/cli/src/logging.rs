//! Logs, for the window and the command line alike: a daily file in the app's log folder plus standard
//! error. Every formatted line passes the engine's one redactor (`tba_engine::support::redact`) before
//! it reaches either, so a careless `tracing::debug!` of a
//! request or a credential cannot leak one. Nothing in the program logs secrets on purpose; this is the
//! second line of defence.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use tba_engine::support::redact::redact;
pub use tba_engine::support::redact::register_secret;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};
use zeroize::Zeroize;

const FILE_PREFIX: &str = "tba-wizard";
const KEPT_FILES: usize = 7;
/// `TBA_WIZARD_LOG_DIR`, else the folder Tauri calls `app_log_dir` on Linux, named after the app's
/// identifier. Until 0.1 the identifier was `com.tbawizard.app`, which macOS refuses (it ends in `.app`):
/// the logs written under that name stay where they are (nothing reads them back; they age out as the
/// new folder fills), and new ones go to the new folder.
pub fn log_dir() -> Option<PathBuf> {
    match std::env::var_os("TBA_WIZARD_LOG_DIR") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::data_local_dir().map(|d| d.join(IDENTIFIER).join("logs")),
    }
}

/// The app's identifier, as in `tauri.conf.json` (a test of the window keeps the two equal).
pub const IDENTIFIER: &str = "com.tbawizard.wizard";

/// Installs the global subscriber. Returns the folder the log file is in, or None when only standard
/// error gets logs (the folder could not be made): logging must never stop the program.
///
/// Writes are synchronous on purpose: the window's event loop ends the process without returning from
/// main, so a background writer's last lines would be lost, and there are few lines to write.
pub fn init(verbose: bool) -> Option<PathBuf> {
    let directives = std::env::var("RUST_LOG").ok().filter(|s| !s.trim().is_empty());
    let dir = log_dir();
    let (subscriber, problem) = build(dir.as_deref(), verbose, directives.as_deref(), io::stderr);
    let _ = subscriber.try_init();
    match problem {
        Some(problem) => {
            tracing::warn!("logs go to standard error only: {problem}");
            None
        }
        None => dir,
    }
}

/// The subscriber `init` installs, with the log folder, the filter directives (RUST_LOG) and standard
/// error as parameters so that tests can run it in a temporary folder. The second value says why there
/// is no file layer, if there is none.
fn build<W>(
    dir: Option<&Path>,
    verbose: bool,
    directives: Option<&str>,
    stderr: W,
) -> (impl tracing::Subscriber + Send + Sync + 'static, Option<String>)
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let filter = |default: &str| {
        directives
            .and_then(|d| EnvFilter::try_new(d).ok())
            .unwrap_or_else(|| EnvFilter::new(default))
    };
    let (appender, problem) = match dir.map(open_appender) {
        Some(Ok(appender)) => (Some(appender), None),
        Some(Err(problem)) => (None, Some(problem)),
        None => (None, Some("no folder for application data is known".to_string())),
    };
    // Colours off everywhere: escape codes between a field's name and its value would hide the pair
    // from the redaction patterns.
    let file_layer = appender.map(|appender| {
        tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(Redacting(appender))
            .with_filter(filter(if verbose { "debug" } else { "info" }))
    });
    let stderr_layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(Redacting(stderr))
        .with_filter(filter(if verbose { "debug" } else { "warn" }));
    let subscriber = tracing_subscriber::registry().with(file_layer).with(stderr_layer);
    (subscriber, problem)
}

fn open_appender(dir: &Path) -> Result<RollingFileAppender, String> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| format!("the log folder {} could not be made ({e})", dir.display()))?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix("log")
        .max_log_files(KEPT_FILES)
        .build(dir)
        .map_err(|e| format!("the log file in {} could not be opened ({e})", dir.display()))?;
    restrict_log_files(dir);
    Ok(appender)
}

/// tracing-appender creates its files with the process's umask (main sets 0o077, but tests and older
/// versions did not), so today's file and any earlier ones are narrowed to the user here.
fn restrict_log_files(dir: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let ours = entry.file_name().to_string_lossy().starts_with(FILE_PREFIX);
            // A symlink is never followed: its target is not ours to change.
            if ours && entry.file_type().is_ok_and(|t| t.is_file()) {
                let _ = std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(0o600));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

// ---------------------------------------------------------------- the writer

/// Wraps a writer maker so that each event is collected whole and scrubbed before it is written: a
/// secret split across two writes would pass line-by-line scrubbing.
struct Redacting<M>(M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter {
            pending: Vec::new(),
            inner: self.0.make_writer(),
        }
    }

    fn make_writer_for(&'a self, meta: &tracing::Metadata<'_>) -> Self::Writer {
        RedactingWriter {
            pending: Vec::new(),
            inner: self.0.make_writer_for(meta),
        }
    }
}

struct RedactingWriter<W: Write> {
    pending: Vec<u8>,
    inner: W,
}

impl<W: Write> Write for RedactingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        Ok(buf.len())
    }

    /// Nothing leaves before the event is complete; the drop writes it.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for RedactingWriter<W> {
    fn drop(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let clean = redact(&String::from_utf8_lossy(&self.pending));
        self.pending.zeroize();
        let _ = self.inner.write_all(clean.as_bytes());
        let _ = self.inner.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::distr::{Alphanumeric, SampleString};
    use rand::Rng;
    use secrecy::SecretString;
    use std::sync::{Arc, Mutex};
    use tba_engine::support::redact::REDACTED;
    use tracing::Level;

    fn hex64() -> String {
        let bytes: [u8; 32] = rand::rng().random();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// What OAuth puts in the header: base64 of an HMAC, percent-encoded.
    fn signature() -> String {
        const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut rng = rand::rng();
        let raw: String = (0..43)
            .map(|_| B64[rng.random_range(0..64)] as char)
            .collect::<String>()
            + "=";
        raw.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
    }

    /// Standard error as a test sees it: collected in memory.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Captured {
        fn text(&self) -> String {
            String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
        }
    }

    fn log_files_text(dir: &Path) -> String {
        let mut text = String::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                name.starts_with("tba-wizard.") && name.ends_with(".log"),
                "unexpected file {name}"
            );
            text += &std::fs::read_to_string(&path).unwrap();
        }
        text
    }

    /// No 16-character piece of any secret, like the vault leak scanner.
    fn assert_no_leak(text: &str, secrets: &[&str], where_: &str) {
        for secret in secrets {
            let chars: Vec<char> = secret.chars().collect();
            let windows: Vec<String> = if chars.len() <= 16 {
                vec![secret.to_string()]
            } else {
                chars.windows(16).map(|w| w.iter().collect()).collect()
            };
            for w in windows {
                assert!(
                    !text.contains(&w),
                    "a piece of a secret ({}…) reached {where_}:\n{text}",
                    &w[..4]
                );
            }
        }
    }

    /// Logs one signed request with its secrets in every shape at `level`, each line tagged with
    /// `marker` so the test can tell the events were written at all.
    fn log_leaky_request(level: Level, marker: &str, creds: &[String; 4], short: &str) {
        let [ck, cs, ti, ts] = creds;
        let header = format!(
            r#"OAuth realm="1234567_SB1",oauth_consumer_key="{ck}",oauth_token="{ti}",oauth_signature_method="HMAC-SHA256",oauth_timestamp="1700000000",oauth_nonce="Xy7pQ2",oauth_version="1.0",oauth_signature="{}""#,
            signature()
        );
        let body = serde_json::json!({
            "consumer_key": ck, "consumer_secret": cs, "token_id": ti, "token_secret": ts, "q": "SELECT 1",
        })
        .to_string();
        let url = format!(
            "https://1234567-sb1.suitetalk.api.netsuite.com/x?oauth_token={ti}&oauth_signature={}",
            signature()
        );
        macro_rules! at {
            ($lvl:expr) => {{
                tracing::event!($lvl, authorization = %header, "{marker} signed request (header as field)");
                tracing::event!($lvl, "{marker} signed request; Authorization: {header}; accept json");
                tracing::event!($lvl, headers = ?[("authorization", header.as_str())], "{marker} headers");
                tracing::event!($lvl, consumer_key = %ck, consumer_secret = %cs, token_id = %ti, token_secret = %ts, "{marker} fields");
                tracing::event!($lvl, consumer_key = ?ck, consumer_secret = ?cs, token_id = ?ti, token_secret = ?ts, "{marker} debug fields");
                tracing::event!($lvl, "{marker} text: key {ck} secret {cs} token {ti} token secret {ts}");
                tracing::event!($lvl, "{marker} body {body}");
                tracing::event!($lvl, body = ?body, "{marker} body as debug field");
                tracing::event!($lvl, %url, "{marker} url");
                tracing::event!($lvl, password = %short, "{marker} the user typed {short} somewhere");
            }};
        }
        match level {
            Level::TRACE => at!(Level::TRACE),
            Level::DEBUG => at!(Level::DEBUG),
            Level::INFO => at!(Level::INFO),
            Level::WARN => at!(Level::WARN),
            Level::ERROR => at!(Level::ERROR),
        }
    }

    fn run_at_every_level(creds: [String; 4], short: &str) {
        let dir = tempfile::tempdir().unwrap();
        let stderr = Captured::default();
        let sink = stderr.clone();
        let (subscriber, problem) = build(Some(dir.path()), true, Some("trace"), move || sink.clone());
        assert_eq!(problem, None);
        let levels = [Level::TRACE, Level::DEBUG, Level::INFO, Level::WARN, Level::ERROR];
        tracing::subscriber::with_default(subscriber, || {
            for level in levels {
                log_leaky_request(level, &format!("marker-{level}"), &creds, short);
            }
        });
        let file = log_files_text(dir.path());
        let mut secrets: Vec<&str> = creds.iter().map(String::as_str).collect();
        secrets.push(short);
        for (text, where_) in [(&file, "the log file"), (&stderr.text(), "standard error")] {
            for level in levels {
                assert_eq!(
                    text.matches(&format!("marker-{level} ")).count(),
                    10,
                    "{where_} lacks {level} events:\n{text}"
                );
            }
            assert!(text.contains(REDACTED), "{where_}:\n{text}");
            assert_no_leak(text, &secrets, where_);
        }
    }

    #[test]
    fn no_secret_reaches_a_log_at_any_level() {
        let short = "hunter2x";
        register_secret(&SecretString::from(short));
        run_at_every_level([hex64(), hex64(), hex64(), hex64()], short);
    }

    /// Values that are neither hex nor obviously random still go if registered, as the command line does.
    #[test]
    fn registered_values_of_any_shape_are_scrubbed() {
        let mut rng = rand::rng();
        let creds: [String; 4] = std::array::from_fn(|_| {
            format!(
                "{}-{}",
                Alphanumeric.sample_string(&mut rng, 10).to_lowercase(),
                "süß \"x\""
            )
        });
        for c in &creds {
            register_secret(&SecretString::from(c.as_str()));
        }
        let short = format!("pw{}", rng.random_range(10..99));
        register_secret(&SecretString::from(short.as_str()));
        run_at_every_level(creds, &short);
    }

    #[test]
    fn file_gets_info_by_default_and_debug_when_verbose() {
        for (verbose, want_debug) in [(false, false), (true, true)] {
            let dir = tempfile::tempdir().unwrap();
            let stderr = Captured::default();
            let sink = stderr.clone();
            let (subscriber, _) = build(Some(dir.path()), verbose, None, move || sink.clone());
            tracing::subscriber::with_default(subscriber, || {
                tracing::debug!("a debug line");
                tracing::info!("an info line");
                tracing::warn!("a warning line");
            });
            let file = log_files_text(dir.path());
            assert!(
                file.contains("an info line") && file.contains("a warning line"),
                "{file}"
            );
            assert_eq!(file.contains("a debug line"), want_debug, "verbose={verbose}: {file}");
            let err = stderr.text();
            assert!(err.contains("a warning line"), "{err}");
            assert_eq!(err.contains("an info line"), verbose, "verbose={verbose}: {err}");
        }
    }

    /// Whatever the umask of whoever runs it (cargo test's is usually 022), a log folder made here and
    /// the log files are the user's only, and an older file left readable by others is narrowed too.
    /// A folder that already exists keeps its mode: TBA_WIZARD_LOG_DIR may point anywhere.
    #[cfg(unix)]
    #[test]
    fn log_folder_and_files_are_the_users_only() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        let root = tempfile::tempdir().unwrap();
        let fresh = root.path().join("app").join("logs");
        let older = root.path().join("older");
        std::fs::create_dir(&older).unwrap();
        let old_file = older.join("tba-wizard.2020-01-01.log");
        std::fs::write(&old_file, "old line\n").unwrap();
        std::fs::set_permissions(&old_file, std::fs::Permissions::from_mode(0o644)).unwrap();

        for dir in [&fresh, &older] {
            let (subscriber, problem) = build(Some(dir), false, None, io::sink);
            assert_eq!(problem, None);
            tracing::subscriber::with_default(subscriber, || tracing::info!("a line"));
            let files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
            assert!(!files.is_empty());
            for f in files {
                assert_eq!(mode(&f), 0o600, "{} is {:o}", f.display(), mode(&f));
            }
        }
        assert_eq!(mode(&root.path().join("app")), 0o700);
        assert_eq!(mode(&fresh), 0o700);
        assert_eq!(mode(&old_file), 0o600);
    }

    #[test]
    fn an_unusable_folder_leaves_standard_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, "").unwrap();
        let stderr = Captured::default();
        let sink = stderr.clone();
        let (subscriber, problem) = build(Some(&blocker.join("logs")), false, None, move || sink.clone());
        assert!(problem.is_some_and(|p| p.contains("could not be made")));
        tracing::subscriber::with_default(subscriber, || tracing::error!("still logged"));
        assert!(stderr.text().contains("still logged"));
    }
}
