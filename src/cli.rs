//! The `webtotem` command: the core's functions with JSON in and out, for
//! PHP that cannot load the extension (Plesk's panel runs it through
//! `pm_ApiCli::callSbin`) and for administrators.
//!
//! Exit codes: 0 success, 2 error (with a JSON error object on stdout for
//! `call`), as documented in the README.

use crate::error::{Error, Result};
use crate::exports::{FUNCTIONS, call_json};
use clap::{Parser, Subcommand};
use serde_json::{Value, json};
use std::ffi::OsString;
use std::io::{Read, Write};

/// The largest JSON document `webtotem call` reads from stdin.
pub const MAX_STDIN_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Parser, Debug)]
#[command(name = "webtotem", version = crate::build_info::VERSION, about = "WebTotem Security core: the functions of the PHP extension, with JSON in and out")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Call FUNCTION with a JSON object of its arguments by name on stdin; print the JSON result.
    Call {
        /// The PHP function name, e.g. webtotem_detect_root.
        function: String,
    },
    /// Scan every file under ROOT for malware and file changes.
    ///
    /// Exit code 0: nothing at or above --min-severity; 1: findings; 2: error.
    Scan {
        /// The site root (absolute path).
        root: String,
        /// Print the report as JSON (the same shape as webtotem_scan_path()).
        #[arg(long)]
        json: bool,
        /// Baseline file for change detection (outside ROOT); rewritten after the scan.
        #[arg(long, value_name = "FILE")]
        baseline: Option<String>,
        /// Re-read only files whose metadata changed since the baseline.
        #[arg(long, requires = "baseline")]
        incremental: bool,
        /// Skip (and report) files larger than this many bytes.
        #[arg(long, value_name = "BYTES")]
        max_file_size: Option<u64>,
        /// Worker threads (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// The lowest severity that makes the exit code 1.
        #[arg(long, default_value = "medium", value_parser = ["info", "low", "medium", "high", "critical"])]
        min_severity: String,
    },
    /// List the exported functions and their parameters as JSON.
    Functions,
    /// Print the version line of the core.
    Version,
}

/// The JSON error object printed by `call` on failure.
pub fn error_json(err: &Error) -> Value {
    json!({"error": {"class": err.kind().php_class(), "message": err.to_string(), "code": err.code()}})
}

fn read_args(stdin: &mut dyn Read) -> Result<Value> {
    let mut buf = Vec::new();
    stdin
        .take(MAX_STDIN_BYTES + 1)
        .read_to_end(&mut buf)
        .map_err(|source| Error::Io {
            context: "reading the arguments from stdin".into(),
            source,
        })?;
    if buf.len() as u64 > MAX_STDIN_BYTES {
        return Err(Error::invalid(format!(
            "the arguments are larger than {MAX_STDIN_BYTES} bytes"
        )));
    }
    if buf.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&buf)
        .map_err(|e| Error::invalid(format!("the arguments on stdin are not valid JSON: {e}")))
}

/// Runs the command line `args` (program name first); returns the exit code.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    stdin: &mut dyn Read,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let out: &mut dyn Write = if e.use_stderr() { stderr } else { stdout };
            let _ = write!(out, "{}", e.render());
            return code;
        }
    };
    if let Command::Scan {
        root,
        json,
        baseline,
        incremental,
        max_file_size,
        threads,
        min_severity,
    } = cli.command
    {
        let options = crate::malware::walk::ScanOptions {
            baseline,
            incremental,
            max_file_size,
            threads,
            ..Default::default()
        };
        return scan_command(&root, &options, json, &min_severity, stdout, stderr);
    }
    let (value, code) = match cli.command {
        Command::Call { function } => {
            match read_args(stdin).and_then(|args| call_json(&function, args)) {
                Ok(v) => (v, 0),
                Err(e) => (error_json(&e), 2),
            }
        }
        Command::Functions => (serde_json::to_value(FUNCTIONS).unwrap_or(Value::Null), 0),
        Command::Version => (Value::String(crate::build_info::version_line()), 0),
        Command::Scan { .. } => unreachable!("handled above"),
    };
    match writeln!(stdout, "{value}") {
        Ok(()) => code,
        Err(_) => 2,
    }
}

fn scan_command(
    root: &str,
    options: &crate::malware::walk::ScanOptions,
    json: bool,
    min: &str,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    use crate::malware::Severity;
    let report = match crate::exports::guard(|| crate::malware::walk::scan_root(root, options)) {
        Ok(r) => r,
        Err(e) => {
            if json {
                let _ = writeln!(stdout, "{}", error_json(&e));
            } else {
                let _ = writeln!(stderr, "webtotem scan: {e}");
            }
            return 2;
        }
    };
    let min: Severity =
        serde_json::from_value(Value::String(min.to_string())).unwrap_or(Severity::Medium);
    let threats = report.findings.iter().filter(|f| f.severity >= min).count();
    let written = if json {
        serde_json::to_writer(&mut *stdout, &report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(stdout))
    } else {
        write_human_report(&report, stdout)
    };
    match (written, threats) {
        (Err(_), _) => 2,
        (Ok(()), 0) => 0,
        (Ok(()), _) => 1,
    }
}

fn write_human_report(
    r: &crate::malware::walk::ScanReport,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for f in &r.findings {
        writeln!(
            out,
            "{:<8} {:<11} {}:{}  {}  [{}]",
            f.severity.as_str().to_uppercase(),
            f.category.as_str(),
            f.path,
            f.line,
            f.description,
            f.rule
        )?;
        writeln!(out, "         {}", f.snippet)?;
    }
    let c = &r.changes;
    if c.compared {
        for (what, list) in [
            ("added", &c.added),
            ("modified", &c.modified),
            ("deleted", &c.deleted),
            ("mode changed", &c.mode_changed),
        ] {
            for p in list {
                writeln!(out, "{what:<12} {p}")?;
            }
        }
    }
    for s in &r.skipped {
        writeln!(out, "skipped      {}: {}", s.path, s.reason)?;
    }
    let s = &r.summary;
    writeln!(
        out,
        "{} files ({} scanned, {} unchanged), {} bytes, {} findings, {} skipped, {} ms",
        s.files,
        s.scanned,
        s.reused,
        s.bytes,
        r.findings.len(),
        s.skipped,
        s.duration_ms
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_with(args: &[&str], stdin: &str) -> (i32, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let argv = std::iter::once("webtotem")
            .chain(args.iter().copied())
            .map(OsString::from);
        let code = run(argv, &mut stdin.as_bytes(), &mut out, &mut err);
        (code, String::from_utf8(out).unwrap())
    }

    #[test]
    fn call_prints_result_or_error() {
        let (code, out) = run_with(&["call", "webtotem_detect_root"], r#"{"docroot":"/srv/x"}"#);
        assert_eq!((code, out.trim()), (0, r#""/srv/x""#));
        let (code, out) = run_with(&["call", "webtotem_detect_root"], r#"{"docroot":"x/../y"}"#);
        assert_eq!(code, 2);
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"]["class"], "WebTotem\\InvalidArgumentException");
        let (code, out) = run_with(&["call", "webtotem_detect_root"], "{not json");
        assert_eq!(code, 2);
        assert!(out.contains("not valid JSON"));
    }

    #[test]
    fn bad_command_lines_exit_2() {
        assert_eq!(run_with(&["frobnicate"], "").0, 2);
        assert_eq!(run_with(&["call"], "").0, 2);
    }
}
