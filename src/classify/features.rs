//! What is measured of a block before it is judged: its length in words, whether it reads as
//! sentences, how much of it is lexicon, whether it is a date or a byline.

use std::sync::LazyLock;

#[cfg(test)]
use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::lexicon::{Category, Hits, LEXICON};
use crate::byte_masks::{HIGH, ONES, ascii_byte_is, high_bits, is_ascii_space, up_to_eight};

mod patterns;

/// Measurements of one block's text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    /// Characters, leading and trailing whitespace excluded.
    pub chars: u32,
    /// Words (Unicode word boundaries).
    pub words: u32,
    /// Words that are stop words of a known language, among the first [`WORD_SAMPLE`].
    pub stopwords: u32,
    /// Words that start with an upper-case letter, among the first [`WORD_SAMPLE`].
    pub capitalized: u32,
    /// Ends like a sentence: `.`, `!`, `?`, `…` or their CJK forms, maybe followed by a quote or
    /// bracket.
    pub terminal: bool,
    /// Ends with a colon: the block announces what follows ("The kit includes:").
    pub announces: bool,
    /// One line of three or more cells apart by tabs, one of them a number and one with words:
    /// a row of a data table (a chart, standings, a price list), not of a calendar.
    pub table_row: bool,
    /// Sentence-ending marks followed by a space or the end.
    pub sentence_marks: u32,
    /// Commas and semicolons, a sign of running prose.
    pub commas: u32,
    /// What the lexicon found.
    pub lexicon: Hits,
    /// Bytes of the lower-cased text (the denominator of lexicon coverage).
    pub lower_bytes: u32,
    /// The block holds a date, a time or a "3 hours ago".
    pub has_date: bool,
    /// The block holds an ASCII digit ("Comments (3)").
    pub has_digit: bool,
    /// The block opens like a byline ("By Jane Doe").
    pub byline: bool,
    /// Separator symbols typical of menus and breadcrumbs: `|`, `•`, `»`, `›`, `/`.
    pub separators: u32,
    /// The block starts with a list bullet.
    pub bullet: bool,
    /// The block opens with `«` or `‹` and closes with `»` or `›`: links to the previous and the
    /// next post ("« Older title | Main | Newer title »").
    pub prev_next: bool,
    /// The block holds a URL or an e-mail address.
    pub has_url: bool,
    /// The block is one URL (or address) and nothing else.
    pub bare_url: bool,
    /// The block ends with an ellipsis: a teaser cut short.
    pub truncated: bool,
    /// A short line that introduces a comment or a quoted post ("Jane Doe says:", "Jane
    /// wrote:").
    pub comment_header: bool,
    /// A sentence glued to the next without a space ("going?Capt."), as captions glued to their
    /// credit are.
    pub glued_sentences: bool,
    /// Names separated by slashes ("Jane Doe/Agency"), the shape of photo credits.
    pub slashed_names: bool,
}

impl Features {
    /// Share of the block's text covered by lexicon phrases, from 0 to 1.
    pub fn lexicon_coverage(&self) -> f32 {
        if self.lower_bytes == 0 {
            0.0
        } else {
            self.lexicon.covered_bytes as f32 / self.lower_bytes as f32
        }
    }

    /// Share of words that are stop words (among the first [`WORD_SAMPLE`]).
    pub fn stopword_ratio(&self) -> f32 {
        ratio(self.stopwords, self.words.min(WORD_SAMPLE))
    }

    /// Share of words that are capitalized (among the first [`WORD_SAMPLE`]).
    pub fn capitalized_ratio(&self) -> f32 {
        ratio(self.capitalized, self.words.min(WORD_SAMPLE))
    }

    /// Lexicon weight of one category.
    pub fn hits(&self, category: Category) -> u8 {
        self.lexicon.of(category)
    }
}

fn ratio(part: u32, whole: u32) -> f32 {
    if whole == 0 {
        0.0
    } else {
        part as f32 / whole as f32
    }
}

/// Measures one block. `lower` is a scratch buffer reused between calls.
///
/// An ASCII block (most) is measured in one pass over its bytes, and its lexicon phrases are
/// matched without lower-casing it. So is a block whose other characters are curly quotes,
/// dashes, no-break spaces and such punctuation (most of the rest: prose typeset for the web).
/// In other blocks, tokens (between ASCII whitespace) that are ASCII take the same pass, and the
/// others are cut into words by Unicode word segmentation.
pub fn measure(text: &str, lower: &mut String) -> Features {
    let text = trim(text);
    let mut features = measure_inner::<false>(text, lower);
    if features.words <= LEXICON_MAX_WORDS {
        features.lexicon = lexicon_of(text, lower);
    }
    features
}

/// [`measure`] as judging reads it. Judging asks only whether a block holds a stop word, so stop
/// words are looked up until the first is found: `stopwords` is 0 or 1, save in a long block
/// without sentence punctuation, whose share of stop words judging reads; and 0 where judging
/// reads none ([`judging_reads_stopwords`]). Nor does it read capitals: `capitalized` is 0. The lexicon is left to the caller ([`lexicon_hits`]), who knows
/// where judging can read it. Every other field is as [`measure`] gives it.
///
/// `text` is trimmed already ([`trim`]), as the classifier holds it for the lexicon too.
pub(crate) fn measure_for_judging(text: &str, lower: &mut String) -> Features {
    measure_inner::<true>(text, lower)
}

/// What the lexicon finds in a block (as [`measure`] records it, for blocks of at most
/// [`LEXICON_MAX_WORDS`] words), given trimmed ([`trim`]; the caller has trimmed it already, and
/// trimming again cost 20 instructions a block). `lower` is the buffer [`measure_for_judging`]
/// measured the block with: it holds the block's lower case, or nothing when lower-casing the
/// block changes its ASCII letters only.
pub(crate) fn lexicon_hits(trimmed: &str, lower: &str) -> Hits {
    debug_assert_eq!(trimmed, trim(trimmed));
    lexicon_of(trimmed, lower)
}

/// The lexicon's hits in `text` (trimmed), read in `lower`, its lower case, unless `lower` is
/// empty: then only its ASCII letters change case (see [`Wide::caseless`]), which the lexicon
/// folds as it reads.
fn lexicon_of(text: &str, lower: &str) -> Hits {
    if lower.is_empty() {
        LEXICON.hits_ascii(text)
    } else {
        LEXICON.hits(lower)
    }
}

/// [`str::trim`], with ASCII whitespace trimmed byte by byte ([`str::trim_ascii`]): a character
/// is decoded only when a vertical tab or a character outside ASCII is left at an end (it may
/// be a space). `str::trim` is not inlined, and decoding the characters at both ends took 80
/// instructions a block; half the lines of scraped text are indented.
pub(crate) fn trim(text: &str) -> &str {
    let inner = text.trim_ascii();
    let plain = |b: Option<&u8>| b.is_none_or(|&b| b.is_ascii() && b != 0x0B);
    if plain(inner.as_bytes().first()) && plain(inner.as_bytes().last()) {
        inner
    } else {
        inner.trim()
    }
}

/// Measures `text`, trimmed ([`trim`]). With `JUDGING`, looks stop words up until the first
/// only, and counts no capitals. Leaves the lexicon alone; `lower` is left holding the block's
/// lower case, or empty when lower-casing changes its ASCII letters only (as [`lexicon_of`]
/// reads it).
fn measure_inner<const JUDGING: bool>(text: &str, lower: &mut String) -> Features {
    let ascii = text.is_ascii();
    let truncated = is_truncated(text);
    let mut features = Features {
        terminal: ends_like_sentence(text) && !truncated,
        truncated,
        bullet: starts_with_bullet(text),
        prev_next: is_prev_next(text),
        announces: announces(text),
        ..Features::default()
    };
    let mut seen = Seen {
        first_stopword_only: JUDGING,
        ..Seen::default()
    };
    // Filled below only when lower-casing changes more than ASCII letters.
    lower.clear();
    if ascii {
        features.chars = text.len() as u32;
        features.lower_bytes = text.len() as u32;
        if JUDGING {
            count_for_judging::<false>(text, &mut features, &mut seen);
        } else {
            scan_ascii(text, &mut features, &mut seen);
        }
    } else {
        let wide = Wide::of(text);
        features.chars = text.chars().count() as u32;
        if wide.caseless {
            features.lower_bytes = text.len() as u32;
        } else {
            lowercase_into(text, lower);
            features.lower_bytes = lower.len() as u32;
        }
        if wide.between_words && JUDGING {
            // Every `:` and `.` is looked at, so `seen.url` is found as below.
            count_for_judging::<true>(text, &mut features, &mut seen);
        } else {
            if wide.between_words {
                scan_bytes::<true>(text, &mut features, &mut seen);
            } else {
                scan_tokens(text, &mut features, &mut seen);
            }
            seen.url = text.contains("://") || text.contains("www.");
        }
    }
    // Every pass looks at every tab: the token pass scans the whitespace between tokens with the
    // byte pass.
    features.table_row = seen.tab && is_table_row(text);
    // Whether lower-casing changes ASCII letters only.
    let caseless = lower.is_empty();
    if features.words <= 16 {
        let day = || {
            if caseless {
                contains_day(text.as_bytes())
            } else {
                lower.contains("day")
            }
        };
        let bytes = text.as_bytes();
        features.has_date = (seen.digit || day())
            && if ascii {
                patterns::date(bytes)
            } else {
                patterns::date(&fold_for_dates(text))
            };
        // The first letter is looked at before the call: most blocks open with no byline's.
        features.byline = if ascii {
            may_open_a_byline(bytes) && byline_ascii(bytes)
        } else {
            may_open_a_byline(bytes) && byline_ascii(&FOLDS.byline.apply(text))
        };
    }
    if features.words <= 30 && seen.slash {
        let bytes = text.as_bytes();
        features.slashed_names = may_hold_slashed_names(bytes)
            && if ascii {
                patterns::slashed_names(bytes)
            } else {
                patterns::slashed_names(&FOLDS.slashed_names.apply(text))
            };
        features.glued_sentences = may_glue_sentences(bytes)
            && if ascii {
                patterns::glued_sentences(bytes)
            } else {
                patterns::glued_sentences(&FOLDS.glued_sentences.apply(text))
            };
    }
    let email = || {
        may_hold_an_email_address(text.as_bytes())
            && if ascii {
                patterns::email(text.as_bytes())
            } else {
                patterns::email(&FOLDS.email.apply(text))
            }
    };
    features.has_digit = seen.digit;
    features.has_url = seen.url || (seen.at && email());
    features.bare_url = features.has_url && !text.contains(char::is_whitespace);
    features.comment_header = features.words <= COMMENT_HEADER_WORDS && is_comment_header(text);
    if JUDGING {
        features.capitalized = 0;
        if !judging_reads_stopwords(&mut features) {
            features.stopwords = 0;
        }
        // Judging reads the share of stop words of a long block without sentence punctuation
        // (see [`super::reads_stopword_share`]): there, all of them are counted.
        if features.stopwords > 0 && super::reads_stopword_share(&features) {
            features.stopwords = measure_inner::<false>(text, lower).stopwords;
        }
    }
    features
}

/// Whether judging reads the stop words of the block `features` measures (all but its stop
/// words measured): whether it holds one tells prose ([`super::is_prose`]) from other text only
/// in some blocks, and their share is read only in a long block without sentence punctuation
/// ([`super::reads_stopword_share`]). Most blocks are shorter than prose: looking their stop
/// words up cost 3% of the run. `features.stopwords` is left as it was.
fn judging_reads_stopwords(features: &mut Features) -> bool {
    let stopwords = features.stopwords;
    features.stopwords = 0;
    let prose_without = super::is_prose(features);
    features.stopwords = 1;
    let prose_with = super::is_prose(features);
    features.stopwords = stopwords;
    prose_with != prose_without || super::reads_stopword_share(features)
}

/// Characters whose presence decides whether a pattern is worth trying, and how far stop words
/// are looked up.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Seen {
    digit: bool,
    slash: bool,
    at: bool,
    /// `://` or `www.` appears.
    url: bool,
    /// A tab appears (found by the byte passes only).
    tab: bool,
    /// Stop words are looked up until the first is found (judging asks only whether there is
    /// one), instead of over the whole sample.
    first_stopword_only: bool,
}

impl Seen {
    /// Whether the next word of the sample is to be looked up in the stop words.
    fn wants_stopword(&self, features: &Features) -> bool {
        !(self.first_stopword_only && features.stopwords > 0)
    }
}

/// A byline opens with one of the words of [`BYLINE`], whose first letters are these in either
/// case (no other character folds to them).
fn may_open_a_byline(text: &[u8]) -> bool {
    matches!(
        text.first().map(u8::to_ascii_lowercase),
        Some(b'b' | b'w' | b'p' | b'r' | b'v')
    )
}

// Before each pattern below is tried, a look at the bytes beside the one mark that every match
// holds (a `/`, a `.`, `?` or `!`, an `@`), found by `memchr`: most blocks holding the mark
// cannot match there (a URL's `//`, a date's `12/05`, "and/or"; "e.g. the"), and text outside
// ASCII is folded for a pattern at a cost of thousands of instructions. A character outside
// ASCII may be any letter or space the patterns take: each such byte is let through.

