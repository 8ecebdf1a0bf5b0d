//! Classification: the keep-or-remove decision for every block, each with its reason.
//!
//! A block is first judged on its own ([`features`], [`lexicon`]): prose, a short line, a
//! navigation label, or boilerplate with a named reason. Then come the signals only a wider view
//! gives: the same block elsewhere in the document, the same block on other pages of the site
//! (the census), navigation runs, the main content region and the neighbours of short blocks.

mod article;
mod context;
mod dom;
pub mod features;
pub mod lexicon;
mod repeated;

use std::borrow::Cow;
use std::fmt;

pub use features::Features;

use crate::byte_masks::{ascii_digits, up_to_eight};
use crate::segment::Segmented;
use lexicon::Category;

/// Why a block was kept or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// Kept: reads as article text.
    Content,
    /// Kept: a heading or title that introduces article text.
    Heading,
    /// Kept: a short block among article text.
    Context,
    /// Removed: the site repeats it on many of its pages.
    RepeatedInSite,
    /// Removed: the document holds it more than once.
    RepeatedInDocument,
    /// Removed: asks the reader to subscribe, donate, sign up, share or follow.
    CallToAction,
    /// Removed: copyright, privacy, cookie and terms notices.
    Legal,
    /// Removed: advertising labels.
    Advertisement,
    /// Removed: comment-system notices and comment counts.
    Comments,
    /// Removed: lists of links to other articles.
    RelatedLinks,
    /// Removed: menus, breadcrumbs and other short labels in a run.
    Navigation,
    /// Removed: a block made mostly of link text (HTML), or a bare URL.
    LinkDense,
    /// Removed: a photo caption or credit.
    CaptionCredit,
    /// Removed: a date, time or byline standing alone.
    Metadata,
    /// Removed: a short block between boilerplate.
    Surrounded,
    /// Removed: outside the main content of the page.
    OutsideMainContent,
    /// Removed: the page marks it as furniture (HTML class, id or role).
    TemplateHint,
}

impl Reason {
    /// Every reason, in a fixed order (for summaries).
    pub const ALL: [Reason; 17] = [
        Reason::Content,
        Reason::Heading,
        Reason::Context,
        Reason::RepeatedInSite,
        Reason::RepeatedInDocument,
        Reason::CallToAction,
        Reason::Legal,
        Reason::Advertisement,
        Reason::Comments,
        Reason::RelatedLinks,
        Reason::Navigation,
        Reason::LinkDense,
        Reason::CaptionCredit,
        Reason::Metadata,
        Reason::Surrounded,
        Reason::OutsideMainContent,
        Reason::TemplateHint,
    ];

    /// The reason's name as shown by `--explain` and in attribute files.
    pub fn name(self) -> &'static str {
        match self {
            Reason::Content => "content",
            Reason::Heading => "heading",
            Reason::Context => "context",
            Reason::RepeatedInSite => "repeated-in-site",
            Reason::RepeatedInDocument => "repeated-in-document",
            Reason::CallToAction => "call-to-action",
            Reason::Legal => "legal",
            Reason::Advertisement => "advertisement",
            Reason::Comments => "comments",
            Reason::RelatedLinks => "related-links",
            Reason::Navigation => "navigation",
            Reason::LinkDense => "link-dense",
            Reason::CaptionCredit => "caption-credit",
            Reason::Metadata => "metadata",
            Reason::Surrounded => "surrounded",
            Reason::OutsideMainContent => "outside-main-content",
            Reason::TemplateHint => "template-hint",
        }
    }

    /// Whether blocks with this reason are kept.
    pub fn keeps(self) -> bool {
        matches!(self, Reason::Content | Reason::Heading | Reason::Context)
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the census knows of one block: in how many documents of its site it appears.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SiteRepeat {
    /// Documents of the site that hold the block.
    pub docs: u32,
    /// Documents of the site in the census.
    pub site_docs: u32,
}

/// Thresholds of the census rule.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CensusThresholds {
    /// A block must appear in at least this many documents of its site.
    pub min_docs: u32,
    /// ... and in at least this share of them.
    pub min_share: f32,
}

/// The local verdict on a block, before its neighbours are looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Local {
    /// Reads as prose: long, with sentences.
    Prose,
    /// Short, but punctuated like a sentence, or otherwise undecided.
    Short,
    /// A short label without sentence punctuation: a heading or a menu entry.
    Label,
    /// Boilerplate for the given reason.
    Boilerplate(Reason),
}

/// Judges the blocks of a document.
#[derive(Clone, Debug)]
pub struct Classifier {
    census: CensusThresholds,
    keep_comments: bool,
}

impl Classifier {
    /// A classifier with the given census thresholds.
    pub fn new(census: CensusThresholds) -> Self {
        Classifier {
            census,
            keep_comments: false,
        }
    }

    /// This classifier, keeping the text of readers' comments when `keep` (see
    /// [`crate::config::ConfigBuilder::keep_comments`]).
    pub fn keep_comments(mut self, keep: bool) -> Self {
        self.keep_comments = keep;
        self
    }

    /// Decides every block of `doc`. `fingerprints[i]` is block `i`'s fingerprint and
    /// `site_repeats`, when a census is in use, what the census knows of it.
    pub fn classify(
        &self,
        doc: &Segmented<'_>,
        fingerprints: &[u64],
        site_repeats: Option<&[SiteRepeat]>,
    ) -> Vec<Reason> {
        let mut lower = String::new();
        let features: Vec<Features> = (0..doc.blocks.len())
            .map(|i| features::measure(doc.block_text(i), &mut lower))
            .collect();
        self.classify_measured(doc, &features, fingerprints, site_repeats)
    }

