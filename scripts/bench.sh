#!/usr/bin/env bash
# Runs the benchmarks whose figures the README reports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release --quiet
echo "==> cargo bench --bench docroot (core, no PHP)"
cargo bench --quiet --bench docroot
echo "==> cargo bench --bench waf_corpora (firewall: CRS and CSIC corpora, inspection speed)"
cargo bench --quiet --bench waf_corpora
echo "==> benches/detect_root.php (from PHP)"
php -d extension="$PWD/target/release/libwebtotem.so" benches/detect_root.php
echo "==> benches/api_roundtrip.php (PHP -> WebTotem API emulator on 127.0.0.1)"
php -d extension="$PWD/target/release/libwebtotem.so" benches/api_roundtrip.php
echo "==> benches/firewall_agent.php (the firewall agent under php -S with opcache: PCRE and native paths)"
php -d extension="$PWD/target/release/libwebtotem.so" benches/firewall_agent.php
echo "==> benches/firewall_inspect_cold.php (an inspection with cold caches against a warm one, one CPU)"
taskset -c 0 php -d extension="$PWD/target/release/libwebtotem.so" -d opcache.enable_cli=1 benches/firewall_inspect_cold.php
echo "==> benches/firewall_agent_instructions.php (the same, in CPU instructions under callgrind: steady on a busy machine)"
command -v valgrind >/dev/null 2>&1 || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind >/dev/null; }
php -d extension="$PWD/target/release/libwebtotem.so" benches/firewall_agent_instructions.php
