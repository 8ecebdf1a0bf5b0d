//! Any line: parsing a JSON Lines record and writing it back never panics, and a record written
//! back parses to the same text.
#![no_main]

use deboil::read::jsonl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &str| {
    if let Ok(record) = jsonl::parse(line, "text") {
        let written = record.with_text("text", &record.text);
        let again = jsonl::parse(&written, "text").expect("a written record parses");
        assert_eq!(again.text, record.text);
    }
});