    /// [`Classifier::classify`] with every block measured already (see
    /// [`Classifier::measure_blocks`]).
    pub(crate) fn classify_measured(
        &self,
        doc: &Segmented<'_>,
        features: &[Features],
        fingerprints: &[u64],
        site_repeats: Option<&[SiteRepeat]>,
    ) -> Vec<Reason> {
        let mut labels: Vec<Local> = features
            .iter()
            .zip(&doc.blocks)
            .map(|(f, block)| judge_alone(f, block.indent, block.dom.is_some()))
            .collect();
        if let Some(repeats) = site_repeats {
            self.apply_census(doc, features, repeats, &mut labels);
        }
        if !doc.elements.is_empty() {
            // Within a page, only the same text is a repeat ("$39.99" is not "$649.99"), and
            // the DOM, not the repeat, tells whether it is furniture: a menu repeated in the
            // footer lies outside the article anyway, a meal plan repeating its lines does not.
            let exact: Vec<u64> = (0..doc.blocks.len())
                .map(|i| xxhash_rust::xxh3::xxh3_64(doc.block_text(i).as_bytes()))
                .collect();
            return dom::decide(doc, features, &labels, &exact, self.keep_comments);
        }
        let (keys, numbered) = repeat_keys(doc, features, fingerprints);
        let sentences = context::BlockSentences::of(doc, features);
        settle(
            &keys,
            numbered,
            &sentences,
            features,
            &labels,
            site_repeats,
            self.keep_comments,
        )
    }

    fn apply_census(
        &self,
        doc: &Segmented<'_>,
        features: &[Features],
        repeats: &[SiteRepeat],
        labels: &mut [Local],
    ) {
        for i in 0..labels.len() {
            // A block of digits alone folds to "0", as every other number does: its count
            // says nothing (a table of results is not furniture). A block already known as
            // boilerplate keeps its more telling reason (a "Reply" stays a comment mark).
            // Labels after `i` are still the page's own verdicts here.
            if !matches!(labels[i], Local::Boilerplate(_))
                && self.is_site_boilerplate(repeats[i], &features[i], labels[i])
                && doc.block_text(i).chars().any(char::is_alphabetic)
                && !self.asks_what_the_next_block_answers(doc, features, repeats, labels, i)
            {
                labels[i] = Local::Boilerplate(Reason::RepeatedInSite);
            }
        }
    }

    /// Whether block `i` is a question that the page's own text answers straight after it: a
    /// site's pages of questions and answers share their questions, and a question heading
    /// its answer is text, unlike the site's questions in a box of their own ("Any
    /// questions?" above a contact line) or an answer the site repeats too.
    fn asks_what_the_next_block_answers(
        &self,
        doc: &Segmented<'_>,
        features: &[Features],
        repeats: &[SiteRepeat],
        labels: &[Local],
        i: usize,
    ) -> bool {
        let next = i + 1;
        next < labels.len()
            && is_question(doc.block_text(i), &features[i])
            && matches!(labels[next], Local::Prose | Local::Short)
            && !self.is_site_boilerplate(repeats[next], &features[next], labels[next])
    }

    /// A block the site repeats is boilerplate, unless it reads as prose and the repetition is
    /// weak evidence (few documents, or a small share of the site).
    fn is_site_boilerplate(&self, repeat: SiteRepeat, f: &Features, label: Local) -> bool {
        if !self.repeated_enough(repeat) {
            return false;
        }
        match label {
            Local::Prose => {
                repeat.docs >= 2 * self.census.min_docs || f.lexicon.boilerplate_weight() > 0
            }
            _ => true,
        }
    }

    /// Whether the site repeats a block in enough of its documents for the census to remove it.
    fn repeated_enough(&self, repeat: SiteRepeat) -> bool {
        let t = self.census;
        repeat.docs >= t.min_docs
            && repeat.site_docs > 0
            && repeat.docs as f32 / repeat.site_docs as f32 >= t.min_share
    }

    /// Every block of `doc` measured as judging reads it ([`features::measure_for_judging`]),
    /// with its lexicon hits where judging can read them ([`lexicon_matters`]).
    /// `site_repeats`, when a census is in use, is what it knows of each block: a block that
    /// its site repeats is measured once a thread, its measures kept for the site's other
    /// pages (see [`repeated`]).
    pub(crate) fn measure_blocks(
        &self,
        doc: &Segmented<'_>,
        site_repeats: Option<&[SiteRepeat]>,
    ) -> Vec<Features> {
        match site_repeats {
            Some(repeats) => repeated::with_kept(|kept| self.measure_each(doc, repeats, kept)),
            None => self.measure_each(doc, &[], &mut repeated::RepeatedMeasures::default()),
        }
    }

