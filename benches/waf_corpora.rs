//! `cargo bench --bench waf_corpora`: the firewall against the third-party
//! corpora (see `tests/common/waf_corpora.rs`), at the default options:
//!
//! - per CRS regression folder: the attack requests and how many are blocked
//!   (also at paranoia level 4, for comparison);
//! - the share of CSIC 2010 normal requests blocked (false positives);
//! - inspection throughput on one core: mean µs per request over the CSIC
//!   requests, and over a typical 1 KB request (query string and headers),
//!   in CPU time of the benchmark's thread.
//!
//! `WEBTOTEM_WAF_LIST=missed:942` lists the missed attacks of folder 942
//! (`missed` alone: every folder), `WEBTOTEM_WAF_LIST=fp` the blocked CSIC
//! requests, with the rules that matched: for tuning the rules.

#[path = "common/thread_cpu.rs"]
mod thread_cpu;
#[path = "../tests/common/waf_corpora.rs"]
mod waf_corpora;

use std::hint::black_box;
use std::time::Duration;
use thread_cpu::thread_cpu;
use waf_corpora::{CRS_CLASSES, load_third_party};
use webtotem::firewall::{Options, Request, inspect};

/// A typical request of about 1 KB: a product page with tracking
/// parameters, a browser's headers, session and consent cookies, a referer.
fn typical_request() -> Request {
    let headers: &[(&str, &str)] = &[
        ("host", "shop.example.com"),
        (
            "user-agent",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
             Chrome/124.0.0.0 Safari/537.36",
        ),
        (
            "accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,\
             image/apng,*/*;q=0.8",
        ),
        ("accept-language", "en-GB,en;q=0.9,de;q=0.8"),
        ("accept-encoding", "gzip, deflate, br"),
        (
            "referer",
            "https://shop.example.com/category/garden-furniture/?orderby=price&paged=2",
        ),
        (
            "cookie",
            "wordpress_logged_in_3f2a=jane%7C1767225600%7Cq8ZkWvT0aBcD%7C5e1f; \
             woocommerce_cart_hash=9b2c4f1e8a7d6c5b; wp_woocommerce_session_3f2a=4471%7C%7C1767225600; \
             cookielawinfo-checkbox-analytics=yes; _ga=GA1.2.1234567890.1700000000",
        ),
        ("upgrade-insecure-requests", "1"),
        ("sec-fetch-dest", "document"),
        ("sec-fetch-mode", "navigate"),
    ];
    Request {
        method: b"GET".to_vec(),
        uri: b"/product/teak-garden-bench-150cm/?attribute_pa_colour=natural&quantity=2\
               &utm_source=newsletter&utm_medium=email&utm_campaign=spring-sale-2026\
               &utm_content=hero-banner&ref=homepage"
            .to_vec(),
        headers: headers
            .iter()
            .map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec()))
            .collect(),
        ..Request::default()
    }
}

fn request_bytes(r: &Request) -> usize {
    r.method.len()
        + r.uri.len()
        + r.body.len()
        + r.headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 4)
            .sum::<usize>()
}

/// A request in one line: method, URI, body and the headers that are not
/// the CRS tests' usual ones.
fn describe(r: &Request) -> String {
    let usual: &[&[u8]] = &[b"host", b"accept", b"connection", b"content-length"];
    let headers: Vec<String> = r
        .headers
        .iter()
        .filter(|(n, v)| !usual.contains(&n.as_slice()) && v != b"OWASP CRS test agent")
        .map(|(n, v)| {
            format!(
                "{}: {}",
                String::from_utf8_lossy(n),
                String::from_utf8_lossy(v)
            )
        })
        .collect();
    format!(
        "{} {} | {} | {}",
        String::from_utf8_lossy(&r.method),
        String::from_utf8_lossy(&r.uri),
        headers.join(" ; "),
        String::from_utf8_lossy(&r.body)
    )
}

/// Mean CPU ns per call of `f` (which returns how many calls it made): the
/// median of 7 runs, each repeating `f` for about `run_for`.
fn time_ns(run_for: Duration, mut f: impl FnMut() -> usize) -> f64 {
    let mut run = |n: u32| {
        let start = thread_cpu();
        let mut calls = 0usize;
        for _ in 0..n {
            calls += f();
        }
        (thread_cpu() - start, calls)
    };
    let (once, _) = run(1);
    let n = (run_for.as_secs_f64() / once.as_secs_f64().max(1e-9)).ceil() as u32;
    let mut samples: Vec<f64> = (0..7)
        .map(|_| {
            let (t, calls) = run(n.max(1));
            t.as_secs_f64() * 1e9 / calls as f64
        })
        .collect();
    samples.sort_by(f64::total_cmp);
    samples[3]
}

