#!/usr/bin/env bash
# HTML cleaning speed, side by side in one run: deboil against dom_smoothie and trafilatura,
# one core each (taskset), on the same folder of pages.
#
# usage: benches/html_vs_peers.sh HTML_DIR [CORE]
# Needs the peers installed (../shared/peers/setup.sh) and a release build (cargo build --release).
# Peer figures are extraction only (as ../shared/peers/run.sh prints them); deboil's include
# process start and reading every file (the cleaned text goes to /dev/null), so the ratio is
# conservative.
set -euo pipefail
dir=${1:?usage: html_vs_peers.sh HTML_DIR [CORE]}
core=${2:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$here/../shared/peers}
deboil=$here/target/release/deboil
bytes=$(cat "$dir"/*.html | wc -c)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

start=$(date +%s.%N)
taskset -c "$core" "$deboil" clean -q -j1 --no-census --format html "$dir" > /dev/null
end=$(date +%s.%N)
deboil_mbs=$(python3 -c "print(round($bytes / 1e6 / ($end - $start), 1))")
echo "deboil        MB/s=$deboil_mbs (one core, process start and file reading included)"

for tool in dom_smoothie trafilatura; do
    mbs=$(taskset -c "$core" "$peers/run.sh" "$tool" "$dir" "$work/$tool" 2>/dev/null | sed -n 's/^MB_per_s=//p')
    ratio=$(python3 -c "print(round($deboil_mbs / $mbs, 2))")
    echo "$tool MB/s=$mbs  deboil/$tool=$ratio"
done
