//! `cargo bench --bench scan [-- DIR...]`: antivirus throughput on real code
//! (default: the Debian code bases the false-positive test uses), on one core
//! and on all cores, beside a plain read of the same files in the same run
//! (the I/O floor). Warm cache: the files are read once before timing. Two
//! scans: with every file hashed (as a scan with a baseline does), and with
//! only files with findings hashed (as a scan without a baseline does).
//! Besides wall-clock rates it gives rates per second of CPU time spent by
//! the working threads, which other work on a busy machine disturbs less.
//! Each is measured on every file and again on the PHP files alone (as the
//! scanner classifies them), the code the target names.
//!
//! `-- --once[=N]` instead scans every Nth file (default 1) once on one
//! thread, hashed only with findings, inside [`scan_once`]: a run for
//! counting instructions, e.g. `valgrind --tool=callgrind
//! --collect-atstart=no --toggle-collect='*scan_once*' target/release/deps/scan-… --once=20`.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use thread_cpu::thread_cpu;
use webtotem::malware::kind::{FileKind, classify};
use webtotem::malware::scan::{scan_contents, scan_unhashed};

#[path = "../tests/common/code_bases.rs"]
#[allow(dead_code)]
mod code_bases;
#[path = "common/thread_cpu.rs"]
mod thread_cpu;

fn files(roots: &[String]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in roots {
        for e in walkdir::WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
        {
            if e.file_type().is_file() {
                out.push(e.into_path());
            }
        }
    }
    out.sort();
    out
}

/// Runs `work` over every file on `threads` threads; returns (wall-clock
/// seconds, CPU seconds of the threads, bytes).
fn run(files: &[PathBuf], threads: usize, work: &(dyn Fn(&Path, &[u8]) + Sync)) -> (f64, f64, u64) {
    let next = AtomicUsize::new(0);
    let bytes = AtomicUsize::new(0);
    let cpu_ns = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let cpu = thread_cpu().as_secs_f64();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(p) = files.get(i) else { break };
                    if let Ok(data) = std::fs::read(p) {
                        bytes.fetch_add(data.len(), Ordering::Relaxed);
                        work(p, &data);
                    }
                }
                let used = thread_cpu().as_secs_f64() - cpu;
                cpu_ns.fetch_add((used * 1e9) as usize, Ordering::Relaxed);
            });
        }
    });
    (
        start.elapsed().as_secs_f64(),
        cpu_ns.load(Ordering::Relaxed) as f64 / 1e9,
        bytes.load(Ordering::Relaxed) as u64,
    )
}

/// Scans `files` (already read) once on this thread, hashed only with
/// findings; returns the number of findings and the bytes of PHP files.
#[inline(never)]
fn scan_once(files: &[(PathBuf, Vec<u8>)]) -> (usize, usize) {
    let (mut findings, mut php) = (0, 0);
    for (p, data) in files {
        let name = p.to_string_lossy();
        let scan = std::hint::black_box(scan_unhashed(&name, name.as_bytes(), data));
        findings += scan.findings.len();
        if scan.kind == FileKind::Php {
            php += data.len();
        }
    }
    (findings, php)
}

fn main() {
    let once: Option<usize> = std::env::args().find_map(|a| {
        let rest = a.strip_prefix("--once")?;
        Some(
            rest.strip_prefix('=')
                .map_or(1, |n| n.parse().expect("--once=N")),
        )
    });
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let roots: Vec<String> = if args.is_empty() {
        code_bases::CODE_BASES
            .iter()
            .map(|s| s.to_string())
            .collect()
    } else {
        args
    };
    let files = files(&roots);
    if let Some(every) = once {
        let read: Vec<(PathBuf, Vec<u8>)> = files
            .iter()
            .step_by(every.max(1))
            .filter_map(|p| Some((p.clone(), std::fs::read(p).ok()?)))
            .collect();
        // The one-time set-up (rules, literal scanners) before the measured part.
        std::hint::black_box(scan_unhashed(
            "warm.php",
            b"warm.php",
            b"<?php eval($_GET[1]);",
        ));
        let bytes: usize = read.iter().map(|(_, d)| d.len()).sum();
        let (findings, php) = scan_once(&read);
        println!(
            "{} files, {bytes} bytes ({php} in PHP files), {findings} findings",
            read.len()
        );
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let read_only = |_: &Path, d: &[u8]| {
        std::hint::black_box(d.len());
    };
    let scan = |p: &Path, d: &[u8]| {
        let name = p.to_string_lossy();
        std::hint::black_box(scan_contents(&name, name.as_bytes(), d));
    };
    let scan_lazy = |p: &Path, d: &[u8]| {
        let name = p.to_string_lossy();
        std::hint::black_box(scan_unhashed(&name, name.as_bytes(), d));
    };
    run(&files, cores, &read_only); // warm the page cache
    let php: Vec<PathBuf> = files.iter().filter(|p| is_php(p)).cloned().collect();
    for (set, files) in [("every file", &files), ("PHP files", &php)] {
        println!("{set}: {} files under {}", files.len(), roots.join(", "));
        for threads in [1, cores] {
            let (t_read, c_read, bytes) = run(files, threads, &read_only);
            let mb = bytes as f64 / 1e6;
            println!(
                "{threads} thread(s): read {:>8.1} MB/s, {:>7.1} MB per CPU second ({mb:.1} MB)",
                mb / t_read,
                mb / c_read
            );
            for (what, work) in [
                ("every file hashed", &scan as &(dyn Fn(&Path, &[u8]) + Sync)),
                ("hashed for findings", &scan_lazy),
            ] {
                let (t_scan, c_scan, _) = run(files, threads, work);
                println!(
                    "  scan, {what:>19}: {:>7.1} MB/s, {:>8.0} files/s, {:>5.1} MB/s per core, {:>4.0} % of the read floor | {:>6.1} MB per CPU second, {:>4.0} % of the read's",
                    mb / t_scan,
                    files.len() as f64 / t_scan,
                    mb / t_scan / threads as f64,
                    100.0 * t_read / t_scan,
                    mb / c_scan,
                    100.0 * c_read / c_scan
                );
            }
        }
    }
}

/// Whether the scanner takes the file at `path` for PHP (by its name and
/// first bytes, as a scan does).
fn is_php(path: &Path) -> bool {
    use std::io::Read;
    let mut head = Vec::with_capacity(512);
    let read = std::fs::File::open(path).and_then(|f| f.take(512).read_to_end(&mut head));
    read.is_ok() && classify(path.to_string_lossy().as_bytes(), &head) == FileKind::Php
}
