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
        let cleaner = Cleaner::new(Config::default());
        let once = cleaner.clean(&doc).text;
        let twice = cleaner.clean(&once).text;
        prop_assert_eq!(twice, once);
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
    let cleaner = Cleaner::new(Config::default());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        let once = cleaner.clean(&text).text;
        assert_eq!(cleaner.clean(&once).text, once, "{}", path.display());
    }
}
