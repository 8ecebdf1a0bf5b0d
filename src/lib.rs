//! deboil strips boilerplate from scraped web documents and keeps the article text.
//!
//! Every document goes through the same stages, each a module: [`read`] finds and decodes the
//! inputs, [`segment`] cuts a document into blocks, [`fingerprint`] hashes each block's normalised
//! text, [`census`] counts in how many documents of a site each block appears, [`classify`]
//! decides per block with a stated [`Reason`], and [`emit`] writes the kept blocks back.
//! [`batch`] runs the stages over a corpus in parallel; [`eval`] scores the result against gold
//! text.
//!
//! # Example
//!
//! ```
//! use deboil::{Cleaner, Config};
//!
//! let cleaner = Cleaner::new(Config::default());
//! let page = "Home\nNews\nSport\n\n\
//!             Rain fell on the city all night, and by morning the river had risen over its banks \
//!             in three places, the council said.\n\n\
//!             Subscribe to our newsletter\n";
//! let cleaned = cleaner.clean(page);
//! assert_eq!(
//!     cleaned.text,
//!     "Rain fell on the city all night, and by morning the river had risen over its banks \
//!      in three places, the council said.\n"
//! );
//! let reasons: Vec<&str> = cleaned.removed().map(|b| b.reason.name()).collect();
//! assert_eq!(reasons, ["navigation", "navigation", "navigation", "call-to-action"]);
//! ```

#![warn(missing_docs)]
#![deny(unsafe_code)]

pub mod batch;
mod byte_masks;
pub mod census;
pub mod classify;
pub mod config;
pub mod documents;
pub mod emit;
pub mod error;
pub mod eval;
pub mod fingerprint;
mod hashed_keys;
pub mod read;
pub mod segment;
pub mod streaming;

use std::borrow::Cow;
use std::ops::Range;

pub use census::Census;
pub use classify::Reason;
pub use config::{Config, ConfigBuilder};
pub use error::{Error, Result};
pub use segment::BlockKind;

use classify::Classifier;
use segment::Segmented;

/// Cleans documents with a fixed configuration. Cheap to share between threads.
#[derive(Clone, Debug)]
pub struct Cleaner {
    config: Config,
    classifier: Classifier,
}

/// A cleaned document: the text that remains and the verdict on every block.
#[derive(Clone, Debug, PartialEq)]
pub struct Cleaned {
    /// The kept blocks, in the input's own shape (see [`emit::clean_text`]).
    pub text: String,
    /// Every block of the input with its verdict, in document order.
    pub blocks: Vec<BlockVerdict>,
}

/// The verdict on one block.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockVerdict {
    /// Byte range of the block in the input text.
    pub range: Range<usize>,
    /// What the block is.
    pub kind: BlockKind,
    /// Why it was kept or removed.
    pub reason: Reason,
}

impl Cleaned {
    /// The removed blocks.
    pub fn removed(&self) -> impl Iterator<Item = &BlockVerdict> {
        self.blocks.iter().filter(|b| !b.reason.keeps())
    }
}

/// A document's site and the census that knows it, for cleaning with site-wide repeats.
#[derive(Clone, Copy, Debug)]
pub struct SiteContext<'a> {
    /// The census of the corpus.
    pub census: &'a Census,
    /// The document's site (a host, or the folder holding the file).
    pub site: &'a str,
}

