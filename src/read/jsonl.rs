//! JSON Lines records, as Dolma and datatrove write them: one JSON object a line, the document
//! in a text field, every other field kept as it is.

use indexmap::IndexMap;
use serde_json::value::RawValue;

/// One parsed JSON Lines record.
#[derive(Debug)]
pub struct JsonRecord<'a> {
    fields: IndexMap<String, &'a RawValue>,
    /// The document text.
    pub text: String,
    /// The record's `url` field, when it has one.
    pub url: Option<String>,
    /// The record's `id` field as JSON text, when it has one.
    pub id: Option<&'a RawValue>,
}

/// Parses one line; the error says what is wrong with it.
pub fn parse<'a>(line: &'a str, text_field: &str) -> Result<JsonRecord<'a>, String> {
    let fields: IndexMap<String, &RawValue> =
        serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let raw_text = fields
        .get(text_field)
        .ok_or_else(|| format!("no `{text_field}` field"))?;
    let text: String = serde_json::from_str(raw_text.get())
        .map_err(|_| format!("the `{text_field}` field is not a string"))?;
    let url = fields
        .get("url")
        .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok());
    let id = fields.get("id").copied();
    Ok(JsonRecord {
        fields,
        text,
        url,
        id,
    })
}

impl JsonRecord<'_> {
    /// The record as a JSON line with `text_field` set to `text`; every other field keeps its
    /// value byte for byte, in its place.
    pub fn with_text(&self, text_field: &str, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 64);
        out.push('{');
        for (i, (key, value)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(key).expect("a string serialises"));
            out.push(':');
            if key == text_field {
                out.push_str(&serde_json::to_string(text).expect("a string serialises"));
            } else {
                out.push_str(value.get());
            }
        }
        out.push('}');
        out
    }
}

/// The lines of a JSON Lines stream, read one at a time: no more than one line (up to a limit)
/// is held, whatever the size of the stream.
pub struct LineReader<R> {
    reader: R,
    max_bytes: u64,
    /// Lines read so far.
    number: usize,
    /// Bytes read so far.
    offset: u64,
}

/// Where a line was found, and whether it was too long to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineInfo {
    /// Its number, from 1.
    pub number: usize,
    /// Byte offset of its start in the stream.
    pub offset: u64,
    /// Its length when that passed the limit (it was then read through but not kept).
    pub too_long: Option<u64>,
}

impl<R: std::io::BufRead> LineReader<R> {
    /// Lines of `reader`, each kept up to `max_bytes`.
    pub fn new(reader: R, max_bytes: u64) -> Self {
        LineReader {
            reader,
            max_bytes,
            number: 0,
            offset: 0,
        }
    }

    /// Bytes read so far.
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads the next line into `line` (cleared first), without its `\n` or `\r\n`, and
    /// without a UTF-8 byte-order mark opening the stream. `None` at the end of the stream.
    pub fn read_line(&mut self, line: &mut Vec<u8>) -> std::io::Result<Option<LineInfo>> {
        line.clear();
        let start = self.offset;
        let mut length = 0u64;
        let mut seen_any = false;
        loop {
            let available = super::fill(&mut self.reader)?;
            if available.is_empty() {
                break;
            }
            seen_any = true;
            let (content, used, ends) = match memchr::memchr(b'\n', available) {
                Some(at) => (&available[..at], at + 1, true),
                None => (available, available.len(), false),
            };
            if (line.len() + content.len()) as u64 <= self.max_bytes {
                line.extend_from_slice(content);
            }
            length += content.len() as u64;
            self.reader.consume(used);
            self.offset += used as u64;
            if ends {
                break;
            }
        }
        if !seen_any {
            return Ok(None);
        }
        self.number += 1;
        if self.number == 1 && line.starts_with(b"\xEF\xBB\xBF") {
            line.drain(..3);
        }
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        let too_long = (length > self.max_bytes).then_some(length);
        if too_long.is_some() {
            line.clear();
        }
        Ok(Some(LineInfo {
            number: self.number,
            offset: start,
            too_long,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_text_and_keeps_the_rest_verbatim() {
        let line = r#"{"id":"a1","text":"Hello\nworld","metadata":{"n":1.50,"tags":["x"]},"url":"https://www.example.org/p"}"#;
        let record = parse(line, "text").unwrap();
        assert_eq!(record.text, "Hello\nworld");
        assert_eq!(record.url.as_deref(), Some("https://www.example.org/p"));
        assert_eq!(
            record.with_text("text", "world\n"),
            r#"{"id":"a1","text":"world\n","metadata":{"n":1.50,"tags":["x"]},"url":"https://www.example.org/p"}"#
        );
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(
            parse("{not json", "text")
                .unwrap_err()
                .starts_with("malformed JSON")
        );
        assert_eq!(
            parse(r#"{"body":"x"}"#, "text").unwrap_err(),
            "no `text` field"
        );
        assert_eq!(
            parse(r#"{"text":3}"#, "text").unwrap_err(),
            "the `text` field is not a string"
        );
        assert_eq!(parse(r#"{"body":"x"}"#, "body").unwrap().text, "x");
    }

    fn lines_of(bytes: &[u8], max: u64) -> Vec<(LineInfo, String)> {
        let mut reader = LineReader::new(std::io::BufReader::with_capacity(4, bytes), max);
        let mut line = Vec::new();
        let mut lines = Vec::new();
        while let Some(info) = reader.read_line(&mut line).unwrap() {
            lines.push((info, String::from_utf8(line.clone()).unwrap()));
        }
        lines
    }

    #[test]
    fn lines_are_read_one_at_a_time_with_their_number_and_offset() {
        let lines = lines_of(b"\xEF\xBB\xBFab\r\n\nlonger line\nlast", 100);
        let texts: Vec<&str> = lines.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["ab", "", "longer line", "last"]);
        let starts: Vec<(usize, u64)> = lines.iter().map(|(i, _)| (i.number, i.offset)).collect();
        assert_eq!(starts, [(1, 0), (2, 7), (3, 8), (4, 20)]);
        assert!(lines.iter().all(|(i, _)| i.too_long.is_none()));
    }

    #[test]
    fn a_line_over_the_limit_is_read_through_but_not_kept() {
        let lines = lines_of(b"short\nthis one is too long\nok\n", 10);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].0.too_long, Some(20));
        assert_eq!(lines[1].1, "");
        assert_eq!((lines[2].0.number, lines[2].1.as_str()), (3, "ok"));
        assert!(lines_of(b"", 10).is_empty());
    }
}
