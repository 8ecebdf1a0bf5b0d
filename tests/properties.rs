//! Properties of the cleaner that must hold for any document.

use deboil::{Cleaner, Config};
use proptest::prelude::*;

/// Blocks of the kinds pages are made of: prose, headings, menu labels, calls to action, dates.
fn block() -> impl Strategy<Value = String> {
    let prose = "[A-Z][a-z]{2,9}( [a-z]{1,9}){10,40}(, [a-z]{2,8}( [a-z]{1,9}){2,6})?[.!?]";
    let label = "[A-Z][a-z]{2,10}( [A-Z]?[a-z]{2,8}){0,3}";
    let short = "[A-Z][a-z]{2,8}( [a-z]{2,8}){1,6}[.?]";
    let unicode = "\\PC{1,80}";
    prop_oneof![
        4 => prose.prop_map(String::from),
        3 => label.prop_map(String::from),
        2 => short.prop_map(String::from),
        1 => Just("Subscribe to our newsletter".to_string()),
        1 => Just("Share on Facebook".to_string()),
        1 => Just("March 3, 2021".to_string()),
        1 => unicode.prop_map(String::from),
    ]
}

/// A document: blocks joined by single or blank-line separators, maybe with CRLF.
fn document() -> impl Strategy<Value = String> {
    (
        prop::collection::vec((block(), any::<bool>()), 0..40),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(blocks, crlf, final_newline)| {
            let newline = if crlf { "\r\n" } else { "\n" };
            let mut doc = String::new();
            for (i, (text, blank)) in blocks.iter().enumerate() {
                if i > 0 {
                    doc.push_str(newline);
                    if *blank {
                        doc.push_str(newline);
                    }
                }
                doc.push_str(text);
            }
            if final_newline && !doc.is_empty() {
                doc.push_str(newline);
            }
            doc
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn cleaning_clean_text_changes_nothing(doc in document()) {
        for cleaner in cleaners() {
            let once = cleaner.clean(&doc).text;
            let twice = cleaner.clean(&once).text;
            prop_assert_eq!(twice, once);
        }
    }

    #[test]
    fn output_is_made_of_input_blocks_in_order(doc in document()) {
        let cleaner = Cleaner::new(Config::default());
        let cleaned = cleaner.clean(&doc);
        let kept: Vec<&str> = cleaned
            .blocks
            .iter()
            .filter(|b| b.reason.keeps())
            .map(|b| &doc[b.range.clone()])
            .collect();
        let out_blocks: Vec<&str> = cleaned
            .text
            .split(['\n', '\r'])
            .filter(|l| !l.trim().is_empty())
            .collect();
        let kept_lines: Vec<&str> = kept
            .iter()
            .flat_map(|b| b.split(['\n', '\r']))
            .filter(|l| !l.trim().is_empty())
            .collect();
        prop_assert_eq!(out_blocks, kept_lines);
    }

    #[test]
    fn arbitrary_text_never_panics(doc in "\\PC*") {
        let cleaner = Cleaner::new(Config::default());
        let _ = cleaner.clean(&doc);
    }
}

/// Inputs the fuzzer found; each must clean idempotently.
#[test]
fn fuzz_regressions_are_idempotent() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions");
    for cleaner in cleaners() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let once = cleaner.clean(&text).text;
            assert_eq!(cleaner.clean(&once).text, once, "{}", path.display());
        }
    }
}

/// The default cleaner, and one that keeps readers' comments.
fn cleaners() -> [Cleaner; 2] {
    let keeping_comments = Config::builder().keep_comments(true).build().unwrap();
    [
        Cleaner::new(Config::default()),
        Cleaner::new(keeping_comments),
    ]
}

/// A corpus of two sites whose pages share a template (menu, plea, footer) around their own
/// article blocks: what the census must find.
fn corpus() -> impl Strategy<Value = Vec<(usize, String)>> {
    prop::collection::vec((0..2usize, document()), 2..8).prop_map(|pages| {
        pages
            .into_iter()
            .map(|(site, body)| {
                let page = format!(
                    "Home\nNews\nSport\n\n{body}\n\nSign up for the Site {site} briefing every morning.\n\
                     Copyright Site {site} Media. All rights reserved.\n"
                );
                (site, page)
            })
            .collect()
    })
}

fn deboil() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_deboil"))
}

