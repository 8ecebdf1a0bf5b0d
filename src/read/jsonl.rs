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
}
