//! Emission: the kept blocks written back in the input's own shape, or every block with its
//! verdict for `--explain`.

use std::fmt::Write as _;

use crate::classify::Reason;
use crate::segment::{Block, BlockKind, NO_ELEMENT, Segmented, Tag};

/// Joins the kept blocks of `doc`. Blocks keep their own text; between two kept blocks goes one
/// line ending, or two where the input had a blank line between them, so that paragraphs stay
/// paragraphs. Non-empty output ends with a line ending.
///
/// Lines kept from a group of lines (between blank lines) that would read back as one
/// hard-wrapped paragraph once the lines between them are gone get a blank line each, so that
/// cleaning the output again sees the same blocks.
pub fn clean_text(doc: &Segmented<'_>, reasons: &[Reason]) -> String {
    let newline = doc.line_ending.as_str();
    let mut out = String::with_capacity(doc.text.len());
    let mut blank_pending = false;
    let mut any_kept = false;
    let mut keep_apart = false;
    for (i, block) in doc.blocks.iter().enumerate() {
        if i == 0 || block.blank_before {
            let kept = kept_lines_of_group(doc, reasons, i);
            keep_apart = crate::segment::would_read_as_one_paragraph(&doc.text, &kept);
        }
        blank_pending |= block.blank_before;
        if !reasons[i].keeps() {
            continue;
        }
        if any_kept {
            out.push_str(newline);
            if blank_pending || keep_apart {
                out.push_str(newline);
            }
        }
        out.push_str(doc.block_text(i));
        any_kept = true;
        blank_pending = false;
    }
    if any_kept {
        out.push_str(newline);
    }
    out
}

/// The kept blocks of the group of lines that starts at block `start` (up to the next blank
/// line), when some of its lines are dropped; none otherwise (a whole group reads back as it
/// was read).
fn kept_lines_of_group<'d>(
    doc: &'d Segmented<'_>,
    reasons: &[Reason],
    start: usize,
) -> Vec<&'d Block> {
    let end = (start + 1..doc.blocks.len())
        .find(|&j| doc.blocks[j].blank_before)
        .unwrap_or(doc.blocks.len());
    let group = &doc.blocks[start..end];
    let reasons = &reasons[start..end];
    if group.iter().any(|b| b.kind != BlockKind::Line) || reasons.iter().all(|r| r.keeps()) {
        return Vec::new();
    }
    group
        .iter()
        .zip(reasons)
        .filter(|(_, reason)| reason.keeps())
        .map(|(block, _)| block)
        .collect()
}

/// The shape of cleaned output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Plain text: blocks as they are, paragraphs separated by blank lines.
    #[default]
    Text,
    /// Markdown: headings as `#`, list items as `- `, quotes as `> `, tables as pipe tables.
    Markdown,
}

/// The kept blocks of `doc` in the given format.
pub fn render(doc: &Segmented<'_>, reasons: &[Reason], format: OutputFormat) -> String {
    match format {
        OutputFormat::Text => clean_text(doc, reasons),
        OutputFormat::Markdown => markdown(doc, reasons),
    }
}

/// The kept blocks as Markdown.
fn markdown(doc: &Segmented<'_>, reasons: &[Reason]) -> String {
    let mut out = String::with_capacity(doc.text.len());
    let mut previous: Option<BlockKind> = None;
    let mut plain_until = 0;
    let mut i = 0;
    while i < doc.blocks.len() {
        let block = &doc.blocks[i];
        if !reasons[i].keeps() {
            i += 1;
            continue;
        }
        if i >= plain_until
            && let Some((table, end)) = pipe_table(doc, reasons, i)
        {
            match table {
                Some(table) => {
                    if previous.is_some() {
                        out.push_str("\n\n");
                    }
                    out.push_str(&table);
                    previous = Some(BlockKind::TableCell);
                    i = end;
                    continue;
                }
                // Not a grid: its cells are written one by one, and not looked at again.
                None => plain_until = end,
            }
        }
        let text = doc.block_text(i);
        if let Some(previous) = previous {
            let same_list = previous == BlockKind::ListItem && block.kind == BlockKind::ListItem;
            out.push_str(if same_list && !block.blank_before {
                "\n"
            } else {
                "\n\n"
            });
        }
        match block.kind {
            BlockKind::Heading(level) => {
                out.push_str(&"#".repeat(level as usize));
                out.push(' ');
                out.push_str(text);
            }
            BlockKind::ListItem => {
                out.push_str("- ");
                out.push_str(text);
            }
            BlockKind::Quote => {
                out.push_str("> ");
                out.push_str(&text.replace('\n', "\n> "));
            }
            BlockKind::Preformatted => {
                out.push_str("```\n");
                out.push_str(text);
                out.push_str("\n```");
            }
            _ => out.push_str(text),
        }
        previous = Some(block.kind);
        i += 1;
    }
    if previous.is_some() {
        out.push('\n');
    }
    out
}

