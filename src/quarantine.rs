//! Quarantine with undo: move a file out of the document root with its metadata, restore it byte for byte.
//!
//! A quarantine directory (one per site, outside the site's root, mode 0700)
//! holds two files per entry: `<id>.data`, a private copy of the file's bytes
//! (mode 0600), and `<id>.json`, its [`QuarantineRecord`]. Nothing is ever
//! deleted without a way back:
//!
//! * [`quarantine`] copies the file, verifies the copy's sha256, makes the
//!   copy and then the record durable, and only then removes the original.
//!   A crash at any point leaves the original in place, or the entry complete.
//! * [`restore`] writes the bytes to a temporary file beside the original
//!   path, sets owner, mode and mtime, verifies the sha256, fsyncs, links it
//!   into place (never over an existing file) and only then removes the entry,
//!   record first: a listed entry always has its data. A file found at the
//!   original path is refused, or, with `overwrite`, quarantined itself first.
//!
//! Leftovers a crash may leave are harmless duplicates: an `<id>.data`
//! without a record, or a `.<name>.wt-restore-…` file beside a restored one;
//! [`list`] skips them.

use crate::baseline::{
    create_temp_beside, io_error, nanos, parent_dir, random_hex, sync_dir, write_file_atomic,
};
use crate::error::{Error, Result};
use crate::paths::{MAX_PATH_LEN, validate_absolute_dir};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::{self, DirBuilder, File, FileTimes, Metadata, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest reason accepted, in characters.
pub const MAX_REASON_CHARS: usize = 200;

/// What the quarantine knows about one quarantined file (`<id>.json`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuarantineRecord {
    /// 32 random lowercase hex characters; the entry's file names.
    pub id: String,
    /// The absolute path the file was taken from, with symlinks in its parent
    /// directories resolved; restore puts it back there.
    pub original: String,
    /// The size in bytes.
    pub size: u64,
    /// The full `st_mode`; restore sets its permission bits (`mode & 0o7777`).
    pub mode: u32,
    /// The modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// The owner's user id, restored when the restoring process may.
    pub uid: u32,
    /// The owner's group id, restored when the restoring process may.
    pub gid: u32,
    /// The sha256 of the contents, lowercase hex.
    pub sha256: String,
    /// When the file was quarantined, Unix seconds.
    pub quarantined_at: i64,
    /// Why it was quarantined (at most [`MAX_REASON_CHARS`] characters).
    pub reason: String,
}

/// Moves `file`, a regular file inside the site root `root`, into
/// `quarantine_dir` (created with mode 0700 if missing) and returns its record.
///
/// All three paths must be absolute. `file` must not be a symlink, and must
/// lie inside `root` once symlinks in its parent directories are resolved;
/// `quarantine_dir` must lie outside `root`. `reason` is at most
/// [`MAX_REASON_CHARS`] characters without control characters.
pub fn quarantine(
    root: &Path,
    quarantine_dir: &Path,
    file: &Path,
    reason: &str,
) -> Result<QuarantineRecord> {
    let root = checked_dir("root", root)?;
    let qdir = checked_dir("quarantine_dir", quarantine_dir)?;
    let file = checked_file("file", file)?;
    check_reason(reason)?;

    let root_real = fs::canonicalize(&root)
        .map_err(|e| io_error(format!("resolving the site root {}", root.display()), e))?;
    if !root_real.is_dir() {
        return Err(Error::invalid(format!(
            "the site root {} is not a directory",
            root.display()
        )));
    }
    let resolved = resolve_parent(&file)?;
    if !resolved.starts_with(&root_real) {
        return Err(Error::invalid(format!(
            "{} is outside the site root {}",
            file.display(),
            root_real.display()
        )));
    }
    let check_qdir = |real: &Path| {
        if real.starts_with(&root_real) {
            Err(Error::invalid(format!(
                "the quarantine directory {} must be outside the site root {}",
                qdir.display(),
                root_real.display()
            )))
        } else {
            Ok(())
        }
    };
    check_qdir(&canonicalize_existing_prefix(&qdir)?)?;
    ensure_quarantine_dir(&qdir)?;
    let qdir_real = fs::canonicalize(&qdir)
        .map_err(|e| io_error(format!("resolving {}", qdir.display()), e))?;
    check_qdir(&qdir_real)?;

    quarantine_resolved(&qdir_real, &resolved, reason)
}

