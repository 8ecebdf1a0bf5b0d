//! Cleaning throughput in MB/s over a realistic mix of plain-text pages.
//!
//! The pages are every `*.txt` below `DEBOIL_BENCH_DIR` (for instance the `text/` folders of the
//! shared datasets, unpacked), or the bundled fixtures when it is not set. Run with
//! `cargo bench --bench throughput`; criterion reports the throughput of one core and the
//! baseline of the same run (reading the bytes and counting lines) for a ratio.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use deboil::{Cleaner, Config, census::Counter};

fn corpus() -> Vec<String> {
    let root = std::env::var_os("DEBOIL_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"));
    let mut files = Vec::new();
    collect_txt(&root, &mut files);
    files.sort();
    files
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .collect()
}

fn collect_txt(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            // Gold text is the answer, not a page.
            if path.file_name().is_some_and(|n| n != "gold") {
                collect_txt(&path, files);
            }
        } else if path.extension().is_some_and(|e| e == "txt") {
            files.push(path);
        }
    }
}

fn throughput(c: &mut Criterion) {
    let pages = corpus();
    let bytes: usize = pages.iter().map(String::len).sum();
    let cleaner = Cleaner::new(Config::default());
    let mut group = c.benchmark_group("plain-text");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("baseline: count lines", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| memchr::memchr_iter(b'\n', p.as_bytes()).count())
                .sum::<usize>()
        })
    });
    group.bench_function("fingerprint every line", |b| {
        b.iter(|| {
            pages
                .iter()
                .flat_map(|p| p.lines())
                .map(deboil::fingerprint::fingerprint)
                .fold(0u64, |acc, f| acc ^ f)
        })
    });
    group.bench_function("clean, per document", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|p| cleaner.clean(p).text.len())
                .sum::<usize>()
        })
    });
    group.bench_function("census + clean", |b| {
        b.iter(|| {
            let mut counter = Counter::without_exemplars();
            for page in &pages {
                cleaner.count(&mut counter, "site", page);
            }
            let census = counter.finish();
            let site = Some(deboil::SiteContext {
                census: &census,
                site: "site",
            });
            pages
                .iter()
                .map(|p| cleaner.clean_with(p, site).text.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
