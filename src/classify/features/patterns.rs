//! The patterns a block is measured by (a date, names apart by a slash, sentences glued
//! together, an e-mail address), matched by hand on ASCII text or text folded to ASCII (see
//! [`super::Folds`], [`super::fold_for_dates`]). Each answers exactly as the regular expression
//! in its doc comment does (compiled with `(?-u)`: `\w`, `\d`, `\s` and `\b` read ASCII only,
//! and a byte outside ASCII is none of them), as the tests prove against that expression.
//!
//! Each looks only at the bytes where a match must hold something rare (a digit, a `day`, a
//! `/`, an `@`): the regex engine cost 600 to 800 instructions a call, and compiling the four
//! expressions 4 M a run.

use crate::byte_masks::{ONES, ascii_byte_is, ascii_digits, is_ascii_space, up_to_eight};

/// Whether `bytes` holds a date, a time or a "3 hours ago", as this expression finds them (the
/// date pattern, `super::DATE_PATTERN`, with `(?-u)`):
///
/// ```text
/// (?ix)
///   \b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b,?\s*\d{0,4}
/// | \b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+\d{2,4}\b
/// | \b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b
/// | \b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b
/// | \b\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?
/// | \b\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b
/// | \b(?:yesterday|today)\b
/// | \b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b
/// ```
///
/// All but the last two hold a run of digits: each run is looked at where it starts. The last
/// two end in `day`: each `y` is looked at. Both are found eight bytes at a time, in one pass:
/// most blocks asked hold a digit or two among a hundred bytes.
pub(super) fn date(bytes: &[u8]) -> bool {
    let mut at = 0;
    let mut digit_before = 0;
    while at < bytes.len() {
        let (word, _) = up_to_eight(bytes, at);
        let digits = ascii_digits(word);
        let digit_runs = digits & !((digits << 8) | digit_before);
        digit_before = (digits >> 56) & 0x80;
        // Folded to lower case, `Y` and `y` alone are `y` (zeros past the end are spaces).
        let ys = ascii_byte_is(word | (ONES * 0x20), b'y');
        if byte_offsets(digit_runs).any(|k| date_at_digits(bytes, at + k))
            || byte_offsets(ys).any(|k| day_word_ends_at(bytes, at + k + 1))
        {
            return true;
        }
        at += 8;
    }
    false
}

/// The offsets of the bytes whose high bit `mask` holds, first to last.
fn byte_offsets(mut mask: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let offset = (mask.trailing_zeros() / 8) as usize;
            mask &= mask - 1;
            offset
        })
    })
}

/// Whether a date pattern matches around the run of digits that starts at `start`: one that
/// opens with it, at a word boundary, or a month's name and its day.
fn date_at_digits(bytes: &[u8], start: usize) -> bool {
    let end = digits_end(bytes, start);
    let digits = end - start;
    (word_starts_at(bytes, start) && date_opens_with(bytes, digits, end))
        || (matches!(digits, 1 | 2) && month_then_day(bytes, start, end))
}

/// Whether a date pattern that opens with `digits` digits, which end at `end`, matches: the
/// byte after them tells which patterns may (most digits are followed by none of these bytes).
fn date_opens_with(bytes: &[u8], digits: usize, end: usize) -> bool {
    let one_or_two = matches!(digits, 1 | 2);
    match bytes.get(end) {
        Some(b':') => one_or_two && time(bytes, end),
        Some(b'-' | b'/' | b'.') => {
            (digits == 4 && numeric_date(bytes, end, 1..=2))
                || (one_or_two && numeric_date(bytes, end, 2..=4))
        }
        Some(&b) if is_ascii_space(b) => {
            (one_or_two && day_then_month(bytes, end)) || time_ago(bytes, end)
        }
        // An ordinal suffix.
        Some(b's' | b'n' | b'r' | b't' | b'S' | b'N' | b'R' | b'T') => {
            one_or_two && day_then_month(bytes, end)
        }
        _ => false,
    }
}

