//! Any bytes as a WARC file: reading records, whole or as a stream, never panics and never runs
//! past the input; on records whose header lines all end in CRLF (as WARC writes them), the
//! streaming reader finds what the whole-file reader does.
#![no_main]

use deboil::read::warc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let mut whole = Vec::new();
    for record in warc::records(bytes) {
        let Ok(record) = record else { break };
        assert!(record.offset < bytes.len());
        let _ = warc::http_response(record.block);
        whole.push(record);
    }
    let mut reader =
        warc::RecordReader::new(std::io::BufReader::with_capacity(7, bytes), u64::MAX);
    let mut streamed = Vec::new();
    while let Some(Ok(Ok(warc::Next::Record(raw)))) = reader.next_record() {
        assert!((raw.offset as usize) < bytes.len());
        streamed.push(raw);
    }
    for (raw, record) in streamed.iter().zip(&whole) {
        let header = &raw.bytes[..raw.header_len];
        let crlf_lines = header
            .split_inclusive(|&b| b == b'\n')
            .all(|line| line.ends_with(b"\r\n"));
        if !crlf_lines || raw.offset as usize != record.offset {
            return;
        }
        assert_eq!(&raw.record(), record);
    }
});