/// Puts the file of entry `id` back at its original path, byte for byte
/// with its mode, mtime and (when permitted) owner, and removes the entry.
///
/// Missing parent directories are recreated (mode 0755). If something exists
/// at the original path: without `overwrite` this fails with
/// [`Error::InvalidArgument`] and changes nothing; with `overwrite` an
/// existing regular file is quarantined first (reason "replaced by restore
/// of `id`"), anything else is refused.
pub fn restore(quarantine_dir: &Path, id: &str, overwrite: bool) -> Result<QuarantineRecord> {
    let qdir = checked_dir("quarantine_dir", quarantine_dir)?;
    check_id(id)?;
    let json_path = qdir.join(format!("{id}.json"));
    let data_path = qdir.join(format!("{id}.data"));
    let record = read_record(&json_path, id)?.ok_or_else(|| {
        Error::invalid(format!(
            "there is no quarantine entry {id} in {}",
            qdir.display()
        ))
    })?;
    let target = checked_file("the record's original path", Path::new(&record.original))
        .map_err(|e| Error::invalid(format!("quarantine record {id} is corrupted: {e}")))?;
    let mut data = File::open(&data_path).map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => Error::invalid(format!(
            "the data of quarantine entry {id} is missing ({})",
            data_path.display()
        )),
        _ => io_error(format!("opening {}", data_path.display()), e),
    })?;

    let existing = match fs::symlink_metadata(&target) {
        Ok(m) => Some(m),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(io_error(format!("inspecting {}", target.display()), e)),
    };
    if let Some(m) = &existing {
        if !overwrite {
            return Err(Error::invalid(format!(
                "{} already exists; restore with overwrite to replace it \
                 (the existing file is quarantined first)",
                target.display()
            )));
        }
        if !m.file_type().is_file() {
            return Err(Error::invalid(format!(
                "{} exists and is not a regular file; only a regular file is replaced",
                target.display()
            )));
        }
    }

    let parent = parent_dir(&target);
    create_missing_dirs(parent, record.uid, record.gid)?;
    let temp = write_restore_temp(&mut data, &target, &record)?;
    let placed = (|| {
        if existing.is_some() {
            quarantine_resolved(&qdir, &target, &format!("replaced by restore of {id}"))?;
        }
        place_without_replacing(&temp, &target)
    })();
    if let Err(e) = placed {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    // The file is in place; a failure to sync the directory cannot undo that.
    let _ = sync_dir(parent);

    // Record first, then data: a listed entry always has its data.
    let removed = remove_if_exists(&json_path)
        .and_then(|()| remove_if_exists(&data_path))
        .and_then(|()| sync_dir(&qdir));
    if let Err(e) = removed {
        return Err(match e {
            Error::Io { context, source } => Error::Io {
                context: format!(
                    "{} was restored, but the entry {id} was not removed: {context}",
                    target.display()
                ),
                source,
            },
            other => other,
        });
    }
    Ok(record)
}

