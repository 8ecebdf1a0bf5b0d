//! Any text: cleaning never panics, keeps only input blocks, and is idempotent, whether it keeps
//! readers' comments or not.
#![no_main]

use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Built once: building the lexicon automaton per input would dominate every run.
static CLEANERS: LazyLock<[Cleaner; 2]> = LazyLock::new(|| {
    let keeping_comments = Config::builder().keep_comments(true).build().unwrap();
    [Cleaner::new(Config::default()), Cleaner::new(keeping_comments)]
});

fuzz_target!(|text: &str| {
    for cleaner in CLEANERS.iter() {
        let once = cleaner.clean(text);
        for block in &once.blocks {
            assert!(text.get(block.range.clone()).is_some(), "block range off a char boundary");
        }
        let twice = cleaner.clean(&once.text);
        assert_eq!(twice.text, once.text, "cleaning is not idempotent");
    }
});
