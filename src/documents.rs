//! The documents of one input file, whatever its format, and the output they make.
//!
//! A plain-text or HTML file is one document; a JSON Lines file holds one a line; a WARC file one
//! a record. This module walks them, hands each to the cleaner with its site, and assembles the
//! output in the input's own format (WARC becomes JSON Lines). The census pass walks the same
//! documents with the same sites, so both passes agree on what a document and its site are.

use crate::census::{Census, Counter};
use crate::classify::{Reason, SiteRepeat};
use crate::emit::{self, OutputFormat, Style};
use crate::read::warc::{self, WarcRecord};
use crate::read::{self, FileSource, Format, Source, jsonl};
use crate::{Cleaned, Cleaner, Prepared, SiteContext};

/// How documents are cleaned and written.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// The JSON Lines field holding the text.
    pub text_field: &'a str,
    /// Drop records whose cleaned text is empty (JSON Lines, WARC).
    pub drop_empty: bool,
    /// Drop malformed JSON lines instead of passing them through.
    pub skip_bad: bool,
    /// Shape of cleaned text.
    pub output_format: OutputFormat,
    /// Write the `--explain` view instead of clean text.
    pub explain: Option<Style>,
    /// Also make a Dolma attribute file of the removed spans (JSON Lines inputs).
    pub attributes: bool,
    /// Write JSON Lines records unchanged (with `attributes`: tag, do not cut).
    pub tag_only: bool,
}

impl Default for Settings<'_> {
    fn default() -> Self {
        Settings {
            text_field: "text",
            drop_empty: false,
            skip_bad: false,
            output_format: OutputFormat::Text,
            explain: None,
            attributes: false,
            tag_only: false,
        }
    }
}

/// What cleaning one file produced.
#[derive(Debug, Default)]
pub struct FileResult {
    /// The output, in the input's format.
    pub output: Vec<u8>,
    /// Documents cleaned.
    pub documents: u64,
    /// Records dropped (`--skip-bad`, `--drop-empty`).
    pub dropped: u64,
    /// Blocks seen.
    pub blocks: u64,
    /// Blocks removed, per reason.
    pub removed: Vec<(&'static str, u64)>,
    /// Problems with single records (a bad JSON line, named by its number); the file itself
    /// went through.
    pub record_problems: Vec<String>,
    /// A damaged record that ended reading the file early (a WARC offset); what came before was
    /// cleaned.
    pub fault: Option<String>,
    /// Bytes of document text read.
    pub text_bytes: u64,
    /// The Dolma attribute file, one line a record (when asked for).
    pub attributes: Vec<u8>,
}

impl FileResult {
    /// Adds the counts of `other` (a later part of the same file) to these; its output,
    /// attributes and problems are left to the caller.
    pub fn absorb(&mut self, other: &FileResult) {
        self.documents += other.documents;
        self.dropped += other.dropped;
        self.blocks += other.blocks;
        self.text_bytes += other.text_bytes;
        for &(name, count) in &other.removed {
            self.count_removed(name, count);
        }
    }

    fn tally(&mut self, cleaned: &Cleaned) {
        self.tally_reasons(cleaned.blocks.iter().map(|block| block.reason));
    }

    /// Counts one document whose blocks got these reasons.
    fn tally_reasons(&mut self, reasons: impl IntoIterator<Item = Reason>) {
        // Counted by reason first: a name is looked up once a reason, not once a block.
        let mut by_reason = [0u64; Reason::ALL.len()];
        for reason in reasons {
            by_reason[reason as usize] += 1;
        }
        self.documents += 1;
        self.blocks += by_reason.iter().sum::<u64>();
        for (reason, count) in Reason::ALL.into_iter().zip(by_reason) {
            if count > 0 && !reason.keeps() {
                self.count_removed(reason.name(), count);
            }
        }
    }

