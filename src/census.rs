//! The census: in how many documents of each site every block appears.
//!
//! Counting happens in a [`Counter`] (the workers of a run use siblings of one counter, which
//! share its counts; separate counters add up), which [`Counter::finish`] freezes into a
//! [`Census`]. Both keep the counts in the same compact form: the key of a (site, block) is a
//! 64-bit hash; its top 16 bits choose one of 65,536 sorted parts of one array, whose 8-byte
//! entries hold the key's other 48 bits and a 16-bit count (larger counts, rare, go to a side
//! table). That is 8 bytes per distinct (site, block), while counting too: the keys of ended
//! windows wait in a buffer of at most an eighth of the entries and are then merged in place.
//! Censuses add up too ([`Census::merge`]), so shards of a corpus can be counted apart, written
//! to files ([`Census::write_file`]) and merged, with the same counts as one run over the whole
//! corpus.
//!
//! A document counts once per block however often it holds it. The key of a block is a keyed
//! hash of its site and its fingerprint ([`site_block_key`]), so one structure serves every
//! site. For `deboil census --top`, the census also keeps a short exemplar text of each site's
//! most repeated blocks: the text is taken when a second document of one window (a chunk of a
//! site's files) holds the block, so a block repeated only across windows or shards is counted
//! right but may have no exemplar.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use crate::classify::SiteRepeat;
use crate::error::{Error, Result};
use crate::fingerprint::{NORMALIZATION_VERSION, site_block_key, site_key};
use crate::hashed_keys::HashedKeys;

/// Most exemplar texts kept per site.
pub const EXEMPLARS_PER_SITE: usize = 50;
/// Longest exemplar text kept, in bytes (cut at a character boundary).
pub const EXEMPLAR_BYTES: usize = 120;
/// Blocks longer than this get no exemplar: site furniture is short, and keeping a text for every
/// long paragraph two documents share would cost memory in proportion to the corpus.
pub const EXEMPLAR_SOURCE_BYTES: usize = 200;

/// Counts documents per site and per (site, block) while a corpus is read.
///
/// A counter gathers the keys of a window of documents, then, when the window ends (every
/// [`FLUSH_KEYS`] keys, at [`Counter::end_window`], and when counters merge or finish), sorts
/// them and adds them to its store: the counts at 8 bytes per distinct block, plus a buffer of
/// at most an eighth of that. Counters made by [`Counter::sibling`] share one store, so that the
/// worker threads of a run hold one copy of the counts between them.
#[derive(Debug)]
pub struct Counter {
    store: Arc<Shared>,
    /// Sites of this counter's window, and their documents in the window.
    sites: SiteIndex,
    /// Keys of the window's documents (each document's keys distinct).
    pending: Vec<u64>,
    /// The short texts of the window's blocks, in order, each as a record: key (8 bytes), site
    /// (4, numbered as in `sites`), length (1), text (trimmed, at most
    /// [`EXEMPLAR_SOURCE_BYTES`]). When the window ends, those of blocks that two documents
    /// held become exemplar candidates.
    window_texts: Vec<u8>,
    distinct: Vec<u64>,
    /// Whether short texts are kept as exemplars (for `deboil census --top`); a census made
    /// only to clean with needs none.
    exemplars: bool,
}

/// What the counters of one run share: the counts under a lock of their own, so that a buffer
/// being merged into them does not hold up the windows that other counters end meanwhile.
#[derive(Debug, Default)]
struct Shared {
    store: Mutex<Store>,
    counts: Mutex<Counts>,
}

/// Sites, exemplars and keys not yet merged into the counts.
#[derive(Clone, Debug, Default)]
struct Store {
    /// Sites, and their documents.
    sites: SiteIndex,
    /// Keys of the windows ended since the last merge, in sorted runs, a key once per document
    /// holding it.
    buffer: Vec<u64>,
    /// Distinct keys in the counts after the last merge.
    counted: usize,
    /// Exemplars of blocks seen in two documents or more within one window, sites numbered as in
    /// `sites`.
    exemplars: ExemplarTable,
}

/// Site names numbered in the order first seen, with a document count each.
#[derive(Clone, Debug, Default)]
struct SiteIndex {
    by_name: FxHashMap<String, u32>,
    names: Vec<String>,
    docs: Vec<u32>,
}

impl SiteIndex {
    /// The number of a site, added (with no documents) if new.
    fn index(&mut self, name: &str) -> u32 {
        if let Some(&index) = self.by_name.get(name) {
            return index;
        }
        let index = self.names.len() as u32;
        self.by_name.insert(name.to_string(), index);
        self.names.push(name.to_string());
        self.docs.push(0);
        index
    }
}

/// Keys buffered before they are sorted into the counts.
pub const FLUSH_KEYS: usize = 1 << 20;

/// A short text standing for a block, with its site.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Exemplar {
    site: String,
    text: String,
}

impl Default for Counter {
    fn default() -> Self {
        Counter::with_store(Arc::default(), true)
    }
}

impl Clone for Counter {
    /// A counter with a copy of this one's counts (not sharing them: see [`Counter::sibling`]).
    fn clone(&self) -> Self {
        let shared = Shared {
            store: Mutex::new(lock(&self.store.store).clone()),
            counts: Mutex::new(lock(&self.store.counts).clone()),
        };
        Counter {
            store: Arc::new(shared),
            sites: self.sites.clone(),
            pending: self.pending.clone(),
            window_texts: self.window_texts.clone(),
            distinct: Vec::new(),
            exemplars: self.exemplars,
        }
    }
}

impl Drop for Counter {
    /// A sibling's last window reaches the shared store when the sibling goes.
    fn drop(&mut self) {
        self.flush();
    }
}

/// The keys that `sorted` holds twice or more, each with no exemplar chosen yet: in a window,
/// the blocks held by two of its documents, whose candidate texts may become exemplars.
fn keys_held_twice(sorted: &[u64]) -> FxHashMap<u64, Option<(u32, usize, usize)>> {
    sorted
        .chunk_by(|a, b| a == b)
        .filter(|run| run.len() >= 2)
        .map(|run| (run[0], None))
        .collect()
}

