//! The measures of the blocks a site repeats, kept by each worker thread: a site's furniture
//! (its menu, its newsletter box, its footer) is the same text on page after page, and
//! measuring it again on each page gives the same measures every time.
//!
//! Only blocks that the census finds in two documents of their site or more are kept, so the
//! text of an article, met once, is never copied here. A block's measures depend on its text
//! alone, so what is kept is what measuring it again would give: the output does not depend on
//! which thread measured a block first, nor on whether its measures were kept.

use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::features::Features;

/// Bytes of text and measures a thread keeps at most; past them, it forgets all and starts
/// again (a site's furniture is met again on its next page).
const MOST_BYTES: usize = 4 << 20;

/// The measures kept by one thread, by the hash of their block's exact text.
#[derive(Default)]
pub(super) struct RepeatedMeasures {
    by_text: FxHashMap<u64, Kept>,
    /// Bytes held: texts and entries.
    bytes: usize,
}

/// One block's measures, with its lexicon hits whether or not judging reads them, and its text,
/// compared on every look-up: two texts may share a hash.
struct Kept {
    text: Box<str>,
    features: Features,
}

thread_local! {
    static KEPT: RefCell<RepeatedMeasures> = RefCell::default();
}

/// Runs `f` with the measures the current thread keeps.
pub(super) fn with_kept<R>(f: impl FnOnce(&mut RepeatedMeasures) -> R) -> R {
    KEPT.with_borrow_mut(f)
}

/// The key a block's measures are kept by: the hash of its exact text.
pub(super) fn key_of(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

impl RepeatedMeasures {
    /// The measures kept for `text` (whose key is `key`), lexicon hits included.
    pub(super) fn get(&self, key: u64, text: &str) -> Option<&Features> {
        self.by_text
            .get(&key)
            .filter(|kept| *kept.text == *text)
            .map(|kept| &kept.features)
    }

    /// Keeps the measures of `text` (whose key is `key`), lexicon hits included. A text whose
    /// key another holds is not kept.
    pub(super) fn keep(&mut self, key: u64, text: &str, features: &Features) {
        let bytes = text.len() + std::mem::size_of::<(u64, Kept)>();
        if self.bytes + bytes > MOST_BYTES {
            self.by_text.clear();
            self.bytes = 0;
        }
        if let std::collections::hash_map::Entry::Vacant(entry) = self.by_text.entry(key) {
            entry.insert(Kept {
                text: text.into(),
                features: features.clone(),
            });
            self.bytes += bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(words: u32) -> Features {
        Features {
            words,
            ..Features::default()
        }
    }

    #[test]
    fn measures_are_found_by_text_not_by_key_alone() {
        let mut kept = RepeatedMeasures::default();
        kept.keep(key_of("Sign up"), "Sign up", &measured(2));
        assert_eq!(kept.get(key_of("Sign up"), "Sign up"), Some(&measured(2)));
        // Another text under the same key (as if their hashes met) is not taken for it.
        assert_eq!(kept.get(key_of("Sign up"), "Log in"), None);
        kept.keep(key_of("Sign up"), "Log in", &measured(9));
        assert_eq!(kept.get(key_of("Sign up"), "Sign up"), Some(&measured(2)));
    }

    #[test]
    fn a_thread_forgets_all_once_it_holds_its_most() {
        let mut kept = RepeatedMeasures::default();
        let long = "x".repeat(MOST_BYTES / 2);
        kept.keep(1, &long, &measured(1));
        kept.keep(2, "short", &measured(1));
        assert!(kept.get(1, &long).is_some());
        kept.keep(3, &long, &measured(3));
        assert_eq!(kept.get(1, &long), None);
        assert_eq!(kept.get(2, "short"), None);
        assert_eq!(kept.get(3, &long), Some(&measured(3)));
        assert!(kept.bytes <= MOST_BYTES);
    }
}
