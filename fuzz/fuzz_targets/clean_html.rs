//! Any bytes as an HTML page: decoding, segmenting and cleaning never panic.
#![no_main]

use deboil::emit::OutputFormat;
use deboil::{Cleaner, Config};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let html = deboil::read::decode_html(bytes, None);
    let cleaner = Cleaner::new(Config::default());
    let _ = cleaner.clean_html(&html, None, OutputFormat::Markdown);
});
