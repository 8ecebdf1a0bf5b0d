//! Folding ASCII sixteen bytes at a time with SSE4.1, on the x86-64 CPUs that have it (all made
//! since about 2011; deboil is compiled for the x86-64 baseline, which stops at SSE2).
//!
//! The comparison form comes out byte for byte as [`super::fold_text_by_words`] writes it, by
//! the same rule: sixteen bytes are classed at once by comparisons (letter, digit, other), what
//! each folds to is worked out at once (the letter lower-cased, `0`, a space), and which are
//! written follows from the class of the byte before each (for the first, the last of the
//! previous sixteen): a letter always, a digit after anything but a digit, anything else after a
//! letter or digit. The written bytes are then moved to the front by a byte shuffle (`pshufb`),
//! eight bytes at a time, each eight by the order a table holds for which of them are written;
//! each eight is stored where the previous ends, its length counted by `popcnt`.
//!
//! # Why `unsafe`
//!
//! Calling [`fold_blocks_sse41`], compiled for SSE4.1 and POPCNT (`#[target_feature]`), is the
//! one `unsafe` operation in deboil (the crate denies `unsafe_code`, and [`fold_text`] and
//! [`fingerprints`], which make the two calls, alone are let off). It may run only on a CPU
//! that has those features, and both callers check that first
//! (`is_x86_feature_detected!`, which asks the CPU once and keeps the answer). Everything else
//! is safe Rust: the SIMD intrinsics take and return values, and every byte is read from and
//! written to a slice with its bounds checked. The scalar folding stays the reference, and the
//! way other CPUs fold; the tests check both against a character-by-character folding.

use std::arch::x86_64::{
    __m128i, _mm_add_epi8, _mm_alignr_epi8, _mm_and_si128, _mm_andnot_si128, _mm_cmplt_epi8,
    _mm_cvtsi128_si64, _mm_extract_epi64, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
    _mm_set1_epi8, _mm_shuffle_epi8,
};

use std::ops::Range;

use super::{Before, SLACK, fold_chars_outside_ascii, hash_folded};

/// Whether the CPU has what [`fold_blocks_sse41`] is compiled for: SSE4.1, the SSSE3 it
/// implies, and POPCNT (asked once, the answer kept).
fn supported() -> bool {
    is_x86_feature_detected!("sse4.1")
        && is_x86_feature_detected!("ssse3")
        && is_x86_feature_detected!("popcnt")
}

/// Folds `text` into `out` from `w` on after `before`, as [`super::fold_text`] does, if the CPU
/// has SSE4.1 and POPCNT: returns where the folded text ends, or `None` on other CPUs.
#[allow(unsafe_code)] // One of the crate's two `unsafe` calls (see the module's documentation).
pub(super) fn fold_text(text: &str, out: &mut Vec<u8>, w: usize, before: Before) -> Option<usize> {
    if !supported() {
        return None;
    }
    let mut end = w;
    let whole = std::iter::once(0..text.len());
    // SAFETY: the CPU has every feature `fold_blocks_sse41` is compiled for (SSE4.1, the SSSE3
    // it implies, POPCNT), as checked just above.
    unsafe {
        fold_blocks_sse41(text, whole, out, w, before, |_, folded_end| {
            end = folded_end
        })
    };
    Some(end)
}

/// Pushes onto `fingerprints` the fingerprint of each block of `text` (a byte range), as
/// [`super::block_fingerprints`] does, folding in `buffer`, if the CPU has SSE4.1 and POPCNT;
/// returns whether it did (on other CPUs, `blocks` is left untouched).
#[allow(unsafe_code)] // One of the crate's two `unsafe` calls (see the module's documentation).
pub(super) fn fingerprints(
    text: &str,
    blocks: impl Iterator<Item = Range<usize>>,
    buffer: &mut Vec<u8>,
    fingerprints: &mut Vec<u64>,
) -> bool {
    if !supported() {
        return false;
    }
    let hash = |folded: &[u8], end| fingerprints.push(hash_folded(folded, end));
    // SAFETY: the CPU has every feature `fold_blocks_sse41` is compiled for, as checked just
    // above.
    unsafe { fold_blocks_sse41(text, blocks, buffer, 0, Before::default(), hash) };
    true
}

