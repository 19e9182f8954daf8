#!/usr/bin/env bash
# Rebuilds coinone_sample.jsonl (see README.md here). Usage: make_sample.sh [path/to/mde]
set -euo pipefail
cd "$(dirname "$0")/../../.."
MDE=${1:-build/release/tools/mde}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Protocol examples, minus what the generated stream already has or what would read oddly in
# the middle of a session: CONNECTED and UNSUBSCRIBED, the CHART channel (not decoded), and the
# MYORDER examples (seed 001's own lifecycle is spliced instead, below).
grep -v -e '"CONNECTED"' -e '"UNSUBSCRIBED"' -e '"CHART"' -e '"MYORDER"' \
  tests/data/coinone_protocol_frames.jsonl > "$tmp/protocol.jsonl"
# Seed 001's MYORDER lifecycle in DEFAULT format: ack, wait, watch, done, trade_done (same
# trade id), cancel, cancel_post_only.
head -n 7 tests/data/coinone_seed_myorder.jsonl > "$tmp/seed001.jsonl"
"$MDE" gen --kind mixed --frames 1000 --seed 2025 \
  --splice "$tmp/protocol.jsonl" --splice "$tmp/seed001.jsonl" \
  -o tests/data/samples/coinone_sample.jsonl