/// `\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|…|dec)[a-z]*\.?,?\s+\d{2,4}\b` past its first digits,
/// which end at `at`.
fn day_then_month(bytes: &[u8], at: usize) -> bool {
    let at = past_ordinal_suffix(bytes, at);
    let Some(month) = spaces_end(bytes, at) else {
        return false;
    };
    let letters = letters_end(bytes, month);
    if !names_a_month(&bytes[month..letters]) {
        return false;
    }
    let mut at = letters;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
    }
    if bytes.get(at) == Some(&b',') {
        at += 1;
    }
    let Some(year) = spaces_end(bytes, at) else {
        return false;
    };
    let year_end = digits_end(bytes, year);
    (2..=4).contains(&(year_end - year)) && word_ends_at(bytes, year_end)
}

/// `\b\d{1,2}:\d{2}` past its first digits, which end at `at` (the rest of the time pattern is
/// optional).
fn time(bytes: &[u8], at: usize) -> bool {
    bytes.get(at) == Some(&b':')
        && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)
        && bytes.get(at + 2).is_some_and(u8::is_ascii_digit)
}

/// `[-/.]\d{1,2}[-/.]\d{N}\b`, where `last` holds the allowed N: the rest of a numeric date
/// (`2020-05-12`, `12/05/2020`) after its first digits, which end at `at`.
fn numeric_date(bytes: &[u8], at: usize, last: std::ops::RangeInclusive<usize>) -> bool {
    let is_separator = |at: usize| matches!(bytes.get(at), Some(b'-' | b'/' | b'.'));
    if !is_separator(at) {
        return false;
    }
    let middle_end = digits_end(bytes, at + 1);
    if !matches!(middle_end - (at + 1), 1 | 2) || !is_separator(middle_end) {
        return false;
    }
    let last_end = digits_end(bytes, middle_end + 1);
    last.contains(&(last_end - (middle_end + 1))) && word_ends_at(bytes, last_end)
}

/// `\b\d+\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b` past its digits,
/// which end at `at`.
fn time_ago(bytes: &[u8], at: usize) -> bool {
    const UNITS: [&[u8]; 9] = [
        b"second", b"minute", b"min", b"hour", b"hr", b"day", b"week", b"month", b"year",
    ];
    let Some(unit) = spaces_end(bytes, at) else {
        return false;
    };
    UNITS.iter().any(|name| {
        if !starts_with_caseless(&bytes[unit..], name) {
            return false;
        }
        let mut at = unit + name.len();
        // An `s` is taken when there is one: what follows must be a space.
        if matches!(bytes.get(at), Some(b's' | b'S')) {
            at += 1;
        }
        spaces_end(bytes, at).is_some_and(|ago| {
            starts_with_caseless(&bytes[ago..], b"ago") && word_ends_at(bytes, ago + 3)
        })
    })
}

/// `\b(?:jan|…|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b` (the rest of the pattern is
/// optional), of the one or two digits from `start` to `end`: the day, looked at first (most
/// digits end no day), then a month's name before it.
fn month_then_day(bytes: &[u8], start: usize, end: usize) -> bool {
    let day_ends = word_ends_at(bytes, end) || {
        let suffix_end = past_ordinal_suffix(bytes, end);
        suffix_end != end && word_ends_at(bytes, suffix_end)
    };
    day_ends && month_before(bytes, start)
}

/// `\b(?:jan|…|dec)[a-z]*\.?\s+` ending at `start`.
fn month_before(bytes: &[u8], start: usize) -> bool {
    // Back over the spaces, a full stop and the letters of the name.
    let mut at = start;
    while at > 0 && is_ascii_space(bytes[at - 1]) {
        at -= 1;
    }
    if at == start {
        return false;
    }
    if at > 0 && bytes[at - 1] == b'.' {
        at -= 1;
    }
    let letters = at;
    while at > 0 && bytes[at - 1].is_ascii_alphabetic() {
        at -= 1;
    }
    word_starts_at(bytes, at) && names_a_month(&bytes[at..letters])
}