/// Folds the text of each block of `text` (a byte range) into `out` from `start` on after
/// `before`, as [`super::fold_text`] folds it, on a CPU with SSE4.1 and POPCNT, and hands the
/// folded block to `done` with where it ends in `out` (a space at the end included).
///
/// A document's blocks are folded in one call (the fold is written out here, not called, for
/// the same reason), so that the constants folding takes are set up once a document rather
/// than once a block. Past `start`, `out` is made to hold at least as many bytes as the block
/// has, and 16 more ([`super::SLACK`]), and folding keeps it so: sixteen bytes are stored at a
/// time, of which only those written count.
#[target_feature(enable = "sse4.1,popcnt")]
fn fold_blocks_sse41(
    text: &str,
    blocks: impl Iterator<Item = Range<usize>>,
    out: &mut Vec<u8>,
    start: usize,
    before: Before,
    mut done: impl FnMut(&[u8], usize),
) {
    let bytes = text.as_bytes();
    for block in blocks {
        if out.len() < start + block.len() + SLACK {
            out.resize(start + block.len() + SLACK, 0);
        }
        let end = block.end;
        // The characters outside ASCII are folded from the text up to the end of the block.
        let within = &text[..end];
        let (mut i, mut w) = (block.start, start);
        // The classes of the sixteen bytes before `i`, of which the last counts.
        let mut previous = Classes::after(before);
        let folded_end = loop {
            (i, w, previous) = fold_ascii_sixteens(bytes, i..end, out, w, previous);
            if i == end {
                break w;
            }
            // The last bytes of the block, or a character outside ASCII among the next
            // sixteen: the ASCII before it (classed alike, as the bytes before it are ASCII
            // too), then the characters outside ASCII one at a time.
            let chunk = sixteen_from(bytes, i, end);
            let classes = Classes::of(chunk);
            let ascii = (_mm_movemask_epi8(chunk) as u32)
                .trailing_zeros()
                .min((end - i) as u32);
            let before_outside = if ascii > 0 {
                let written = _mm_movemask_epi8(written(classes, previous)) as u32;
                let taken = (1 << ascii) - 1;
                w += pack(folded(chunk, classes), written & taken, &mut out[w..w + 16]);
                i += ascii as usize;
                if i == end {
                    // The end of the block (as a rule): what its last byte folded to is not
                    // needed.
                    break w;
                }
                classes.before(ascii as usize - 1)
            } else {
                previous.before(15)
            };
            let after_outside;
            (i, w, after_outside) = fold_chars_outside_ascii(within, i, out, w, before_outside);
            previous = Classes::after(after_outside);
        };
        done(out, folded_end);
    }
}

/// Folds `bytes[range]` from its start on into `out` at `w`, after bytes of classes `previous`,
/// sixteen bytes at a time while the range has sixteen more and all are ASCII; returns where
/// that stops in `bytes` and in `out`, and the classes of the last sixteen bytes folded.
#[target_feature(enable = "sse4.1,popcnt")]
#[inline]
fn fold_ascii_sixteens(
    bytes: &[u8],
    range: Range<usize>,
    out: &mut [u8],
    mut w: usize,
    mut previous: Classes,
) -> (usize, usize, Classes) {
    let mut i = range.start;
    // By exact chunks: neither the loop nor the loads check where the range ends.
    for sixteen in bytes[range].chunks_exact(16) {
        let chunk = load(sixteen);
        if _mm_movemask_epi8(chunk) != 0 {
            break;
        }
        let classes = Classes::of(chunk);
        let written = _mm_movemask_epi8(written(classes, previous)) as u32;
        w += pack(folded(chunk, classes), written, &mut out[w..w + 16]);
        previous = classes;
        i += 16;
    }
    (i, w, previous)
}

