//! Integration tests: the real `deboil` binary on the fixtures.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn deboil() -> Command {
    Command::new(env!("CARGO_BIN_EXE_deboil"))
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(path)
}

const SEED: &str = "seed/mother-jones-onward-movement.txt";
const SEED_CLEAN: &str = "seed/mother-jones-onward-movement.clean.txt";

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("the binary runs")
}

fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn seed_cleans_exactly_to_its_expected_output() {
    let out = run(deboil().arg("clean").arg(fixture(SEED)));
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        std::fs::read_to_string(fixture(SEED_CLEAN)).unwrap()
    );
}

#[test]
fn stdin_to_stdout_filter() {
    let input = std::fs::read(fixture(SEED)).unwrap();
    let expected = std::fs::read_to_string(fixture(SEED_CLEAN)).unwrap();
    for args in [&["clean"][..], &["clean", "-"][..]] {
        let out = run_with_stdin(deboil().args(args), &input);
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(stdout(&out), expected);
    }
}

#[test]
fn cleaning_clean_output_changes_nothing() {
    let once = std::fs::read(fixture(SEED_CLEAN)).unwrap();
    let out = run_with_stdin(deboil().arg("clean"), &once);
    assert_eq!(out.stdout, once);
}

#[test]
fn crlf_input_keeps_crlf() {
    let input = std::fs::read_to_string(fixture(SEED))
        .unwrap()
        .replace('\n', "\r\n");
    let expected = std::fs::read_to_string(fixture(SEED_CLEAN))
        .unwrap()
        .replace('\n', "\r\n");
    let out = run_with_stdin(deboil().arg("clean"), input.as_bytes());
    assert_eq!(stdout(&out), expected);
}

#[test]
fn explain_names_a_reason_for_every_block() {
    let out = run(deboil()
        .args(["clean", "--explain", "--color", "never"])
        .arg(fixture(SEED)));
    assert!(out.status.success());
    let text = stdout(&out);
    for reason in [
        "repeated-in-document",
        "call-to-action",
        "navigation",
        "caption-credit",
        "metadata",
        "comments",
    ] {
        assert!(text.contains(reason), "no {reason} in:\n{text}");
    }
    let kept = text.lines().filter(|l| l.starts_with('+')).count();
    assert_eq!(kept, 9, "title and eight paragraphs:\n{text}");
    assert!(
        text.lines()
            .all(|l| l.starts_with('+') || l.starts_with('-'))
    );
}

#[test]
fn explained_pages_in_one_stream_are_headed_by_their_names() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("a.txt"), dir.path().join("b.txt"));
    std::fs::write(
        &first,
        "A first paragraph, long enough to be kept as it is here.\n",
    )
    .unwrap();
    std::fs::write(
        &second,
        "A second paragraph, long enough to be kept as it is too.\n",
    )
    .unwrap();
    let explain = |inputs: &[&Path]| {
        let out = run(deboil()
            .args(["clean", "-q", "--explain", "--color", "never"])
            .args(inputs));
        assert!(out.status.success());
        stdout(&out)
    };
    let view = |path: &Path| explain(&[path]);
    let expected = format!(
        "==> {} <==\n{}\n==> {} <==\n{}",
        first.display(),
        view(&first),
        second.display(),
        view(&second)
    );
    assert_eq!(explain(&[&first, &second]), expected);
    assert!(!view(&first).contains("==>"));
}