/// Whether `bytes` may match [`SLASHED_NAMES`] (or [`patterns::slashed_names`]): a `/` followed by
/// an upper-case letter, maybe after one space.
fn may_hold_slashed_names(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'/', bytes).any(|at| {
        let after = &bytes[at + 1..];
        may_start_upper_case(after.first())
            || (after.first().is_some_and(|&b| is_ascii_space(b))
                && may_start_upper_case(after.get(1)))
    })
}

/// Whether `bytes` may match [`GLUED_SENTENCES`] (or [`patterns::glued_sentences`]): a `.`, `?` or
/// `!` after a lower-case letter and before an upper-case one.
fn may_glue_sentences(bytes: &[u8]) -> bool {
    memchr::memchr3_iter(b'.', b'?', b'!', bytes).any(|at| {
        at > 0
            && (bytes[at - 1].is_ascii_lowercase() || !bytes[at - 1].is_ascii())
            && may_start_upper_case(bytes.get(at + 1))
    })
}

/// Whether `bytes` may match [`EMAIL`] (or [`patterns::email`]): an `@` between two characters of
/// an address, with a `.` after it.
fn may_hold_an_email_address(bytes: &[u8]) -> bool {
    let in_address = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-') || !b.is_ascii();
    memchr::memchr_iter(b'@', bytes).any(|at| {
        at > 0
            && (in_address(bytes[at - 1]) || matches!(bytes[at - 1], b'.' | b'+'))
            && bytes.get(at + 1).is_some_and(|&b| in_address(b))
            && memchr::memchr(b'.', &bytes[at + 1..]).is_some()
    })
}

/// Whether a character starting with `byte` may be an upper-case letter: an ASCII capital, or a
/// character outside ASCII.
fn may_start_upper_case(byte: Option<&u8>) -> bool {
    byte.is_some_and(|&b| b.is_ascii_uppercase() || !b.is_ascii())
}

/// Whether `haystack` holds "day" in any ASCII letter case.
///
/// Eight bytes at a time: it is asked of blocks of 16 words at most, where a call to `memchr`
/// cost more than the search (134 instructions a block). Each `y` is looked at, rarer in prose
/// than `d`, with a plain loop: `step_by` cost a fifth of the search.
fn contains_day(haystack: &[u8]) -> bool {
    let mut at = 0;
    while at < haystack.len() {
        let (word, _) = up_to_eight(haystack, at);
        // Folded to lower case, `Y` and `y` alone are `y` (zeros past the end are spaces).
        let mut found = ascii_byte_is(word | (ONES * 0x20), b'y');
        while found != 0 {
            let y = at + (found.trailing_zeros() / 8) as usize;
            found &= found - 1;
            if y >= 2 && haystack[y - 2..y].eq_ignore_ascii_case(b"da") {
                return true;
            }
        }
        at += 8;
    }
    false
}

/// Byte classes of the ASCII pass.
const WORD: u8 = 1;
const DIGIT: u8 = 2;
/// `'`, `.`, `,`, `:`: inside a word between two letters or two digits (see [`joins`]).
const JOINER: u8 = 4;

static CLASSES: [u8; 256] = {
    let mut classes = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphabetic() || c == b'_' {
            classes[b] = WORD;
        } else if c.is_ascii_digit() {
            classes[b] = WORD | DIGIT;
        } else if matches!(c, b'\'' | b'.' | b',' | b':') {
            classes[b] = JOINER;
        }
        b += 1;
    }
    classes
};

/// Words, marks and pattern hints of ASCII text (a block or a token) in one pass over its bytes.
/// A word starts at a letter or digit and goes on over letters, digits, `_`, and `'`, `.`, `,`,
/// `:` where they join two letters or two digits, as Unicode word segmentation cuts ASCII.
fn scan_ascii(text: &str, features: &mut Features, seen: &mut Seen) {
    scan_bytes::<false>(text, features, seen);
}

/// Words, marks and hints of `text` (trimmed) as judging reads them: eight bytes at a time by
/// [`count_words`], and whether one of its first words is a stop word. Text holding `_`, which
/// the masks do not join words across, is scanned byte by byte instead ([`scan_bytes`]). With
/// `WIDE`, `text` is as [`scan_bytes`]`::<true>` takes it ([`Wide::between_words`]).
fn count_for_judging<const WIDE: bool>(text: &str, features: &mut Features, seen: &mut Seen) {
    let before = *seen;
    if count_words::<WIDE>(text, features, seen) {
        features.stopwords =
            u32::from(judging_reads_stopwords(features) && has_stopword::<WIDE>(text.as_bytes()));
        return;
    }
    *seen = before;
    features.words = 0;
    features.sentence_marks = 0;
    features.commas = 0;
    features.separators = 0;
    scan_bytes::<WIDE>(text, features, seen);
}

/// [`scan_bytes`] as judging reads it, eight bytes at a time, for text without `_`: a word
/// starts at each letter or digit that follows no letter or digit (in such text, a word goes on
/// over letters and digits only, and over a joining mark, found among the other bytes: those
/// the masks do not tell apart, looked at one by one; with `WIDE`, a curly apostrophe too).
/// Capitals are not counted and stop words not looked up (see [`has_stopword`]). Stops and
/// returns false at the first `_`, leaving the counts partial.
fn count_words<const WIDE: bool>(text: &str, features: &mut Features, seen: &mut Seen) -> bool {
    let bytes = text.as_bytes();
    let mut counter = WordCounter::default();
    // Sixty-four bytes at a time, then eight: eight chunks are classed in a loop without calls,
    // which keeps its constants and counts in registers, before their other bytes are looked at.
    let mut groups = bytes.chunks_exact(64);
    let mut at = 0;
    for group in groups.by_ref() {
        let mut others = [0u64; 8];
        let mut starts = 0;
        for (k, chunk) in group.chunks_exact(8).enumerate() {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            let (chunk_starts, chunk_others) = counter.class::<WIDE>(word);
            // A byte's count of starts, eight at most: no carry into the next byte.
            starts += chunk_starts >> 7;
            others[k] = chunk_others;
        }
        features.words += (starts.wrapping_mul(ONES) >> 56) as u32;
        for (k, &chunk_others) in others.iter().enumerate() {
            if !count_others::<WIDE>(text, at + 8 * k, chunk_others, features, seen) {
                return false;
            }
        }
        at += 64;
    }
    let mut chunks = groups.remainder().chunks_exact(8);
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        if !counter.count::<WIDE>(text, at, word, features, seen) {
            return false;
        }
        at += 8;
    }
    if !chunks.remainder().is_empty() {
        // Past the end, spaces: they start no word and end a sentence mark as the end does.
        let (word, take) = up_to_eight(bytes, at);
        let word = word | ((ONES * u64::from(b' ')) << (8 * take));
        if !counter.count::<WIDE>(text, at, word, features, seen) {
            return false;
        }
    }
    seen.digit |= counter.digits != 0;
    true
}

/// What [`count_words`] carries from one chunk of eight bytes to the next.
#[derive(Default)]
struct WordCounter {
    /// The high bit when the byte before the chunk is a letter or digit.
    alnum_before: u64,
    /// The digits met so far, as masks, or'ed together: looked at once, at the end.
    digits: u64,
}

impl WordCounter {
    /// The eight bytes `word` of a block classed: the high bit of each byte that starts a word,
    /// and of each byte to look at one by one ([`count_other_byte`]).
    #[inline(always)]
    fn class<const WIDE: bool>(&mut self, word: u64) -> (u64, u64) {
        // [`ascii_letters`], [`ascii_digits`] and [`ascii_byte_is`] with what they share
        // worked out once: the bytes' low seven bits, and which bytes are ASCII.
        let low7 = word & !HIGH;
        let ascii = !word & HIGH;
        let in_range = |x: u64, first: u8, last: u8| {
            x.wrapping_add(ONES * u64::from(0x80 - first))
                & !x.wrapping_add(ONES * u64::from(0x80 - last - 1))
        };
        let letters = in_range(low7 | (ONES * 0x20), b'a', b'z');
        let digits = in_range(low7, b'0', b'9') & ascii;
        let alnum = (letters & ascii) | digits;
        let not_space = low7 ^ (ONES * u64::from(b' '));
        let spaces = !(not_space.wrapping_add(ONES * 0x7f) | not_space) & ascii;
        let starts = alnum & !((alnum << 8) | self.alnum_before);
        self.alnum_before = (alnum >> 56) & 0x80;
        self.digits |= digits;
        let mut others = !(alnum | spaces) & HIGH;
        if WIDE {
            // Continuation bytes (`10xxxxxx`): a character is looked at where it starts.
            others &= !(word & HIGH & !(word << 1));
        }
        (starts, others)
    }

    /// Counts the eight bytes `word` of `text` from `at` on (see [`count_words`]); false at a
    /// `_`. Inlined in both places: called, it cost more than its work.
    #[inline(always)]
    fn count<const WIDE: bool>(
        &mut self,
        text: &str,
        at: usize,
        word: u64,
        features: &mut Features,
        seen: &mut Seen,
    ) -> bool {
        let (starts, others) = self.class::<WIDE>(word);
        features.words += high_bits(starts);
        count_others::<WIDE>(text, at, others, features, seen)
    }
}

/// Looks at the bytes of `text` from `at` on whose high bit `others` holds, one by one
/// ([`count_other_byte`]); false at a `_`.
#[inline(always)]
fn count_others<const WIDE: bool>(
    text: &str,
    at: usize,
    mut others: u64,
    features: &mut Features,
    seen: &mut Seen,
) -> bool {
    while others != 0 {
        let i = at + (others.trailing_zeros() / 8) as usize;
        others &= others - 1;
        if !count_other_byte::<WIDE>(text, i, features, seen) {
            return false;
        }
    }
    true
}

/// One byte of [`count_words`] other than a letter, digit or space: a joining mark (whose word
/// then goes on: one word fewer than the starts counted), or a mark or hint as [`scan_bytes`]
/// counts them. False for `_`.
fn count_other_byte<const WIDE: bool>(
    text: &str,
    i: usize,
    features: &mut Features,
    seen: &mut Seen,
) -> bool {
    let bytes = text.as_bytes();
    if bytes[i] == b'_' {
        return false;
    }
    if WIDE && bytes[i] >= 0xC0 {
        if apostrophe_joins_at(bytes, i) {
            features.words -= 1;
        }
        count_wide_mark(&text[i..], features);
        return true;
    }
    if joins_at(bytes, i) {
        features.words -= 1;
    }
    count_ascii_mark(bytes, i, features, seen);
    true
}

/// The ASCII mark at `bytes[i]`: sentence ends, commas, menu separators, and the hints of URLs,
/// e-mail addresses and slashed credits. Inlined into its callers, which meet marks every few
/// words: the call cost a third of its work.
#[inline(always)]
fn count_ascii_mark(bytes: &[u8], i: usize, features: &mut Features, seen: &mut Seen) {
    let b = bytes[i];
    match b {
        b'.' | b'!' | b'?' => {
            if bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace) {
                features.sentence_marks += 1;
            }
            seen.url |= b == b'.' && bytes[..i].ends_with(b"www");
        }
        b',' | b';' => features.commas += 1,
        b'|' | b'>' => features.separators += 1,
        b'/' => seen.slash = true,
        b'@' => seen.at = true,
        b':' => seen.url |= bytes[i + 1..].starts_with(b"//"),
        b'\t' => seen.tab = true,
        _ => {}
    }
}

