//! Loaders for the firewall's corpora, shared by `tests/waf_corpus.rs`,
//! `tests/waf_corpora.rs` and `benches/waf_corpora.rs` (each includes this
//! file with `#[path]`).
//!
//! - The third-party corpora under `WEBTOTEM_CORPORA` (default
//!   `../shared/corpora` from the crate root; see its README.md), read in
//!   place, never copied into the repository:
//!   - the OWASP CRS regression tests (go-ftw YAML), [`crs_stages`];
//!   - the CSIC 2010 normal traffic, [`csic_normal`].
//! - The team's own corpus, `tests/corpus/waf/` ([`team_corpus`]).

#![allow(dead_code)]

use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use webtotem::firewall::Request;
use webtotem::firewall::http::parse_request;

/// Where the third-party corpora are: `$WEBTOTEM_CORPORA`, or
/// `../shared/corpora` from the crate root.
pub fn corpora_dir() -> PathBuf {
    match std::env::var_os("WEBTOTEM_CORPORA") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"),
    }
}

/// Whether missing corpora are a failure rather than a reason to skip:
/// when `WEBTOTEM_CORPORA` names them, or `WEBTOTEM_REAL_CODE=1` (set by
/// `scripts/test.sh`) and the default `../shared` folder exists. A checkout
/// without `../shared` at all skips them with a note.
pub fn corpora_required() -> bool {
    std::env::var_os("WEBTOTEM_CORPORA").is_some_and(|d| !d.is_empty())
        || (std::env::var("WEBTOTEM_REAL_CODE").is_ok_and(|v| v == "1")
            && Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../shared")
                .is_dir())
}

/// The CRS test folders (`REQUEST-9xx-…`) by their number, with what they
/// test; the `RESPONSE-*` folders are skipped.
pub const CRS_CLASSES: &[(&str, &str)] = &[
    ("911", "method enforcement"),
    ("913", "scanner detection"),
    ("920", "protocol enforcement"),
    ("921", "protocol attack"),
    ("922", "multipart attack"),
    ("930", "LFI / path traversal"),
    ("931", "RFI"),
    ("932", "RCE (OS commands)"),
    ("933", "PHP injection"),
    ("934", "generic (SSTI, Node, …)"),
    ("941", "XSS"),
    ("942", "SQL injection"),
    ("943", "session fixation"),
    ("944", "Java"),
    ("949", "blocking evaluation"),
];

/// One stage of a CRS regression test.
#[derive(Debug)]
pub struct CrsStage {
    /// The folder's number (`942`), a key of [`CRS_CLASSES`].
    pub class: String,
    /// `file stem/test id` (and `/stage` when a test has several).
    pub id: String,
    /// Whether the stage expects CRS rules to fire (`output.log.expect_ids`
    /// non-empty): an attack request. The others are not necessarily benign.
    pub attack: bool,
    /// The request it sends.
    pub request: Request,
}

#[derive(Deserialize)]
struct FtwFile {
    #[serde(default)]
    tests: Vec<FtwTest>,
}

#[derive(Deserialize)]
struct FtwTest {
    #[serde(default)]
    test_id: Option<serde_yaml_ng::Value>,
    #[serde(default)]
    test_title: Option<String>,
    #[serde(default)]
    stages: Vec<FtwStage>,
}

#[derive(Deserialize)]
struct FtwStage {
    input: FtwInput,
    #[serde(default)]
    output: FtwOutput,
}

#[derive(Deserialize)]
struct FtwInput {
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, serde_yaml_ng::Value>,
    #[serde(default)]
    data: Option<String>,
    #[serde(default)]
    encoded_request: Option<String>,
    #[serde(default)]
    autocomplete_headers: Option<bool>,
}

#[derive(Deserialize, Default)]
struct FtwOutput {
    #[serde(default)]
    log: FtwLog,
}

#[derive(Deserialize, Default)]
struct FtwLog {
    #[serde(default)]
    expect_ids: Vec<serde_yaml_ng::Value>,
}

