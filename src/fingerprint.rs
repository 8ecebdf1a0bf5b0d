//! Fingerprints: a block's text folded to a comparison form and hashed to 64 bits.
//!
//! Two blocks get the same fingerprint when they differ only in letter case, in the digits they
//! hold, in punctuation or in whitespace, so "Posted 3 hours ago" and "Posted 15 hours ago" match.
//! The hash is XXH3, whose output is fixed by its specification: fingerprints written to a census
//! file by one build of deboil are valid for every other build with the same
//! [`NORMALIZATION_VERSION`].

use std::cell::RefCell;
use std::ops::Range;
use std::sync::OnceLock;

use crate::byte_masks::{HIGH, ONES, ascii_digits, ascii_letters, up_to_eight};

#[cfg(target_arch = "x86_64")]
mod sse41;

/// Version of the folding rules (and of what the census counts a block by); stored in census
/// files so that counts made under other rules are refused instead of silently mismatching.
/// Version 2: HTML blocks are counted by text and place in the page.
pub const NORMALIZATION_VERSION: u32 = 2;

/// Appends the comparison form of `text` to `out`: letters lower-cased, every run of digits
/// replaced by a single `0`, and every run of anything else (punctuation, symbols, whitespace)
/// replaced by a single space, with no space at either end.
pub fn normalize_into(text: &str, out: &mut String) {
    let mut bytes = std::mem::take(out).into_bytes();
    normalize_bytes(text, &mut bytes);
    *out = String::from_utf8(bytes).expect("the comparison form of text is text");
}

/// Bytes written past the end of the comparison form: ASCII is folded eight or sixteen bytes at
/// a time.
const SLACK: usize = 16;

/// [`normalize_into`] on bytes.
fn normalize_bytes(text: &str, out: &mut Vec<u8>) {
    let start = out.len();
    let end = normalize_at(text, out, start);
    out.truncate(end);
}

/// What the byte before the next one folded to: the high bit (`0x80`) of `letter` is set after
/// a letter, that of `digit` after a digit (the `0` of a run), neither after anything else.
#[derive(Clone, Copy, Debug, Default)]
struct Before {
    letter: u64,
    digit: u64,
}

impl Before {
    const LETTER: Before = Before {
        letter: 0x80,
        digit: 0,
    };
    const DIGIT: Before = Before {
        letter: 0,
        digit: 0x80,
    };
}

/// Writes the comparison form of `text` into `out` from `w` on (as if `out` ended there), and
/// returns where it ends. `out` grows as needed and keeps its length, so a buffer reused for
/// many blocks is not filled with zeros again for each.
///
/// A separator after a letter or digit is written as a space at once (and taken back at the
/// end), so that whether a byte is written depends only on the byte before it: ASCII is folded
/// many bytes at a time, without a branch on what the bytes hold (sixteen at a time with SSE4.1
/// when the CPU has it, see [`sse41`], else eight at a time by [`fold_ascii_chunk`]). Other
/// characters go one at a time, by a table for the common scripts and punctuation (below
/// U+3000), else by the standard library's Unicode tables (save for the CJK ideographs and
/// Hangul syllables, all letters without case).
fn normalize_at(text: &str, out: &mut Vec<u8>, w: usize) -> usize {
    normalize_at_using(text, out, w, true)
}

/// [`normalize_at`], folding ASCII sixteen bytes at a time only if `wide` (and the CPU can):
/// the tests fold both ways.
#[inline]
fn normalize_at_using(text: &str, out: &mut Vec<u8>, start: usize, wide: bool) -> usize {
    let n = text.len();
    // Every way of folding relies on this room: past what is written, at least as many bytes
    // as are left to read, and `SLACK` more (folding a character outside ASCII keeps it so).
    if out.len() < start + n + SLACK {
        out.resize(start + n + SLACK, 0);
    }
    // What `out` holds before `start` reads, for what follows, as a letter: a separator after
    // it is a space, a digit after it a `0`.
    let before = if start > 0 {
        Before::LETTER
    } else {
        Before::default()
    };
    let end = fold_text(text, out, start, before, wide);
    without_final_space(out, start, end)
}

