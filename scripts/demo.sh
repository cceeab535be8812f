#!/usr/bin/env bash
# The demo: builds the core, shows the extension's module info, and runs root
# detection, the antivirus, the firewall and the WebTotem API from PHP and
# from the CLI twin on sample sites it creates.
# Needs nothing installed beforehand (scripts/setup.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release --quiet
so="$PWD/target/release/libwebtotem.so"
demo="$PWD/target/demo"
rm -rf "$demo"
mkdir -p "$demo"

# Shows a JSON request, then what `webtotem call FUNCTION` answers to it.
# (Not `tee /dev/stderr`: with the output sent to a file, reopening
# /dev/stderr truncates that file.)
call() {
    printf '%s\n' "$2"
    printf '%s\n' "$2" | target/release/webtotem call "$1"
}

echo "==> php --ri webtotem"
php -d extension="$so" --ri webtotem

echo
echo "==> root detection from PHP on sample sites in $demo/vhosts"
php -d extension="$so" scripts/demo/sites.php "$demo"

echo
echo "==> the same through the CLI twin (webtotem call, JSON in and out)"
call webtotem_detect_root "$(printf '{"docroot": "%s/vhosts/laravel.example/httpdocs", "publicIndexPhp": %s}' "$demo" \
    "$(php -r 'echo json_encode(file_get_contents($argv[1]), JSON_UNESCAPED_SLASHES);' "$demo/vhosts/laravel.example/httpdocs/public/index.php")")"
call webtotem_detect_root '{"docroot": "../etc"}' || echo "(exit code $?)"

echo
echo "==> antivirus: native scan, file changes, quarantine and restore (PHP)"
php -d extension="$so" scripts/demo/antivirus.php "$demo"

echo
echo "==> the same site scanned by the CLI, as Plesk runs it with root rights"
target/release/webtotem scan "$demo/vhosts/shop.example/httpdocs" --min-severity high | tail -n 4 || echo "(exit code $?: findings)"

echo
echo "==> firewall: the agent hooked into a sample site's index.php, served by php -S"
php -d extension="$so" scripts/demo/firewall.php "$demo" "$so"

echo
echo "==> the firewall engine from PHP and through the CLI twin"
php -d extension="$so" -r '$v = webtotem_waf_inspect(["method" => "GET", "uri" => "/?id=1%27%20OR%20%271%27%3D%271", "query" => ["id" => "1'"'"' OR '"'"'1'"'"'='"'"'1"]]); echo json_encode(["blocked" => $v["blocked"], "score" => $v["score"], "class" => $v["class"], "rules" => $v["rules"]]), "\n";'
call webtotem_waf_inspect '{"request": {"method": "GET", "uri": "/?file=..%2F..%2F..%2Fetc%2Fpasswd"}}'

echo
echo "==> the WebTotem API from PHP, against the API emulator (a test double) on 127.0.0.1 over HTTPS"
php -d extension="$so" scripts/demo/api.php "$demo"

echo
echo "==> the check from the issue, run in $demo"
cp tests/fixtures/docroot/public-laravel-8.php "$demo/laravel-index.php"
cd "$demo"
cmd='var_dump(webtotem_detect_root("/var/www/vhosts/example.com/httpdocs", file_get_contents("laravel-index.php")));'
echo "php -d extension=$so -r '$cmd'"
php -d extension="$so" -r "$cmd"