#[test]
fn output_folder_mirrors_inputs_and_leaves_them_untouched() {
    let out_dir = tempfile::tempdir().unwrap();
    let input = fixture("scrapinghub/text");
    let before: Vec<(PathBuf, Vec<u8>)> = files_below(&input)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let out = run(deboil()
        .arg("clean")
        .arg("-o")
        .arg(out_dir.path())
        .arg(&input));
    assert!(out.status.success(), "{}", stderr(&out));
    for (path, bytes) in &before {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "input modified");
        let written = out_dir.path().join(path.file_name().unwrap());
        assert!(written.is_file(), "{} not written", written.display());
    }
    assert_eq!(
        files_below(out_dir.path()).len(),
        before.len(),
        "stray files"
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let mut outputs = Vec::new();
    for threads in ["1", "2", "4"] {
        let out = run(deboil()
            .args(["clean", "-j", threads])
            .arg(fixture("scrapinghub/text"))
            .arg(fixture("seed")));
        assert!(out.status.success());
        outputs.push(out.stdout);
    }
    assert!(!outputs[0].is_empty());
    assert!(outputs.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn output_inside_input_is_refused() {
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("a.txt"), "Some text.\n").unwrap();
    let out = run(deboil()
        .arg("clean")
        .arg("-o")
        .arg(input.path().join("out"))
        .arg(input.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("inside input folder"),
        "{}",
        stderr(&out)
    );
    assert!(!input.path().join("out").exists());
}

#[test]
fn an_output_that_would_overwrite_its_input_is_refused_and_the_others_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = "We Recommend\n\nA sentence of the article, long enough to be kept as prose.\n";
    let input = dir.path().join("a.txt");
    std::fs::write(&input, text).unwrap();
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("b.txt"), text).unwrap();
    // An output already in place that is not an input is overwritten as usual.
    std::fs::write(dir.path().join("b.txt"), "an earlier output").unwrap();
    let out = run(deboil()
        .arg("clean")
        .arg("-o")
        .arg(dir.path())
        .arg(&input)
        .arg(other.path().join("b.txt")));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("a.txt: refusing to overwrite an input file"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), text);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("b.txt")).unwrap(),
        "A sentence of the article, long enough to be kept as prose.\n"
    );
}

/// Outputs get the mode any new file gets (`0666` less the umask), never the owner-only mode
/// of the temporary file they were written as.
#[cfg(unix)]
#[test]
fn outputs_have_an_ordinary_files_mode() {
    use std::os::unix::fs::PermissionsExt;
    for (umask, mode) in [("022", 0o644), ("077", 0o600), ("002", 0o664)] {
        let dir = tempfile::tempdir().unwrap();
        let out = run(Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_deboil"))
            .arg("clean")
            .arg("-o")
            .arg(dir.path().join("out"))
            .arg(fixture(SEED)));
        assert!(out.status.success(), "{}", stderr(&out));
        let written = dir
            .path()
            .join("out")
            .join(Path::new(SEED).file_name().unwrap());
        let permissions = std::fs::metadata(&written).unwrap().permissions();
        assert_eq!(permissions.mode() & 0o777, mode, "umask {umask}");
    }
}

#[test]
fn an_output_folder_that_is_a_file_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, "Some text.\n").unwrap();
    let taken = dir.path().join("taken");
    std::fs::write(&taken, "not a folder").unwrap();
    let out = run(deboil().arg("clean").arg("-o").arg(&taken).arg(&input));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("taken is a file"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "not a folder");
}

#[test]
fn a_stats_file_that_is_a_folder_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(deboil()
        .args(["clean", "--stats"])
        .arg(dir.path())
        .arg(fixture(SEED)));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing is cleaned first");
}

#[test]
fn a_stray_nul_byte_past_the_start_is_replaced_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.txt");
    let mut bytes = std::fs::read(fixture(SEED)).unwrap();
    let at = bytes.len();
    bytes.extend(std::iter::repeat_n(b' ', 9000));
    bytes.extend(b"\0\0\n");
    std::fs::write(&page, &bytes).unwrap();
    let out = run(deboil().args(["clean"]).arg(&page));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}: NUL byte at byte offset {}; NUL bytes replaced with U+FFFD",
            page.display(),
            at + 9000
        )),
        "{err}"
    );
    assert_eq!(
        stdout(&out),
        std::fs::read_to_string(fixture(SEED_CLEAN)).unwrap()
    );
}

#[test]
fn bad_inputs_are_reported_by_name_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.txt");
    let binary = dir.path().join("binary.txt");
    let latin1 = dir.path().join("latin1.txt");
    let missing = dir.path().join("missing.txt");
    std::fs::copy(fixture(SEED), &good).unwrap();
    std::fs::write(&binary, b"abc\0def").unwrap();
    std::fs::write(
        &latin1,
        b"Caf\xe9 society gathers every evening by the river, and the talk runs late.\n",
    )
    .unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let out = run(deboil()
        .args(["clean", "--no-census", "-o"])
        .arg(out_dir.path())
        .args([&good, &binary, &latin1, &missing]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{}: binary content (NUL byte at byte offset 3)",
            binary.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}: invalid UTF-8 at byte offset 3",
            latin1.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}: no such file or folder", missing.display())),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.path().join("good.txt")).unwrap(),
        std::fs::read_to_string(fixture(SEED_CLEAN)).unwrap()
    );
    assert!(
        std::fs::read_to_string(out_dir.path().join("latin1.txt"))
            .unwrap()
            .starts_with("Caf\u{FFFD} society")
    );
    assert!(!out_dir.path().join("binary.txt").exists());
}

