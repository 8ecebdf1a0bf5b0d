//! Any text: cleaning never panics, keeps only input blocks, and is idempotent.
#![no_main]

use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let cleaner = Cleaner::new(Config::default());
    let once = cleaner.clean(text);
    for block in &once.blocks {
        assert!(text.get(block.range.clone()).is_some(), "block range off a char boundary");
    }
    let twice = cleaner.clean(&once.text);
    assert_eq!(twice.text, once.text, "cleaning is not idempotent");
});