    /// [`Classifier::measure_blocks`] with what the census knows of each block (`repeats`,
    /// empty without a census) and the measures this thread keeps.
    fn measure_each(
        &self,
        doc: &Segmented<'_>,
        repeats: &[SiteRepeat],
        kept: &mut repeated::RepeatedMeasures,
    ) -> Vec<Features> {
        let mut lower = String::new();
        let mut features = Vec::with_capacity(doc.blocks.len());
        // Blocks whose lexicon hits are read in any letter case (see `features::lexicon_hits`),
        // and their texts: searched together once all are measured.
        // Sized for every block: most blocks of a page are short enough for the lexicon, and
        // growing the two vectors block by block reallocated them several times a page.
        let mut caseless = Vec::with_capacity(doc.blocks.len());
        let mut caseless_texts = Vec::with_capacity(doc.blocks.len());
        // Blocks the site repeats, measured here: kept once their lexicon hits are known, with
        // whether the census removes them here (which says whether judging reads those hits).
        let mut to_keep = Vec::new();
        for i in 0..doc.blocks.len() {
            // Trimmed once here: measuring and the lexicon take it trimmed.
            let text = features::trim(doc.block_text(i));
            let repeat = repeats.get(i).copied().unwrap_or_default();
            let repeated = self.repeated_enough(repeat);
            let key = (repeat.docs >= 2).then(|| repeated::key_of(text));
            if let Some(known) = key.and_then(|key| kept.get(key)) {
                let mut f = known.clone();
                forget_unread_hits(&mut f, repeated);
                features.push(f);
                continue;
            }
            let mut f = features::measure_for_judging(text, &mut lower);
            let matters = lexicon_matters(&f, repeated);
            // A block kept has its hits found whether judging reads them here or not: on
            // another page, the census may count it often enough for them to matter.
            if matters || (key.is_some() && f.words <= features::LEXICON_MAX_WORDS) {
                if lower.is_empty() {
                    caseless.push(i);
                    caseless_texts.push(text);
                } else {
                    f.lexicon = features::lexicon_hits(text, &lower);
                }
            }
            if let Some(key) = key {
                to_keep.push((i, key, repeated));
            }
            features.push(f);
        }
        let hits = lexicon::LEXICON.hits_ascii_each(&caseless_texts);
        for (i, hits) in caseless.into_iter().zip(hits) {
            features[i].lexicon = hits;
        }
        for (i, key, repeated) in to_keep {
            kept.keep(key, &features[i]);
            forget_unread_hits(&mut features[i], repeated);
        }
        features
    }
}

/// A question of a heading's length whose own words are not furniture.
fn is_question(text: &str, f: &Features) -> bool {
    f.words <= QUESTION_MAX_WORDS
        && f.lexicon.boilerplate_weight() == 0
        && text.trim_end().ends_with(['?', '？'])
}

/// The longest question [`is_question`] takes for a heading.
const QUESTION_MAX_WORDS: u32 = 20;

/// Drops the lexicon hits of a block (`repeated` by its site enough to be removed, or not) that
/// judging does not read ([`lexicon_matters`]): kept measures hold every hit found.
fn forget_unread_hits(f: &mut Features, repeated: bool) {
    if !lexicon_matters(f, repeated) {
        f.lexicon = lexicon::Hits::default();
    }
}

/// Whether judging can read a block's lexicon hits (measured for blocks of at most
/// [`features::LEXICON_MAX_WORDS`] words). Judged alone, a block longer than
/// [`LEXICON_VERDICT_WORDS`] gets no verdict from its lexicon (see [`lexicon_verdict`],
/// [`metadata_or_credit`]); only the census rule reads its hits, of blocks the site repeats
/// (`repeated`; see [`Classifier::is_site_boilerplate`]).
fn lexicon_matters(f: &Features, repeated: bool) -> bool {
    f.words <= features::LEXICON_MAX_WORDS && (f.words <= LEXICON_VERDICT_WORDS || repeated)
}

/// The key under which each block counts as a repeat inside its document: its fingerprint,
/// which folds digits (a teaser list's "1H ago" and "2H ago" are one repeated stamp), except
/// for a block of [`NUMBER_DIGITS`] digits or more (a year, a price, a phone number), whose
/// digits must match too: a list's "(1908-1985)" does not repeat its "(1938-1998)".
///
/// Keys are only compared with one another, so a block whose fingerprint no other block of the
/// document has keeps it as its key: its digits could not tell it apart from anything. For the
/// same reason they are numbered ([`context::KeyNumbers`]): returned are each block's number
/// and how many numbers were given.
fn repeat_keys(
    doc: &Segmented<'_>,
    features: &[Features],
    fingerprints: &[u64],
) -> (Vec<u32>, usize) {
    let mut numbers = context::KeyNumbers::with_capacity(fingerprints.len());
    let mut keys: Vec<u32> = fingerprints.iter().map(|&f| numbers.number(f)).collect();
    let mut digits = Vec::new();
    let mut counts: Option<Vec<u32>> = None;
    for i in (0..features.len()).filter(|&i| features[i].has_digit) {
        // Counted before any key takes its digits: block `i`'s key is still its fingerprint's.
        let counts = counts.get_or_insert_with(|| count_numbers(&keys, numbers.len()));
        if counts[keys[i] as usize] < 2 {
            continue;
        }
        digits.clear();
        push_ascii_digits(doc.block_text(i).as_bytes(), &mut digits);
        if digits.len() >= NUMBER_DIGITS {
            let digits = xxhash_rust::xxh3::xxh3_64(&digits);
            keys[i] = numbers.number(crate::fingerprint::combine(fingerprints[i], digits));
        }
    }
    (keys, numbers.len())
}

/// How many times each number below `numbered` occurs in `numbers`.
fn count_numbers(numbers: &[u32], numbered: usize) -> Vec<u32> {
    let mut counts = vec![0; numbered];
    for &n in numbers {
        counts[n as usize] += 1;
    }
    counts
}

/// Appends the ASCII digits of `bytes` to `digits`, in order. Eight bytes are looked at a time:
/// most of the text of a block that holds a number is letters.
fn push_ascii_digits(bytes: &[u8], digits: &mut Vec<u8>) {
    for at in (0..bytes.len()).step_by(8) {
        let (word, _) = up_to_eight(bytes, at);
        let mut found = ascii_digits(word);
        while found != 0 {
            digits.push((word >> (found.trailing_zeros() - 7)) as u8);
            found &= found - 1;
        }
    }
}

/// Digits of the shortest number that tells blocks apart inside a document.
const NUMBER_DIGITS: usize = 4;

/// Most rounds of [`settle`]; each round only removes blocks, and one or two nearly always do.
const MAX_ROUNDS: usize = 16;

