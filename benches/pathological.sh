#!/usr/bin/env bash
# Pathological inputs at the sizes issue #6 names, each at half and full size, so that the
# growth of time with size shows: a 200 MB single line, 100,000 nested tags, a million tiny
# paragraphs, a block repeated a million times, one word of a million curly quotes. One thread,
# output to /dev/null.
#
# usage: benches/pathological.sh [WORK_DIR]   (needs a release build; writes ~400 MB to WORK_DIR)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
deboil=$here/target/release/deboil
work=${1:-$(mktemp -d)}
mkdir -p "$work"

python3 - "$work" <<'PY'
import sys, os
work = sys.argv[1]
def write(name, text):
    with open(os.path.join(work, name), "w") as f:
        f.write(text)
for scale, tag in ((0.5, "half"), (1.0, "full")):
    write(f"one-line-{tag}.txt", "word " * int(40_000_000 * scale))
    n = int(100_000 * scale)
    write(f"nested-{tag}.html", "<div>" * n + "deep text" + "</div>" * n)
    write(f"tiny-paragraphs-{tag}.txt", "a.\n\n" * int(1_000_000 * scale))
    write(f"repeated-block-{tag}.txt", "Subscribe to our newsletter today.\n" * int(1_000_000 * scale))
    write(f"curly-quotes-{tag}.txt", "\u2019" * int(1_000_000 * scale))
PY

printf '%-18s %10s %10s %9s %9s %8s %12s\n' input "MB (half)" "MB (full)" "s (half)" "s (full)" "ratio" "peak RSS MB"
for case in one-line.txt nested.html tiny-paragraphs.txt repeated-block.txt curly-quotes.txt; do
    stem=${case%.*}; ext=${case##*.}
    declare -A secs mb
    for tag in half full; do
        file="$work/$stem-$tag.$ext"
        mb[$tag]=$(python3 -c "print(round($(stat -c %s "$file") / 1e6, 1))")
        start=$(date +%s.%N)
        /usr/bin/time -f "%M" -o "$work/rss" \
            "$deboil" clean -q -j1 --max-doc-bytes 1000000000 "$file" > /dev/null
        end=$(date +%s.%N)
        rss_kb=$(cat "$work/rss")
        secs[$tag]=$(python3 -c "print(round($end - $start, 3))")
        rss=$((rss_kb / 1024))
    done
    ratio=$(python3 -c "print(round(${secs[full]} / max(${secs[half]}, 1e-9), 2))")
    printf '%-18s %10s %10s %9s %9s %8s %12s\n' "$stem" "${mb[half]}" "${mb[full]}" "${secs[half]}" "${secs[full]}" "$ratio" "$rss"
done
echo "(ratio: time at full size over time at half size, 2 is linear; peak RSS at full size)"