/// The entries of a quarantine directory, sorted by `quarantined_at`, then
/// `id`. A missing directory has none. Files that are not a complete entry
/// (stray files, temporary files, unreadable or foreign records, a record
/// without its data) are skipped.
pub fn list(quarantine_dir: &Path) -> Result<Vec<QuarantineRecord>> {
    let qdir = checked_dir("quarantine_dir", quarantine_dir)?;
    let entries = match fs::read_dir(&qdir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(format!("listing {}", qdir.display()), e)),
    };
    let mut records = Vec::new();
    for entry in entries {
        let Ok(entry) = entry else { continue };
        let name = entry.file_name();
        let Some(id) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        if check_id(id).is_err() {
            continue;
        }
        let Ok(Some(record)) = read_record(&entry.path(), id) else {
            continue;
        };
        let data = qdir.join(format!("{id}.data"));
        if fs::symlink_metadata(&data).is_ok_and(|m| m.file_type().is_file()) {
            records.push(record);
        }
    }
    records.sort_by(|a, b| {
        a.quarantined_at
            .cmp(&b.quarantined_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(records)
}

/// Quarantines `path`, whose parent directories are already resolved and
/// checked, into the existing directory `qdir`.
fn quarantine_resolved(qdir: &Path, path: &Path, reason: &str) -> Result<QuarantineRecord> {
    let original = path
        .to_str()
        .ok_or_else(|| {
            Error::invalid(format!(
                "{} is not valid UTF-8 once resolved",
                path.display()
            ))
        })?
        .to_owned();
    let before = fs::symlink_metadata(path)
        .map_err(|e| io_error(format!("inspecting {}", path.display()), e))?;
    if before.file_type().is_symlink() {
        return Err(Error::invalid(format!(
            "{} is a symbolic link, not a file; quarantine the file it points to instead",
            path.display()
        )));
    }
    if !before.file_type().is_file() {
        return Err(Error::invalid(format!(
            "{} is not a regular file",
            path.display()
        )));
    }
    // O_NOFOLLOW: never follow a symlink swapped in since the check;
    // O_NONBLOCK: never hang on a FIFO swapped in.
    let mut source = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| io_error(format!("opening {}", path.display()), e))?;
    let meta = source
        .metadata()
        .map_err(|e| io_error(format!("inspecting {}", path.display()), e))?;
    if !meta.file_type().is_file() || !same_file(&meta, &before) {
        return Err(changed(path));
    }

    let id = random_hex(16)?;
    let data_path = qdir.join(format!("{id}.data"));
    let json_path = qdir.join(format!("{id}.json"));
    if fs::symlink_metadata(&data_path).is_ok() || fs::symlink_metadata(&json_path).is_ok() {
        return Err(Error::Internal(format!(
            "random quarantine id {id} is already in use"
        )));
    }

    // 1. A private, verified, durable copy of the bytes.
    let (mut copy, temp) = create_temp_beside(&data_path, "tmp", 0o600)?;
    let copied = (|| {
        let (sha, size) = copy_hashing(&mut source, &mut copy).map_err(|e| {
            io_error(
                format!("copying {} to {}", path.display(), temp.display()),
                e,
            )
        })?;
        copy.sync_all()
            .map_err(|e| io_error(format!("writing {}", temp.display()), e))?;
        copy.rewind()
            .map_err(|e| io_error(format!("reading {}", temp.display()), e))?;
        let (check, check_size) = copy_hashing(&mut copy, &mut io::sink())
            .map_err(|e| io_error(format!("reading {}", temp.display()), e))?;
        if check != sha || check_size != size {
            return Err(io_error(
                format!("verifying the quarantine copy of {}", path.display()),
                io::Error::new(io::ErrorKind::InvalidData, "sha256 of the copy differs"),
            ));
        }
        fs::rename(&temp, &data_path).map_err(|e| {
            io_error(
                format!("renaming {} to {}", temp.display(), data_path.display()),
                e,
            )
        })?;
        sync_dir(qdir)?;
        Ok((sha, size))
    })();
    let (sha, size) = match copied {
        Ok(v) => v,
        Err(e) => {
            let _ = fs::remove_file(&temp);
            let _ = fs::remove_file(&data_path);
            return Err(e);
        }
    };

    // 2. The durable record.
    let record = QuarantineRecord {
        id: id.clone(),
        original,
        size,
        mode: meta.mode(),
        mtime_ns: nanos(meta.mtime(), meta.mtime_nsec()),
        uid: meta.uid(),
        gid: meta.gid(),
        sha256: hex::encode(sha),
        quarantined_at: unix_now(),
        reason: reason.to_owned(),
    };
    let finish = (|| {
        let json = serde_json::to_vec_pretty(&record)
            .map_err(|e| Error::Internal(format!("encoding a quarantine record: {e}")))?;
        write_file_atomic(&json_path, &json, 0o600)?;
        // 3. Only now, and only if it is still the file that was copied,
        // remove the original.
        let now = fs::symlink_metadata(path)
            .map_err(|e| io_error(format!("inspecting {}", path.display()), e))?;
        if !same_file(&now, &meta) || !same_contents_metadata(&now, &meta) {
            return Err(changed(path));
        }
        fs::remove_file(path).map_err(|e| io_error(format!("removing {}", path.display()), e))
    })();
    if let Err(e) = finish {
        let _ = remove_if_exists(&json_path);
        let _ = remove_if_exists(&data_path);
        let _ = sync_dir(qdir);
        return Err(e);
    }
    // The entry is durable and the original gone; a failed directory sync
    // at most lets the original reappear after a crash, which loses nothing.
    let _ = sync_dir(parent_dir(path));
    Ok(record)
}

/// Writes the data to a temporary file beside `target` with the record's
/// owner (when permitted), mode and mtime, verifies it and fsyncs it.
fn write_restore_temp(
    data: &mut File,
    target: &Path,
    record: &QuarantineRecord,
) -> Result<PathBuf> {
    let (mut out, temp) = create_temp_beside(target, "wt-restore", 0o600)?;
    let result = (|| {
        let ctx = |what: &str| format!("{what} {}", temp.display());
        let (sha, size) = copy_hashing(data, &mut out).map_err(|e| io_error(ctx("writing"), e))?;
        if hex::encode(sha) != record.sha256 || size != record.size {
            return Err(io_error(
                format!("restoring quarantine entry {}", record.id),
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the quarantined data does not match its record's sha256 and size; \
                     the entry is kept as it is",
                ),
            ));
        }
        // Owner first (chown clears set-id bits), then mode, then times.
        let meta = out.metadata().map_err(|e| io_error(ctx("inspecting"), e))?;
        let owned = (meta.uid(), meta.gid()) == (record.uid, record.gid)
            || std::os::unix::fs::fchown(&out, Some(record.uid), Some(record.gid)).is_ok();
        let mut mode = record.mode & 0o7777;
        if !owned {
            // Never hand set-user/group-id bits to a file of another owner.
            mode &= !0o6000;
        }
        out.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(|e| io_error(ctx("setting the mode of"), e))?;
        let mtime = system_time(record.mtime_ns).ok_or_else(|| {
            Error::invalid(format!(
                "quarantine record {} is corrupted: mtime out of range",
                record.id
            ))
        })?;
        out.set_times(FileTimes::new().set_modified(mtime))
            .map_err(|e| io_error(ctx("setting the mtime of"), e))?;
        out.sync_all().map_err(|e| io_error(ctx("writing"), e))?;
        out.rewind().map_err(|e| io_error(ctx("reading"), e))?;
        let (check, check_size) =
            copy_hashing(&mut out, &mut io::sink()).map_err(|e| io_error(ctx("reading"), e))?;
        if check != sha || check_size != size {
            return Err(io_error(
                ctx("verifying"),
                io::Error::new(io::ErrorKind::InvalidData, "sha256 differs after writing"),
            ));
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = fs::remove_file(&temp);
            Err(e)
        }
    }
}

/// Gives `temp` the name `target` without ever replacing a file that
/// appeared there meanwhile: a hard link fails if `target` exists. Where hard
/// links are not supported, a rename after a last check.
fn place_without_replacing(temp: &Path, target: &Path) -> Result<()> {
    match fs::hard_link(temp, target) {
        Ok(()) => {
            // The restored file is in place; a leftover temporary name is
            // only a duplicate.
            let _ = fs::remove_file(temp);
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(Error::invalid(format!(
            "{} appeared while restoring; nothing was replaced",
            target.display()
        ))),
        Err(_) => match fs::symlink_metadata(target) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                fs::rename(temp, target).map_err(|e| {
                    io_error(
                        format!("renaming {} to {}", temp.display(), target.display()),
                        e,
                    )
                })
            }
            _ => Err(Error::invalid(format!(
                "{} appeared while restoring; nothing was replaced",
                target.display()
            ))),
        },
    }
}

