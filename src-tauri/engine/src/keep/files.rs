//! The files the app writes and the key files it reads, with the promises they keep: writes are
//! atomic (a temporary file renamed over, synced), user-only unless public by nature, never through a
//! symbolic link, and a "new" file never replaces one that exists; a key file is read into wiped
//! memory, bounded in size.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Largest private key file read: a PEM RSA 4096 key is about 3.3 KB; far beyond that it is not one.
pub const MAX_KEY_FILE_BYTES: u64 = 64 * 1024;

/// `read_secret_bytes`, as UTF-8 text (a PEM file).
pub fn read_secret_file(path: &Path, max: u64) -> std::io::Result<zeroize::Zeroizing<String>> {
    let bytes = read_secret_bytes(path, max)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not text (a PEM file is)"))?;
    Ok(zeroize::Zeroizing::new(text.to_string()))
}

/// Reads a file that may hold a secret (a private key) into memory that is wiped when dropped: the file
/// itself, never a symlink planted in its place (on Unix the open refuses one; elsewhere the name is
/// checked first), a regular file, at most `max` bytes.
pub fn read_secret_bytes(path: &Path, max: u64) -> std::io::Result<zeroize::Zeroizing<Vec<u8>>> {
    use std::io::{Error, ErrorKind, Read};
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(Error::new(ErrorKind::InvalidInput, "it is a symbolic link"));
    }
    let file = options.open(path).map_err(|e| {
        // ELOOP is what O_NOFOLLOW gives for a symlink: say that, not "too many levels of links".
        #[cfg(unix)]
        if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) {
            return Error::new(ErrorKind::InvalidInput, "it is a symbolic link");
        }
        e
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "it is not a regular file"));
    }
    if meta.len() > max {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("it is {} bytes, more than a key file holds ({max} at most)", meta.len()),
        ));
    }
    let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(meta.len() as usize));
    // One more than allowed, so a file that grew after the check is still caught.
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(Error::new(ErrorKind::InvalidInput, "it is larger than a key file"));
    }
    Ok(bytes)
}

/// Creates `dir` and any missing parents readable by the user only. Folders that already exist keep
/// their mode: the diagnostics folder may be the user's Downloads.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// A name beside `path` for keeping an unreadable file: `<name>.unreadable-<time>`, counting up so an
/// earlier copy is never replaced.
pub fn aside_name(path: &Path) -> PathBuf {
    let stamp = humantime::format_rfc3339_seconds(SystemTime::now())
        .to_string()
        .replace(':', "-");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    (1..)
        .map(|n| match n {
            1 => dir.join(format!("{name}.unreadable-{stamp}")),
            n => dir.join(format!("{name}.unreadable-{stamp}-{n}")),
        })
        .find(|p| !p.exists())
        .expect("some name is free")
}

/// Writes `data` to `path` through a temporary file in the same folder, fsynced, then renamed over it;
/// the file is readable by the user only. The temporary name is random and created exclusively, so a
/// file or symlink planted in the folder is never opened or written through.
pub fn write_atomic(path: &Path, data: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, data, false, 0o600)
}

/// Saves `data` as a new file `<stem>.<ext>` in `dir` (or `<stem>-2.<ext>`… when taken), never replacing
/// anything, readable by the user only. For files the user asked for (a certificate to upload).
pub fn save_new_file(dir: &Path, stem: &str, ext: &str, data: &[u8]) -> std::io::Result<PathBuf> {
    for n in 1..100 {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(name);
        match write_atomic_new(&path, data) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!("{stem}.{ext} and 98 numbered copies exist already"),
    ))
}

/// As [`write_atomic`], but fails with `AlreadyExists` instead of replacing a file (or symlink) at `path`.
pub fn write_atomic_new(path: &Path, data: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, data, true, 0o600)
}

/// As `write_atomic_new`, for a public document (a certificate to upload): readable by others, with
/// that mode set on the temporary file before the rename, so no path is changed after it appears.
pub fn write_atomic_new_public(path: &Path, data: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, data, true, 0o644)
}

fn write_via_temp(path: &Path, data: &[u8], new_only: bool, mode: u32) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    create_private_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    // Dropped on any error below, which removes the temporary file.
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600 today; the file must not depend on that default. Set through the open
        // file, never by path.
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(data)?;
    tmp.as_file().sync_all()?;
    if new_only {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    } else {
        tmp.persist(path).map_err(|e| e.error)?;
    }
    // The rename itself must reach the disk too.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
