//! Scanning real directory trees on disk: findings, file changes against a
//! baseline, incremental re-scans, and files that are skipped (never silently).

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use webtotem::malware::walk::{ScanOptions, scan_root};

fn write(root: &Path, rel: &str, data: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "index.php",
        b"<?php require __DIR__ . '/wp-blog-header.php';\n",
    );
    write(
        root,
        "wp-content/uploads/2024/cache.php",
        b"<?php\n\n@eval($_POST['z']);\n",
    );
    write(
        root,
        "wp-content/themes/t/style.css",
        b"body { color: #333 }\n",
    );
    write(
        root,
        "assets/logo.gif",
        b"GIF89a\x01\x00\x01\x00<?php system($_GET['c']); ?>",
    );
    dir
}

fn options(baseline: &Path, incremental: bool) -> ScanOptions {
    ScanOptions {
        baseline: Some(baseline.to_str().unwrap().to_string()),
        incremental,
        ..Default::default()
    }
}

#[test]
fn finds_threats_with_paths_relative_to_the_root() {
    let dir = site();
    let report = scan_root(dir.path().to_str().unwrap(), &ScanOptions::default()).unwrap();
    let found: Vec<(&str, &str, u32)> = report
        .findings
        .iter()
        .map(|f| (f.path.as_str(), f.category.as_str(), f.line))
        .collect();
    assert!(
        found.contains(&("wp-content/uploads/2024/cache.php", "backdoor", 3)),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(p, c, _)| *p == "assets/logo.gif" && *c == "shell"),
        "{found:?}"
    );
    assert!(!found.iter().any(|(p, _, _)| *p == "index.php"));
    assert_eq!(report.summary.files, 4);
    assert_eq!(report.summary.scanned, 4);
    assert!(!report.changes.compared, "no baseline given");
    let sampled: Vec<&str> = report.samples.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        sampled,
        ["assets/logo.gif", "wp-content/uploads/2024/cache.php"]
    );
}

#[test]
fn findings_carry_the_file_hash_with_and_without_a_baseline() {
    // Without a baseline clean files are not hashed; findings and samples
    // still carry their file's SHA-256, as with a baseline.
    let dir = site();
    let root = dir.path().to_str().unwrap();
    let plain = scan_root(root, &ScanOptions::default()).unwrap();
    let keep = tempfile::tempdir().unwrap();
    let with = scan_root(root, &options(&keep.path().join("b.wtb"), false)).unwrap();
    assert!(!plain.findings.is_empty());
    assert_eq!(plain.findings, with.findings);
    assert_eq!(plain.samples, with.samples);
    for f in &plain.findings {
        let data = std::fs::read(dir.path().join(&f.path)).unwrap();
        assert_eq!(
            f.sha256,
            webtotem::malware::scan::sha256_hex(&data),
            "{}",
            f.path
        );
    }
}

#[test]
fn baseline_reports_added_modified_deleted_and_mode_changes() {
    let dir = site();
    let state = tempfile::tempdir().unwrap();
    let baseline = state.path().join("site.baseline");
    let root = dir.path().to_str().unwrap();
    let first = scan_root(root, &options(&baseline, false)).unwrap();
    assert!(
        !first.changes.compared,
        "the first scan creates the baseline"
    );
    assert!(baseline.exists());

    write(
        dir.path(),
        "index.php",
        b"<?php require __DIR__ . '/wp-blog-header.php'; // edited\n",
    );
    write(
        dir.path(),
        "wp-content/plugins/new/x.php",
        b"<?php echo 1;\n",
    );
    std::fs::remove_file(dir.path().join("wp-content/themes/t/style.css")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        dir.path().join("assets/logo.gif"),
        std::fs::Permissions::from_mode(0o600),
    )
    .unwrap();

    let second = scan_root(root, &options(&baseline, false)).unwrap();
    let c = &second.changes;
    assert!(c.compared);
    assert_eq!(c.added, ["wp-content/plugins/new/x.php"]);
    assert_eq!(c.modified, ["index.php"]);
    assert_eq!(c.deleted, ["wp-content/themes/t/style.css"]);
    assert_eq!(c.mode_changed, ["assets/logo.gif"]);

    let third = scan_root(root, &options(&baseline, false)).unwrap();
    assert!(
        third.changes.added.is_empty()
            && third.changes.modified.is_empty()
            && third.changes.deleted.is_empty()
    );
}