/// Decides the blocks with their context, then decides again over the kept blocks alone until
/// nothing more goes. What remains is then stable: cleaning the output again removes nothing,
/// because the cleaner sees exactly the blocks it kept.
///
/// When nothing would be kept, what is left of the page once its furniture is gone is decided
/// again as a page of its own (see [`leftover`]). `repeat_keys` are the blocks' keys as repeats
/// (see [`repeat_keys`]), numbered below `numbered`. `keep_comments` keeps readers'
/// comments below the article.
fn settle(
    repeat_keys: &[u32],
    numbered: usize,
    sentences: &context::BlockSentences,
    features: &[Features],
    labels: &[Local],
    site_repeats: Option<&[SiteRepeat]>,
    keep_comments: bool,
) -> Vec<Reason> {
    let mut reasons = vec![Reason::Content; labels.len()];
    let mut active: Vec<usize> = (0..labels.len()).collect();
    // Each round looks at some of the blocks of the round before: once a round finds no
    // sentence of a block among those before it, no later round does (see
    // [`context::mark_restatements`]).
    let mut may_restate = true;
    // Likewise, once no block of a round repeats, none of a later round does.
    let mut may_repeat = true;
    for _ in 0..MAX_ROUNDS {
        // The first round sees every block: no copies of the features needed.
        let everything = active.len() == labels.len();
        let pick_features: Cow<'_, [Features]> = if everything {
            Cow::Borrowed(features)
        } else {
            Cow::Owned(active.iter().map(|&i| features[i].clone()).collect())
        };
        let mut pick_labels: Vec<Local> = active.iter().map(|&i| labels[i]).collect();
        if may_restate {
            may_restate =
                context::mark_restatements(sentences, &active, &pick_features, &mut pick_labels);
        }
        let prose_copies = if may_repeat {
            let pick_keys: Cow<'_, [u32]> = if everything {
                Cow::Borrowed(repeat_keys)
            } else {
                Cow::Owned(active.iter().map(|&i| repeat_keys[i]).collect())
            };
            let copies = context::apply_document_repeats(
                &pick_keys,
                numbered,
                &pick_features,
                &mut pick_labels,
            );
            may_repeat = copies.is_some();
            copies.unwrap_or_default()
        } else {
            Vec::new()
        };
        let decided = context::decide(&pick_features, pick_labels, &prose_copies, keep_comments);
        let kept: Vec<usize> = active
            .iter()
            .zip(&decided)
            .filter(|&(&i, reason)| {
                reasons[i] = *reason;
                reason.keeps()
            })
            .map(|(&i, _)| i)
            .collect();
        if kept.is_empty() {
            let Some(left) = leftover(&active, labels, site_repeats) else {
                break;
            };
            if left.len() == active.len() {
                for &i in &active {
                    reasons[i] = kept_for_itself(labels[i]);
                }
                break;
            }
            active = left;
            continue;
        }
        if kept.len() == active.len() {
            break;
        }
        active = kept;
    }
    reasons
}

/// What is left of a page that holds no article (an error page, a gallery, a table of
/// contents) once its furniture is gone: the blocks that are not boilerplate by themselves.
/// Deciding again over them alone, as [`settle`] does, keeps cleaning idempotent: the output,
/// cleaned again, goes the same way. A page of bare labels (a menu, a list of links) holds
/// nothing worth keeping, unless the census vouches for them: a site with many pages that holds
/// them on this page alone (a gallery's title and credit line).
fn leftover(
    active: &[usize],
    labels: &[Local],
    site_repeats: Option<&[SiteRepeat]>,
) -> Option<Vec<usize>> {
    let left: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| !matches!(labels[i], Local::Boilerplate(_)))
        .collect();
    let own_to_page = |i: usize| {
        site_repeats.is_some_and(|r| r[i].site_docs >= VOUCHING_SITE_DOCS && r[i].docs <= 1)
    };
    let worth_keeping = left
        .iter()
        .any(|&i| labels[i] != Local::Label || own_to_page(i));
    worth_keeping.then_some(left)
}

/// Documents a site needs in the census before a block it holds on one page alone counts as
/// that page's own.
const VOUCHING_SITE_DOCS: u32 = 2;

/// The reason a block is kept for when nothing around it reads as an article.
fn kept_for_itself(label: Local) -> Reason {
    match label {
        Local::Prose => Reason::Content,
        _ => Reason::Context,
    }
}

/// Judges a block on its own text.
/// `in_page` says the block comes from an HTML page, where the DOM tells more of its place
/// than words do: a long paragraph of sentences there is not judged by its lexicon alone.
pub(crate) fn judge_alone(f: &Features, indent: u16, in_page: bool) -> Local {
    if f.words == 0 {
        return Local::Label;
    }
    if let Some(reason) = metadata_or_credit(f, in_page) {
        return Local::Boilerplate(reason);
    }
    if f.prev_next && f.words <= MAX_PREV_NEXT_WORDS {
        return Local::Boilerplate(Reason::Navigation);
    }
    // Long prose needs a second signal, except a legal notice (cookies, copyright), which
    // reads as prose and is nothing else.
    let judged_by_lexicon = !is_long_prose(f) || f.hits(Category::Legal) >= LEGAL_PROSE_WEIGHT;
    if judged_by_lexicon && let Some(reason) = lexicon_verdict(f) {
        return Local::Boilerplate(reason);
    }
    if is_list_of_items(f) {
        return Local::Boilerplate(Reason::Navigation);
    }
    if is_prose(f) {
        return Local::Prose;
    }
    if is_label(f, indent) {
        return Local::Label;
    }
    Local::Short
}

/// A menu on one line ("Home | News | Sport | Contact") or a list of terms ("cars, boats,
/// planes, …", a tag cloud or a keyword list): many items of a few words each, without a
/// sentence's end. Commas alone make a list only when its items are a word or two; a
/// sentence's clauses are longer.
pub(crate) fn is_list_of_items(f: &Features) -> bool {
    if f.terminal {
        return false;
    }
    let menu =
        f.separators >= MIN_LIST_SEPARATORS && f.words <= MENU_ITEM_WORDS * (f.separators + 1);
    let terms = f.commas >= MIN_LIST_COMMAS
        && f.sentence_marks == 0
        && f.words <= TERM_WORDS * (f.commas + 1);
    menu || terms
}