fn lock<T>(store: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic elsewhere poisons the lock; the counts are still whole (they change under the lock
    // only in merges, which do not panic).
    store
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Counter {
    /// An empty counter.
    pub fn new() -> Self {
        Counter::default()
    }

    /// An empty counter that keeps no exemplar texts: its census counts as any other does, and
    /// lists no texts (in [`Census::top`]); counting skips copying every short block's text.
    pub fn without_exemplars() -> Self {
        Counter::with_store(Arc::default(), false)
    }

    fn with_store(store: Arc<Shared>, exemplars: bool) -> Self {
        Counter {
            store,
            sites: SiteIndex::default(),
            pending: Vec::new(),
            window_texts: Vec::new(),
            distinct: Vec::new(),
            exemplars,
        }
    }

    /// A counter that adds to the same counts as this one, for another thread. Each window a
    /// sibling ends (and its last, when it is dropped) goes into the shared counts; finish one
    /// counter once the others are dropped or merged into it.
    pub fn sibling(&self) -> Counter {
        Counter::with_store(Arc::clone(&self.store), self.exemplars)
    }

    /// Counts one document of `site` holding these blocks (fingerprint and text). Short texts
    /// are kept, shortened, as exemplars of blocks that two documents hold.
    pub fn add_document<'t>(
        &mut self,
        site: &str,
        blocks: impl IntoIterator<Item = (u64, &'t str)>,
    ) {
        let site_hash = site_key(site);
        let site_index = self.sites.index(site);
        self.sites.docs[site_index as usize] += 1;
        let mut distinct = std::mem::take(&mut self.distinct);
        distinct.clear();
        for (fingerprint, text) in blocks {
            let key = site_block_key(site_hash, fingerprint);
            distinct.push(key);
            if self.exemplars && text.len() <= EXEMPLAR_SOURCE_BYTES {
                self.offer_candidate(key, site_index, text);
            }
        }
        distinct.sort_unstable();
        distinct.dedup();
        self.pending.extend_from_slice(&distinct);
        self.distinct = distinct;
        if self.pending.len() >= FLUSH_KEYS {
            self.flush();
        }
    }

    /// Notes a short text of the window.
    fn offer_candidate(&mut self, key: u64, site: u32, text: &str) {
        let text = text.trim();
        self.window_texts.extend_from_slice(&key.to_le_bytes());
        self.window_texts.extend_from_slice(&site.to_le_bytes());
        self.window_texts.push(text.len() as u8);
        self.window_texts.extend_from_slice(text.as_bytes());
    }

    /// The exemplar candidates of the window's blocks that `repeated` holds (keys that two
    /// documents of the window held): per key, the first text of the window, shortened, then
    /// each later text that sorts before the one kept (which keeps the first site), so the
    /// candidate does not depend on the order documents come in. Returns (key, site, text).
    fn candidates(&self, repeated: &mut FxHashMap<u64, Option<(u32, usize, usize)>>) -> Vec<u8> {
        let mut kept_texts: Vec<u8> = Vec::new();
        let records = &self.window_texts;
        let mut at = 0;
        while at < records.len() {
            let key = u64::from_le_bytes(records[at..at + 8].try_into().expect("8 bytes"));
            let site = u32::from_le_bytes(records[at + 8..at + 12].try_into().expect("4 bytes"));
            let len = records[at + 12] as usize;
            let text_at = at + 13;
            at = text_at + len;
            let Some(slot) = repeated.get_mut(&key) else {
                continue;
            };
            let text = std::str::from_utf8(&records[text_at..at]).expect("records hold text");
            let site = match *slot {
                Some((kept_site, start, len)) => {
                    if &kept_texts[start..start + len] <= text.as_bytes() {
                        continue;
                    }
                    kept_site
                }
                None => site,
            };
            let (head, cut) = shortened(text);
            let start = kept_texts.len();
            kept_texts.extend_from_slice(head.as_bytes());
            if cut {
                kept_texts.extend_from_slice("…".as_bytes());
            }
            *slot = Some((site, start, kept_texts.len() - start));
        }
        kept_texts
    }

    /// Sorts the window's keys into the store; candidates held by two documents of the window
    /// become exemplars.
    fn flush(&mut self) {
        if self.pending.is_empty() && self.sites.docs.iter().all(|&docs| docs == 0) {
            return;
        }
        // Sorted here only to find the window's repeats for exemplars: the store sorts
        // whatever it is given before counting.
        let mut repeated = if self.exemplars {
            self.pending.sort_unstable();
            keys_held_twice(&self.pending)
        } else {
            FxHashMap::default()
        };
        let kept_texts = self.candidates(&mut repeated);
        let mut guard = lock(&self.store.store);
        let store = &mut *guard;
        // This window's site numbers in the store.
        let site_map: Vec<u32> = self
            .sites
            .names
            .iter()
            .zip(&mut self.sites.docs)
            .map(|(name, docs)| {
                let index = store.sites.index(name);
                store.sites.docs[index as usize] += std::mem::take(docs);
                index
            })
            .collect();
        for (key, kept) in repeated {
            if let Some((site, start, len)) = kept {
                let text = std::str::from_utf8(&kept_texts[start..start + len])
                    .expect("candidates are text");
                store.offer_exemplar(key, site_map[site as usize], text);
            }
        }
        store.buffer.extend_from_slice(&self.pending);
        let full = (store.buffer.len() >= MIN_BUFFER.max(store.counted / BUFFER_SHARE))
            .then(|| std::mem::take(&mut store.buffer));
        drop(guard);
        if let Some(mut keys) = full {
            // Sorted and merged outside the store's lock: other counters go on ending windows.
            keys.sort_unstable();
            let mut counts = lock(&self.store.counts);
            counts.merge_keys(&mut keys);
            let counted = counts.len();
            drop(counts);
            let mut store = lock(&self.store.store);
            store.counted = store.counted.max(counted);
            // Give the buffer's memory back to the store rather than growing a new one.
            if keys.capacity() > store.buffer.capacity() {
                keys.clear();
                keys.extend_from_slice(&store.buffer);
                store.buffer = keys;
            }
        }
        self.window_texts.clear();
        self.pending.clear();
        // Keep the buffer for the next window, unless one huge window made it large.
        if self.pending.capacity() > FLUSH_KEYS * 2 {
            self.pending = Vec::new();
        }
    }

    /// Ends a window of documents: buffered keys are counted and exemplar candidates decided.
    /// Calling it at fixed points (such as after each chunk of a site's documents) makes the
    /// exemplars independent of how work is spread over threads.
    pub fn end_window(&mut self) {
        self.flush();
    }

    /// Adds another counter's counts to this one (nothing more when it is a sibling).
    pub fn merge(&mut self, mut other: Counter) {
        self.flush();
        other.flush();
        if Arc::ptr_eq(&self.store, &other.store) {
            return;
        }
        let theirs = std::mem::take(&mut *lock(&other.store.store));
        let their_counts = std::mem::take(&mut *lock(&other.store.counts));
        let mut store = lock(&self.store.store);
        let mut counts = lock(&self.store.counts);
        store.merge(theirs, &mut counts, their_counts);
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        let window: u64 = self.sites.docs.iter().map(|&n| n as u64).sum();
        let store: u64 = lock(&self.store.store)
            .sites
            .docs
            .iter()
            .map(|&n| n as u64)
            .sum();
        window + store
    }

    /// Freezes the counts into a compact, sorted census. Siblings still counting are not waited
    /// for: drop or merge them first.
    pub fn finish(mut self) -> Census {
        self.flush();
        let store = std::mem::take(&mut *lock(&self.store.store));
        let counts = std::mem::take(&mut *lock(&self.store.counts));
        store.finish(counts)
    }
}

impl Store {
    /// Keeps `text` as the exemplar of `key` unless a smaller one (by site name, then text) is
    /// kept already, so the result does not depend on the order windows and shards come in.
    fn offer_exemplar(&mut self, key: u64, site: u32, text: &str) {
        if let Some((kept_site, kept_text)) = self.exemplars.get(key) {
            let order = self.sites.names[kept_site as usize]
                .cmp(&self.sites.names[site as usize])
                .then_with(|| kept_text.cmp(text));
            if order != Ordering::Greater {
                return;
            }
        }
        self.exemplars.set(key, site, text);
    }

    /// Adds another store's counts, sites and exemplars (`counts` are this store's).
    fn merge(&mut self, other: Store, counts: &mut Counts, mut other_counts: Counts) {
        let site_map: Vec<u32> = other
            .sites
            .names
            .iter()
            .zip(&other.sites.docs)
            .map(|(name, &docs)| {
                let index = self.sites.index(name);
                self.sites.docs[index as usize] += docs;
                index
            })
            .collect();
        other_counts.merge_keys(&mut sorted(other.buffer));
        if other_counts.len() > counts.len() {
            std::mem::swap(counts, &mut other_counts);
        }
        counts.merge_from(&other_counts);
        drop(other_counts);
        self.counted = counts.len();
        for (key, site, text) in other.exemplars.iter() {
            self.offer_exemplar(key, site_map[site as usize], text);
        }
    }

    fn finish(mut self, mut counts: Counts) -> Census {
        counts.merge_keys(&mut sorted(std::mem::take(&mut self.buffer)));
        // Keep the exemplars of each site's most repeated blocks only: per site, a heap of the
        // best so far, the worst (fewest documents, then highest key) on top.
        let mut best: Vec<BinaryHeap<(Reverse<u32>, u64)>> =
            vec![BinaryHeap::new(); self.sites.names.len()];
        // The exemplars' counts, looked up a batch at a time, the batch's memory touched first
        // (see `Counts::touch`).
        let mut batch: Vec<(u64, u32)> = Vec::with_capacity(4096);
        let mut keys: Vec<u64> = Vec::with_capacity(4096);
        let mut entries = self
            .exemplars
            .iter()
            .map(|(key, site, _)| (key, site))
            .peekable();
        while entries.peek().is_some() {
            batch.clear();
            batch.extend(entries.by_ref().take(4096));
            keys.clear();
            keys.extend(batch.iter().map(|&(key, _)| key));
            counts.touch(&keys);
            for &(key, site) in &batch {
                let heap = &mut best[site as usize];
                heap.push((Reverse(counts.get(key)), key));
                if heap.len() > EXEMPLARS_PER_SITE {
                    heap.pop();
                }
            }
        }
        let mut exemplars = BTreeMap::new();
        for heap in best {
            for (_, key) in heap {
                let (site, text) = self
                    .exemplars
                    .get(key)
                    .expect("kept exemplars are in the table");
                exemplars.insert(
                    key,
                    Exemplar {
                        site: self.sites.names[site as usize].clone(),
                        text: text.to_string(),
                    },
                );
            }
        }
        let sites = self.sites.names.into_iter().zip(self.sites.docs).collect();
        let mut census = Census {
            sites,
            counts,
            exemplars,
            site_docs: FxHashMap::default(),
        };
        census.index_sites();
        census
    }
}

/// Appends a record of a short text and its site to `arena`: the site (4 bytes), the text's
/// length (1 byte), the text (the pieces, at most 255 bytes together). Returns its offset.
fn push_record(arena: &mut Vec<u8>, site: u32, pieces: &[&str]) -> usize {
    let at = arena.len();
    let len: usize = pieces.iter().map(|p| p.len()).sum();
    debug_assert!(len <= u8::MAX as usize);
    arena.extend_from_slice(&site.to_le_bytes());
    arena.push(len as u8);
    for piece in pieces {
        arena.extend_from_slice(piece.as_bytes());
    }
    at
}

/// The site and text of the record at `at`.
fn record(arena: &[u8], at: usize) -> (u32, &str) {
    let site = u32::from_le_bytes(arena[at..at + 4].try_into().expect("4 bytes"));
    let len = arena[at + 4] as usize;
    let text = std::str::from_utf8(&arena[at + 5..at + 5 + len]).expect("records hold text");
    (site, text)
}

/// Exemplar texts by key: records (key, site, text) appended to an arena, found through a hash
/// table of their offsets, about 40 bytes an exemplar.
#[derive(Clone, Debug, Default)]
struct ExemplarTable {
    /// Offsets of the current records, in units of [`RECORD_ALIGN`] bytes.
    table: hashbrown::HashTable<u32>,
    /// Records: key (8 bytes), site (4), text length (1), text; each starts at a multiple of
    /// [`RECORD_ALIGN`]. A replaced record stays, unreferenced.
    arena: Vec<u8>,
}

const RECORD_ALIGN: usize = 4;

impl ExemplarTable {
    fn key_at(arena: &[u8], slot: u32) -> u64 {
        let at = slot as usize * RECORD_ALIGN;
        u64::from_le_bytes(arena[at..at + 8].try_into().expect("8 bytes"))
    }

    fn record(&self, slot: u32) -> (u64, u32, &str) {
        let at = slot as usize * RECORD_ALIGN;
        let (site, text) = record(&self.arena, at + 8);
        (Self::key_at(&self.arena, slot), site, text)
    }

    /// The site and text kept for `key`.
    fn get(&self, key: u64) -> Option<(u32, &str)> {
        let slot = *self
            .table
            .find(key, |&slot| Self::key_at(&self.arena, slot) == key)?;
        let (_, site, text) = self.record(slot);
        Some((site, text))
    }

    /// Keeps `text` of `site` for `key`, replacing what was kept.
    fn set(&mut self, key: u64, site: u32, text: &str) {
        while !self.arena.len().is_multiple_of(RECORD_ALIGN) {
            self.arena.push(0);
        }
        let slot =
            u32::try_from(self.arena.len() / RECORD_ALIGN).expect("exemplar texts fit in 16 GiB");
        self.arena.extend_from_slice(&key.to_le_bytes());
        push_record(&mut self.arena, site, &[text]);
        let ExemplarTable { table, arena } = self;
        match table.find_mut(key, |&old| Self::key_at(arena, old) == key) {
            Some(old) => *old = slot,
            None => {
                table.insert_unique(key, slot, |&old| Self::key_at(arena, old));
            }
        }
    }

    /// Every (key, site, text) kept, in no particular order.
    fn iter(&self) -> impl Iterator<Item = (u64, u32, &str)> + '_ {
        self.table.iter().map(|&slot| self.record(slot))
    }
}

/// Exemplars of the same block from two shards: keep the smaller, so the result does not depend
/// on which shard came first.
fn keep_smaller(slot: &mut Exemplar, candidate: Exemplar) {
    if candidate < *slot {
        *slot = candidate;
    }
}

/// `text` (trimmed) cut to [`EXEMPLAR_BYTES`] at a character boundary, and whether it was cut
/// (then an ellipsis marks the cut).
fn shortened(text: &str) -> (&str, bool) {
    let text = text.trim();
    if text.len() <= EXEMPLAR_BYTES {
        return (text, false);
    }
    let mut end = EXEMPLAR_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], true)
}