#[test]
fn incremental_scans_read_only_changed_files() {
    let dir = site();
    let state = tempfile::tempdir().unwrap();
    let baseline = state.path().join("b");
    let root = dir.path().to_str().unwrap();
    scan_root(root, &options(&baseline, false)).unwrap();
    let unchanged = scan_root(root, &options(&baseline, true)).unwrap();
    assert_eq!(
        (
            unchanged.summary.scanned,
            unchanged.summary.reused,
            unchanged.summary.bytes
        ),
        (0, 4, 0)
    );
    assert!(
        unchanged.findings.is_empty(),
        "unchanged files are not re-scanned"
    );

    write(
        dir.path(),
        "wp-content/uploads/evil.php",
        b"<?php passthru($_REQUEST['x']);",
    );
    let changed = scan_root(root, &options(&baseline, true)).unwrap();
    assert_eq!((changed.summary.scanned, changed.summary.reused), (1, 4));
    assert_eq!(changed.changes.added, ["wp-content/uploads/evil.php"]);
    assert_eq!(changed.findings.len(), 1);
    // A full scan re-reads everything.
    let full = scan_root(root, &options(&baseline, false)).unwrap();
    assert_eq!(full.summary.scanned, 5);
}

#[test]
fn links_special_and_large_files_are_reported_not_followed() {
    let dir = site();
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret.php", b"<?php eval($_POST['x']);");
    std::os::unix::fs::symlink(outside.path(), dir.path().join("escape")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.php"), dir.path().join("s.php"))
        .unwrap();
    let fifo = dir.path().join("pipe");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    write(dir.path(), "big.bin", &vec![b'a'; 4096]);
    let odd = OsStr::from_bytes(b"caf\xe9-\xff.php");
    std::fs::write(dir.path().join(odd), b"<?php system($_GET['c']);").unwrap();

    let opts = ScanOptions {
        max_file_size: Some(1024),
        ..Default::default()
    };
    let report = scan_root(dir.path().to_str().unwrap(), &opts).unwrap();
    let skipped: Vec<(&str, &str)> = report
        .skipped
        .iter()
        .map(|s| (s.path.as_str(), s.reason.as_str()))
        .collect();
    assert!(
        skipped.contains(&("escape", "symbolic link (not followed)")),
        "{skipped:?}"
    );
    assert!(
        skipped.contains(&("s.php", "symbolic link (not followed)")),
        "{skipped:?}"
    );
    assert!(
        skipped.contains(&("pipe", "named pipe (not a regular file)")),
        "{skipped:?}"
    );
    assert!(
        skipped
            .iter()
            .any(|(p, r)| *p == "big.bin" && r.starts_with("larger than 1024 bytes")),
        "{skipped:?}"
    );
    assert!(
        !report.findings.iter().any(|f| f.path.contains("secret")),
        "nothing outside the root is read"
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.path == "caf\u{FFFD}-\u{FFFD}.php"),
        "non-UTF-8 names are scanned"
    );
}

#[test]
fn bad_roots_and_baselines_are_rejected() {
    let dir = site();
    let root = dir.path().to_str().unwrap();
    for (root, opts) in [
        ("relative/dir", ScanOptions::default()),
        ("/nonexistent/webtotem/root", ScanOptions::default()),
        (
            root,
            ScanOptions {
                baseline: Some(format!("{root}/inside.baseline")),
                ..Default::default()
            },
        ),
        (
            root,
            ScanOptions {
                baseline: Some("relative.baseline".into()),
                ..Default::default()
            },
        ),
    ] {
        assert!(scan_root(root, &opts).is_err(), "{root} {opts:?}");
    }
    let file = dir.path().join("index.php");
    assert!(scan_root(file.to_str().unwrap(), &ScanOptions::default()).is_err());
}