/// Whether one of the first [`WORD_SAMPLE`] words of `bytes` is a stop word, words cut as
/// [`scan_bytes`]`::<WIDE>` cuts them (without `_`).
fn has_stopword<const WIDE: bool>(bytes: &[u8]) -> bool {
    let mut words = 0;
    let mut i = 0;
    while i < bytes.len() && words < WORD_SAMPLE {
        if !bytes[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        let apostrophe;
        (i, apostrophe) = word_end::<WIDE>(bytes, start);
        words += 1;
        let stopword = if apostrophe {
            is_apostrophe_stopword(&bytes[start..i])
        } else {
            LEXICON.is_ascii_stopword_at(bytes, start, i)
        };
        if stopword {
            return true;
        }
    }
    false
}

/// Where the word starting at `start` ends: past letters, digits and `_`, and past the joining
/// marks between them (see [`joins`]); with `WIDE`, past curly apostrophes joining them too
/// (see [`apostrophe_joins_at`]), and whether one did.
fn word_end<const WIDE: bool>(bytes: &[u8], start: usize) -> (usize, bool) {
    let n = bytes.len();
    let mut i = start + 1;
    let mut apostrophe = false;
    loop {
        while i < n && CLASSES[bytes[i] as usize] & WORD != 0 {
            i += 1;
        }
        if WIDE && apostrophe_joins_at(bytes, i) {
            apostrophe = true;
            i += 3;
        } else if joins_at(bytes, i) {
            i += 1;
        } else {
            return (i, apostrophe);
        }
    }
}

/// Whether a curly apostrophe (`’` or `‘`, three bytes) starts at `bytes[i]` and joins the
/// letter or digit before it to the one after it, as `'` does (see [`joins`]).
fn apostrophe_joins_at(bytes: &[u8], i: usize) -> bool {
    i > 0
        && bytes[i..].starts_with(&[0xE2, 0x80])
        && matches!(bytes.get(i + 2), Some(0x98 | 0x99))
        && bytes
            .get(i + 3)
            .is_some_and(|&after| joins(b'\'', bytes[i - 1], after))
}

/// The pass of [`scan_ascii`]; with `WIDE`, over text whose other characters are all
/// [`passes_between_words`] or [`is_apostrophe`]: an apostrophe joins two letters or two digits
/// as `'` does, the others stand between words and count as marks as [`count_wide_mark`] says.
fn scan_bytes<const WIDE: bool>(text: &str, features: &mut Features, seen: &mut Seen) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            let start = i;
            let mut digits = CLASSES[b as usize] & DIGIT;
            let mut wide_word = false;
            i += 1;
            loop {
                // Word bytes eight at a time, then one at a time near the end.
                while let Some(chunk) = bytes.get(i..i + 8) {
                    let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
                    let (run, digit) = leading_word_bytes(word);
                    digits |= if digit { DIGIT } else { 0 };
                    i += run;
                    if run < 8 {
                        break;
                    }
                }
                if i + 8 > n {
                    while i < n && CLASSES[bytes[i] as usize] & WORD != 0 {
                        digits |= CLASSES[bytes[i] as usize];
                        i += 1;
                    }
                }
                if WIDE && apostrophe_joins_at(bytes, i) {
                    wide_word = true;
                    i += 3;
                    continue;
                }
                if joins_at(bytes, i) {
                    match bytes[i] {
                        // "1,200" is one word, but its comma still counts as one.
                        b',' => features.commas += 1,
                        b'.' => seen.url |= bytes[..i].ends_with(b"www"),
                        _ => {}
                    }
                    i += 1;
                    continue;
                }
                break;
            }
            seen.digit |= digits & DIGIT != 0;
            if WIDE && wide_word {
                tally_apostrophe_word(&bytes[start..i], features, seen);
            } else {
                tally_ascii_word(bytes, start, i, features, seen);
            }
            continue;
        }
        if WIDE && b >= 0xC0 {
            count_wide_mark(&text[i..], features);
        }
        count_ascii_mark(bytes, i, features, seen);
        i += 1;
    }
}

/// How many of the eight bytes of `word` (in memory order) are word bytes (ASCII letters, digits,
/// `_`) before the first that is not, and whether a digit is among them.
#[inline]
fn leading_word_bytes(word: u64) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Per byte, high bit cleared: sums below 0x100 never carry into the next byte.
    let low7 = word & !HIGH;
    let ascii = !word & HIGH;
    let in_range = |first: u8, last: u8, of: u64| {
        let at_least = of.wrapping_add(ONES * (0x80 - first as u64));
        let past = of.wrapping_add(ONES * (0x80 - last as u64 - 1));
        at_least & !past & HIGH
    };
    let letters = in_range(b'a', b'z', low7 | (ONES * 0x20));
    let digits = in_range(b'0', b'9', low7);
    let underscore_xor = low7 ^ (ONES * b'_' as u64);
    let underscores = !((underscore_xor.wrapping_add(ONES * 0x7f)) | underscore_xor) & HIGH;
    let words = (letters | digits | underscores) & ascii;
    let run = ((!words & HIGH).trailing_zeros() / 8) as usize;
    let in_run = if run == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * run)) - 1
    };
    (run, digits & ascii & in_run != 0)
}

/// Counts the ASCII word `bytes[start..end]`, and for the first [`WORD_SAMPLE`] whether it is
/// capitalised and a stop word.
fn tally_ascii_word(bytes: &[u8], start: usize, end: usize, features: &mut Features, seen: &Seen) {
    features.words += 1;
    if features.words > WORD_SAMPLE {
        return;
    }
    if bytes[start].is_ascii_uppercase() {
        features.capitalized += 1;
    }
    if seen.wants_stopword(features) && LEXICON.is_ascii_stopword_at(bytes, start, end) {
        features.stopwords += 1;
    }
}

/// Counts a word of ASCII letters and digits joined by curly apostrophes (`don’t`), and for the
/// first [`WORD_SAMPLE`] whether it is capitalised and a stop word.
fn tally_apostrophe_word(word: &[u8], features: &mut Features, seen: &Seen) {
    features.words += 1;
    if features.words > WORD_SAMPLE {
        return;
    }
    if word[0].is_ascii_uppercase() {
        features.capitalized += 1;
    }
    if seen.wants_stopword(features) && is_apostrophe_stopword(word) {
        features.stopwords += 1;
    }
}

/// Whether a word of ASCII letters and digits joined by curly apostrophes, lower-cased, is a
/// stop word.
fn is_apostrophe_stopword(word: &[u8]) -> bool {
    if word.len() > MAX_STOPWORD_BYTES {
        return false;
    }
    let mut lower = [0u8; MAX_STOPWORD_BYTES];
    lower[..word.len()].copy_from_slice(word);
    lower[..word.len()].make_ascii_lowercase();
    let lower = std::str::from_utf8(&lower[..word.len()]).expect("a word is text");
    LEXICON.is_stopword(lower)
}

/// Curly apostrophes: `’` (U+2019) and `‘` (U+2018) are MidNumLet in Unicode word segmentation,
/// and between ASCII letters or digits join them as `'` does.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '’' | '‘')
}

/// Characters that Unicode word segmentation always cuts around (word break property Other,
/// not a segment space) when their neighbours are ASCII or such characters, and that are neither
/// letters nor digits (a word to [`UnicodeSegmentation::unicode_words`] holds one): between two
/// words, they change no word. Besides typographic punctuation, the symbols of Latin-1 and the
/// C1 controls (but the line break U+0085), which scraped text holds where its code page was
/// misread, and a few common symbols: tokens holding them went to Unicode word segmentation.
/// (Not `¸`, which that segmentation does not cut around.)
fn passes_between_words(c: char) -> bool {
    matches!(
        c,
        '\u{80}'..='\u{84}'
            | '\u{86}'..='\u{a9}'
            | '¬'
            | '®'..='±'
            | '´'
            | '¶'
            | '¿'
            | '×'
            | '÷'
            | '′'
            | '−'
            | '←'..='↓'
            | '€'
            | '™'
            | '▼'
            | '«'
            | '»'
            | '–'
            | '—'
            | '“'
            | '”'
            | '•'
            | '…'
            | '‹'
            | '›'
            | '►'
            | '■'
            | '▪'
    )
}

/// What the characters outside ASCII of a block allow.
#[derive(Clone, Copy, Debug)]
struct Wide {
    /// Each lower-cases to itself (punctuation, symbols, lower-case letters): the block's lower
    /// case is its ASCII lower case, byte for byte.
    caseless: bool,
    /// Each [`passes_between_words`] or [`is_apostrophe`], in a token (between ASCII
    /// whitespace) without `:`, `;` or `_`: the whole block is scanned as [`scan_tokens`] would
    /// scan it token by token, in one [`scan_bytes`] pass.
    between_words: bool,
}

impl Wide {
    fn of(text: &str) -> Wide {
        let mut wide = Wide {
            caseless: true,
            between_words: true,
        };
        // Where the token last looked at ends: each token is looked at once, however many
        // wide characters it holds, and none when the text holds no `:`, `;` or `_` (most).
        let mut token_end = 0;
        let joiners = memchr::memchr3(b':', b';', b'_', text.as_bytes()).is_some();
        for (at, c) in wide_chars(text) {
            let between_words = passes_between_words(c) || is_apostrophe(c);
            wide.caseless &= between_words || lowers_to_itself(c);
            wide.between_words &= between_words;
            if wide.between_words && joiners && at >= token_end {
                let token = token_around(text.as_bytes(), at);
                token_end = token.end;
                wide.between_words = !text.as_bytes()[token]
                    .iter()
                    .any(|b| matches!(b, b':' | b';' | b'_'));
            }
            if !(wide.caseless || wide.between_words) {
                break;
            }
        }
        wide
    }
}

/// The characters of `text` outside ASCII, each with where it starts.
fn wide_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = next_non_ascii(text.as_bytes(), from)?;
        let c = text[at..]
            .chars()
            .next()
            .expect("a character starts at a non-ASCII byte");
        from = at + c.len_utf8();
        Some((at, c))
    })
}

/// Where the first byte outside ASCII at or after `from` is, looking eight bytes at a time.
fn next_non_ascii(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        if word & HIGH != 0 {
            return Some(i + (word & HIGH).trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..bytes.len()).find(|&j| !bytes[j].is_ascii())
}

/// Where the token (bytes between ASCII whitespace) that holds `bytes[at]` lies.
fn token_around(bytes: &[u8], at: usize) -> std::ops::Range<usize> {
    let start = bytes[..at]
        .iter()
        .rposition(u8::is_ascii_whitespace)
        .map_or(0, |k| k + 1);
    let end = bytes[at..]
        .iter()
        .position(u8::is_ascii_whitespace)
        .map_or(bytes.len(), |k| at + k);
    start..end
}

/// Whether `c` lower-cases to itself.
pub(crate) fn lowers_to_itself(c: char) -> bool {
    if let Some(lower) = plain_lowercase(c) {
        return lower == c;
    }
    let mut lower = c.to_lowercase();
    lower.next() == Some(c) && lower.next().is_none()
}

/// The lower case of a letter of Latin-1 or of the basic Cyrillic block (most letters outside
/// ASCII in scraped Western and Russian text), worked out without the case tables, whose search
/// cost 40 instructions a letter: each capital lower-cases to the one letter 0x20 (or, for
/// `Ѐ`..`Џ`, 0x50) code points on, and each small letter to itself. `None` for other characters.
fn plain_lowercase(c: char) -> Option<char> {
    let shift = match c {
        'À'..='Ö' | 'Ø'..='Þ' | 'А'..='Я' => 0x20,
        'Ѐ'..='Џ' => 0x50,
        'ß'..='ö' | 'ø'..='ÿ' | 'а'..='я' | 'ѐ'..='џ' => 0,
        _ => return None,
    };
    char::from_u32(c as u32 + shift)
}

/// Words, marks and pattern hints of text that is not all ASCII, token by token (tokens are cut
/// at ASCII whitespace, as word boundaries always are): tokens the byte pass takes
/// ([`bytes_pass_takes`]: ASCII ones and most others) by [`scan_bytes`], the others by
/// [`scan_wide_token`].
fn scan_tokens(text: &str, features: &mut Features, seen: &mut Seen) {
    let bytes = text.as_bytes();
    let mut lower_token = String::new();
    // Where the bytes not scanned yet begin: the tokens the byte pass takes are scanned in one
    // call for all those between two that it does not take, whitespace and all (a call per token
    // cost more than the scan of most), and only tokens holding characters outside ASCII are
    // looked at.
    let mut unscanned = 0;
    let mut from = 0;
    while let Some(at) = next_non_ascii(bytes, from) {
        let around = token_around(bytes, at);
        from = around.end;
        let token = &text[around.clone()];
        if !bytes_pass_takes(token) {
            scan_bytes::<true>(&text[unscanned..around.start], features, seen);
            scan_wide_token(token, &mut lower_token, features, seen);
            unscanned = around.end;
        }
    }
    scan_bytes::<true>(&text[unscanned..], features, seen);
}

/// Whether the byte pass ([`scan_bytes`]`::<true>`) cuts the words of `token`, which holds
/// characters outside ASCII, as Unicode word segmentation does. It does, but for `:` (which
/// joins letters, not digits, there), `;` (which joins digits) and `_` (which joins anything):
/// tokens holding them go to Unicode segmentation, as do those holding letters outside ASCII.
fn bytes_pass_takes(token: &str) -> bool {
    token.chars().all(|c| {
        (c.is_ascii() && !matches!(c, ':' | ';' | '_'))
            || passes_between_words(c)
            || is_apostrophe(c)
    })
}

/// Words, marks and hints of a token holding characters outside ASCII.
fn scan_wide_token(
    token: &str,
    lower_token: &mut String,
    features: &mut Features,
    seen: &mut Seen,
) {
    if token.chars().all(segments_as_letters) {
        tally_letter_words(token, features, seen);
    } else {
        tally_unicode_words(token, lower_token, features, seen);
    }
    count_token_marks(token, features, seen);
}

/// Counts the words of `token` as Unicode word segmentation cuts them, each looked up in the
/// stop words in its lower case.
fn tally_unicode_words(
    token: &str,
    lower_token: &mut String,
    features: &mut Features,
    seen: &mut Seen,
) {
    // Each token is lower-cased on its own: lower-casing can change a character's length
    // (`İ` becomes three bytes, `ẞ` two), so offsets into the whole lower-cased text need not
    // line up with the original.
    lower_token.clear();
    lower_token.extend(token.chars().flat_map(char::to_lowercase));
    for (word, lower_word) in token.unicode_words().zip(lower_token.unicode_words()) {
        tally_word(word, lower_word, features, seen);
    }
}

/// Whether [`tally_letter_words`] cuts words around `c`, in a token of such characters, as
/// Unicode word segmentation does: a letter ([`is_plain_letter`]), or ASCII other than `_`
/// (which joins anything), or `·`, or a character that [`passes_between_words`] or
/// [`is_apostrophe`].
fn segments_as_letters(c: char) -> bool {
    (c.is_ascii() && c != '_')
        || c == '·'
        || is_plain_letter(c)
        || passes_between_words(c)
        || is_apostrophe(c)
}

/// Letters of the Latin-1 and Latin Extended-A blocks and of the Cyrillic block (the letters
/// outside ASCII that scraped Western and Russian text mostly holds): each is a letter to Unicode
/// word segmentation (word break property ALetter, as ASCII letters are), and lower-cases to one
/// such letter of the same length in UTF-8, so that a word's lower case lines up with it byte
/// for byte. `İ`, which lower-cases to two characters, is left out, as are `×`, `÷` and the
/// Cyrillic combining marks and `҂`. So are the Hangul syllables, letters without case.
fn is_plain_letter(c: char) -> bool {
    matches!(c,
        'À'..='Ö' | 'Ø'..='ö' | 'ø'..='\u{12F}' | '\u{131}'..='\u{17F}'
        | '\u{400}'..='\u{481}' | '\u{48A}'..='\u{4FF}' | '\u{AC00}'..='\u{D7A3}')
}

/// Whether `c` is a letter to [`tally_letter_words`]: ASCII or [`is_plain_letter`].
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || is_plain_letter(c)
}

