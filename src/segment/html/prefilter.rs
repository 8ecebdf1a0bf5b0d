//! The page as the HTML parser gets it: what never reaches the text is cut out first.
//!
//! The parser tokenizes one character at a time, so every byte it does not see is time saved.
//! One pass over the page, from one `<` to the next:
//! - comments and `<script>`, `<style>`, `<svg>` and `<noscript>` elements are dropped (they
//!   never reach the text, and they are often most of a page's bytes); an element ends at the
//!   first closing tag of its name, as in the parser;
//! - start tags keep only the attributes deboil reads (class, id, role, the hidden ones, a
//!   `style` that hides, whether a link has an `href`, and the canonical URL of `<link>` and
//!   `<meta>`); modern pages spend most of their remaining bytes on attributes;
//! - `<meta>` and `<link>` tags that name no canonical URL are dropped;
//! - outside `<pre>`, each run of white space holding a line break becomes one line break
//!   (indentation is much of many pages' text, and the walker collapses it anyway);
//! - tags nested deeper than a limit are dropped with their closing tags: the parser spends
//!   time in proportion to the depth for each element, so a page nested 100,000 deep would
//!   take minutes.
//!
//! Pages that need none of this are returned untouched.

use std::borrow::Cow;

/// Prepares `html` for parsing (see the module documentation), nesting at most `max_depth`.
pub(crate) fn prepare(html: &str, max_depth: usize) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out = Output {
        html,
        text: None,
        copied: 0,
    };
    let mut at = 0;
    // Where the text since the last tag starts.
    let mut text_from = 0;
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut preformatted = 0usize;
    // One list of attributes, reused from tag to tag.
    let mut attributes = Vec::new();
    while let Some(offset) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + offset;
        if let Some(end) = raw_text_end(bytes, start) {
            out.text_until(text_from, start, preformatted > 0);
            out.skip(start, end);
            at = end;
            text_from = end;
            continue;
        }
        let Some(tag) = Tag::parse(bytes, start, std::mem::take(&mut attributes)) else {
            at = start + 1;
            continue;
        };
        out.text_until(text_from, start, preformatted > 0);
        at = tag.end;
        text_from = tag.end;
        if tag.name(html).eq_ignore_ascii_case("pre") {
            match tag.kind {
                Kind::Start => preformatted += 1,
                Kind::End => preformatted = preformatted.saturating_sub(1),
            }
        }
        let keep_tag = match tag.kind {
            Kind::Start if tag.is_unread_head_tag(html) => false,
            Kind::Start if tag.opens_level(html) => {
                depth += 1;
                if depth > max_depth {
                    depth -= 1;
                    dropped += 1;
                    false
                } else {
                    true
                }
            }
            Kind::End if dropped > 0 => {
                dropped -= 1;
                false
            }
            Kind::End => {
                depth = depth.saturating_sub(1);
                true
            }
            _ => true,
        };
        if !keep_tag {
            out.skip(start, tag.end);
        } else if tag.kind != Kind::End && tag.drops_attributes(html) {
            tag.write_compact(html, out.rewrite(start));
            out.copied = tag.end;
        }
        attributes = tag.attributes;
    }
    out.text_until(text_from, bytes.len(), preformatted > 0);
    out.finish()
}

/// The prepared page, written only once something changes.
struct Output<'a> {
    html: &'a str,
    /// The rewritten page so far (up to `copied`), once anything was rewritten.
    text: Option<String>,
    /// Where the input not yet copied starts.
    copied: usize,
}

impl<'a> Output<'a> {
    /// The output, with the input up to `at` copied: to write what replaces what follows.
    fn rewrite(&mut self, at: usize) -> &mut String {
        let html = self.html;
        let out = self
            .text
            .get_or_insert_with(|| String::with_capacity(html.len() / 2));
        out.push_str(&html[self.copied..at]);
        self.copied = at;
        out
    }

    /// Leaves out the input from `start` to `end`.
    fn skip(&mut self, start: usize, end: usize) {
        self.rewrite(start);
        self.copied = end;
    }

