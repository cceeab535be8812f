//! Per-site baseline manifests and file-change detection (added, modified, deleted).
//!
//! The antivirus keeps, per site, a [`Manifest`]: one [`FileRecord`] per file
//! under the site's root. The next scan builds a new manifest and [`diff`]
//! reports what changed; the scan of a whole root does the same one record
//! at a time with [`stream`], without holding either manifest. Incremental
//! scans reuse a stored hash when
//! [`FileRecord::metadata_matches`] says the file's metadata did not change;
//! full scans hash every file again.
//!
//! # On-disk format (version 1)
//!
//! ```text
//! "WTBL"  version=1  varint(count)
//! count × record, sorted by path:
//!     varint(shared prefix length with the previous path)
//!     varint(suffix length) suffix bytes
//!     varint(size)
//!     zigzag varint(mtime_ns − previous record's mtime_ns)
//!     zigzag varint(ctime_ns − previous record's ctime_ns)
//!     zigzag varint(inode − previous record's inode)
//!     varint(mode XOR previous record's mode)
//!     32 bytes sha256 of the contents
//! 32 bytes sha256 of everything above
//! ```
//!
//! Varints are unsigned LEB128; "previous" values start at zero. The deltas
//! use wrapping arithmetic, so every value round-trips. Files of one site are
//! typically unpacked together, so neighbours have close times and inodes and
//! equal modes: the deltas keep a record at about 60 bytes, most of it the hash.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub mod stream;

/// The first bytes of every baseline file.
const MAGIC: &[u8; 4] = b"WTBL";
/// The format version written by [`Manifest::encode`].
const VERSION: u8 = 1;
/// The length of a sha256 digest.
const HASH_LEN: usize = 32;
/// The fewest bytes one encoded record can take.
const MIN_RECORD_LEN: usize = 7 + HASH_LEN;

/// What a baseline knows about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileRecord {
    /// The path relative to the site root, `/`-separated, as raw bytes (file
    /// names need not be UTF-8). Never empty, at most [`crate::paths::MAX_PATH_LEN`] bytes.
    pub path: Vec<u8>,
    /// The size in bytes.
    pub size: u64,
    /// The modification time, nanoseconds since the Unix epoch.
    pub mtime_ns: i64,
    /// The inode change time, nanoseconds since the Unix epoch.
    pub ctime_ns: i64,
    /// The inode number.
    pub inode: u64,
    /// The full `st_mode` (file type and permission bits).
    pub mode: u32,
    /// The sha256 of the contents.
    pub sha256: [u8; 32],
}

/// Nanoseconds since the epoch from seconds and nanoseconds, saturating
/// instead of overflowing (only times ±292 years from 1970 saturate).
pub(crate) fn nanos(secs: i64, nsec: i64) -> i64 {
    secs.saturating_mul(1_000_000_000).saturating_add(nsec)
}

impl FileRecord {
    /// Builds a record from a file's metadata (as `std::fs::metadata` or
    /// `symlink_metadata` return it) and the sha256 of its contents.
    pub fn from_metadata(path: Vec<u8>, meta: &fs::Metadata, sha256: [u8; 32]) -> Self {
        FileRecord {
            path,
            size: meta.size(),
            mtime_ns: nanos(meta.mtime(), meta.mtime_nsec()),
            ctime_ns: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
            mode: meta.mode(),
            sha256,
        }
    }

    /// True when size, mtime, ctime, inode and mode equal `meta`'s, so the
    /// stored hash can be reused without reading the file again.
    pub fn metadata_matches(&self, meta: &fs::Metadata) -> bool {
        self.size == meta.size()
            && self.mtime_ns == nanos(meta.mtime(), meta.mtime_nsec())
            && self.ctime_ns == nanos(meta.ctime(), meta.ctime_nsec())
            && self.inode == meta.ino()
            && self.mode == meta.mode()
    }
}

/// The baseline of one site: a record per file, ordered by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Ordered by path; the path is stored once, in the record.
    records: BTreeSet<ByPath>,
}

/// A record ordered and looked up by its path.
#[derive(Clone, Debug, PartialEq, Eq)]
struct ByPath(FileRecord);

impl Ord for ByPath {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.path.cmp(&other.0.path)
    }
}

