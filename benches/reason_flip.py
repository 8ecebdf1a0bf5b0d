#!/usr/bin/env python3
"""What each reason costs or earns: the mean F1 gained if every block of one reason flipped its
verdict (kept blocks removed, removed blocks kept), one reason at a time.

usage: reason_flip.py DATASET_DIR [--census CENSUS_FILE BY_SITE_DIR] [--deboil PATH]

DATASET_DIR is laid out as the shared datasets are (text/<id>.txt, gold/<id>.txt). Every page is
cleaned with `deboil clean --explain` (without census, or with CENSUS_FILE over the pages laid out
as BY_SITE_DIR/<site>/<id>.txt, so that each page's site is its folder), and scored as the
reference scorer does (NFKC, lower case, \\w+ tokens, bag overlap, mean over pages with gold).
A reason with a positive gain removes (or keeps) more gold than it should on this dataset; the
pages listed gain most. Only the first line of a multi-line block is read from the explain view,
so figures for wrapped paragraphs are approximate.
"""
import collections, os, re, subprocess, sys, unicodedata

TOKEN = re.compile(r"\w+")
LINE = re.compile(r"^([+-]) (\S+)\s+(.*)$")


def tokens(text):
    return collections.Counter(TOKEN.findall(unicodedata.normalize("NFKC", text).lower()))


def f1(gold, pred):
    overlap = sum((gold & pred).values())
    n_gold, n_pred = sum(gold.values()), sum(pred.values())
    precision = overlap / n_pred if n_pred else 0.0
    recall = overlap / n_gold
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def option(argv, name, count=1):
    if name not in argv:
        return None
    at = argv.index(name)
    return argv[at + 1 : at + 1 + count]


def main(argv):
    dataset = argv[0].rstrip("/")
    deboil = (option(argv, "--deboil") or ["target/release/deboil"])[0]
    census = option(argv, "--census", 2)
    if census:
        census_file, by_site = census
        pages = sorted(os.path.join(r, f) for r, _, fs in os.walk(by_site) for f in fs)
        mode = ["--census", census_file]
    else:
        pages = [os.path.join(dataset, "text", f) for f in sorted(os.listdir(f"{dataset}/text"))]
        mode = ["--no-census"]
    base, scored = 0.0, 0
    gain = collections.Counter()
    by_page = collections.defaultdict(list)
    for path in pages:
        page = os.path.basename(path)[: -len(".txt")]
        gold = tokens(open(f"{dataset}/gold/{page}.txt", encoding="utf-8", errors="replace").read())
        if not gold:
            continue
        explain = subprocess.run(
            [deboil, "clean", "--explain", "--color", "never", *mode, path],
            capture_output=True, text=True,
        ).stdout
        blocks = collections.defaultdict(collections.Counter)
        kept = collections.Counter()
        for line in explain.split("\n"):
            m = LINE.match(line)
            if m:
                keeps, reason, text = m.group(1) == "+", m.group(2), tokens(m.group(3))
                blocks[(keeps, reason)] += text
                if keeps:
                    kept += text
        score = f1(gold, kept)
        base, scored = base + score, scored + 1
        for (keeps, reason), text in blocks.items():
            delta = f1(gold, kept - text if keeps else kept + text) - score
            gain[(keeps, reason)] += delta
            by_page[(keeps, reason)].append((delta, page))
    print(f"{dataset}: F1 {base / scored:.4f} over {scored} pages")
    for (keeps, reason), total in sorted(gain.items(), key=lambda x: -x[1]):
        best = sorted(by_page[(keeps, reason)], reverse=True)[:6]
        pages_gaining = " ".join(f"{p}({d:+.2f})" for d, p in best)
        verdict = "kept   " if keeps else "removed"
        print(f"{verdict} {reason:22} flip gain {total / scored:+.4f}  best: {pages_gaining}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
