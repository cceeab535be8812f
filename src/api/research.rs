//! Research uploads: malware samples found by the antivirus and firewall
//! log chunks, sent to the WebTotem server for its researchers.
//!
//! **The contract here is assumed.** The public G1 contract does not show
//! these calls, so this module is the one place that knows them: the real
//! operations replace the two documents, [`SampleUpload::variables`],
//! [`LogChunk::variables`] and the two result readers, and nothing else
//! changes. The emulator implements exactly this contract.
//!
//! Both are GraphQL mutations sent with the bearer token (re-signing in
//! once when it is refused, like every other call); values travel only in
//! `variables`, built with serde.
//!
//! `UploadResearchSample($input: ResearchSampleInput!)` →
//! `uploadResearchSample { id sha256 duplicate }`. Input: `userHostId`,
//! `path` (relative to the site root), `sha256` (of the whole file: the
//! **idempotency key**), `size` (of the whole file), `truncated`,
//! `category` (the scanner's, e.g. `shell`), `ruleIds` (at most
//! [`MAX_RULE_IDS`]), `dataBase64` (the first bytes of the file, at most
//! [`MAX_SAMPLE_BYTES`] = the scanner's 256 KiB cap) and `dataSha256` (of
//! those bytes, so the server can check them). A second upload of a
//! `sha256` the server has is a no-op answered `duplicate: true`.
//!
//! `UploadResearchFirewallLog($input: ResearchFirewallLogInput!)` →
//! `uploadResearchFirewallLog { accepted duplicate nextOffset }`. Input:
//! `userHostId`, `logId` (names the log, e.g. `waf-2026-11-24.jsonl`),
//! `offsetFrom`, `offsetTo` (the byte range of the log the chunk covers:
//! the **idempotency key** with `logId`), `chunkSha256` and `events` (the
//! chunk's JSON lines as JSON objects, at most [`MAX_LOG_EVENTS`]; the chunk
//! is at most [`MAX_LOG_CHUNK_BYTES`] and ends at a line end). Re-sending the
//! same range is a no-op answered `duplicate: true`; a chunk that overlaps a
//! stored range differently is refused with `LOG_RANGE_CONFLICT`.
//!
//! Both uploads are idempotent, so they are retried like reads.

use super::client::Client;
use super::error::{ApiError, ApiErrorCode};
use crate::error::{Error, Result};
use crate::malware::Category;
use crate::wire::Bytes;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The largest sample sent: the scanner's cap ([`crate::malware::scan::SAMPLE_CAP`]).
pub const MAX_SAMPLE_BYTES: usize = crate::malware::scan::SAMPLE_CAP;
/// At most this many rule ids go with a sample.
pub const MAX_RULE_IDS: usize = 64;
/// The largest firewall log chunk sent (256 KiB).
pub const MAX_LOG_CHUNK_BYTES: usize = 256 * 1024;
/// At most this many events (lines) in one chunk.
pub const MAX_LOG_EVENTS: usize = 5_000;

/// Uploads one sample (assumed operation, see the module documentation).
pub const UPLOAD_SAMPLE: &str = "mutation UploadResearchSample($input: ResearchSampleInput!) { uploadResearchSample(input: $input) { id sha256 duplicate } }";
/// Uploads one firewall log chunk (assumed operation, see the module documentation).
pub const UPLOAD_FIREWALL_LOG: &str = "mutation UploadResearchFirewallLog($input: ResearchFirewallLogInput!) { uploadResearchFirewallLog(input: $input) { accepted duplicate nextOffset } }";

/// A sample as PHP passes it: the scanner's `sample` (`path`, `sha256`,
/// `size`, `truncated`, `data`) plus the finding's `category` and `rules`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleUpload {
    /// The file, relative to the site root.
    pub path: String,
    /// SHA-256 (hex) of the whole file.
    pub sha256: String,
    /// The whole file's size; default the length of `data`.
    #[serde(default)]
    pub size: Option<u64>,
    /// Whether `data` is only the start of the file; default `size > len(data)`.
    #[serde(default)]
    pub truncated: Option<bool>,
    /// What the scanner took it for.
    pub category: Category,
    /// The ids of the rules that matched.
    #[serde(default)]
    pub rules: Vec<String>,
    /// The file's first bytes, at most [`MAX_SAMPLE_BYTES`].
    pub data: Bytes,
}