/// Whether `letters` (a whole run of ASCII letters) is a month's name as the date pattern reads it:
/// its first three letters are a month's, in any case.
fn names_a_month(letters: &[u8]) -> bool {
    // Letters only: setting the case bit lower-cases them (twelve comparisons ignoring case
    // cost 200 instructions a name).
    let Some(&[a, b, c]) = letters.get(..3) else {
        return false;
    };
    matches!(
        &[a | 0x20, b | 0x20, c | 0x20],
        b"jan"
            | b"feb"
            | b"mar"
            | b"apr"
            | b"may"
            | b"jun"
            | b"jul"
            | b"aug"
            | b"sep"
            | b"oct"
            | b"nov"
            | b"dec"
    )
}

/// Past an ordinal suffix (`st`, `nd`, `rd`, `th` in any case) at `at`, or `at` when there is
/// none.
fn past_ordinal_suffix(bytes: &[u8], at: usize) -> usize {
    let suffix = bytes
        .get(at..at + 2)
        .map(|two| [two[0].to_ascii_lowercase(), two[1].to_ascii_lowercase()]);
    match suffix {
        Some([b's', b't'] | [b'n', b'd'] | [b'r', b'd'] | [b't', b'h']) => at + 2,
        _ => at,
    }
}

/// Whether the word that ends at `end` (before a byte that is no word byte, or the end) is
/// `yesterday`, `today` or a weekday's name, in any case: the last two patterns of [`date`].
fn day_word_ends_at(bytes: &[u8], end: usize) -> bool {
    const DAYS: [&[u8]; 9] = [
        b"yesterday",
        b"today",
        b"monday",
        b"tuesday",
        b"wednesday",
        b"thursday",
        b"friday",
        b"saturday",
        b"sunday",
    ];
    // Most `y`s end no `day`: told from the two bytes before them.
    if end < 5 || !bytes[end - 3..end].eq_ignore_ascii_case(b"day") || !word_ends_at(bytes, end) {
        return false;
    }
    let mut start = end;
    while start > 0 && is_word_byte(bytes[start - 1]) {
        start -= 1;
    }
    let word = &bytes[start..end];
    DAYS.iter().any(|day| word.eq_ignore_ascii_case(day))
}

/// Whether `bytes` holds a name, a slash and a name, as `[A-Z][A-Za-z.]*\s?/\s?[A-Z]` finds
/// them (`Jane Doe/Agency`): at each `/`, a capital after it, maybe after one space, and before
/// it, maybe after one space, a run of letters and full stops holding a capital.
pub(super) fn slashed_names(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'/', bytes).any(|slash| {
        let capital_after = bytes.get(slash + 1).is_some_and(u8::is_ascii_uppercase)
            || (bytes.get(slash + 1).is_some_and(|&b| is_ascii_space(b))
                && bytes.get(slash + 2).is_some_and(u8::is_ascii_uppercase));
        let mut name_end = slash;
        if name_end > 0 && is_ascii_space(bytes[name_end - 1]) {
            name_end -= 1;
        }
        capital_after
            && bytes[..name_end]
                .iter()
                .rev()
                .take_while(|&&b| b.is_ascii_alphabetic() || b == b'.')
                .any(u8::is_ascii_uppercase)
    })
}

/// Whether `bytes` holds two sentences glued together, as `[a-z][.?!][A-Z][a-z]` finds them
/// (`going?Capt.`).
pub(super) fn glued_sentences(bytes: &[u8]) -> bool {
    bytes.windows(4).any(|w| {
        w[0].is_ascii_lowercase()
            && matches!(w[1], b'.' | b'?' | b'!')
            && w[2].is_ascii_uppercase()
            && w[3].is_ascii_lowercase()
    })
}

/// Whether `bytes` holds an e-mail address, as `[\w.+-]+@[\w-]+\.[\w.]+` finds one: at an `@`,
/// a character of the name before it, and after it a run of word characters and `-` (the
/// whole run: a `.` is not one of them) followed by a `.` and a word character or `.`.
pub(super) fn email(bytes: &[u8]) -> bool {
    let in_host = |b: &u8| is_word_byte(*b) || *b == b'-';
    memchr::memchr_iter(b'@', bytes).any(|at| {
        let host_end = at + 1 + bytes[at + 1..].iter().take_while(|b| in_host(b)).count();
        at > 0
            && (is_word_byte(bytes[at - 1]) || matches!(bytes[at - 1], b'.' | b'+' | b'-'))
            && host_end > at + 1
            && bytes.get(host_end) == Some(&b'.')
            && bytes
                .get(host_end + 1)
                .is_some_and(|&b| is_word_byte(b) || b == b'.')
    })
}