    fn count_removed(&mut self, reason: &'static str, count: u64) {
        match self.removed.iter_mut().find(|(n, _)| *n == reason) {
            Some((_, total)) => *total += count,
            None => self.removed.push((reason, count)),
        }
    }
}

/// The cleaner and what it needs for every document of one input.
#[derive(Clone, Copy)]
pub struct Cleaning<'a> {
    /// The cleaner.
    pub cleaner: &'a Cleaner,
    /// The census, when one is in use.
    pub census: Option<&'a Census>,
    /// How documents are cleaned and written.
    pub settings: &'a Settings<'a>,
    /// The input, for the sites of documents without a URL and for messages.
    pub source: &'a Source,
}

impl Cleaning<'_> {
    /// What the census knows of a document whose URL is `url`, if there is a census: the
    /// document's site is the URL's host, else the input's folder.
    fn site_context<'u>(&'u self, url: Option<&'u str>) -> Option<SiteContext<'u>> {
        self.census.map(|census| SiteContext {
            census,
            site: site_of(url, self.source),
        })
    }
}

/// The site of a document: the host of its URL if it has one, else the file's folder.
fn site_of<'a>(url: Option<&'a str>, source: &'a Source) -> &'a str {
    url.and_then(read::url_host)
        .unwrap_or_else(|| source.site())
}

/// Cleans every document of one file's (decompressed, decoded where needed) bytes.
pub fn clean_file(cleaning: Cleaning<'_>, format: Format, bytes: &[u8]) -> FileResult {
    let (cleaner, settings) = (cleaning.cleaner, cleaning.settings);
    let mut result = FileResult::default();
    match format {
        Format::Text | Format::Jsonl => {
            let text = read::text_lossy(bytes);
            return clean_text_file(cleaning, format, &text);
        }
        Format::Html => {
            let html = read::decode_html(bytes, None);
            let (cleaned, url) = cleaner.clean_html_page(
                &html,
                cleaning.census,
                cleaning.source.site(),
                settings.output_format,
            );
            result.tally(&cleaned);
            result.text_bytes = html.len() as u64;
            result.output = match settings.explain {
                Some(style) => {
                    cleaner.explain_html(&html, cleaning.site_context(url.as_deref()), style)
                }
                None => cleaned.text,
            }
            .into_bytes();
        }
        Format::Warc => clean_warc(cleaning, bytes, &mut result),
    }
    result
}

/// [`clean_file`] of a plain-text or JSON Lines file already decoded (`format` is one of them;
/// another is taken for text).
pub fn clean_text_file(cleaning: Cleaning<'_>, format: Format, text: &str) -> FileResult {
    let (cleaner, settings) = (cleaning.cleaner, cleaning.settings);
    let mut result = FileResult::default();
    if format == Format::Jsonl {
        clean_jsonl(cleaning, text, &mut result);
        return result;
    }
    let prepared = cleaner.prepare(std::borrow::Cow::Borrowed(text));
    let repeats = cleaning
        .site_context(None)
        .map(|site| site.census.lookup(site.site, &prepared.fingerprints));
    clean_prepared(cleaner, settings, &prepared, repeats.as_deref())
}

/// Cleans a plain-text document already cut into blocks and fingerprinted, given what the
/// census knows of its blocks (`repeats`, when a census is in use).
pub(crate) fn clean_prepared(
    cleaner: &Cleaner,
    settings: &Settings<'_>,
    prepared: &Prepared<'_>,
    repeats: Option<&[SiteRepeat]>,
) -> FileResult {
    let reasons = cleaner.decide_prepared(prepared, repeats);
    let mut result = FileResult::default();
    result.tally_reasons(reasons.iter().copied());
    result.text_bytes = prepared.doc.text.len() as u64;
    result.output = match settings.explain {
        Some(style) => emit::explain(&prepared.doc, &reasons, style),
        None => emit::clean_text(&prepared.doc, &reasons),
    }
    .into_bytes();
    result
}

fn clean_jsonl(cleaning: Cleaning<'_>, text: &str, result: &mut FileResult) {
    for (index, line) in text.lines().enumerate() {
        clean_jsonl_line(cleaning, index + 1, line, result);
    }
}

