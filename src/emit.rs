//! Emission: the kept blocks written back in the input's own shape, or every block with its
//! verdict for `--explain`.

use std::fmt::Write as _;

use crate::classify::Reason;
use crate::segment::{BlockKind, Segmented};

/// Joins the kept blocks of `doc`. Blocks keep their own text; between two kept blocks goes one
/// line ending, or two where the input had a blank line between them, so that paragraphs stay
/// paragraphs. Non-empty output ends with a line ending.
pub fn clean_text(doc: &Segmented<'_>, reasons: &[Reason]) -> String {
    let newline = doc.line_ending.as_str();
    let mut out = String::with_capacity(doc.text.len());
    let mut blank_pending = false;
    let mut any_kept = false;
    for (i, block) in doc.blocks.iter().enumerate() {
        blank_pending |= block.blank_before;
        if !reasons[i].keeps() {
            continue;
        }
        if any_kept {
            out.push_str(newline);
            if blank_pending {
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

/// The shape of cleaned output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Plain text: blocks as they are, paragraphs separated by blank lines.
    #[default]
    Text,
    /// Markdown: headings as `#`, list items as `- `, quotes as `> `.
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
    for (i, block) in doc.blocks.iter().enumerate() {
        if !reasons[i].keeps() {
            continue;
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
    }
    if previous.is_some() {
        out.push('\n');
    }
    out
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
