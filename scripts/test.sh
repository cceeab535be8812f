#!/usr/bin/env bash
# Runs every test: formatting, lints, Rust unit and integration tests, the
# release build, the stub check and PHPUnit against the built extension.
# Needs nothing installed beforehand (scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy -- -D warnings"
cargo clippy --all-targets --features test-probes -- -D warnings

step "cargo test"
# The false-positive test must find the real code bases setup.sh installed.
WEBTOTEM_REAL_CODE=1 cargo test --release

step "release build with test probes (target/probes/libwebtotem.so)"
cargo build --release --features test-probes
mkdir -p target/probes
cp target/release/libwebtotem.so target/probes/libwebtotem.so

step "release build"
cargo build --release
so="$PWD/target/release/libwebtotem.so"
php -n -d extension="$so" -m | grep -qx webtotem

step "stub check"
scripts/check-stubs.sh "$so"

step "PHPUnit"
php -d extension="$so" /usr/bin/phpunit -c tests/php/phpunit.xml