impl Cleaner {
    /// A cleaner with the given configuration.
    pub fn new(config: Config) -> Self {
        let classifier =
            Classifier::new(config.census_thresholds()).keep_comments(config.keeps_comments());
        Cleaner { config, classifier }
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Cleans one plain-text document on its own evidence.
    pub fn clean(&self, text: &str) -> Cleaned {
        self.clean_with(text, None)
    }

    /// Cleans one plain-text document, also using what `site` tells of blocks the document's
    /// site repeats.
    pub fn clean_with(&self, text: &str, site: Option<SiteContext<'_>>) -> Cleaned {
        let (doc, reasons) = self.analyse(text, site);
        Cleaned {
            text: emit::clean_text(&doc, &reasons),
            blocks: verdicts(&doc, &reasons),
        }
    }

    /// Every block of `text` with its verdict, one a line (the `--explain` view).
    pub fn explain(&self, text: &str, site: Option<SiteContext<'_>>, style: emit::Style) -> String {
        let (doc, reasons) = self.analyse(text, site);
        emit::explain(&doc, &reasons, style)
    }

    /// Cleans one HTML page: its main text, paragraphs separated by blank lines, list items one
    /// a line (or Markdown with [`emit::OutputFormat::Markdown`]). The block ranges of the
    /// result point into the page's extracted text, not into the HTML.
    pub fn clean_html(
        &self,
        html: &str,
        site: Option<SiteContext<'_>>,
        format: emit::OutputFormat,
    ) -> Cleaned {
        let doc = segment::html::segment_html(html);
        let reasons = self.classify(&doc, site);
        Cleaned {
            text: emit::render(&doc, &reasons, format),
            blocks: verdicts(&doc, &reasons),
        }
    }

    /// Cleans one HTML page whose site is the host of its canonical URL when it names one, else
    /// `default_site`; uses `census` when given. Returns the page's canonical URL too.
    pub fn clean_html_page(
        &self,
        html: &str,
        census: Option<&Census>,
        default_site: &str,
        format: emit::OutputFormat,
    ) -> (Cleaned, Option<String>) {
        let (doc, url) = segment::html::segment_html_page(html);
        let site = url
            .as_deref()
            .and_then(read::url_host)
            .unwrap_or(default_site);
        let context = census.map(|census| SiteContext { census, site });
        let reasons = self.classify(&doc, context);
        let cleaned = Cleaned {
            text: emit::render(&doc, &reasons, format),
            blocks: verdicts(&doc, &reasons),
        };
        (cleaned, url)
    }

    /// Every block of an HTML page with its verdict, one a line.
    pub fn explain_html(
        &self,
        html: &str,
        site: Option<SiteContext<'_>>,
        style: emit::Style,
    ) -> String {
        let doc = segment::html::segment_html(html);
        let reasons = self.classify(&doc, site);
        emit::explain(&doc, &reasons, style)
    }

    /// Counts an HTML page into a census [`census::Counter`], under the host of its canonical
    /// URL when it names one, else under `default_site`.
    pub fn count_html(&self, counter: &mut census::Counter, default_site: &str, html: &str) {
        let (doc, url) = segment::html::segment_html_page(html);
        let site = url
            .as_deref()
            .and_then(read::url_host)
            .unwrap_or(default_site);
        count_blocks(counter, site, &doc);
    }

    /// Counts a plain-text document of `site` into a census [`census::Counter`].
    pub fn count(&self, counter: &mut census::Counter, site: &str, text: &str) {
        let doc = segment::segment_text(text);
        count_blocks(counter, site, &doc);
    }

    /// The fingerprints of a plain-text document's blocks, as the census counts them.
    pub fn fingerprints(&self, text: &str) -> Vec<u64> {
        let doc = segment::segment_text(text);
        block_fingerprints(&doc)
    }

    fn analyse<'a>(
        &self,
        text: &'a str,
        site: Option<SiteContext<'_>>,
    ) -> (Segmented<'a>, Vec<Reason>) {
        let doc = segment::segment_text(text);
        let reasons = self.classify(&doc, site);
        (doc, reasons)
    }

    fn classify(&self, doc: &Segmented<'_>, site: Option<SiteContext<'_>>) -> Vec<Reason> {
        let fingerprints = block_fingerprints(doc);
        let repeats = site.map(|s| s.census.lookup(s.site, &census_keys(doc, &fingerprints)));
        self.decide(doc, &fingerprints, repeats.as_deref())
    }

