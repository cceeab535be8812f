//! The firewall hook on real files with the real PHP: every shape under
//! `tests/fixtures/index/` (written for these tests, modelled on real
//! front controllers), every `index.php` of the Debian code bases (read in
//! place, never copied), every PHP file of those code bases (round trip
//! only) and pseudo-random inputs.
//!
//! For each shape: the hooked file passes `php -l`; unhooking gives the
//! original bytes; hooking twice equals hooking once; run under the PHP
//! CLI with a real agent file, the agent runs before the page's first
//! statement and the page's output, errors and exit code stay the same;
//! with the agent deleted the page still runs the same (fail open).

#[path = "common/code_bases.rs"]
mod code_bases;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use webtotem::firewall::hook::{Placement, hook, status, unhook};

const AGENT: &str = "wt-0123456789abcdef0123456789abcdef.php";
const OTHER_AGENT: &str = "wt-fedcba9876543210fedcba9876543210.php";

/// The agent used at run time: it records, once, what had happened
/// before it ran (bytes already written to stdout, user constants and
/// global variables), leaving no variable behind.
const RECORDING_AGENT: &str = r#"<?php
(static function () {
    $out = fstat(STDOUT);
    $builtin = ['GLOBALS', '_GET', '_POST', '_COOKIE', '_FILES', '_SERVER', '_ENV', '_REQUEST', 'argv', 'argc'];
    file_put_contents(__DIR__ . '/agent.log', json_encode([
        'stdout_bytes' => $out === false ? -1 : $out['size'],
        'user_constants' => array_keys(get_defined_constants(true)['user'] ?? []),
        'globals' => array_values(array_diff(array_keys($GLOBALS), $builtin)),
    ]) . "\n", FILE_APPEND);
})();
"#;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/index");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/index")
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    out.sort();
    out
}

/// `php -l` on `src` written to a temporary file, with extra `-d` settings.
fn lints(src: &[u8], settings: &[&str]) -> std::result::Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("index.php");
    std::fs::write(&file, src).unwrap();
    let mut cmd = Command::new("php");
    for s in settings {
        cmd.arg("-d").arg(s);
    }
    let out = cmd.arg("-l").arg(&file).output().expect("php");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr))
    }
}

/// Runs `dir/index.php` under the PHP CLI, stdout to a file (so the agent
/// can see how much was written before it), errors on stderr.
fn run(dir: &Path, settings: &[&str]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let stdout_path = dir.join("stdout");
    let stdout = std::fs::File::create(&stdout_path).unwrap();
    let mut cmd = Command::new("php");
    for s in [
        "display_errors=stderr",
        "log_errors=0",
        "html_errors=0",
        "error_reporting=-1",
    ]
    .iter()
    .chain(settings)
    {
        cmd.arg("-d").arg(s);
    }
    let out: Output = cmd
        .arg("index.php")
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .output()
        .expect("php");
    let printed = std::fs::read(&stdout_path).unwrap();
    std::fs::remove_file(&stdout_path).unwrap();
    (out.status.code(), printed, out.stderr)
}

fn line_breaks(src: &[u8]) -> usize {
    src.iter().filter(|&&b| b == b'\n').count()
}

fn bare_line_feeds(src: &[u8]) -> usize {
    src.iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' && (i == 0 || src[i - 1] != b'\r'))
        .count()
}

/// What the lead (a `#!` line or a BOM) leaves for the code.
fn after_lead(src: &[u8]) -> &[u8] {
    if src.starts_with(b"#!") {
        let nl = src.iter().position(|&b| b == b'\n').unwrap();
        &src[nl + 1..]
    } else {
        src.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(src)
    }
}

