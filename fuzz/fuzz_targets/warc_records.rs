//! Any bytes as a WARC file: reading records never panics and never runs past the input.
#![no_main]

use deboil::read::warc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    for record in warc::records(bytes) {
        let Ok(record) = record else { break };
        assert!(record.offset < bytes.len());
        let _ = warc::http_response(record.block);
    }
});