/// Where the comparison form folded into `out` from `start` up to `end` ends without the space
/// at its end, if any: a space is only ever written for a separator, so one at the end goes.
#[inline]
fn without_final_space(out: &[u8], start: usize, end: usize) -> usize {
    if end > start && out[end - 1] == b' ' {
        end - 1
    } else {
        end
    }
}

/// Folds `text` into `out` from `w` on after `before`, with SSE4.1 if `wide` and the CPU has
/// it; returns where the folded text ends (a space at the end included).
#[inline]
fn fold_text(text: &str, out: &mut Vec<u8>, w: usize, before: Before, wide: bool) -> usize {
    #[cfg(target_arch = "x86_64")]
    if wide && let Some(end) = sse41::fold_text(text, out, w, before) {
        return end;
    }
    let _ = wide; // Elsewhere, ASCII is always folded eight bytes at a time.
    fold_text_by_words(text, out, w, before)
}

/// [`fold_text`] eight bytes at a time, on any CPU.
fn fold_text_by_words(text: &str, out: &mut Vec<u8>, mut w: usize, mut before: Before) -> usize {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let (word, take) = up_to_eight(bytes, i);
        if take == 8 && word & HIGH == 0 {
            // A constant step: the next load need not wait for this one's bytes.
            w += fold_ascii_chunk(word, 8, &mut before, &mut out[w..w + 8]);
            i += 8;
            continue;
        }
        // Near the end, or a character outside ASCII within eight bytes: the ASCII before it
        // as a chunk, then the characters outside ASCII one at a time.
        let ascii = ((word & HIGH).trailing_zeros() / 8) as usize;
        if ascii > 0 {
            let len = ascii.min(take);
            w += fold_ascii_chunk(word, len, &mut before, &mut out[w..w + 8]);
            i += len;
        }
        (i, w, before) = fold_chars_outside_ascii(text, i, out, w, before);
    }
    w
}

/// Folds the characters outside ASCII of `text` from `i` on, up to the next ASCII byte, into
/// `out` at `w` after `before`; returns where they end in `text` and in `out`, and what the
/// last folded to. (Taken and returned by value, so that the caller's `w` can stay in a
/// register.)
#[inline]
fn fold_chars_outside_ascii(
    text: &str,
    mut i: usize,
    out: &mut Vec<u8>,
    mut w: usize,
    mut before: Before,
) -> (usize, usize, Before) {
    while text.as_bytes().get(i).is_some_and(|&b| b >= 0x80) {
        i = match fold_by_table(text.as_bytes(), i, out, &mut w, &mut before) {
            Some(next) => next,
            None => fold_char(text, i, out, &mut w, &mut before),
        };
    }
    (i, w, before)
}

/// [`fold_char`] of the character at `i` of `bytes` (UTF-8, outside ASCII) when it is below
/// [`TABLE_END`] (two or three bytes) and, if a letter, its lower case is one character: the
/// letters, digits and punctuation of most scripts, decoded and looked up in place, where the
/// call of [`fold_char`] took some hundred instructions a character. Returns where the next
/// character starts, or `None` for [`fold_char`] to fold it.
#[inline]
fn fold_by_table(
    bytes: &[u8],
    i: usize,
    out: &mut Vec<u8>,
    w: &mut usize,
    before: &mut Before,
) -> Option<usize> {
    let lead = bytes[i];
    let tail = |k: usize| u32::from(bytes[i + k] & 0x3F);
    // The text is UTF-8: `lead` starts a character, and its continuation bytes follow it.
    let (code, next) = match lead {
        ..=0xDF => (u32::from(lead & 0x1F) << 6 | tail(1), i + 2),
        0xE0..=0xEF => (u32::from(lead & 0x0F) << 12 | tail(1) << 6 | tail(2), i + 3),
        _ => return None,
    };
    if code >= TABLE_END {
        return None;
    }
    let fold = single_fold(table_fold(code))?;
    // Room for the rest of the text as it is and for this character lower-cased (three bytes
    // at most: a table entry is below U+10000), as folding keeps it.
    let room = *w + 3 + (bytes.len() - next) + SLACK;
    if out.len() < room {
        out.resize(room, 0);
    }
    write_fold(out, w, before, fold);
    Some(next)
}