/// Cleans line `number` of a JSON Lines file into `result`: the record with its text cleaned
/// goes to `result.output` (a malformed line passes through unchanged, or is dropped with
/// `--skip-bad`, and is named in `result.record_problems`); blank lines are left out.
pub fn clean_jsonl_line(
    cleaning: Cleaning<'_>,
    number: usize,
    line: &str,
    result: &mut FileResult,
) {
    let (cleaner, settings) = (cleaning.cleaner, cleaning.settings);
    if line.trim().is_empty() {
        return;
    }
    let record = match jsonl::parse(line, settings.text_field) {
        Ok(record) => record,
        Err(message) => {
            let action = if settings.skip_bad {
                result.dropped += 1;
                "dropped (--skip-bad)"
            } else {
                result.output.extend_from_slice(line.as_bytes());
                result.output.push(b'\n');
                "passed through unchanged"
            };
            result
                .record_problems
                .push(format!("line {number}: {message}; {action}"));
            return;
        }
    };
    let site = cleaning.site_context(record.url.as_deref());
    let cleaned = cleaner.clean_with(&record.text, site);
    result.tally(&cleaned);
    result.text_bytes += record.text.len() as u64;
    if settings.attributes {
        push_attributes(&mut result.attributes, &record, &cleaned);
    }
    if cleaned.text.is_empty() && settings.drop_empty && !settings.tag_only {
        result.dropped += 1;
        return;
    }
    if settings.tag_only {
        result.output.extend_from_slice(line.as_bytes());
    } else {
        let text = match settings.explain {
            Some(style) => cleaner.explain(&record.text, site, style),
            None => cleaned.text,
        };
        let text = ended_as(&record.text, &text);
        result
            .output
            .extend_from_slice(record.with_text(settings.text_field, text).as_bytes());
    }
    result.output.push(b'\n');
}

/// `cleaned` ending as `original` does: cleaned text ends each line with a newline, and a
/// record's text that had no newline at its end gains none.
fn ended_as<'c>(original: &str, cleaned: &'c str) -> &'c str {
    if original.ends_with('\n') {
        cleaned
    } else {
        cleaned.strip_suffix('\n').unwrap_or(cleaned)
    }
}

/// Counts the record on one JSON Lines line into `counter` (a malformed line counts nothing).
pub fn count_jsonl_line(
    cleaner: &Cleaner,
    counter: &mut Counter,
    settings: &Settings<'_>,
    source: &Source,
    line: &str,
) {
    if let Ok(record) = jsonl::parse(line, settings.text_field) {
        let site = site_of(record.url.as_deref(), source);
        cleaner.count(counter, site, &record.text);
    }
}

/// Name of the attribute deboil writes in Dolma attribute files.
pub const ATTRIBUTE_NAME: &str = "deboil__boilerplate";

/// One line of a Dolma attribute file: the record's id and its removed spans as
/// `[start, end, reason]`, offsets in Unicode characters (code points) of the original text, as
/// Dolma counts them.
fn push_attributes(out: &mut Vec<u8>, record: &jsonl::JsonRecord<'_>, cleaned: &Cleaned) {
    let spans = char_spans(&record.text, cleaned);
    let id = record.id.map_or_else(
        || serde_json::Value::Null,
        |raw| serde_json::from_str(raw.get()).unwrap_or(serde_json::Value::Null),
    );
    let line = serde_json::json!({
        "id": id,
        "attributes": { ATTRIBUTE_NAME: spans },
    });
    out.extend_from_slice(line.to_string().as_bytes());
    out.push(b'\n');
}

/// The removed blocks' byte ranges as character ranges, in one pass over the text.
fn char_spans(text: &str, cleaned: &Cleaned) -> Vec<(usize, usize, &'static str)> {
    let mut spans = Vec::new();
    let mut chars = 0;
    let mut byte = 0;
    let advance_to = |target: usize, chars: &mut usize, byte: &mut usize| {
        *chars += text[*byte..target].chars().count();
        *byte = target;
    };
    for block in cleaned.removed() {
        advance_to(block.range.start, &mut chars, &mut byte);
        let start = chars;
        advance_to(block.range.end, &mut chars, &mut byte);
        spans.push((start, chars, block.reason.name()));
    }
    spans
}