#[cfg(test)]
fn shorten(text: &str) -> String {
    match shortened(text) {
        (head, true) => format!("{head}…"),
        (head, false) => head.to_string(),
    }
}

/// Key bits that choose a part: the top `PART_BITS` bits of a key.
const PART_BITS: u32 = 16;
const PARTS: usize = 1 << PART_BITS;
/// The low bits of an entry hold its count: an entry is the key shifted left by `PART_BITS`
/// (its part is implied by its place), or'ed with the count.
const COUNT_MASK: u64 = (1 << PART_BITS) - 1;
/// Keys buffered before they are merged into the entries, at least (or a [`BUFFER_SHARE`]th of
/// the entries, when that is more).
const MIN_BUFFER: usize = 1 << 19;
const BUFFER_SHARE: usize = 8;

/// Document counts per (site, block) key (see the module documentation): one array of packed
/// 8-byte entries, cut into [`PARTS`] parts by the keys' top bits, each part sorted.
#[derive(Clone, Debug, Default)]
pub(crate) struct Counts {
    /// Every part's entries, parts in order.
    entries: Vec<u64>,
    /// Where each part starts in `entries`, and where the last ends: empty, or `PARTS + 1`
    /// offsets.
    starts: Vec<usize>,
    /// Counts of [`COUNT_MASK`] or more, by key; their entries hold [`COUNT_MASK`].
    large: FxHashMap<u64, u32>,
}

fn part_of(key: u64) -> usize {
    (key >> (64 - PART_BITS)) as usize
}

/// The number of entries below `target` in `entries` (sorted), searched outwards from `guess`
/// in steps that double, then by halves.
fn search_from(entries: &[u64], target: u64, guess: usize) -> usize {
    let below = |slice: &[u64]| slice.partition_point(|&entry| entry < target);
    let n = entries.len();
    if n == 0 {
        return 0;
    }
    let guess = guess.min(n - 1);
    let mut step = 1;
    if entries[guess] < target {
        let mut low = guess + 1;
        loop {
            let probe = low + step - 1;
            if probe >= n {
                return low + below(&entries[low..]);
            }
            if entries[probe] >= target {
                return low + below(&entries[low..probe]);
            }
            low = probe + 1;
            step *= 2;
        }
    } else {
        let mut high = guess;
        loop {
            if high < step {
                return below(&entries[..high]);
            }
            let probe = high - step;
            if entries[probe] < target {
                return probe + 1 + below(&entries[probe + 1..high]);
            }
            high = probe;
            step *= 2;
        }
    }
}

/// `keys` sorted, by all the threads of the pool: this runs when counting ends and nothing
/// else is left to do.
fn sorted(mut keys: Vec<u64>) -> Vec<u64> {
    use rayon::slice::ParallelSliceMut;
    keys.par_sort_unstable();
    keys
}

/// Where each part's keys start in `keys` (sorted), and where the last part's end.
fn part_starts(keys: &[u64]) -> Vec<usize> {
    (0..=PARTS)
        .map(|p| keys.partition_point(|&key| part_of(key) < p))
        .collect()
}

fn key_of(part: usize, entry: u64) -> u64 {
    ((part as u64) << (64 - PART_BITS)) | (entry >> PART_BITS)
}

