//! `cargo bench --bench walk`: the parallel walk on large trees of small
//! files: peak memory for 200,000 files (issue target: under 100 MB), and an
//! incremental re-scan of an unchanged 100,000-file tree (target: under 1 s).

use std::time::Instant;
use webtotem::malware::walk::{ScanOptions, scan_root};

/// Peak resident memory of this process, in MB (VmHWM).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn make_tree(root: &std::path::Path, files: usize) {
    for i in 0..files {
        let dir = root.join(format!(
            "wp-content/plugins/p{}/includes/d{}",
            i / 5000,
            (i / 100) % 50
        ));
        if i % 100 == 0 {
            std::fs::create_dir_all(&dir).unwrap();
        }
        let body = format!(
            "<?php\n// file {i}\nfunction f_{i}($a) {{ return strtoupper($a) . '{i}'; }}\n"
        );
        std::fs::write(dir.join(format!("class-file-{i}.php")), body).unwrap();
    }
}

fn main() {
    let base = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    for (files, label) in [(200_000usize, "200k"), (100_000, "100k")] {
        let root = base.path().join(label);
        let t = Instant::now();
        make_tree(&root, files);
        let made = t.elapsed();
        let baseline = state.path().join(format!("{label}.baseline"));
        let opts = ScanOptions {
            baseline: Some(baseline.to_str().unwrap().into()),
            ..Default::default()
        };
        let t = Instant::now();
        let full = scan_root(root.to_str().unwrap(), &opts).unwrap();
        let full_t = t.elapsed();
        let baseline_size = std::fs::metadata(&baseline).map(|m| m.len()).unwrap_or(0);
        let t = Instant::now();
        let incr = scan_root(
            root.to_str().unwrap(),
            &ScanOptions {
                incremental: true,
                ..opts.clone()
            },
        )
        .unwrap();
        let incr_t = t.elapsed();
        assert_eq!(incr.summary.reused, files as u64);
        println!(
            "{label} files: created in {:.1} s; full scan {:.2} s ({} files scanned), incremental re-scan of the unchanged tree {:.3} s; baseline {:.1} MB ({:.0} bytes/file); peak RSS so far {:.1} MB",
            made.as_secs_f64(),
            full_t.as_secs_f64(),
            full.summary.scanned,
            incr_t.as_secs_f64(),
            baseline_size as f64 / 1e6,
            baseline_size as f64 / files as f64,
            peak_rss_mb()
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
