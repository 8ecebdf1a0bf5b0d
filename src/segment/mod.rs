//! Segmentation: cutting a document into the blocks that are judged one by one.
//!
//! Plain text comes in two shapes. Most scraped text has one block a line (Common Crawl's WET
//! files, the text view of a page) or one paragraph a line separated by blank lines; there every
//! non-blank line is a block. Hard-wrapped text (a paragraph spread over several lines of similar
//! width) is cut at blank lines instead, so that a paragraph is judged as a whole.

use std::borrow::Cow;
use std::ops::Range;

use crate::byte_masks::is_ascii_space;

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
    /// Hash of the block's tag path (element names from the root): its place in the page.
    /// Classes are left out: some sites draw new class names for every page view.
    pub path_hash: u64,
    /// Class and id hints found on the block or its ancestors (see [`DomHints`]).
    pub hints: DomHints,
    /// Depth of the block's element in the tree.
    pub depth: u16,
    /// Index in [`Segmented::elements`] of the element whose text the block is.
    pub element: u32,
    /// Index of the element a paragraph-scoring content finder credits first: the block's own
    /// element for a run of text between other blocks, else the parent of a paragraph-like
    /// element (`<p>`, a `<div>` holding only text).
    pub container: u32,
}

/// No element: the parent of the root, or the element of a block outside any.
pub const NO_ELEMENT: u32 = u32::MAX;

/// An element of an HTML page, as content finding sees it. Elements are stored in document
/// order (pre-order), so an element's descendants are the elements after it up to
/// [`Element::end`], and its blocks are a contiguous range too.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    /// Index of the parent element, or [`NO_ELEMENT`].
    pub parent: u32,
    /// What kind of element it is.
    pub tag: Tag,
    /// Its class, id and role name the content (`1`), furniture (`-1`), or neither (`0`).
    pub class_weight: i8,
    /// Its class, id or role marks furniture so plainly that it is unlikely to hold the article.
    pub unlikely: bool,
    /// Hints from the element's own name, class, id and role (see [`DomHints`]).
    pub hints: DomHints,
    /// Hash of the class attribute (0 without one), to tell siblings of the same kind.
    pub class_key: u32,
    /// The blocks inside the element.
    pub blocks: Range<u32>,
    /// Index just past the element's last descendant.
    pub end: u32,
    /// Element children.
    pub children: u32,
    /// Images inside the element (descendants included).
    pub images: u16,
    /// Form inputs inside the element (descendants included).
    pub inputs: u16,
}

/// Kinds of HTML elements that content finding tells apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tag {
    /// `<html>`
    Html,
    /// `<body>`
    Body,
    /// `<div>`
    Div,
    /// `<section>`
    Section,
    /// `<article>`
    Article,
    /// `<main>`
    Main,
    /// `<header>`
    Header,
    /// `<footer>`
    Footer,
    /// `<nav>`
    Nav,
    /// `<aside>`
    Aside,
    /// `<p>`
    P,
    /// `<pre>`
    Pre,
    /// `<td>`
    Td,
    /// `<th>`
    Th,
    /// `<tr>`, `<tbody>`, `<thead>`, `<tfoot>`
    Row,
    /// `<table>`
    Table,
    /// `<blockquote>`
    Blockquote,
    /// `<li>`
    Li,
    /// `<ul>`, `<ol>`, `<dl>`, `<menu>`
    List,
    /// `<dd>`, `<dt>`
    DefinitionItem,
    /// `<h1>` to `<h6>`, with the level
    Heading(u8),
    /// `<form>`, `<fieldset>`
    Form,
    /// `<figure>`
    Figure,
    /// `<figcaption>`
    FigCaption,
    /// `<address>`
    Address,
    /// `<a>`
    Link,
    /// Any other element (inline ones mostly).
    Other,
}

/// Bit set of class/id/role hints found on a block's element or its ancestors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DomHints(pub u32);

