//! Baselines written and read one record at a time, in path order, so that
//! a scan holds neither the old nor the new baseline as a [`Manifest`]:
//! [`Writer`] appends records to the compact encoding as they come, and
//! [`Records`] decodes them one by one from the file's bytes. Both give and
//! take exactly the format of [`Manifest::encode`].

use super::{
    FileRecord, HASH_LEN, MAGIC, MIN_RECORD_LEN, Manifest, Prev, Reader, VERSION, corrupted,
    put_varint, sha256, shared_prefix, unzigzag, zigzag,
};
use crate::error::{Error, Result};
use crate::paths::MAX_PATH_LEN;

/// Encodes a baseline record by record.
#[derive(Default)]
pub struct Writer {
    /// The encoded records so far.
    body: Vec<u8>,
    count: u64,
    prev: Prev,
    prev_path: Vec<u8>,
}

impl Writer {
    /// A writer with no records.
    pub fn new() -> Writer {
        Writer::default()
    }

    /// Appends `r`. Fails with [`Error::InvalidArgument`] (and appends
    /// nothing) when its path is empty, longer than [`MAX_PATH_LEN`] bytes,
    /// or not after the previous record's path.
    pub fn push(&mut self, r: &FileRecord) -> Result<()> {
        check_path(&r.path)?;
        if self.count > 0 && r.path <= self.prev_path {
            return Err(Error::invalid(
                "baseline records must come in strictly increasing path order",
            ));
        }
        self.push_checked(r);
        Ok(())
    }

    /// Appends `r`, whose path is known to be valid and in order.
    pub(super) fn push_checked(&mut self, r: &FileRecord) {
        let out = &mut self.body;
        let shared = shared_prefix(&self.prev_path, &r.path);
        put_varint(out, shared as u64);
        put_varint(out, (r.path.len() - shared) as u64);
        out.extend_from_slice(&r.path[shared..]);
        put_varint(out, r.size);
        put_varint(out, zigzag(r.mtime_ns.wrapping_sub(self.prev.mtime_ns)));
        put_varint(out, zigzag(r.ctime_ns.wrapping_sub(self.prev.ctime_ns)));
        put_varint(out, zigzag(r.inode.wrapping_sub(self.prev.inode) as i64));
        put_varint(out, u64::from(r.mode ^ self.prev.mode));
        out.extend_from_slice(&r.sha256);
        self.prev = Prev::of(r);
        self.prev_path.truncate(shared);
        self.prev_path.extend_from_slice(&r.path[shared..]);
        self.count += 1;
    }

    /// The number of records written.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// True when no record was written.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The complete encoding: header, records and checksum.
    pub fn finish(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.body.len() + HASH_LEN);
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        put_varint(&mut out, self.count);
        out.extend_from_slice(&self.body);
        let checksum = sha256(&out);
        out.extend_from_slice(&checksum);
        out
    }
}

/// Whether a record with `path` can be stored: [`Error::InvalidArgument`]
/// when it is empty or longer than [`MAX_PATH_LEN`] bytes.
pub fn check_path(path: &[u8]) -> Result<()> {
    if path.is_empty() {
        return Err(Error::invalid("a baseline record needs a non-empty path"));
    }
    if path.len() > MAX_PATH_LEN {
        return Err(Error::invalid(format!(
            "a baseline record's path is longer than {MAX_PATH_LEN} bytes"
        )));
    }
    Ok(())
}

/// The records of an encoded baseline, decoded one at a time in path order.
///
/// Magic, version, checksum and record count are checked by
/// [`Records::new`]; a record that does not decode, or bytes left after
/// the last one, give one [`Error::InvalidArgument`] starting with
/// "baseline file is corrupted:", after which the iterator ends.
pub struct Records<'a> {
    rd: Reader<'a>,
    left: u64,
    prev: Prev,
    path: Vec<u8>,
    done: bool,
}

impl<'a> Records<'a> {
    /// Starts decoding `bytes`, a whole baseline file.
    pub fn new(bytes: &'a [u8]) -> Result<Records<'a>> {
        let header = MAGIC.len() + 1;
        if bytes.len() < header || &bytes[..MAGIC.len()] != MAGIC {
            return Err(corrupted("not a WebTotem baseline (bad magic)"));
        }
        if bytes[MAGIC.len()] != VERSION {
            return Err(corrupted(&format!(
                "unsupported format version {}",
                bytes[MAGIC.len()]
            )));
        }
        if bytes.len() < header + HASH_LEN {
            return Err(corrupted("truncated"));
        }
        let (body, checksum) = bytes.split_at(bytes.len() - HASH_LEN);
        if sha256(body) != checksum {
            return Err(corrupted("checksum mismatch (truncated or damaged)"));
        }
        let mut rd = Reader {
            buf: body,
            pos: header,
        };
        let count = rd.varint()?;
        if count > (rd.remaining() / MIN_RECORD_LEN) as u64 {
            return Err(corrupted("record count larger than the file"));
        }
        Ok(Records {
            rd,
            left: count,
            prev: Prev::default(),
            path: Vec::new(),
            done: false,
        })
    }

    /// Decodes the next record.
    fn record(&mut self) -> Result<FileRecord> {
        let rd = &mut self.rd;
        let shared = rd.varint()?;
        let suffix_len = rd.varint()?;
        if shared > self.path.len() as u64 {
            return Err(corrupted("path prefix longer than the previous path"));
        }
        let shared = shared as usize; // <= path.len()
        let suffix = rd.bytes(suffix_len)?;
        if shared + suffix.len() > MAX_PATH_LEN {
            return Err(corrupted("path too long"));
        }
        // Both paths start with path[..shared], so the new one sorts after
        // the previous one exactly when its suffix sorts after the previous
        // one's; for the first record this means "non-empty".
        if suffix <= &self.path[shared..] {
            return Err(corrupted("paths empty or not in strictly increasing order"));
        }
        self.path.truncate(shared);
        self.path.extend_from_slice(suffix);
        let prev = self.prev;
        let size = rd.varint()?;
        let mtime_ns = prev.mtime_ns.wrapping_add(unzigzag(rd.varint()?));
        let ctime_ns = prev.ctime_ns.wrapping_add(unzigzag(rd.varint()?));
        let inode = prev.inode.wrapping_add(unzigzag(rd.varint()?) as u64);
        let mode_bits = rd.varint()?;
        let mode =
            u32::try_from(mode_bits).map_err(|_| corrupted("mode out of range"))? ^ prev.mode;
        let mut sha = [0u8; HASH_LEN];
        sha.copy_from_slice(rd.bytes(HASH_LEN as u64)?);
        let record = FileRecord {
            path: self.path.clone(),
            size,
            mtime_ns,
            ctime_ns,
            inode,
            mode,
            sha256: sha,
        };
        self.prev = Prev::of(&record);
        Ok(record)
    }
}

impl Iterator for Records<'_> {
    type Item = Result<FileRecord>;