impl PartialOrd for ByPath {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl std::borrow::Borrow<[u8]> for ByPath {
    fn borrow(&self) -> &[u8] {
        &self.0.path
    }
}

impl Manifest {
    /// An empty manifest.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a record, replacing any record with the same path.
    ///
    /// Fails with [`Error::InvalidArgument`] when the path is empty or longer
    /// than [`crate::paths::MAX_PATH_LEN`] bytes (no file the scanner can open has such a
    /// path), so that everything a manifest holds can be saved and loaded.
    pub fn insert(&mut self, r: FileRecord) -> Result<()> {
        stream::check_path(&r.path)?;
        self.records.replace(ByPath(r));
        Ok(())
    }

    /// The record of `path`, if any.
    pub fn get(&self, path: &[u8]) -> Option<&FileRecord> {
        self.records.get(path).map(|r| &r.0)
    }

    /// The number of records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The records in path order.
    pub fn iter(&self) -> impl Iterator<Item = &FileRecord> {
        self.records.iter().map(|r| &r.0)
    }

    /// The binary encoding described in the module documentation.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = stream::Writer::new();
        for r in self.iter() {
            // In order and valid: the manifest checked them on insert.
            w.push_checked(r);
        }
        w.finish()
    }

    /// Decodes what [`Manifest::encode`] wrote.
    ///
    /// Any corrupted, truncated or foreign input gives an
    /// [`Error::InvalidArgument`] starting with "baseline file is corrupted:";
    /// the checksum is checked before anything is parsed, and nothing is
    /// allocated beyond what the records read so far need.
    pub fn decode(bytes: &[u8]) -> Result<Manifest> {
        Manifest::from_records(stream::Records::new(bytes)?)
    }

    /// Reads a baseline file; `Ok(None)` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<Manifest>> {
        match fs::read(path) {
            Ok(bytes) => Manifest::decode(&bytes).map(Some),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io_error(format!("reading {}", path.display()), e)),
        }
    }

    /// Writes the baseline file atomically: a temporary file (mode 0600) in
    /// the same directory is written, fsynced and renamed over `path`, then
    /// the directory is fsynced. A crash leaves the old file or the new one.
    pub fn save(&self, path: &Path) -> Result<()> {
        write_file_atomic(path, &self.encode(), 0o600)
    }
}

/// The values the next record is delta-encoded against.
#[derive(Default, Clone, Copy)]
struct Prev {
    mtime_ns: i64,
    ctime_ns: i64,
    inode: u64,
    mode: u32,
}

impl Prev {
    fn of(r: &FileRecord) -> Self {
        Prev {
            mtime_ns: r.mtime_ns,
            ctime_ns: r.ctime_ns,
            inode: r.inode,
            mode: r.mode,
        }
    }
}

fn corrupted(why: &str) -> Error {
    Error::invalid(format!("baseline file is corrupted: {why}"))
}

fn shared_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// A bounds-checked cursor over the encoded body.
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn varint(&mut self) -> Result<u64> {
        let mut v: u64 = 0;
        for i in 0..10 {
            let Some(&b) = self.buf.get(self.pos) else {
                return Err(corrupted("truncated number"));
            };
            self.pos += 1;
            if i == 9 && b > 1 {
                return Err(corrupted("number out of range"));
            }
            v |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(corrupted("number out of range"))
    }

    fn bytes(&mut self, n: u64) -> Result<&'a [u8]> {
        if n > self.remaining() as u64 {
            return Err(corrupted("truncated record"));
        }
        let n = n as usize;
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
}

/// The changes between two manifests; every list is sorted by path.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Paths only in the new manifest.
    pub added: Vec<Vec<u8>>,
    /// Paths in both whose contents (sha256 or size) differ.
    pub modified: Vec<Vec<u8>>,
    /// Paths only in the old manifest.
    pub deleted: Vec<Vec<u8>>,
    /// Paths in both with the same contents but a different mode.
    pub mode_changed: Vec<Vec<u8>>,
}

impl Changes {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.modified.is_empty()
            && self.deleted.is_empty()
            && self.mode_changed.is_empty()
    }
}

