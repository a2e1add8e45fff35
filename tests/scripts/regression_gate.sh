#!/usr/bin/env bash
# Proof that the regression gate works, in both modes, on a real binary:
#   - instruction counts: the same build twice is "same" (exit 0); --inject-work is "slower" (exit 1)
#   - wall time: --inject-work is a confirmed regression (exit 1)
# Usage: regression_gate.sh BUILD_DIR
set -uo pipefail
build=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
sg="$build/cli/streamgauge"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

printf 's0_pure_select direct 5000 1000\n' > "$tmp/cells.txt"
BUILD_DIR=$build "$root/scripts/instructions" --cells "$tmp/cells.txt" --out "$tmp/a.json" >/dev/null || fail "instructions run a"
BUILD_DIR=$build "$root/scripts/instructions" --cells "$tmp/cells.txt" --out "$tmp/b.json" >/dev/null || fail "instructions run b"
BUILD_DIR=$build "$root/scripts/instructions" --cells "$tmp/cells.txt" --out "$tmp/slow.json" -- --inject-work 20 >/dev/null || fail "instructions run slow"
"$sg" compare "$tmp/a.json" "$tmp/b.json" > "$tmp/same.txt" || { cat "$tmp/same.txt"; fail "unchanged build not reported as same"; }
grep -q " same$" "$tmp/same.txt" || { cat "$tmp/same.txt"; fail "no 'same' verdict"; }
"$sg" compare "$tmp/a.json" "$tmp/slow.json" > "$tmp/slow.txt" 2>&1 && { cat "$tmp/slow.txt"; fail "injected slowdown not reported (instructions)"; }
grep -q "slower" "$tmp/slow.txt" || { cat "$tmp/slow.txt"; fail "no 'slower' verdict (instructions)"; }

run() { "$sg" run --scenario s0_pure_select --strategy direct --no-baseline --records 200000 --repetitions 7 \
          --warmup 1 --quiet --scenarios "$root/scenarios" --out "$1" "${@:2}" >/dev/null; }
run "$tmp/w0.json" || fail "wall-time run"
run "$tmp/w1.json" --inject-work 100 || fail "wall-time run with injected work"
"$sg" compare "$tmp/w0.json" "$tmp/w1.json" > "$tmp/wall.txt" 2>&1 && { cat "$tmp/wall.txt"; fail "injected slowdown not reported (wall time)"; }
grep -q "slower" "$tmp/wall.txt" || { cat "$tmp/wall.txt"; fail "no 'slower' verdict (wall time)"; }
echo "regression gate: same build = same, injected work = slower in both modes"
