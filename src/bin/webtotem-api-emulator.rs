//! `webtotem-api-emulator`: a test double of the WebTotem G1 API on a
//! loopback address, for tests, benchmarks and demos. See the README.

use clap::Parser;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use webtotem::api::emulator::EmulatorConfig;
use webtotem::api::server::{ServeOptions, serve};

/// Serves the WebTotem G1 GraphQL API's operations (a test double, not the
/// real service) at /v1/graphql on a loopback address. Prints
/// `listening on URL` when ready.
#[derive(Parser, Debug)]
#[command(name = "webtotem-api-emulator", version)]
struct Args {
    /// Loopback address to listen on; port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// Serve HTTPS with a certificate signed by a CA generated at start.
    #[arg(long)]
    tls: bool,
    /// Write the generated CA certificate (PEM) here, for clients to trust.
    #[arg(long, value_name = "PATH", requires = "tls")]
    cert_out: Option<PathBuf>,
    /// API key of a confirmed account that exists from the start (repeatable).
    #[arg(long = "api-key", value_name = "KEY")]
    api_keys: Vec<String>,
    /// Add this many hosts (site-N.example) to the first account at start.
    #[arg(long, default_value_t = 0)]
    seed_hosts: usize,
    /// How many hosts an account may have.
    #[arg(long, default_value_t = 50)]
    hosts_limit: usize,
    /// How long the `slow` fault delays a response, in milliseconds.
    #[arg(long, default_value_t = 3000)]
    slow_ms: u64,
    /// Stop by itself after this many seconds (0: run until killed).
    #[arg(long, default_value_t = 0)]
    max_lifetime_secs: u64,
}

fn main() {
    let args = Args::parse();
    let opts = ServeOptions {
        listen: args.listen,
        tls: args.tls,
        cert_out: args.cert_out,
        max_lifetime: (args.max_lifetime_secs > 0)
            .then(|| Duration::from_secs(args.max_lifetime_secs)),
        emulator: EmulatorConfig {
            hosts_limit: args.hosts_limit,
            slow: Duration::from_millis(args.slow_ms),
            api_keys: args.api_keys,
            seed_hosts: args.seed_hosts,
        },
    };
    let result = serve(opts, |url| {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {url}");
        let _ = out.flush();
    });
    if let Err(e) = result {
        eprintln!("webtotem-api-emulator: {e}");
        std::process::exit(2);
    }
}