/// Folds the first `len` bytes of `word` (in memory order), ASCII, that follow `before` into the
/// front of `out`, and returns how many bytes that takes. A letter is written lower-cased; a
/// digit as `0` unless a digit comes before it; anything else as a space when a letter or digit
/// comes before it, else not at all.
#[inline]
fn fold_ascii_chunk(word: u64, len: usize, before: &mut Before, out: &mut [u8]) -> usize {
    let letters = ascii_letters(word);
    let digits = ascii_digits(word);
    let others = !(letters | digits) & HIGH;
    let letter_before = (letters << 8) | before.letter;
    let digit_before = (digits << 8) | before.digit;
    let taken = if len >= 8 {
        HIGH
    } else {
        HIGH & ((1u64 << (8 * len)) - 1)
    };
    let written =
        (letters | (digits & !digit_before) | (others & (letter_before | digit_before))) & taken;
    // Each byte's high bit spread over the byte.
    let spread = |mask: u64| (mask >> 7) * 0xFF;
    let folded = ((word | (ONES * 0x20)) & spread(letters))
        | ((ONES * u64::from(b'0')) & spread(digits))
        | ((ONES * u64::from(b' ')) & spread(others));
    // Every byte is stored, each where the written ones end so far: a byte not written is
    // overwritten by the next (no branch on which bytes are written).
    let mut at = 0;
    for k in 0..8 {
        out[at & 7] = (folded >> (8 * k)) as u8;
        at += ((written >> (8 * k + 7)) & 1) as usize;
    }
    let last = 8 * (len - 1);
    *before = Before {
        letter: (letters >> last) & 0x80,
        digit: (digits >> last) & 0x80,
    };
    at
}

/// Folds the character at `i` of `text` into `out` at `w` after `before`; returns where the
/// next character starts.
fn fold_char(text: &str, i: usize, out: &mut Vec<u8>, w: &mut usize, before: &mut Before) -> usize {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        let fold = if b.is_ascii_alphabetic() {
            Fold::Letter((b | 0x20) as char)
        } else if b.is_ascii_digit() {
            Fold::Digit
        } else {
            Fold::Separator
        };
        write_fold(out, w, before, fold);
        return i + 1;
    }
    let c = text[i..].chars().next().expect("i is on a char boundary");
    let next = i + c.len_utf8();
    // Room for the rest of the text as it is and for this character lower-cased (three
    // characters at most).
    let room = *w + (text.len() - next) + SLACK + 12;
    if out.len() < room {
        out.resize(room, 0);
    }
    match fold(c) {
        Fold::Letters(c) => {
            for lower in c.to_lowercase() {
                write_fold(out, w, before, Fold::Letter(lower));
            }
        }
        other => write_fold(out, w, before, other),
    }
    next
}

/// Writes one folded character (not [`Fold::Letters`]) after `before`. (Inlined wherever it is
/// called: a call cost a character outside ASCII a fifth of its folding.)
#[inline(always)]
fn write_fold(out: &mut [u8], w: &mut usize, before: &mut Before, fold: Fold) {
    match fold {
        Fold::Letter(lower) => {
            *w += lower.encode_utf8(&mut out[*w..*w + 4]).len();
            *before = Before::LETTER;
        }
        Fold::Digit => {
            if before.digit == 0 {
                out[*w] = b'0';
                *w += 1;
            }
            *before = Before::DIGIT;
        }
        Fold::Separator => {
            if before.letter | before.digit != 0 {
                out[*w] = b' ';
                *w += 1;
            }
            *before = Before::default();
        }
        Fold::Letters(_) => {}
    }
}