#[test]
fn eval_scores_a_dataset() {
    let out = run(deboil()
        .args(["eval", "--no-census", "--json"])
        .arg(fixture("scrapinghub")));
    assert!(out.status.success(), "{}", stderr(&out));
    let line = stdout(&out);
    assert!(
        line.contains("\"dataset\":\"scrapinghub\",\"docs\":6"),
        "{line}"
    );
    let f1: f64 = line
        .split("\"f1\":")
        .nth(1)
        .unwrap()
        .trim_end_matches(['}', '\n'])
        .parse()
        .unwrap();
    assert!(f1 >= 0.85, "F1 {f1} on the scrapinghub fixtures");
}

#[test]
fn eval_keeps_outputs_on_request() {
    let keep = tempfile::tempdir().unwrap();
    let out = run(deboil()
        .args(["eval", "--keep"])
        .arg(keep.path())
        .arg(fixture("scrapinghub")));
    assert!(out.status.success());
    assert_eq!(files_below(&keep.path().join("scrapinghub")).len(), 6);
}

#[test]
fn eval_keeping_outputs_in_a_file_is_refused_before_scoring() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kept");
    std::fs::write(&file, "a file").unwrap();
    let out = run(deboil()
        .args(["eval", "--keep"])
        .arg(&file)
        .arg(fixture("scrapinghub")));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("kept: is a file"), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "no score is printed");
}

#[test]
fn eval_of_a_folder_that_is_not_a_dataset_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(deboil().arg("eval").arg(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no "), "{}", stderr(&out));
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
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A run stopped by a termination signal removes the output it was writing: no partial file,
/// not even under a temporary name, and the exit code says it was interrupted.
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_no_partial_output() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let pipe = common::named_pipe(dir.path(), "records.jsonl");
    let out_dir = dir.path().join("out");
    let mut child = deboil()
        .args(["clean", "-q", "-o"])
        .arg(&out_dir)
        .arg(&pipe)
        .spawn()
        .unwrap();
    // Half the input, then the pipe is held open: the run waits, its output half-written.
    let mut writer = std::fs::OpenOptions::new().write(true).open(&pipe).unwrap();
    let record = r#"{"text":"A paragraph of article text, long enough to be kept as it is."}"#;
    for _ in 0..20_000 {
        writeln!(writer, "{record}").unwrap();
    }
    writer.flush().unwrap();
    let temporary = || -> Vec<PathBuf> {
        std::fs::read_dir(&out_dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default()
    };
    let started = std::time::Instant::now();
    while temporary().is_empty() {
        assert!(started.elapsed().as_secs() < 30, "no output was started");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    drop(writer);
    assert_eq!(status.code(), Some(130));
    assert_eq!(temporary(), Vec::<PathBuf>::new());
}

#[test]
fn readers_comments_go_unless_kept_and_the_comment_system_goes_either_way() {
    let page = fixture("comments/recipe-with-comments.txt");
    let modes: [(&[&str], &str); 2] = [
        (&[], "comments/recipe-with-comments.clean.txt"),
        (
            &["--keep-comments"],
            "comments/recipe-with-comments.comments-kept.txt",
        ),
    ];
    for (flags, expected) in modes {
        let out = run(deboil().arg("clean").args(flags).arg(&page));
        assert!(out.status.success(), "{}", stderr(&out));
        let cleaned = stdout(&out);
        assert_eq!(cleaned, std::fs::read_to_string(fixture(expected)).unwrap());
        // Cleaning the output again, the same way, changes nothing.
        let again = run_with_stdin(
            deboil().args(["clean", "-q"]).args(flags),
            cleaned.as_bytes(),
        );
        assert_eq!(stdout(&again), cleaned, "{flags:?}");
    }
}