/// A WARC record as a document: its text or HTML, and its URL.
enum WarcDocument<'a> {
    Text(std::borrow::Cow<'a, str>),
    Html(String),
}

fn warc_document<'a>(record: &WarcRecord<'a>) -> Option<WarcDocument<'a>> {
    match record.kind.as_str() {
        "conversion" => Some(WarcDocument::Text(read::text_lossy(record.block))),
        "response" => {
            let response = warc::http_response(record.block)?;
            if !response.content_type.contains("html") {
                return None;
            }
            Some(WarcDocument::Html(read::decode_html(
                response.body,
                charset_of(&response.content_type),
            )))
        }
        _ => None,
    }
}

fn charset_of(content_type: &str) -> Option<&str> {
    content_type
        .split(';')
        .find_map(|part| part.trim().strip_prefix("charset="))
        .map(|c| c.trim_matches(['"', '\'']))
}

fn clean_warc(cleaning: Cleaning<'_>, bytes: &[u8], result: &mut FileResult) {
    for record in warc::records(bytes) {
        match record {
            Ok(record) => clean_warc_record(cleaning, &record, result),
            Err(fault) => {
                result.fault = Some(warc_fault(&fault));
                break;
            }
        }
    }
}

/// How a damaged WARC record is reported.
pub fn warc_fault(fault: &warc::Fault) -> String {
    format!(
        "byte offset {}: {}; the records before were cleaned",
        fault.offset, fault.message
    )
}

/// Cleans one WARC record into `result`: a JSON line of its id, URL and clean text when it
/// holds a document (an HTML response or a WET conversion), nothing otherwise.
pub fn clean_warc_record(cleaning: Cleaning<'_>, record: &WarcRecord<'_>, result: &mut FileResult) {
    let (cleaner, settings) = (cleaning.cleaner, cleaning.settings);
    let Some(document) = warc_document(record) else {
        return;
    };
    let site = cleaning.site_context(record.uri.as_deref());
    let cleaned = match &document {
        WarcDocument::Text(text) => cleaner.clean_with(text, site),
        WarcDocument::Html(html) => cleaner.clean_html(html, site, settings.output_format),
    };
    result.tally(&cleaned);
    result.text_bytes += record.block.len() as u64;
    if cleaned.text.is_empty() && settings.drop_empty {
        result.dropped += 1;
        return;
    }
    let line = serde_json::json!({
        "id": record.id,
        "url": record.uri,
        "text": cleaned.text,
    });
    result.output.extend_from_slice(line.to_string().as_bytes());
    result.output.push(b'\n');
}

/// Counts the document of one WARC record, if it holds one, into `counter`.
pub fn count_warc_record(
    cleaner: &Cleaner,
    counter: &mut Counter,
    source: &Source,
    record: &WarcRecord<'_>,
) {
    let site = site_of(record.uri.as_deref(), source);
    match warc_document(record) {
        Some(WarcDocument::Text(text)) => cleaner.count(counter, site, &text),
        Some(WarcDocument::Html(html)) => cleaner.count_html(counter, site, &html),
        None => {}
    }
}

/// Counts every document of one file's bytes into `counter`, with the sites the clean pass uses.
pub fn count_file(
    cleaner: &Cleaner,
    counter: &mut Counter,
    settings: &Settings<'_>,
    source: &Source,
    format: Format,
    bytes: &[u8],
) {
    match format {
        Format::Text => cleaner.count(counter, source.site(), &read::text_lossy(bytes)),
        Format::Html => cleaner.count_html(counter, source.site(), &read::decode_html(bytes, None)),
        Format::Jsonl => {
            let text = read::text_lossy(bytes);
            for line in text.lines() {
                count_jsonl_line(cleaner, counter, settings, source, line);
            }
        }
        Format::Warc => {
            for record in warc::records(bytes).map_while(Result::ok) {
                count_warc_record(cleaner, counter, source, &record);
            }
        }
    }
}

