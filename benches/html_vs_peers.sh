#!/usr/bin/env bash
# HTML cleaning speed, side by side in one run: deboil against dom_smoothie and trafilatura,
# one core each (taskset), on the same folder of pages.
#
# usage: benches/html_vs_peers.sh HTML_DIR [CORE]
# Needs the peers installed (../shared/peers/setup.sh) and a release build (cargo build --release).
# Peer figures are extraction only (as ../shared/peers/run.sh prints them: set-up and file
# reading excluded). deboil's are the whole process (best of three runs, cleaned text to
# /dev/null), reported twice: as is (conservative), and without its start-up, measured as the
# best of three runs on a one-paragraph page (comparable to the peers' figures).
set -euo pipefail
dir=${1:?usage: html_vs_peers.sh HTML_DIR [CORE]}
core=${2:-1}
here=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS:-$here/../shared/peers}
deboil=$here/target/release/deboil
bytes=$(cat "$dir"/*.html | wc -c)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '<html><body><p>One short paragraph.</p></body></html>' > "$work/tiny.html"

# Best of three wall times (seconds) of deboil cleaning $1.
best_of_three() {
    local best=
    for _ in 1 2 3; do
        local start end
        start=$(date +%s.%N)
        taskset -c "$core" "$deboil" clean -q -j1 --no-census --format html "$1" > /dev/null
        end=$(date +%s.%N)
        best=$(python3 -c "print(min(x for x in [$end - $start, ${best:-1e9}]))")
    done
    echo "$best"
}
whole=$(best_of_three "$dir")
startup=$(best_of_three "$work/tiny.html")
deboil_mbs=$(python3 -c "print(round($bytes / 1e6 / ($whole - $startup), 1))")
deboil_whole_mbs=$(python3 -c "print(round($bytes / 1e6 / $whole, 1))")
echo "deboil        MB/s=$deboil_mbs without start-up ($(python3 -c "print(round($startup * 1000))") ms); $deboil_whole_mbs whole process"

for tool in dom_smoothie trafilatura; do
    mbs=$(taskset -c "$core" "$peers/run.sh" "$tool" "$dir" "$work/$tool" 2>/dev/null | sed -n 's/^MB_per_s=//p')
    ratio=$(python3 -c "print(round($deboil_mbs / $mbs, 2))")
    whole_ratio=$(python3 -c "print(round($deboil_whole_mbs / $mbs, 2))")
    echo "$tool MB/s=$mbs  deboil/$tool=$ratio (whole process: $whole_ratio)"
done
