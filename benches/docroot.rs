//! `cargo bench --bench docroot`: the cost of root detection in the core,
//! without PHP, on a typical 2 KB front controller and on a 200 KB file, and
//! of the PHP lexer alone on the 200 KB file.
//! (benches/detect_root.php measures the same call from PHP.)

use std::hint::black_box;
use std::time::{Duration, Instant};
use webtotem::docroot::detect_root;

/// A typical ~2 KB Laravel-style public/index.php (comments, a maintenance
/// check, the autoloader near the end).
fn typical_index() -> Vec<u8> {
    let mut s = String::from(
        "<?php\n\nuse Illuminate\\Contracts\\Http\\Kernel;\nuse Illuminate\\Http\\Request;\n\n",
    );
    s.push_str("define('LARAVEL_START', microtime(true));\n\n");
    while s.len() < 1700 {
        s.push_str("/*\n| Check If The Application Is Under Maintenance: if the application is in\n| maintenance mode we load the pre-rendered content so that the framework\n| does not need to boot while it is updating.\n*/\n\n");
    }
    s.push_str("if (file_exists($maintenance = __DIR__.'/../storage/framework/maintenance.php')) {\n    require $maintenance;\n}\n\n");
    s.push_str("require __DIR__.'/../vendor/autoload.php';\n\n$app = require_once __DIR__.'/../bootstrap/app.php';\n\n");
    s.push_str("$kernel = $app->make(Kernel::class);\n$response = $kernel->handle($request = Request::capture())->send();\n$kernel->terminate($request, $response);\n");
    s.into_bytes()
}

fn bench(name: &str, input: &[u8], f: impl Fn(&[u8])) {
    let run = |n: u32| {
        let start = Instant::now();
        for _ in 0..n {
            f(black_box(input));
        }
        start.elapsed()
    };
    // Calibrate to ~0.3 s per sample, then take the median of 7 samples.
    let mut n = 1u32;
    while run(n) < Duration::from_millis(30) {
        n *= 2;
    }
    n *= 10;
    let mut samples: Vec<f64> = (0..7)
        .map(|_| run(n).as_secs_f64() * 1e9 / f64::from(n))
        .collect();
    samples.sort_by(f64::total_cmp);
    let median = samples[3];
    let mb_s = input.len() as f64 / median * 1e9 / 1e6;
    println!(
        "{name:<28} {:>7} bytes  {:>10.0} ns/call  {:>8.1} MB/s",
        input.len(),
        median,
        mb_s
    );
}

fn detect(input: &[u8]) {
    black_box(
        detect_root(
            black_box("/var/www/vhosts/example.com/httpdocs"),
            Some(input),
        )
        .unwrap(),
    );
}

fn lex(input: &[u8]) {
    black_box(webtotem::lexer::tokenize(input).count());
}

fn main() {
    let typical = typical_index();
    bench("detect_root typical index", &typical, detect);
    let mut big = b"<?php\n".to_vec();
    while big.len() < 200_000 {
        big.extend_from_slice(b"$x = ['a' => \"b{$c}\", 'd' => 1.5e3]; // note\n");
    }
    big.extend_from_slice(b"require 'vendor/autoload.php';\n");
    bench("detect_root 200 KB file", &big, detect);
    bench("tokenize 200 KB file", &big, lex);
}