fn main() {
    let Some((stages, normal)) = load_third_party() else {
        return;
    };
    let list = std::env::var("WEBTOTEM_WAF_LIST").unwrap_or_default();
    let speed_only = std::env::var("WEBTOTEM_WAF_BENCH").is_ok_and(|v| v == "speed");
    if !speed_only {
        quality(&stages, &normal, &list);
    }
    speed(&normal);
}

/// The blocked shares per CRS folder and of the CSIC normal requests.
fn quality(stages: &[waf_corpora::CrsStage], normal: &[Request], list: &str) {
    let default = Options::default();
    let paranoid = Options {
        paranoia: 4,
        ..Options::default()
    };
    println!("CRS regression tests, attack requests (expect_ids non-empty), default options");
    println!(
        "| folder | what | attack tests | blocked | % | blocked at paranoia 4 | % |\n|---|---|---|---|---|---|---|"
    );
    let (mut total, mut blocked_all, mut blocked_all_p4) = (0, 0, 0);
    for (class, what) in CRS_CLASSES {
        let attacks: Vec<_> = stages
            .iter()
            .filter(|s| s.attack && s.class == *class)
            .collect();
        if attacks.is_empty() {
            continue;
        }
        let mut blocked = 0;
        let mut blocked_p4 = 0;
        for stage in &attacks {
            let v = inspect(&stage.request, &default);
            if v.blocked {
                blocked += 1;
            } else if list == "missed" || list == format!("missed:{class}").as_str() {
                println!("  missed {}: {}", stage.id, describe(&stage.request));
            }
            if inspect(&stage.request, &paranoid).blocked {
                blocked_p4 += 1;
            }
        }
        let n = attacks.len();
        println!(
            "| {class} | {what} | {n} | {blocked} | {:.1} % | {blocked_p4} | {:.1} % |",
            100.0 * blocked as f64 / n as f64,
            100.0 * blocked_p4 as f64 / n as f64
        );
        total += n;
        blocked_all += blocked;
        blocked_all_p4 += blocked_p4;
    }
    println!(
        "| all | | {total} | {blocked_all} | {:.1} % | {blocked_all_p4} | {:.1} % |",
        100.0 * blocked_all as f64 / total as f64,
        100.0 * blocked_all_p4 as f64 / total as f64
    );

    let mut fp = 0;
    let mut fp_p2 = 0;
    for request in normal {
        let v = inspect(request, &default);
        if v.blocked {
            fp += 1;
            if list == "fp" {
                println!(
                    "  blocked {} {:?}: {:?}",
                    String::from_utf8_lossy(&request.method),
                    String::from_utf8_lossy(&request.uri),
                    v.matches
                );
            }
        }
        let p2 = Options {
            paranoia: 2,
            ..Options::default()
        };
        if inspect(request, &p2).blocked {
            fp_p2 += 1;
        }
    }
    println!(
        "\nCSIC 2010 normal traffic: {fp} of {} blocked ({:.2} %); at paranoia 2: {fp_p2} ({:.2} %)",
        normal.len(),
        100.0 * fp as f64 / normal.len() as f64,
        100.0 * fp_p2 as f64 / normal.len() as f64
    );
}

/// Inspection throughput on one core.
fn speed(normal: &[Request]) {
    let default = Options::default();
    let csic_ns = time_ns(Duration::from_millis(500), || {
        for request in normal {
            black_box(inspect(black_box(request), &default));
        }
        normal.len()
    });
    let csic_bytes: usize = normal.iter().map(request_bytes).sum();
    let typical = typical_request();
    let typical_ns = time_ns(Duration::from_millis(300), || {
        black_box(inspect(black_box(&typical), &default));
        1
    });
    println!("\nInspection on one core, default options:");
    println!(
        "| requests | mean size | µs/request | requests/s |\n|---|---|---|---|\n\
         | CSIC 2010 normal ({}) | {} B | {:.2} | {:.0} |\n\
         | typical (query + headers) | {} B | {:.2} | {:.0} |",
        normal.len(),
        csic_bytes / normal.len(),
        csic_ns / 1e3,
        1e9 / csic_ns,
        request_bytes(&typical),
        typical_ns / 1e3,
        1e9 / typical_ns
    );
}