impl Counts {
    /// Adds one document to a key for each time it appears in `keys` (sorted).
    /// `keys` is left empty, its memory kept.
    fn merge_keys(&mut self, keys: &mut Vec<u64>) {
        if keys.is_empty() {
            return;
        }
        debug_assert!(keys.is_sorted());
        // Count the runs of equal keys, packing them in place into entries (shifted key and
        // count) as the parts hold them.
        let starts = part_starts(keys);
        let mut packed_starts = vec![0usize; PARTS + 1];
        let mut large: FxHashMap<u64, u32> = FxHashMap::default();
        let mut write = 0;
        for p in 0..PARTS {
            let mut i = starts[p];
            while i < starts[p + 1] {
                let key = keys[i];
                let mut j = i + 1;
                while j < starts[p + 1] && keys[j] == key {
                    j += 1;
                }
                let count = u32::try_from(j - i).unwrap_or(u32::MAX);
                keys[write] = pack(&mut large, p, key << PART_BITS, count);
                write += 1;
                i = j;
            }
            packed_starts[p + 1] = write;
        }
        self.merge_sorted(&packed_starts, |p, j| {
            (keys[j] & !COUNT_MASK, entry_count(&large, p, keys[j]))
        });
        keys.clear();
    }

    /// Adds (key, count) pairs sorted by key, keys distinct.
    #[cfg(test)]
    fn merge_sorted_pairs(&mut self, pairs: &[(u64, u32)]) {
        let keys: Vec<u64> = pairs.iter().map(|p| p.0).collect();
        let starts = part_starts(&keys);
        self.merge_sorted(&starts, |_, j| (pairs[j].0 << PART_BITS, pairs[j].1));
    }

    /// Adds a sorted run of (shifted key, count) pairs, keys distinct, given by part: part `p`'s
    /// are `pair(p, j)` for `j` in `run_starts[p]..run_starts[p + 1]`. In place: the entries grow
    /// by exactly the new keys, and each part is filled from its back.
    fn merge_sorted(&mut self, run_starts: &[usize], pair: impl Fn(usize, usize) -> (u64, u32)) {
        if run_starts.last().is_none_or(|&len| len == 0) {
            return;
        }
        if self.starts.is_empty() {
            self.starts = vec![0; PARTS + 1];
        }
        let Counts {
            entries,
            starts,
            large,
            ..
        } = self;
        // New keys per part, then where each part starts once they are in.
        let mut new_starts = vec![0usize; PARTS + 1];
        for p in 0..PARTS {
            let (mut i, end) = (starts[p], starts[p + 1]);
            let mut new = 0;
            for j in run_starts[p]..run_starts[p + 1] {
                let shifted = pair(p, j).0;
                while i < end && entries[i] & !COUNT_MASK < shifted {
                    i += 1;
                }
                if i == end || entries[i] & !COUNT_MASK != shifted {
                    new += 1;
                }
            }
            new_starts[p + 1] = new_starts[p] + new;
        }
        let added = new_starts[PARTS];
        for p in 0..=PARTS {
            new_starts[p] += starts[p];
        }
        let old_len = entries.len();
        entries.reserve_exact(added);
        entries.resize(old_len + added, 0);
        for p in (0..PARTS).rev() {
            let start = starts[p];
            let mut i = starts[p + 1];
            let mut write = new_starts[p + 1];
            let mut j = run_starts[p + 1];
            while j > run_starts[p] {
                let (shifted, count) = pair(p, j - 1);
                write -= 1;
                if i > start && entries[i - 1] & !COUNT_MASK > shifted {
                    i -= 1;
                    entries[write] = entries[i];
                    continue;
                }
                let total = if i > start && entries[i - 1] & !COUNT_MASK == shifted {
                    i -= 1;
                    entry_count(large, p, entries[i]).saturating_add(count)
                } else {
                    count
                };
                entries[write] = pack(large, p, shifted, total);
                j -= 1;
            }
            // The rest of the part moves up by the new keys of the parts below.
            debug_assert_eq!(write - (i - start), new_starts[p]);
            let shift = write - i;
            if shift > 0 {
                entries.copy_within(start..i, start + shift);
            }
        }
        *starts = new_starts;
    }

    /// Adds every count of `other` to these.
    fn merge_from(&mut self, other: &Counts) {
        if other.starts.is_empty() {
            return;
        }
        self.merge_sorted(&other.starts, |p, j| {
            let entry = other.entries[j];
            (entry & !COUNT_MASK, entry_count(&other.large, p, entry))
        });
    }

    /// Documents holding `key` (0 when unknown). The buffer must be merged.
    fn get(&self, key: u64) -> u32 {
        if self.starts.is_empty() {
            return 0;
        }
        let p = part_of(key);
        let entries = &self.entries[self.starts[p]..self.starts[p + 1]];
        let shifted = key << PART_BITS;
        // Keys are hashes, spread evenly: the key's share of the key space is about its place.
        let guess = ((shifted as u128 * entries.len() as u128) >> 64) as usize;
        let at = search_from(entries, shifted, guess);
        match entries.get(at) {
            Some(&entry) if entry & !COUNT_MASK == shifted => entry_count(&self.large, p, entry),
            _ => 0,
        }
    }

    /// Reads the memory that looking `keys` up will read, all keys one level at a time: the
    /// cache misses of different keys then overlap instead of coming one after another.
    fn touch(&self, keys: &[u64]) {
        if self.starts.is_empty() {
            return;
        }
        let mut sum = 0usize;
        for &key in keys {
            sum ^= self.starts[part_of(key) + 1];
        }
        for &key in keys {
            let p = part_of(key);
            let (start, end) = (self.starts[p], self.starts[p + 1]);
            let guess =
                start + (((key << PART_BITS) as u128 * (end - start) as u128) >> 64) as usize;
            if let Some(&entry) = self.entries.get(guess) {
                sum ^= entry as usize;
            }
        }
        std::hint::black_box(sum);
    }

    /// Distinct keys (the buffer merged).
    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every (key, count), by key. The buffer must be merged.
    fn iter(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        (0..self.starts.len().saturating_sub(1)).flat_map(move |p| {
            self.entries[self.starts[p]..self.starts[p + 1]]
                .iter()
                .map(move |&entry| (key_of(p, entry), entry_count(&self.large, p, entry)))
        })
    }

    /// Bytes held.
    fn memory_bytes(&self) -> usize {
        (self.entries.capacity() + self.starts.capacity()) * 8 + self.large.capacity() * 16
    }

    /// Counts from (key, count) pairs sorted by key, keys distinct; `len` of them at most.
    fn from_sorted(len: usize, pairs: impl Iterator<Item = (u64, u32)>) -> Counts {
        let mut counts = Counts {
            entries: Vec::with_capacity(len),
            starts: vec![0; PARTS + 1],
            ..Counts::default()
        };
        for (key, count) in pairs {
            let p = part_of(key);
            counts.starts[p + 1] += 1;
            let entry = pack(&mut counts.large, p, key << PART_BITS, count);
            counts.entries.push(entry);
        }
        for p in 0..PARTS {
            counts.starts[p + 1] += counts.starts[p];
        }
        counts.entries.shrink_to_fit();
        counts
    }
}

impl PartialEq for Counts {
    fn eq(&self, other: &Counts) -> bool {
        self.iter().eq(other.iter())
    }
}

fn entry_count(large: &FxHashMap<u64, u32>, part: usize, entry: u64) -> u32 {
    match entry & COUNT_MASK {
        COUNT_MASK => large[&key_of(part, entry)],
        count => count as u32,
    }
}

fn pack(large: &mut FxHashMap<u64, u32>, part: usize, shifted: u64, count: u32) -> u64 {
    if count as u64 >= COUNT_MASK {
        large.insert(key_of(part, shifted), count);
        shifted | COUNT_MASK
    } else {
        shifted | count as u64
    }
}

/// Document counts per site and per (site, block), frozen and compact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Census {
    /// Documents per site name.
    sites: BTreeMap<String, u32>,
    /// Documents holding each key of (site, block).
    counts: Counts,
    /// Exemplar texts of the most repeated blocks.
    exemplars: BTreeMap<u64, Exemplar>,
    /// Documents per site key, for lookups.
    site_docs: FxHashMap<u64, u32>,
}

/// A site's most repeated blocks, for `deboil census --top`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteTop {
    /// The site.
    pub site: String,
    /// Its documents in the census.
    pub documents: u32,
    /// Its most repeated blocks: documents holding each, and an exemplar text; most first.
    pub blocks: Vec<(u32, String)>,
}

impl Census {
    /// An empty census.
    pub fn new() -> Self {
        Census::default()
    }