/// Separators (`|`, `»`, `•` …) of the shortest menu judged on one line.
const MIN_LIST_SEPARATORS: u32 = 3;
/// Words of the longest menu item.
const MENU_ITEM_WORDS: u32 = 8;
/// Commas of the shortest list of terms.
const MIN_LIST_COMMAS: u32 = 8;
/// Words of the longest term in a list of terms.
const TERM_WORDS: u32 = 2;

/// Prose too long to be a notice or a label.
fn is_long_prose(f: &Features) -> bool {
    f.words > LONG_PROSE_WORDS && is_prose(f)
}

/// Words of the longest pair of links to the previous and next posts (two titles and a label).
const MAX_PREV_NEXT_WORDS: u32 = 40;

/// Legal lexicon weight that condemns even a long paragraph ("we use cookies … cookies …").
const LEGAL_PROSE_WEIGHT: u8 = 4;

/// Words of the longest byline with a date ("By Jane Doe and John Roe, Monday, …").
const MAX_DATED_BYLINE_WORDS: u32 = 24;

/// Commas a date or byline standing in its own element of a page may hold.
const MAX_PAGE_DATE_COMMAS: u32 = 4;

/// Words beyond which a paragraph of sentences in a page is not judged by its lexicon alone.
const LONG_PROSE_WORDS: u32 = 25;

fn is_prose(f: &Features) -> bool {
    (f.words >= 12 && is_sentence_like(f) && (f.stopwords > 0 || f.words >= 25))
        || is_unpunctuated_prose(f)
}

fn is_sentence_like(f: &Features) -> bool {
    f.terminal || f.sentence_marks >= 1 || f.commas >= 2
}

/// A long run of words, many of them stop words, reads as prose even when its writer left out
/// the punctuation (a forum post typed in one breath); no menu or list of titles is like it.
fn is_unpunctuated_prose(f: &Features) -> bool {
    reads_stopword_share(f) && f.stopword_ratio() >= UNPUNCTUATED_STOPWORD_RATIO
}

/// Whether judging reads the share of stop words of a block (not only whether it holds one):
/// a long block without sentence punctuation.
pub(crate) fn reads_stopword_share(f: &Features) -> bool {
    f.words >= UNPUNCTUATED_PROSE_WORDS && !is_sentence_like(f)
}

/// Words of the shortest block that reads as prose without punctuation.
const UNPUNCTUATED_PROSE_WORDS: u32 = 30;
/// Share of stop words in prose without punctuation.
const UNPUNCTUATED_STOPWORD_RATIO: f32 = 0.35;

fn is_label(f: &Features, indent: u16) -> bool {
    if f.terminal {
        return false;
    }
    f.words <= 5 || ((indent > 0 || f.bullet || f.separators >= 2) && f.words <= 12)
}

fn metadata_or_credit(f: &Features, in_page: bool) -> Option<Reason> {
    let short = f.words <= 12;
    let sentence = f.terminal && f.words > 6 && !f.byline;
    // Dates bring their own commas ("Tuesday, November 19, 2019"); in a page, a dateline
    // stands in its own element, so a few more are allowed.
    let max_commas = if in_page { MAX_PAGE_DATE_COMMAS } else { 2 };
    if short
        && (f.has_date || f.byline)
        && f.commas <= max_commas
        && f.sentence_marks <= 1
        && !sentence
    {
        return Some(Reason::Metadata);
    }
    // "By Jane Doe and John Roe, Monday, November 18, 2019, 04:05 pm PT (07:05 pm ET)"
    if f.byline && f.has_date && f.words <= MAX_DATED_BYLINE_WORDS && !f.terminal {
        return Some(Reason::Metadata);
    }
    // "Jane Doe says:" opens a comment, unless it is the speaker of a quote in the text (a
    // comment header carries a date, or stands without sentence before it).
    if f.comment_header && (f.has_date || f.words <= 4) {
        return Some(Reason::Comments);
    }
    if f.bare_url {
        return Some(Reason::LinkDense);
    }
    if f.words <= 30 && f.slashed_names && (f.glued_sentences || f.hits(Category::Credit) > 0) {
        return Some(Reason::CaptionCredit);
    }
    if f.words <= 20 && f.hits(Category::Credit) >= 2 {
        return Some(Reason::CaptionCredit);
    }
    None
}

/// Longest block, in words, that its lexicon hits alone can condemn.
const LEXICON_VERDICT_WORDS: u32 = 80;

/// A block whose words are mostly lexicon phrases, or a short one holding a strong phrase.
#[inline]
pub(crate) fn lexicon_verdict(f: &Features) -> Option<Reason> {
    // Most blocks hit no phrase at all: told from the weights at once, without a call.
    if f.lexicon.weight == [0; lexicon::CATEGORIES] {
        return None;
    }
    verdict_of_hits(f)
}

/// [`lexicon_verdict`] of a block with lexicon hits.
fn verdict_of_hits(f: &Features) -> Option<Reason> {
    let weight = f.lexicon.boilerplate_weight();
    if weight == 0 {
        return None;
    }
    let coverage = f.lexicon_coverage();
    let boilerplate = (f.words <= 4 && coverage >= 0.5)
        || (f.words <= 25 && weight >= 2 && strongest(f).1 >= 2)
        || (f.words <= LEXICON_VERDICT_WORDS && weight >= 4 && strongest(f).1 >= 3);
    boilerplate.then(|| reason_of(strongest(f).0))
}