/// What folding does with a character outside ASCII.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Fold {
    Separator,
    Digit,
    /// A letter whose lower case is this one character.
    Letter(char),
    /// A letter whose lower case is more than one character.
    Letters(char),
}

/// Characters below this have their folding in [`FOLDS`].
const TABLE_END: u32 = 0x3000;

/// Characters a page of [`FOLDS`] holds.
const PAGE: usize = 128;

/// The folding of every character below [`TABLE_END`], by pages of [`PAGE`] characters: 0 a
/// separator, 1 a digit, `u16::MAX` a letter with a lower case of several characters, else the
/// lower case of a letter. A page is built the first time one of its characters is folded: a
/// text meets a few scripts, and building the whole table (a search of the standard library's
/// Unicode tables for each of 12,288 characters) cost some 10 M instructions a run.
static FOLDS: [OnceLock<[u16; PAGE]>; TABLE_END as usize / PAGE] =
    [const { OnceLock::new() }; TABLE_END as usize / PAGE];

/// The entry of [`FOLDS`] for `code` (below [`TABLE_END`]).
#[inline]
fn table_fold(code: u32) -> u16 {
    let (page, at) = (code as usize / PAGE, code as usize % PAGE);
    FOLDS[page].get_or_init(|| fold_page(page))[at]
}

/// Builds page `page` of [`FOLDS`] by the rules.
fn fold_page(page: usize) -> [u16; PAGE] {
    std::array::from_fn(|at| {
        let code = (page * PAGE + at) as u32;
        match char::from_u32(code).map(fold_slow) {
            Some(Fold::Letter(lower)) => {
                u16::try_from(lower as u32).expect("lower case of the BMP stays in it")
            }
            Some(Fold::Digit) => 1,
            Some(Fold::Letters(_)) => u16::MAX,
            Some(Fold::Separator) | None => 0,
        }
    })
}

/// What folding does with `c` (outside ASCII): by [`FOLDS`] below [`TABLE_END`], else by the
/// rules ([`fold_slow`]).
fn fold(c: char) -> Fold {
    if (c as u32) < TABLE_END {
        single_fold(table_fold(c as u32)).unwrap_or(Fold::Letters(c))
    } else if CASELESS_LETTERS.iter().any(|letters| letters.contains(&c)) {
        // What the rules say, without the standard library's searches of its tables (some
        // hundreds of instructions a character).
        Fold::Letter(c)
    } else {
        fold_slow(c)
    }
}

/// What an entry of [`FOLDS`] folds its character to, unless the character is a letter whose
/// lower case is several characters (`None`).
#[inline]
fn single_fold(entry: u16) -> Option<Fold> {
    match entry {
        0 => Some(Fold::Separator),
        1 => Some(Fold::Digit),
        u16::MAX => None,
        lower => Some(Fold::Letter(
            char::from_u32(lower as u32).expect("a table entry is a char"),
        )),
    }
}

/// Blocks of characters that are all letters without case: the CJK unified ideographs and the
/// Hangul syllables (Korean), every one assigned. (The tests fold every character by the rules
/// too.)
const CASELESS_LETTERS: [std::ops::RangeInclusive<char>; 2] =
    ['\u{4E00}'..='\u{9FFF}', '\u{AC00}'..='\u{D7A3}'];

/// The folding rules: letters (alphabetic) lower-cased, numbers a digit, the rest separators.
fn fold_slow(c: char) -> Fold {
    if c.is_alphabetic() {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(one), None) => Fold::Letter(one),
            _ => Fold::Letters(c),
        }
    } else if c.is_numeric() {
        Fold::Digit
    } else {
        Fold::Separator
    }
}

/// The comparison form of `text` as a new string (see [`normalize_into`]).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// The 64-bit fingerprint of a block's text: the XXH3 hash of its comparison form.
pub fn fingerprint(text: &str) -> u64 {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(256));
    }
    BUFFER.with(|buffer| fingerprint_with(text, &mut buffer.borrow_mut()))
}

