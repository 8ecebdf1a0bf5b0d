//! Robustness: a corpus with injected faults loses no document, every input is accounted for,
//! nothing is written outside the output folder, and a restarted run resumes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deboil() -> Command {
    Command::new(env!("CARGO_BIN_EXE_deboil"))
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    files.sort();
    files
}

/// Good files and one of each fault: binary, truncated gzip, bad JSON line, a dangling link,
/// a file over the size limit.
fn faulty_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("site")).unwrap();
    std::fs::copy(
        fixture("seed/mother-jones-onward-movement.txt"),
        root.join("site/seed.txt"),
    )
    .unwrap();
    std::fs::copy(
        fixture("census/harbour-news/story-1.txt"),
        root.join("site/story.txt"),
    )
    .unwrap();
    std::fs::write(root.join("site/binary.txt"), b"GIF89a\0\0\x01").unwrap();
    std::fs::copy(
        fixture("formats/truncated.jsonl.gz"),
        root.join("cut.jsonl.gz"),
    )
    .unwrap();
    std::fs::copy(fixture("formats/bad-line.jsonl"), root.join("bad.jsonl")).unwrap();
    std::fs::write(root.join("site/huge.txt"), "word ".repeat(50_000)).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("nowhere.txt"), root.join("site/dangling.txt")).unwrap();
    dir
}

#[test]
fn every_input_is_written_or_reported_and_the_counts_add_up() {
    let corpus = faulty_corpus();
    let out_dir = tempfile::tempdir().unwrap();
    let stats = tempfile::NamedTempFile::new().unwrap();
    let out = run(deboil()
        .args(["clean", "-q", "--max-doc-bytes", "100000", "--stats"])
        .arg(stats.path())
        .arg("-o")
        .arg(out_dir.path())
        .arg(corpus.path()));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for reported in [
        "binary.txt",
        "cut.jsonl.gz",
        "bad.jsonl: line 2",
        "huge.txt",
        "dangling.txt",
    ] {
        assert!(err.contains(reported), "{reported} not reported:\n{err}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(stats.path()).unwrap()).unwrap();
    let count = |field: &str| summary[field].as_u64().unwrap();
    assert_eq!(count("inputs"), 7);
    assert_eq!(
        count("inputs"),
        count("written") + count("skipped") + count("resumed")
    );
    assert_eq!(
        count("written"),
        4,
        "seed, story, the cut gzip's good part, bad.jsonl"
    );
    assert_eq!(count("skipped"), 3, "binary, huge, dangling");
    let written = files_below(out_dir.path());
    assert_eq!(
        written,
        [
            "bad.jsonl",
            "cut.jsonl.gz",
            "site/seed.txt",
            "site/story.txt"
        ]
        .map(PathBuf::from)
    );
    // The bad JSON lines were passed through: the output has as many lines as the input.
    let lines = |p: &Path| std::fs::read_to_string(p).unwrap().lines().count();
    assert_eq!(
        lines(&out_dir.path().join("bad.jsonl")),
        lines(&corpus.path().join("bad.jsonl"))
    );
}

#[test]
fn a_resumed_run_skips_finished_outputs_and_matches_a_full_run() {
    let corpus = tempfile::tempdir().unwrap();
    for (i, name) in ["story-1", "story-2", "story-3"].iter().enumerate() {
        std::fs::copy(
            fixture(&format!("census/harbour-news/{name}.txt")),
            corpus.path().join(format!("{i}.txt")),
        )
        .unwrap();
    }
    let full = tempfile::tempdir().unwrap();
    assert!(
        run(deboil()
            .args(["clean", "-q", "-o"])
            .arg(full.path())
            .arg(corpus.path()))
        .status
        .success()
    );
    // An interrupted run: one output missing, one temporary file left over.
    let resumed = tempfile::tempdir().unwrap();
    std::fs::copy(full.path().join("0.txt"), resumed.path().join("0.txt")).unwrap();
    std::fs::write(resumed.path().join(".deboil-abc.tmp"), "partial").unwrap();
    let stats = tempfile::NamedTempFile::new().unwrap();
    let out = run(deboil()
        .args(["clean", "-q", "--resume", "--stats"])
        .arg(stats.path())
        .arg("-o")
        .arg(resumed.path())
        .arg(corpus.path()));
    assert!(out.status.success());
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(stats.path()).unwrap()).unwrap();
    assert_eq!(summary["resumed"], 1);
    assert_eq!(summary["written"], 2);
    for name in ["0.txt", "1.txt", "2.txt"] {
        assert_eq!(
            std::fs::read(resumed.path().join(name)).unwrap(),
            std::fs::read(full.path().join(name)).unwrap()
        );
    }
    // Resumed once more, the run has nothing left to do, and its summary says why.
    let again = run(deboil()
        .args(["clean", "--resume", "-o"])
        .arg(resumed.path())
        .arg(corpus.path()));
    assert!(again.status.success());
    let summary = String::from_utf8_lossy(&again.stderr);
    assert!(
        summary.contains("0 documents") && summary.contains("3 already written (--resume)"),
        "{summary}"
    );
}

#[test]
fn record_ids_and_urls_never_choose_output_paths() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(
        corpus.path().join("evil.jsonl"),
        r#"{"id":"../../escape","url":"https://x.org/../../../etc/passwd","text":"A sentence of text that is long enough to keep, with words and a comma."}"#,
    )
    .unwrap();
    let parent = tempfile::tempdir().unwrap();
    let out_dir = parent.path().join("out");
    assert!(
        run(deboil()
            .args(["clean", "-q", "-o"])
            .arg(&out_dir)
            .arg(corpus.path()))
        .status
        .success()
    );
    assert_eq!(
        files_below(parent.path()),
        [PathBuf::from("out/evil.jsonl")]
    );
}

#[test]
fn pathological_documents_finish() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, String); 4] = [
        ("one-line.txt", "word ".repeat(2_000_000)),
        // One word of 300,000 curly quotes: each quote is a mark of the same token.
        ("curly-quotes.txt", "’".repeat(300_000)),
        ("tiny-paragraphs.txt", "a.\n\n".repeat(300_000)),
        (
            "repeated.txt",
            "Subscribe to our newsletter today.\n".repeat(300_000),
        ),
    ];
    for (name, text) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let out = run(deboil().args(["clean", "-q"]).arg(&path));
        assert!(out.status.success(), "{name}");
    }
}

/// The largest document limit there is lets every document through: one byte past it, which
/// tells a document over the limit, is past what a `u64` holds (it once read every document as
/// empty, silently).
#[test]
fn the_largest_document_limit_is_no_limit() {
    let seed = fixture("seed/mother-jones-onward-movement.txt");
    let expected = std::fs::read(fixture("seed/mother-jones-onward-movement.clean.txt")).unwrap();
    let out = run(deboil()
        .args(["clean", "-q", "--max-doc-bytes", &u64::MAX.to_string()])
        .arg(&seed));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, expected);
}
