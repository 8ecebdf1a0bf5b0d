#!/usr/bin/env python3
"""The scale figures of the census issue in one run: census plus cleaning of plain-text corpora
(made by gen_corpus.py) on one thread and on two, MB/s per core, the two-thread speed-up, how
time grows from the smaller corpus to the larger, and peak memory.

usage: scale.py [--rounds N] [--baseline BIN] [--corpus DIR]... [--cold] BIN

Each run is `BIN clean -q -jN CORPUS > /dev/null`; `-j1` is pinned to one core (`taskset -c 1`,
when there is one), `-j2` is not. Runs are interleaved: every round runs each binary at each
setting once, so that a binary and its baseline share the machine's slow and fast moments (this
matters on shared hosts, where one binary's time varies by a fifth from run to run). Reported are
the best and the median of the rounds; with `--baseline`, each figure's ratio to the baseline's.

The corpora default to benches/generated/100mb and benches/generated/1gb, those that exist.
By default the corpus is read from the page cache: the script reads every file once before
timing. With `--cold`, the page cache is dropped before every run (`sync; echo 3 >
/proc/sys/vm/drop_caches`, which needs root), so that the corpus is read from the disk, as a
corpus larger than memory is.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def corpus_bytes(folder):
    return sum(
        os.path.getsize(os.path.join(root, name))
        for root, _, names in os.walk(folder)
        for name in names
    )


def warm(folder):
    for root, _, names in os.walk(folder):
        for name in names:
            with open(os.path.join(root, name), "rb") as f:
                while f.read(1 << 20):
                    pass


def drop_page_cache():
    subprocess.run(["sync"], check=True)
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("3\n")


def run_once(binary, threads, corpus, cold):
    """Wall seconds, CPU seconds and peak RSS (KB) of one run."""
    if cold:
        drop_page_cache()
    pin = ["taskset", "-c", "1"] if threads == 1 and shutil.which("taskset") else []
    command = pin + ["/usr/bin/time", "-f", "%M", binary, "clean", "-q", f"-j{threads}", corpus]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{binary} failed on {corpus} (exit {done.returncode}): {done.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rss = int(done.stderr.strip().splitlines()[-1])
    return wall, cpu, rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--baseline", help="a binary to compare with, run in the same rounds")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", action="append", help="a corpus folder (repeatable)")
    parser.add_argument("--cold", action="store_true", help="drop the page cache before each run")
    args = parser.parse_args()
    corpora = args.corpus or [
        os.path.join(HERE, "generated", size)
        for size in ("100mb", "1gb")
        if os.path.isdir(os.path.join(HERE, "generated", size))
    ]
    if not corpora:
        sys.exit("no corpus: make one with `python3 benches/gen_corpus.py PAGES benches/generated/100mb 100`")
    if not shutil.which("/usr/bin/time"):
        sys.exit("needs /usr/bin/time (GNU time) for peak memory")
    binaries = [args.binary] + ([args.baseline] if args.baseline else [])
    runs = {}
    for corpus in corpora:
        if not args.cold:
            warm(corpus)
        for _ in range(args.rounds):
            for threads in (1, 2):
                for binary in binaries:
                    runs.setdefault((corpus, threads, binary), []).append(
                        run_once(binary, threads, corpus, args.cold)
                    )
    report(corpora, binaries, runs)


def report(corpora, binaries, runs):
    print("| corpus | MB | binary | threads | best s | median s | MB/s (best) | speed-up over -j1 (best, median) | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|")
    for corpus in corpora:
        megabytes = corpus_bytes(corpus) / 1e6
        for binary in binaries:
            one = [w for w, _, _ in runs[(corpus, 1, binary)]]
            for threads in (1, 2):
                walls = [w for w, _, _ in runs[(corpus, threads, binary)]]
                rss = max(r for _, _, r in runs[(corpus, threads, binary)]) / 1000
                speedup = (
                    f"{min(one) / min(walls):.2f}×, {statistics.median(one) / statistics.median(walls):.2f}×"
                    if threads == 2
                    else ""
                )
                print(
                    f"| {os.path.basename(corpus)} | {megabytes:.1f} | {os.path.basename(binary)} | {threads} "
                    f"| {min(walls):.2f} | {statistics.median(walls):.2f} | {megabytes / min(walls):.1f} "
                    f"| {speedup} | {rss:.1f} |"
                )
    if len(binaries) == 2:
        binary, baseline = binaries
        print()
        for corpus in corpora:
            for threads in (1, 2):
                new = [w for w, _, _ in runs[(corpus, threads, binary)]]
                old = [w for w, _, _ in runs[(corpus, threads, baseline)]]
                print(
                    f"{os.path.basename(corpus)} -j{threads}: {os.path.basename(binary)} is "
                    f"{min(old) / min(new):.3f}× the speed of {os.path.basename(baseline)} best to best, "
                    f"{statistics.median(old) / statistics.median(new):.3f}× median to median"
                )
    if len(corpora) == 2:
        small, large = corpora
        size_ratio = corpus_bytes(large) / corpus_bytes(small)
        print()
        for threads in (1, 2):
            small_best = min(w for w, _, _ in runs[(small, threads, binaries[0])])
            large_best = min(w for w, _, _ in runs[(large, threads, binaries[0])])
            print(
                f"-j{threads}: {os.path.basename(large)} takes {large_best / small_best:.1f}× the time of "
                f"{os.path.basename(small)} (best to best) for {size_ratio:.1f}× the bytes"
            )


if __name__ == "__main__":
    main()
