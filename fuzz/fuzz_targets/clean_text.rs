//! Any text: cleaning never panics, keeps only input blocks, and is idempotent.
#![no_main]

use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Built once: building the lexicon automaton per input would dominate every run.
static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| Cleaner::new(Config::default()));

fuzz_target!(|text: &str| {
    let cleaner = &*CLEANER;
    let once = cleaner.clean(text);
    for block in &once.blocks {
        assert!(text.get(block.range.clone()).is_some(), "block range off a char boundary");
    }
    let twice = cleaner.clean(&once.text);
    assert_eq!(twice.text, once.text, "cleaning is not idempotent");
});