/// Counts the words of a token whose characters all [`segments_as_letters`], cut as Unicode word
/// segmentation cuts them there: a word is a run of letters and digits, going on over `'`, `.`,
/// `’` and `‘` between two letters or two digits, over `:` and `·` between two letters, and over
/// `,` and `;` between two digits (see [`joins_letters_or_digits`]), without segmenting the token twice (it and its lower case) as
/// [`tally_unicode_words`] does.
fn tally_letter_words(token: &str, features: &mut Features, seen: &mut Seen) {
    let mut chars = token.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        if !(is_letter(c) || c.is_ascii_digit()) {
            continue;
        }
        let mut end = start + c.len_utf8();
        let mut last = c;
        while let Some(&(at, next)) = chars.peek() {
            if is_letter(next) || next.is_ascii_digit() {
                chars.next();
            } else if let Some(after) = token[at + next.len_utf8()..].chars().next()
                && joins_letters_or_digits(next, last, after)
            {
                chars.next();
                chars.next();
                last = after;
                end = at + next.len_utf8() + after.len_utf8();
                continue;
            } else {
                break;
            }
            last = next;
            end = at + next.len_utf8();
        }
        tally_letter_word(&token[start..end], features, seen);
    }
}

/// Whether `mark` between `before` and `after` joins them into one word, as Unicode word
/// segmentation says: `'`, `.` and the curly apostrophes (MidNumLet) join two letters or two
/// digits, `:` and `·` (MidLetter) two letters, `,` and `;` (MidNum) two digits.
fn joins_letters_or_digits(mark: char, before: char, after: char) -> bool {
    let letters = is_letter(before) && is_letter(after);
    let digits = before.is_ascii_digit() && after.is_ascii_digit();
    match mark {
        '\'' | '.' | '’' | '‘' => letters || digits,
        ':' | '·' => letters,
        ',' | ';' => digits,
        _ => false,
    }
}

/// [`tally_word`] of a word of letters and digits ([`tally_letter_words`]), lower-cased here
/// only when it is looked up: its lower case has its length.
fn tally_letter_word(word: &str, features: &mut Features, seen: &Seen) {
    features.words += 1;
    if features.words > WORD_SAMPLE {
        return;
    }
    if word.chars().next().is_some_and(char::is_uppercase) {
        features.capitalized += 1;
    }
    if word.len() <= MAX_STOPWORD_BYTES && seen.wants_stopword(features) {
        let mut lower = [0u8; MAX_STOPWORD_BYTES];
        let mut at = 0;
        for c in word.chars().flat_map(char::to_lowercase) {
            at += c.encode_utf8(&mut lower[at..]).len();
        }
        let lower = std::str::from_utf8(&lower[..at]).expect("lower-cased letters are text");
        if LEXICON.is_stopword(lower) {
            features.stopwords += 1;
        }
    }
}

/// Sentence ends, commas, separators and hints of a token holding characters outside ASCII.
fn count_token_marks(token: &str, features: &mut Features, seen: &mut Seen) {
    let bytes = token.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'.' | b'!' | b'?' if bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace) => {
                features.sentence_marks += 1;
            }
            b',' | b';' => features.commas += 1,
            b'|' | b'>' => features.separators += 1,
            b'/' => seen.slash = true,
            b'@' => seen.at = true,
            b'0'..=b'9' => seen.digit = true,
            _ if may_start_a_wide_mark(b) => count_wide_mark(&token[i..], features),
            _ => {}
        }
    }
}

/// Whether a mark [`count_wide_mark`] counts may start at the byte `b`: the first bytes of their
/// UTF-8. Letters outside ASCII start otherwise (Latin ones at `0xC3`..`0xC5`, Cyrillic at
/// `0xD0`, `0xD1`): a token of them is not decoded character by character for its marks.
fn may_start_a_wide_mark(b: u8) -> bool {
    matches!(b, 0xC2 | 0xD8 | 0xE2 | 0xE3 | 0xEF)
}

/// Longest block, in words, whose lexicon hits are looked for.
pub const LEXICON_MAX_WORDS: u32 = 120;

/// Lower-cases `text` into `lower`, copying ASCII stretches whole (most text is mostly ASCII).
fn lowercase_into(text: &str, lower: &mut String) {
    lower.clear();
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = next_non_ascii(rest.as_bytes(), 0).unwrap_or(rest.len());
        let start = lower.len();
        lower.push_str(&rest[..ascii]);
        lower[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            match plain_lowercase(c) {
                Some(lower_c) => lower.push(lower_c),
                None => lower.extend(c.to_lowercase()),
            }
            rest = &rest[c.len_utf8()..];
        }
    }
}

fn tally_word(word: &str, lower_word: &str, features: &mut Features, seen: &Seen) {
    features.words += 1;
    if features.words > WORD_SAMPLE {
        return;
    }
    if word.as_bytes()[0].is_ascii_uppercase()
        || (!word.as_bytes()[0].is_ascii() && word.chars().next().is_some_and(char::is_uppercase))
    {
        features.capitalized += 1;
    }
    if lower_word.len() <= MAX_STOPWORD_BYTES
        && seen.wants_stopword(features)
        && LEXICON.is_stopword(lower_word)
    {
        features.stopwords += 1;
    }
}

/// Stop words and capitals are counted among a block's first this many words: enough to tell
/// prose from a list of names, and long paragraphs need no more.
pub const WORD_SAMPLE: u32 = 64;

/// No stop word of the built-in lists is longer than this many bytes.
const MAX_STOPWORD_BYTES: usize = 16;

/// Whether `bytes[i]` is a joining mark (`'`, `.`, `,`, `:`) that carries a word on from the
/// byte before it to the letter or digit after it (see [`joins`]).
#[inline]
fn joins_at(bytes: &[u8], i: usize) -> bool {
    i > 0
        && i + 1 < bytes.len()
        && CLASSES[bytes[i] as usize] & JOINER != 0
        && bytes[i + 1].is_ascii_alphanumeric()
        && joins(bytes[i], bytes[i - 1], bytes[i + 1])
}

/// UAX #29 joins letters across `'` and `.` (MidNumLet), and digits across `.` `,` `:`.
fn joins(mark: u8, before: u8, after: u8) -> bool {
    match mark {
        b'\'' | b'.' => {
            (before.is_ascii_alphabetic() && after.is_ascii_alphabetic())
                || (before.is_ascii_digit() && after.is_ascii_digit())
        }
        _ => before.is_ascii_digit() && after.is_ascii_digit(),
    }
}

/// Marks outside ASCII, looked at where a multi-byte character starts.
fn count_wide_mark(from: &str, features: &mut Features) {
    let mut chars = from.chars();
    let Some(c) = chars.next() else { return };
    match c {
        '…' | '。' | '！' | '？' if chars.next().is_none_or(char::is_whitespace) => {
            features.sentence_marks += 1;
        }
        '،' | '、' | '，' => features.commas += 1,
        '•' | '·' | '»' | '›' | '«' | '‹' => features.separators += 1,
        _ => {}
    }
}

/// Longest comment header, in words ("Jane Doe on May 1, 2012 at 4:47 pm said:").
const COMMENT_HEADER_WORDS: u32 = 14;

/// Verbs ending the line that introduces a comment, in the lexicon's languages.
const COMMENT_HEADER_ENDINGS: &[&str] = &[
    "says",
    "wrote",
    "writes",
    "said",
    "schrieb",
    "sagt",
    "a écrit",
    "écrit",
    "dit",
    "escribió",
    "dice",
    "dijo",
];

/// Whether a block ends like "… says:" or "… wrote :". Inlined: most blocks end in an ASCII
/// byte other than `:`, told at once, and the call cost more than that.
#[inline]
fn is_comment_header(text: &str) -> bool {
    !ends_in_plain_ascii(text, |b| b != b':') && ends_like_a_comment_header(text)
}

/// [`is_comment_header`] of a block that may end with a colon.
fn ends_like_a_comment_header(text: &str) -> bool {
    let Some(head) = text.trim_end().strip_suffix(':') else {
        return false;
    };
    let head = head.trim_end().to_lowercase();
    COMMENT_HEADER_ENDINGS.iter().any(|verb| {
        head.strip_suffix(verb)
            .is_some_and(|rest| rest.ends_with(char::is_whitespace) && !rest.trim().is_empty())
    })
}

/// Whether text ends with sentence punctuation, allowing closing quotes and brackets after it.
/// Inlined: most blocks are told by their last byte, and the call cost more than that.
#[inline]
pub fn ends_like_sentence(text: &str) -> bool {
    if matches!(text.as_bytes().last(), Some(b'.' | b'!' | b'?')) {
        return true;
    }
    if ends_in_plain_ascii(text, |b| !matches!(b, b'"' | b'\'' | b')' | b']' | b'*')) {
        return false;
    }
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*')
    });
    trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// Whether the last byte of `text` is ASCII, not whitespace, and `plain`: then what follows
/// whitespace trimmed off the end is decided without decoding a character. Most blocks end with
/// a letter, a digit or a full stop.
fn ends_in_plain_ascii(text: &str, plain: impl Fn(u8) -> bool) -> bool {
    text.as_bytes()
        .last()
        .is_some_and(|&b| b.is_ascii() && !is_ascii_space(b) && plain(b))
}

/// Whether `text` ends with a colon (see [`Features::announces`]).
fn announces(text: &str) -> bool {
    match text.as_bytes().last() {
        Some(&b) if b.is_ascii() => b == b':',
        _ => text.ends_with('：'),
    }
}

/// Whether `text` is a row of a data table (see [`Features::table_row`]).
fn is_table_row(text: &str) -> bool {
    let bytes = text.as_bytes();
    if memchr::memchr(b'\t', bytes).is_none() || memchr::memchr(b'\n', bytes).is_some() {
        return false;
    }
    let (mut cells, mut numbers, mut worded) = (0, 0, 0);
    for cell in text.split('\t').map(str::trim).filter(|c| !c.is_empty()) {
        cells += 1;
        if cell.bytes().any(|b| b.is_ascii_digit())
            && cell
                .chars()
                .all(|c| c.is_ascii_digit() || " .,:%+-/$€£".contains(c))
        {
            numbers += 1;
        } else if cell.chars().any(char::is_alphabetic) {
            worded += 1;
        }
    }
    cells >= MIN_TABLE_CELLS && numbers > 0 && worded > 0
}

/// Cells of the shortest table row.
const MIN_TABLE_CELLS: usize = 3;

/// A teaser cut short ("Read how the council voted...") ends with an ellipsis, not a sentence.
fn is_truncated(text: &str) -> bool {
    if ends_in_plain_ascii(text, |b| b != b'.') {
        return false;
    }
    let text = text.trim_end();
    text.ends_with("...") || text.ends_with('…')
}

#[inline]
fn is_prev_next(text: &str) -> bool {
    // Most blocks open with ASCII, which none of these marks is.
    !text.as_bytes().first().is_some_and(u8::is_ascii)
        && text.starts_with(['«', '‹'])
        && text.ends_with(['»', '›'])
}

fn starts_with_bullet(text: &str) -> bool {
    // An ASCII first byte (most blocks) is compared with the two ASCII bullets alone.
    match text.as_bytes().first() {
        Some(&b) if b.is_ascii() => matches!(b, b'-' | b'*'),
        _ => text.starts_with(['•', '·', '–', '▪', '►', '›', '»', '◦', '■']),
    }
}

/// What a date is, as a regular expression: the tests' reference, with Unicode classes
/// ([`DATE`]) and without ([`patterns::date`], which matches it by hand).
#[cfg(test)]
const DATE_PATTERN: &str = r"(?ix)
        \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b,?\s*\d{0,4}
      | \b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{2,4}\b
      | \b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b
      | \b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b
      | \b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?
      | \b\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b
      | \b(?:yesterday|today)\b
      | \b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b";

