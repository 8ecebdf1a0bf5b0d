//! Fingerprints: a block's text folded to a comparison form and hashed to 64 bits.
//!
//! Two blocks get the same fingerprint when they differ only in letter case, in the digits they
//! hold, in punctuation or in whitespace, so "Posted 3 hours ago" and "Posted 15 hours ago" match.
//! The hash is XXH3, whose output is fixed by its specification: fingerprints written to a census
//! file by one build of deboil are valid for every other build with the same
//! [`NORMALIZATION_VERSION`].

use std::cell::RefCell;

/// Version of the folding rules; stored in census files so that counts made under other rules are
/// refused instead of silently mismatching.
pub const NORMALIZATION_VERSION: u32 = 1;

/// Appends the comparison form of `text` to `out`: letters lower-cased, every run of digits
/// replaced by a single `0`, and every run of anything else (punctuation, symbols, whitespace)
/// replaced by a single space, with no space at either end.
pub fn normalize_into(text: &str, out: &mut String) {
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

/// The comparison form of `text` as a new string (see [`normalize_into`]).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// The 64-bit fingerprint of a block's text: the XXH3 hash of its comparison form.
pub fn fingerprint(text: &str) -> u64 {
    thread_local! {
        static BUFFER: RefCell<String> = RefCell::new(String::with_capacity(256));
    }
    BUFFER.with(|buffer| {
        let mut buffer = buffer.borrow_mut();
        buffer.clear();
        normalize_into(text, &mut buffer);
        xxhash_rust::xxh3::xxh3_64(buffer.as_bytes())
    })
}

/// Combines a site key and a block fingerprint into the key the census counts.
pub fn site_block_key(site: u64, block: u64) -> u64 {
    // A keyed hash rather than XOR: XOR would make (site A, block B) collide with (B, A).
    xxhash_rust::xxh3::xxh3_64_with_seed(&block.to_le_bytes(), site)
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

    #[test]
    fn site_keys_are_not_symmetric() {
        assert_ne!(site_block_key(1, 2), site_block_key(2, 1));
    }
}
