//! Fingerprints: a block's text folded to a comparison form and hashed to 64 bits.
//!
//! Two blocks get the same fingerprint when they differ only in letter case, in the digits they
//! hold, in punctuation or in whitespace, so "Posted 3 hours ago" and "Posted 15 hours ago" match.
//! The hash is XXH3, whose output is fixed by its specification: fingerprints written to a census
//! file by one build of deboil are valid for every other build with the same
//! [`NORMALIZATION_VERSION`].

use std::cell::RefCell;
use std::sync::LazyLock;

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

/// Bytes written past the end of the comparison form: ASCII is copied eight bytes at a time.
const SLACK: usize = 16;

/// [`normalize_into`] on bytes.
fn normalize_bytes(text: &str, out: &mut Vec<u8>) {
    let start = out.len();
    let end = normalize_at(text, out, start);
    out.truncate(end);
}

/// What the comparison form last had written into it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Last {
    /// Nothing yet (separators at the start are dropped).
    Nothing,
    Letter,
    /// The `0` of a run of digits.
    Digit,
    /// The space a separator became (taken back if nothing follows it).
    Space,
}

/// Writes the comparison form of `text` into `out` from `w` on (as if `out` ended there), and
/// returns where it ends. `out` grows as needed and keeps its length, so a buffer reused for
/// many blocks is not filled with zeros again for each.
///
/// A separator after a letter or digit is written as a space at once (and taken back at the
/// end), so that prose, letters and single spaces, is copied eight bytes at a time, lower-cased
/// by one OR; the other bytes go one at a time, characters outside ASCII by a table for the
/// common scripts and punctuation (below U+3000), else by the standard library's Unicode tables.
fn normalize_at(text: &str, out: &mut Vec<u8>, mut w: usize) -> usize {
    let bytes = text.as_bytes();
    let n = bytes.len();
    if out.len() < w + n + SLACK {
        out.resize(w + n + SLACK, 0);
    }
    // What `out` holds before `w` reads, for what follows, as a letter: a separator after it is
    // a space, a digit after it a `0`.
    let mut last = if w > 0 { Last::Letter } else { Last::Nothing };
    let mut i = 0;
    while i < n {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            let (run, ends_in_space) = leading_prose_bytes(word, last == Last::Letter);
            out[w..w + 8].copy_from_slice(&(word | 0x2020_2020_2020_2020).to_le_bytes());
            if run > 0 {
                last = if ends_in_space {
                    Last::Space
                } else {
                    Last::Letter
                };
            }
            if run == 8 {
                // A constant step: the next load need not wait for this one's bytes.
                w += 8;
                i += 8;
                continue;
            }
            w += run;
            i += run;
        }
        let b = bytes[i];
        if b.is_ascii_alphabetic() {
            out[w] = b | 0x20;
            w += 1;
            i += 1;
            last = Last::Letter;
        } else if b < 0x80 {
            // A run of ASCII digits, or of other ASCII bytes, folds to one byte at most.
            let digit = b.is_ascii_digit();
            i += 1;
            while i < n
                && bytes[i] < 0x80
                && !bytes[i].is_ascii_alphabetic()
                && bytes[i].is_ascii_digit() == digit
            {
                i += 1;
            }
            let fold = if digit { Fold::Digit } else { Fold::Separator };
            write_fold(out, &mut w, &mut last, fold);
        } else {
            let c = text[i..].chars().next().expect("i is on a char boundary");
            i += c.len_utf8();
            // Lower-casing may lengthen a character: keep room for the rest of the text.
            if out.len() < w + (n - i) + SLACK + 8 {
                out.resize(w + (n - i) + SLACK + 8, 0);
            }
            match fold(c) {
                Fold::Letters(c) => {
                    for lower in c.to_lowercase() {
                        if out.len() < w + (n - i) + SLACK + 8 {
                            out.resize(w + (n - i) + SLACK + 8, 0);
                        }
                        write_fold(out, &mut w, &mut last, Fold::Letter(lower));
                    }
                }
                other => write_fold(out, &mut w, &mut last, other),
            }
        }
    }
    if last == Last::Space {
        w -= 1;
    }
    w
}

