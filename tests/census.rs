//! Integration tests of the census: the real binary over small synthetic sites.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deboil() -> Command {
    Command::new(env!("CARGO_BIN_EXE_deboil"))
}

fn sites() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/census")
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn ok(cmd: &mut Command) -> Output {
    let out = run(cmd);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn read_tree(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path.strip_prefix(dir).unwrap().to_path_buf(), text));
            }
        }
    }
    files.sort();
    files
}

/// Copies the file at `relative` below `from` to the same place below `to`.
fn copy_at(relative: &Path, from: &Path, to: &Path) {
    let target = to.join(relative);
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(from.join(relative), target).unwrap();
}

#[test]
fn site_furniture_is_removed_by_the_census() {
    let out = ok(deboil()
        .args(["clean", "--explain", "--color", "never"])
        .arg(sites()));
    let text = String::from_utf8(out.stdout).unwrap();
    // The template line that no lexicon knows goes only because the site repeats it.
    let line = text
        .lines()
        .find(|l| l.ends_with("Valley Gazette, printed every Thursday since 1952."))
        .unwrap();
    assert!(line.starts_with("- repeated-in-site"), "{line}");
    // Article text stays.
    assert!(
        text.lines()
            .any(|l| l.starts_with("+ content") && l.contains("ferry left the harbour"))
    );
}

#[test]
fn no_census_judges_each_page_alone() {
    let out = ok(deboil()
        .args(["clean", "--no-census", "--explain", "--color", "never"])
        .arg(sites()));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("repeated-in-site"));
}

#[test]
fn census_top_lists_the_most_repeated_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("all.census");
    ok(deboil().args(["census", "-o"]).arg(&file).arg(sites()));
    let out = ok(deboil().args(["census", "--top", "2"]).arg(&file));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text,
        "harbour-news\t4 documents\n         4  Contact\n         4  Harbour News is published by a community trust. All rights reserved.\n\
         valley-gazette\t3 documents\n         3  Archive\n         3  Got a story? Tell our reporters what is happening in your village.\n"
    );
}

#[test]
fn shards_counted_apart_and_merged_clean_like_one_run() {
    let whole_out = tempfile::tempdir().unwrap();
    ok(deboil()
        .arg("clean")
        .arg("-o")
        .arg(whole_out.path())
        .arg(sites()));

    // Two shards that split each site's pages between them.
    let shards = tempfile::tempdir().unwrap();
    for (i, (relative, _)) in read_tree(&sites()).into_iter().enumerate() {
        let shard = shards.path().join(if i % 2 == 0 { "a" } else { "b" });
        copy_at(&relative, &sites(), &shard);
    }
    let work = tempfile::tempdir().unwrap();
    for shard in ["a", "b"] {
        ok(deboil()
            .args(["census", "-j", "1", "-o"])
            .arg(work.path().join(format!("{shard}.census")))
            .arg(shards.path().join(shard)));
    }
    let merged = work.path().join("merged.census");
    ok(deboil()
        .args(["census", "--merge", "-o"])
        .arg(&merged)
        .arg(work.path().join("b.census"))
        .arg(work.path().join("a.census")));
    let sharded_out = tempfile::tempdir().unwrap();
    for shard in ["a", "b"] {
        ok(deboil()
            .args(["clean", "--census"])
            .arg(&merged)
            .arg("-o")
            .arg(sharded_out.path())
            .arg(shards.path().join(shard)));
    }
    assert_eq!(read_tree(sharded_out.path()), read_tree(whole_out.path()));
}

