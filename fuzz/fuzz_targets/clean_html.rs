//! Any bytes as an HTML page: decoding, segmenting and cleaning never panic, whether the cleaner
//! keeps readers' comments or not.
#![no_main]

use deboil::emit::OutputFormat;
use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Built once: building the lexicon automaton per input would dominate every run.
static CLEANERS: LazyLock<[Cleaner; 2]> = LazyLock::new(|| {
    let keeping_comments = Config::builder().keep_comments(true).build().unwrap();
    [Cleaner::new(Config::default()), Cleaner::new(keeping_comments)]
});

fuzz_target!(|bytes: &[u8]| {
    let html = deboil::read::decode_html(bytes, None);
    for cleaner in CLEANERS.iter() {
        let _ = cleaner.clean_html(&html, None, OutputFormat::Markdown);
    }
});