/// Writes one folded character (not [`Fold::Letters`]) after `last`.
#[inline]
fn write_fold(out: &mut [u8], w: &mut usize, last: &mut Last, fold: Fold) {
    match fold {
        Fold::Letter(lower) => {
            *w += lower.encode_utf8(&mut out[*w..*w + 4]).len();
            *last = Last::Letter;
        }
        Fold::Digit if *last != Last::Digit => {
            out[*w] = b'0';
            *w += 1;
            *last = Last::Digit;
        }
        Fold::Separator if matches!(*last, Last::Letter | Last::Digit) => {
            out[*w] = b' ';
            *w += 1;
            *last = Last::Space;
        }
        Fold::Digit | Fold::Separator | Fold::Letters(_) => {}
    }
}

/// How many of the eight bytes of `word` (in memory order), before the first that is not, fold
/// to themselves lower-cased: ASCII letters, and spaces right after a letter (the first byte's
/// previous one is a letter when `after_letter`); and whether the last of them is a space.
#[inline]
fn leading_prose_bytes(word: u64, after_letter: bool) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Per byte, with the high bit cleared and case folded up: at least `a`, and at least one
    // past `z`. The sums stay below 0x100, so no byte carries into the next.
    let folded = (word | 0x2020_2020_2020_2020) & !HIGH;
    let at_least_a = folded.wrapping_add(ONES * (0x80 - b'a' as u64));
    let past_z = folded.wrapping_add(ONES * (0x80 - b'z' as u64 - 1));
    let letters = at_least_a & !past_z & !word & HIGH;
    // A zero byte of `x` is a space (the high bit cleared first, so that no sum carries).
    let x = (word & !HIGH) ^ (ONES * b' ' as u64);
    let spaces = !(x.wrapping_add(ONES * 0x7f) | x) & !word & HIGH;
    let letter_before = (letters << 8) | if after_letter { 0x80 } else { 0 };
    let prose = letters | (spaces & letter_before);
    let run = (!prose & HIGH).trailing_zeros() / 8;
    let ends_in_space = run > 0 && spaces & (0x80 << (8 * (run - 1))) != 0;
    (run as usize, ends_in_space)
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

/// The folding of every character below [`TABLE_END`]: 0 a separator, 1 a digit, `u16::MAX` a
/// letter with a lower case of several characters, else the lower case of a letter.
static FOLDS: LazyLock<Vec<u16>> = LazyLock::new(|| {
    (0..TABLE_END)
        .map(|code| match char::from_u32(code).map(fold_slow) {
            Some(Fold::Letter(lower)) => {
                u16::try_from(lower as u32).expect("lower case of the BMP stays in it")
            }
            Some(Fold::Digit) => 1,
            Some(Fold::Letters(_)) => u16::MAX,
            Some(Fold::Separator) | None => 0,
        })
        .collect()
});

fn fold(c: char) -> Fold {
    if (c as u32) < TABLE_END {
        match FOLDS[c as usize] {
            0 => Fold::Separator,
            1 => Fold::Digit,
            u16::MAX => Fold::Letters(c),
            lower => Fold::Letter(char::from_u32(lower as u32).expect("a table entry is a char")),
        }
    } else {
        fold_slow(c)
    }
}

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
        // Failures are kept as named tests, not as seed files at the top of the repository.
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn folds_like_the_reference(text in r"([a-zA-Z]{0,12}[ 0-9.,'İẞσΣ’é—\u{a0}Ⅻ٣]{0,3}){0,12}") {
            proptest::prop_assert_eq!(normalize(&text), reference(&text));
        }

        #[test]
        fn folds_any_text_like_the_reference(text in r"\PC{0,80}") {
            proptest::prop_assert_eq!(normalize(&text), reference(&text));
        }
    }

    #[test]
    fn site_keys_are_not_symmetric() {
        assert_ne!(site_block_key(1, 2), site_block_key(2, 1));
    }
}
