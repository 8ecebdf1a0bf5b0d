//! Byte-class masks of eight bytes at a time (SWAR): each function reads a `u64` of eight bytes
//! (in memory order, little-endian) and returns the high bit (`0x80`) of each byte of the class.
//! Folding and measuring use them to look at prose a word, not a byte, at a time.

/// The low bit of every byte.
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of every byte.
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `word` that is an ASCII letter.
#[inline]
pub(crate) fn ascii_letters(word: u64) -> u64 {
    // Per byte, with the high bit cleared and case folded up: at least `a`, and at least one
    // past `z`. The sums stay below 0x100, so no byte carries into the next.
    let folded = (word | (ONES * 0x20)) & !HIGH;
    let at_least_a = folded.wrapping_add(ONES * (0x80 - b'a' as u64));
    let past_z = folded.wrapping_add(ONES * (0x80 - b'z' as u64 - 1));
    at_least_a & !past_z & !word & HIGH
}

/// The high bit of each byte of `word` that is an ASCII digit.
#[inline]
pub(crate) fn ascii_digits(word: u64) -> u64 {
    let low7 = word & !HIGH;
    let at_least_0 = low7.wrapping_add(ONES * (0x80 - b'0' as u64));
    let past_9 = low7.wrapping_add(ONES * (0x80 - b'9' as u64 - 1));
    at_least_0 & !past_9 & !word & HIGH
}

/// The high bit of each byte of `word` equal to `c` (ASCII).
#[inline]
pub(crate) fn ascii_byte_is(word: u64, c: u8) -> u64 {
    // A zero byte of `x` is a byte equal to `c`; the high bit is cleared first so no sum
    // carries.
    let x = (word & !HIGH) ^ (ONES * c as u64);
    !(x.wrapping_add(ONES * 0x7f) | x) & !word & HIGH
}

/// Whether `byte` is ASCII whitespace as `char::is_whitespace` and the regex class `\s` see it:
/// [`u8::is_ascii_whitespace`] and the vertical tab (`0x0B`), which that leaves out.
#[inline]
pub(crate) fn is_ascii_space(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// How many bytes of `mask` have their high bit set (it has no other bits): by a multiplication,
/// as the default x86-64 target has no population count instruction.
#[inline]
pub(crate) fn high_bits(mask: u64) -> u32 {
    ((mask >> 7).wrapping_mul(ONES) >> 56) as u32
}

/// The bytes of `bytes` from `at` on, eight at most, as a word (in memory order, zeros past
/// the end), and how many there are. Near the end of a slice of eight bytes or more, its last
/// eight are loaded and shifted down: a copy of a few bytes into a buffer was a call to
/// `memcpy` for each block.
#[inline]
pub(crate) fn up_to_eight(bytes: &[u8], at: usize) -> (u64, usize) {
    if let Some(eight) = bytes.get(at..at + 8) {
        return (u64::from_le_bytes(eight.try_into().expect("8 bytes")), 8);
    }
    let take = bytes.len() - at;
    if take == 0 {
        return (0, 0);
    }
    let word = match bytes.len().checked_sub(8) {
        Some(last) => {
            let last_eight = u64::from_le_bytes(bytes[last..].try_into().expect("8 bytes"));
            last_eight >> (8 * (8 - take))
        }
        None => bytes[at..]
            .iter()
            .rev()
            .fold(0, |word, &b| (word << 8) | u64::from(b)),
    };
    (word, take)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_agree_with_one_byte_at_a_time() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = *b"a0 _Z9.x";
                bytes[at] = b;
                let word = u64::from_le_bytes(bytes);
                let expect = |class: fn(&u8) -> bool| -> u64 {
                    (0..8)
                        .filter(|&k| class(&bytes[k]))
                        .map(|k| 0x80u64 << (8 * k))
                        .sum()
                };
                assert_eq!(ascii_letters(word), expect(u8::is_ascii_alphabetic), "{b}");
                assert_eq!(ascii_digits(word), expect(u8::is_ascii_digit), "{b}");
                assert_eq!(ascii_byte_is(word, b' '), expect(|&x| x == b' '), "{b}");
                let letters = ascii_letters(word);
                assert_eq!(high_bits(letters), letters.count_ones(), "{b}");
            }
        }
    }

    #[test]
    fn ascii_spaces_are_the_ascii_characters_that_are_whitespace() {
        for b in 0..=0x7Fu8 {
            assert_eq!(is_ascii_space(b), char::from(b).is_whitespace(), "{b}");
        }
        assert!((0x80..=0xFFu8).all(|b| !is_ascii_space(b)));
    }

    #[test]
    fn up_to_eight_bytes_are_the_bytes_padded_with_zeros() {
        let bytes: Vec<u8> = (1..=20).collect();
        for len in 0..=bytes.len() {
            for at in 0..=len {
                let take = (len - at).min(8);
                let mut padded = [0u8; 8];
                padded[..take].copy_from_slice(&bytes[at..at + take]);
                let expected = (u64::from_le_bytes(padded), take);
                assert_eq!(up_to_eight(&bytes[..len], at), expected, "{len} {at}");
            }
        }
    }
}