fn scalar(value: &serde_yaml_ng::Value) -> String {
    match value {
        serde_yaml_ng::Value::String(s) => s.clone(),
        serde_yaml_ng::Value::Number(n) => n.to_string(),
        serde_yaml_ng::Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The request a go-ftw stage sends, as the server would see it.
///
/// - `encoded_request` (base64 of the raw request) is read by
///   [`parse_request`], as sent.
/// - Otherwise the request is `method` (default `GET`), `uri` (default `/`),
///   `headers` and `data` as the body. Like go-ftw (unless
///   `autocomplete_headers: false`), data sent without a `Content-Type`
///   gets `application/x-www-form-urlencoded`, so PHP would parse it as
///   form fields and so does the engine. go-ftw also percent-encodes each
///   key and value of such data when it is not encoded already; the engine
///   decodes them again, so the fields are the same and that step is
///   not repeated here.
fn stage_request(input: &FtwInput) -> Result<Request, String> {
    if let Some(encoded) = &input.encoded_request {
        use base64::Engine as _;
        let compact: String = encoded.split_whitespace().collect();
        let raw = base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map_err(|e| format!("encoded_request: {e}"))?;
        return parse_request(&raw).map_err(|e| format!("encoded_request: {e}"));
    }
    let mut headers: Vec<(Vec<u8>, Vec<u8>)> = input
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.trim().to_ascii_lowercase().into_bytes(),
                scalar(value).into_bytes(),
            )
        })
        .collect();
    let body = input.data.clone().unwrap_or_default().into_bytes();
    let autocomplete = input.autocomplete_headers.unwrap_or(true);
    if !body.is_empty() && autocomplete && !headers.iter().any(|(n, _)| n == b"content-type") {
        headers.push((
            b"content-type".to_vec(),
            b"application/x-www-form-urlencoded".to_vec(),
        ));
    }
    Ok(Request {
        method: input
            .method
            .clone()
            .unwrap_or_else(|| "GET".into())
            .into_bytes(),
        uri: input.uri.clone().unwrap_or_else(|| "/".into()).into_bytes(),
        headers,
        body,
        ..Request::default()
    })
}

/// Every stage of the CRS regression tests under `dir`
/// (`…/crs-regression/tests`), `REQUEST-*` folders only, in file order.
pub fn crs_stages(dir: &Path) -> Result<Vec<CrsStage>, String> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_dir()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("REQUEST-"))
        })
        .collect();
    folders.sort();
    let mut stages = Vec::new();
    for folder in folders {
        let name = folder.file_name().unwrap().to_string_lossy().into_owned();
        let class = name["REQUEST-".len()..].chars().take(3).collect::<String>();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map_err(|e| format!("{}: {e}", folder.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
            .collect();
        files.sort();
        for file in files {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            if text.trim().trim_start_matches("---").trim().is_empty() {
                continue;
            }
            let parsed: FtwFile =
                serde_yaml_ng::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
            for (n, test) in parsed.tests.iter().enumerate() {
                let test_id = match (&test.test_id, &test.test_title) {
                    (Some(id), _) => scalar(id),
                    (None, Some(title)) => title.clone(),
                    (None, None) => (n + 1).to_string(),
                };
                for (s, stage) in test.stages.iter().enumerate() {
                    let mut id = format!("{stem}/{test_id}");
                    if test.stages.len() > 1 {
                        id.push_str(&format!("/{}", s + 1));
                    }
                    let request = stage_request(&stage.input).map_err(|e| format!("{id}: {e}"))?;
                    stages.push(CrsStage {
                        class: class.clone(),
                        id,
                        attack: !stage.output.log.expect_ids.is_empty(),
                        request,
                    });
                }
            }
        }
    }
    Ok(stages)
}

/// Whether `line` is an HTTP/1.x request line (`METHOD target HTTP/1.x`).
fn is_request_line(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut parts = line.split(|&b| b == b' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    !method.is_empty()
        && method.iter().all(u8::is_ascii_uppercase)
        && !target.is_empty()
        && version.starts_with(b"HTTP/")
}

/// The CSIC 2010 normal requests from `path` (gzip of raw HTTP requests,
/// each followed by blank lines; a POST body follows its headers after a
/// blank line). Requests are cut at request lines, then read by
/// [`parse_request`] (which keeps `Content-Length` bytes of the body).
pub fn csic_normal(path: &Path) -> Result<Vec<Request>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut text)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut starts = Vec::new();
    let mut at = 0;
    while at < text.len() {
        let end = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
        if is_request_line(&text[at..end]) {
            starts.push(at);
        }
        at = end + 1;
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| {
            parse_request(&text[w[0]..w[1]]).map_err(|e| format!("request at byte {}: {e}", w[0]))
        })
        .collect()
}

