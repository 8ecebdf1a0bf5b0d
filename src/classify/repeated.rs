//! The measures of the blocks a site repeats, kept by each worker thread: a site's furniture
//! (its menu, its newsletter box, its footer) is the same text on page after page, and
//! measuring it again on each page gives the same measures every time.
//!
//! Only blocks that the census finds in two documents of their site or more are kept, so the
//! text of an article, met once, takes no room here. A block's measures depend on its text
//! alone, so what is kept is what measuring it again would give: the output does not depend on
//! which thread measured a block first, nor on whether its measures were kept.

use std::cell::RefCell;

use super::features::Features;

/// Slots of a thread's table: a few sites' furniture, in a table small enough to stay in the
/// processor's cache (a table of several megabytes, of every repeated block met, missed the
/// cache at every look-up and cost more time than it saved).
const SLOTS: usize = 1024;

/// The measures kept by one thread: a table with one slot per key's low bits, each holding the
/// last block kept there. Made at the first block kept (a run without a census keeps none).
#[derive(Default)]
pub(super) struct RepeatedMeasures {
    slots: Vec<Option<Kept>>,
}

/// One block's measures, with its lexicon hits whether or not judging reads them, under the
/// key of its text.
struct Kept {
    key: u128,
    features: Features,
}

thread_local! {
    static KEPT: RefCell<RepeatedMeasures> = RefCell::default();
}

/// Runs `f` with the measures the current thread keeps.
pub(super) fn with_kept<R>(f: impl FnOnce(&mut RepeatedMeasures) -> R) -> R {
    KEPT.with_borrow_mut(f)
}

/// The key a block's measures are kept by: the 128-bit hash of its exact text, which two
/// different texts share with a chance of one in 2^128 (a collision among a billion blocks is
/// less likely than one in 10^20), so the text itself need not be kept and compared.
pub(super) fn key_of(text: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

impl RepeatedMeasures {
    /// The measures kept for the text whose key is `key`, lexicon hits included.
    pub(super) fn get(&self, key: u128) -> Option<&Features> {
        match self.slots.get(slot_of(key))? {
            Some(kept) if kept.key == key => Some(&kept.features),
            _ => None,
        }
    }

    /// Keeps the measures of the text whose key is `key`, lexicon hits included, in place of
    /// those its slot held.
    pub(super) fn keep(&mut self, key: u128, features: &Features) {
        if self.slots.is_empty() {
            self.slots.resize_with(SLOTS, || None);
        }
        self.slots[slot_of(key)] = Some(Kept {
            key,
            features: features.clone(),
        });
    }
}

fn slot_of(key: u128) -> usize {
    key as usize % SLOTS
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
    fn measures_are_found_by_their_texts_key() {
        let mut kept = RepeatedMeasures::default();
        assert_eq!(kept.get(key_of("Sign up")), None);
        kept.keep(key_of("Sign up"), &measured(2));
        assert_eq!(kept.get(key_of("Sign up")), Some(&measured(2)));
        assert_eq!(kept.get(key_of("Sign up ")), None);
        assert_eq!(kept.get(key_of("Log in")), None);
    }

    #[test]
    fn a_slot_holds_the_last_block_kept_there() {
        let mut kept = RepeatedMeasures::default();
        let (first, second) = (7u128, 7 + SLOTS as u128);
        kept.keep(first, &measured(1));
        kept.keep(second, &measured(2));
        assert_eq!(kept.get(first), None);
        assert_eq!(kept.get(second), Some(&measured(2)));
    }
}
