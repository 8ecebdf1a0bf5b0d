//! A map from keys that are hashes already to small values, for the counts and numberings
//! that the census and the classifier keep per block and per sentence.

/// A map from keys that are hashes already (of a block's text, of a sentence) to small values:
/// open addressing over a table at most half full, each key placed by the top bits of its
/// product with a large odd constant. A document holds a few hundred such keys, and a site
/// some thousands, which a general hash map costs several times as much to look up (it hashes
/// the key again and probes in groups).
///
/// A slot is a key and its value, with key 0 for a free slot (a table of zeros is allocated
/// zeroed, not written slot by slot, and a slot takes 16 bytes where one with a tag took 24);
/// the key 0 itself, as likely as any other hash, is held beside the table.
#[derive(Debug)]
pub(crate) struct HashedKeys<V> {
    slots: Vec<(u64, V)>,
    /// The value of key 0, if it is held.
    zero: Option<V>,
    /// Keys held in `slots`.
    len: usize,
    /// `64 - log2(slots.len())`: the product's top bits are a slot.
    shift: u32,
}

impl<V: Copy + Default> HashedKeys<V> {
    /// Room for `keys` keys before the table grows.
    pub(crate) fn with_capacity(keys: usize) -> Self {
        let slots = (2 * keys).next_power_of_two().max(MIN_SLOTS);
        HashedKeys {
            slots: vec![(FREE, V::default()); slots],
            zero: None,
            len: 0,
            shift: 64 - slots.trailing_zeros(),
        }
    }

    /// Keys held.
    pub(crate) fn len(&self) -> usize {
        self.len + usize::from(self.zero.is_some())
    }

    /// The value of `key`, if it is held.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<V> {
        if key == FREE {
            return self.zero;
        }
        let (held, value) = self.slots[self.slot_of(key)];
        (held == key).then_some(value)
    }

    /// The value of `key`: `value` when it was not held, and now is.
    #[inline]
    pub(crate) fn get_or_insert(&mut self, key: u64, value: V) -> V {
        *self.value_mut(key, value)
    }

    /// The value of `key`, to change in place: `absent` when it was not held, and now is.
    #[inline]
    pub(crate) fn value_mut(&mut self, key: u64, absent: V) -> &mut V {
        if key == FREE {
            return self.zero.get_or_insert(absent);
        }
        let mut at = self.slot_of(key);
        if self.slots[at].0 == FREE {
            // Grown before the key goes in, so that the slot returned is the key's for good.
            if 2 * (self.len + 1) > self.slots.len() {
                self.grow();
                at = self.slot_of(key);
            }
            self.slots[at] = (key, absent);
            self.len += 1;
        }
        &mut self.slots[at].1
    }

    /// The slot that holds `key` (not [`FREE`]), or the free one where it would go.
    #[inline]
    fn slot_of(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = (key.wrapping_mul(FIBONACCI) >> self.shift) as usize;
        loop {
            let held = self.slots[at].0;
            if held == key || held == FREE {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    /// Doubles the table, placing every key again.
    #[cold]
    fn grow(&mut self) {
        let mut grown = HashedKeys::with_capacity(self.slots.len());
        for &(key, value) in self.slots.iter().filter(|(key, _)| *key != FREE) {
            grown.get_or_insert(key, value);
        }
        grown.zero = self.zero;
        *self = grown;
    }
}

impl<V: Copy + Default> Default for HashedKeys<V> {
    /// An empty table of the smallest size.
    fn default() -> Self {
        HashedKeys::with_capacity(0)
    }
}

/// The key of a free slot (see [`HashedKeys`]).
const FREE: u64 = 0;
/// 2^64 divided by the golden ratio, odd: its products spread keys over the top bits, however
/// alike their low bits.
pub(crate) const FIBONACCI: u64 = 0x9E37_79B9_7F4A_7C15;
/// Slots of the smallest table.
const MIN_SLOTS: usize = 16;

#[cfg(test)]
mod tests {
    #[test]
    fn values_change_in_place_and_stay_put_as_the_table_grows() {
        let mut table = super::HashedKeys::default();
        *table.value_mut(7, 0u32) += 1;
        *table.value_mut(7, 0) += 1;
        // Enough keys, alike in their low bits, to grow the table from its 16 slots three times.
        for key in 0..40u64 {
            *table.value_mut(key << 58 | 1, 10) += 1;
        }
        assert_eq!(table.len(), 41);
        assert_eq!(table.get(7), Some(2));
        assert_eq!(table.get(39 << 58 | 1), Some(11));
        assert_eq!(table.get(8), None);
        // Key 0, held beside the table.
        assert_eq!(table.get(0), None);
        *table.value_mut(0, 5) += 1;
        assert_eq!((table.get(0), table.len()), (Some(6), 42));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn hashed_keys_hold_what_a_hash_map_holds(
            inserts in proptest::collection::vec((0u64..64, proptest::bool::ANY, 0u32..9), 0..200),
            capacity in 0usize..40,
        ) {
            let mut table = super::HashedKeys::with_capacity(capacity);
            let mut map = std::collections::HashMap::new();
            for (key, high, value) in inserts {
                // Keys alike in their low bits and keys alike in their high bits (0 among them).
                let key = if high { key << 58 } else { key };
                proptest::prop_assert_eq!(table.get(key), map.get(&key).copied());
                let held = table.get_or_insert(key, value);
                proptest::prop_assert_eq!(held, *map.entry(key).or_insert(value));
                proptest::prop_assert_eq!(table.len(), map.len());
            }
            for (&key, &value) in &map {
                proptest::prop_assert_eq!(table.get(key), Some(value));
            }
        }
    }
}
