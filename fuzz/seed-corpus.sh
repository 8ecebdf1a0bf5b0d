#!/usr/bin/env bash
# Builds fuzz/corpus/TARGET seed folders from the fixtures, plus (when given) a folder of
# shared benchmark pages: fuzz/seed-corpus.sh [DATA_DIR]
# Example: fuzz/seed-corpus.sh ../shared-unpacked/scrapinghub
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:-}
corpus=fuzz/corpus
mkdir -p "$corpus"/{clean_text,decode_bytes,clean_html,jsonl_records,warc_records,census_file}

cp fixtures/seed/*.txt fixtures/regressions/*.txt fixtures/scrapinghub/text/*.txt "$corpus/clean_text/"
cp fixtures/seed/*.txt fixtures/regressions/*.txt fixtures/formats/bad-line.jsonl "$corpus/decode_bytes/"
cp fixtures/scrapinghub/html/* "$corpus/clean_html/"
# One JSON line per seed file: the target takes a single line.
i=0
cat fixtures/formats/records.jsonl fixtures/formats/bad-line.jsonl | while IFS= read -r line; do
    i=$((i + 1)); printf '%s' "$line" >"$corpus/jsonl_records/line-$i"
done
cp fixtures/formats/sample.warc fixtures/formats/*.warc.wet "$corpus/warc_records/"
# Census files: one of each fixture site, and one of both merged.
cargo run --release --quiet -- census -o "$corpus/census_file/harbour.census" fixtures/census/harbour-news
cargo run --release --quiet -- census -o "$corpus/census_file/both.census" fixtures/census

if [ -n "$data" ]; then
    # Small pages fuzz faster: the 50 smallest text and html pages of the data folder.
    ls -S "$data"/text/* | tail -50 | xargs -I{} cp {} "$corpus/clean_text/"
    ls -S "$data"/html/* | tail -50 | xargs -I{} cp {} "$corpus/clean_html/"
fi
echo "seed corpus in $corpus: $(find "$corpus" -type f | wc -l) files"
