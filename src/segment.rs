//! Segmentation: cutting a document into the blocks that are judged one by one.
//!
//! Plain text comes in two shapes. Most scraped text has one block a line (Common Crawl's WET
//! files, the text view of a page) or one paragraph a line separated by blank lines; there every
//! non-blank line is a block. Hard-wrapped text (a paragraph spread over several lines of similar
//! width) is cut at blank lines instead, so that a paragraph is judged as a whole.

use std::borrow::Cow;
use std::ops::Range;

/// What a block is, as far as the input tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BlockKind {
    /// One line of plain text.
    Line,
    /// Several lines of hard-wrapped plain text, or an HTML paragraph.
    Paragraph,
    /// A heading, with its level (1 to 6).
    Heading(u8),
    /// An item of a list.
    ListItem,
    /// A cell of a table.
    TableCell,
    /// Preformatted text or code.
    Preformatted,
    /// A block quotation.
    Quote,
}

/// Line ending used by a document, kept so that output matches its input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`
    Lf,
    /// `\r\n`
    CrLf,
}

impl LineEnding {
    /// The line ending as text.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }
}

/// One block of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    /// Byte range of the block in [`Segmented::text`], without its line ending.
    pub range: Range<usize>,
    /// What the block is.
    pub kind: BlockKind,
    /// Whether a blank line (or, in HTML, a block boundary) separates it from the previous block.
    pub blank_before: bool,
    /// Leading whitespace width; indented lines in page dumps are list items.
    pub indent: u16,
    /// Features only HTML provides; `None` for plain text.
    pub dom: Option<DomFeatures>,
}

/// Features of a block that come from the DOM of an HTML page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DomFeatures {
    /// Share of the block's characters that sit inside links, from 0 to 1.
    pub link_density: f32,
    /// Hash of the block's tag path (element names and classes from the root).
    pub path_hash: u64,
    /// Class and id hints found on the block or its ancestors (see [`DomHints`]).
    pub hints: DomHints,
    /// Depth of the block's element in the tree.
    pub depth: u16,
}

/// Bit set of class/id/role hints found on a block's element or its ancestors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DomHints(pub u32);

impl DomHints {
    /// Whether any hint in `mask` is set.
    pub fn any(self, mask: u32) -> bool {
        self.0 & mask != 0
    }
}

/// A document cut into blocks.
#[derive(Clone, Debug)]
pub struct Segmented<'a> {
    /// The text the blocks point into: the document itself for plain text, the extracted text for
    /// HTML.
    pub text: Cow<'a, str>,
    /// The blocks, in document order.
    pub blocks: Vec<Block>,
    /// The document's line ending.
    pub line_ending: LineEnding,
}

impl Segmented<'_> {
    /// The text of block `i`.
    pub fn block_text(&self, i: usize) -> &str {
        &self.text[self.blocks[i].range.clone()]
    }
}

/// Cuts plain text into blocks: lines, or paragraphs when the text is hard-wrapped.
pub fn segment_text(text: &str) -> Segmented<'_> {
    let line_ending = detect_line_ending(text);
    let lines = non_blank_lines(text);
    let blocks = if is_hard_wrapped(text, &lines) {
        paragraphs(&lines)
    } else {
        lines.into_iter().map(Line::into_block).collect()
    };
    Segmented {
        text: Cow::Borrowed(text),
        blocks,
        line_ending,
    }
}

fn detect_line_ending(text: &str) -> LineEnding {
    match memchr::memchr(b'\n', text.as_bytes()) {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => LineEnding::CrLf,
        _ => LineEnding::Lf,
    }
}

/// A non-blank line of the input.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
    indent: u16,
    blank_before: bool,
}

impl Line {
    fn into_block(self) -> Block {
        Block {
            range: self.start..self.end,
            kind: BlockKind::Line,
            blank_before: self.blank_before,
            indent: self.indent,
            dom: None,
        }
    }

    fn len(&self) -> usize {
        self.end - self.start
    }
}

