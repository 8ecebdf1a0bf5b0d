//! What is measured of a block before it is judged: its length in words, whether it reads as
//! sentences, how much of it is lexicon, whether it is a date or a byline.

use std::sync::LazyLock;

use regex::Regex;
use unicode_segmentation::UnicodeSegmentation;

use super::lexicon::{Category, Hits, LEXICON};

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
    /// The block opens like a byline ("By Jane Doe").
    pub byline: bool,
    /// Separator symbols typical of menus and breadcrumbs: `|`, `•`, `»`, `›`, `/`.
    pub separators: u32,
    /// The block starts with a list bullet.
    pub bullet: bool,
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
pub fn measure(text: &str, lower: &mut String) -> Features {
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
    features.has_url =
        text.contains("://") || text.contains("www.") || (seen.at && EMAIL.is_match(text));
    features.bare_url = features.has_url && !text.contains(char::is_whitespace);
    features.comment_header = features.words <= COMMENT_HEADER_WORDS && is_comment_header(lower);
    features
}

/// Characters whose presence decides whether a pattern is worth trying.
#[derive(Clone, Copy, Debug, Default)]
struct Seen {
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
fn scan_ascii(text: &str, lower: &str, features: &mut Features) -> Seen {
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

/// Longest block, in words, whose lexicon hits are looked for.
pub const LEXICON_MAX_WORDS: u32 = 120;

/// Lower-cases `text` into `lower`, copying ASCII stretches whole (most text is mostly ASCII).
fn lowercase_into(text: &str, lower: &mut String) {
    lower.clear();
    let mut rest = text;
    while !rest.is_empty() {
        let ascii = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let start = lower.len();
        lower.push_str(&rest[..ascii]);
        lower[start..].make_ascii_lowercase();
        rest = &rest[ascii..];
        if let Some(c) = rest.chars().next() {
            lower.extend(c.to_lowercase());
            rest = &rest[c.len_utf8()..];
        }
    }
}

/// Words are counted per whitespace-separated token: ASCII tokens by a fast scanner that agrees
/// with Unicode word segmentation on ASCII, other tokens by `unicode-segmentation` itself. Word
/// boundaries always fall at whitespace, so the split changes no count.
fn count_words(text: &str, features: &mut Features) {
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
        || (!word.as_bytes()[0].is_ascii() && word.chars().next().is_some_and(char::is_uppercase))
    {
        features.capitalized += 1;
    }
    if lower_word.len() <= MAX_STOPWORD_BYTES && LEXICON.is_stopword(lower_word) {
        features.stopwords += 1;
    }
}

/// Stop words and capitals are counted among a block's first this many words: enough to tell
/// prose from a list of names, and long paragraphs need no more.
pub const WORD_SAMPLE: u32 = 64;

/// No stop word of the built-in lists is longer than this many bytes.
const MAX_STOPWORD_BYTES: usize = 16;

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

fn count_marks(text: &str, features: &mut Features) {
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

/// Whether a (lower-cased) block ends like "… says:" or "… wrote :".
fn is_comment_header(lower: &str) -> bool {
    let Some(head) = lower.trim_end().strip_suffix(':') else {
        return false;
    };
    let head = head.trim_end();
    COMMENT_HEADER_ENDINGS.iter().any(|verb| {
        head.strip_suffix(verb)
            .is_some_and(|rest| rest.ends_with(char::is_whitespace) && !rest.trim().is_empty())
    })
}

/// Whether text ends with sentence punctuation, allowing closing quotes and brackets after it.
pub fn ends_like_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*')
    });
    trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？'])
}

/// A teaser cut short ("Read how the council voted...") ends with an ellipsis, not a sentence.
fn is_truncated(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with("...") || text.ends_with('…')
}

fn starts_with_bullet(text: &str) -> bool {
    text.starts_with(['•', '·', '-', '*', '–', '▪', '►', '›', '»', '◦', '■'])
}

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b,?\s*\d{0,4}
      | \b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{2,4}\b
      | \b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b
      | \b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b
      | \b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?
      | \b\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b
      | \b(?:yesterday|today)\b
      | \b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    )
    .expect("date pattern compiles")
});

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:by|written by|posted by|reported by|von|par|por)\s+\p{Lu}")
        .expect("byline pattern compiles")
});

static SLASHED_NAMES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Lu}[\p{L}.]*\s?/\s?\p{Lu}").expect("credit pattern compiles"));

static GLUED_SENTENCES: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\p{Ll}[.?!]\p{Lu}\p{Ll}").expect("glue pattern compiles"));

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\w.+-]+@[\w-]+\.[\w.]+").expect("e-mail pattern compiles"));

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> Features {
        measure(text, &mut String::new())
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
        // Failures are kept as named tests, not as seed files at the top of the repository.
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn the_ascii_pass_counts_as_the_general_one(text in "([a-cA0-2]{1,3}[ .,:;'!?|>/@\t]{1,2}){0,20}") {
            let lower = text.to_ascii_lowercase();
            let mut fused = Features::default();
            scan_ascii(&text, &lower, &mut fused);
            let mut general = Features::default();
            count_words(&text, &mut general);
            count_marks(&text, &mut general);
            proptest::prop_assert_eq!(fused, general);
        }
    }

    #[test]
    fn a_comma_inside_a_digit_group_still_counts() {
        // Found by the property test below: "0,0" is one word, its comma one comma.
        let mut fused = Features::default();
        scan_ascii("0,0'", "0,0'", &mut fused);
        assert_eq!((fused.words, fused.commas), (1, 1));
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
}
