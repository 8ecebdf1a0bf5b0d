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
    // The text written last and not yet copied: kept blocks that stand in the text as they are
    // written out, one line ending apart, are copied at once (most lines are kept, and a copy
    // for each cost more than the line).
    let mut run = 0..0;
    let mut start = 0;
    while start < doc.blocks.len() {
        let end = group_end(doc, start);
        let keep_apart = keeps_lines_apart(doc, &reasons[start..end], start);
        for (block, reason) in doc.blocks[start..end].iter().zip(&reasons[start..end]) {
            blank_pending |= block.blank_before;
            if !reason.keeps() {
                continue;
            }
            if !any_kept {
                run = block.range.clone();
            } else if !(blank_pending || keep_apart)
                && doc.text.as_bytes().get(run.end..block.range.start) == Some(newline.as_bytes())
            {
                run.end = block.range.end;
            } else {
                out.push_str(&doc.text[run]);
                out.push_str(newline);
                if blank_pending || keep_apart {
                    out.push_str(newline);
                }
                run = block.range.clone();
            }
            any_kept = true;
            blank_pending = false;
        }
        start = end;
    }
    if any_kept {
        out.push_str(&doc.text[run]);
        out.push_str(newline);
    }
    out
}

/// Where the group of blocks that starts at block `start` ends: at the next block after a
/// blank line.
fn group_end(doc: &Segmented<'_>, start: usize) -> usize {
    (start + 1..doc.blocks.len())
        .find(|&j| doc.blocks[j].blank_before)
        .unwrap_or(doc.blocks.len())
}

/// Whether the lines kept from the group of blocks that starts at block `start` (with these
/// `reasons`) would read back as one hard-wrapped paragraph, and so must be kept apart. A group
/// kept whole reads back as it was read, and a paragraph takes three lines: most groups are
/// answered without gathering their kept lines.
fn keeps_lines_apart(doc: &Segmented<'_>, reasons: &[Reason], start: usize) -> bool {
    let group = &doc.blocks[start..start + reasons.len()];
    let kept = reasons.iter().filter(|r| r.keeps()).count();
    if kept == reasons.len() || kept < 3 || group.iter().any(|b| b.kind != BlockKind::Line) {
        return false;
    }
    let kept: Vec<&Block> = group
        .iter()
        .zip(reasons)
        .filter(|(_, reason)| reason.keeps())
        .map(|(block, _)| block)
        .collect();
    crate::segment::would_read_as_one_paragraph(&doc.text, &kept)
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

    /// [`clean_text`] as it was first written: the kept lines of every group gathered and
    /// asked whether they read as one paragraph.
    fn clean_text_asking_every_group(doc: &Segmented<'_>, reasons: &[Reason]) -> String {
        let newline = doc.line_ending.as_str();
        let mut out = String::new();
        let (mut blank_pending, mut any_kept, mut keep_apart) = (false, false, false);
        for (i, block) in doc.blocks.iter().enumerate() {
            if i == 0 || block.blank_before {
                let end = group_end(doc, i);
                let group = &doc.blocks[i..end];
                let kept: Vec<&Block> = if group.iter().any(|b| b.kind != BlockKind::Line)
                    || reasons[i..end].iter().all(|r| r.keeps())
                {
                    Vec::new()
                } else {
                    (i..end)
                        .filter(|&j| reasons[j].keeps())
                        .map(|j| &doc.blocks[j])
                        .collect()
                };
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

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn cleans_as_when_every_group_is_asked(
            lines in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "",
                        "the council met again on the budget and heard from",
                        "farmers who had waited months for an answer about",
                        "the bridge, before the vote was put off until the",
                        "spring.",
                        "Home",
                        "and then, at last, the market",
                    ]),
                    proptest::bool::weighted(0.7),
                    proptest::sample::select(vec!["\n", "\r\n", "\r\r\n"]),
                ),
                0..24,
            ),
        ) {
            let text: String = lines.iter().flat_map(|(line, _, end)| [*line, *end]).collect();
            let doc = segment_text(&text);
            // Each block kept or dropped as the line it starts on says.
            let mut keeps = lines.iter().filter(|(line, ..)| !line.is_empty()).map(|(_, k, _)| *k);
            let reasons: Vec<Reason> = doc
                .blocks
                .iter()
                .map(|_| if keeps.next().unwrap_or(true) { Reason::Content } else { Reason::Navigation })
                .collect();
            proptest::prop_assert_eq!(
                clean_text(&doc, &reasons),
                clean_text_asking_every_group(&doc, &reasons)
            );
        }
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