fn non_blank_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut blank_before = false;
    while start < bytes.len() {
        let newline = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
        let mut end = newline.unwrap_or(bytes.len());
        if end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        let line = &text[start..end];
        let trimmed = line.trim_start();
        if trimmed.trim_end().is_empty() {
            blank_before = !lines.is_empty();
        } else {
            let indent_bytes = line.len() - trimmed.len();
            lines.push(Line {
                start,
                end,
                indent: indent_width(&line[..indent_bytes]),
                blank_before,
            });
            blank_before = false;
        }
        match newline {
            Some(i) => start = i + 1,
            None => break,
        }
    }
    lines
}

fn indent_width(indent: &str) -> u16 {
    let width: usize = indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
    width.min(u16::MAX as usize) as u16
}

/// Hard-wrapped text has many consecutive lines of a similar width, continued by the next line
/// (no terminal punctuation at the break). Text with a line a block has few such breaks.
fn is_hard_wrapped(text: &str, lines: &[Line]) -> bool {
    if lines.len() < 6 {
        return false;
    }
    let mut long_lines: Vec<usize> = lines.iter().map(Line::len).filter(|&n| n >= 30).collect();
    if long_lines.len() < 4 {
        return false;
    }
    long_lines.sort_unstable();
    let width = long_lines[long_lines.len() * 9 / 10];
    if width > 120 {
        return false;
    }
    let mut wrapped_breaks = 0;
    let mut breaks = 0;
    for pair in lines.windows(2) {
        let (line, next) = (pair[0], pair[1]);
        if next.blank_before {
            continue;
        }
        breaks += 1;
        let line_text = text[line.start..line.end].trim_end();
        let near_width = line.len() * 10 >= width * 7;
        let continues = !line_text.ends_with(['.', '!', '?', ':', '"', '”']);
        if near_width && continues {
            wrapped_breaks += 1;
        }
    }
    breaks > 0 && wrapped_breaks * 2 >= breaks
}

fn paragraphs(lines: &[Line]) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in lines {
        match blocks.last_mut() {
            Some(block) if !line.blank_before => {
                block.range.end = line.end;
                block.kind = BlockKind::Paragraph;
            }
            _ => blocks.push(line.into_block()),
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts<'a>(s: &'a Segmented<'_>) -> Vec<&'a str> {
        (0..s.blocks.len()).map(|i| s.block_text(i)).collect()
    }

    #[test]
    fn one_block_a_line_with_blank_line_marks() {
        let s = segment_text("Title\n\nFirst para.\nSecond line\n  item");
        assert_eq!(texts(&s), ["Title", "First para.", "Second line", "  item"]);
        let blanks: Vec<bool> = s.blocks.iter().map(|b| b.blank_before).collect();
        assert_eq!(blanks, [false, true, false, false]);
        assert_eq!(s.blocks[3].indent, 2);
        assert_eq!(s.line_ending, LineEnding::Lf);
    }

    #[test]
    fn crlf_is_detected_and_stripped() {
        let s = segment_text("a\r\n\r\nb\r\n");
        assert_eq!(texts(&s), ["a", "b"]);
        assert_eq!(s.line_ending, LineEnding::CrLf);
        assert!(s.blocks[1].blank_before);
    }

    #[test]
    fn hard_wrapped_text_is_cut_at_blank_lines() {
        let para = "The quick brown fox jumps over the lazy dog and then it\n\
                    runs along the river bank until the evening comes and\n\
                    the light fades over the hills behind the old village.\n";
        let text = format!("{para}\n{para}\n{para}");
        let s = segment_text(&text);
        assert_eq!(s.blocks.len(), 3);
        assert_eq!(s.blocks[0].kind, BlockKind::Paragraph);
    }

    #[test]
    fn empty_and_blank_inputs_have_no_blocks() {
        assert!(segment_text("").blocks.is_empty());
        assert!(segment_text(" \n\t\n\r\n").blocks.is_empty());
    }
}