/// The category with the highest weight, ignoring dates and bylines.
fn strongest(f: &Features) -> (Category, u8) {
    use Category::*;
    [
        CallToAction,
        Share,
        Legal,
        Ad,
        Comments,
        Related,
        Credit,
        Navigation,
    ]
    .into_iter()
    .map(|c| (c, f.hits(c)))
    .max_by_key(|&(_, w)| w)
    .unwrap_or((Navigation, 0))
}

fn reason_of(category: Category) -> Reason {
    match category {
        Category::CallToAction | Category::Share => Reason::CallToAction,
        Category::Legal => Reason::Legal,
        Category::Ad => Reason::Advertisement,
        Category::Comments => Reason::Comments,
        Category::Related => Reason::RelatedLinks,
        Category::Credit => Reason::CaptionCredit,
        Category::Navigation => Reason::Navigation,
        Category::Meta => Reason::Metadata,
    }
}

#[cfg(test)]
mod tests {
    use super::features::measure;
    use super::{NUMBER_DIGITS, is_list_of_items, push_ascii_digits, repeat_keys};
    use crate::{Cleaner, Config};

    /// Measures kept for a block the site repeats are the measures measuring it again gives,
    /// lexicon hits included where judging reads them, however often the census counts it on
    /// the page that keeps them and on the page that finds them.
    #[test]
    fn kept_measures_are_the_measures_of_measuring_again() {
        let long = |words: usize| vec!["subscribe to the news"; words / 4].join(" ");
        let text = [
            "Subscribe to our newsletter".to_string(),
            "Abonnez-vous à la newsletter".to_string(),
            "ÜBER UNS · KONTAKT".to_string(),
            long(100),
            long(140),
            "Posted 3 hours ago".to_string(),
        ]
        .join("\n\n");
        let doc = crate::segment::segment_text(&text);
        let classifier = super::Classifier::new(super::CensusThresholds {
            min_docs: 3,
            min_share: 0.5,
        });
        let repeats = |docs: u32| {
            vec![
                super::SiteRepeat {
                    docs,
                    site_docs: 10
                };
                doc.blocks.len()
            ]
        };
        let fresh =
            |r: &[super::SiteRepeat]| classifier.measure_each(&doc, r, &mut Default::default());
        // Counted in too few documents to be removed, then in enough, and the other way.
        for (first, then) in [(2, 8), (8, 2), (2, 2), (8, 8)] {
            let mut kept = super::repeated::RepeatedMeasures::default();
            let keeping = classifier.measure_each(&doc, &repeats(first), &mut kept);
            assert_eq!(keeping, fresh(&repeats(first)), "{first}");
            let finding = classifier.measure_each(&doc, &repeats(then), &mut kept);
            assert_eq!(finding, fresh(&repeats(then)), "{first} then {then}");
        }
        // The lexicon is read for the long block only where the census removes it.
        assert_ne!(fresh(&repeats(8))[3].lexicon, fresh(&repeats(2))[3].lexicon);
    }

    #[test]
    fn repeat_keys_tell_blocks_apart_as_keys_with_every_number_do() {
        let text = [
            "(1908-1985)",
            "(1938-1998)",
            "(1908-1985)",
            "Posted 2019 by Jane",
            "Posted 2020 by Jane",
            "Price 12",
            "Price 13",
            "A paragraph of its own about 1,234 things, said in 2021.",
            "3 comments",
            "4 comments",
            "Call 555-0100 now",
            "Call 555-0199 now",
            "No digits at all",
            "No digits at all",
            "Posted 2019 by Jane",
        ]
        .join("\n\n");
        let doc = crate::segment::segment_text(&text);
        let mut buffer = Vec::new();
        let fingerprints: Vec<u64> = (0..doc.blocks.len())
            .map(|i| crate::fingerprint::fingerprint_with(doc.block_text(i), &mut buffer))
            .collect();
        let features: Vec<_> = (0..doc.blocks.len())
            .map(|i| measure(doc.block_text(i), &mut String::new()))
            .collect();
        // Every block with a number keyed by its digits too.
        let every_number: Vec<u64> = (0..doc.blocks.len())
            .map(|i| {
                let mut digits = Vec::new();
                push_ascii_digits(doc.block_text(i).as_bytes(), &mut digits);
                if features[i].has_digit && digits.len() >= NUMBER_DIGITS {
                    let digits = xxhash_rust::xxh3::xxh3_64(&digits);
                    crate::fingerprint::combine(fingerprints[i], digits)
                } else {
                    fingerprints[i]
                }
            })
            .collect();
        let (keys, numbered) = repeat_keys(&doc, &features, &fingerprints);
        assert_eq!(keys.len(), doc.blocks.len());
        assert!(keys.iter().all(|&key| (key as usize) < numbered));
        for i in 0..keys.len() {
            for j in 0..keys.len() {
                assert_eq!(
                    keys[i] == keys[j],
                    every_number[i] == every_number[j],
                    "{:?} {:?}",
                    doc.block_text(i),
                    doc.block_text(j)
                );
            }
        }
        // Some blocks are told apart by their digits, and some with digits are not.
        let pairs = || (0..keys.len()).flat_map(|i| (0..i).map(move |j| (i, j)));
        let same_fingerprint = |&(i, j): &(usize, usize)| fingerprints[i] == fingerprints[j];
        assert!(
            pairs()
                .filter(same_fingerprint)
                .any(|(i, j)| keys[i] != keys[j])
        );
        assert!(
            pairs()
                .filter(same_fingerprint)
                .any(|(i, j)| features[i].has_digit && keys[i] == keys[j])
        );
    }