#[test]
fn output_does_not_depend_on_threads_or_input_order() {
    let a = sites().join("harbour-news");
    let b = sites().join("valley-gazette");
    let one = ok(deboil().args(["clean", "-j", "1"]).arg(&a).arg(&b)).stdout;
    let two = ok(deboil().args(["clean", "-j", "2"]).arg(&a).arg(&b)).stdout;
    assert_eq!(one, two);
    // Censuses counted in either order and with any thread count are the same, byte for byte,
    // and clean alike.
    let dir = tempfile::tempdir().unwrap();
    let mut cleaned = Vec::new();
    let mut files = Vec::new();
    for (name, threads, first, second) in [("ab1", "1", &a, &b), ("ba2", "2", &b, &a)] {
        let file = dir.path().join(name);
        ok(deboil()
            .args(["census", "-j", threads, "-o"])
            .arg(&file)
            .arg(first)
            .arg(second));
        cleaned.push(
            ok(deboil()
                .arg("clean")
                .arg("--census")
                .arg(&file)
                .arg(&a)
                .arg(&b))
            .stdout,
        );
        files.push(std::fs::read(&file).unwrap());
    }
    assert_eq!(files[0], files[1]);
    assert_eq!(cleaned[0], cleaned[1]);
    assert_eq!(cleaned[0], one);
}

#[test]
fn a_bad_census_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.census");
    ok(deboil().args(["census", "-o"]).arg(&good).arg(sites()));
    let bytes = std::fs::read(&good).unwrap();
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "text.census",
            b"just some text\n".to_vec(),
            "not a deboil census file",
        ),
        (
            "cut.census",
            bytes[..bytes.len() / 2].to_vec(),
            "damaged or truncated",
        ),
        (
            "future.census",
            {
                let mut b = bytes.clone();
                b[8] = 7;
                b
            },
            "format version 7",
        ),
    ];
    for (name, content, message) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        let out = run(deboil().args(["clean", "--census"]).arg(&path).arg(sites()));
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(name) && err.contains(message), "{err}");
        assert!(out.stdout.is_empty());
    }
}

/// A census written to a folder is refused before any counting, naming the folder.
#[test]
fn a_census_written_to_a_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(deboil().args(["census", "-o"]).arg(dir.path()).arg(sites()));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is a folder"), "{err}");
    assert!(!err.contains("census of"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// A census file that cannot be opened is named, and what the system said is said once.
#[test]
fn a_missing_census_file_is_named_once() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.census");
    let out = run(deboil()
        .args(["clean", "--census"])
        .arg(&missing)
        .arg(sites()));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing.census"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.matches("os error").count(), 1, "{err}");
    assert!(out.stdout.is_empty());
}

/// On HTML the census counts a block by its text and its place in the page: template text
/// sits in the same place on every page, a sentence two articles share does not.
#[test]
fn html_blocks_are_counted_by_text_and_place() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir(&site).unwrap();
    let places = ["<div>", "<section><div>", "<aside><ul><li>"];
    for (i, place) in places.iter().enumerate() {
        let page = format!(
            "<html><body><nav><p>Menu of the site</p></nav><article><h1>Story</h1>\
             <p>Story text of page {i}.</p>{place}<p>A quoted sentence that moves around.</p>\
             </article></body></html>"
        );
        std::fs::write(site.join(format!("p{i}.html")), page).unwrap();
    }
    let census = dir.path().join("c.census");
    ok(deboil().args(["census", "-o"]).arg(&census).arg(&site));
    let top = ok(deboil().args(["census", "--top", "10"]).arg(&census));
    let top = String::from_utf8(top.stdout).unwrap();
    assert!(top.contains("3  Menu of the site"), "{top}");
    assert!(!top.contains("quoted sentence"), "{top}");
}

/// `deboil census` reads its inputs once, so a pipe given by name (a shell's `<(zcat …)`) is
/// counted like a file.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_counted_by_the_census_command() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = common::named_pipe(dir.path(), "page.txt");
    let writer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || {
            std::fs::write(pipe, "Home\nA page of one paragraph.\n").unwrap()
        })
    };
    let census = dir.path().join("pipe.census");
    let out = ok(deboil().args(["census", "-o"]).arg(&census).arg(&pipe));
    writer.join().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("census of 1 documents"), "{err}");
}