    fn next(&mut self) -> Option<Result<FileRecord>> {
        if self.done {
            return None;
        }
        if self.left == 0 {
            self.done = true;
            return (self.rd.remaining() != 0)
                .then(|| Err(corrupted("trailing bytes after the last record")));
        }
        self.left -= 1;
        let record = self.record();
        self.done = record.is_err();
        Some(record)
    }
}

impl Manifest {
    /// Collects decoded records (as [`Records`] gives them) into a manifest.
    pub(super) fn from_records(records: Records<'_>) -> Result<Manifest> {
        let mut manifest = Manifest::new();
        for r in records {
            manifest.records.insert(super::ByPath(r?));
        }
        Ok(manifest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::Digest;

    fn rec(path: &str, n: u64) -> FileRecord {
        FileRecord {
            path: path.as_bytes().to_vec(),
            size: n,
            mtime_ns: 1_700_000_000_000_000_000 + n as i64,
            ctime_ns: 1_700_000_000_000_000_000 - n as i64,
            inode: 1000 + n,
            mode: 0o100644 + (n as u32 % 2),
            sha256: [n as u8; 32],
        }
    }

    #[test]
    fn writes_what_a_manifest_encodes_and_reads_it_back() {
        let records: Vec<FileRecord> = ["a", "a.b", "a/b", "a/c/d", "b", "\u{e9}t\u{e9}"]
            .iter()
            .enumerate()
            .map(|(i, p)| rec(p, i as u64))
            .collect();
        let mut w = Writer::new();
        let mut m = Manifest::new();
        for r in &records {
            w.push(r).unwrap();
            m.insert(r.clone()).unwrap();
        }
        assert_eq!(w.len(), records.len() as u64);
        let bytes = w.finish();
        assert_eq!(bytes, m.encode());
        let back: Vec<FileRecord> = Records::new(&bytes)
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(back, records);
        assert_eq!(Writer::new().finish(), Manifest::new().encode());
    }

    #[test]
    fn reads_and_writes_the_documented_bytes() {
        // Two records spelled out byte by byte as the format describes them,
        // so that files written before the streaming code still load.
        let mut bytes = b"WTBL\x01\x02".to_vec();
        bytes.extend_from_slice(&[0, 5]);
        bytes.extend_from_slice(b"a.php");
        bytes.extend_from_slice(&[5, 2, 4, 6, 0xa4, 0x83, 0x02]);
        bytes.extend_from_slice(&[1; 32]);
        bytes.extend_from_slice(&[1, 6]);
        bytes.extend_from_slice(b"/b.php");
        bytes.extend_from_slice(&[7, 1, 0, 2, 0o111]);
        bytes.extend_from_slice(&[2; 32]);
        let checksum: [u8; 32] = sha2::Sha256::digest(&bytes).into();
        bytes.extend_from_slice(&checksum);
        let expected = [
            FileRecord {
                path: b"a.php".to_vec(),
                size: 5,
                mtime_ns: 1,
                ctime_ns: 2,
                inode: 3,
                mode: 0o100644,
                sha256: [1; 32],
            },
            FileRecord {
                path: b"a/b.php".to_vec(),
                size: 7,
                mtime_ns: 0,
                ctime_ns: 2,
                inode: 4,
                mode: 0o100755,
                sha256: [2; 32],
            },
        ];
        let read: Vec<FileRecord> = Records::new(&bytes)
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(read, expected);
        let mut w = Writer::new();
        for r in &expected {
            w.push(r).unwrap();
        }
        assert_eq!(w.finish(), bytes);
    }

    #[test]
    fn refuses_unstorable_and_unordered_records() {
        let mut w = Writer::new();
        w.push(&rec("b", 1)).unwrap();
        assert!(w.push(&rec("a", 2)).is_err());
        assert!(w.push(&rec("b", 3)).is_err());
        assert!(w.push(&rec("", 4)).is_err());
        let long = "x".repeat(MAX_PATH_LEN + 1);
        assert!(w.push(&rec(&long, 5)).is_err());
        w.push(&rec("c", 6)).unwrap();
        assert_eq!(w.len(), 2);
        let back: Vec<FileRecord> = Records::new(&w.finish())
            .unwrap()
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(back, [rec("b", 1), rec("c", 6)]);
    }
}
