//! Integration tests of corpus formats and the command line's contract: the real binary on real
//! small files.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json_lines(bytes: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8(bytes.to_vec())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn seed_clean() -> String {
    std::fs::read_to_string(fixture("seed/mother-jones-onward-movement.clean.txt")).unwrap()
}

#[test]
fn jsonl_text_is_cleaned_and_other_fields_kept_in_order() {
    let out = run(deboil()
        .args(["clean", "--no-census"])
        .arg(fixture("formats/records.jsonl")));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.starts_with(r#"{"id":"doc-1","text":"#), "{first}");
    // Other fields keep their bytes, spacing included.
    assert!(
        first.ends_with(r#","url":"https://www.example.org/2020/onward","source":"seed","metadata":{"length": 3173, "lang": "en"}}"#),
        "{first}"
    );
    let records = json_lines(&out.stdout);
    // The record's text ends without a newline, and so does its clean text.
    assert_eq!(records[0]["text"], seed_clean().trim_end_matches('\n'));
    // A record whose text is all boilerplate is kept, with empty text.
    assert_eq!(records[1]["id"], "doc-2");
    assert_eq!(records[1]["text"], "");
}

#[test]
fn drop_empty_drops_emptied_records() {
    let out = run(deboil()
        .args(["clean", "--no-census", "--drop-empty", "-q"])
        .arg(fixture("formats/records.jsonl")));
    assert_eq!(json_lines(&out.stdout).len(), 1);
}

#[test]
fn gzip_and_zstd_inputs_read_like_plain() {
    let plain = run(deboil()
        .args(["clean", "--no-census"])
        .arg(fixture("formats/records.jsonl")))
    .stdout;
    for name in ["formats/records.jsonl.gz", "formats/records.jsonl.zst"] {
        let out = run(deboil().args(["clean", "--no-census"]).arg(fixture(name)));
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        assert_eq!(out.stdout, plain, "{name}");
    }
}

#[test]
fn compressed_outputs_keep_the_inputs_compression() {
    let input = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixture("formats/records.jsonl.gz"),
        input.path().join("a.jsonl.gz"),
    )
    .unwrap();
    std::fs::copy(
        fixture("formats/records.jsonl.zst"),
        input.path().join("b.jsonl.zst"),
    )
    .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = run(deboil()
        .args(["clean", "--no-census", "-q", "-o"])
        .arg(out_dir.path())
        .arg(input.path()));
    assert!(out.status.success(), "{}", stderr(&out));
    let gz = std::fs::read(out_dir.path().join("a.jsonl.gz")).unwrap();
    assert_eq!(&gz[..2], b"\x1f\x8b");
    let zst = std::fs::read(out_dir.path().join("b.jsonl.zst")).unwrap();
    assert_eq!(&zst[..4], b"\x28\xb5\x2f\xfd");
}

#[test]
fn a_bad_json_line_is_named_and_passed_through_or_skipped() {
    let input = fixture("formats/bad-line.jsonl");
    let out = run(deboil().args(["clean", "--no-census"]).arg(&input));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("{}: line 2: malformed JSON", input.display())),
        "{err}"
    );
    assert!(
        err.contains("line 3: no `text` field; passed through unchanged"),
        "{err}"
    );
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 4, "no record lost");
    assert_eq!(lines[1], r#"{"id": "doc-bad", "text": unquoted}"#);

    let skipped = run(deboil()
        .args(["clean", "--no-census", "--skip-bad"])
        .arg(&input));
    assert_eq!(skipped.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&skipped.stdout).lines().count(), 2);
    assert!(stderr(&skipped).contains("dropped (--skip-bad)"));
}

#[test]
fn a_truncated_gzip_keeps_what_came_before_and_fails_the_file() {
    let out_dir = tempfile::tempdir().unwrap();
    let input = fixture("formats/truncated.jsonl.gz");
    let out = run(deboil()
        .args(["clean", "--no-census", "-o"])
        .arg(out_dir.path())
        .arg(&input)
        .arg(fixture("formats/records.jsonl")));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("gzip stream damaged or truncated after"),
        "{err}"
    );
    assert!(out_dir.path().join("truncated.jsonl.gz").exists());
    assert!(
        out_dir.path().join("records.jsonl").exists(),
        "the run went on"
    );
}