    /// What the census knows of each block of a document of `site`.
    pub fn lookup(&self, site: &str, fingerprints: &[u64]) -> Vec<SiteRepeat> {
        let site_hash = site_key(site);
        let site_docs = self.site_docs.get(&site_hash).copied().unwrap_or(0);
        let keys: Vec<u64> = fingerprints
            .iter()
            .map(|&fingerprint| site_block_key(site_hash, fingerprint))
            .collect();
        self.counts.touch(&keys);
        keys.iter()
            .map(|&key| SiteRepeat {
                docs: self.count(key),
                site_docs,
            })
            .collect()
    }

    fn count(&self, key: u64) -> u32 {
        self.counts.get(key)
    }

    /// Adds another census's counts to this one.
    pub fn merge(&mut self, other: &Census) {
        for (site, docs) in &other.sites {
            *self.sites.entry(site.clone()).or_default() += docs;
        }
        self.counts.merge_from(&other.counts);
        for (key, exemplar) in &other.exemplars {
            keep_smaller(
                self.exemplars.entry(*key).or_insert(exemplar.clone()),
                exemplar.clone(),
            );
        }
        self.prune_exemplars();
        self.index_sites();
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.sites.values().map(|&n| n as u64).sum()
    }

    /// Distinct (site, block) fingerprints counted.
    pub fn distinct_blocks(&self) -> usize {
        self.counts.len()
    }

    /// Sites counted, with their documents, by name.
    pub fn sites(&self) -> impl Iterator<Item = (&str, u32)> {
        self.sites.iter().map(|(name, &docs)| (name.as_str(), docs))
    }

    /// Bytes the counts take in memory: 8 per distinct block, plus sites and exemplars.
    pub fn memory_bytes(&self) -> usize {
        self.counts.memory_bytes()
            + self.sites.keys().map(|s| s.len() + 32).sum::<usize>()
            + self
                .exemplars
                .values()
                .map(|e| e.text.len() + e.site.len() + 64)
                .sum::<usize>()
    }

    /// Each site's `n` most repeated blocks (those held by two documents or more), sites in name
    /// order, blocks by document count then text.
    pub fn top(&self, n: usize) -> Vec<SiteTop> {
        let mut by_site: BTreeMap<&str, Vec<(u32, String)>> = BTreeMap::new();
        for (&key, exemplar) in &self.exemplars {
            let count = self.count(key);
            if count >= 2 {
                by_site
                    .entry(exemplar.site.as_str())
                    .or_default()
                    .push((count, exemplar.text.clone()));
            }
        }
        self.sites
            .iter()
            .map(|(site, &documents)| {
                let mut blocks = by_site.remove(site.as_str()).unwrap_or_default();
                blocks.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                blocks.truncate(n);
                SiteTop {
                    site: site.clone(),
                    documents,
                    blocks,
                }
            })
            .collect()
    }

    /// Keeps the exemplars of each site's most repeated blocks only.
    fn prune_exemplars(&mut self) {
        let mut by_site: BTreeMap<&str, Vec<(u32, u64)>> = BTreeMap::new();
        for (&key, exemplar) in &self.exemplars {
            by_site
                .entry(exemplar.site.as_str())
                .or_default()
                .push((self.count(key), key));
        }
        let mut keep = Vec::new();
        for blocks in by_site.values_mut() {
            blocks.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            keep.extend(blocks.iter().take(EXEMPLARS_PER_SITE).map(|&(_, key)| key));
        }
        keep.sort_unstable();
        self.exemplars
            .retain(|key, _| keep.binary_search(key).is_ok());
    }

    fn index_sites(&mut self) {
        self.site_docs = self
            .sites
            .iter()
            .map(|(name, &docs)| (site_key(name), docs))
            .collect();
    }
}

// The census file.
//
// | bytes | what |
// |---|---|
// | 8 | magic `DEBOILC\0` |
// | 4 | format version, little-endian ([`FORMAT_VERSION`]) |
// | 4 | fingerprint normalisation version ([`NORMALIZATION_VERSION`]) |
// | varint | number of sites, then per site: name length, name (UTF-8), documents |
// | varint | number of blocks, then per block: key minus the previous key, count |
// | varint | number of exemplars, then per exemplar: key delta, site index, text length, text |
// | 8 | XXH3 of everything before, little-endian |
//
// Varints are LEB128. Keys are sorted, so their deltas are small; a block costs about 9 bytes
// on disk.

const MAGIC: &[u8; 8] = b"DEBOILC\0";
/// Version of the census file format.
pub const FORMAT_VERSION: u32 = 1;

impl Census {
    /// The census as the bytes of a census file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.counts.len() * 9);
        self.write_to(&mut out)
            .expect("writing to memory does not fail");
        out
    }

    /// Writes the census file format to `out`, hashing as it goes (no copy of the file in
    /// memory).
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut out = HashingWriter {
            inner: out,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            buffer: Vec::with_capacity(1 << 16),
        };
        out.put(MAGIC)?;
        out.put(&FORMAT_VERSION.to_le_bytes())?;
        out.put(&NORMALIZATION_VERSION.to_le_bytes())?;
        out.varint(self.sites.len() as u64)?;
        for (name, &docs) in &self.sites {
            out.string(name)?;
            out.varint(docs as u64)?;
        }
        out.varint(self.counts.len() as u64)?;
        let mut previous = 0u64;
        for (key, count) in self.counts.iter() {
            out.varint(key - previous)?;
            out.varint(count as u64)?;
            previous = key;
        }
        let site_index: BTreeMap<&str, usize> = self
            .sites
            .keys()
            .enumerate()
            .map(|(i, name)| (name.as_str(), i))
            .collect();
        out.varint(self.exemplars.len() as u64)?;
        let mut previous = 0u64;
        for (&key, exemplar) in &self.exemplars {
            out.varint(key - previous)?;
            out.varint(site_index[exemplar.site.as_str()] as u64)?;
            out.string(&exemplar.text)?;
            previous = key;
        }
        out.finish()
    }

    /// Reads a census from the bytes of a census file; `path` names it in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Census> {
        let fail = |message: String| Error::Census {
            path: path.to_path_buf(),
            message,
        };
        if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
            return Err(fail("not a deboil census file (wrong magic bytes)".into()));
        }
        if bytes.len() < 24 {
            return Err(fail(format!(
                "truncated census file ({} bytes)",
                bytes.len()
            )));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(fail(format!(
                "census file format version {version}; this deboil reads version {FORMAT_VERSION}"
            )));
        }
        let normalization = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes"));
        if normalization != NORMALIZATION_VERSION {
            return Err(fail(format!(
                "census counted with fingerprint normalisation {normalization}; this deboil uses \
                 {NORMALIZATION_VERSION}: count it again"
            )));
        }
        let (body, tail) = bytes.split_at(bytes.len() - 8);
        let checksum = u64::from_le_bytes(tail.try_into().expect("8 bytes"));
        if xxhash_rust::xxh3::xxh3_64(body) != checksum {
            return Err(fail(
                "census file is damaged or truncated (checksum mismatch)".into(),
            ));
        }
        let mut reader = Reader {
            bytes: body,
            at: 16,
        };
        read_body(&mut reader).map_err(|at| fail(format!("malformed census file at byte {at}")))
    }

    /// Reads a census file written by [`Census::write_file`] (`deboil census -o FILE`).
    pub fn read_file(path: &Path) -> Result<Census> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Census::from_bytes(&bytes, path)
    }

    /// Writes the census to `path`, atomically (a temporary file renamed into place), streaming
    /// it rather than building it in memory.
    pub fn write_file(&self, path: &Path) -> Result<()> {
        crate::batch::write_atomically_with(path, |file| self.write_to(file))
    }
}

