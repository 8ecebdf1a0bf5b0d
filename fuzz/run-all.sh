#!/usr/bin/env bash
# fuzz/run-all.sh [SECONDS] ["TARGET ..."]: runs every fuzz target (or those named) in turn for
# SECONDS each (default 600) on one core, from the seed
# corpus (fuzz/seed-corpus.sh builds it). A run longer than 10 s on one input counts as a hang.
# Logs go to fuzz/logs/TARGET.log; a crash leaves its input in fuzz/artifacts/TARGET/.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
# Targets to run (default: all).
targets=${2:-clean_text decode_bytes clean_html jsonl_records warc_records census_file}
mkdir -p fuzz/logs
status=0
for target in $targets; do
    mkdir -p "fuzz/corpus/$target"
    if cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 >"fuzz/logs/$target.log" 2>&1; then
        echo "$target: $(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "fuzz/logs/$target.log")"
    else
        echo "$target: FAILED, see fuzz/logs/$target.log"; status=1
    fi
done
exit $status