/// Creates the missing directories of `dir`, top down, with mode 0755,
/// owned by `uid`:`gid` when permitted.
fn create_missing_dirs(dir: &Path, uid: u32, gid: u32) -> Result<()> {
    let mut missing = Vec::new();
    let mut cur = dir;
    loop {
        match fs::symlink_metadata(cur) {
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                missing.push(cur.to_path_buf());
                match cur.parent() {
                    Some(p) => cur = p,
                    None => break,
                }
            }
            Err(e) => return Err(io_error(format!("inspecting {}", cur.display()), e)),
        }
    }
    for d in missing.iter().rev() {
        match DirBuilder::new().mode(0o755).create(d) {
            Ok(()) => {
                let _ = std::os::unix::fs::lchown(d, Some(uid), Some(gid));
                // Exactly 0755, whatever the umask.
                fs::set_permissions(d, fs::Permissions::from_mode(0o755))
                    .map_err(|e| io_error(format!("setting the mode of {}", d.display()), e))?;
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && d.is_dir() => {}
            Err(e) => return Err(io_error(format!("creating directory {}", d.display()), e)),
        }
    }
    Ok(())
}

/// Creates the quarantine directory (mode 0700) if missing.
fn ensure_quarantine_dir(qdir: &Path) -> Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(qdir)
        .map_err(|e| io_error(format!("creating {}", qdir.display()), e))?;
    if !qdir.is_dir() {
        return Err(Error::invalid(format!(
            "the quarantine directory {} is not a directory",
            qdir.display()
        )));
    }
    Ok(())
}

/// Reads and checks `<id>.json`; `Ok(None)` when it does not exist.
fn read_record(json_path: &Path, id: &str) -> Result<Option<QuarantineRecord>> {
    let bytes = match fs::read(json_path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(format!("reading {}", json_path.display()), e)),
    };
    let record: QuarantineRecord = serde_json::from_slice(&bytes)
        .map_err(|e| Error::invalid(format!("quarantine record {id} is corrupted: {e}")))?;
    if record.id != id {
        return Err(Error::invalid(format!(
            "quarantine record {id} is corrupted: it names id {:?}",
            record.id
        )));
    }
    Ok(Some(record))
}

/// Checks a directory argument and returns it normalised.
fn checked_dir(what: &str, path: &Path) -> Result<PathBuf> {
    let s = path
        .to_str()
        .ok_or_else(|| Error::invalid(format!("{what} is not valid UTF-8: {}", path.display())))?;
    Ok(PathBuf::from(validate_absolute_dir(what, s)?))
}

/// Checks a file argument: absolute, UTF-8, no `..`, no NUL, not over-long.
/// Other control characters are allowed: malware is named as it likes.
fn checked_file(what: &str, path: &Path) -> Result<PathBuf> {
    let s = path
        .to_str()
        .ok_or_else(|| Error::invalid(format!("{what} is not valid UTF-8: {}", path.display())))?;
    if !s.starts_with('/') {
        return Err(Error::invalid(format!(
            "{what} must be an absolute path, got {s:?}"
        )));
    }
    if s.len() > MAX_PATH_LEN {
        return Err(Error::invalid(format!(
            "{what} is longer than {MAX_PATH_LEN} bytes"
        )));
    }
    if s.contains('\0') {
        return Err(Error::invalid(format!("{what} contains a NUL byte")));
    }
    if path.components().any(|c| c == Component::ParentDir) {
        return Err(Error::invalid(format!(
            "{what} must not contain \"..\" segments, got {s:?}"
        )));
    }
    if path.file_name().is_none() || s.ends_with('/') {
        return Err(Error::invalid(format!(
            "{what} does not name a file: {s:?}"
        )));
    }
    Ok(path.components().collect())
}

/// The path of `file` with symlinks in its parent directories resolved.
fn resolve_parent(file: &Path) -> Result<PathBuf> {
    let name = file
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} does not name a file", file.display())))?;
    let parent = parent_dir(file);
    let real = fs::canonicalize(parent)
        .map_err(|e| io_error(format!("resolving {}", parent.display()), e))?;
    Ok(real.join(name))
}

/// Like `fs::canonicalize`, for a path whose last components may not exist
/// yet: resolves the longest existing prefix and appends the rest.
fn canonicalize_existing_prefix(path: &Path) -> Result<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        match fs::canonicalize(existing) {
            Ok(mut real) => {
                for name in rest.iter().rev() {
                    real.push(name);
                }
                return Ok(real);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                match (existing.parent(), existing.file_name()) {
                    (Some(parent), Some(name)) => {
                        rest.push(name.to_owned());
                        existing = parent;
                    }
                    _ => return Err(io_error(format!("resolving {}", path.display()), e)),
                }
            }
            Err(e) => return Err(io_error(format!("resolving {}", path.display()), e)),
        }
    }
}

fn check_reason(reason: &str) -> Result<()> {
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(Error::invalid(format!(
            "reason is longer than {MAX_REASON_CHARS} characters"
        )));
    }
    if reason.chars().any(char::is_control) {
        return Err(Error::invalid("reason contains a control character"));
    }
    Ok(())
}

/// Checks a quarantine id: exactly 32 lowercase hex characters.
fn check_id(id: &str) -> Result<()> {
    if id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(())
    } else {
        Err(Error::invalid(format!(
            "a quarantine id is 32 lowercase hex characters, got {id:?}"
        )))
    }
}