#[test]
fn every_fixture_hooks_lints_runs_and_unhooks() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 45, "only {} fixtures", fixtures.len());
    let mut failures = Vec::new();
    for (name, src) in &fixtures {
        let settings: &[&[&str]] = if name.contains("short-open-tag") {
            &[&["short_open_tag=0"], &["short_open_tag=1"]]
        } else {
            &[&["short_open_tag=0"]]
        };
        if let Err(e) = check_fixture(src, settings) {
            failures.push(format!("{name}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_fixture(src: &[u8], settings: &[&[&str]]) -> std::result::Result<(), String> {
    for s in settings {
        lints(src, s).map_err(|e| format!("the fixture itself does not lint: {e}"))?;
    }
    let hooked = hook(src, AGENT).map_err(|e| e.to_string())?;
    for s in settings {
        lints(&hooked, s).map_err(|e| format!("hooked ({s:?}): {e}"))?;
    }
    if unhook(&hooked).map_err(|e| e.to_string())? != src {
        return Err("unhook did not give the original bytes".into());
    }
    if hook(&hooked, AGENT).map_err(|e| e.to_string())? != hooked {
        return Err("hooking twice changed the file".into());
    }
    let st = status(&hooked);
    if !st.hooked || st.agent_file.as_deref() != Some(AGENT) || st.problem.is_some() {
        return Err(format!("status {st:?}"));
    }
    let replaced = hook(&hooked, OTHER_AGENT).map_err(|e| e.to_string())?;
    if status(&replaced).agent_file.as_deref() != Some(OTHER_AGENT)
        || unhook(&replaced).map_err(|e| e.to_string())? != src
    {
        return Err("replacing the agent did not work".into());
    }
    // No line moves, except the one line break a block adds when the file
    // starts with one; CRLF files get no bare LF.
    let added = usize::from(
        st.placement == Some(Placement::Block)
            && matches!(after_lead(src).first(), Some(b'\n' | b'\r')),
    );
    if line_breaks(&hooked) != line_breaks(src) + added {
        return Err(format!("lines moved ({:?})", st.placement));
    }
    let crlf = src
        .iter()
        .position(|&b| b == b'\n')
        .is_some_and(|p| p > 0 && src[p - 1] == b'\r');
    if crlf && bare_line_feeds(&hooked) != bare_line_feeds(src) {
        return Err("a bare LF was added to a CRLF file".into());
    }
    for s in settings {
        check_runs(src, &hooked, s).map_err(|e| format!("{s:?}: {e}"))?;
    }
    Ok(())
}

fn check_runs(src: &[u8], hooked: &[u8], settings: &[&str]) -> std::result::Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index.php");
    let log = dir.path().join("agent.log");
    std::fs::write(&index, src).unwrap();
    let original = run(dir.path(), settings);

    std::fs::write(&index, hooked).unwrap();
    std::fs::write(dir.path().join(AGENT), RECORDING_AGENT).unwrap();
    let with_agent = run(dir.path(), settings);
    if with_agent != original {
        return Err(format!(
            "the output changed with the agent:\n--- original {:?}\n{}{}\n--- hooked {:?}\n{}{}",
            original.0,
            String::from_utf8_lossy(&original.1),
            String::from_utf8_lossy(&original.2),
            with_agent.0,
            String::from_utf8_lossy(&with_agent.1),
            String::from_utf8_lossy(&with_agent.2)
        ));
    }
    let records = std::fs::read_to_string(&log).map_err(|_| "the agent did not run".to_string())?;
    let lines: Vec<&str> = records.lines().collect();
    if lines.len() != 1 {
        return Err(format!("the agent ran {} times", lines.len()));
    }
    let record: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    let before = if src.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let first = record["stdout_bytes"] == before
        && record["user_constants"] == serde_json::json!([])
        && record["globals"] == serde_json::json!([]);
    if !first {
        return Err(format!("the agent did not run first: {record}"));
    }

    std::fs::remove_file(dir.path().join(AGENT)).unwrap();
    std::fs::remove_file(&log).unwrap();
    let without_agent = run(dir.path(), settings);
    if without_agent != original {
        return Err("the output changed without the agent".into());
    }
    if log.exists() {
        return Err("something ran without the agent".into());
    }
    Ok(())
}

/// The PHP files under the installed code bases (none are copied).
fn code_base_files(only_index: bool) -> Vec<PathBuf> {
    code_bases::files(true, |path| {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if only_index {
            name == "index.php"
        } else {
            name.ends_with(".php")
        }
    })
}

#[test]
fn every_index_php_of_the_debian_code_bases() {
    let files = code_base_files(true);
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &files {
        let src = std::fs::read(path).unwrap();
        if lints(&src, &[]).is_err() {
            eprintln!("{}: does not lint as it is; skipped", path.display());
            continue;
        }
        checked += 1;
        let result = hook(&src, AGENT).map_err(|e| e.to_string()).and_then(|h| {
            lints(&h, &[])?;
            if unhook(&h).map_err(|e| e.to_string())? != src {
                return Err("unhook changed the file".into());
            }
            if hook(&h, AGENT).map_err(|e| e.to_string())? != h {
                return Err("hooking twice changed the file".into());
            }
            Ok(())
        });
        if let Err(e) = result {
            failures.push(format!("{}: {e}", path.display()));
        }
    }
    eprintln!("hooked {checked} index.php files of the Debian code bases");
    if std::env::var("WEBTOTEM_REAL_CODE").is_ok_and(|v| v == "1") {
        assert!(checked >= 15, "only {checked} index.php files found");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_php_file_of_the_debian_code_bases_round_trips() {
    let files = code_base_files(false);
    let mut failures = Vec::new();
    let mut refused = Vec::new();
    let mut linted = 0;
    for (i, path) in files.iter().enumerate() {
        let Ok(src) = std::fs::read(path) else {
            continue;
        };
        match hook(&src, AGENT) {
            Ok(h) => {
                let ok = unhook(&h).ok().as_deref() == Some(&src[..])
                    && hook(&h, AGENT).ok().as_deref() == Some(&h[..])
                    && status(&h).agent_file.as_deref() == Some(AGENT);
                if !ok {
                    failures.push(format!("{}: no clean round trip", path.display()));
                }
                // A sample through the real PHP: what lints must still lint.
                if i % 250 == 0 && lints(&src, &[]).is_ok() {
                    linted += 1;
                    if let Err(e) = lints(&h, &[]) {
                        failures.push(format!("{}: {e}", path.display()));
                    }
                }
            }
            Err(webtotem::Error::InvalidArgument(m)) => {
                refused.push(format!("{}: {m}", path.display()))
            }
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    eprintln!(
        "{} PHP files: {} refused, {linted} linted after hooking",
        files.len(),
        refused.len()
    );
    for r in &refused {
        eprintln!("refused {r}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn random_inputs_are_refused_or_round_trip() {
    let fragments: [&[u8]; 30] = [
        b"<?php ",
        b"<?php\n",
        b"?>",
        b"?>\n",
        b"'",
        b"\"",
        b"{$",
        b"}",
        b"{",
        b";",
        b"declare(strict_types=1);",
        b"declare(",
        b"namespace A;",
        b"namespace B {",
        b"namespace",
        b"<<<EOT\n",
        b"EOT;\n",
        b"/*",
        b"*/",
        b"//",
        b"#",
        b"\n",
        b"\r\n",
        b"\xEF\xBB\xBF",
        b"#!php\n",
        b"<?=",
        b"<? ",
        b"echo 1;",
        b"<p>",
        b"\xff\xfe",
    ];
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut linted = 0;
    let mut hooked_count = 0;
    let mut failures = Vec::new();
    for case in 0..4000 {
        let mut src = Vec::new();
        for _ in 0..(seed % 12) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            src.extend_from_slice(fragments[(seed % fragments.len() as u64) as usize]);
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        match hook(&src, AGENT) {
            Ok(h) => {
                hooked_count += 1;
                if unhook(&h).ok().as_deref() != Some(&src[..])
                    || hook(&h, AGENT).ok().as_deref() != Some(&h[..])
                {
                    failures.push(format!("{src:?}: no clean round trip"));
                }
                // What PHP compiles before must compile after.
                if case % 40 == 0 && lints(&src, &[]).is_ok() {
                    linted += 1;
                    if let Err(e) = lints(&h, &[]) {
                        failures.push(format!("{src:?} → {:?}: {e}", String::from_utf8_lossy(&h)));
                    }
                }
            }
            Err(webtotem::Error::InvalidArgument(_)) => {}
            Err(e) => failures.push(format!("{src:?}: {e}")),
        }
        assert!(unhook(&src).is_ok() || status(&src).problem.is_some());
    }
    eprintln!("{hooked_count} of 4000 random inputs hooked, {linted} compared with php -l");
    assert!(
        hooked_count > 1000 && linted > 40,
        "{hooked_count} {linted}"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
