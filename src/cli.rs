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
    /// List the exported functions and their parameters as JSON.
    Functions,
    /// Print the version line of the core.
    Version,
}

/// The JSON error object printed by `call` on failure.
pub fn error_json(err: &Error) -> Value {
    json!({"error": {"class": err.kind().php_class(), "message": err.to_string()}})
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
    let (value, code) = match cli.command {
        Command::Call { function } => {
            match read_args(stdin).and_then(|args| call_json(&function, args)) {
                Ok(v) => (v, 0),
                Err(e) => (error_json(&e), 2),
            }
        }
        Command::Functions => (serde_json::to_value(FUNCTIONS).unwrap_or(Value::Null), 0),
        Command::Version => (Value::String(crate::build_info::version_line()), 0),
    };
    match writeln!(stdout, "{value}") {
        Ok(()) => code,
        Err(_) => 2,
    }
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
