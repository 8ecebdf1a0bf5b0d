//! Any bytes: decoding then cleaning never panics.
#![no_main]

use deboil::read::{Loaded, decode};
use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

/// Built once: building the lexicon automaton per input would dominate every run.
static CLEANER: LazyLock<Cleaner> = LazyLock::new(|| Cleaner::new(Config::default()));

fuzz_target!(|bytes: &[u8]| {
    if let Loaded::Text(decoded) = decode(bytes.to_vec()) {
        let _ = CLEANER.clean(&decoded.text);
    }
});