/// The date pattern with Unicode classes (Unicode word boundaries send the general regex engine
/// to a slow backtracker on text that is not ASCII, so it only serves as the tests' reference:
/// see [`fold_for_dates`]).
#[cfg(test)]
static DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(DATE_PATTERN).expect("date pattern compiles"));

// The patterns below with Unicode classes serve as the tests' reference only: text that is not
// ASCII is folded ([`Folds`]) for their ASCII versions, matched by hand ([`patterns`]), as
// compiling them (18 M instructions) and building their lazy DFAs' first states (12 M) cost
// more than all the blocks they read.

#[cfg(test)]
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:by|written by|posted by|reported by|von|par|por)\s+\p{Lu}")
        .expect("byline pattern compiles")
});

#[cfg(test)]
static SLASHED_NAMES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Lu}[\p{L}.]*\s?/\s?\p{Lu}").expect("credit pattern compiles"));

#[cfg(test)]
static GLUED_SENTENCES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Ll}[.?!]\p{Lu}\p{Ll}").expect("glue pattern compiles"));

#[cfg(test)]
static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+\.[\w.]+").expect("e-mail pattern compiles"));

/// The folds of text that is not ASCII for the ASCII versions of [`BYLINE`] ([`byline_ascii`]),
/// [`SLASHED_NAMES`], [`GLUED_SENTENCES`] and [`EMAIL`], built on first use.
static FOLDS: LazyLock<Folds> = LazyLock::new(Folds::new);

/// One [`Fold`] for each pattern that text outside ASCII is folded for.
struct Folds {
    byline: Fold,
    slashed_names: Fold,
    glued_sentences: Fold,
    email: Fold,
}

impl Folds {
    fn new() -> Self {
        let upper = class_ranges(r"\p{Lu}");
        let lower = class_ranges(r"\p{Ll}");
        let letters = class_ranges(r"\p{L}");
        let space = class_ranges(r"\s");
        // The opening words of a byline are matched in any case: a character that case-folds
        // to an ASCII letter is that letter, in its own case (upper case for the Kelvin sign,
        // which may also be the capital after the opening); other capitals are `Q`, a letter
        // that no opening word holds.
        let mut byline = Vec::new();
        for letter in b'a'..=b'z' {
            for (start, end) in class_ranges(&format!("(?i){}", letter as char)) {
                for c in (start..=end).filter(|c| !c.is_ascii()) {
                    let byte = if in_ranges(&upper, c) {
                        letter.to_ascii_uppercase()
                    } else {
                        letter
                    };
                    byline.push((vec![(c, c)], byte));
                }
            }
        }
        byline.extend([(space.clone(), b' '), (upper.clone(), b'Q')]);
        Folds {
            byline: Fold(byline),
            slashed_names: Fold(vec![(upper.clone(), b'A'), (letters, b'a'), (space, b' ')]),
            glued_sentences: Fold(vec![(upper, b'A'), (lower, b'a')]),
            email: Fold(vec![(class_ranges(r"\w"), b'a')]),
        }
    }
}

/// A text's characters each replaced by one ASCII byte that a pattern treats alike, so that
/// the pattern's ASCII version matches the result exactly where the Unicode one matches the
/// text: ASCII stays; another character becomes the byte of the first class (sorted character
/// ranges) holding it, or `#`, which no pattern takes.
struct Fold(Vec<(Vec<(char, char)>, u8)>);

impl Fold {
    fn apply(&self, text: &str) -> Vec<u8> {
        text.chars()
            .map(|c| {
                if c.is_ascii() {
                    c as u8
                } else {
                    self.0
                        .iter()
                        .find(|(class, _)| in_ranges(class, c))
                        .map_or(b'#', |&(_, byte)| byte)
                }
            })
            .collect()
    }
}

/// `text` with each character replaced by one ASCII byte that [`DATE_PATTERN`] treats alike, so
/// that the ASCII pattern matches the result exactly when the Unicode one matches `text`: ASCII
/// stays; a character that case-folds to an ASCII letter (`ſ`, the Kelvin sign) becomes that
/// letter; Unicode whitespace a space; other decimal digits `0`; other word characters `_`; the
/// rest `#`. The classes are the regex crate's own (`\s`, `\d`, `\w`, `(?i)[a-z]`).
fn fold_for_dates(text: &str) -> Vec<u8> {
    static CLASSES: LazyLock<DateClasses> = LazyLock::new(DateClasses::new);
    let classes = &*CLASSES;
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c as u8
            } else if let Some(&(_, letter)) = classes.letters.iter().find(|(l, _)| *l == c) {
                letter
            } else if in_ranges(&classes.space, c) {
                b' '
            } else if in_ranges(&classes.digit, c) {
                b'0'
            } else if in_ranges(&classes.word, c) {
                b'_'
            } else {
                b'#'
            }
        })
        .collect()
}

struct DateClasses {
    space: Vec<(char, char)>,
    digit: Vec<(char, char)>,
    word: Vec<(char, char)>,
    /// Characters outside ASCII that case-fold to an ASCII letter, with that letter.
    letters: Vec<(char, u8)>,
}

impl DateClasses {
    fn new() -> Self {
        let mut letters = Vec::new();
        for letter in b'a'..=b'z' {
            for (start, end) in class_ranges(&format!("(?i){}", letter as char)) {
                letters.extend((start..=end).filter(|c| !c.is_ascii()).map(|c| (c, letter)));
            }
        }
        DateClasses {
            space: class_ranges(r"\s"),
            digit: class_ranges(r"\d"),
            word: class_ranges(r"\w"),
            letters,
        }
    }
}

/// The sorted character ranges of a Unicode class, as the regex crate compiles it.
fn class_ranges(pattern: &str) -> Vec<(char, char)> {
    use regex_syntax::hir::{Class, HirKind};
    let hir = regex_syntax::parse(pattern).expect("class pattern parses");
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect(),
        HirKind::Literal(_) => {
            let c = pattern.chars().last().expect("a literal");
            vec![(c, c)]
        }
        other => panic!("{pattern} is not a class: {other:?}"),
    }
}

fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    let at = ranges.partition_point(|&(start, _)| start <= c);
    at > 0 && ranges[at - 1].1 >= c
}

/// [`BYLINE`] on ASCII text: an opening word in any case, ASCII whitespace (`\s` holds the
/// vertical tab, which `u8::is_ascii_whitespace` does not), a capital.
fn byline_ascii(text: &[u8]) -> bool {
    // Only the openings starting with the block's first letter are compared: most blocks open
    // with none of their first letters, and comparing each opening took 200 instructions a
    // block.
    let openings: &[&str] = match text.first().map(u8::to_ascii_lowercase) {
        Some(b'b') => &["by"],
        Some(b'w') => &["written by"],
        Some(b'p') => &["posted by", "par", "por"],
        Some(b'r') => &["reported by"],
        Some(b'v') => &["von"],
        _ => return false,
    };
    openings.iter().any(|opening| {
        let Some(rest) = text
            .get(..opening.len())
            .filter(|head| head.eq_ignore_ascii_case(opening.as_bytes()))
            .map(|_| &text[opening.len()..])
        else {
            return false;
        };
        let spaces = rest.iter().take_while(|&&b| is_ascii_space(b)).count();
        spaces > 0 && rest.get(spaces).is_some_and(u8::is_ascii_uppercase)
    })
}

/// The measurements as first written (lower-case copy, one word iterator per token), kept as the
/// reference the one-pass measurement must agree with; the helpers both share are the module's.
#[cfg(test)]
mod reference {
    use super::*;

    /// Measures one block. `lower` is a scratch buffer reused between calls.
    pub(super) fn measure(text: &str, lower: &mut String) -> Features {
        let text = text.trim();
        lowercase_into(text, lower);
        let ascii = text.is_ascii();
        let mut features = Features {
            chars: if ascii {
                text.len()
            } else {
                text.chars().count()
            } as u32,
            lower_bytes: lower.len() as u32,
            terminal: ends_like_sentence(text) && !is_truncated(text),
            truncated: is_truncated(text),
            bullet: starts_with_bullet(text),
            prev_next: is_prev_next(text),
            announces: announces(text),
            table_row: is_table_row(text),
            ..Features::default()
        };
        let seen = if ascii {
            scan_ascii(text, lower, &mut features)
        } else {
            count_words(text, &mut features);
            count_marks(text, &mut features);
            Seen::look(text)
        };
        // Lexicon rules judge blocks of at most 80 words; longer ones are never scanned.
        if features.words <= LEXICON_MAX_WORDS {
            features.lexicon = LEXICON.hits(lower);
        }
        if features.words <= 16 {
            features.has_date = (seen.digit || lower.contains("day")) && DATE.is_match(text);
            features.byline = BYLINE.is_match(text);
        }
        if features.words <= 30 && seen.slash {
            features.slashed_names = SLASHED_NAMES.is_match(text);
            features.glued_sentences = GLUED_SENTENCES.is_match(text);
        }
        features.has_digit = seen.digit;
        features.has_url =
            text.contains("://") || text.contains("www.") || (seen.at && EMAIL.is_match(text));
        features.bare_url = features.has_url && !text.contains(char::is_whitespace);
        features.comment_header = features.words <= COMMENT_HEADER_WORDS && is_comment_header(text);
        features
    }

    /// Characters whose presence decides whether a pattern is worth trying.
    #[derive(Clone, Copy, Debug, Default)]
    pub(super) struct Seen {
        digit: bool,
        slash: bool,
        at: bool,
    }

    impl Seen {
        fn look(text: &str) -> Seen {
            Seen {
                digit: text.bytes().any(|b| b.is_ascii_digit()),
                slash: text.contains('/'),
                at: text.contains('@'),
            }
        }
    }