/// `\w` of ASCII: a letter, a digit or `_`.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether `\b` holds before the word byte at `at`: no word byte comes before it.
fn word_starts_at(bytes: &[u8], at: usize) -> bool {
    at == 0 || !is_word_byte(bytes[at - 1])
}

/// Whether `\b` holds after the word byte before `at`: no word byte comes at `at`.
fn word_ends_at(bytes: &[u8], at: usize) -> bool {
    bytes.get(at).is_none_or(|&b| !is_word_byte(b))
}

/// Where the run of ASCII digits from `at` ends (`at` when there is none).
fn digits_end(bytes: &[u8], at: usize) -> usize {
    at + bytes.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    })
}

/// Where the run of ASCII letters from `at` ends (`at` when there is none).
fn letters_end(bytes: &[u8], at: usize) -> usize {
    at + bytes.get(at..).map_or(0, |rest| {
        rest.iter().take_while(|b| b.is_ascii_alphabetic()).count()
    })
}

/// `\s+` from `at`: where the run of spaces ends, or `None` when there is no space at `at`.
fn spaces_end(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    let spaces = rest.iter().take_while(|&&b| is_ascii_space(b)).count();
    (spaces > 0).then_some(at + spaces)
}

/// Whether `bytes` starts with `lower` (lower-case ASCII letters) in any case.
fn starts_with_caseless(bytes: &[u8], lower: &[u8]) -> bool {
    bytes
        .get(..lower.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(lower))
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::bytes::Regex;
    use std::sync::LazyLock;

    /// The expressions the matchers answer as, compiled as they were before.
    static DATE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!("(?-u){}", super::super::DATE_PATTERN)).expect("date pattern")
    });
    /// See [`DATE`].
    static SLASHED_NAMES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)[A-Z][A-Za-z.]*\s?/\s?[A-Z]").expect("credit"));
    /// See [`DATE`].
    static GLUED_SENTENCES: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)[a-z][.?!][A-Z][a-z]").expect("glue"));
    /// See [`DATE`].
    static EMAIL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?-u)[\w.+-]+@[\w-]+\.[\w.]+").expect("e-mail"));

    /// Each matcher and its expression on `bytes`, as (pattern, by hand, by the expression).
    fn both_ways(bytes: &[u8]) -> [(&'static str, bool, bool); 4] {
        [
            ("date", date(bytes), DATE.is_match(bytes)),
            (
                "slashed names",
                slashed_names(bytes),
                SLASHED_NAMES.is_match(bytes),
            ),
            (
                "glued sentences",
                glued_sentences(bytes),
                GLUED_SENTENCES.is_match(bytes),
            ),
            ("e-mail", email(bytes), EMAIL.is_match(bytes)),
        ]
    }

    /// The first matcher that answers otherwise than its expression on `bytes`.
    fn disagreement(bytes: &[u8]) -> Option<&'static str> {
        both_ways(bytes)
            .into_iter()
            .find(|&(_, by_hand, by_regex)| by_hand != by_regex)
            .map(|(pattern, _, _)| pattern)
    }

    #[test]
    fn dates_are_found_as_the_pattern_finds_them() {
        for (text, expected) in [
            ("Jan 5", true),
            ("January 12th, 2020", true),
            ("Sept. 3", true),
            ("sEpTeMbEr\t\x0b30TH", true),
            ("Jan 123", false),
            ("Jan 5x", false),
            ("Jan 5_", false),
            ("xJan 5", false),
            ("_Mar 5", false),
            ("1Mar 5", false),
            ("Ja 5", false),
            ("Jan5", false),
            ("Jan. 5", true),
            ("Jan.. 5", false),
            ("5 May 2020", true),
            ("5th of May 2020", false),
            ("21st March, 19", true),
            ("21st March. , 19", false),
            ("3 mar.,\n2021", true),
            ("3 Mar 20213", false),
            ("3 Mar 2021a", false),
            ("123 Mar 2021", false),
            ("a3 Mar 2021", false),
            ("2020-05-12", true),
            ("2020/5/1", true),
            ("2020.5.123", false),
            ("20201-5-1", false),
            ("12/05/2020", true),
            ("1.5.20", true),
            ("1.5.2", false),
            ("1.5.20201", false),
            ("1-5-20x", false),
            ("4:47", true),
            ("4:4", false),
            ("12:345", true),
            ("123:45", false),
            ("x4:47", false),
            ("3 hours ago", true),
            ("3 HOURS  AGO.", true),
            ("12345 mins\tago", true),
            ("3 minutes ago", true),
            ("3 minss ago", false),
            ("3 hours agone", false),
            ("3 hours ago_", false),
            ("3hours ago", false),
            ("3 hr ago", true),
            ("today", true),
            ("Today's news", true),
            ("todays", false),
            ("yesterday_", false),
            ("(Wednesday)", true),
            ("Weekday", false),
            ("day", false),
            ("", false),
            ("9", false),
        ] {
            assert_eq!(date(text.as_bytes()), expected, "{text:?}");
            assert_eq!(DATE.is_match(text.as_bytes()), expected, "{text:?}");
        }
    }

    #[test]
    fn names_sentences_and_addresses_are_found_as_the_patterns_find_them() {
        for (text, slashed, glued, address) in [
            ("Jane Doe/Agency", true, false, false),
            ("Jane Doe / Agency", true, false, false),
            ("J.R./AP", true, false, false),
            ("jane /  Agency", false, false, false),
            ("JANE  /Agency", false, false, false),
            ("and/or", false, false, false),
            ("going?Capt. Jane", false, true, false),
            ("e.g. the", false, false, false),
            ("a.Bc", false, true, false),
            ("a.BC", false, false, false),
            ("jane.doe+news@example.org", false, false, true),
            ("a-@-b.c", false, false, true),
            ("@b.c", false, false, false),
            ("a@.c", false, false, false),
            ("a@b.", false, false, false),
            ("a@b..", false, false, true),
            ("a@b-c_d.e", false, false, true),
            ("a@b@c.d", false, false, true),
            ("a @ b.c", false, false, false),
        ] {
            let bytes = text.as_bytes();
            assert_eq!(slashed_names(bytes), slashed, "{text:?}");
            assert_eq!(glued_sentences(bytes), glued, "{text:?}");
            assert_eq!(email(bytes), address, "{text:?}");
            assert_eq!(disagreement(bytes), None, "{text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 4000,
            ..crate::test_support::no_seed_files()
        })]

        #[test]
        fn matchers_answer_as_their_patterns_on_pieces_of_dates_and_names(
            text in crate::test_support::texts_of_pieces(
                &[
                    "Jan", "sept", "MARCH", "may", "Dec.", "3", "12", "2020", "21st", "TH",
                    "am", "P.M.", "ago", "hours", "min", "Day", "today", "YESTERDAY",
                    "Tuesday", "Jane", "AP", "a@b.co", "x.y+z@mail-host.org", "Doe", "_",
                    "#",
                ],
                "[ \t\n\x0B\x0C\r./:,-@_?!]{1,3}",
                "[a-zA-Z0-9]{1,4}",
                14,
            ),
        ) {
            proptest::prop_assert_eq!(disagreement(text.as_bytes()), None, "{:?}", text);
        }

        #[test]
        fn matchers_answer_as_their_patterns_on_any_bytes(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
        ) {
            proptest::prop_assert_eq!(disagreement(&bytes), None, "{:?}", bytes);
        }

        #[test]
        fn matchers_answer_as_their_patterns_on_few_kinds_of_bytes(
            bytes in proptest::collection::vec(
                proptest::sample::select(b"0123ajnmyTdsSAg :/.-,_@\x80".to_vec()),
                0..30,
            ),
        ) {
            proptest::prop_assert_eq!(disagreement(&bytes), None, "{:?}", bytes);
        }
    }
}