#[test]
fn wet_records_become_json_lines() {
    let out = run(deboil()
        .args(["clean", "--no-census"])
        .arg(fixture("formats/seed.warc.wet")));
    assert!(out.status.success(), "{}", stderr(&out));
    let records = json_lines(&out.stdout);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["id"], "<urn:uuid:0000-seed>");
    assert_eq!(records[0]["url"], "https://www.example.org/2020/onward");
    assert_eq!(records[0]["text"], seed_clean());
}

#[test]
fn a_truncated_warc_record_is_reported_with_its_offset() {
    let out = run(deboil()
        .args(["clean", "--no-census"])
        .arg(fixture("formats/truncated.warc.wet")));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("byte offset 3398: truncated WARC record"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        json_lines(&out.stdout).len(),
        1,
        "the complete record before was cleaned"
    );
}

#[test]
fn common_crawl_warc_reads_without_error() {
    let out = run(deboil()
        .args(["clean", "-q"])
        .arg(fixture("formats/sample.warc")));
    assert!(out.status.success(), "{}", stderr(&out));
    let records = json_lines(&out.stdout);
    assert_eq!(
        records.len(),
        1,
        "one HTML response in the slice (request and metadata records are skipped)"
    );
    assert!(
        records
            .iter()
            .all(|r| r["url"].as_str().unwrap().starts_with("http"))
    );
}

#[test]
fn warc_output_files_are_named_jsonl() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = run(deboil()
        .args(["clean", "-q", "-o"])
        .arg(out_dir.path())
        .arg(fixture("formats/seed.warc.wet")));
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out_dir.path().join("seed.jsonl").exists());
}

#[test]
fn format_can_be_forced_and_stdin_takes_every_format() {
    let jsonl = std::fs::read(fixture("formats/records.jsonl")).unwrap();
    let out = run_with_stdin(
        deboil().args(["clean", "--format", "jsonl", "--no-census", "-q"]),
        jsonl,
    );
    assert_eq!(
        json_lines(&out.stdout)[0]["text"],
        seed_clean().trim_end_matches('\n')
    );
}