/// [`fingerprint`] with a scratch buffer of the caller's, reused between calls.
pub fn fingerprint_with(text: &str, buffer: &mut Vec<u8>) -> u64 {
    let end = normalize_at(text, buffer, 0);
    xxhash_rust::xxh3::xxh3_64(&buffer[..end])
}

/// The fingerprint of each block of `text`, given by its byte range: for each, the
/// [`fingerprint`] of its text. With SSE4.1, a document's blocks are folded and hashed in one
/// call, which sets up what folding takes once, not once a block (some 200 instructions of a
/// block's 650, most blocks being a few words).
pub fn block_fingerprints(
    text: &str,
    blocks: impl ExactSizeIterator<Item = Range<usize>> + Clone,
) -> Vec<u64> {
    let mut fingerprints = Vec::with_capacity(blocks.len());
    let mut buffer = Vec::new();
    #[cfg(target_arch = "x86_64")]
    if sse41::fingerprints(text, blocks.clone(), &mut buffer, &mut fingerprints) {
        return fingerprints;
    }
    fingerprints.extend(blocks.map(|block| fingerprint_with(&text[block], &mut buffer)));
    fingerprints
}

/// The fingerprint of the comparison form folded into the front of `folded` up to `end` (a
/// space at the end included, which goes).
#[inline]
fn hash_folded(folded: &[u8], end: usize) -> u64 {
    xxhash_rust::xxh3::xxh3_64(&folded[..without_final_space(folded, 0, end)])
}

/// Combines a site key and a block fingerprint into the key the census counts.
pub fn site_block_key(site: u64, block: u64) -> u64 {
    // A keyed hash rather than XOR: XOR would make (site A, block B) collide with (B, A).
    xxhash_rust::xxh3::xxh3_64_with_seed(&block.to_le_bytes(), site)
}

/// Combines a block fingerprint with the hash of its place in a page (an HTML tag path).
pub fn combine(block: u64, place: u64) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(&place.to_le_bytes(), block)
}

