//! The `webtotem` binary as a separate process: JSON in, JSON out, exit codes.

use std::io::Write;
use std::process::{Command, Stdio};

fn call(args: &[&str], stdin: &str) -> (i32, serde_json::Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_webtotem"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start webtotem");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap(), json)
}

#[test]
fn call_detects_the_public_root() {
    let (code, out) = call(
        &["call", "webtotem_detect_root"],
        r#"{"docroot":"/var/www/vhosts/a.com/httpdocs","publicIndexPhp":"<?php require __DIR__.'/../vendor/autoload.php';"}"#,
    );
    assert_eq!(code, 0);
    assert_eq!(out, "/var/www/vhosts/a.com/httpdocs/public");
}

#[test]
fn errors_are_json_with_the_php_class_and_exit_2() {
    let (code, out) = call(
        &["call", "webtotem_detect_root"],
        r#"{"docroot":"/a/../../etc"}"#,
    );
    assert_eq!(code, 2);
    assert_eq!(out["error"]["class"], "WebTotem\\InvalidArgumentException");
    assert!(out["error"]["message"].as_str().unwrap().contains(".."));
}

#[test]
fn functions_lists_the_exported_table() {
    let (code, out) = call(&["functions"], "");
    assert_eq!(code, 0);
    let names: Vec<&str> = out
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"webtotem_detect_root"), "{names:?}");
    assert!(names.contains(&"webtotem_version"), "{names:?}");
}

#[test]
fn a_panic_is_a_json_internal_error_not_a_crash() {
    // Only the test-probes build exports the panicking probe.
    if !cfg!(feature = "test-probes") {
        let (code, out) = call(&["call", "webtotem_test_panic"], r#"{"message":"x"}"#);
        assert_eq!(code, 2);
        assert!(
            out["error"]["message"]
                .as_str()
                .unwrap()
                .contains("unknown function")
        );
        return;
    }
    let (code, out) = call(&["call", "webtotem_test_panic"], r#"{"message":"boom"}"#);
    assert_eq!(code, 2);
    assert_eq!(out["error"]["class"], "WebTotem\\InternalException");
}

fn scan(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_webtotem"))
        .arg("scan")
        .args(args)
        .output()
        .expect("start webtotem");
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn scan_exit_codes_say_clean_findings_or_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("index.php"), "<?php echo 'hello';").unwrap();
    let (code, out) = scan(&[root]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 files (1 scanned, 0 unchanged)"), "{out}");

    std::fs::write(dir.path().join("shell.php"), "<?php system($_GET['c']);").unwrap();
    let (code, out) = scan(&[root]);
    assert_eq!(code, 1);
    assert!(out.contains("CRITICAL shell       shell.php:1"), "{out}");
    let (code, json) = scan(&[root, "--json"]);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(report["findings"][0]["path"], "shell.php");
    assert_eq!(report["findings"][0]["severity"], "critical");
    assert_eq!(report["summary"]["files"], 2);
    // Only findings at or above --min-severity count for the exit code.
    std::fs::remove_file(dir.path().join("shell.php")).unwrap();
    std::fs::write(
        dir.path().join(".htaccess"),
        "php_value auto_prepend_file /srv/waf.php\n",
    )
    .unwrap();
    assert_eq!(scan(&[root]).0, 0);
    assert_eq!(scan(&[root, "--min-severity", "low"]).0, 1);

    let (code, json) = scan(&["relative/dir", "--json"]);
    assert_eq!(code, 2);
    assert!(
        json.contains("WebTotem\\\\InvalidArgumentException"),
        "{json}"
    );
    assert_eq!(scan(&["/no/such/webtotem/dir"]).0, 2);
}
