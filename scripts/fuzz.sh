#!/usr/bin/env bash
# Runs every cargo-fuzz target under fuzz/ for SECONDS each (default 60) and
# fails if any of them finds a crash, a timeout or an out-of-memory input.
#
#   scripts/fuzz.sh [SECONDS]
#
# Environment: FUZZ_SANITIZER (address|none, default address),
# FUZZ_TIMEOUT (seconds one input may take, default 30),
# FUZZ_TARGETS (space-separated subset, default all).
# Crashing inputs are saved under fuzz/artifacts/<target>/; inputs that
# reach new code go to fuzz/target/corpus/<target>/ (fuzz/corpus/ holds the
# small committed seeds, among them the inputs of fixed bugs, and is only
# read; tests/corpus and tests/fixtures seed the source-reading targets). fuzz/php.dict gives the mutator
# PHP syntax and the function names the analysis knows.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

duration="${1:-60}"
sanitizer="${FUZZ_SANITIZER:-address}"
timeout="${FUZZ_TIMEOUT:-30}"

# cargo-fuzz itself is an ordinary crates.io binary.
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# cargo-fuzz passes -Z flags (sanitizers, coverage); allow them on stable.
export RUSTC_BOOTSTRAP=1

# -a: debug assertions and overflow checks, so arithmetic bugs panic too.
flags=(--fuzz-dir fuzz --sanitizer "$sanitizer" --debug-assertions)

targets="${FUZZ_TARGETS:-$(cargo fuzz list --fuzz-dir fuzz)}"
cargo fuzz build "${flags[@]}"

# The project's own test files seed the source-reading targets (copied flat,
# since libFuzzer does not descend into folders), so they are not kept twice.
seeds=fuzz/target/seeds
rm -rf "$seeds"
mkdir -p "$seeds"
find tests/corpus tests/fixtures -type f ! -name README.md -print0 |
    while IFS= read -r -d '' f; do cp "$f" "$seeds/$(printf '%s' "$f" | tr '/' '_')"; done

failed=()
for t in $targets; do
    printf '\n==> fuzzing %s for %ss\n' "$t" "$duration"
    work="fuzz/target/corpus/$t"
    mkdir -p "$work" "fuzz/corpus/$t"
    extra=()
    case "$t" in lexer | php_analysis | scan_file | docroot) extra=("$seeds") ;; esac
    # The first corpus directory receives new inputs; the seeds stay as they are.
    if ! cargo fuzz run "${flags[@]}" "$t" "$work" "fuzz/corpus/$t" "${extra[@]}" -- \
        -max_total_time="$duration" -rss_limit_mb=2048 -timeout="$timeout" \
        -dict=fuzz/php.dict -print_final_stats=1; then
        failed+=("$t")
    fi
done

if ((${#failed[@]})); then
    printf '\nFAILED: %s (inputs in fuzz/artifacts/)\n' "${failed[*]}" >&2
    exit 1
fi
printf '\nall fuzz targets ran %ss without a crash\n' "$duration"