/// Compares a stored baseline (`old`) with a fresh scan (`new`).
///
/// Times and inodes are ignored: a file counts as modified only when its
/// contents differ, so a `touch` or a restore from backup is not reported.
pub fn diff(old: &Manifest, new: &Manifest) -> Changes {
    let mut changes = Changes::default();
    let mut a = old.iter().map(|r| (&r.path, r)).peekable();
    let mut b = new.iter().map(|r| (&r.path, r)).peekable();
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some((pa, _)), None) => {
                changes.deleted.push(pa.to_vec());
                a.next();
            }
            (None, Some((pb, _))) => {
                changes.added.push(pb.to_vec());
                b.next();
            }
            (Some((pa, ra)), Some((pb, rb))) => match pa.cmp(pb) {
                std::cmp::Ordering::Less => {
                    changes.deleted.push(pa.to_vec());
                    a.next();
                }
                std::cmp::Ordering::Greater => {
                    changes.added.push(pb.to_vec());
                    b.next();
                }
                std::cmp::Ordering::Equal => {
                    if ra.sha256 != rb.sha256 || ra.size != rb.size {
                        changes.modified.push(pa.to_vec());
                    } else if ra.mode != rb.mode {
                        changes.mode_changed.push(pa.to_vec());
                    }
                    a.next();
                    b.next();
                }
            },
        }
    }
    changes
}

// ---------------------------------------------------------------------------
// Durable file helpers, shared with the quarantine.

/// The sha256 of `bytes`.
pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// An [`Error::Io`] with `context`.
pub(crate) fn io_error(context: impl Into<String>, source: io::Error) -> Error {
    Error::Io {
        context: context.into(),
        source,
    }
}

/// `2 * n` random lowercase hex characters from the operating system's
/// random source.
pub(crate) fn random_hex(n: usize) -> Result<String> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).map_err(|e| {
        io_error(
            "reading the system's random source",
            io::Error::other(e.to_string()),
        )
    })?;
    Ok(hex::encode(buf))
}

/// The directory a path lives in (`.` for a bare file name).
pub(crate) fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Fsyncs a directory so that renames and unlinks in it are durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| io_error(format!("syncing directory {}", dir.display()), e))
}

