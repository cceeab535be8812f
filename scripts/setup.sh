#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian 12 (run as
# root). Idempotent: packages already present are not fetched again.
set -euo pipefail

packages=(
    php8.2-cli php8.2-dev clang libclang-dev   # building the extension (bindgen reads PHP's headers)
    phpunit                                    # PHP-side tests
    php8.2-cgi                                 # a SAPI that reads .user.ini (the firewall's auto_prepend_file mode)
    ca-certificates git
    # Real PHP code bases for the antivirus's false-positive test.
    wordpress phpmyadmin roundcube-core dokuwiki mediawiki php-laravel-framework
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust 1.88 or newer (ext-php-rs needs it). Debian 12's own cargo is too old,
# so the toolchain comes from rustup where it is missing.
if ! command -v cargo >/dev/null 2>&1 && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then
        rustup toolchain install stable --profile minimal --component rustfmt,clippy
    else
        echo "setup: no Rust toolchain; install Rust 1.88+ with rustup (https://rustup.rs) first" >&2
        exit 1
    fi
fi
rust_minor=$(rustc --version | sed -E 's/^rustc 1\.([0-9]+).*/\1/')
if [ "$rust_minor" -lt 88 ]; then
    echo "setup: Rust 1.88 or newer is needed, found $(rustc --version)" >&2
    exit 1
fi
for component in rustfmt clippy; do
    if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1 && command -v rustup >/dev/null 2>&1; then
        rustup component add "$component"
    fi
done