fn changed(path: &Path) -> Error {
    Error::Io {
        context: format!("quarantining {}", path.display()),
        source: io::Error::other(
            "the file changed while it was being quarantined; nothing was removed, try again",
        ),
    }
}

fn same_file(a: &Metadata, b: &Metadata) -> bool {
    a.dev() == b.dev() && a.ino() == b.ino()
}

fn same_contents_metadata(a: &Metadata, b: &Metadata) -> bool {
    a.size() == b.size()
        && a.mtime() == b.mtime()
        && a.mtime_nsec() == b.mtime_nsec()
        && a.ctime() == b.ctime()
        && a.ctime_nsec() == b.ctime_nsec()
}

fn remove_if_exists(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_error(format!("removing {}", path.display()), e)),
    }
}

/// Copies everything from `src` to `dst`; returns the sha256 and length.
fn copy_hashing(src: &mut impl Read, dst: &mut impl Write) -> io::Result<([u8; 32], u64)> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let n = match src.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n])?;
        total += n as u64;
    }
    Ok((hasher.finalize().into(), total))
}

fn system_time(ns: i64) -> Option<SystemTime> {
    let d = Duration::from_nanos(ns.unsigned_abs());
    if ns >= 0 {
        UNIX_EPOCH.checked_add(d)
    } else {
        UNIX_EPOCH.checked_sub(d)
    }
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::symlink;

    /// A site root and a quarantine directory beside it (outside it).
    struct Site {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        qdir: PathBuf,
    }

    fn site() -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(tmp.path()).unwrap();
        let root = base.join("httpdocs");
        fs::create_dir(&root).unwrap();
        Site {
            root,
            qdir: base.join("quarantine"),
            _tmp: tmp,
        }
    }

    fn write(path: &Path, bytes: &[u8], mode: u32) {
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).unwrap();
        }
        fs::write(path, bytes).unwrap();
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    }

    fn mode_of(path: &Path) -> u32 {
        fs::symlink_metadata(path).unwrap().mode() & 0o7777
    }

    fn mtime_of(path: &Path) -> i64 {
        let m = fs::symlink_metadata(path).unwrap();
        nanos(m.mtime(), m.mtime_nsec())
    }

    fn set_mtime(path: &Path, ns: i64) {
        let f = File::options().write(true).open(path).unwrap();
        f.set_times(FileTimes::new().set_modified(system_time(ns).unwrap()))
            .unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = match fs::read_dir(dir) {
            Ok(rd) => rd
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        };
        v.sort();
        v
    }

    fn is_invalid(r: Result<QuarantineRecord>, needle: &str) {
        match r {
            Err(Error::InvalidArgument(msg)) => assert!(msg.contains(needle), "{msg}"),
            other => panic!("expected InvalidArgument containing {needle:?}, got {other:?}"),
        }
    }

    fn binary_content() -> Vec<u8> {
        let mut v: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
        v.extend_from_slice(b"\0\r\n<?php eval($_POST['x']); ?>\xff\xfe");
        v
    }

    const OLD_MTIME: i64 = 1_000_000_000_123_456_789; // 2001-09-09, with nanoseconds

    #[test]
    fn round_trip_is_byte_for_byte_with_mode_and_mtime() {
        let s = site();
        let file = s.root.join("wp-content/uploads/shell.php");
        let content = binary_content();
        write(&file, &content, 0o640);
        set_mtime(&file, OLD_MTIME);
        let before = fs::symlink_metadata(&file).unwrap();

        let rec = quarantine(&s.root, &s.qdir, &file, "eval of POST data").unwrap();
        assert!(!file.exists(), "the original must be gone");
        assert_eq!(rec.id.len(), 32);
        check_id(&rec.id).unwrap();
        assert_eq!(rec.original, file.to_str().unwrap());
        assert_eq!(rec.size, content.len() as u64);
        assert_eq!(rec.mode, 0o100640);
        assert_eq!(rec.mtime_ns, OLD_MTIME);
        assert_eq!((rec.uid, rec.gid), (before.uid(), before.gid()));
        assert_eq!(rec.sha256, hex::encode(crate::baseline::sha256(&content)));
        assert_eq!(rec.reason, "eval of POST data");
        assert!(rec.quarantined_at > 1_600_000_000);

        // The entry: data (0600, same bytes) and record, in a 0700 directory.
        assert_eq!(mode_of(&s.qdir), 0o700);
        let data = s.qdir.join(format!("{}.data", rec.id));
        let json = s.qdir.join(format!("{}.json", rec.id));
        assert_eq!(fs::read(&data).unwrap(), content);
        assert_eq!(mode_of(&data), 0o600);
        assert_eq!(mode_of(&json), 0o600);
        assert_eq!(
            names(&s.qdir),
            vec![format!("{}.data", rec.id), format!("{}.json", rec.id)]
        );
        assert_eq!(list(&s.qdir).unwrap(), vec![rec.clone()]);

        let restored = restore(&s.qdir, &rec.id, false).unwrap();
        assert_eq!(restored, rec);
        assert_eq!(fs::read(&file).unwrap(), content);
        assert_eq!(mode_of(&file), 0o640);
        assert_eq!(mtime_of(&file), OLD_MTIME);
        let after = fs::symlink_metadata(&file).unwrap();
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
        assert!(names(&s.qdir).is_empty(), "{:?}", names(&s.qdir));
        assert_eq!(names(file.parent().unwrap()), vec!["shell.php".to_string()]);
        assert!(list(&s.qdir).unwrap().is_empty());
    }

    #[test]
    fn empty_file_and_odd_names_round_trip() {
        let s = site();
        let empty = s.root.join("empty.php");
        write(&empty, b"", 0o644);
        let odd = s.root.join("evil\n name\t.php");
        write(&odd, b"x", 0o755);
        let r1 = quarantine(&s.root, &s.qdir, &empty, "").unwrap();
        let r2 = quarantine(&s.root, &s.qdir, &odd, "odd name").unwrap();
        assert_eq!(r1.size, 0);
        assert_eq!(r2.original, odd.to_str().unwrap());
        assert_eq!(list(&s.qdir).unwrap().len(), 2);
        restore(&s.qdir, &r1.id, false).unwrap();
        restore(&s.qdir, &r2.id, false).unwrap();
        assert_eq!(fs::read(&empty).unwrap(), b"");
        assert_eq!(fs::read(&odd).unwrap(), b"x");
        assert_eq!(mode_of(&odd), 0o755);
    }

    #[test]
    fn longest_file_names_round_trip() {
        let s = site();
        let file = s.root.join(format!("{}.php", "n".repeat(251)));
        write(&file, b"long", 0o644);
        let rec = quarantine(&s.root, &s.qdir, &file, "x").unwrap();
        restore(&s.qdir, &rec.id, false).unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"long");
        assert_eq!(names(&s.root).len(), 1);
    }

    #[test]
    fn restore_recreates_missing_directories() {
        let s = site();
        let file = s.root.join("a/b/c/d.php");
        write(&file, b"<?php", 0o600);
        let rec = quarantine(&s.root, &s.qdir, &file, "test").unwrap();
        fs::remove_dir_all(s.root.join("a")).unwrap();
        restore(&s.qdir, &rec.id, false).unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"<?php");
        assert_eq!(mode_of(&file), 0o600);
        for d in ["a", "a/b", "a/b/c"] {
            assert_eq!(mode_of(&s.root.join(d)), 0o755, "{d}");
        }
    }

    #[test]
    fn refuses_files_outside_the_root() {
        let s = site();
        let outside = s.root.parent().unwrap().join("outside.php");
        write(&outside, b"keep", 0o644);
        is_invalid(
            quarantine(&s.root, &s.qdir, &outside, "x"),
            "outside the site root",
        );
        // Through a symlinked directory inside the root that points out.
        let elsewhere = s.root.parent().unwrap().join("elsewhere");
        write(&elsewhere.join("x.php"), b"keep", 0o644);
        symlink(&elsewhere, s.root.join("link")).unwrap();
        is_invalid(
            quarantine(&s.root, &s.qdir, &s.root.join("link/x.php"), "x"),
            "outside the site root",
        );
        // `..` is refused outright.
        is_invalid(
            quarantine(&s.root, &s.qdir, &s.root.join("../outside.php"), "x"),
            "..",
        );
        assert_eq!(fs::read(&outside).unwrap(), b"keep");
        assert_eq!(fs::read(elsewhere.join("x.php")).unwrap(), b"keep");
        assert!(!s.qdir.exists());
    }

    #[test]
    fn a_symlinked_parent_inside_the_root_is_resolved() {
        let s = site();
        let real = s.root.join("real/x.php");
        write(&real, b"data", 0o644);
        symlink(s.root.join("real"), s.root.join("alias")).unwrap();
        let rec = quarantine(&s.root, &s.qdir, &s.root.join("alias/x.php"), "x").unwrap();
        assert_eq!(rec.original, real.to_str().unwrap());
        assert!(!real.exists());
        restore(&s.qdir, &rec.id, false).unwrap();
        assert_eq!(fs::read(&real).unwrap(), b"data");
    }

    #[test]
    fn refuses_symlinks_directories_and_missing_files() {
        let s = site();
        let target = s.root.join("target.php");
        write(&target, b"keep", 0o644);
        let link = s.root.join("link.php");
        symlink(&target, &link).unwrap();
        is_invalid(
            quarantine(&s.root, &s.qdir, &link, "x"),
            "is a symbolic link",
        );
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&target).unwrap(), b"keep");

        let dangling = s.root.join("dangling.php");
        symlink(s.root.join("nothing"), &dangling).unwrap();
        is_invalid(
            quarantine(&s.root, &s.qdir, &dangling, "x"),
            "is a symbolic link",
        );

        let dir = s.root.join("dir");
        fs::create_dir(&dir).unwrap();
        is_invalid(
            quarantine(&s.root, &s.qdir, &dir, "x"),
            "not a regular file",
        );
        assert!(dir.is_dir());
        assert!(matches!(
            quarantine(&s.root, &s.qdir, &s.root.join("missing.php"), "x"),
            Err(Error::Io { .. })
        ));
        assert!(names(&s.qdir).is_empty());
    }

    #[test]
    fn refuses_a_quarantine_dir_inside_the_root() {
        let s = site();
        let file = s.root.join("x.php");
        write(&file, b"keep", 0o644);
        for q in [
            s.root.clone(),
            s.root.join("quarantine"),
            s.root.join("deep/er/q"),
        ] {
            is_invalid(
                quarantine(&s.root, &q, &file, "x"),
                "must be outside the site root",
            );
        }
        // Inside the root through a symlink.
        let base = s.root.parent().unwrap();
        symlink(&s.root, base.join("to-root")).unwrap();
        is_invalid(
            quarantine(&s.root, &base.join("to-root/q"), &file, "x"),
            "must be outside the site root",
        );
        assert_eq!(fs::read(&file).unwrap(), b"keep");
        assert_eq!(names(&s.root), vec!["x.php".to_string()]);
    }

    #[test]
    fn refuses_bad_arguments() {
        let s = site();
        let file = s.root.join("x.php");
        write(&file, b"keep", 0o644);
        is_invalid(
            quarantine(Path::new("httpdocs"), &s.qdir, &file, "x"),
            "absolute",
        );
        is_invalid(quarantine(&s.root, Path::new("q"), &file, "x"), "absolute");
        is_invalid(
            quarantine(&s.root, &s.qdir, Path::new("x.php"), "x"),
            "absolute",
        );
        is_invalid(
            quarantine(&s.root, &s.qdir, &file, &"r".repeat(201)),
            "longer than 200",
        );
        quarantine(&s.root, &s.qdir, &s.root.join("nope"), &"é".repeat(200))
            .expect_err("missing file");
        is_invalid(
            quarantine(&s.root, &s.qdir, &file, "line\nbreak"),
            "control character",
        );
        let bad_utf8 = s.root.join(OsStr::from_bytes(b"bad\xff.php"));
        write(&bad_utf8, b"keep", 0o644);
        is_invalid(quarantine(&s.root, &s.qdir, &bad_utf8, "x"), "UTF-8");
        is_invalid(
            quarantine(&s.root, &s.qdir, Path::new("/"), "x"),
            "does not name a file",
        );
        assert_eq!(fs::read(&file).unwrap(), b"keep");
        assert_eq!(fs::read(&bad_utf8).unwrap(), b"keep");
    }

    #[test]
    fn refuses_bad_ids() {
        let s = site();
        for bad in [
            "",
            "0123456789abcdef0123456789abcde",
            "0123456789abcdef0123456789abcdef0",
            "0123456789ABCDEF0123456789ABCDEF",
            "../../../../../../etc/passwd.json",
            "0123456789abcdef0123456789abcde/",
            "0123456789abcdef0123456789abcdeg",
        ] {
            is_invalid(restore(&s.qdir, bad, false), "32 lowercase hex");
        }
        is_invalid(
            restore(&s.qdir, "0123456789abcdef0123456789abcdef", false),
            "no quarantine entry",
        );
    }

    #[test]
    fn restore_never_replaces_without_overwrite() {
        let s = site();
        let file = s.root.join("index.php");
        write(&file, b"infected", 0o644);
        let rec = quarantine(&s.root, &s.qdir, &file, "x").unwrap();
        write(&file, b"clean", 0o644);
        is_invalid(restore(&s.qdir, &rec.id, false), file.to_str().unwrap());
        assert_eq!(fs::read(&file).unwrap(), b"clean");
        assert_eq!(list(&s.qdir).unwrap(), vec![rec.clone()]);
        assert_eq!(names(&s.root), vec!["index.php".to_string()]);

        // A directory or symlink in the way is refused even with overwrite.
        fs::remove_file(&file).unwrap();
        fs::create_dir(&file).unwrap();
        is_invalid(restore(&s.qdir, &rec.id, true), "not a regular file");
        fs::remove_dir(&file).unwrap();
        symlink("/etc/hostname", &file).unwrap();
        is_invalid(restore(&s.qdir, &rec.id, true), "not a regular file");
        assert!(
            fs::symlink_metadata(&file)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(list(&s.qdir).unwrap(), vec![rec]);
    }

    #[test]
    fn overwrite_quarantines_the_replaced_file() {
        let s = site();
        let file = s.root.join("index.php");
        write(&file, b"version 1", 0o644);
        let r1 = quarantine(&s.root, &s.qdir, &file, "x").unwrap();
        write(&file, b"version 2", 0o600);

        restore(&s.qdir, &r1.id, true).unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"version 1");
        assert_eq!(mode_of(&file), 0o644);
        let listed = list(&s.qdir).unwrap();
        assert_eq!(listed.len(), 1);
        let r2 = &listed[0];
        assert_eq!(r2.reason, format!("replaced by restore of {}", r1.id));
        assert_eq!(r2.original, file.to_str().unwrap());
        assert_eq!(r2.mode & 0o7777, 0o600);

        // And back again: nothing is ever lost.
        restore(&s.qdir, &r2.id, true).unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"version 2");
        let listed = list(&s.qdir).unwrap();
        assert_eq!(listed.len(), 1);
        let r3 = &listed[0];
        assert_eq!(r3.reason, format!("replaced by restore of {}", r2.id));
        assert_eq!(
            fs::read(s.qdir.join(format!("{}.data", r3.id))).unwrap(),
            b"version 1"
        );
    }

    #[test]
    fn list_after_several_operations_skips_strays() {
        let s = site();
        let mut ids = Vec::new();
        for i in 0..5 {
            let f = s.root.join(format!("f{i}.php"));
            write(&f, format!("file {i}").as_bytes(), 0o644);
            ids.push(
                quarantine(&s.root, &s.qdir, &f, &format!("r{i}"))
                    .unwrap()
                    .id,
            );
        }
        restore(&s.qdir, &ids[1], false).unwrap();
        restore(&s.qdir, &ids[3], false).unwrap();
        // Entry 4 the oldest, 0 and 2 in the same second (ordered by id).
        let set_time = |id: &str, t: i64| {
            let json = s.qdir.join(format!("{id}.json"));
            let mut r: QuarantineRecord =
                serde_json::from_slice(&fs::read(&json).unwrap()).unwrap();
            r.quarantined_at = t;
            fs::write(&json, serde_json::to_vec(&r).unwrap()).unwrap();
            r
        };
        let r4 = set_time(&ids[4], 1);
        set_time(&ids[0], 100);
        set_time(&ids[2], 100);

        // Strays of every kind.
        fs::write(s.qdir.join("README"), b"hello").unwrap();
        fs::write(s.qdir.join(".0123.json.tmp-abcd"), b"{").unwrap();
        fs::write(s.qdir.join(format!("{}.json", "a".repeat(32))), b"not json").unwrap();
        let wrong_id = QuarantineRecord {
            id: "b".repeat(32),
            ..r4.clone()
        };
        fs::write(
            s.qdir.join(format!("{}.json", "c".repeat(32))),
            serde_json::to_vec(&wrong_id).unwrap(),
        )
        .unwrap();
        fs::write(s.qdir.join(format!("{}.data", "c".repeat(32))), b"x").unwrap();
        let no_data = QuarantineRecord {
            id: "d".repeat(32),
            ..r4.clone()
        };
        fs::write(
            s.qdir.join(format!("{}.json", no_data.id)),
            serde_json::to_vec(&no_data).unwrap(),
        )
        .unwrap();
        fs::write(s.qdir.join(format!("{}.data", "e".repeat(32))), b"orphan").unwrap();
        fs::create_dir(s.qdir.join(format!("{}.json", "f".repeat(32)))).unwrap();

        let listed: Vec<String> = list(&s.qdir).unwrap().into_iter().map(|r| r.id).collect();
        let mut same_second = vec![ids[0].clone(), ids[2].clone()];
        same_second.sort();
        assert_eq!(listed, [vec![ids[4].clone()], same_second].concat());
        // Every remaining entry still restores.
        for id in &listed {
            restore(&s.qdir, id, false).unwrap();
        }
        for i in 0..5 {
            assert_eq!(
                fs::read(s.root.join(format!("f{i}.php"))).unwrap(),
                format!("file {i}").as_bytes()
            );
        }
        assert!(list(&s.qdir).unwrap().is_empty());
        // A missing quarantine directory lists as empty.
        assert!(list(&s.qdir.join("none")).unwrap().is_empty());
    }

    #[test]
    fn corrupted_data_is_never_restored_and_the_entry_is_kept() {
        let s = site();
        let file = s.root.join("x.php");
        write(&file, b"original", 0o644);
        let rec = quarantine(&s.root, &s.qdir, &file, "x").unwrap();
        let data = s.qdir.join(format!("{}.data", rec.id));
        fs::write(&data, b"0riginal").unwrap();
        match restore(&s.qdir, &rec.id, false) {
            Err(Error::Io { source, .. }) => {
                assert_eq!(source.kind(), io::ErrorKind::InvalidData)
            }
            other => panic!("{other:?}"),
        }
        assert!(names(&s.root).is_empty(), "{:?}", names(&s.root));
        assert_eq!(list(&s.qdir).unwrap(), vec![rec.clone()]);
        // A missing data file is reported, the record kept.
        fs::remove_file(&data).unwrap();
        is_invalid(restore(&s.qdir, &rec.id, false), "missing");
        assert!(s.qdir.join(format!("{}.json", rec.id)).exists());
    }

    #[test]
    fn unreadable_file() {
        let s = site();
        let file = s.root.join("locked.php");
        write(&file, b"secret", 0o000);
        let readable = File::open(&file).is_ok(); // true when running as root
        let r = quarantine(&s.root, &s.qdir, &file, "x");
        if readable {
            let rec = r.unwrap();
            assert_eq!(rec.mode & 0o7777, 0);
            restore(&s.qdir, &rec.id, false).unwrap();
            assert_eq!(fs::read(&file).unwrap(), b"secret");
            assert_eq!(mode_of(&file), 0o000);
        } else {
            assert!(matches!(r, Err(Error::Io { .. })), "{r:?}");
            assert!(file.exists());
            assert!(names(&s.qdir).is_empty());
        }
    }

    #[test]
    fn ownership_is_restored_when_permitted() {
        let s = site();
        let file = s.root.join("owned.php");
        write(&file, b"x", 0o644);
        if std::os::unix::fs::chown(&file, Some(12345), Some(23456)).is_err() {
            return; // not root: cannot give files away, nothing to test
        }
        let rec = quarantine(&s.root, &s.qdir, &file, "x").unwrap();
        assert_eq!((rec.uid, rec.gid), (12345, 23456));
        fs::remove_dir(&s.root).unwrap();
        restore(&s.qdir, &rec.id, false).unwrap();
        let m = fs::symlink_metadata(&file).unwrap();
        assert_eq!((m.uid(), m.gid()), (12345, 23456));
        let d = fs::symlink_metadata(&s.root).unwrap();
        assert_eq!((d.uid(), d.gid()), (12345, 23456));
    }

    #[test]
    fn time_conversion_round_trips() {
        for ns in [0, 1, -1, OLD_MTIME, -OLD_MTIME, -1_500_000_000] {
            let t = system_time(ns).unwrap();
            let back = match t.duration_since(UNIX_EPOCH) {
                Ok(d) => d.as_nanos() as i64,
                Err(e) => -(e.duration().as_nanos() as i64),
            };
            assert_eq!(back, ns);
        }
    }
}
