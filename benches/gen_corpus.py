#!/usr/bin/env python3
"""Builds a plain-text corpus of a given size for throughput and memory runs.

usage: gen_corpus.py PAGES_DIR OUT_DIR MEGABYTES [--sites N]

Real pages (every *.txt below PAGES_DIR, e.g. the text/ folders of the shared datasets) are
spread over N synthetic sites laid out as OUT_DIR/site-K/page-M.txt; each site wraps its pages in
its own template (a menu, a subscription box, a footer), as real sites do, so the census has
something to find. Deterministic: the same arguments give the same corpus. Keep OUT_DIR out of
git (benches/generated/ is ignored).
"""
import os, random, sys

def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    pages_dir, out_dir, megabytes = args[0], args[1], float(args[2])
    sites = int(argv[argv.index("--sites") + 1]) if "--sites" in argv else 200
    rng = random.Random(42)
    pages = []
    for root, _, files in sorted(os.walk(pages_dir)):
        if os.path.basename(root) == "gold":
            continue
        for name in sorted(files):
            if name.endswith(".txt"):
                with open(os.path.join(root, name), encoding="utf-8", errors="replace") as f:
                    pages.append(f.read())
    words = "news sport world business culture opinion science travel video weather".split()
    templates = []
    for k in range(sites):
        menu = [w.capitalize() for w in rng.sample(words, 6)]
        box = f"Sign up for the Site {k} daily briefing and get our best stories every morning."
        footer = f"Copyright {2000 + k % 24} Site {k} Media Group. All rights reserved."
        templates.append((menu, box, footer))
    target = int(megabytes * 1e6)
    written = 0
    count = 0
    while written < target:
        page = pages[count % len(pages)]
        site = count % sites
        menu, box, footer = templates[site]
        text = "\n".join(menu) + "\n\n" + page + "\n\n" + box + "\n" + footer + "\n"
        folder = os.path.join(out_dir, f"site-{site:04}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"page-{count:07}.txt"), "w", encoding="utf-8") as f:
            f.write(text)
        written += len(text.encode("utf-8"))
        count += 1
    print(f"{count} pages, {written / 1e6:.1f} MB, {sites} sites in {out_dir}")

if __name__ == "__main__":
    main(sys.argv[1:])