    /// Words, marks and pattern hints of an ASCII block in one pass over its bytes. Words are found
    /// in the lower case (ASCII lower-casing keeps every byte in place) and read in the original for
    /// capitals.
    pub(super) fn scan_ascii(text: &str, lower: &str, features: &mut Features) -> Seen {
        let bytes = lower.as_bytes();
        let mut seen = Seen::default();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                let start = i;
                i += 1;
                while i < bytes.len() && continues_word(bytes, start, i) {
                    i += 1;
                }
                let word = &bytes[start..i];
                seen.digit |= word.iter().any(u8::is_ascii_digit);
                // "1,200" is one word, but its comma still counts as one.
                features.commas += word.iter().filter(|&&c| c == b',').count() as u32;
                tally_word(&text[start..i], &lower[start..i], features);
                continue;
            }
            match b {
                b'.' | b'!' | b'?' if bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace) => {
                    features.sentence_marks += 1;
                }
                b',' | b';' => features.commas += 1,
                b'|' | b'>' => features.separators += 1,
                b'/' => seen.slash = true,
                b'@' => seen.at = true,
                _ => {}
            }
            i += 1;
        }
        seen
    }

    /// Words are counted per whitespace-separated token: ASCII tokens by a fast scanner that agrees
    /// with Unicode word segmentation on ASCII, other tokens by `unicode-segmentation` itself. Word
    /// boundaries always fall at whitespace, so the split changes no count.
    pub(super) fn count_words(text: &str, features: &mut Features) {
        // Each token is lower-cased on its own: lower-casing can change a character's length
        // (`İ` becomes three bytes, `ẞ` two), so offsets into the whole lower-cased text need not
        // line up with the original.
        let mut lower_token = String::new();
        for token in text.split(|c: char| c.is_ascii_whitespace()) {
            if token.is_empty() {
                continue;
            }
            lower_token.clear();
            if token.is_ascii() {
                lower_token.push_str(token);
                lower_token.make_ascii_lowercase();
                for lower_word in ascii_words(&lower_token) {
                    let at = lower_word.as_ptr() as usize - lower_token.as_ptr() as usize;
                    tally_word(&token[at..at + lower_word.len()], lower_word, features);
                }
            } else {
                lower_token.extend(token.chars().flat_map(char::to_lowercase));
                for (word, lower_word) in token.unicode_words().zip(lower_token.unicode_words()) {
                    tally_word(word, lower_word, features);
                }
            }
        }
    }

    fn tally_word(word: &str, lower_word: &str, features: &mut Features) {
        features.words += 1;
        if features.words > WORD_SAMPLE {
            return;
        }
        if word.as_bytes()[0].is_ascii_uppercase()
            || (!word.as_bytes()[0].is_ascii()
                && word.chars().next().is_some_and(char::is_uppercase))
        {
            features.capitalized += 1;
        }
        if lower_word.len() <= MAX_STOPWORD_BYTES && LEXICON.is_stopword(lower_word) {
            features.stopwords += 1;
        }
    }

    /// Words of ASCII text: runs of letters and digits, joined across an inner apostrophe or period
    /// ("don't", "3.5"), as Unicode word segmentation would.
    fn ascii_words(text: &str) -> impl Iterator<Item = &str> {
        let bytes = text.as_bytes();
        let mut i = 0;
        std::iter::from_fn(move || {
            while i < bytes.len() && !bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            if i >= bytes.len() {
                return None;
            }
            let start = i;
            while i < bytes.len() && continues_word(bytes, start, i) {
                i += 1;
            }
            Some(&text[start..i])
        })
    }

    /// Whether the byte at `i` belongs to the ASCII word that started at `start`.
    fn continues_word(bytes: &[u8], start: usize, i: usize) -> bool {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() || b == b'_' {
            return true;
        }
        matches!(b, b'\'' | b'.' | b',' | b':')
            && i > start
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric)
            && joins(b, bytes[i - 1], bytes[i + 1])
    }

    pub(super) fn count_marks(text: &str, features: &mut Features) {
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'.' | b'!' | b'?' if bytes.get(i + 1).is_none_or(u8::is_ascii_whitespace) => {
                    features.sentence_marks += 1;
                }
                b',' | b';' => features.commas += 1,
                b'|' | b'>' => features.separators += 1,
                _ if b >= 0xC0 => count_wide_mark(&text[i..], features),
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Features {
        measure(text, &mut String::new())
    }

    #[test]
    fn a_table_row_holds_three_cells_a_number_and_words() {
        assert!(m("1\t\tInterlace - Master (Prototyp)\t\t4").table_row);
        assert!(m("Arsenal\t38\t26\t£1,200").table_row);
        // Found whichever pass measures the block: bytes (ASCII, dashes), tokens (`£`).
        for row in [
            "Arsenal\t38\t26",
            "Arsenal — FC\t38\t26",
            "Arsenal\t38\t£26",
        ] {
            assert!(m(row).table_row, "{row:?}");
            assert!(judged(row).table_row, "{row:?}");
        }
        // A calendar's week, a header, two cells, two lines: not rows of data.
        assert!(!m("10\t11\t12\t13\t14").table_row);
        assert!(!m("Name\tCompany\tPhone").table_row);
        assert!(!m("Arsenal\t38").table_row);
        assert!(!m("1\tArsenal\t38\n2\tChelsea\t35").table_row);
        assert!(!m("1 Arsenal 38").table_row);
    }

    #[test]
    fn counts_words_and_stopwords() {
        let f = m("The cat sat on the mat, didn't it?");
        assert_eq!(f.words, 8);
        assert_eq!(f.stopwords, 4);
        assert!(f.terminal);
        assert_eq!(f.commas, 1);
    }

    #[test]
    fn non_ascii_words_use_unicode_segmentation() {
        let f = m("Die Katze saß auf der Matte.");
        assert_eq!(f.words, 6);
        assert!(f.stopwords >= 2);
    }

    #[test]
    fn recognises_dates_and_bylines() {
        assert!(m("date 2020-01-06 1 hour ago").has_date);
        assert!(m("November 20, 2019").has_date);
        assert!(m("By Jane Doe, Staff Writer").byline);
        assert!(!m("Bypass surgery is common").byline);
    }

    #[test]
    fn recognises_credit_shapes() {
        let f = m("Which way are they going?Capt. Jane Roe/Agency/Photo Desk via Wire");
        assert!(f.glued_sentences);
        assert!(f.slashed_names);
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn the_ascii_pass_counts_as_the_general_one(text in "([a-cA0-2]{1,3}[ .,:;'!?|>/@\t]{1,2}){0,20}") {
            let lower = text.to_ascii_lowercase();
            let mut fused = Features::default();
            reference::scan_ascii(&text, &lower, &mut fused);
            let mut general = Features::default();
            reference::count_words(&text, &mut general);
            reference::count_marks(&text, &mut general);
            proptest::prop_assert_eq!(fused, general);
        }

        #[test]
        fn measures_ascii_as_the_reference(text in "([a-zA-Z0-9_]{0,9}[ .,:;'!?|>/@\t\n-]{0,3}){0,30}") {
            proptest::prop_assert_eq!(m(&text), reference_measure(&text));
        }

        #[test]
        fn measures_mixed_text_as_the_reference(
            text in "([a-zA-Zé0-9_İẞß’…•،]{0,6}[ .,:;'!?|>/@\t\u{a0}\u{3000}“]{0,3}){0,30}"
        ) {
            proptest::prop_assert_eq!(m(&text), reference_measure(&text));
        }

        #[test]
        fn measures_prose_with_curly_quotes_and_dashes_as_the_reference(
            text in "((Sign up|subscribe|Don|t|the|day|[a-zA-Z0-9]{1,6}|É|한국)[’‘“”—–…«»•·©£°€™\u{a0}\u{92}]{0,2}[ .,:;_'!?]{0,2}){0,25}"
        ) {
            proptest::prop_assert_eq!(m(&text), reference_measure(&text));
            proptest::prop_assert_eq!(judged(&text), as_judged(m(&text)));
        }

        #[test]
        fn measures_any_text_as_the_reference(text in r"\PC{0,200}") {
            proptest::prop_assert_eq!(m(&text), reference_measure(&text));
        }

        #[test]
        fn measures_lexicon_phrases_as_the_reference(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Subscribe", "to", "our", "NEWSLETTER", "sign", "up", "home", "work",
                    "homework", "©", "2020", "all", "rights", "reserved", "By", "Jane",
                    "posted", "3", "hours", "ago", "today", "www.example.com", "http://x.org",
                    "a@b.org", "Reuters/Jane", "Doe", "going?Capt.", "read", "more", "Über",
                    "für", "él", ",", ".", "|", "»",
                ]),
                0..40,
            ),
            glue in proptest::collection::vec(proptest::sample::select(vec![" ", "", "  ", "\t"]), 40),
        ) {
            let text: String = words
                .iter()
                .zip(&glue)
                .flat_map(|(word, glue)| [*word, *glue])
                .collect();
            proptest::prop_assert_eq!(m(&text), reference_measure(&text));
            proptest::prop_assert_eq!(judged(&text), as_judged(m(&text)));
        }
    }

    fn reference_measure(text: &str) -> Features {
        reference::measure(text, &mut String::new())
    }

    #[test]
    fn measures_the_shared_pages_as_the_reference() {
        // Every block of the bundled pages, and the same upper-cased; and of the pages below
        // $DEBOIL_REFERENCE_PAGES, when set (a larger corpus).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files = walk(&dir);
        if let Some(more) = std::env::var_os("DEBOIL_REFERENCE_PAGES") {
            files.extend(walk(std::path::Path::new(&more)));
        }
        let mut pages = 0;
        for entry in files {
            let Ok(text) = std::fs::read_to_string(&entry) else {
                continue;
            };
            pages += 1;
            let doc = crate::segment::segment_text(&text);
            for i in 0..doc.blocks.len() {
                let block = doc.block_text(i);
                assert_eq!(m(block), reference_measure(block), "{block:?}");
                assert_eq!(judged(block), as_judged(m(block)), "{block:?}");
                let upper = block.to_uppercase();
                assert_eq!(m(&upper), reference_measure(&upper), "{upper:?}");
                assert_eq!(judged(&upper), as_judged(m(&upper)), "{upper:?}");
            }
        }
        assert!(pages > 10);
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else if path.extension().is_some_and(|e| e == "txt" || e == "html") {
                files.push(path);
            }
        }
        files
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 2000,
            ..crate::test_support::no_seed_files()
        })]

        #[test]
        fn ascii_patterns_match_as_the_unicode_ones(
            text in crate::test_support::texts_of_pieces(
                &[
                    "Jan", "sept", "MARCH", "may", "3", "12", "2020", "21st", "am", "P.M.",
                    "ago", "hours", "Day", "today", "YESTERDAY", "Tuesday", "by", "By",
                    "written by", "Posted By", "REPORTED BY", "von", "par", "por", "Jane",
                    "jane", "Reuters", "AP", "a@b.co", "x.y+z@mail-host.org", "Doe",
                ],
                "[ \t\n\x0B\x0C\r./:,-@_?!]{1,3}",
                "[a-zA-Z0-9]{1,4}",
                12,
            ),
        ) {
            let bytes = text.as_bytes();
            proptest::prop_assert_eq!(patterns::date(bytes), DATE.is_match(&text));
            proptest::prop_assert_eq!(byline_ascii(bytes), BYLINE.is_match(&text));
            proptest::prop_assert_eq!(
                patterns::slashed_names(bytes),
                SLASHED_NAMES.is_match(&text)
            );
            proptest::prop_assert_eq!(
                patterns::glued_sentences(bytes),
                GLUED_SENTENCES.is_match(&text)
            );
            proptest::prop_assert_eq!(patterns::email(bytes), EMAIL.is_match(&text));
        }

        #[test]
        fn ascii_patterns_match_as_the_unicode_ones_on_any_ascii(text in "[\x00-\x7F]{0,40}") {
            let bytes = text.as_bytes();
            proptest::prop_assert_eq!(patterns::date(bytes), DATE.is_match(&text));
            proptest::prop_assert_eq!(byline_ascii(bytes), BYLINE.is_match(&text));
            proptest::prop_assert_eq!(
                patterns::slashed_names(bytes),
                SLASHED_NAMES.is_match(&text)
            );
            proptest::prop_assert_eq!(
                patterns::glued_sentences(bytes),
                GLUED_SENTENCES.is_match(&text)
            );
            proptest::prop_assert_eq!(patterns::email(bytes), EMAIL.is_match(&text));
        }

        #[test]
        fn folded_dates_match_as_unicode_dates(
            text in crate::test_support::texts_of_pieces(
                &[
                    "Jan", "ſept", "MARCH", "may", "3", "١٢", "2020", "21st", "am", "P.M.",
                    "ago", "hours", "Day", "today", "YESTERDAY", "Tuesday", "weeK", "é",
                    "\u{a0}", "\u{2009}", "\u{3000}", "’", "—", "٣", "Ⅻ", "_", "x",
                ],
                "[ ./:,-]{1,2}",
                "[a-z0-9]{1,3}",
                12,
            ),
        ) {
            proptest::prop_assert_eq!(
                patterns::date(&fold_for_dates(&text)),
                DATE.is_match(&text),
                "{:?}",
                text
            );
        }
    }

    /// Whether each pattern's ASCII version matches `text` folded ([`FOLDS`]) where the Unicode
    /// pattern matches `text`.
    fn folded_patterns_match_as_unicode(text: &str) -> Result<(), String> {
        let checks = [
            (
                "byline",
                byline_ascii(&FOLDS.byline.apply(text)),
                BYLINE.is_match(text),
            ),
            (
                "slashed names",
                patterns::slashed_names(&FOLDS.slashed_names.apply(text)),
                SLASHED_NAMES.is_match(text),
            ),
            (
                "glued sentences",
                patterns::glued_sentences(&FOLDS.glued_sentences.apply(text)),
                GLUED_SENTENCES.is_match(text),
            ),
            (
                "e-mail",
                patterns::email(&FOLDS.email.apply(text)),
                EMAIL.is_match(text),
            ),
        ];
        match checks.iter().find(|(_, folded, unicode)| folded != unicode) {
            Some((pattern, folded, _)) => Err(format!("{pattern}: folded {folded} in {text:?}")),
            None => Ok(()),
        }
    }

    proptest::proptest! {
        #![proptest_config(thorough())]

        #[test]
        fn folded_patterns_match_as_the_unicode_ones(
            text in crate::test_support::texts_of_pieces(
                &[
                    "By", "bY", "written by", "poſted by", "par", "Por", "von", "Jane", "jane",
                    "É", "é", "ǅ", "ʰ", "中", "Ⅻ", "١", "\u{a0}", "\u{2009}", "\u{3000}",
                    "\u{212A}", "ſ", "\u{301}", "ß", "Ж", "ж", "_", "x.y+z@mail-host.org",
                    "a@b.co",
                ],
                "[ \t\n./?!@+-]{1,3}",
                "[a-zA-Z0-9]{1,3}",
                12,
            ),
        ) {
            proptest::prop_assert_eq!(folded_patterns_match_as_unicode(&text), Ok(()));
        }

        #[test]
        fn folded_patterns_match_as_the_unicode_ones_in_any_text(text in r"\PC{0,40}") {
            proptest::prop_assert_eq!(folded_patterns_match_as_unicode(&text), Ok(()));
        }
    }

    /// Every character outside ASCII below U+3000, one in 61 above, and a few that case
    /// mapping treats apart (the long s, the Kelvin and Angstrom signs, a wide digit…).
    fn sample_characters() -> impl Iterator<Item = char> {
        (0x80..0x3000u32)
            .chain((0x3000..=0x10FFFF).step_by(61))
            .chain([0x17F, 0x212A, 0x212B, 0x3000, 0xFF10, 0x1D7CE])
            .filter_map(char::from_u32)
    }

    #[test]
    fn every_character_folds_for_the_patterns_as_the_unicode_ones_read_it() {
        // Each character in each place of each pattern: opening words, spaces and capitals of
        // bylines, names and slashes of credits, the letters and marks of glued sentences, the
        // parts of an address.
        let sample = sample_characters();
        for c in sample {
            for text in [
                format!("By {c}"),
                format!("by{c}Jane"),
                format!("{c}y Jane"),
                format!("po{c}ted by Jane"),
                format!("wri{c}ten by Jane"),
                format!("{c}/Doe"),
                format!("Jane{c}/ Doe"),
                format!("Jane {c}/Doe"),
                format!("Doe /{c}"),
                format!("Doe/{c}Q"),
                format!("a.{c}b"),
                format!("{c}.Ab"),
                format!("a.B{c}"),
                format!("a{c}Bc"),
                format!("{c}@b.c"),
                format!("a@{c}.c"),
                format!("a@b.{c}"),
                format!("a{c}@b.c"),
            ] {
                assert_eq!(
                    folded_patterns_match_as_unicode(&text),
                    Ok(()),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn every_character_folds_for_dates_as_the_unicode_pattern_reads_it() {
        // Each character in places where each part of the pattern could take it: letters of a
        // month, the space before a day, digits, word boundaries.
        let sample = sample_characters();
        for c in sample {
            for text in [
                format!("Mar{c}h 5"),
                format!("Jan{c}12"),
                format!("3{c}hours ago"),
                format!("{c}today"),
                format!("today{c}"),
                format!("1{c}/12/2020"),
                format!("12:3{c}"),
                format!("{c}5 min ago"),
                format!("wee{c} 5 ago"),
            ] {
                assert_eq!(
                    patterns::date(&fold_for_dates(&text)),
                    DATE.is_match(&text),
                    "{text:?} U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn characters_passed_between_words_cut_words_as_unicode_segmentation_does() {
        use unicode_segmentation::UnicodeSegmentation;
        let passing: Vec<char> = (0x80..0x3000u32)
            .filter_map(char::from_u32)
            .filter(|&c| passes_between_words(c))
            .collect();
        assert_eq!(passing.len(), 73);
        for &c in &passing {
            assert!(!c.is_alphanumeric(), "{c:?}");
        }
        let neighbours = [
            "", "a", "Z", "5", ".", "'", ",", ":", "_", " ", "’", "é", "\u{a0}", "—",
        ];
        for c in passing {
            for before in neighbours {
                for after in neighbours {
                    let text = format!("x{before}{c}{after}y");
                    let bounds: Vec<&str> = text.split_word_bounds().collect();
                    assert!(
                        bounds.contains(&c.to_string().as_str()),
                        "{text:?}: {bounds:?}"
                    );
                }
            }
        }
        // Curly apostrophes join as the ASCII one does.
        for (text, words) in [
            ("don’t", vec!["don’t"]),
            ("3’5", vec!["3’5"]),
            ("a’5", vec!["a", "5"]),
            ("’tis", vec!["tis"]),
            ("dogs’", vec!["dogs"]),
            ("a‘b’c", vec!["a‘b’c"]),
            ("a’’b", vec!["a", "b"]),
        ] {
            assert_eq!(text.unicode_words().collect::<Vec<_>>(), words);
            let f = m(text);
            assert_eq!(f, reference_measure(text), "{text}");
            assert_eq!(f.words as usize, words.len(), "{text}");
        }
    }

    /// What [`Wide::of`] says of `text`, worked out character by character and token by token.
    fn wide_by_definition(text: &str) -> (bool, bool) {
        let caseless = text.chars().all(|c| {
            c.is_ascii() || passes_between_words(c) || is_apostrophe(c) || lowers_to_itself(c)
        });
        let between_words = text
            .split(|c: char| c.is_ascii_whitespace())
            .all(|token| token.is_ascii() || bytes_pass_takes(token));
        (caseless, between_words)
    }

    proptest::proptest! {
        #[test]
        fn wide_says_what_its_definition_does(
            text in "([a-zA-ZéÉБ0-9]{0,3}[’«—©:;_. \t]{0,2}){0,12}"
        ) {
            let wide = Wide::of(&text);
            proptest::prop_assume!(!text.is_ascii());
            proptest::prop_assert_eq!((wide.caseless, wide.between_words), wide_by_definition(&text));
        }
    }

    #[test]
    fn every_wide_mark_starts_where_one_may() {
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            for after in ["", " "] {
                let text = format!("{c}{after}");
                let mut features = Features::default();
                count_wide_mark(&text, &mut features);
                if features != Features::default() {
                    assert!(may_start_a_wide_mark(text.as_bytes()[0]), "{c:?}");
                }
            }
        }
    }

    #[test]
    fn only_five_letters_can_open_a_byline() {
        let first = Regex::new(r"^(?i:b|w|p|r|v)").unwrap();
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(
                first.is_match(&text),
                may_open_a_byline(text.as_bytes()),
                "{c:?}"
            );
        }
    }

    #[test]
    fn word_counter_classes_bytes_as_one_at_a_time() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut counter = WordCounter::default();
        let mut alnum_before = false;
        let mut digit_met = false;
        for _ in 0..200_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            // Mostly letters, digits and spaces, sometimes any byte.
            let bytes: [u8; 8] = std::array::from_fn(|k| {
                let r = (rng >> (k * 8)) as u8;
                if r.is_multiple_of(4) {
                    r
                } else {
                    b"aZ0 9_.\xc3"[(r % 8) as usize]
                }
            });
            let (starts, others) = counter.class::<false>(u64::from_le_bytes(bytes));
            for (k, &b) in bytes.iter().enumerate() {
                let bit = |set: bool| if set { 0x80u64 << (8 * k) } else { 0 };
                let alnum = b.is_ascii_alphanumeric();
                assert_eq!(starts & bit(true), bit(alnum && !alnum_before), "{bytes:?}");
                assert_eq!(others & bit(true), bit(!alnum && b != b' '), "{bytes:?}");
                alnum_before = alnum;
                digit_met |= b.is_ascii_digit();
            }
            assert_eq!(counter.digits != 0, digit_met);
        }
    }

    #[test]
    fn eight_bytes_at_a_time_agree_with_one_at_a_time() {
        let samples: Vec<u8> = (0..=255u8).collect();
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            // Mostly word bytes, sometimes anything.
            let bytes: Vec<u8> = (0..8)
                .map(|k| {
                    let r = (rng >> (k * 8)) as u8;
                    if r.is_multiple_of(4) {
                        samples[r as usize]
                    } else {
                        b"aZ09_xQ7"[(r % 8) as usize]
                    }
                })
                .collect();
            let word = u64::from_le_bytes(bytes.clone().try_into().unwrap());
            let run = bytes
                .iter()
                .take_while(|&&b| CLASSES[b as usize] & WORD != 0)
                .count();
            let digit = bytes[..run].iter().any(u8::is_ascii_digit);
            assert_eq!(leading_word_bytes(word), (run, digit), "{bytes:?}");
        }
    }

    /// Many cases, and no file of failures (the fast and slow paths must agree on each).
    fn thorough() -> proptest::test_runner::Config {
        proptest::test_runner::Config {
            cases: 3000,
            ..crate::test_support::no_seed_files()
        }
    }

    proptest::proptest! {
        #![proptest_config(thorough())]

        #[test]
        fn judging_measures_as_measure_does(
            text in "[ \\u{a0}\\u{3000}\\t]{0,2}([a-zA-Z0-9_]{0,12}[ .,:;'!?|>/@_\\-]{0,3}){0,20}[ \\u{a0}]{0,2}"
        ) {
            proptest::prop_assert_eq!(judged(&text), as_judged(m(&text)));
        }

        #[test]
        fn judging_measures_any_text_as_measure_does(text in r"\PC{0,120}") {
            proptest::prop_assert_eq!(judged(&text), as_judged(m(&text)));
        }
    }

    /// [`measure_for_judging`] with the lexicon hits of every block short enough for them.
    fn judged(text: &str) -> Features {
        judged_with(text, &mut String::new())
    }

    fn judged_with(text: &str, lower: &mut String) -> Features {
        let mut features = measure_for_judging(trim(text), lower);
        if features.words <= LEXICON_MAX_WORDS {
            features.lexicon = lexicon_hits(trim(text), lower);
        }
        features
    }

    /// Full measurements as judging reads them: whether a stop word is held (all of them where
    /// judging reads their share), no capitals.
    fn as_judged(mut features: Features) -> Features {
        let stopwords = if super::super::reads_stopword_share(&features) {
            features.stopwords
        } else if judging_reads_stopwords(&mut features) {
            features.stopwords.min(1)
        } else {
            0
        };
        Features {
            stopwords,
            capitalized: 0,
            ..features
        }
    }

    /// A block's words, marks and hints counted eight bytes at a time ([`count_for_judging`]) and
    /// scanned byte by byte ([`scan_bytes`]), as judging reads them (`seen.url` as
    /// [`measure_inner`] completes it, no capitals).
    fn counted_and_scanned<const WIDE: bool>(text: &str) -> [(Features, Seen); 2] {
        let judging = Seen {
            first_stopword_only: true,
            ..Seen::default()
        };
        let url = text.contains("://") || text.contains("www.");
        let (mut counted, mut counted_seen) = (Features::default(), judging);
        count_for_judging::<WIDE>(text, &mut counted, &mut counted_seen);
        // Text holding `_` is scanned, capitals and all; judging reads none.
        counted.capitalized = 0;
        let (mut scanned, mut scanned_seen) = (Features::default(), judging);
        scan_bytes::<WIDE>(text, &mut scanned, &mut scanned_seen);
        scanned.capitalized = 0;
        scanned_seen.url = url;
        // The count looks stop words up only where judging reads them: its lookup is checked
        // against the scan's here, and both are then left as judging leaves them.
        if !text.contains('_') {
            assert_eq!(
                has_stopword::<WIDE>(text.as_bytes()),
                scanned.stopwords > 0,
                "{text:?}"
            );
        }
        for features in [&mut counted, &mut scanned] {
            if !judging_reads_stopwords(features) {
                features.stopwords = 0;
            }
        }
        [(counted, counted_seen), (scanned, scanned_seen)]
    }

    #[test]
    fn prose_with_curly_quotes_and_dashes_counts_as_it_scans() {
        for text in [
            "Don’t “quote” me — it’s 1’000 words… and\u{a0}more.",
            "‘Tis the ‘season’ – www.example.com» a’b’c 2’3 x’ ’y",
            "He said: “No”; it’s 3:45 – see http://x.org • next › «prev»",
            "snake_case’s “name” — under_score",
            "’’ ’a b’ a’’b A’B’ éé…",
            "It’s a’",
        ] {
            let [counted, scanned] = counted_and_scanned::<true>(text);
            assert_eq!(counted, scanned, "{text:?}");
        }
        let text = "Don’t “quote” me — it’s 1’000.";
        let [counted, _] = counted_and_scanned::<true>(text);
        assert_eq!(counted.0.words, 5);
        assert!(has_stopword::<true>(text.as_bytes()));
    }

    proptest::proptest! {
        #![proptest_config(thorough())]

        #[test]
        fn blocks_passing_between_words_count_as_they_scan(
            // `:`, `;` and `_` in tokens of their own: in a token with a wide character, they send
            // the block to the token-by-token pass.
            text in "((Don|t|it|s|the|of|www|x|[a-zA-Z0-9]{1,6})([’‘“”—–…«»•›\u{a0}]{0,2}[ .,'!?|>/@]{0,2}| [a-z0-9]{0,3}[.,:;_/]{1,2}[a-z0-9]{0,2} )){0,25}"
        ) {
            let text = text.trim();
            proptest::prop_assume!(!text.is_ascii() && Wide::of(text).between_words);
            let [counted, scanned] = counted_and_scanned::<true>(text);
            proptest::prop_assert_eq!(counted, scanned);
        }

        #[test]
        fn ascii_blocks_count_as_they_scan(text in "([a-zA-Z0-9_]{0,9}[ .,:;'!?|>/@\t\n-]{0,3}){0,30}") {
            let [counted, scanned] = counted_and_scanned::<false>(text.trim());
            proptest::prop_assert_eq!(counted, scanned);
        }
    }

    #[test]
    fn plain_letters_lower_case_as_the_case_tables_say() {
        let mut plain = 0;
        for c in (0..0x10000).filter_map(char::from_u32) {
            if let Some(lower) = plain_lowercase(c) {
                plain += 1;
                assert_eq!(c.to_lowercase().collect::<Vec<_>>(), [lower], "{c:?}");
            }
        }
        assert_eq!(plain, 62 + 96);
    }

    #[test]
    fn finds_day_in_any_case() {
        for text in [
            "day",
            "Today",
            "DAYS",
            "d ay",
            "dday",
            "xd",
            "d",
            "",
            "1234567d",
            "1234567da",
            "1234567day",
            "Monday and Tuesday",
            "ḍay \u{c4}ay d\u{e4}y",
            "Ddddddddddddday",
        ] {
            assert_eq!(
                contains_day(text.as_bytes()),
                text.to_ascii_lowercase().contains("day"),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #![proptest_config(thorough())]

        #[test]
        fn finds_day_in_any_text(text in r"([dDaAyY \u{c4}\u{e4}x]|\PC){0,40}") {
            proptest::prop_assert_eq!(
                contains_day(text.as_bytes()),
                text.to_ascii_lowercase().contains("day")
            );
        }
    }

    #[test]
    fn a_comma_inside_a_digit_group_still_counts() {
        // Found by the property test below: "0,0" is one word, its comma one comma.
        let mut fused = Features::default();
        scan_ascii("0,0'", &mut fused, &mut Seen::default());
        assert_eq!((fused.words, fused.commas), (1, 1));
    }

    #[test]
    fn a_reused_buffer_measures_as_a_fresh_one() {
        // The lexicon reads the buffer a block was measured with: what an earlier block left
        // there must not be read as this one's lower case.
        let blocks = [
            "ÉCOLE news",
            "Subscribe to our newsletter",
            "Ϲ",
            "Sign up “today”",
        ];
        let mut lower = String::new();
        for block in blocks.iter().chain(blocks.iter().rev()) {
            assert_eq!(measure(block, &mut lower), m(block), "{block}");
            assert_eq!(judged_with(block, &mut lower), judged(block), "{block}");
        }
    }

    #[test]
    fn lower_casing_that_changes_lengths_is_handled() {
        // `İ` lower-cases to three bytes and `ẞ` to two: the same total, other offsets.
        let f = m("İİ ẞẞẞ words here");
        assert_eq!(f.words, 4);
    }

    #[test]
    fn terminal_punctuation_may_be_quoted() {
        assert!(ends_like_sentence("He said “no.”"));
        assert!(!ends_like_sentence("We Recommend"));
    }

    /// [`scan_tokens`] of `text`, and `text` scanned token by token as it was before the byte
    /// pass took whole stretches of tokens: ASCII tokens by [`scan_ascii`], others the byte pass
    /// takes by [`scan_bytes`], the rest by [`scan_wide_token`]; with stop words looked up over
    /// the whole sample or until the first. Token by token, no tab is looked at.
    fn tokens_both_ways(text: &str) -> [((Features, Seen), (Features, Seen)); 2] {
        [false, true].map(|first_stopword_only| {
            let start = Seen {
                first_stopword_only,
                ..Seen::default()
            };
            let (mut stretches, mut stretches_seen) = (Features::default(), start);
            scan_tokens(text, &mut stretches, &mut stretches_seen);
            let (mut tokens, mut tokens_seen) = (Features::default(), start);
            let mut lower_token = String::new();
            for token in text.split(|c: char| c.is_ascii_whitespace()) {
                if token.is_ascii() {
                    scan_ascii(token, &mut tokens, &mut tokens_seen);
                } else if bytes_pass_takes(token) {
                    scan_bytes::<true>(token, &mut tokens, &mut tokens_seen);
                } else {
                    scan_wide_token(token, &mut lower_token, &mut tokens, &mut tokens_seen);
                }
            }
            tokens_seen.tab = text.contains('\t');
            ((stretches, stretches_seen), (tokens, tokens_seen))
        })
    }

    #[test]
    fn stretches_of_tokens_scan_as_their_tokens_do() {
        for text in [
            "le café, 1.5 www.x.fr",
            "a\t«b»\t1,2 http://é.fr/x",
            "Größe: 5 € — x_y é;1 don’t.",
            "…\n\r\x0c é… x. \u{b}y",
        ] {
            for (stretches, tokens) in tokens_both_ways(text) {
                assert_eq!(stretches, tokens, "{text:?}");
            }
        }
    }

    /// Words, capitals, stop words and hints of `token` by [`tally_letter_words`] and by
    /// Unicode word segmentation ([`tally_unicode_words`]), with stop words looked up over the
    /// whole sample or until the first.
    fn letter_words_both_ways(token: &str) -> [((Features, Seen), (Features, Seen)); 2] {
        [false, true].map(|first_stopword_only| {
            let start = Seen {
                first_stopword_only,
                ..Seen::default()
            };
            let (mut fast, mut fast_seen) = (Features::default(), start);
            tally_letter_words(token, &mut fast, &mut fast_seen);
            let (mut slow, mut slow_seen) = (Features::default(), start);
            tally_unicode_words(token, &mut String::new(), &mut slow, &mut slow_seen);
            ((fast, fast_seen), (slow, slow_seen))
        })
    }

    #[test]
    fn plain_letters_are_letters_that_lower_case_to_letters_of_their_length() {
        let plain = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_plain_letter(c));
        for c in plain {
            assert!(c.is_alphabetic(), "{c:?}");
            let lower: Vec<char> = c.to_lowercase().collect();
            assert_eq!(lower.len(), 1, "{c:?}");
            assert!(is_plain_letter(lower[0]), "{c:?}");
            assert_eq!(lower[0].len_utf8(), c.len_utf8(), "{c:?}");
            for token in [
                format!("{c}"),
                format!("a{c}1{c}"),
                format!("{c}’{c}.{c}'x"),
            ] {
                assert_eq!(token.unicode_words().count(), 1, "{token:?}");
            }
            for token in [format!("{c}—{c}"), format!("1{c},{c}"), format!("{c}.1")] {
                assert_eq!(token.unicode_words().count(), 2, "{token:?}");
            }
        }
    }

    #[test]
    fn letter_words_are_the_words_of_unicode_segmentation() {
        for token in [
            "Über",
            "l’été",
            "l'été.",
            "Москва,",
            "«Привет»",
            "1,5млн",
            "Ёлка—ель",
            "aß.b,c",
            "ÀÉÎ",
            "то’,",
            "п.р.",
            "1’2",
            "x'",
            "'x",
            "§Ø",
            "один…два",
            "Größe:",
            "Grö:ße",
            "1:é",
            "é·b",
            "1·2",
            "é1;2",
            "é;b",
            "©2024",
            "£5,99",
            "€é\u{92}s",
            "한국어의",
            "한:국'1",
        ] {
            for (fast, slow) in letter_words_both_ways(token) {
                assert_eq!(fast, slow, "{token:?}");
            }
        }
    }

    /// Whether each pattern matches `text` only where its look at the bytes lets it through.
    fn patterns_are_let_through(text: &str) -> bool {
        let bytes = text.as_bytes();
        let checks = [
            (SLASHED_NAMES.is_match(text), may_hold_slashed_names(bytes)),
            (GLUED_SENTENCES.is_match(text), may_glue_sentences(bytes)),
            (EMAIL.is_match(text), may_hold_an_email_address(bytes)),
            (
                patterns::slashed_names(bytes),
                may_hold_slashed_names(bytes),
            ),
            (patterns::glued_sentences(bytes), may_glue_sentences(bytes)),
            (patterns::email(bytes), may_hold_an_email_address(bytes)),
        ];
        checks
            .iter()
            .all(|&(matches, let_through)| !matches || let_through)
    }

    #[test]
    fn credits_glued_sentences_and_addresses_are_let_through() {
        for text in [
            "Jane Roe/Agency",
            "Jane Roe / Agency",
            "Jane Roe /\u{a0}Agency",
            "Jane Roe/\tÉcole",
            "ÉCOLE/Ÿ",
            "going?Capt. Jane",
            "très.Été",
            "jane.doe+news@example.org",
            "é@é.é",
            "a-@-b.c",
        ] {
            assert!(patterns_are_let_through(text), "{text:?}");
        }
        assert!(!may_hold_slashed_names(
            b"http://example.org/news and/or 12/05"
        ));
        assert!(!may_glue_sentences(b"e.g. the 1.5 m. Then"));
        assert!(!may_hold_an_email_address(b"@jane at 5 @ home."));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn patterns_match_only_where_they_are_let_through(
            text in "([a-zA-Z0-9éÉßЁё_+-]{0,3}[ ./?!@\t\u{b}\u{a0}\u{3000}]{0,2}){0,12}"
        ) {
            proptest::prop_assert!(patterns_are_let_through(&text));
        }

        #[test]
        fn any_text_matches_only_where_it_is_let_through(text in r"\PC{0,80}") {
            proptest::prop_assert!(patterns_are_let_through(&text));
        }

        #[test]
        fn stretches_of_tokens_scan_as_their_tokens_do_in_any_text(
            text in "([a-zA-Z0-9éÉßаБ가_]{0,4}['.,:;·’—«»…©\u{a0}/@|!?w-]{0,2}[ \t\n\r\x0c\x0b]{0,2}){0,16}"
        ) {
            for (stretches, tokens) in tokens_both_ways(&text) {
                proptest::prop_assert_eq!(stretches, tokens);
            }
        }

        #[test]
        fn letter_words_count_as_unicode_segmentation_does(
            token in "([a-zA-Z0-9éÉßÿŸſŉаБёЁѢӀӏ가힣]{0,4}['.,:;·’‘—«»…\u{a0}\u{92}©£°−→$@/|!?-]{0,2}){0,12}"
        ) {
            proptest::prop_assume!(token.chars().all(segments_as_letters));
            for (fast, slow) in letter_words_both_ways(&token) {
                proptest::prop_assert_eq!(fast, slow);
            }
        }

        #[test]
        fn measures_latin_and_cyrillic_text_as_the_reference(
            text in "((и|в|не|на|für|über|été|où|Москва|[a-zA-Z0-9éÉßаБёЁ]{1,5})['.,’—…]{0,2}[ .,:;!?]{0,2}){0,25}"
        ) {
            proptest::prop_assert_eq!(m(&text), reference_measure(&text));
            proptest::prop_assert_eq!(judged(&text), as_judged(m(&text)));
        }
    }

    #[test]
    fn blocks_are_trimmed_as_str_trims_them() {
        for text in [
            "",
            " ",
            "a",
            " a ",
            "a\t",
            "\u{a0}a",
            "a\u{3000}",
            "é",
            "\u{b}a\u{1c}",
            "ab",
            "  \u{b} a",
            "\t\u{a0}b\u{85} \r",
            "  é  ",
            " \u{b}",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn any_text_is_trimmed_as_str_trims_it(text in r"\PC{0,6}|[ \t\u{b}\u{c}\u{1c}\u{a0}\u{85}a]{0,6}") {
            proptest::prop_assert_eq!(trim(&text), text.trim());
        }
    }

    /// The ends of blocks as the character-by-character readings see them, without the look at
    /// the last byte first.
    fn ends_decoded(text: &str) -> [bool; 3] {
        let sentence = text
            .trim_end_matches(|c: char| {
                c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*')
            })
            .ends_with(['.', '!', '?', '…', '。', '！', '？']);
        let trimmed = text.trim_end();
        let truncated = trimmed.ends_with("...") || trimmed.ends_with('…');
        let comment_header = trimmed.strip_suffix(':').is_some_and(|head| {
            let head = head.trim_end().to_lowercase();
            COMMENT_HEADER_ENDINGS.iter().any(|verb| {
                head.strip_suffix(verb).is_some_and(|rest| {
                    rest.ends_with(char::is_whitespace) && !rest.trim().is_empty()
                })
            })
        });
        [sentence, truncated, comment_header]
    }

    /// The openings and ends read by comparing characters, without the look at an ASCII byte
    /// first.
    fn marks_decoded(text: &str) -> [bool; 3] {
        [
            text.ends_with([':', '：']),
            text.starts_with(['«', '‹']) && text.ends_with(['»', '›']),
            text.starts_with(['•', '·', '-', '*', '–', '▪', '►', '›', '»', '◦', '■']),
        ]
    }

    fn marks_read(text: &str) -> [bool; 3] {
        [
            announces(text),
            is_prev_next(text),
            starts_with_bullet(text),
        ]
    }

    #[test]
    fn openings_and_ends_read_from_an_ascii_byte_as_decoded() {
        for b in 0..=0x7Fu8 {
            let c = b as char;
            for text in [
                format!("{c}"),
                format!("{c} item »"),
                format!("« Older {c}"),
                format!("Includes{c}"),
                format!("{c}"),
            ] {
                assert_eq!(marks_read(&text), marks_decoded(&text), "{text:?}");
            }
        }
        for text in [
            "« Older | Newer »",
            "‹ prev ›",
            "• item",
            "■ x",
            "Note：",
            "»",
            "",
        ] {
            assert_eq!(marks_read(text), marks_decoded(text), "{text:?}");
        }
    }

    fn ends_read(text: &str) -> [bool; 3] {
        [
            ends_like_sentence(text),
            is_truncated(text),
            is_comment_header(text),
        ]
    }

    #[test]
    fn ends_read_from_the_last_byte_as_decoded() {
        for last in 0..=0x7Fu8 {
            for head in ["", "Jane says", "etc..", "He said \u{201c}no"] {
                let text = format!("{head}{}", last as char);
                assert_eq!(ends_read(&text), ends_decoded(&text), "{text:?}");
            }
        }
        for text in [
            "Posted by Jane said:",
            "Jane wrote :\u{a0}",
            "Wait…",
            "So...",
            "“No.”",
            "",
        ] {
            assert_eq!(ends_read(text), ends_decoded(text), "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(thorough())]

        #[test]
        fn any_opening_and_end_reads_as_decoded(
            text in r"[«‹•·*\-–■a ]{0,2}\PC{0,6}[a-z .!?:：'\x22)\]*\t\u{b}\u{a0}\u{3000}…»›”’。]{0,3}"
        ) {
            proptest::prop_assert_eq!(ends_read(&text), ends_decoded(&text));
            proptest::prop_assert_eq!(marks_read(&text), marks_decoded(&text));
        }
    }
}
