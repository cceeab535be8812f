#!/usr/bin/env bash
# Fails when php-stubs/webtotem.stubs.php and the built extension disagree
# on any function, parameter, type, default or attribute, class, parent,
# public property, method or constant.
set -euo pipefail
cd "$(dirname "$0")/.."
so="${1:-$PWD/target/release/libwebtotem.so}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
php -l php-stubs/webtotem.stubs.php >/dev/null
php -n -d extension="$so" scripts/describe-api.php ext >"$tmp/ext.json"
php -n scripts/describe-api.php stubs php-stubs/webtotem.stubs.php >"$tmp/stubs.json"
if ! diff -u "$tmp/stubs.json" "$tmp/ext.json"; then
    echo "php-stubs/webtotem.stubs.php does not match the built extension (diff above: - stubs, + extension)" >&2
    exit 1
fi
echo "stubs match the extension: $(grep -c '"params"' "$tmp/ext.json") functions and methods"