    #[test]
    fn digits_eight_bytes_at_a_time_are_the_digits_one_at_a_time() {
        for text in [
            "",
            "7",
            "no digits here",
            "Posted 15 hours ago, 3 comments",
            "(1908-1985) £1,200.50 — ٣ 2019-11-18T04:05",
            "0123456789abcdefghij9876543210",
            "é9ü8ß7",
        ] {
            let mut digits = vec![b'x'];
            push_ascii_digits(text.as_bytes(), &mut digits);
            let expected: Vec<u8> = std::iter::once(b'x')
                .chain(text.bytes().filter(u8::is_ascii_digit))
                .collect();
            assert_eq!(digits, expected, "{text}");
        }
    }

    #[test]
    fn numbers_of_four_digits_tell_lines_apart_but_short_counts_do_not() {
        let paragraph = |topic: &str| {
            format!(
                "The council met again on {topic} near the harbour and heard from farmers who had \
                 waited months for an answer, before the vote was put off until the spring."
            )
        };
        let page = |years: [&str; 3]| {
            format!(
                "Home\n\nNews\n\nContact\n\n{}\n\nPlayers of the club who have died since the \
                 last reunion:\n\nWalter Montgomery\n\n{}\n\nEugene Page\n\n{}\n\nNatasha \
                 Thomas\n\n{}\n\n{}\n",
                paragraph("the budget"),
                years[0],
                years[1],
                years[2],
                paragraph("the roads")
            )
        };
        let cleaner = Cleaner::new(Config::default());
        let lived = ["(1908-1985)", "(1938-1998)", "(1950-1984)"];
        let cleaned = cleaner.clean(&page(lived));
        for years in lived {
            assert!(
                cleaned.text.contains(years),
                "{years} lost:\n{}",
                cleaned.text
            );
        }
        // The same stamp under every name is a repeat, as counts of one or two digits are.
        for stamp in ["(1900-1999)", "(3 replies)"] {
            let cleaned = cleaner.clean(&page([stamp; 3]));
            assert!(!cleaned.text.contains(stamp), "{}", cleaned.text);
        }
        let cleaned = cleaner.clean(&page(["(3 replies)", "(5 replies)", "(12 replies)"]));
        assert!(!cleaned.text.contains("replies"), "{}", cleaned.text);
    }

    #[test]
    fn a_post_typed_without_punctuation_is_prose() {
        let story = [
            "i had been laid off from a good paying job and was working one part time job but \
             needed some extra income so i took the job at the shop down the road from my house",
            "the worst part was when they made me clean the floors of the whole place on my hands \
             and knees and the manager who was half my age would stand there and watch me do it",
            "in the back i worked with another guy close to my age and he told me that he had been \
             there for two years and they had never once given him a raise or a day off in summer",
        ];
        let page = format!(
            "Home\nStories\nSubmit Your Story\n\nMy first job at the shop\n\n{}\n\nRelated Stories\n\
             Another shop story\nThe night shift\n",
            story.join("\n\n")
        );
        let cleaned = Cleaner::new(Config::default()).clean(&page).text;
        for paragraph in story {
            assert!(
                cleaned.contains(paragraph),
                "lost {paragraph:?}:\n{cleaned}"
            );
        }
        assert!(!cleaned.contains("Submit Your Story"), "{cleaned}");
    }

    #[test]
    fn links_to_the_previous_and_next_posts_are_navigation() {
        let article = "Rain fell on the city all night, and by morning the river had risen over its \
                       banks in three places, the council said on Tuesday.";
        let links = "« Council closes the old bridge for repairs | Main | A new library opens \
                     its doors in the market square »";
        let cleaned = Cleaner::new(Config::default()).clean(&format!("{article}\n\n{links}\n"));
        assert_eq!(cleaned.text, format!("{article}\n"));
        let reasons: Vec<&str> = cleaned.removed().map(|b| b.reason.name()).collect();
        assert_eq!(reasons, ["navigation"]);
    }

    #[test]
    fn menus_on_one_line_and_lists_of_terms_are_navigation() {
        let article = "Rain fell on the city all night, and by morning the river had risen over its \
                       banks in three places, the council said on Tuesday.";
        let menu = "Garden Tools | Outdoor Furniture | Lighting | Weathervanes | Gifts";
        let terms = "rivers, lakes, bridges, harbours, canals, weirs, locks, dams, floods, tides";
        let cleaned =
            Cleaner::new(Config::default()).clean(&format!("{menu}\n\n{article}\n\n{terms}\n"));
        assert_eq!(cleaned.text, format!("{article}\n"));
        let reasons: Vec<&str> = cleaned.removed().map(|b| b.reason.name()).collect();
        assert_eq!(reasons, ["navigation", "navigation"]);
    }

    #[test]
    fn a_disclaimer_reads_as_prose_and_is_legal() {
        let article = "Rain fell on the city all night, and by morning the river had risen over its \
                       banks in three places, the council said on Tuesday.";
        let disclaimer = "The answers given on this site are for informational purposes only and \
                          are not meant to substitute for the advice of your own doctor, whom you \
                          should always see first.";
        let cleaned =
            Cleaner::new(Config::default()).clean(&format!("{article}\n\n{disclaimer}\n"));
        assert_eq!(cleaned.text, format!("{article}\n"));
        let reasons: Vec<&str> = cleaned.removed().map(|b| b.reason.name()).collect();
        assert_eq!(reasons, ["legal"]);
    }

    #[test]
    fn a_sentence_with_many_commas_or_bars_is_not_a_list() {
        let clauses = "We drove north, then east, then north again, past the mill, the church, \
                       the school, the inn, the farm and the old ford, until the road ended";
        let table = "The vote on the new bridge was close in the end | twelve members of the \
                     council were for it and eleven against | three would not say which way";
        for text in [clauses, table] {
            let f = measure(text, &mut String::new());
            assert!(!is_list_of_items(&f), "{text}");
        }
    }