    /// The text from `start` to `end`, with every run of white space that holds a line break
    /// written as one line break (unless `preformatted`): the parser handles each line break
    /// as a token of its own, and indentation is most of the text of many pages. The walker
    /// collapses white space the same way, so the cleaned text does not change.
    fn text_until(&mut self, start: usize, end: usize, preformatted: bool) {
        if preformatted {
            return;
        }
        let bytes = &self.html.as_bytes()[start..end];
        let mut from = 0;
        while let Some(i) = memchr::memchr(b'\n', &bytes[from..]) {
            let newline = from + i;
            let run_start = newline
                - bytes[from..newline]
                    .iter()
                    .rev()
                    .take_while(|&&b| is_space(b))
                    .count();
            let run_end = newline
                + 1
                + bytes[newline + 1..]
                    .iter()
                    .take_while(|&&b| is_space(b))
                    .count();
            if run_end - run_start > 1 {
                self.rewrite(start + run_start).push('\n');
                self.copied = start + run_end;
            }
            from = run_end;
        }
    }

    fn finish(mut self) -> Cow<'a, str> {
        match self.text.take() {
            None => Cow::Borrowed(self.html),
            Some(mut out) => {
                out.push_str(&self.html[self.copied..]);
                Cow::Owned(out)
            }
        }
    }
}

/// Where the comment, script, style, svg or noscript starting at `start` ends (after its
/// closing `>`), or the end of the page if it is never closed; `None` if none starts there.
fn raw_text_end(bytes: &[u8], start: usize) -> Option<usize> {
    let rest = &bytes[start..];
    if rest.starts_with(b"<!--") {
        return Some(
            memchr::memmem::find(&rest[4..], b"-->").map_or(bytes.len(), |i| start + 4 + i + 3),
        );
    }
    let close: &[u8] = if starts_with_tag(rest, b"script") {
        b"</script"
    } else if starts_with_tag(rest, b"style") {
        b"</style"
    } else if starts_with_tag(rest, b"svg") {
        b"</svg"
    } else if starts_with_tag(rest, b"noscript") {
        b"</noscript"
    } else {
        return None;
    };
    let mut at = start + 1;
    loop {
        let Some(i) = memchr::memmem::find(&bytes[at..], b"</") else {
            return Some(bytes.len());
        };
        let candidate = at + i;
        let rest = &bytes[candidate..];
        if rest.len() >= close.len() && rest[..close.len()].eq_ignore_ascii_case(close) {
            let end = memchr::memchr(b'>', rest).map_or(bytes.len(), |j| candidate + j + 1);
            return Some(end);
        }
        at = candidate + 2;
    }
}

/// Whether `rest` opens the tag `name` (`<name>`, `<name attr…>`), in any letter case.
fn starts_with_tag(rest: &[u8], name: &[u8]) -> bool {
    rest.len() > name.len() + 1
        && rest[1..=name.len()].eq_ignore_ascii_case(name)
        && matches!(
            rest[name.len() + 1],
            b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/'
        )
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Start,
    End,
}

/// A start or end tag as the tokenizer would read it: its name and the spans of its
/// attributes (name and value as written).
#[derive(Debug)]
struct Tag {
    kind: Kind,
    name: std::ops::Range<usize>,
    attributes: Vec<Attribute>,
    self_closing: bool,
    /// Just past the closing `>`.
    end: usize,
}

#[derive(Debug)]
struct Attribute {
    name: std::ops::Range<usize>,
    /// The whole attribute as written (`name="value"`).
    span: std::ops::Range<usize>,
    value: std::ops::Range<usize>,
}