    /// Cuts a plain-text document into blocks and fingerprints them, once for both what the
    /// census counts of it and what cleaning it reads.
    pub(crate) fn prepare<'a>(&self, text: Cow<'a, str>) -> Prepared<'a> {
        let doc = segment::segment_owning(text);
        let fingerprints = block_fingerprints(&doc);
        Prepared { doc, fingerprints }
    }

    /// The verdict on every block of a prepared document, given what the census knows of each
    /// (`repeats`, when a census is in use).
    pub(crate) fn decide_prepared(
        &self,
        prepared: &Prepared<'_>,
        repeats: Option<&[classify::SiteRepeat]>,
    ) -> Vec<Reason> {
        self.decide(&prepared.doc, &prepared.fingerprints, repeats)
    }

    fn decide(
        &self,
        doc: &Segmented<'_>,
        fingerprints: &[u64],
        repeats: Option<&[classify::SiteRepeat]>,
    ) -> Vec<Reason> {
        let features = self.classifier.measure_blocks(doc, repeats);
        self.classifier
            .classify_measured(doc, &features, fingerprints, repeats)
    }
}

/// A plain-text document cut into blocks, each with its fingerprint: what the census counts of
/// the document (a plain-text block's census key is its fingerprint) and what classifying it
/// starts from.
pub(crate) struct Prepared<'a> {
    /// The document's blocks.
    pub(crate) doc: Segmented<'a>,
    /// Each block's fingerprint.
    pub(crate) fingerprints: Vec<u64>,
}

fn count_blocks(counter: &mut census::Counter, site: &str, doc: &Segmented<'_>) {
    let fingerprints = block_fingerprints(doc);
    let keys = census_keys(doc, &fingerprints);
    let blocks = keys
        .iter()
        .enumerate()
        .map(|(i, &key)| (key, doc.block_text(i)));
    counter.add_document(site, blocks);
}

/// What the census counts a block by: its fingerprint, and for a block of an HTML page also
/// its place in the page (the path of element names and classes), since a site's template
/// repeats the same text in the same place, while a sentence two articles share sits in each
/// one's text.
fn census_keys<'a>(doc: &Segmented<'_>, fingerprints: &'a [u64]) -> Cow<'a, [u64]> {
    if doc.blocks.iter().all(|b| b.dom.is_none()) {
        return Cow::Borrowed(fingerprints);
    }
    doc.blocks
        .iter()
        .zip(fingerprints)
        .map(|(block, &fingerprint)| match &block.dom {
            Some(dom) => fingerprint::combine(fingerprint, dom.path_hash),
            None => fingerprint,
        })
        .collect()
}

fn block_fingerprints(doc: &Segmented<'_>) -> Vec<u64> {
    let blocks = doc.blocks.iter().map(|block| block.range.clone());
    fingerprint::block_fingerprints(&doc.text, blocks)
}

fn verdicts(doc: &Segmented<'_>, reasons: &[Reason]) -> Vec<BlockVerdict> {
    doc.blocks
        .iter()
        .zip(reasons)
        .map(|(block, &reason)| BlockVerdict {
            range: block.range.clone(),
            kind: block.kind,
            reason,
        })
        .collect()
}

/// What the unit tests of several modules share.
#[cfg(test)]
mod test_support {
    /// Proptest's default configuration, with failures kept as named tests, not as seed files
    /// at the top of the repository.
    pub(crate) fn no_seed_files() -> proptest::test_runner::Config {
        proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        }
    }

    /// Texts made of up to `most - 1` pieces, each one of `words`, a match of `marks` or a match
    /// of `letters` (regexes): texts near what a pattern looks for, where random bytes would
    /// seldom come close.
    pub(crate) fn texts_of_pieces(
        words: &[&str],
        marks: &'static str,
        letters: &'static str,
        most: usize,
    ) -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        let words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        proptest::collection::vec(
            proptest::prop_oneof![proptest::sample::select(words), marks, letters],
            0..most,
        )
        .prop_map(|pieces| pieces.concat())
    }
}

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