#[test]
fn a_record_text_keeps_its_own_ending() {
    let paragraph = "A paragraph of article text, long enough to be kept as it is, ends here.";
    let input = format!(
        "{}\n{}\n",
        serde_json::json!({ "text": paragraph }),
        serde_json::json!({ "text": format!("{paragraph}\n") })
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.jsonl");
    std::fs::write(&path, &input).unwrap();
    let out = run(deboil().args(["clean", "-q"]).arg(&path));
    assert!(out.status.success(), "{}", stderr(&out));
    // Text already clean comes out as it went in, with or without a final newline.
    assert_eq!(String::from_utf8(out.stdout).unwrap(), input);
}

#[test]
fn stats_are_written_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let stats = dir.path().join("stats.json");
    let out = run(deboil()
        .args(["clean", "--no-census", "-q", "--stats"])
        .arg(&stats)
        .arg(fixture("formats/records.jsonl")));
    assert!(out.status.success());
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&stats).unwrap()).unwrap();
    assert_eq!(summary["documents"], 2);
    assert_eq!(summary["failed"], 0);
    assert!(summary["removed"]["navigation"].as_u64().unwrap() >= 2);
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    let mut child = deboil()
        .args(["clean", "--no-census", "-q"])
        .arg(fixture("census"))
        .arg(fixture("scrapinghub/text"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_with_two() {
    let out = run(deboil().args(["clean", "--no-such-option"]));
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn completions_and_man_page_are_generated() {
    let bash = run(deboil().args(["completions", "bash"]));
    assert!(bash.status.success());
    assert!(String::from_utf8_lossy(&bash.stdout).contains("deboil"));
    let man = run(deboil().arg("man"));
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH deboil"));
}

#[test]
fn dolma_attributes_mark_removed_spans_in_characters() {
    let attributes = tempfile::tempdir().unwrap();
    let out = run(deboil()
        .args(["clean", "--no-census", "-q", "--tag-only", "--attributes"])
        .arg(attributes.path())
        .arg(fixture("formats/records.jsonl")));
    assert!(out.status.success(), "{}", stderr(&out));
    // --tag-only: the records come out unchanged.
    assert_eq!(
        out.stdout,
        std::fs::read(fixture("formats/records.jsonl")).unwrap()
    );
    let lines = json_lines(&std::fs::read(attributes.path().join("records.jsonl")).unwrap());
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "doc-1");
    let records = json_lines(&std::fs::read(fixture("formats/records.jsonl")).unwrap());
    let text: Vec<char> = records[0]["text"].as_str().unwrap().chars().collect();
    let spans = lines[0]["attributes"]["deboil__boilerplate"]
        .as_array()
        .unwrap();
    assert!(spans.len() >= 5);
    // Cutting the spans out of the text leaves exactly the cleaned text's words.
    let mut kept = String::new();
    let mut at = 0;
    for span in spans {
        let (start, end) = (
            span[0].as_u64().unwrap() as usize,
            span[1].as_u64().unwrap() as usize,
        );
        kept.extend(&text[at..start]);
        at = end;
        assert!(span[2].is_string());
    }
    kept.extend(&text[at..]);
    let words = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
    assert_eq!(words(&kept), words(&seed_clean()));
    // The first removed span is the date line, with its reason.
    assert_eq!(spans[0][2], "metadata");
    let first: String = text
        [spans[0][0].as_u64().unwrap() as usize..spans[0][1].as_u64().unwrap() as usize]
        .iter()
        .collect();
    assert_eq!(first.trim(), "date 2020-01-06 1 hour ago");
}

/// JSON Lines records of two sites, each page with the site's menu and newsletter plea around
/// its own story.
fn site_records(count: usize) -> String {
    let mut lines = String::new();
    for i in 0..count {
        let site = if i % 2 == 0 { "harbour" } else { "valley" };
        let text = format!(
            "Home\nNews\nSport\n\n{}\n\nSign up for our {site} newsletter\n",
            story(i)
        );
        let record = serde_json::json!({"id": i, "url": format!("https://{site}.example/{i}"), "text": text});
        lines.push_str(&record.to_string());
        lines.push('\n');
    }
    lines
}

/// A story of its own for each `i` (fingerprints fold digits, so words must differ).
fn story(i: usize) -> String {
    const WORDS: [&str; 10] = [
        "north", "south", "east", "west", "upper", "lower", "old", "new", "red", "green",
    ];
    let word = |place: usize| WORDS[(i / 10usize.pow(place as u32)) % 10];
    format!(
        "The council met about the {} {} {} {} bridge and voted, after a long debate, to mend \
         it before the winter storms.",
        word(3),
        word(2),
        word(1),
        word(0)
    )
}

/// Runs the binary with `input` on standard input.
fn run_with_stdin(cmd: &mut Command, input: Vec<u8>) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

#[test]
fn a_json_lines_file_is_streamed_the_same_on_any_thread_count_and_as_a_whole() {
    // More lines than one batch of the stream holds.
    let records = site_records(5000);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pages.jsonl");
    std::fs::write(&input, &records).unwrap();
    for census in [None, Some("--no-census")] {
        let outputs: Vec<Vec<u8>> = ["1", "4"]
            .iter()
            .map(|threads| {
                let out = run(deboil()
                    .args(["clean", "-q", "-j", threads])
                    .args(census)
                    .arg(&input));
                assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
                out.stdout
            })
            .collect();
        assert_eq!(outputs[0], outputs[1], "census: {census:?}");
        assert_eq!(json_lines(&outputs[0]).len(), 5000);
    }
    // The stream cleans each record as the whole file cleaned in memory does.
    let cleaner = deboil::Cleaner::new(deboil::Config::default());
    let cleaning = deboil::documents::Cleaning {
        cleaner: &cleaner,
        census: None,
        settings: &deboil::documents::Settings::default(),
        source: &deboil::read::Source::Stdin,
    };
    let whole = deboil::documents::clean_text_file(cleaning, deboil::read::Format::Jsonl, &records);
    let streamed = run(deboil().args(["clean", "-q", "--no-census"]).arg(&input));
    assert_eq!(streamed.stdout, whole.output);
    // With the census, the sites' menus and pleas are gone and every story stays.
    let out = run(deboil().args(["clean", "-q"]).arg(&input));
    for (i, record) in json_lines(&out.stdout).iter().enumerate() {
        let text = record["text"].as_str().unwrap();
        assert_eq!(text, format!("{}\n", story(i)));
        assert!(!text.contains("newsletter"), "{text:?}");
    }
}

#[test]
fn standard_input_beyond_the_document_limit_is_cleaned_record_by_record() {
    let mut records = site_records(50);
    let long = serde_json::json!({"id": "long", "text": "word ".repeat(1000)});
    records.insert_str(0, &format!("{long}\n"));
    assert!(records.len() > 10_000);
    let out = run_with_stdin(
        deboil().args([
            "clean",
            "--format",
            "jsonl",
            "--no-census",
            "-q",
            "--max-doc-bytes",
            "2000",
        ]),
        records.into_bytes(),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("<stdin>: line 1: 5023 bytes exceeds the limit of 2000 bytes"),
        "{err}"
    );
    let cleaned = json_lines(&out.stdout);
    assert_eq!(
        cleaned.len(),
        50,
        "every record within the limit is cleaned"
    );
    assert_eq!(cleaned[0]["id"], 0);
}

/// A WET file of `count` conversion records of two sites; record `big` (if any) has a body of
/// `big_bytes` bytes.
fn wet_records(count: usize, big: Option<(usize, usize)>) -> Vec<u8> {
    let mut file = Vec::new();
    for i in 0..count {
        let site = if i % 2 == 0 { "harbour" } else { "valley" };
        let body = match big {
            Some((at, bytes)) if at == i => "word ".repeat(bytes / 5),
            _ => format!(
                "Home\nNews\nSport\n{}\nSign up for our {site} newsletter\n",
                story(i)
            ),
        };
        file.extend_from_slice(
            format!(
                "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: https://{site}.example/{i}\r\n\
                 WARC-Record-ID: <urn:uuid:{i}>\r\nContent-Type: text/plain\r\n\
                 Content-Length: {}\r\n\r\n{body}\r\n\r\n",
                body.len()
            )
            .as_bytes(),
        );
    }
    file
}

#[test]
fn a_wet_file_beyond_the_document_limit_is_streamed_record_by_record() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("crawl.warc.wet");
    std::fs::write(&input, wet_records(1200, Some((3, 3000)))).unwrap();
    let clean = |threads: &str| {
        run(deboil()
            .args(["clean", "-q", "--max-doc-bytes", "2000", "-j", threads])
            .arg(&input))
    };
    let (one, four) = (clean("1"), clean("4"));
    let err = stderr(&one);
    assert_eq!(one.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a record of 3000 bytes exceeds the limit of 2000 bytes"),
        "{err}"
    );
    assert_eq!(one.stdout, four.stdout);
    let records = json_lines(&one.stdout);
    assert_eq!(
        records.len(),
        1199,
        "every record within the limit is cleaned"
    );
    assert_eq!(records[3]["url"], "https://harbour.example/4");
    assert_eq!(records[3]["text"], format!("{}\n", story(4)));
}

/// A pipe given by name, as a shell's `<(zcat dump.jsonl.gz)` gives `/dev/fd/63`, is read as a
/// file: once, so it is cleaned as standard input is, not counted into a census it would then
/// find empty.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_once_like_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = common::named_pipe(dir.path(), "records.jsonl");
    let records = std::fs::read(fixture("formats/records.jsonl")).unwrap();
    let writer = {
        let (pipe, records) = (pipe.clone(), records.clone());
        std::thread::spawn(move || std::fs::write(pipe, records).unwrap())
    };
    let piped = run(deboil().args(["clean", "-q"]).arg(&pipe));
    writer.join().unwrap();
    assert!(piped.status.success(), "{}", stderr(&piped));
    let from_stdin = run_with_stdin(deboil().args(["clean", "-q", "--format", "jsonl"]), records);
    assert_eq!(piped.stdout, from_stdin.stdout);
    assert!(!piped.stdout.is_empty());
}