impl Tag {
    /// Reads the tag starting at `start` (a `<`); `None` if none starts there or it never ends.
    /// `attributes` is a list to reuse.
    fn parse(bytes: &[u8], start: usize, mut attributes: Vec<Attribute>) -> Option<Tag> {
        attributes.clear();
        let mut i = start + 1;
        let kind = if bytes.get(i) == Some(&b'/') {
            i += 1;
            Kind::End
        } else {
            Kind::Start
        };
        if !bytes.get(i)?.is_ascii_alphabetic() {
            return None;
        }
        let name_start = i;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
            i += 1;
        }
        let mut tag = Tag {
            kind,
            name: name_start..i,
            attributes,
            self_closing: false,
            end: 0,
        };
        loop {
            while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
                tag.self_closing = bytes[i] == b'/';
                i += 1;
            }
            match bytes.get(i)? {
                b'>' => {
                    tag.end = i + 1;
                    return Some(tag);
                }
                _ => {
                    let (attribute, next) = Attribute::parse(bytes, i)?;
                    tag.self_closing = false;
                    tag.attributes.push(attribute);
                    i = next;
                }
            }
        }
    }

    fn name<'a>(&self, html: &'a str) -> &'a str {
        &html[self.name.clone()]
    }

    /// A start tag that adds a level of nesting (not void, not self-closing).
    fn opens_level(&self, html: &str) -> bool {
        !self.self_closing && !is_void(self.name(html))
    }

    /// A `<meta>` or `<link>` that names no canonical URL: deboil reads nothing else of them.
    fn is_unread_head_tag(&self, html: &str) -> bool {
        let name = self.name(html);
        let value_is = |attribute: &str, wanted: &str| {
            self.attributes.iter().any(|a| {
                html[a.name.clone()].eq_ignore_ascii_case(attribute)
                    && html[a.value.clone()].trim().eq_ignore_ascii_case(wanted)
            })
        };
        if name.eq_ignore_ascii_case("link") {
            !value_is("rel", "canonical")
        } else if name.eq_ignore_ascii_case("meta") {
            !value_is("property", "og:url")
        } else {
            false
        }
    }

    /// Whether some attribute of the tag is one deboil does not read.
    fn drops_attributes(&self, html: &str) -> bool {
        let tag = self.name(html);
        self.attributes
            .iter()
            .any(|a| keep(tag, a, html) != Keep::Whole)
    }

    /// Writes the tag with only the attributes deboil reads.
    fn write_compact(&self, html: &str, out: &mut String) {
        let tag = self.name(html);
        out.push('<');
        out.push_str(tag);
        for attribute in &self.attributes {
            match keep(tag, attribute, html) {
                Keep::Whole => {
                    out.push(' ');
                    out.push_str(&html[attribute.span.clone()]);
                }
                Keep::Name => {
                    out.push(' ');
                    out.push_str(&html[attribute.name.clone()]);
                }
                Keep::Not => {}
            }
        }
        if self.self_closing {
            out.push_str(" /");
        }
        out.push('>');
    }
}

impl Attribute {
    /// Reads the attribute starting at `i`; returns it and where the next one may start.
    fn parse(bytes: &[u8], start: usize) -> Option<(Attribute, usize)> {
        let mut i = start;
        // The first character is part of the name even if it is `=`.
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = start..i;
        let mut j = i;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            return Some((
                Attribute {
                    name: name.clone(),
                    span: name.clone(),
                    value: i..i,
                },
                i,
            ));
        }
        j += 1;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        let (value, end) = match *bytes.get(j)? {
            quote @ (b'"' | b'\'') => {
                let close = memchr::memchr(quote, &bytes[j + 1..])? + j + 1;
                (j + 1..close, close + 1)
            }
            _ => {
                let mut k = j;
                while k < bytes.len() && !is_space(bytes[k]) && bytes[k] != b'>' {
                    k += 1;
                }
                (j..k, k)
            }
        };
        Some((
            Attribute {
                name,
                span: start..end,
                value,
            },
            end,
        ))
    }
}

/// How much of an attribute deboil needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Keep {
    Whole,
    /// The name alone (a link's `href`: whether it has one).
    Name,
    Not,
}