/// Paths as the report shows them (lossy UTF-8), from raw relative paths.
fn shown(paths: Vec<Vec<u8>>) -> Vec<String> {
    paths
        .iter()
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

#[test]
fn streamed_baselines_match_whole_manifests_on_a_large_changing_tree() {
    // More files than the walk may run ahead of the written records, in
    // directories whose walk order differs from a naive one ("a" before
    // "a.b" as a directory, but "a.b" < "a/…" in byte order), with names
    // that are not UTF-8; then deletions, edits, mode changes and new
    // files, scanned incrementally and in full on several threads.
    use std::os::unix::fs::PermissionsExt;
    use webtotem::baseline::{Manifest, diff};
    let dir = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let root = dir.path();
    let dirs: [&[u8]; 6] = [b"a", b"a.b", b"a-", b"a0", b"b/c", b"\xff\xfe"];
    let mut files = Vec::new();
    for i in 0..10_500usize {
        let d = OsStr::from_bytes(dirs[i % dirs.len()]);
        let rel = Path::new(d).join(format!("f{i}.php"));
        std::fs::create_dir_all(root.join(d)).unwrap();
        std::fs::write(root.join(&rel), format!("<?php echo {i};\n")).unwrap();
        files.push(rel);
    }
    std::fs::write(root.join("a.b.php"), b"<?php echo 'x';").unwrap();
    let baseline = state.path().join("site.baseline");
    let opts = |incremental: bool| ScanOptions {
        threads: Some(3),
        ..options(&baseline, incremental)
    };
    let first = scan_root(root.to_str().unwrap(), &opts(false)).unwrap();
    assert_eq!(first.summary.scanned, 10_501);
    let old = Manifest::load(&baseline).unwrap().unwrap();
    assert_eq!(old.len(), 10_501);

    for (k, rel) in files.iter().enumerate().step_by(7) {
        let p = root.join(rel);
        match k % 4 {
            0 => std::fs::remove_file(&p).unwrap(),
            1 => std::fs::write(&p, format!("<?php echo 'changed {k}';\n")).unwrap(),
            2 => std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap(),
            _ => std::fs::write(p.with_extension("new.php"), b"<?php echo 2;").unwrap(),
        }
    }
    for incremental in [true, false] {
        std::fs::write(&baseline, old.encode()).unwrap();
        let report = scan_root(root.to_str().unwrap(), &opts(incremental)).unwrap();
        let new = Manifest::load(&baseline).unwrap().unwrap();
        let expected = diff(&old, &new);
        assert!(report.changes.compared);
        assert_eq!(report.changes.added, shown(expected.added));
        assert_eq!(report.changes.modified, shown(expected.modified));
        assert_eq!(report.changes.deleted, shown(expected.deleted));
        assert_eq!(report.changes.mode_changed, shown(expected.mode_changed));
        assert!(!report.changes.deleted.is_empty() && !report.changes.added.is_empty());
        // The new baseline holds exactly the files on disk.
        let on_disk: std::collections::BTreeSet<Vec<u8>> = walkdir::WalkDir::new(root)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .as_os_str()
                    .as_bytes()
                    .to_vec()
            })
            .collect();
        let recorded: std::collections::BTreeSet<Vec<u8>> =
            new.iter().map(|r| r.path.clone()).collect();
        assert_eq!(recorded, on_disk);
        assert_eq!(report.summary.files as usize, on_disk.len());
        if incremental {
            assert!(report.summary.reused > 9_000, "{}", report.summary.reused);
        }
    }
}