/// Every output file below `dir`, by file name, with its content.
fn outputs(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                files.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Census and cleaning give the same bytes on one thread or three, and whatever the order
    /// the inputs are named in.
    #[test]
    fn output_does_not_depend_on_threads_or_input_order(pages in corpus(), seed in any::<u64>()) {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let mut files = Vec::new();
        for (i, (site, page)) in pages.iter().enumerate() {
            let folder = corpus.join(format!("site-{site}"));
            std::fs::create_dir_all(&folder).unwrap();
            let path = folder.join(format!("page-{i}.txt"));
            std::fs::write(&path, page).unwrap();
            files.push(path);
        }
        let run = |threads: &str, out: &str, inputs: &[std::path::PathBuf]| {
            let out = dir.path().join(out);
            let status = deboil()
                .args(["clean", "-q", "-j", threads, "-o"])
                .arg(&out)
                .args(inputs)
                .status()
                .unwrap();
            assert!(status.success());
            outputs(&out)
        };
        let one = run("1", "one", std::slice::from_ref(&corpus));
        let three = run("3", "three", std::slice::from_ref(&corpus));
        prop_assert_eq!(&one, &three);
        // The same sites named folder by folder, in an order drawn from the seed.
        let mut folders: Vec<std::path::PathBuf> = files
            .iter()
            .map(|f| f.parent().unwrap().to_path_buf())
            .collect();
        folders.sort();
        folders.dedup();
        if seed % 2 == 1 {
            folders.reverse();
        }
        let shuffled = run("2", "shuffled", &folders);
        prop_assert_eq!(&one, &shuffled);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Cleaning a page again with the census of its corpus changes nothing: the census judges
    /// what is left as it judged it the first time.
    #[test]
    fn cleaning_with_the_census_is_idempotent(pages in corpus()) {
        for cleaner in cleaners() {
            let mut counter = deboil::census::Counter::new();
            for (site, page) in &pages {
                cleaner.count(&mut counter, &format!("site-{site}"), page);
            }
            let census = counter.finish();
            for (site, page) in &pages {
                let site = format!("site-{site}");
                let context = || Some(deboil::SiteContext { census: &census, site: &site });
                let once = cleaner.clean_with(page, context()).text;
                let twice = cleaner.clean_with(&once, context()).text;
                prop_assert_eq!(twice, once);
            }
        }
    }
}

/// HTML blocks of the kinds pages are made of, in the elements that hold them.
fn html_page() -> impl Strategy<Value = String> {
    let element = prop_oneof![
        Just(("p", "")),
        Just(("div", " class=\"content\"")),
        Just(("li", "")),
        Just(("h2", "")),
        Just(("nav", "")),
        Just(("div", " class=\"sidebar\"")),
        Just(("a", " href=\"/x\"")),
        Just(("footer", "")),
        Just(("td", "")),
        Just(("div", " class=\"comment\"")),
    ];
    prop::collection::vec((element, block(), 0..3usize), 0..40).prop_map(|parts| {
        let mut page = String::from("<html><body>");
        for ((tag, attributes), text, depth) in parts {
            let text = text.replace('<', "&lt;");
            page.push_str(&"<div>".repeat(depth));
            page.push_str(&format!("<{tag}{attributes}>{text}</{tag}>"));
            page.push_str(&"</div>".repeat(depth));
        }
        page.push_str("</body></html>");
        page
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// HTML cleaning keeps whole blocks of the page's text, in order, and invents nothing.
    #[test]
    fn html_output_is_made_of_page_blocks_in_order(page in html_page()) {
        let segmented = deboil::segment::html::segment_html(&page);
        for cleaner in cleaners() {
            let cleaned = cleaner.clean_html(&page, None, deboil::emit::OutputFormat::Text);
            let kept: Vec<&str> = cleaned
                .blocks
                .iter()
                .zip(&segmented.blocks)
                .filter(|(verdict, _)| verdict.reason.keeps())
                .map(|(_, block)| &segmented.text[block.range.clone()])
                .collect();
            let out: Vec<&str> = cleaned.text.lines().filter(|l| !l.trim().is_empty()).collect();
            let kept_lines: Vec<&str> = kept.iter().flat_map(|b| b.lines()).collect();
            prop_assert_eq!(out, kept_lines);
        }
    }

    #[test]
    fn arbitrary_html_never_panics(page in "\\PC*") {
        for cleaner in cleaners() {
            let _ = cleaner.clean_html(&page, None, deboil::emit::OutputFormat::Markdown);
        }
    }
}