fn keep(tag: &str, attribute: &Attribute, html: &str) -> Keep {
    let name = &html[attribute.name.clone()];
    let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
    if is("class")
        || is("id")
        || is("role")
        || is("hidden")
        || is("aria-hidden")
        || is("aria-modal")
    {
        return Keep::Whole;
    }
    if is("style") {
        let value = html[attribute.value.clone()].to_ascii_lowercase();
        return if value.contains("none") || value.contains("hidden") {
            Keep::Whole
        } else {
            Keep::Not
        };
    }
    let link = tag.eq_ignore_ascii_case("link");
    let meta = tag.eq_ignore_ascii_case("meta");
    if (link && (is("rel") || is("href"))) || (meta && (is("property") || is("content"))) {
        return Keep::Whole;
    }
    if is("href") {
        return Keep::Name;
    }
    Keep::Not
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// Elements that never hold content, so never add a level of nesting.
fn is_void(name: &str) -> bool {
    [
        "br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col",
        "embed", "param", "track",
    ]
    .iter()
    .any(|void| name.eq_ignore_ascii_case(void))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(html: &str) -> String {
        prepare(html, 512).into_owned()
    }

    #[test]
    fn scripts_styles_and_comments_are_dropped() {
        let html = "<p>a<script type=x>if (a</b) { x = '</p>'; }</SCRIPT>b<!-- <p>c</p> -->d\
                    <style>p { color: red }</style></p><scripts>e</scripts><p>f</p><script>never closed";
        assert_eq!(prepared(html), "<p>abd</p><scripts>e</scripts><p>f</p>");
    }

    #[test]
    fn tags_keep_only_the_attributes_read() {
        let html = r#"<div data-x="1 > 2" class="story body" style="color: red" id=main><a href="/x?a=1" target=_blank>x</a><img src="a.png" alt="b" /><p style="display: none" hidden>y</p></div>"#;
        assert_eq!(
            prepared(html),
            r#"<div class="story body" id=main><a href>x</a><img /><p style="display: none" hidden>y</p></div>"#
        );
    }

    #[test]
    fn canonical_urls_and_end_tags_are_left_whole() {
        let html = r#"<link rel="canonical" href="https://example.org/a"><meta property="og:url" content="https://example.org/a"></div >"#;
        assert_eq!(prepared(html), html);
    }

    #[test]
    fn head_tags_that_name_no_canonical_url_are_dropped() {
        let html = r#"<head><meta charset=utf-8><link rel=stylesheet href=a.css><meta name=x content=y><link rel=" Canonical " href="https://example.org/a"></head>"#;
        assert_eq!(
            prepared(html),
            r#"<head><link rel=" Canonical " href="https://example.org/a"></head>"#
        );
    }

    #[test]
    fn indentation_collapses_to_one_line_break_outside_pre() {
        let html = "<div>\n    <p>a  b\n\n\t c</p> \r\n</div><pre>\n  x\n\n  y</pre>\n  z \n";
        assert_eq!(
            prepared(html),
            "<div>\n<p>a  b\nc</p>\n</div><pre>\n  x\n\n  y</pre>\nz\n"
        );
        // A lone line break is left as it is.
        assert!(matches!(prepare("<p>a\nb</p>\n", 512), Cow::Borrowed(_)));
    }

    #[test]
    fn what_is_not_a_tag_is_text() {
        for html in ["a < b and c<d", "x <", "<1>", "<div class=\"never closed"] {
            assert_eq!(prepared(html), html, "{html}");
        }
    }

    #[test]
    fn untouched_pages_are_borrowed() {
        assert!(matches!(
            prepare("<p class=a>plain</p>", 512),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn nesting_beyond_the_limit_is_flattened() {
        let html = format!("{}x{}", "<div>".repeat(5), "</div>".repeat(5));
        assert_eq!(prepare(&html, 2), "<div><div>x</div></div>");
        // Void and self-closing tags add no level.
        assert_eq!(
            prepare("<div><br><img/>x</div>", 1),
            "<div><br><img/>x</div>"
        );
    }
}