impl DomHints {
    /// Inside navigation: `<nav>`, role `navigation`, or a class/id such as `nav`, `menu`.
    pub const NAVIGATION: u32 = 1;
    /// Inside a page footer or header band.
    pub const FOOTER: u32 = 1 << 1;
    /// Inside a sidebar (`<aside>`, `sidebar`, `widget`).
    pub const SIDEBAR: u32 = 1 << 2;
    /// Inside a comment section.
    pub const COMMENTS: u32 = 1 << 3;
    /// Sharing and social buttons.
    pub const SHARE: u32 = 1 << 4;
    /// Related or recommended articles.
    pub const RELATED: u32 = 1 << 5;
    /// Newsletter, subscription and sign-up boxes.
    pub const NEWSLETTER: u32 = 1 << 6;
    /// Cookie and consent notices.
    pub const COOKIE: u32 = 1 << 7;
    /// Advertising and promotions.
    pub const AD: u32 = 1 << 8;
    /// Breadcrumbs.
    pub const BREADCRUMB: u32 = 1 << 9;
    /// Inside `<article>`, `<main>` or an element whose class/id names the article body.
    pub const ARTICLE: u32 = 1 << 10;
    /// Inside a link.
    pub const LINK: u32 = 1 << 11;
    /// Captions and credits (`<figcaption>`, `caption`, `credit`).
    pub const CAPTION: u32 = 1 << 12;
    /// Every hint that marks site furniture.
    pub const FURNITURE: u32 = Self::NAVIGATION
        | Self::FOOTER
        | Self::SIDEBAR
        | Self::COMMENTS
        | Self::SHARE
        | Self::RELATED
        | Self::NEWSLETTER
        | Self::COOKIE
        | Self::AD
        | Self::BREADCRUMB;

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
    /// The page's elements, in document order (HTML only; empty for plain text).
    pub elements: Vec<Element>,
}

impl Segmented<'_> {
    /// The text of block `i`.
    pub fn block_text(&self, i: usize) -> &str {
        &self.text[self.blocks[i].range.clone()]
    }
}

pub mod html;

/// Cuts plain text into blocks: lines, or paragraphs where a group of lines (between blank
/// lines) is hard-wrapped. The decision is made per group, from the group alone, so that cleaning
/// (which keeps or drops whole groups and keeps blank lines between them) does not change it.
pub fn segment_text(text: &str) -> Segmented<'_> {
    let line_ending = detect_line_ending(text);
    let lines = non_blank_lines(text);
    let mut blocks = Vec::with_capacity(lines.len());
    for group in lines.chunk_by(|_, next| !next.blank_before) {
        // A paragraph takes three lines: most groups are one or two, and are not asked.
        if group.len() >= 3 && is_hard_wrapped(text, group) {
            blocks.push(paragraph(group));
        } else {
            blocks.extend(group.iter().map(|line| line.into_block()));
        }
    }
    Segmented {
        text: Cow::Borrowed(text),
        blocks,
        line_ending,
        elements: Vec::new(),
    }
}

