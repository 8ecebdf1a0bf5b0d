//! Any bytes as an HTML page: decoding, segmenting and cleaning never panic.
#![no_main]

use deboil::emit::OutputFormat;
use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Built once: building the lexicon automaton per input would dominate every run.
static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| Cleaner::new(Config::default()));

fuzz_target!(|bytes: &[u8]| {
    let html = deboil::read::decode_html(bytes, None);
    let cleaner = &*CLEANER;
    let _ = cleaner.clean_html(&html, None, OutputFormat::Markdown);
});
