//! Any bytes: parsing a JSON Lines record and writing it back never panics, a record written
//! back parses to the same text, and the streaming line reader finds one line per `\n` (plus
//! a last one without), each kept exactly unless over its limit.
#![no_main]

use deboil::read::jsonl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(line) = std::str::from_utf8(bytes)
        && let Ok(record) = jsonl::parse(line, "text")
    {
        let written = record.with_text("text", &record.text);
        let again = jsonl::parse(&written, "text").expect("a written record parses");
        assert_eq!(again.text, record.text);
    }
    let max = 16;
    let mut reader = jsonl::LineReader::new(std::io::BufReader::with_capacity(7, bytes), max);
    let mut line = Vec::new();
    let mut expected = bytes.split(|&b| b == b'\n').collect::<Vec<_>>();
    if expected.last().is_some_and(|last| last.is_empty()) {
        expected.pop();
    }
    for (i, want) in expected.iter().enumerate() {
        let info = reader.read_line(&mut line).unwrap().expect("a line per newline");
        assert_eq!(info.number, i + 1);
        let mut want = *want;
        if i == 0 && want.starts_with(b"\xEF\xBB\xBF") {
            want = &want[3..];
        }
        let want = want.strip_suffix(b"\r").unwrap_or(want);
        match info.too_long {
            None => assert_eq!(line, want),
            Some(_) => assert!(line.is_empty()),
        }
    }
    assert!(reader.read_line(&mut line).unwrap().is_none());
});