/// The key of a site name (a host or a folder path).
pub fn site_key(site: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(site.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_digits_punctuation_and_space() {
        assert_eq!(normalize("  Posted 3 hours ago!"), "posted 0 hours ago");
        assert_eq!(normalize("Posted 15 HOURS   ago"), "posted 0 hours ago");
        assert_eq!(normalize("— Ça coûte 12,50 € —"), "ça coûte 0 0");
        assert_eq!(normalize("!!!"), "");
    }

    #[test]
    fn equal_forms_share_a_fingerprint() {
        assert_eq!(
            fingerprint("Posted 3 hours ago"),
            fingerprint("posted 5 hours ago.")
        );
        assert_ne!(fingerprint("Subscribe"), fingerprint("Donate"));
    }

    #[test]
    fn fingerprints_are_stable_across_builds() {
        // Census files depend on this value never changing for a given NORMALIZATION_VERSION.
        assert_eq!(
            fingerprint("Hello, World"),
            xxhash_rust::xxh3::xxh3_64(b"hello world")
        );
    }

    // The folding as first written, one character at a time: the reference the fast path must
    // agree with.
    /// Appends the comparison form of `text` to `out`: letters lower-cased, every run of digits
    /// replaced by a single `0`, and every run of anything else (punctuation, symbols, whitespace)
    /// replaced by a single space, with no space at either end.
    fn reference_normalize_into(text: &str, out: &mut String) {
        let mut folder = Folder {
            out,
            pending_space: false,
            in_digits: false,
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_alphabetic() {
                // Copy a run of ASCII letters whole, then lower-case it in place.
                let start = i;
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                folder.letter();
                let at = folder.out.len();
                folder.out.push_str(&text[start..i]);
                folder.out[at..].make_ascii_lowercase();
            } else if b.is_ascii() {
                folder.ascii(b);
                i += 1;
            } else {
                let c = text[i..].chars().next().expect("i is on a char boundary");
                folder.char(c);
                i += c.len_utf8();
            }
        }
    }

    /// The folding state between characters.
    struct Folder<'a> {
        out: &'a mut String,
        pending_space: bool,
        in_digits: bool,
    }

    impl Folder<'_> {
        #[inline]
        fn ascii(&mut self, b: u8) {
            if b.is_ascii_alphabetic() {
                self.letter();
                self.out.push(b.to_ascii_lowercase() as char);
            } else if b.is_ascii_digit() {
                self.digit();
            } else {
                self.separator();
            }
        }

        fn char(&mut self, c: char) {
            if c.is_alphabetic() {
                self.letter();
                self.out.extend(c.to_lowercase());
            } else if c.is_numeric() {
                self.digit();
            } else {
                self.separator();
            }
        }

        #[inline]
        fn letter(&mut self) {
            push_pending(self.out, &mut self.pending_space);
            self.in_digits = false;
        }

        #[inline]
        fn digit(&mut self) {
            if !self.in_digits {
                push_pending(self.out, &mut self.pending_space);
                self.out.push('0');
                self.in_digits = true;
            }
        }

        #[inline]
        fn separator(&mut self) {
            self.pending_space = !self.out.is_empty();
            self.in_digits = false;
        }
    }

    fn push_pending(out: &mut String, pending_space: &mut bool) {
        if *pending_space {
            out.push(' ');
            *pending_space = false;
        }
    }

    fn reference(text: &str) -> String {
        let mut out = String::new();
        reference_normalize_into(text, &mut out);
        out
    }

    /// `text` folded after `prefix` (already folded), sixteen bytes at a time if `wide` and
    /// the CPU can, else eight at a time.
    fn normalize_after(prefix: &str, text: &str, wide: bool) -> String {
        let mut out = prefix.as_bytes().to_vec();
        // A buffer used before, with bytes past its end to be overwritten.
        out.extend_from_slice(b"stale bytes from an earlier block");
        let end = normalize_at_using(text, &mut out, prefix.len(), wide);
        out.truncate(end);
        String::from_utf8(out).expect("the comparison form of text is text")
    }

    /// Checks that both ways of folding `text` after `prefix` agree with the reference.
    fn assert_both_ways_fold_like_the_reference(prefix: &str, text: &str) {
        let mut expected = String::from(prefix);
        reference_normalize_into(text, &mut expected);
        for wide in [false, true] {
            assert_eq!(
                normalize_after(prefix, text, wide),
                expected,
                "{prefix:?} then {text:?}, wide: {wide}"
            );
        }
    }

    #[test]
    fn sixteen_bytes_at_a_time_is_on_where_the_cpu_has_it() {
        #[cfg(target_arch = "x86_64")]
        if is_x86_feature_detected!("sse4.1") && is_x86_feature_detected!("popcnt") {
            assert!(sse41::fold_text("a", &mut vec![0; 32], 0, Before::default()).is_some());
        }
    }

    #[test]
    fn every_short_mix_of_classes_folds_as_the_reference_at_every_place() {
        // Each class the folding tells apart (a lower-case letter, an upper-case one, a digit,
        // punctuation, whitespace, a letter and a separator outside ASCII), in every sequence
        // of four, at every place across the first two chunks of sixteen bytes.
        let classes = ["x", "Q", "7", ".", " ", "é", "\u{2019}"];
        for place in 0..40 {
            let lead: String = "Ab3 ".chars().cycle().take(place).collect();
            for code in 0..classes.len().pow(4) {
                let mut text = lead.clone();
                let mut rest = code;
                for _ in 0..4 {
                    text.push_str(classes[rest % classes.len()]);
                    rest /= classes.len();
                }
                text.push_str(" tail of twenty bytes");
                for cut in [text.len(), text.len() - 6] {
                    assert_both_ways_fold_like_the_reference("", &text[..cut]);
                }
            }
        }
    }

    #[test]
    fn every_character_folds_as_the_reference() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            for text in [
                format!("{c}"),
                format!("Ab{c}cd"),
                format!("9{c}9 x"),
                format!("{c}{c}Longer words here{c}"),
            ] {
                assert_eq!(
                    normalize(&text),
                    reference(&text),
                    "{c:?} U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn appending_to_a_non_empty_buffer_agrees() {
        for text in ["  x", "!a", "1", "", " "] {
            let mut fast = String::from("pre");
            normalize_into(text, &mut fast);
            let mut slow = String::from("pre");
            reference_normalize_into(text, &mut slow);
            assert_eq!(fast, slow);
        }
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn folds_like_the_reference(text in r"([a-zA-Z]{0,12}[ 0-9.,'İẞσΣ’é—\u{a0}Ⅻ٣]{0,3}){0,12}") {
            proptest::prop_assert_eq!(normalize(&text), reference(&text));
        }

        #[test]
        fn folds_any_text_like_the_reference(text in r"\PC{0,80}") {
            proptest::prop_assert_eq!(normalize(&text), reference(&text));
        }

        #[test]
        fn both_ways_fold_mixed_text_like_the_reference(
            text in r"([a-zA-Z]{0,20}[ 0-9.,;:!?'()\-_\t\n\r\x00\x7f]{0,3}[éÉİẞσΣ’—\u{a0}Ⅻ٣€😀]?){0,8}",
            skip in 0usize..16,
            prefix in "|x|pre fix|0",
        ) {
            // Cut to at most 100 bytes, from `skip` characters in: every length and every
            // place of the text against sixteen-byte boundaries of memory.
            let start = text.char_indices().nth(skip).map_or(text.len(), |(i, _)| i);
            let mut end = text.len().min(start + 100);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            assert_both_ways_fold_like_the_reference(&prefix, &text[start..end]);
        }

        #[test]
        fn both_ways_fold_ascii_like_the_reference(text in r"[ -~\t\n]{0,100}", prefix in "|x|0") {
            assert_both_ways_fold_like_the_reference(&prefix, &text);
        }
    }

    #[test]
    fn a_blocks_fingerprint_ignores_the_text_around_it() {
        // Two blocks read by sixteen bytes past their ends, into letters and a character
        // outside ASCII, and a block at the very end of the text.
        let text = "Ab cd\u{20ac} Ef, words going on past the block \u{e9}t\u{e9} 42";
        let blocks = [0..2, 3..8, 0..15, text.len() - 2..text.len()];
        let hash = |form: &str| xxhash_rust::xxh3::xxh3_64(form.as_bytes());
        assert_eq!(
            block_fingerprints(text, blocks.into_iter()),
            [hash("ab"), hash("cd"), hash("ab cd ef wo"), hash("0")]
        );
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn a_documents_blocks_have_the_fingerprints_of_their_texts(
            text in r"([a-zA-Z]{0,20}[ 0-9.,'\n]{0,3}[\u{e9}\u{c9}\u{130}\u{2019}\u{a0}\u{20ac}\u{1f600}]?){0,10}",
            cuts in proptest::collection::vec((0usize..240, 0usize..40), 0..12),
        ) {
            // Blocks anywhere in the text, of any length, each cut to character boundaries.
            let boundary = |mut at: usize| {
                at = at.min(text.len());
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let blocks: Vec<Range<usize>> = cuts
                .iter()
                .map(|&(start, len)| boundary(start)..boundary(start + len).max(boundary(start)))
                .collect();
            let expected: Vec<u64> = blocks
                .iter()
                .map(|block| xxhash_rust::xxh3::xxh3_64(reference(&text[block.clone()]).as_bytes()))
                .collect();
            proptest::prop_assert_eq!(block_fingerprints(&text, blocks.into_iter()), expected);
        }
    }

    #[test]
    fn site_keys_are_not_symmetric() {
        assert_ne!(site_block_key(1, 2), site_block_key(2, 1));
    }
}