/// [`segment_text`] of a text the result may own: a document decoded (or repaired) into a
/// string of its own travels with its blocks.
pub fn segment_owning(text: Cow<'_, str>) -> Segmented<'_> {
    let Segmented {
        blocks,
        line_ending,
        elements,
        ..
    } = segment_text(&text);
    Segmented {
        text,
        blocks,
        line_ending,
        elements,
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
    /// Where the text starts after the indentation.
    content_start: usize,
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

    /// Length of the text without its indentation.
    fn len(&self) -> usize {
        self.end - self.content_start
    }
}

/// Bytes a line is taken to hold when the lines of a text are counted in advance: a little
/// fewer than most texts hold, so that one allocation is nearly always enough.
const BYTES_PER_LINE: usize = 64;

fn non_blank_lines(text: &str) -> Vec<Line> {
    let bytes = text.as_bytes();
    // Sized for a line every 64 bytes (scraped text averages about 90): growing the vector
    // line by line reallocated it several times a document.
    let mut lines = Vec::with_capacity(bytes.len() / BYTES_PER_LINE + 1);
    let mut start = 0;
    let mut blank_before = false;
    // Each line feed ends a line, and the end of the text the last (empty when the text ends
    // with a line feed, and so blank: it changes nothing). One search over the whole text
    // finds the line feeds, rather than a search started anew for each line.
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for newline in ends {
        let mut end = newline;
        // Every trailing CR goes with the line ending: were one kept, a re-read of the output
        // would take it for a CRLF and cleaning would not be idempotent.
        while end > start && bytes[end - 1] == b'\r' {
            end -= 1;
        }
        match indentation(text, start..end) {
            None => blank_before = !lines.is_empty(),
            Some((indent_bytes, indent)) => {
                lines.push(Line {
                    start,
                    content_start: start + indent_bytes,
                    end,
                    indent,
                    blank_before,
                });
                blank_before = false;
            }
        }
        start = newline + 1;
    }
    lines
}

/// The indentation of the line at `line` in `text` (the whitespace it starts with, as
/// [`str::trim_start`] sees it): how many bytes it takes and how wide it is, a tab four columns
/// and any other character one; `None` when the line is whitespace only. ASCII whitespace is
/// measured byte by byte, in the one pass that finds where it ends: a character is decoded only
/// at a vertical tab or a character outside ASCII (it may be a space). Half the lines of scraped
/// text are indented. (The line is taken as a range of bytes, not a `&str`: the ends of a line
/// are always character boundaries, and checking them cost a tenth of finding a line.)
fn indentation(text: &str, line: Range<usize>) -> Option<(usize, u16)> {
    let mut width = 0;
    for (at, &b) in text.as_bytes()[line.clone()].iter().enumerate() {
        match b {
            b'\t' => width += 4,
            b' ' | b'\n' | 0x0C | b'\r' => width += 1,
            0x0B | 0x80.. => return indentation_beyond_ascii(&text[line], at, width),
            _ => return Some((at, clamp_width(width))),
        }
    }
    None
}

/// [`indentation`] of `line` from `at` on, where a vertical tab or a character outside ASCII
/// follows ASCII whitespace `width` columns wide.
#[cold]
fn indentation_beyond_ascii(line: &str, at: usize, width: usize) -> Option<(usize, u16)> {
    let rest = &line[at..];
    let content = rest.trim_start();
    if content.is_empty() {
        return None;
    }
    let indent = &rest[..rest.len() - content.len()];
    let width = width
        + indent
            .chars()
            .map(|c| if c == '\t' { 4 } else { 1 })
            .sum::<usize>();
    Some((line.len() - content.len(), clamp_width(width)))
}

/// An indentation width as a block holds it.
fn clamp_width(width: usize) -> u16 {
    width.min(u16::MAX as usize) as u16
}

/// Whether the given lines of `text` (blocks of [`BlockKind::Line`], in order), written one after
/// another with nothing between them, would be read back as one hard-wrapped paragraph. Cleaning
/// that drops lines from a group of lines must not join the lines it keeps: read again, they
/// would be one block where they were several, and decided anew.
pub fn would_read_as_one_paragraph(text: &str, lines: &[&Block]) -> bool {
    let lines: Vec<Line> = lines
        .iter()
        .map(|block| {
            let line = &text[block.range.clone()];
            Line {
                start: block.range.start,
                content_start: block.range.end - line.trim_start().len(),
                end: block.range.end,
                indent: block.indent,
                blank_before: false,
            }
        })
        .collect();
    is_hard_wrapped(text, &lines)
}

/// A hard-wrapped group has lines of a similar width, most of them continued by the next line
/// (no sentence punctuation at the break). A group of lines that are blocks of their own has few
/// such breaks.
fn is_hard_wrapped(text: &str, group: &[Line]) -> bool {
    if group.len() < 3 {
        return false;
    }
    // Counted before they are gathered: most groups have fewer than three.
    if group
        .iter()
        .filter(|line| line.len() >= 30)
        .nth(2)
        .is_none()
    {
        return false;
    }
    // Room for every line at once: gathered by a filter, they grew the vector several times.
    let mut long_lines = Vec::with_capacity(group.len());
    long_lines.extend(group.iter().map(Line::len).filter(|&n| n >= 30));
    // The width is the line length at nine tenths of the sorted lengths: found without sorting
    // them all.
    let at = long_lines.len() * 9 / 10;
    let width = *long_lines.select_nth_unstable(at).1;
    if width > 120 {
        return false;
    }
    // Two thirds of the breaks must be wrapped: the count stops as soon as the answer is
    // known either way (a group of many lines is mostly decided by its first third).
    let breaks = group.len() - 1;
    let (mut wrapped, mut unwrapped) = (0, 0);
    for pair in group.windows(2) {
        if is_wrapped_break(text, &pair[0], &pair[1], width) {
            wrapped += 1;
        } else {
            unwrapped += 1;
        }
        if wrapped * 3 >= breaks * 2 {
            return true;
        }
        if unwrapped * 3 > breaks {
            return false;
        }
    }
    wrapped * 3 >= breaks * 2
}

/// Whether the break between `line` and `next` reads as a line wrapped at `width`: the line
/// near the width, and a sentence going on across the break.
fn is_wrapped_break(text: &str, line: &Line, next: &Line, width: usize) -> bool {
    line.len() * 10 >= width * 7
        && continues_sentence(
            text[line.start..line.end].trim_end(),
            text[next.start..next.end].trim_start(),
        )
}

/// A sentence broken across a line end: the line stops without sentence punctuation, on a
/// comma or a lower-case word, or the next line goes on in lower case.
fn continues_sentence(line: &str, next: &str) -> bool {
    if line.ends_with(['.', '!', '?', ':', '"', '”']) {
        return false;
    }
    let ends_mid_sentence = line
        .chars()
        .next_back()
        .is_some_and(|c| c == ',' || c.is_lowercase());
    let next_lower = next.chars().next().is_some_and(char::is_lowercase);
    (ends_mid_sentence || next_lower) && reads_as_prose(line)
}

/// Most words of running prose start in lower case; menu entries and titles are capitalised.
fn reads_as_prose(line: &str) -> bool {
    let (words, capitalised) = if line.is_ascii() {
        count_ascii_words(line.as_bytes())
    } else {
        count_words(line)
    };
    words >= 4 && capitalised * 2 < words
}

/// Words (between whitespace) of `line`, and how many of them start with a capital.
fn count_words(line: &str) -> (usize, usize) {
    let (mut words, mut capitalised) = (0, 0);
    for word in line.split_whitespace() {
        words += 1;
        if word.chars().next().is_some_and(char::is_uppercase) {
            capitalised += 1;
        }
    }
    (words, capitalised)
}

/// [`count_words`] of ASCII text, byte by byte instead of character by character.
fn count_ascii_words(line: &[u8]) -> (usize, usize) {
    let (mut words, mut capitalised) = (0, 0);
    let mut before = b' ';
    for &b in line {
        if is_ascii_space(before) && !is_ascii_space(b) {
            words += 1;
            capitalised += usize::from(b.is_ascii_uppercase());
        }
        before = b;
    }
    (words, capitalised)
}

/// One block spanning a group of wrapped lines.
fn paragraph(group: &[Line]) -> Block {
    let mut block = group[0].into_block();
    block.range.end = group[group.len() - 1].end;
    block.kind = BlockKind::Paragraph;
    block
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The indentation of a line as first measured: [`str::trim_start`] (whose ASCII part
    /// was then trimmed byte by byte), then the width of what it took.
    fn indentation_by_trimming(line: &str) -> Option<(usize, u16)> {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            return None;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let width: usize = indent.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
        Some((indent.len(), width.min(u16::MAX as usize) as u16))
    }

    /// [`indentation`] of a whole text as one line.
    fn indentation_of(line: &str) -> Option<(usize, u16)> {
        indentation(line, 0..line.len())
    }

    /// [`is_hard_wrapped`] as it was written first: every break counted.
    fn hard_wrapped_counting_every_break(text: &str, group: &[Line]) -> bool {
        if group.len() < 3 {
            return false;
        }
        let mut long_lines: Vec<usize> = group.iter().map(Line::len).filter(|&n| n >= 30).collect();
        if long_lines.len() < 3 {
            return false;
        }
        long_lines.sort_unstable();
        let width = long_lines[long_lines.len() * 9 / 10];
        if width > 120 {
            return false;
        }
        let breaks = group.len() - 1;
        let wrapped_breaks = group
            .windows(2)
            .filter(|pair| is_wrapped_break(text, &pair[0], &pair[1], width))
            .count();
        wrapped_breaks * 3 >= breaks * 2
    }

    #[test]
    fn ascii_words_are_counted_as_words_between_whitespace() {
        for line in [
            "",
            " ",
            "a",
            "The cat sat",
            "  Two  Words ",
            "x\u{b}Y\u{c}z\tW\r",
            "A,B c",
        ] {
            assert_eq!(
                count_ascii_words(line.as_bytes()),
                count_words(line),
                "{line:?}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn ascii_lines_are_counted_as_any_line(line in "[aAzZ,. \t\u{b}\u{c}\r]{0,40}") {
            proptest::prop_assert_eq!(count_ascii_words(line.as_bytes()), count_words(&line));
        }

        #[test]
        fn wrapped_groups_are_found_as_when_every_break_is_counted(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "the council met again on the budget and heard from",
                    "farmers who had waited months for an answer about",
                    "the bridge, before the vote was put off until the",
                    "spring.",
                    "Home",
                    "The Council Met Again On The Budget And Heard From",
                    "and then, at last, the market",
                    "A short line of its own, ended here.",
                ]),
                0..14,
            ),
        ) {
            let text = lines.join("\n");
            let group = non_blank_lines(&text);
            proptest::prop_assert_eq!(
                is_hard_wrapped(&text, &group),
                hard_wrapped_counting_every_break(&text, &group)
            );
        }
    }

    #[test]
    fn indentation_is_measured_as_by_trimming() {
        for line in [
            "",
            "a",
            " a",
            "\u{b}x",
            "\u{c} b ",
            "\u{a0}c",
            "\u{3000}\u{a0} d",
            "é ",
            "\u{1c}e",
            "\t\r\n",
            "\u{85}f",
            "\t \u{a0}\t\u{b}",
        ] {
            assert_eq!(
                indentation_of(line),
                indentation_by_trimming(line),
                "{line:?}"
            );
        }
        for b in 0..0x80u8 {
            let line = format!("{}z ", char::from(b));
            assert_eq!(indentation_of(&line), indentation_by_trimming(&line), "{b}");
            // After ASCII whitespace, the same: indented lines.
            for after in [" ", "\t", "\u{b}", "\u{a0}", "\u{3000}", "é", "x", ""] {
                let line = format!("\t  {}{after}z ", char::from(b));
                assert_eq!(
                    indentation_of(&line),
                    indentation_by_trimming(&line),
                    "{line:?}"
                );
                let blank = format!("\t  {}{after}", char::from(b));
                assert_eq!(
                    indentation_of(&blank),
                    indentation_by_trimming(&blank),
                    "{blank:?}"
                );
            }
        }
        let wide = "\t".repeat(20_000) + "x";
        assert_eq!(indentation_of(&wide), indentation_by_trimming(&wide));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn any_indentation_is_measured_as_by_trimming(
            line in "[ \t\r\u{b}\u{c}\u{a0}\u{3000}\u{85}]{0,12}[a-zé\u{1c} ]{0,3}",
        ) {
            proptest::prop_assert_eq!(indentation_of(&line), indentation_by_trimming(&line));
        }

        #[test]
        fn lines_are_found_as_by_a_search_for_each(
            text in "([ \t]{0,2}[ab\u{a0}]{0,3}\r{0,2}\n{0,2}){0,12}",
        ) {
            let found: Vec<_> = non_blank_lines(&text)
                .iter()
                .map(|l| (l.start, l.content_start, l.end, l.indent, l.blank_before))
                .collect();
            proptest::prop_assert_eq!(found, lines_searched_one_by_one(&text));
        }
    }

    /// The lines of `text` as [`non_blank_lines`] first found them, a search for each line
    /// feed started at the line: (start, content start, end, indent, blank before).
    fn lines_searched_one_by_one(text: &str) -> Vec<(usize, usize, usize, u16, bool)> {
        let bytes = text.as_bytes();
        let mut lines = Vec::new();
        let mut start = 0;
        let mut blank_before = false;
        while start < bytes.len() {
            let newline = memchr::memchr(b'\n', &bytes[start..]).map(|i| start + i);
            let mut end = newline.unwrap_or(bytes.len());
            while end > start && bytes[end - 1] == b'\r' {
                end -= 1;
            }
            match indentation_by_trimming(&text[start..end]) {
                None => blank_before = !lines.is_empty(),
                Some((indent_bytes, indent)) => {
                    lines.push((start, start + indent_bytes, end, indent, blank_before));
                    blank_before = false;
                }
            }
            match newline {
                Some(i) => start = i + 1,
                None => break,
            }
        }
        lines
    }

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
    fn every_trailing_carriage_return_goes_with_the_line_ending() {
        let s = segment_text("a\r\r\r\nb\r\r");
        assert_eq!(texts(&s), ["a", "b"]);
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