/// A site's pages with the awkward files a scrape holds: a byte order mark, invalid UTF-8, a
/// stray NUL far into a page, binary data. Written in `dir` under `site`.
fn awkward_site(dir: &Path, fixture_site: &str, site: &str) -> Vec<PathBuf> {
    let target = dir.join(site);
    std::fs::create_dir_all(&target).unwrap();
    let mut pages = Vec::new();
    for (i, (relative, text)) in read_tree(&sites().join(fixture_site))
        .into_iter()
        .enumerate()
    {
        let path = target.join(&relative);
        let bytes = match i {
            0 => [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            1 => {
                let at = text.find("the ").unwrap();
                let mut bytes = text.into_bytes();
                bytes[at + 2] = 0xE9;
                bytes
            }
            2 => format!(
                "{text}\n{}\n\0 after the padding\n",
                "Filler line.\n".repeat(700)
            )
            .into_bytes(),
            _ => text.into_bytes(),
        };
        std::fs::write(&path, bytes).unwrap();
        pages.push(path);
    }
    let binary = target.join("image.txt");
    std::fs::write(&binary, b"GIF89a\0\0\x01\x02 not text").unwrap();
    pages.push(binary);
    pages
}

/// The census counted with the cleaning (each site once its pages are read) and the census
/// counted first, by `deboil census`, clean alike: whatever the inputs hold, in whatever order
/// the sites' pages come, named twice or not.
#[test]
fn a_census_counted_while_cleaning_cleans_like_one_counted_first() {
    let dir = tempfile::tempdir().unwrap();
    let a = awkward_site(dir.path(), "harbour-news", "a");
    let b = awkward_site(dir.path(), "valley-gazette", "b");
    // Sites interleaved, and one page named twice.
    let mut inputs: Vec<PathBuf> = Vec::new();
    for i in 0..a.len().max(b.len()) {
        inputs.extend(a.get(i).cloned());
        inputs.extend(b.get(i).cloned());
    }
    inputs.push(a[0].clone());
    let census = dir.path().join("all.census");
    ok(deboil().args(["census", "-o"]).arg(&census).args(&inputs));
    for threads in ["1", "2"] {
        let together = run(deboil().args(["clean", "-j", threads]).args(&inputs));
        let first = run(deboil()
            .args(["clean", "-j", threads, "--census"])
            .arg(&census)
            .args(&inputs));
        assert_eq!(together.status.code(), first.status.code());
        assert_eq!(
            String::from_utf8_lossy(&together.stdout),
            String::from_utf8_lossy(&first.stdout)
        );
        let told = |out: &Output| {
            let mut lines: Vec<String> = String::from_utf8_lossy(&out.stderr)
                .lines()
                // All but the speed, which is not the same twice.
                .filter(|l| l.contains("deboil:") && !l.contains("MB/s"))
                .map(String::from)
                .collect();
            lines.sort();
            lines
        };
        assert_eq!(told(&together), told(&first));
        let text = String::from_utf8(together.stdout).unwrap();
        assert!(text.contains("ferry left the harbour"), "{text}");
        assert!(!text.contains("All rights reserved"), "{text}");
    }
}

/// A resumed run counts the census of every input, finished ones too, and so writes the
/// outputs a full run writes.
#[test]
fn a_resumed_run_counts_the_inputs_it_skips() {
    let full = tempfile::tempdir().unwrap();
    ok(deboil()
        .arg("clean")
        .arg("-o")
        .arg(full.path())
        .arg(sites()));
    let resumed = tempfile::tempdir().unwrap();
    for (relative, _) in read_tree(full.path()).into_iter().step_by(2) {
        copy_at(&relative, full.path(), resumed.path());
    }
    ok(deboil()
        .args(["clean", "--resume", "-o"])
        .arg(resumed.path())
        .arg(sites()));
    assert_eq!(read_tree(resumed.path()), read_tree(full.path()));
}