/// The sixteen bytes of `bytes` from `at` on, of which those before `end` are to be folded:
/// wherever `bytes` has sixteen, they are loaded at once, past `end` too (the last bytes of a
/// block are followed by the text after it), else the bytes up to `end` with zeros after them.
#[target_feature(enable = "sse4.1,popcnt")]
#[inline]
fn sixteen_from(bytes: &[u8], at: usize, end: usize) -> __m128i {
    match bytes.get(at..at + 16) {
        Some(sixteen) => load(sixteen),
        None => {
            let (low, high) = short_words(&bytes[at..end]);
            _mm_set_epi64x(high as i64, low as i64)
        }
    }
}

/// The first sixteen bytes of `sixteen` (which has as many at least) as a vector.
#[target_feature(enable = "sse4.1,popcnt")]
#[inline]
fn load(sixteen: &[u8]) -> __m128i {
    let word = |eight: &[u8]| u64::from_le_bytes(eight.try_into().expect("8 bytes")) as i64;
    _mm_set_epi64x(word(&sixteen[8..16]), word(&sixteen[..8]))
}

/// `bytes` (fewer than sixteen) as two words, in memory order with zeros past the end, read by
/// a few loads that overlap rather than byte by byte.
#[inline]
fn short_words(bytes: &[u8]) -> (u64, u64) {
    let len = bytes.len();
    debug_assert!(len < 16);
    let word = |eight: &[u8]| u64::from_le_bytes(eight.try_into().expect("8 bytes"));
    let half = |four: &[u8]| u64::from(u32::from_le_bytes(four.try_into().expect("4 bytes")));
    if len > 8 {
        // The last eight shifted down over the bytes the first eight hold.
        (
            word(&bytes[..8]),
            word(&bytes[len - 8..]) >> (8 * (16 - len)),
        )
    } else if len >= 4 {
        // The last four shifted up to their place (where they overlap the first four, they are
        // the same bytes).
        (
            half(&bytes[..4]) | half(&bytes[len - 4..]) << (8 * (len - 4)),
            0,
        )
    } else if len > 0 {
        // The first, middle and last byte (of three at most) each at its place.
        let at = |k: usize| u64::from(bytes[k]) << (8 * k);
        (at(0) | at(len / 2) | at(len - 1), 0)
    } else {
        (0, 0)
    }
}

/// Which of sixteen bytes are letters, digits, either: each byte all ones (`0xFF`) if it is,
/// else zero. Bytes outside ASCII are neither.
#[derive(Clone, Copy)]
struct Classes {
    letter: __m128i,
    digit: __m128i,
    letter_or_digit: __m128i,
}

impl Classes {
    /// The classes given which bytes are letters and which digits.
    #[target_feature(enable = "sse4.1,popcnt")]
    #[inline]
    fn of_masks(letter: __m128i, digit: __m128i) -> Classes {
        Classes {
            letter,
            digit,
            letter_or_digit: _mm_or_si128(letter, digit),
        }
    }

    /// The classes of the bytes of `chunk`.
    #[target_feature(enable = "sse4.1,popcnt")]
    #[inline]
    fn of(chunk: __m128i) -> Classes {
        // Each range is moved to the bottom of the signed bytes (`a` or `0` to -128), where one
        // comparison tells it apart; the bytes outside ASCII land above it.
        let lower = _mm_or_si128(chunk, _mm_set1_epi8(0x20));
        let from_a = _mm_add_epi8(lower, _mm_set1_epi8((0x80 - b'a') as i8));
        let letter = _mm_cmplt_epi8(from_a, _mm_set1_epi8(-128 + 26));
        let from_0 = _mm_add_epi8(chunk, _mm_set1_epi8((0x80 - b'0') as i8));
        let digit = _mm_cmplt_epi8(from_0, _mm_set1_epi8(-128 + 10));
        Classes::of_masks(letter, digit)
    }

    /// Classes whose last byte is what `before` says (and so are all the others).
    #[target_feature(enable = "sse4.1,popcnt")]
    #[inline]
    fn after(before: Before) -> Classes {
        let every = |high_bit: u64| _mm_set1_epi8(-((high_bit >> 7) as i8));
        let letter = every(before.letter);
        let digit = every(before.digit);
        Classes::of_masks(letter, digit)
    }

