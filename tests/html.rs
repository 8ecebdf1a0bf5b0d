//! Integration tests of HTML input: real pages with gold text, Markdown output, bad pages.

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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn html_pages_score_well_against_their_gold() {
    let out = run(deboil()
        .args(["eval", "--input", "html", "--json", "--no-census"])
        .arg(fixture("scrapinghub")));
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["docs"], 6);
    let f1 = report["f1"].as_f64().unwrap();
    assert!(f1 >= 0.93, "F1 {f1} on the scrapinghub HTML fixtures");
}

fn clean_html(html: &str, extra: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(&page, html).unwrap();
    let out = run(deboil().args(["clean", "-q"]).args(extra).arg(&page));
    (out, dir)
}

const ARTICLE: &str = "<html><body><nav><ul><li><a href=/>Home</a></li><li><a href=/w>World</a></li>\
    <li><a href=/s>Sport</a></li></ul></nav><article><h1>Rain floods the valley</h1>\
    <p>Rain fell on the valley all night, and by morning the river had risen over its banks in three \
    places, the council said.</p><h2>What comes next</h2><ul><li>Roads stay closed until Friday, \
    the police said.</li><li>Schools will open late on Monday, the council said.</li></ul>\
    <p>Forecasters expect drier weather from Tuesday, though more rain may follow at the weekend.</p>\
    </article><footer><p>Copyright 2024 Valley News. All rights reserved.</p></footer></body></html>";

#[test]
fn html_becomes_paragraphs_or_markdown() {
    let (out, _dir) = clean_html(ARTICLE, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Rain floods the valley\n\nRain fell on the valley all night, and by morning the river had risen over its banks in three places, the council said.\n\n\
         What comes next\n\nRoads stay closed until Friday, the police said.\nSchools will open late on Monday, the council said.\n\n\
         Forecasters expect drier weather from Tuesday, though more rain may follow at the weekend.\n"
    );
    let (out, _dir) = clean_html(ARTICLE, &["--output-format", "markdown"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "# Rain floods the valley\n\nRain fell on the valley all night, and by morning the river had risen over its banks in three places, the council said.\n\n\
         ## What comes next\n\n- Roads stay closed until Friday, the police said.\n- Schools will open late on Monday, the council said.\n\n\
         Forecasters expect drier weather from Tuesday, though more rain may follow at the weekend.\n"
    );
}

#[test]
fn bad_pages_get_a_result_or_a_clear_error() {
    // Truncated and unclosed markup still yields its text.
    let cut = &ARTICLE[..ARTICLE.len() / 2];
    let (out, _dir) = clean_html(cut, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Deep nesting neither overflows nor hangs.
    let deep = format!(
        "{}<p>{}</p>{}",
        "<div>".repeat(100_000),
        "Deep text that is a full sentence of prose, written here to be kept by the cleaner for sure.",
        "</div>".repeat(100_000)
    );
    let (out, _dir) = clean_html(&deep, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Deep text"));
    // A wrong charset declaration on UTF-8 text does not garble it.
    let wrong = ARTICLE
        .replace("<html>", "<html><meta charset=\"iso-8859-1\">")
        .replace("Rain fell", "Pluie tombée");
    let (out, _dir) = clean_html(&wrong, &[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Pluie tombée"));
    // A large page is cleaned.
    let big = ARTICLE.replace(
        "<article>",
        &"<p>Filler paragraph of prose that goes on, and on, for a while.</p>".repeat(200_000),
    );
    let (out, _dir) = clean_html(&big, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn binary_named_html_is_skipped_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("image.html");
    std::fs::write(&page, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let out = run(deboil().arg("clean").arg(&page));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("binary content (NUL byte at byte offset 8)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn html_pages_are_written_as_txt_or_md_files_beside_their_relative_path() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("site");
    std::fs::create_dir_all(input.join("news")).unwrap();
    std::fs::write(input.join("news/story.html"), ARTICLE).unwrap();
    for (format, extension) in [("text", "txt"), ("markdown", "md")] {
        let out_dir = dir.path().join(format);
        let out = run(deboil()
            .args(["clean", "--output-format", format, "-o"])
            .arg(&out_dir)
            .arg(&input));
        assert!(out.status.success(), "{}", stderr(&out));
        let written = out_dir.join(format!("news/story.{extension}"));
        let text =
            std::fs::read_to_string(&written).expect("the output has the format's extension");
        assert!(text.contains("council"), "{text}");
        assert!(!out_dir.join("news/story.html").exists());
    }
}

#[test]
fn markdown_writes_grids_as_pipe_tables_and_layout_tables_as_paragraphs() {
    let page = "<html><body><article><h1>Results</h1><p>The league table after the final round \
        of the season was published on Monday by the organisers of the league.</p><table>\
        <tr><th>Team</th><th>Points</th></tr><tr><td>Harbour | North</td><td>42</td></tr>\
        <tr><td>Valley</td></tr></table><table><tr><td>A layout table holds this one paragraph \
        of text in a single cell of its own.</td></tr><tr><td>And this second paragraph in a \
        second row.</td></tr></table></article></body></html>";
    let (out, _dir) = clean_html(page, &["--output-format", "markdown"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "# Results\n\nThe league table after the final round of the season was published on \
         Monday by the organisers of the league.\n\n| Team | Points |\n| --- | --- |\n\
         | Harbour \\| North | 42 |\n| Valley |  |\n\nA layout table holds this one paragraph of \
         text in a single cell of its own.\n\nAnd this second paragraph in a second row.\n"
    );
}

const ARTICLE_WITH_COMMENTS: &str = "<html><body><nav><ul><li><a href=/>Home</a></li>\
    <li><a href=/r>Recipes</a></li></ul></nav><article><h1>Slow-cooked bean stew</h1>\
    <p>Soak the beans overnight, then simmer them with onions, two carrots and a bay leaf until they \
    are soft but still hold their shape.</p><p>Add the tomatoes only in the last hour, otherwise the \
    beans stay hard, and season at the very end.</p></article><section id=\"comments\">\
    <h3>3 comments</h3><div class=\"comment\"><p>Anna | March 4, 2011</p><p>I made this last weekend \
    and my kids loved it, even with canned beans instead of dried ones.</p></div>\
    <div class=\"comment\"><p>Tom | March 4, 2011</p><p>Thanks for the tip about the tomatoes, mine \
    always stayed hard and now I know why.</p></div><p><a href=\"/reply\">Leave a reply</a></p>\
    </section><footer><p>Copyright 2011 The Kitchen. All rights reserved.</p></footer></body></html>";

#[test]
fn comments_of_an_html_page_go_unless_kept() {
    let article = "Slow-cooked bean stew\n\nSoak the beans overnight, then simmer them with onions, \
        two carrots and a bay leaf until they are soft but still hold their shape.\n\nAdd the \
        tomatoes only in the last hour, otherwise the beans stay hard, and season at the very end.\n";
    let (out, _dir) = clean_html(ARTICLE_WITH_COMMENTS, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), article);
    let (out, _dir) = clean_html(ARTICLE_WITH_COMMENTS, &["--keep-comments"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!(
            "{article}\nI made this last weekend and my kids loved it, even with canned beans \
             instead of dried ones.\n\nThanks for the tip about the tomatoes, mine always stayed \
             hard and now I know why.\n"
        )
    );
}
