//! WARC and WET files: a sequence of records, each a header block and a content block.
//!
//! Only what deboil needs is read: the record type, id, target URI and content. `response`
//! records carry an HTTP response (headers, then the page); WET `conversion` records carry the
//! page's text.

use std::io::{BufRead as _, Read as _};

/// One WARC record.
#[derive(Debug, PartialEq, Eq)]
pub struct WarcRecord<'a> {
    /// Byte offset of the record in the (decompressed) file.
    pub offset: usize,
    /// `WARC-Type` (`response`, `conversion`, `request`, `warcinfo`, …).
    pub kind: String,
    /// `WARC-Record-ID`.
    pub id: String,
    /// `WARC-Target-URI`, when there is one.
    pub uri: Option<String>,
    /// `Content-Type` of the record.
    pub content_type: String,
    /// The content block.
    pub block: &'a [u8],
}

/// A record that could not be read: where, and why. Reading stops there.
#[derive(Debug, PartialEq, Eq)]
pub struct Fault {
    /// Byte offset of the damaged record.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// The records of a WARC file, in order; a damaged record ends the sequence with a [`Fault`].
pub fn records(bytes: &[u8]) -> Records<'_> {
    Records {
        bytes,
        at: 0,
        done: false,
    }
}

/// Iterator over the records of a WARC file.
pub struct Records<'a> {
    bytes: &'a [u8],
    at: usize,
    done: bool,
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<WarcRecord<'a>, Fault>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
        if self.at >= self.bytes.len() {
            return None;
        }
        let result = read_record(self.bytes, self.at);
        match &result {
            Ok((_, end)) => self.at = *end,
            Err(_) => self.done = true,
        }
        Some(result.map(|(record, _)| record))
    }
}

fn read_record(bytes: &[u8], offset: usize) -> Result<(WarcRecord<'_>, usize), Fault> {
    let fault = |message: &str| Fault {
        offset,
        message: message.to_string(),
    };
    let rest = &bytes[offset..];
    if !rest.starts_with(b"WARC/") {
        return Err(fault("no WARC record starts here"));
    }
    let header_end = find(rest, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(rest, b"\n\n").map(|i| (i, 2)))
        .ok_or_else(|| fault("truncated WARC record header"))?;
    let header = String::from_utf8_lossy(&rest[..header_end.0]);
    let length: usize = header_field(&header, "content-length")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| fault("WARC record without a valid Content-Length"))?;
    let block_start = offset + header_end.0 + header_end.1;
    let block_end = block_start
        .checked_add(length)
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| {
            fault(&format!(
                "truncated WARC record: {length} content bytes declared, {} present",
                bytes.len() - block_start.min(bytes.len())
            ))
        })?;
    let record = record_of(offset, &header, &bytes[block_start..block_end]);
    Ok((record, block_end))
}

/// A record from its header and its content block.
fn record_of<'a>(offset: usize, header: &str, block: &'a [u8]) -> WarcRecord<'a> {
    let field = |name: &str| header_field(header, name);
    WarcRecord {
        offset,
        kind: field("warc-type").unwrap_or_default(),
        id: field("warc-record-id").unwrap_or_default(),
        uri: field("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string()),
        content_type: field("content-type").unwrap_or_default(),
        block,
    }
}

/// One record's bytes (header and content block) as read from a stream, and where it was.
#[derive(Debug)]
pub struct RawRecord {
    /// Byte offset of the record in the (decompressed) stream.
    pub offset: u64,
    /// Its header and content block.
    pub bytes: Vec<u8>,
    /// Bytes of the header, the blank line that ends it included.
    pub header_len: usize,
}

impl RawRecord {
    /// The record.
    pub fn record(&self) -> WarcRecord<'_> {
        let (header, block) = self.bytes.split_at(self.header_len);
        record_of(
            self.offset as usize,
            &String::from_utf8_lossy(header),
            block,
        )
    }
}

/// What reading the next record of a stream found.
#[derive(Debug)]
pub enum Next {
    /// A record.
    Record(RawRecord),
    /// A record whose content block is larger than the limit: read through, not kept.
    TooLarge {
        /// Byte offset of the record.
        offset: u64,
        /// Its declared content length.
        bytes: u64,
    },
}