/// Decodes everything after the header; on failure, the byte offset where decoding stopped.
fn read_body(reader: &mut Reader<'_>) -> std::result::Result<Census, usize> {
    let site_count = reader.length()?;
    let mut site_names = Vec::with_capacity(site_count);
    let mut sites = BTreeMap::new();
    for _ in 0..site_count {
        let name = reader.string()?;
        let docs = reader.count()?;
        site_names.push(name.clone());
        sites.insert(name, docs);
    }
    let block_count = reader.length()?;
    let mut key = 0u64;
    let mut failed = None;
    let pairs = (0..block_count).map_while(|i| {
        let next = (|| {
            let delta = reader.varint()?;
            if i > 0 && delta == 0 {
                return Err(reader.at);
            }
            key = key.checked_add(delta).ok_or(reader.at)?;
            Ok((key, reader.count()?))
        })();
        next.map_err(|at| failed = Some(at)).ok()
    });
    let counts = Counts::from_sorted(block_count, pairs);
    if let Some(at) = failed {
        return Err(at);
    }
    let exemplar_count = reader.length()?;
    let mut exemplars = BTreeMap::new();
    let mut key = 0u64;
    for _ in 0..exemplar_count {
        key = key.checked_add(reader.varint()?).ok_or(reader.at)?;
        // An index into the sites, not a length: it is bounded by the sites, not by the bytes
        // left (near the end of a file, those can be fewer than the sites).
        let site = usize::try_from(reader.varint()?)
            .ok()
            .and_then(|index| site_names.get(index))
            .ok_or(reader.at)?
            .clone();
        let text = reader.string()?;
        exemplars.insert(key, Exemplar { site, text });
    }
    if reader.at != reader.bytes.len() {
        return Err(reader.at);
    }
    let mut census = Census {
        sites,
        counts,
        exemplars,
        site_docs: FxHashMap::default(),
    };
    census.index_sites();
    Ok(census)
}

/// A writer that hashes what it writes and appends the hash at the end.
struct HashingWriter<'w, W: std::io::Write> {
    inner: &'w mut W,
    hasher: xxhash_rust::xxh3::Xxh3,
    buffer: Vec<u8>,
}

impl<W: std::io::Write> HashingWriter<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= 1 << 16 {
            self.drain()?;
        }
        Ok(())
    }

    fn varint(&mut self, value: u64) -> std::io::Result<()> {
        put_varint(&mut self.buffer, value);
        if self.buffer.len() >= 1 << 16 {
            self.drain()?;
        }
        Ok(())
    }

    fn string(&mut self, text: &str) -> std::io::Result<()> {
        self.varint(text.len() as u64)?;
        self.put(text.as_bytes())
    }

    fn drain(&mut self) -> std::io::Result<()> {
        self.hasher.update(&self.buffer);
        self.inner.write_all(&self.buffer)?;
        self.buffer.clear();
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.drain()?;
        let checksum = self.hasher.digest();
        self.inner.write_all(&checksum.to_le_bytes())?;
        self.inner.flush()
    }
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// A cursor over a census file's body; errors are the offset where reading failed.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn varint(&mut self) -> std::result::Result<u64, usize> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or(self.at)?;
            self.at += 1;
            value |= ((byte & 0x7f) as u64) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(self.at)
    }

    /// A length or index, bounded by the bytes left so a damaged file cannot ask for a huge
    /// allocation.
    fn length(&mut self) -> std::result::Result<usize, usize> {
        let value = self.varint()?;
        if value > (self.bytes.len() - self.at) as u64 + 1 {
            return Err(self.at);
        }
        Ok(value as usize)
    }

    fn count(&mut self) -> std::result::Result<u32, usize> {
        u32::try_from(self.varint()?).map_err(|_| self.at)
    }

    fn string(&mut self) -> std::result::Result<String, usize> {
        let len = self.length()?;
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= self.bytes.len())
            .ok_or(self.at)?;
        let text = std::str::from_utf8(&self.bytes[self.at..end]).map_err(|_| self.at)?;
        self.at = end;
        Ok(text.to_string())
    }
}

/// One site's census counted in memory while its documents are held: what a [`Census`] knows
/// of that site, for a run that counts and cleans a few sites at a time (see
/// [`crate::batch`]). A site's counts do not depend on other sites, so they match the census of
/// the whole corpus.
///
/// The keys are held in parts (a power of two of them), each key in the part its bits name, so
/// that the parts of one large site can be counted at once on several workers, each in a table
/// small enough for the processor's cache. How many parts there are changes no count.
#[derive(Debug)]
pub(crate) struct SiteTally {
    /// Documents counted.
    docs: u32,
    /// Per block key, in its part: documents holding it, and the last document that did
    /// (numbered from 1), so that a document holding a block twice counts once, without
    /// sorting its keys.
    parts: Vec<HashedKeys<(u32, u32)>>,
}

impl Default for SiteTally {
    /// An empty tally in one part.
    fn default() -> Self {
        SiteTally {
            docs: 0,
            parts: vec![HashedKeys::default()],
        }
    }
}

impl SiteTally {
    /// The tally of a site's documents, each given by its blocks' keys, counted on `workers`
    /// workers at once, with what it knows of every block of those documents: the tally's
    /// parts are each counted by one task, which then looks up the blocks of its part while
    /// its table is still in the processor's cache. (Counted whole and looked up document by
    /// document, a large site's table of several megabytes missed the cache at nearly every
    /// key, twice: 6% of the time of a run over 1 GB.)
    pub(crate) fn count(documents: &[&[u64]], workers: usize) -> SiteCounts {
        use rayon::prelude::*;
        let keys: usize = documents.iter().map(|keys| keys.len()).sum();
        let parts = keys
            .div_ceil(PART_KEYS)
            .clamp(workers.max(1), MOST_PARTS)
            .next_power_of_two();
        let docs = u32::try_from(documents.len()).unwrap_or(u32::MAX);
        // One part reads the documents' keys where they lie: copied into a bucket first, a
        // small site's keys cost 1% more instructions a run for nothing.
        if parts == 1 {
            let (table, block_docs) = count_in_one_part(documents, keys);
            return SiteCounts {
                tally: SiteTally {
                    docs,
                    parts: vec![table],
                },
                block_docs,
            };
        }
        // Each part: its table, and the count of each of its keys, in the documents' order.
        let (tables, found): (Vec<_>, Vec<_>) = into_parts(documents, keys, parts)
            .into_par_iter()
            .map(|bucket| {
                // Sized for the part's keys at once: growing it document by document rehashed
                // it several times a site (1% of the time of a run).
                let mut table = HashedKeys::with_capacity(bucket.len());
                for &(key, document) in &bucket {
                    count_key(&mut table, key, document);
                }
                let found = bucket
                    .iter()
                    .map(|&(key, _)| docs_of(&table, key))
                    .collect();
                (table, found)
            })
            .unzip();
        let block_docs = in_documents_order(documents, keys, parts, found);
        SiteCounts {
            tally: SiteTally {
                docs,
                parts: tables,
            },
            block_docs,
        }
    }

    /// Counts one document holding blocks with these keys.
    #[cfg(test)]
    fn add_document(&mut self, keys: &[u64]) {
        self.docs += 1;
        let parts = self.parts.len();
        for &key in keys {
            count_key(&mut self.parts[tally_part_of(key, parts)], key, self.docs);
        }
    }

    /// Documents counted.
    pub(crate) fn documents(&self) -> u32 {
        self.docs
    }

    /// What the tally knows of each block of a document of its site, as [`Census::lookup`]
    /// tells it.
    pub(crate) fn lookup(&self, keys: &[u64]) -> Vec<SiteRepeat> {
        let parts = self.parts.len();
        keys.iter()
            .map(|&key| SiteRepeat {
                docs: docs_of(&self.parts[tally_part_of(key, parts)], key),
                site_docs: self.docs,
            })
            .collect()
    }
}

/// Keys of a site's documents, at most, for each part of its [`SiteTally`] (unless that takes
/// more than [`MOST_PARTS`]): a part's table, of at most twice as many slots of 16 bytes
/// (256 KiB), stays in the processor's cache while it is counted and looked up.
const PART_KEYS: usize = 8192;

/// The most parts a [`SiteTally`] is counted in (a site of over two million keys has larger
/// tables): each part has a table and a bucket of its own.
const MOST_PARTS: usize = 256;

/// A site's tally, and what it knows of each block of the documents it counted.
pub(crate) struct SiteCounts {
    /// The site's tally, for documents it did not count.
    pub(crate) tally: SiteTally,
    /// For each block of each document counted, documents and blocks in order: the documents
    /// of the site holding it.
    pub(crate) block_docs: Vec<u32>,
}

/// The counts each part found for its keys (`found[part]`, in the documents' order) put back
/// in the order of the documents' keys (`keys` of them).
fn in_documents_order(
    documents: &[&[u64]],
    keys: usize,
    parts: usize,
    found: Vec<Vec<u32>>,
) -> Vec<u32> {
    let mut next = vec![0; parts];
    let mut block_docs = Vec::with_capacity(keys);
    for keys in documents {
        for &key in keys.iter() {
            let part = tally_part_of(key, parts);
            block_docs.push(found[part][next[part]]);
            next[part] += 1;
        }
    }
    block_docs
}