/// The server's answer to a sample upload.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SampleReceipt {
    /// The server's id of the sample.
    pub id: String,
    /// The sample's SHA-256, as the server keyed it.
    pub sha256: String,
    /// The bytes sent.
    pub bytes: u64,
    /// Whether the server had it already (nothing was stored).
    pub duplicate: bool,
}

/// A chunk of a firewall log (JSON lines) as PHP passes it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogChunk {
    /// Names the log, e.g. `waf-2026-11-24.jsonl`: 1–128 of `[A-Za-z0-9._-]`.
    pub log_id: String,
    /// The byte offset in the log where `data` starts.
    pub offset: u64,
    /// Whole JSON lines, one event object per line.
    pub data: Bytes,
}

/// The server's answer to a log chunk.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LogReceipt {
    /// The log.
    pub log_id: String,
    /// The first byte of the range sent.
    pub offset_from: u64,
    /// The end (exclusive) of the range sent: where the next chunk starts.
    pub offset_to: u64,
    /// The events the server stored (0 for a duplicate).
    pub events: u64,
    /// Whether the server had this range already.
    pub duplicate: bool,
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether `s` is a plain id: 1–128 of `[A-Za-z0-9._-]`, not starting with a dot.
pub fn is_plain_id(s: &str) -> bool {
    (1..=128).contains(&s.len())
        && !s.starts_with('.')
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

fn sha256_hex(data: &[u8]) -> String {
    crate::malware::scan::sha256_hex(data)
}

impl SampleUpload {
    /// Checks the sample against the limits and itself, and returns the
    /// mutation's `variables` for host `host_id`.
    pub fn variables(&self, host_id: i64) -> Result<Value> {
        let data = &self.data.0;
        if data.len() > MAX_SAMPLE_BYTES {
            return Err(Error::invalid(format!(
                "sample: data is {} bytes; at most {MAX_SAMPLE_BYTES} are sent",
                data.len()
            )));
        }
        if self.path.is_empty()
            || self.path.len() > crate::paths::MAX_PATH_LEN
            || self.path.contains('\0')
        {
            return Err(Error::invalid(
                "sample: path must be a non-empty file name without NUL bytes",
            ));
        }
        let sha256 = self.sha256.to_ascii_lowercase();
        if !is_sha256_hex(&sha256) {
            return Err(Error::invalid(
                "sample: sha256 must be 64 hexadecimal digits",
            ));
        }
        let size = self.size.unwrap_or(data.len() as u64);
        if size < data.len() as u64 {
            return Err(Error::invalid("sample: size is smaller than the data sent"));
        }
        let truncated = self.truncated.unwrap_or(size > data.len() as u64);
        let data_sha256 = sha256_hex(data);
        if !truncated && (size != data.len() as u64 || data_sha256 != sha256) {
            return Err(Error::invalid(
                "sample: the data is the whole file, but its size or SHA-256 differs",
            ));
        }
        if self.rules.len() > MAX_RULE_IDS || !self.rules.iter().all(|r| is_plain_id(r)) {
            return Err(Error::invalid(format!(
                "sample: rules must be at most {MAX_RULE_IDS} plain ids ([A-Za-z0-9._-], 1-128 characters)"
            )));
        }
        check_host(host_id)?;
        Ok(json!({"input": {
            "userHostId": host_id,
            "path": self.path,
            "sha256": sha256,
            "size": size,
            "truncated": truncated,
            "category": self.category.as_str(),
            "ruleIds": self.rules,
            "dataBase64": base64::engine::general_purpose::STANDARD.encode(data),
            "dataSha256": data_sha256,
        }}))
    }
}

impl LogChunk {
    /// Checks the chunk (limits, whole lines, each a JSON object) and
    /// returns the mutation's `variables` for host `host_id` and the range.
    pub fn variables(&self, host_id: i64) -> Result<(Value, u64, u64)> {
        let data = &self.data.0;
        if !is_plain_id(&self.log_id) {
            return Err(Error::invalid(
                "chunk: log_id must be 1-128 of [A-Za-z0-9._-], not starting with a dot",
            ));
        }
        if data.is_empty() || data.len() > MAX_LOG_CHUNK_BYTES {
            return Err(Error::invalid(format!(
                "chunk: data must be 1 to {MAX_LOG_CHUNK_BYTES} bytes, not {}",
                data.len()
            )));
        }
        if !data.ends_with(b"\n") {
            return Err(Error::invalid(
                "chunk: data must end at a line end (whole lines only)",
            ));
        }
        let offset_to = self
            .offset
            .checked_add(data.len() as u64)
            .filter(|end| *end <= i64::MAX as u64)
            .ok_or_else(|| Error::invalid("chunk: offset is too large"))?;
        let mut events = Vec::new();
        for (n, line) in data.split(|b| *b == b'\n').enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let event: Value = serde_json::from_slice(line)
                .map_err(|e| Error::invalid(format!("chunk: line {}: {e}", n + 1)))?;
            if !event.is_object() {
                return Err(Error::invalid(format!(
                    "chunk: line {} is not a JSON object",
                    n + 1
                )));
            }
            if events.len() == MAX_LOG_EVENTS {
                return Err(Error::invalid(format!(
                    "chunk: more than {MAX_LOG_EVENTS} events"
                )));
            }
            events.push(event);
        }
        check_host(host_id)?;
        let vars = json!({"input": {
            "userHostId": host_id,
            "logId": self.log_id,
            "offsetFrom": self.offset,
            "offsetTo": offset_to,
            "chunkSha256": sha256_hex(data),
            "events": events,
        }});
        Ok((vars, self.offset, offset_to))
    }
}

