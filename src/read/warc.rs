//! WARC and WET files: a sequence of records, each a header block and a content block.
//!
//! Only what deboil needs is read: the record type, id, target URI and content. `response`
//! records carry an HTTP response (headers, then the page); WET `conversion` records carry the
//! page's text.

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
    let field = |name: &str| header_field(&header, name);
    let length: usize = field("content-length")
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
    let record = WarcRecord {
        offset,
        kind: field("warc-type").unwrap_or_default(),
        id: field("warc-record-id").unwrap_or_default(),
        uri: field("warc-target-uri").map(|u| u.trim_matches(['<', '>']).to_string()),
        content_type: field("content-type").unwrap_or_default(),
        block: &bytes[block_start..block_end],
    };
    Ok((record, block_end))
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
}