/// The kept cells of the table whose first kept cell is block `first`, as a Markdown pipe
/// table (the first row as its header), and the block after them; no table when it is not a
/// grid of at least two rows and two columns (a layout table reads better as paragraphs), and
/// `None` when `first` is not a table cell.
fn pipe_table(
    doc: &Segmented<'_>,
    reasons: &[Reason],
    first: usize,
) -> Option<(Option<String>, usize)> {
    let table = table_of(doc, first)?;
    let mut rows: Vec<(u32, Vec<&str>)> = Vec::new();
    let mut end = first;
    while end < doc.blocks.len() {
        if reasons[end].keeps() {
            if table_of(doc, end) != Some(table) {
                break;
            }
            let Some(cell) = cell_element(doc, end) else {
                break;
            };
            let row = doc.elements[cell as usize].parent;
            match rows.last_mut() {
                Some((id, cells)) if *id == row => cells.push(doc.block_text(end)),
                _ => rows.push((row, vec![doc.block_text(end)])),
            }
        }
        end += 1;
    }
    let columns = rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
    if rows.len() < 2 || columns < 2 {
        return Some((None, end));
    }
    let mut out = String::new();
    for (r, (_, cells)) in rows.iter().enumerate() {
        if r > 0 {
            out.push('\n');
        }
        out.push('|');
        for c in 0..columns {
            let cell = cells.get(c).copied().unwrap_or("");
            out.push(' ');
            out.push_str(&cell.replace('|', "\\|").replace('\n', " "));
            out.push_str(" |");
        }
        if r == 0 {
            out.push_str("\n|");
            out.push_str(&" --- |".repeat(columns));
        }
    }
    Some((Some(out), end))
}

/// The element of block `i` when the block is a table cell (`<td>`, `<th>`).
fn cell_element(doc: &Segmented<'_>, i: usize) -> Option<u32> {
    let block = &doc.blocks[i];
    let element = block.dom.as_ref()?.element;
    let is_cell = block.kind == BlockKind::TableCell
        && element != NO_ELEMENT
        && matches!(doc.elements[element as usize].tag, Tag::Td | Tag::Th);
    is_cell.then_some(element)
}

/// The `<table>` holding the cell that is block `i`, if it is one.
fn table_of(doc: &Segmented<'_>, i: usize) -> Option<u32> {
    let mut at = doc.elements[cell_element(doc, i)? as usize].parent;
    while at != NO_ELEMENT {
        let element = &doc.elements[at as usize];
        if element.tag == Tag::Table {
            return Some(at);
        }
        at = element.parent;
    }
    None
}

/// How `--explain` output is decorated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Style {
    /// Plain text.
    #[default]
    Plain,
    /// ANSI colours: kept blocks green, removed blocks red and dim.
    Color,
}

/// Every block of `doc`, one a line: `+` kept or `-` removed, the reason, and the text.
pub fn explain(doc: &Segmented<'_>, reasons: &[Reason], style: Style) -> String {
    let mut out = String::with_capacity(doc.text.len() + doc.blocks.len() * 32);
    for (i, reason) in reasons.iter().enumerate() {
        let mark = if reason.keeps() { '+' } else { '-' };
        let text = doc.block_text(i).trim_end();
        match style {
            Style::Plain => {
                let _ = writeln!(out, "{mark} {:<21} {text}", reason.name());
            }
            Style::Color => {
                let (on, off) = if reason.keeps() {
                    ("\x1b[32m", "\x1b[0m")
                } else {
                    ("\x1b[31;2m", "\x1b[0m")
                };
                let _ = writeln!(out, "{on}{mark} {:<21}{off} {text}", reason.name());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment_text;

    #[test]
    fn keeps_paragraph_breaks_and_line_endings() {
        let doc = segment_text("a\r\n\r\nmenu\r\nb\r\nc");
        let reasons = [
            Reason::Content,
            Reason::Navigation,
            Reason::Content,
            Reason::Content,
        ];
        assert_eq!(clean_text(&doc, &reasons), "a\r\n\r\nb\r\nc\r\n");
    }

    #[test]
    fn nothing_kept_is_empty() {
        let doc = segment_text("menu\n");
        assert_eq!(clean_text(&doc, &[Reason::Navigation]), "");
    }

    #[test]
    fn explain_marks_each_block() {
        let doc = segment_text("Title\nSubscribe");
        let out = explain(&doc, &[Reason::Heading, Reason::CallToAction], Style::Plain);
        assert_eq!(
            out,
            "+ heading               Title\n- call-to-action        Subscribe\n"
        );
    }
}