fn check_host(host_id: i64) -> Result<()> {
    if host_id <= 0 {
        return Err(Error::invalid("hostId must be a positive host id"));
    }
    Ok(())
}

fn bad_response(detail: String) -> ApiError {
    ApiError::with(ApiErrorCode::BadResponse, detail)
}

/// Reads `uploadResearchSample` from the response's `data`.
fn sample_receipt(data: &Value, bytes: u64) -> std::result::Result<SampleReceipt, ApiError> {
    let r = data
        .get("uploadResearchSample")
        .filter(|r| r.is_object())
        .ok_or_else(|| bad_response("the response has no uploadResearchSample".into()))?;
    let id = match r.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err(bad_response("uploadResearchSample has no id".into())),
    };
    Ok(SampleReceipt {
        id,
        sha256: r
            .get("sha256")
            .and_then(Value::as_str)
            .ok_or_else(|| bad_response("uploadResearchSample has no sha256".into()))?
            .to_string(),
        bytes,
        duplicate: r.get("duplicate").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// Reads `uploadResearchFirewallLog` from the response's `data`.
fn log_receipt(
    data: &Value,
    log_id: &str,
    from: u64,
    to: u64,
) -> std::result::Result<LogReceipt, ApiError> {
    let r = data
        .get("uploadResearchFirewallLog")
        .filter(|r| r.is_object())
        .ok_or_else(|| bad_response("the response has no uploadResearchFirewallLog".into()))?;
    let events = r
        .get("accepted")
        .and_then(Value::as_u64)
        .ok_or_else(|| bad_response("uploadResearchFirewallLog has no accepted count".into()))?;
    Ok(LogReceipt {
        log_id: log_id.to_string(),
        offset_from: from,
        offset_to: to,
        events,
        duplicate: r.get("duplicate").and_then(Value::as_bool).unwrap_or(false),
    })
}

impl Client {
    /// Uploads a malware sample of host `host_id` for research. Checked
    /// before anything is sent (size cap, hashes, ids): a bad sample is an
    /// invalid argument, not an API error.
    pub fn upload_sample(&mut self, host_id: i64, sample: &SampleUpload) -> Result<SampleReceipt> {
        let vars = sample.variables(host_id)?;
        let data = self.authed("UploadResearchSample", UPLOAD_SAMPLE, vars, true)?;
        Ok(sample_receipt(&data, sample.data.0.len() as u64)?)
    }

    /// Uploads a chunk of a firewall log of host `host_id` for research;
    /// the chunk is checked (limits, whole JSON-object lines) first.
    pub fn upload_firewall_log(&mut self, host_id: i64, chunk: &LogChunk) -> Result<LogReceipt> {
        let (vars, from, to) = chunk.variables(host_id)?;
        let data = self.authed("UploadResearchFirewallLog", UPLOAD_FIREWALL_LOG, vars, true)?;
        Ok(log_receipt(&data, &chunk.log_id, from, to)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(data: &[u8]) -> SampleUpload {
        SampleUpload {
            path: "wp-content/uploads/x.php".into(),
            sha256: sha256_hex(data),
            size: None,
            truncated: None,
            category: Category::Shell,
            rules: vec!["php.shell.system".into()],
            data: Bytes(data.to_vec()),
        }
    }

    #[test]
    fn sample_variables_carry_the_data_and_its_hashes() {
        let v = sample(b"<?php system($_GET['c']);").variables(7).unwrap();
        let input = &v["input"];
        assert_eq!(input["userHostId"], 7);
        assert_eq!(input["truncated"], false);
        assert_eq!(input["category"], "shell");
        assert_eq!(input["sha256"], input["dataSha256"]);
        let back = base64::engine::general_purpose::STANDARD
            .decode(input["dataBase64"].as_str().unwrap())
            .unwrap();
        assert_eq!(back, b"<?php system($_GET['c']);");
    }

    #[test]
    fn samples_over_the_cap_or_inconsistent_are_refused() {
        let big = vec![b'a'; MAX_SAMPLE_BYTES + 1];
        assert!(matches!(
            sample(&big).variables(1),
            Err(Error::InvalidArgument(_))
        ));
        let mut s = sample(&vec![b'a'; MAX_SAMPLE_BYTES]);
        s.sha256 = "00".repeat(32);
        assert!(s.variables(1).is_err(), "whole file with a wrong hash");
        s.size = Some(MAX_SAMPLE_BYTES as u64 * 2);
        let v = s.variables(1).unwrap();
        assert_eq!(
            v["input"]["truncated"], true,
            "a cut sample keeps its file hash"
        );
        let mut s = sample(b"x");
        s.rules = vec!["../etc".into()];
        assert!(s.variables(1).is_err());
        assert!(sample(b"x").variables(0).is_err());
    }

    #[test]
    fn log_chunks_are_whole_json_object_lines() {
        let chunk = |data: &[u8]| LogChunk {
            log_id: "waf.jsonl".into(),
            offset: 100,
            data: Bytes(data.to_vec()),
        };
        let (v, from, to) = chunk(b"{\"ip\":\"192.0.2.1\"}\n\n{\"ip\":\"192.0.2.2\"}\n")
            .variables(3)
            .unwrap();
        assert_eq!((from, to), (100, 139));
        assert_eq!(v["input"]["events"][1]["ip"], "192.0.2.2");
        assert_eq!(v["input"]["offsetTo"], 139);
        for bad in [
            &b"{\"a\":1}"[..],
            b"[1]\n",
            b"not json\n",
            b"",
            &vec![b'\n'; MAX_LOG_CHUNK_BYTES + 1],
        ] {
            assert!(
                chunk(bad).variables(3).is_err(),
                "{:?}",
                &bad[..bad.len().min(20)]
            );
        }
        let mut c = chunk(b"{}\n");
        c.log_id = "../x".into();
        assert!(c.variables(3).is_err());
    }

    #[test]
    fn documents_declare_their_operations() {
        assert_eq!(
            super::super::graphql::operation_name(UPLOAD_SAMPLE),
            Some("UploadResearchSample")
        );
        assert_eq!(
            super::super::graphql::operation_name(UPLOAD_FIREWALL_LOG),
            Some("UploadResearchFirewallLog")
        );
    }
}