/// The output file name for an input: WARC inputs become JSON Lines, HTML pages become `.txt`
/// (`.md` for Markdown output) since what is written is text, others keep their name.
pub fn output_name(
    file: &FileSource,
    format: Format,
    output_format: OutputFormat,
) -> std::path::PathBuf {
    match format {
        Format::Warc => warc_output_name(file),
        Format::Html => html_output_name(file, output_format),
        Format::Text | Format::Jsonl => file.relative.clone(),
    }
}

/// The input's file name without its compression ending, and that ending (`.gz`, `.zst` or
/// nothing), which its output keeps.
fn split_compression(file: &FileSource) -> (String, String) {
    let name = file
        .relative
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    match (
        read::Compression::of_path(&file.relative),
        name.rsplit_once('.'),
    ) {
        (read::Compression::None, _) | (_, None) => (name, String::new()),
        (_, Some((stem, ending))) => (stem.to_string(), format!(".{ending}")),
    }
}

/// `NAME.html[.gz|.zst]` becomes `NAME.txt[.gz|.zst]` (`NAME.md…` for Markdown).
fn html_output_name(file: &FileSource, output_format: OutputFormat) -> std::path::PathBuf {
    let extension = match output_format {
        OutputFormat::Text => "txt",
        OutputFormat::Markdown => "md",
    };
    let (name, compression) = split_compression(file);
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(stem, _)| stem);
    file.relative
        .with_file_name(format!("{stem}.{extension}{compression}"))
}

/// `NAME.warc[.wet][.gz|.zst]` becomes `NAME.jsonl[.gz|.zst]`.
fn warc_output_name(file: &FileSource) -> std::path::PathBuf {
    let (stem, compression) = split_compression(file);
    let stem = stem
        .strip_suffix(".warc")
        .or_else(|| stem.strip_suffix(".wet"))
        .or_else(|| stem.strip_suffix(".warc.wet"))
        .unwrap_or(&stem)
        .trim_end_matches(".warc");
    file.relative
        .with_file_name(format!("{stem}.jsonl{compression}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_tallied_by_their_place_in_the_list_of_all() {
        for (i, reason) in Reason::ALL.into_iter().enumerate() {
            assert_eq!(reason as usize, i, "{reason}");
        }
        let mut result = FileResult::default();
        let reasons = [
            Reason::Content,
            Reason::Navigation,
            Reason::Legal,
            Reason::Navigation,
        ];
        result.tally_reasons(reasons);
        assert_eq!((result.documents, result.blocks), (1, 4));
        assert_eq!(result.removed, [("legal", 1), ("navigation", 2)]);
    }

    fn name_of(relative: &str, format: Format, output_format: OutputFormat) -> String {
        let file = FileSource {
            path: relative.into(),
            relative: relative.into(),
            site: String::new(),
            read_once: false,
        };
        output_name(&file, format, output_format)
            .to_string_lossy()
            .into_owned()
    }

    #[test]
    fn html_outputs_are_named_for_the_text_written() {
        let text = OutputFormat::Text;
        assert_eq!(name_of("a/page.html", Format::Html, text), "a/page.txt");
        assert_eq!(name_of("page.htm.gz", Format::Html, text), "page.txt.gz");
        let markdown = OutputFormat::Markdown;
        assert_eq!(
            name_of("v1.2/page.html", Format::Html, markdown),
            "v1.2/page.md"
        );
        assert_eq!(name_of("page", Format::Html, markdown), "page.md");
    }

    #[test]
    fn warc_outputs_become_json_lines_and_others_keep_their_name() {
        let text = OutputFormat::Text;
        assert_eq!(
            name_of("crawl.warc.gz", Format::Warc, text),
            "crawl.jsonl.gz"
        );
        assert_eq!(name_of("crawl.warc.wet", Format::Warc, text), "crawl.jsonl");
        assert_eq!(name_of("notes.md", Format::Text, text), "notes.md");
        assert_eq!(name_of("r.jsonl.zst", Format::Jsonl, text), "r.jsonl.zst");
    }
}