    /// What byte `k` of these folds to, as the byte before the next.
    #[target_feature(enable = "sse4.1,popcnt")]
    #[inline]
    fn before(self, k: usize) -> Before {
        let high_bit = |mask: __m128i| (((_mm_movemask_epi8(mask) as u64) >> k) & 1) << 7;
        Before {
            letter: high_bit(self.letter),
            digit: high_bit(self.digit),
        }
    }
}

/// What each byte of `chunk` of these classes folds to: a letter lower-cased, a digit `0`,
/// anything else a space.
#[target_feature(enable = "sse4.1,popcnt")]
#[inline]
fn folded(chunk: __m128i, classes: Classes) -> __m128i {
    // Over a space (0x20): a letter's own bits (lower-cased by 0x20), a digit's 0x10 (`0`).
    let letters = _mm_and_si128(chunk, classes.letter);
    let digits = _mm_and_si128(classes.digit, _mm_set1_epi8(0x10));
    _mm_or_si128(_mm_or_si128(letters, digits), _mm_set1_epi8(0x20))
}

/// Which bytes of sixteen of classes `now` are written, after sixteen of classes `previous`:
/// a letter always, a digit after anything but a digit, anything else after a letter or digit.
#[target_feature(enable = "sse4.1,popcnt")]
#[inline]
fn written(now: Classes, previous: Classes) -> __m128i {
    // The classes of the byte before each: the last of `previous`, then the first fifteen of
    // `now`.
    let digit_before = _mm_alignr_epi8::<15>(now.digit, previous.digit);
    let word_before = _mm_alignr_epi8::<15>(now.letter_or_digit, previous.letter_or_digit);
    let first_digits = _mm_andnot_si128(digit_before, now.digit);
    let separators_after_words = _mm_andnot_si128(now.letter_or_digit, word_before);
    _mm_or_si128(
        now.letter,
        _mm_or_si128(first_digits, separators_after_words),
    )
}

/// Stores the bytes of `folded` whose bit is set in `written` (bit `k` for byte `k`) at the
/// front of `out`, in order, and returns how many there are. All sixteen bytes of `out` may be
/// overwritten.
#[target_feature(enable = "sse4.1,popcnt")]
#[inline]
fn pack(folded: __m128i, written: u32, out: &mut [u8]) -> usize {
    let low = written & 0xFF;
    let high = (written >> 8) & 0xFF;
    // The second eight bytes' order picks from the second eight of `folded`.
    let order = _mm_set_epi64x(
        (PACK_ORDERS[high as usize] + 0x0808_0808_0808_0808) as i64,
        PACK_ORDERS[low as usize] as i64,
    );
    let packed = _mm_shuffle_epi8(folded, order);
    let first = low.count_ones() as usize;
    out[..8].copy_from_slice(&_mm_cvtsi128_si64(packed).to_le_bytes());
    out[first..first + 8].copy_from_slice(&_mm_extract_epi64::<1>(packed).to_le_bytes());
    first + high.count_ones() as usize
}

/// For each set of eight bytes written (bit `k` for byte `k`), the order that moves them to the
/// front: byte `j` of the entry is the place of the `j`th byte written (zero past the last).
static PACK_ORDERS: [u64; 256] = pack_orders();

/// Builds [`PACK_ORDERS`].
const fn pack_orders() -> [u64; 256] {
    let mut orders = [0; 256];
    let mut written = 0;
    while written < 256 {
        let (mut order, mut count, mut k) = (0u64, 0, 0);
        while k < 8 {
            if written >> k & 1 == 1 {
                order |= (k as u64) << (8 * count);
                count += 1;
            }
            k += 1;
        }
        orders[written] = order;
        written += 1;
    }
    orders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_words_are_the_bytes_padded_with_zeros() {
        let bytes: Vec<u8> = (1..=15).collect();
        for len in 0..16 {
            let mut padded = [0u8; 16];
            padded[..len].copy_from_slice(&bytes[..len]);
            let low = u64::from_le_bytes(padded[..8].try_into().expect("8 bytes"));
            let high = u64::from_le_bytes(padded[8..].try_into().expect("8 bytes"));
            assert_eq!(short_words(&bytes[..len]), (low, high), "{len}");
        }
    }
}
