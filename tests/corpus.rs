//! The antivirus against the team's corpus: every file under
//! `tests/corpus/malicious/<category>/` must give a finding of that category
//! at medium severity or above; no file under `tests/corpus/clean/` may give
//! a finding of medium or above.

#[path = "common/false_positives.rs"]
mod false_positives;

use std::path::{Path, PathBuf};
use webtotem::malware::Severity;
use webtotem::malware::scan::scan_contents;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "README.md")
        .map(|e| e.into_path())
        .collect();
    out.sort();
    out
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

#[test]
fn every_malicious_sample_is_found_with_its_category() {
    let root = corpus().join("malicious");
    let mut missed = Vec::new();
    let samples = files(&root);
    for path in &samples {
        let rel = path.strip_prefix(&root).unwrap();
        let category = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .into_owned();
        let data = std::fs::read(path).unwrap();
        let name = rel.to_string_lossy();
        // Only the file name reaches the scanner: the folder is the answer.
        let file_name = path.file_name().unwrap().to_string_lossy();
        let scan = scan_contents(&file_name, file_name.as_bytes(), &data);
        let hit = scan
            .findings
            .iter()
            .any(|f| f.category.as_str() == category && f.severity >= Severity::Medium);
        if !hit {
            let got: Vec<String> = scan
                .findings
                .iter()
                .map(|f| format!("{}:{}:{}", f.rule, f.category.as_str(), f.severity.as_str()))
                .collect();
            missed.push(format!("{name}: expected {category}, got {got:?}"));
        }
    }
    assert!(
        missed.is_empty(),
        "{} of {} samples missed:\n{}",
        missed.len(),
        samples.len(),
        missed.join("\n")
    );
    assert!(
        samples.len() >= 70,
        "only {} malicious samples",
        samples.len()
    );
}

#[test]
fn no_clean_file_gives_a_medium_finding() {
    let root = corpus().join("clean");
    let mut flagged = Vec::new();
    let clean = files(&root);
    for path in &clean {
        let name = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let data = std::fs::read(path).unwrap();
        flagged.extend(false_positives::medium_or_above(&name, &data));
    }
    assert!(
        flagged.is_empty(),
        "false positives:\n{}",
        flagged.join("\n")
    );
    assert!(clean.len() >= 40, "only {} clean samples", clean.len());
}