/// Longest WARC record header held.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// The records of a WARC stream, read one at a time: no more than one record (up to a limit)
/// is held, whatever the size of the stream.
pub struct RecordReader<R> {
    reader: R,
    max_bytes: u64,
    offset: u64,
    done: bool,
}

impl<R: std::io::BufRead> RecordReader<R> {
    /// Records of `reader`, each kept when its content block is at most `max_bytes`.
    pub fn new(reader: R, max_bytes: u64) -> Self {
        RecordReader {
            reader,
            max_bytes,
            offset: 0,
            done: false,
        }
    }

    /// Bytes read so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The next record; `None` at the end of the stream, or after a damaged record (a
    /// [`Fault`]) or a read error, which end the sequence.
    pub fn next_record(&mut self) -> Option<std::io::Result<Result<Next, Fault>>> {
        if self.done {
            return None;
        }
        let result = self.read_next();
        if !matches!(result, Some(Ok(Ok(_)))) {
            self.done = true;
        }
        result
    }

    fn read_next(&mut self) -> Option<std::io::Result<Result<Next, Fault>>> {
        match self.skip_whitespace() {
            Ok(true) => {}
            Ok(false) => return None,
            Err(e) => return Some(Err(e)),
        }
        let offset = self.offset;
        let fault = |message: String| {
            Ok(Err(Fault {
                offset: offset as usize,
                message,
            }))
        };
        let mut bytes = Vec::new();
        match self.read_header(&mut bytes) {
            Ok(Ok(())) => {}
            Ok(Err(message)) => return Some(fault(message)),
            Err(e) => return Some(Err(e)),
        }
        let header_len = bytes.len();
        let header = String::from_utf8_lossy(&bytes);
        let Some(length) =
            header_field(&header, "content-length").and_then(|v| v.parse::<u64>().ok())
        else {
            return Some(fault(
                "WARC record without a valid Content-Length".to_string(),
            ));
        };
        let too_large = length > self.max_bytes;
        let read = if too_large {
            std::io::copy(&mut (&mut self.reader).take(length), &mut std::io::sink())
        } else {
            (&mut self.reader)
                .take(length)
                .read_to_end(&mut bytes)
                .map(|n| n as u64)
        };
        let present = match read {
            Ok(present) => present,
            Err(e) => return Some(Err(e)),
        };
        self.offset += present;
        if present < length {
            return Some(fault(format!(
                "truncated WARC record: {length} content bytes declared, {present} present"
            )));
        }
        Some(Ok(Ok(if too_large {
            Next::TooLarge {
                offset,
                bytes: length,
            }
        } else {
            Next::Record(RawRecord {
                offset,
                bytes,
                header_len,
            })
        })))
    }

    /// Skips the whitespace between records; false at the end of the stream.
    fn skip_whitespace(&mut self) -> std::io::Result<bool> {
        loop {
            let available = super::fill(&mut self.reader)?;
            if available.is_empty() {
                return Ok(false);
            }
            let blank = available
                .iter()
                .take_while(|b| b.is_ascii_whitespace())
                .count();
            let more = blank < available.len();
            self.reader.consume(blank);
            self.offset += blank as u64;
            if more {
                return Ok(true);
            }
        }
    }

    /// Reads header lines into `bytes` up to and with the blank line that ends them.
    fn read_header(&mut self, bytes: &mut Vec<u8>) -> std::io::Result<Result<(), String>> {
        loop {
            let start = bytes.len();
            let read = (&mut self.reader)
                .take((MAX_HEADER_BYTES + 1 - start.min(MAX_HEADER_BYTES)) as u64)
                .read_until(b'\n', bytes)?;
            self.offset += read as u64;
            if start == 0 && !bytes.starts_with(b"WARC/") {
                return Ok(Err("no WARC record starts here".to_string()));
            }
            let line = &bytes[start..];
            if !line.ends_with(b"\n") {
                return Ok(Err(if bytes.len() > MAX_HEADER_BYTES {
                    format!("WARC record header longer than {MAX_HEADER_BYTES} bytes")
                } else {
                    "truncated WARC record header".to_string()
                }));
            }
            if line == b"\n" || line == b"\r\n" {
                return Ok(Ok(()));
            }
        }
    }
}

/// The value of a header field, by case-insensitive name.
fn header_field(header: &str, name: &str) -> Option<String> {
    header.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// An HTTP response split into its content type and body.
#[derive(Debug)]
pub struct HttpResponse<'a> {
    /// The `Content-Type` header (lower case), empty if absent.
    pub content_type: String,
    /// The body.
    pub body: &'a [u8],
}