/// A site's tally in one part, counted from `documents` (holding `keys` keys in all), and the
/// count of each of their keys in order.
fn count_in_one_part(documents: &[&[u64]], keys: usize) -> (HashedKeys<(u32, u32)>, Vec<u32>) {
    let mut table = HashedKeys::with_capacity(keys);
    for (document, keys) in (1..).zip(documents) {
        for &key in keys.iter() {
            count_key(&mut table, key, document);
        }
    }
    let mut block_docs = Vec::with_capacity(keys);
    for keys in documents {
        block_docs.extend(keys.iter().map(|&key| docs_of(&table, key)));
    }
    (table, block_docs)
}

/// Counts `key` in `table`, met in document number `document` (from 1, counted in order): a
/// document holding a key twice counts once, without sorting its keys.
#[inline(always)]
fn count_key(table: &mut HashedKeys<(u32, u32)>, key: u64, document: u32) {
    let (count, last) = table.value_mut(key, (0, 0));
    if *last != document {
        *last = document;
        *count += 1;
    }
}

/// The documents that `table` counted holding `key`.
#[inline(always)]
fn docs_of(table: &HashedKeys<(u32, u32)>, key: u64) -> u32 {
    table.get(key).map_or(0, |(count, _)| count)
}

/// The keys of `documents` (`keys` of them) sorted into `parts` buckets by the part of a [`SiteTally`] that
/// holds them, each with the number of its document (from 1), in the documents' order. They
/// take 16 bytes a key while the site is counted: a batch holds at most 128 MiB of text, about
/// two million blocks.
fn into_parts(documents: &[&[u64]], keys: usize, parts: usize) -> Vec<Vec<(u64, u32)>> {
    let mut buckets: Vec<Vec<(u64, u32)>> = (0..parts)
        .map(|_| Vec::with_capacity(keys / parts + keys / parts / 8))
        .collect();
    for (document, keys) in (1..).zip(documents) {
        for &key in keys.iter() {
            buckets[tally_part_of(key, parts)].push((key, document));
        }
    }
    buckets
}