    #[test]
    fn a_page_without_an_article_keeps_what_is_not_furniture() {
        let page = "Home\nForum\nSearch\n\nSorry, the topic you requested does not exist.\n\n\
                    Powered by phpBB © 2001, 2005 phpBB Group\n";
        let cleaner = Cleaner::new(Config::default());
        let cleaned = cleaner.clean(page);
        // "Home" and "Search" are navigation words; "Forum" is not furniture by itself.
        assert_eq!(
            cleaned.text,
            "Forum\n\nSorry, the topic you requested does not exist.\n"
        );
        assert_eq!(cleaner.clean(&cleaned.text).text, cleaned.text);
        // A page of bare labels and boilerplate holds nothing.
        assert_eq!(
            cleaner
                .clean("Home\nNews\n\nSubscribe to our newsletter\n")
                .text,
            ""
        );
    }

    /// The census of `pages`, all of one site.
    fn census_of_site(cleaner: &Cleaner, site: &str, pages: &[String]) -> crate::Census {
        let mut counter = crate::census::Counter::new();
        for page in pages {
            cleaner.count(&mut counter, site, page);
        }
        counter.finish()
    }

    #[test]
    fn a_question_the_site_repeats_stays_above_the_pages_own_answer() {
        let cleaner = Cleaner::new(Config::default());
        let towns = ["Lisbon", "Porto", "Braga", "Faro"];
        let pages: Vec<String> = towns
            .iter()
            .map(|town| {
                format!(
                    "Home\nTrips\nContact\n\nHow early should I arrive?\n\nFor the {town} \
                     walk, meet the guide at the station an hour before the start, since the \
                     first train leaves on time and the group does not wait.\n\nWhat should I \
                     pack?\n\nIn {town} the evenings turn cold near the river, so bring a warm \
                     layer, good shoes and water for the longer climbs.\n\nIs lunch \
                     included?\n\nYes, a picnic by the {town} walls.\n\nNeed a hand?\n\nOur \
                     guides have walked these routes for twenty years, and they answer every \
                     letter by the end of the week, whatever the season.\n"
                )
            })
            .collect();
        let census = census_of_site(&cleaner, "walks.example", &pages);
        let site = Some(crate::SiteContext {
            census: &census,
            site: "walks.example",
        });
        let cleaned = cleaner.clean_with(&pages[1], site).text;
        // Every page asks the same questions, but each answers them in its own words.
        assert!(cleaned.contains("How early should I arrive?"), "{cleaned}");
        assert!(cleaned.contains("What should I pack?"), "{cleaned}");
        assert!(cleaned.contains("In Porto the evenings"), "{cleaned}");
        // A short answer is the page's own text too.
        assert!(cleaned.contains("Is lunch included?"), "{cleaned}");
        // A question whose answer the site repeats too is the site's own box.
        assert!(!cleaned.contains("Need a hand?"), "{cleaned}");
        assert!(!cleaned.contains("twenty years"), "{cleaned}");
    }

    #[test]
    fn numbered_lines_the_site_repeats_stay_among_a_lists_entries() {
        let cleaner = Cleaner::new(Config::default());
        let page = |dish: &str, cups: u32, spice: &str, extra: &str| {
            format!(
                "Home\nRecipes\nAbout\n\n{dish}\n\nThis {dish} is what we bake when the \
                 orchard gives more than the neighbours can carry home, and it keeps for days. \
                 Our grandmother wrote it down on the back of a seed catalogue, and we have \
                 changed very little since then.\n\n{cups} cups flour\n{cups} eggs\nA pinch of \
                 {spice}\n{extra}\n\nMix the dry things first, fold in the rest, and bake the \
                 {dish} until the top is brown and the kitchen smells of {spice}. Let it cool on \
                 a rack before you cut it, or the slices will fall apart.\n"
            )
        };
        let pages = [
            page("apple cake", 2, "cinnamon", "Kitchen Garden Club"),
            page("pear loaf", 3, "ginger", "Honey to glaze"),
            page("plum tart", 4, "nutmeg", "Kitchen Garden Club"),
        ];
        let census = census_of_site(&cleaner, "bakes.example", &pages);
        let clean = |page: &str| {
            let site = Some(crate::SiteContext {
                census: &census,
                site: "bakes.example",
            });
            cleaner.clean_with(page, site).text
        };
        // "3 cups flour" folds to the same line as the other pages' quantities: the census
        // counts it on every page, but between the two paragraphs it is one of the list's
        // entries.
        let cleaned = clean(&pages[1]);
        for line in [
            "3 cups flour",
            "3 eggs",
            "A pinch of ginger",
            "Honey to glaze",
        ] {
            assert!(cleaned.contains(line), "{line} lost:\n{cleaned}");
        }
        assert!(!cleaned.contains("Recipes"), "{cleaned}");
        // A line the site repeats without a number is the site's own, not an entry: with it,
        // the stretch is not a list the page holds.
        let cleaned = clean(&pages[2]);
        assert!(!cleaned.contains("Kitchen Garden Club"), "{cleaned}");
        assert!(!cleaned.contains("4 cups flour"), "{cleaned}");
    }

    #[test]
    fn labels_a_site_holds_on_one_page_alone_are_that_page_when_nothing_else_is() {
        let cleaner = Cleaner::new(Config::default());
        let menu = "Home\nGalleries\nVideos\nShop\n\nSign up for our newsletter\n\n";
        let pages: Vec<String> = ["Paper Cranes In Flight", "Origami Animals", "Folded Light"]
            .iter()
            .map(|title| format!("{menu}{title}\n\nAll rights reserved\n"))
            .collect();
        let census = census_of_site(&cleaner, "gallery.example", &pages);
        let site = Some(crate::SiteContext {
            census: &census,
            site: "gallery.example",
        });
        assert_eq!(
            cleaner.clean_with(&pages[1], site).text,
            "Origami Animals\n"
        );
        // Without the census, nothing vouches for a lone label.
        assert_eq!(cleaner.clean(&pages[1]).text, "");
    }
}