/// One request of the team's corpus.
#[derive(Debug)]
pub struct TeamRequest {
    /// `file.toml: name`.
    pub id: String,
    /// The class the engine must name (attacks), or `None` (benign).
    pub class: Option<String>,
    /// The paranoia level at which an attack must be blocked (default 1).
    pub paranoia: u8,
    /// The request.
    pub request: Request,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamFile {
    /// The class of every attack in the file; absent for benign files.
    #[serde(default)]
    class: Option<String>,
    request: Vec<TeamEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamEntry {
    name: String,
    #[serde(default)]
    method: Option<String>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    #[serde(default)]
    body: Option<String>,
    /// A binary body, in base64, instead of `body`.
    #[serde(default)]
    body_base64: Option<String>,
    /// A raw HTTP request instead of the fields above.
    #[serde(default)]
    raw: Option<String>,
    /// For an attack only rules above paranoia level 1 see: that level.
    #[serde(default)]
    paranoia: Option<u8>,
}

/// Headers every team request starts with (a current desktop browser);
/// a request's own `headers` replace them by name.
pub const BROWSER_HEADERS: &[(&str, &str)] = &[
    ("host", "www.example.com"),
    (
        "user-agent",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
         Chrome/124.0.0.0 Safari/537.36",
    ),
    (
        "accept",
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
    ),
    ("accept-language", "en-GB,en;q=0.9,de;q=0.8"),
    ("accept-encoding", "gzip, deflate, br"),
];

fn team_request(entry: &TeamEntry) -> Result<Request, String> {
    if let Some(raw) = &entry.raw {
        return parse_request(raw.as_bytes()).map_err(|e| e.to_string());
    }
    let mut headers: Vec<(Vec<u8>, Vec<u8>)> = BROWSER_HEADERS
        .iter()
        .filter(|(n, _)| !entry.headers.keys().any(|k| k.eq_ignore_ascii_case(n)))
        .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect();
    headers.extend(
        entry
            .headers
            .iter()
            .map(|(n, v)| (n.to_ascii_lowercase().into_bytes(), v.clone().into_bytes())),
    );
    let body = match &entry.body_base64 {
        Some(encoded) => {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(encoded)
                .map_err(|e| format!("body_base64: {e}"))?
        }
        None => entry.body.clone().unwrap_or_default().into_bytes(),
    };
    Ok(Request {
        method: entry.method.as_deref().unwrap_or("GET").as_bytes().to_vec(),
        uri: entry.uri.as_deref().unwrap_or("/").as_bytes().to_vec(),
        headers,
        body,
        ..Request::default()
    })
}

/// The team's corpus: `tests/corpus/waf/attacks/*.toml` (each file names
/// its `class`) and `tests/corpus/waf/benign/*.toml`.
pub fn team_corpus() -> Result<Vec<TeamRequest>, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/waf");
    let mut out = Vec::new();
    for (kind, attacks) in [("attacks", true), ("benign", false)] {
        let dir = root.join(kind);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        for file in files {
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let parsed: TeamFile =
                toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let label = format!("{kind}/{}", file.file_name().unwrap().to_string_lossy());
            if attacks != parsed.class.is_some() {
                return Err(format!(
                    "{label}: attack files name their class, benign files do not"
                ));
            }
            for entry in &parsed.request {
                let id = format!("{label}: {}", entry.name);
                let request = team_request(entry).map_err(|e| format!("{id}: {e}"))?;
                out.push(TeamRequest {
                    id,
                    class: parsed.class.clone(),
                    paranoia: entry.paranoia.unwrap_or(1),
                    request,
                });
            }
        }
    }
    Ok(out)
}

/// The third-party corpora, or `None` (with a note on stderr) when they are
/// missing and not required; missing and required is a panic.
pub fn load_third_party() -> Option<(Vec<CrsStage>, Vec<Request>)> {
    let dir = corpora_dir();
    let crs = dir.join("crs-regression/tests");
    let csic = dir.join("csic2010/normalTrafficTraining.txt.gz");
    if !crs.is_dir() || !csic.is_file() {
        assert!(
            !corpora_required(),
            "the firewall corpora are missing under {} (set WEBTOTEM_CORPORA)",
            dir.display()
        );
        eprintln!("skipping: no firewall corpora under {}", dir.display());
        return None;
    }
    let stages = crs_stages(&crs).unwrap_or_else(|e| panic!("CRS tests: {e}"));
    let normal = csic_normal(&csic).unwrap_or_else(|e| panic!("CSIC 2010: {e}"));
    Some((stages, normal))
}