/// Splits the content block of a `response` record into HTTP headers and body.
pub fn http_response(block: &[u8]) -> Option<HttpResponse<'_>> {
    if !block.starts_with(b"HTTP/") {
        return None;
    }
    let (end, sep) = find(block, b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, 2)))?;
    let header = String::from_utf8_lossy(&block[..end]);
    Some(HttpResponse {
        content_type: header_field(&header, "content-type")
            .unwrap_or_default()
            .to_ascii_lowercase(),
        body: &block[end + sep..],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, body: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{kind}>\r\nWARC-Target-URI: {uri}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}\r\n\r\n",
            body.len()
        )
    }

    #[test]
    fn reads_records_in_order() {
        let file = record("warcinfo", "", "info")
            + &record("conversion", "http://a.org/x", "Some text\nMore");
        let all: Vec<_> = records(file.as_bytes()).collect::<Result<_, _>>().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].kind, "conversion");
        assert_eq!(all[1].uri.as_deref(), Some("http://a.org/x"));
        assert_eq!(all[1].block, b"Some text\nMore");
        assert_eq!(all[1].id, "<urn:uuid:conversion>");
    }

    #[test]
    fn a_truncated_record_is_a_fault_with_its_offset() {
        let first = record("conversion", "http://a.org/x", "Complete");
        let second = record("conversion", "http://a.org/y", "Cut short here");
        let file = format!("{first}{}", &second[..second.len() - 10]);
        let all: Vec<_> = records(file.as_bytes()).collect();
        assert_eq!(all.len(), 2);
        assert!(all[0].is_ok());
        let fault = all[1].as_ref().unwrap_err();
        assert_eq!(fault.offset, first.len());
        assert!(fault.message.contains("truncated"), "{}", fault.message);
    }

    #[test]
    fn splits_http_responses() {
        let response = http_response(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/HTML; charset=utf-8\r\n\r\n<p>Hi</p>",
        )
        .unwrap();
        assert_eq!(response.content_type, "text/html; charset=utf-8");
        assert_eq!(response.body, b"<p>Hi</p>");
    }

    fn streamed(bytes: &[u8], max: u64) -> Vec<Result<Next, Fault>> {
        let mut reader = RecordReader::new(std::io::BufReader::with_capacity(5, bytes), max);
        std::iter::from_fn(|| reader.next_record().map(Result::unwrap)).collect()
    }

    #[test]
    fn a_stream_gives_the_records_a_file_does() {
        let file = record("warcinfo", "", "info")
            + "\r\n"
            + &record("conversion", "http://a.org/x", "Some text\nMore");
        let whole: Vec<_> = records(file.as_bytes()).collect::<Result<_, _>>().unwrap();
        let streamed = streamed(file.as_bytes(), 100);
        assert_eq!(streamed.len(), 2);
        for (raw, record) in streamed.iter().zip(&whole) {
            let Ok(Next::Record(raw)) = raw else {
                panic!("{raw:?}")
            };
            assert_eq!(&raw.record(), record);
        }
    }

    #[test]
    fn a_streamed_record_over_the_limit_is_skipped_and_a_cut_one_is_a_fault() {
        let first = record("conversion", "http://a.org/x", "A long record body");
        let second = record("conversion", "http://a.org/y", "Short");
        let third = record("conversion", "http://a.org/z", "Cut short here");
        let file = format!("{first}{second}{}", &third[..third.len() - 10]);
        let streamed = streamed(file.as_bytes(), 10);
        assert_eq!(streamed.len(), 3);
        assert!(matches!(
            streamed[0],
            Ok(Next::TooLarge {
                offset: 0,
                bytes: 18
            })
        ));
        assert!(matches!(&streamed[1], Ok(Next::Record(r)) if r.record().block == b"Short"));
        let fault = streamed[2].as_ref().unwrap_err();
        assert_eq!(fault.offset, first.len() + second.len());
        assert!(fault.message.contains("truncated"), "{}", fault.message);
        let garbage = streamed_one(b"not a record");
        assert_eq!(garbage.unwrap_err().message, "no WARC record starts here");
    }

    fn streamed_one(bytes: &[u8]) -> Result<Next, Fault> {
        streamed(bytes, 100).pop().unwrap()
    }
}