/// Creates a new, empty file (opened for reading and writing) next to
/// `path` with `mode`, named `.<name>.<tag>-<random>` (`<name>` cut to 200
/// bytes); returns it with its path.
pub(crate) fn create_temp_beside(path: &Path, tag: &str, mode: u32) -> Result<(File, PathBuf)> {
    let dir = parent_dir(path);
    let name = path
        .file_name()
        .ok_or_else(|| Error::invalid(format!("{} does not name a file", path.display())))?;
    // Keep within NAME_MAX (255 bytes) whatever the length of `name`.
    let name = &name.as_bytes()[..name.len().min(200)];
    let mut last = None;
    for _ in 0..8 {
        let mut temp_name = vec![b'.'];
        temp_name.extend_from_slice(name);
        temp_name.extend_from_slice(format!(".{tag}-{}", random_hex(8)?).as_bytes());
        let temp = dir.join(std::ffi::OsStr::from_bytes(&temp_name));
        match OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .mode(mode)
            .open(&temp)
        {
            Ok(f) => return Ok((f, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => {
                return Err(io_error(
                    format!("creating a temporary file in {}", dir.display()),
                    e,
                ));
            }
        }
    }
    Err(io_error(
        format!("creating a temporary file in {}", dir.display()),
        last.unwrap_or_else(|| io::Error::other("no free temporary name")),
    ))
}

/// Replaces `path` with `bytes` atomically and durably: temporary file with
/// `mode` in the same directory, write, fsync, rename over, fsync the
/// directory. On failure the temporary file is removed and `path` is as it was.
pub(crate) fn write_file_atomic(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let (mut file, temp) = create_temp_beside(path, "tmp", mode)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| io_error(format!("writing {}", temp.display()), e))
        .and_then(|()| {
            drop(file);
            fs::rename(&temp, path).map_err(|e| {
                io_error(
                    format!("renaming {} to {}", temp.display(), path.display()),
                    e,
                )
            })
        });
    if let Err(e) = written {
        let _ = fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(parent_dir(path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::MAX_PATH_LEN;

    fn rec(path: &[u8], size: u64, sha: u8, mode: u32) -> FileRecord {
        FileRecord {
            path: path.to_vec(),
            size,
            mtime_ns: 1_700_000_000_123_456_789,
            ctime_ns: 1_700_000_001_000_000_000,
            inode: 1234,
            mode,
            sha256: [sha; 32],
        }
    }

    fn manifest(records: Vec<FileRecord>) -> Manifest {
        let mut m = Manifest::new();
        for r in records {
            m.insert(r).unwrap();
        }
        m
    }

    /// A deterministic xorshift generator for the tests.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn round_trip_small_and_empty() {
        let empty = Manifest::new();
        assert_eq!(Manifest::decode(&empty.encode()).unwrap(), empty);

        let m = manifest(vec![
            rec(b"index.php", 405, 1, 0o100644),
            rec(b"wp-config.php", 3000, 2, 0o100600),
            rec(b"wp-content/uploads/\xff\xfe bad utf8.php", 0, 3, 0o100644),
            rec(b"\x01\n odd", u64::MAX, 4, u32::MAX),
        ]);
        let decoded = Manifest::decode(&m.encode()).unwrap();
        assert_eq!(decoded, m);
        assert_eq!(decoded.len(), 4);
        assert!(
            decoded
                .get(b"wp-content/uploads/\xff\xfe bad utf8.php")
                .is_some()
        );
    }

    #[test]
    fn round_trip_extreme_values() {
        let mut m = Manifest::new();
        for (i, (t, ino)) in [
            (i64::MIN, 0u64),
            (i64::MAX, u64::MAX),
            (0, 1),
            (-1, u64::MAX - 1),
            (i64::MIN + 1, 0),
        ]
        .into_iter()
        .enumerate()
        {
            m.insert(FileRecord {
                path: format!("f{i}").into_bytes(),
                size: u64::MAX - i as u64,
                mtime_ns: t,
                ctime_ns: t.wrapping_neg(),
                inode: ino,
                mode: 0,
                sha256: [i as u8; 32],
            })
            .unwrap();
        }
        assert_eq!(Manifest::decode(&m.encode()).unwrap(), m);
    }

    #[test]
    fn round_trip_10k_records() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut m = Manifest::new();
        for i in 0..10_000u64 {
            let mut path = format!("dir{}/sub{}/file{}.php", i % 17, i % 101, i).into_bytes();
            if i % 7 == 0 {
                path.push(0x80 | (i as u8)); // invalid UTF-8 tail
            }
            let mut sha = [0u8; 32];
            for chunk in sha.chunks_mut(8) {
                chunk.copy_from_slice(&rng.next().to_le_bytes());
            }
            m.insert(FileRecord {
                path,
                size: rng.next() % 1_000_000,
                mtime_ns: rng.next() as i64,
                ctime_ns: 1_700_000_000_000_000_000 + (rng.next() % 1_000_000_000) as i64,
                inode: rng.next() % 10_000_000,
                mode: if i % 3 == 0 { 0o100755 } else { 0o100644 },
                sha256: sha,
            })
            .unwrap();
        }
        assert_eq!(m.len(), 10_000);
        let decoded = Manifest::decode(&m.encode()).unwrap();
        assert_eq!(decoded, m);
        let paths: Vec<_> = decoded.iter().map(|r| r.path.clone()).collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
    }

    #[test]
    fn insert_replaces_and_rejects_unstorable_paths() {
        let mut m = Manifest::new();
        m.insert(rec(b"a", 1, 1, 0o100644)).unwrap();
        m.insert(rec(b"a", 2, 2, 0o100644)).unwrap();
        assert_eq!(m.len(), 1);
        assert_eq!(m.get(b"a").unwrap().size, 2);
        assert!(m.insert(rec(b"", 1, 1, 0)).is_err());
        let long = vec![b'a'; MAX_PATH_LEN + 1];
        assert!(m.insert(rec(&long, 1, 1, 0)).is_err());
        let max = vec![b'a'; MAX_PATH_LEN];
        m.insert(rec(&max, 1, 1, 0)).unwrap();
        assert_eq!(Manifest::decode(&m.encode()).unwrap(), m);
    }

    fn assert_corrupted(bytes: &[u8]) {
        match Manifest::decode(bytes) {
            Err(Error::InvalidArgument(msg)) => {
                assert!(msg.starts_with("baseline file is corrupted: "), "{msg}")
            }
            other => panic!("{} bytes decoded to {other:?}", bytes.len()),
        }
    }

    #[test]
    fn every_truncation_is_rejected() {
        let m = manifest(
            (0..50)
                .map(|i| {
                    rec(
                        format!("wp-includes/f{i}.php").as_bytes(),
                        i,
                        i as u8,
                        0o100644,
                    )
                })
                .collect(),
        );
        let enc = m.encode();
        for len in 0..enc.len() {
            assert_corrupted(&enc[..len]);
        }
        let mut longer = enc.clone();
        longer.push(0);
        assert_corrupted(&longer);
    }

    #[test]
    fn every_single_byte_flip_is_rejected() {
        let m = manifest(vec![
            rec(b"a.php", 1, 1, 0o100644),
            rec(b"b.php", 2, 2, 0o100644),
        ]);
        let enc = m.encode();
        for i in 0..enc.len() {
            let mut bad = enc.clone();
            bad[i] ^= 0x01;
            assert_corrupted(&bad);
        }
    }

    #[test]
    fn random_bytes_are_rejected() {
        let mut rng = Rng(42);
        for i in 0..2000 {
            let len = (rng.next() % 300) as usize;
            let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            if i % 2 == 0 && len >= 5 {
                bytes[..4].copy_from_slice(MAGIC); // get past the magic check
                bytes[4] = VERSION;
            }
            assert_corrupted(&bytes);
        }
    }

    /// Re-signs a hand-made body, so the parser (not the checksum) must
    /// reject it.
    fn signed(body: Vec<u8>) -> Vec<u8> {
        let mut out = body;
        let c = sha256(&out);
        out.extend_from_slice(&c);
        out
    }

    #[test]
    fn parser_survives_random_and_mutated_bodies_with_valid_checksums() {
        let mut rng = Rng(0xdead_beef);
        let valid = manifest(
            (0..20)
                .map(|i| rec(format!("a/b{i}/c.php").as_bytes(), i, i as u8, 0o100644))
                .collect(),
        )
        .encode();
        let body = &valid[..valid.len() - HASH_LEN];
        for i in 0..4000 {
            let candidate = if i % 2 == 0 {
                let mut v = MAGIC.to_vec();
                v.push(VERSION);
                let len = (rng.next() % 200) as usize;
                v.extend((0..len).map(|_| rng.next() as u8));
                v
            } else {
                let mut v = body.to_vec();
                for _ in 0..1 + rng.next() % 4 {
                    let at = 5 + (rng.next() as usize) % (v.len() - 5);
                    v[at] = rng.next() as u8;
                }
                v
            };
            // Must not panic; whatever decodes must re-encode to itself.
            if let Ok(m) = Manifest::decode(&signed(candidate)) {
                assert_eq!(Manifest::decode(&m.encode()).unwrap(), m);
            }
        }
    }

    #[test]
    fn structurally_bad_bodies_with_valid_checksums_are_rejected() {
        let header = |count: u64| {
            let mut v = MAGIC.to_vec();
            v.push(VERSION);
            put_varint(&mut v, count);
            v
        };
        let record = |v: &mut Vec<u8>, shared: u64, suffix: &[u8]| {
            put_varint(v, shared);
            put_varint(v, suffix.len() as u64);
            v.extend_from_slice(suffix);
            v.extend_from_slice(&[0, 0, 0, 0, 0]);
            v.extend_from_slice(&[7; 32]);
        };
        // A huge count must not allocate or loop.
        assert_corrupted(&signed(header(u64::MAX)));
        // Prefix longer than the previous path.
        let mut v = header(1);
        record(&mut v, 3, b"x");
        assert_corrupted(&signed(v));
        // Out of order and duplicate paths.
        let mut v = header(2);
        record(&mut v, 0, b"b");
        record(&mut v, 0, b"a");
        assert_corrupted(&signed(v));
        let mut v = header(2);
        record(&mut v, 0, b"a");
        record(&mut v, 1, b"");
        assert_corrupted(&signed(v));
        // Empty path.
        let mut v = header(1);
        record(&mut v, 0, b"");
        assert_corrupted(&signed(v));
        // Path over the limit through prefix reuse.
        let mut v = header(2);
        record(&mut v, 0, &vec![b'a'; MAX_PATH_LEN]);
        record(&mut v, MAX_PATH_LEN as u64, b"b");
        assert_corrupted(&signed(v));
        // Overlong varint.
        let mut v = header(1);
        v.extend_from_slice(&[0xff; 11]);
        assert_corrupted(&signed(v));
        // Mode out of u32 range.
        let mut v = header(1);
        put_varint(&mut v, 0);
        put_varint(&mut v, 1);
        v.push(b'a');
        v.extend_from_slice(&[0, 0, 0, 0]);
        put_varint(&mut v, u64::from(u32::MAX) + 1);
        v.extend_from_slice(&[7; 32]);
        assert_corrupted(&signed(v));
        // Wrong version and magic.
        let mut enc = Manifest::new().encode();
        enc[4] = 2;
        assert_corrupted(&enc);
        assert_corrupted(b"PK\x03\x04 a zip file, not a baseline at all...........");
        // The well-formed control case decodes.
        let mut v = header(2);
        record(&mut v, 0, b"a");
        record(&mut v, 1, b"b");
        assert_eq!(Manifest::decode(&signed(v)).unwrap().len(), 2);
    }

    #[test]
    fn varint_and_zigzag_round_trip() {
        for v in [0u64, 1, 127, 128, 300, u64::MAX >> 1, u64::MAX] {
            let mut buf = Vec::new();
            put_varint(&mut buf, v);
            let mut rd = Reader { buf: &buf, pos: 0 };
            assert_eq!(rd.varint().unwrap(), v);
            assert_eq!(rd.remaining(), 0);
        }
        for v in [0i64, 1, -1, 63, -64, i64::MAX, i64::MIN] {
            assert_eq!(unzigzag(zigzag(v)), v);
        }
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
    }

    #[test]
    fn diff_reports_each_kind_sorted() {
        let old = manifest(vec![
            rec(b"same.php", 10, 1, 0o100644),
            rec(b"touched.php", 10, 1, 0o100644),
            rec(b"z-deleted.php", 10, 1, 0o100644),
            rec(b"a-deleted.php", 10, 1, 0o100644),
            rec(b"content.php", 10, 1, 0o100644),
            rec(b"size.php", 10, 1, 0o100644),
            rec(b"chmod.php", 10, 1, 0o100644),
            rec(b"both.php", 10, 1, 0o100644),
        ]);
        let mut touched = rec(b"touched.php", 10, 1, 0o100644);
        touched.mtime_ns += 5;
        touched.ctime_ns += 5;
        touched.inode += 1;
        let new = manifest(vec![
            rec(b"same.php", 10, 1, 0o100644),
            touched,
            rec(b"content.php", 10, 9, 0o100644),
            rec(b"size.php", 11, 1, 0o100644),
            rec(b"chmod.php", 10, 1, 0o100755),
            rec(b"both.php", 10, 9, 0o100755),
            rec(b"new-b.php", 1, 1, 0o100644),
            rec(b"new-a.php", 1, 1, 0o100644),
        ]);
        let c = diff(&old, &new);
        let v = |xs: &[&str]| xs.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(c.added, v(&["new-a.php", "new-b.php"]));
        assert_eq!(c.deleted, v(&["a-deleted.php", "z-deleted.php"]));
        assert_eq!(c.modified, v(&["both.php", "content.php", "size.php"]));
        assert_eq!(c.mode_changed, v(&["chmod.php"]));
        assert!(!c.is_empty());
        assert!(diff(&new, &new).is_empty());
        assert!(diff(&Manifest::new(), &Manifest::new()).is_empty());
        let all_new = diff(&Manifest::new(), &new);
        assert_eq!(all_new.added.len(), new.len());
        let all_gone = diff(&old, &Manifest::new());
        assert_eq!(all_gone.deleted.len(), old.len());
    }

    #[test]
    fn metadata_matches_real_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("index.php");
        fs::write(&p, b"<?php echo 1;").unwrap();
        let meta = fs::symlink_metadata(&p).unwrap();
        let r = FileRecord::from_metadata(b"index.php".to_vec(), &meta, [1; 32]);
        assert_eq!(r.size, 13);
        assert_eq!(r.inode, meta.ino());
        assert_eq!(r.mode & 0o170000, 0o100000);
        assert!(r.metadata_matches(&fs::symlink_metadata(&p).unwrap()));

        // Same size, different content and an explicit older mtime.
        fs::write(&p, b"<?php echo 2;").unwrap();
        let f = File::options().write(true).open(&p).unwrap();
        f.set_modified(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000))
            .unwrap();
        drop(f);
        assert!(!r.metadata_matches(&fs::symlink_metadata(&p).unwrap()));

        // A mode change alone is seen (through mode and ctime).
        let r2 = FileRecord::from_metadata(
            b"index.php".to_vec(),
            &fs::symlink_metadata(&p).unwrap(),
            [2; 32],
        );
        assert_eq!(r2.mtime_ns, 1_000_000 * 1_000_000_000);
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&p, fs::Permissions::from_mode(0o600)).unwrap();
        assert!(!r2.metadata_matches(&fs::symlink_metadata(&p).unwrap()));

        // A replaced file (new inode) does not match even with equal times.
        let r3 = FileRecord::from_metadata(
            b"index.php".to_vec(),
            &fs::symlink_metadata(&p).unwrap(),
            [2; 32],
        );
        let other = dir.path().join("other");
        fs::copy(&p, &other).unwrap();
        fs::rename(&other, &p).unwrap();
        assert!(!r3.metadata_matches(&fs::symlink_metadata(&p).unwrap()));
    }

    #[test]
    fn save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("site.baseline");
        assert!(Manifest::load(&path).unwrap().is_none());

        let m = manifest(vec![rec(b"a.php", 1, 1, 0o100644)]);
        m.save(&path).unwrap();
        assert_eq!(fs::read(&path).unwrap(), m.encode());
        assert_eq!(Manifest::load(&path).unwrap(), Some(m.clone()));
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );

        let m2 = manifest(vec![
            rec(b"a.php", 1, 1, 0o100644),
            rec(b"b.php", 2, 2, 0o100644),
        ]);
        m2.save(&path).unwrap();
        assert_eq!(Manifest::load(&path).unwrap(), Some(m2));

        // Nothing but the baseline is left in the directory.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("site.baseline")]);

        // A corrupted file is an error, not None.
        fs::write(&path, b"WTBL\x01garbage").unwrap();
        assert!(matches!(
            Manifest::load(&path),
            Err(Error::InvalidArgument(_))
        ));
        // A directory in the way is an I/O error and leaves no temp file.
        let blocked = dir.path().join("blocked");
        fs::create_dir(&blocked).unwrap();
        fs::write(blocked.join("keep"), b"x").unwrap();
        assert!(matches!(m.save(&blocked), Err(Error::Io { .. })));
        assert!(matches!(Manifest::load(&blocked), Err(Error::Io { .. })));
        let stray = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().as_bytes().starts_with(b"."))
            .count();
        assert_eq!(stray, 0);
        // A missing directory is an I/O error.
        assert!(matches!(
            m.save(&dir.path().join("missing/x.baseline")),
            Err(Error::Io { .. })
        ));
    }

    /// Prints the encoded size per record for 100k realistic records
    /// (`cargo test --release --lib baseline_size -- --nocapture`).
    #[test]
    fn baseline_size_for_100k_records() {
        let mut rng = Rng(7);
        let plugins = [
            "akismet",
            "contact-form-7",
            "woocommerce",
            "elementor",
            "wordfence",
            "yoast-seo",
            "jetpack",
            "wp-super-cache",
        ];
        let dirs = [
            "includes",
            "admin/views",
            "assets/js",
            "assets/css",
            "src/Controllers",
            "vendor/composer",
            "languages",
            "templates/emails",
        ];
        let exts = ["php", "js", "css", "png", "json", "mo"];
        let mut m = Manifest::new();
        let base_ctime: i64 = 1_714_000_000_000_000_000;
        let mut inode = 2_000_000u64;
        let mut i = 0u64;
        while m.len() < 100_000 {
            let p = plugins[(rng.next() % 8) as usize];
            let d = dirs[(rng.next() % 8) as usize];
            let e = exts[(rng.next() % 6) as usize];
            let path = format!("wp-content/plugins/{p}/{d}/class-{p}-file-{i}.{e}");
            i += 1;
            inode += 1 + rng.next() % 3;
            let mut sha = [0u8; 32];
            for chunk in sha.chunks_mut(8) {
                chunk.copy_from_slice(&rng.next().to_le_bytes());
            }
            m.insert(FileRecord {
                path: path.into_bytes(),
                size: rng.next() % 200_000,
                // Archive mtimes (whole seconds over a few years), unpack ctimes.
                mtime_ns: (1_600_000_000 + (rng.next() % 100_000_000) as i64) * 1_000_000_000,
                ctime_ns: base_ctime + (i as i64) * 150_000 + (rng.next() % 10_000) as i64,
                inode,
                mode: if rng.next().is_multiple_of(20) {
                    0o100755
                } else {
                    0o100644
                },
                sha256: sha,
            })
            .unwrap();
        }
        let enc = m.encode();
        let per_record = enc.len() as f64 / m.len() as f64;
        println!(
            "100k records: {} bytes, {per_record:.1} bytes/record",
            enc.len()
        );
        assert!(per_record < 100.0, "{per_record}");
        assert_eq!(Manifest::decode(&enc).unwrap(), m);
    }
}