/// The part of a [`SiteTally`] in `parts` parts (a power of two) that holds `key`: named by
/// middle bits of its product with [`FIBONACCI`](crate::hashed_keys::FIBONACCI), which the
/// table of a part, placing keys by the product's top bits, does not read.
#[inline]
fn tally_part_of(key: u64, parts: usize) -> usize {
    (key.wrapping_mul(crate::hashed_keys::FIBONACCI) >> 24) as usize & (parts - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn census_of(docs: &[(&str, &[&str])]) -> Census {
        count_into(Counter::new(), docs)
    }

    fn count_into(mut counter: Counter, docs: &[(&str, &[&str])]) -> Census {
        for (site, blocks) in docs {
            counter.add_document(
                site,
                blocks
                    .iter()
                    .map(|b| (crate::fingerprint::fingerprint(b), *b)),
            );
        }
        counter.finish()
    }

    #[test]
    fn a_site_tally_tells_what_the_census_of_the_corpus_tells() {
        let docs: &[(&str, &[&str])] = &[
            ("a", &["Subscribe now", "One story", "Subscribe now"]),
            ("b", &["Subscribe now", "Other news"]),
            ("a", &["Subscribe now", "Another story"]),
            ("a", &["Posted 3 hours ago", "Yet another"]),
            ("a", &["Posted 5 hours ago"]),
        ];
        let census = census_of(docs);
        let keys = |blocks: &[&str]| -> Vec<u64> {
            blocks
                .iter()
                .map(|b| crate::fingerprint::fingerprint(b))
                .collect()
        };
        for site in ["a", "b"] {
            let mut tally = SiteTally::default();
            for (_, blocks) in docs.iter().filter(|(s, _)| *s == site) {
                tally.add_document(&keys(blocks));
            }
            for (_, blocks) in docs {
                let keys = keys(blocks);
                assert_eq!(
                    tally.lookup(&keys),
                    census.lookup(site, &keys),
                    "{site} {blocks:?}"
                );
            }
        }
    }

    /// Keys alike in their top bits or in their low bits; a tally made empty grows as it
    /// counts.
    #[test]
    fn a_site_tally_counts_keys_alike_in_their_bits() {
        let mut tally = SiteTally::default();
        assert_eq!(
            tally.lookup(&[7]),
            vec![SiteRepeat {
                docs: 0,
                site_docs: 0
            }]
        );
        tally.add_document(&[1, 2, 1, 3]);
        tally.add_document(&[3, 1 << 63, 0]);
        tally.add_document(&[]);
        let many: Vec<u64> = (100..140).collect();
        tally.add_document(&many);
        let docs =
            |repeats: Vec<SiteRepeat>| -> Vec<u32> { repeats.iter().map(|r| r.docs).collect() };
        assert_eq!(
            docs(tally.lookup(&[1, 2, 3, 1 << 63, 0, 4, 100, 139])),
            [1, 1, 2, 1, 1, 0, 1, 1]
        );
        assert_eq!(tally.documents(), 4);
        assert_eq!(tally.lookup(&[5])[0].site_docs, 4);
    }

    /// A site of more keys than a part holds is counted in several parts even on one worker,
    /// and tells what a tally counted document by document tells.
    #[test]
    fn a_large_site_counted_in_parts_tells_what_one_part_tells() {
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Ten documents of 4,000 keys, each key drawn from 20,000 (so that many repeat).
        let pool: Vec<u64> = (0..20_000).map(|_| next()).collect();
        let documents: Vec<Vec<u64>> = (0..10)
            .map(|_| {
                (0..4_000)
                    .map(|_| pool[next() as usize % pool.len()])
                    .collect()
            })
            .collect();
        let keys: Vec<&[u64]> = documents.iter().map(Vec::as_slice).collect();
        let counted = SiteTally::count(&keys, 1);
        assert!(
            counted.tally.parts.len() >= 4,
            "{}",
            counted.tally.parts.len()
        );
        let mut one_part = SiteTally::default();
        for keys in &keys {
            one_part.add_document(keys);
        }
        let expected: Vec<u32> = keys
            .iter()
            .flat_map(|keys| one_part.lookup(keys))
            .map(|repeat| repeat.docs)
            .collect();
        assert_eq!(counted.block_docs, expected);
        assert_eq!(counted.tally.lookup(&pool), one_part.lookup(&pool));
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        /// A tally counts, for each key, the documents holding it at least once, whether
        /// document by document or in any number of parts at once.
        #[test]
        fn a_site_tally_counts_documents_per_key(
            documents in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(vec![0, 1, 2, 3, u64::MAX, 1 << 60, 5 << 60]), 0..12),
                0..20,
            ),
            workers in 0usize..9,
        ) {
            let by_document = documents.iter().fold(SiteTally::default(), |mut tally, keys| {
                tally.add_document(keys);
                tally
            });
            let keys: Vec<&[u64]> = documents.iter().map(Vec::as_slice).collect();
            let counted = SiteTally::count(&keys, workers);
            // What the counts tell of each block of each document is what the tally tells.
            let block_docs: Vec<u32> = documents
                .iter()
                .flat_map(|keys| counted.tally.lookup(keys))
                .map(|repeat| repeat.docs)
                .collect();
            proptest::prop_assert_eq!(&counted.block_docs, &block_docs);
            let in_parts = counted.tally;
            let mut expected: BTreeMap<u64, u32> = BTreeMap::new();
            for keys in &documents {
                let distinct: std::collections::BTreeSet<u64> = keys.iter().copied().collect();
                for key in distinct {
                    *expected.entry(key).or_default() += 1;
                }
            }
            for tally in [by_document, in_parts] {
                for key in [0, 1, 2, 3, 4, u64::MAX, 1 << 60, 5 << 60] {
                    let seen = tally.lookup(&[key])[0];
                    proptest::prop_assert_eq!(seen.docs, expected.get(&key).copied().unwrap_or(0));
                    proptest::prop_assert_eq!(seen.site_docs, documents.len() as u32);
                }
            }
        }
    }

    fn fp(text: &str) -> u64 {
        crate::fingerprint::fingerprint(text)
    }

    #[test]
    fn counts_documents_not_occurrences() {
        let census = census_of(&[
            ("a", &["menu", "menu", "story one"]),
            ("a", &["menu"]),
            ("b", &["menu"]),
        ]);
        let seen = census.lookup("a", &[fp("menu"), fp("story one"), fp("unknown")]);
        assert_eq!(
            seen[0],
            SiteRepeat {
                docs: 2,
                site_docs: 2
            }
        );
        assert_eq!(seen[1].docs, 1);
        assert_eq!(seen[2].docs, 0);
        assert_eq!(census.lookup("b", &[fp("menu")])[0].docs, 1);
        assert_eq!(census.documents(), 3);
    }

    #[test]
    fn a_census_without_exemplars_counts_the_same_and_lists_no_texts() {
        let docs: [(&str, &[&str]); 4] = [
            ("s", &["menu", "story one"]),
            ("s", &["menu", "story two"]),
            ("t", &["footer", "menu"]),
            ("t", &["footer"]),
        ];
        let with = census_of(&docs);
        // Siblings on two threads, as the clean pass counts.
        let counter = Counter::without_exemplars();
        let mut sibling = counter.sibling();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                for (site, blocks) in &docs[..2] {
                    sibling.add_document(site, blocks.iter().map(|b| (fp(b), *b)));
                }
                // Dropped: its window goes into the counts it shares.
            });
        });
        let without = count_into(counter, &docs[2..]);
        assert_eq!(without.sites, with.sites);
        assert_eq!(without.counts, with.counts);
        assert_eq!(with.top(5)[0].blocks, vec![(2, "menu".to_string())]);
        assert!(without.top(5).iter().all(|site| site.blocks.is_empty()));
    }

    #[test]
    fn merging_equals_counting_together() {
        let docs: [(&str, &[&str]); 4] = [
            ("s", &["a", "b"]),
            ("s", &["b", "c"]),
            ("t", &["c", "d"]),
            ("s", &["a", "d"]),
        ];
        let whole = census_of(&docs);
        let mut left = census_of(&docs[..1]);
        let right = census_of(&docs[1..]);
        left.merge(&right);
        assert_eq!(left.sites, whole.sites);
        assert_eq!(left.counts, whole.counts);
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn counts_add_up_like_a_map(
            batches in proptest::collection::vec(
                (
                    proptest::collection::vec((0u64..6, 0u64..40), 0..300),
                    proptest::collection::btree_map((0u64..6, 0u64..40), 1u32..100_000, 0..20),
                ),
                1..6,
            ),
        ) {
            // Keys in six parts (top bits) with few distinct low bits, so that keys repeat and
            // counts cross the packed limit.
            let key = |(part, low): (u64, u64)| (part << 61) | (part << 40) | low;
            let mut model: BTreeMap<u64, u32> = BTreeMap::new();
            let mut merged = Counts::default();
            for (documents, pairs) in &batches {
                let mut counts = Counts::default();
                let mut keys: Vec<u64> = documents.iter().map(|&k| key(k)).collect();
                keys.sort_unstable();
                counts.merge_keys(&mut keys.clone());
                let pairs: Vec<(u64, u32)> = pairs.iter().map(|(&k, &c)| (key(k), c)).collect();
                counts.merge_sorted_pairs(&pairs);
                for &k in &keys {
                    *model.entry(k).or_default() += 1;
                }
                for &(k, c) in &pairs {
                    *model.entry(k).or_default() += c;
                }
                merged.merge_from(&counts);
            }
            let expected: Vec<(u64, u32)> = model.into_iter().collect();
            let got: Vec<(u64, u32)> = merged.iter().collect();
            proptest::prop_assert_eq!(&got, &expected);
            for &(k, count) in &expected {
                proptest::prop_assert_eq!(merged.get(k), count);
            }
            proptest::prop_assert_eq!(merged.get(key((7, 5))), 0);
            let mut copy = Counts::default();
            copy.merge_from(&merged);
            proptest::prop_assert!(copy == merged);
            let read = Counts::from_sorted(expected.len(), expected.iter().copied());
            proptest::prop_assert!(read == merged);
        }
    }

    #[test]
    fn searching_from_any_guess_finds_the_place() {
        let entries: Vec<u64> = (0..50).map(|i| i * 10).collect();
        for target in 0..520 {
            let expected = entries.partition_point(|&e| e < target);
            for guess in 0..60 {
                assert_eq!(search_from(&entries, target, guess), expected);
            }
        }
        assert_eq!(search_from(&[], 5, 3), 0);
    }

    #[test]
    fn merging_is_order_independent() {
        let a = census_of(&[("s", &["a", "b"]), ("s", &["a"])]);
        let b = census_of(&[("s", &["a", "c"]), ("t", &["c"]), ("t", &["c"])]);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab.to_bytes(), ba.to_bytes());
    }

    #[test]
    fn counters_merge_as_censuses_do() {
        let mut a = Counter::new();
        a.add_document("s", [(1, "x"), (2, "y")]);
        a.add_document("s", [(1, "x")]);
        let mut b = Counter::new();
        b.add_document("s", [(1, "x")]);
        a.merge(b);
        let census = a.finish();
        assert_eq!(census.lookup("s", &[1, 2])[0].docs, 3);
        assert_eq!(census.top(5)[0].blocks, vec![(3, "x".to_string())]);
    }

    #[test]
    fn file_round_trip() {
        let census = census_of(&[
            ("example.org", &["Subscribe now", "A story"]),
            ("example.org", &["Subscribe now", "Another story"]),
            ("other.net", &["Menu"]),
        ]);
        let bytes = census.to_bytes();
        let back = Census::from_bytes(&bytes, Path::new("c.census")).unwrap();
        assert_eq!(back, census);
        assert_eq!(
            back.top(3)[0],
            SiteTop {
                site: "example.org".into(),
                documents: 2,
                blocks: vec![(2, "Subscribe now".into())],
            }
        );
        // Compact: well under 16 bytes per distinct block.
        assert!(bytes.len() < 200, "{} bytes", bytes.len());
    }

    #[test]
    fn a_census_of_many_sites_reads_back() {
        // The last exemplars name sites whose index is larger than the bytes left after it.
        let names: Vec<String> = (0..300).map(|i| format!("site-{i:03}")).collect();
        let docs: Vec<(&str, [&str; 2])> = names
            .iter()
            .flat_map(|name| {
                [
                    (name.as_str(), ["Menu", "Story"]),
                    (name.as_str(), ["Menu", "Other"]),
                ]
            })
            .collect();
        let mut counter = Counter::new();
        for (site, blocks) in &docs {
            counter.add_document(
                site,
                blocks
                    .iter()
                    .map(|b| (crate::fingerprint::fingerprint(b), *b)),
            );
        }
        let census = counter.finish();
        let bytes = census.to_bytes();
        let back = Census::from_bytes(&bytes, Path::new("many.census")).unwrap();
        assert_eq!(back, census);
        assert_eq!(back.top(1).len(), 300);
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let census = census_of(&[("s", &["a", "b"]), ("s", &["a"])]);
        let bytes = census.to_bytes();
        let path = Path::new("x.census");
        let message = |bytes: &[u8]| Census::from_bytes(bytes, path).unwrap_err().to_string();
        assert!(message(b"hello world, not a census").contains("not a deboil census file"));
        assert!(message(&bytes[..bytes.len() - 3]).contains("damaged or truncated"));
        assert!(message(&bytes[..10]).contains("truncated"));
        let mut other_version = bytes.clone();
        other_version[8] = 9;
        assert!(message(&other_version).contains("format version 9"));
        let mut flipped = bytes.clone();
        flipped[20] ^= 0xff;
        assert!(message(&flipped).contains("checksum"));
        assert!(message(&[]).contains("not a deboil census file"));
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let census = census_of(&[("s", &["a", "b", "c"]), ("s", &["a", "c"])]);
        let bytes = census.to_bytes();
        for len in 0..bytes.len() {
            assert!(Census::from_bytes(&bytes[..len], Path::new("t")).is_err());
        }
    }

    #[test]
    fn exemplars_are_cut_at_a_char_boundary() {
        let long = "é".repeat(200);
        let short = shorten(&long);
        assert!(short.len() <= EXEMPLAR_BYTES + '…'.len_utf8());
        assert!(short.ends_with('…'));
    }
}
