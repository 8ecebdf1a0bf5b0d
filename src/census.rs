//! The census: in how many documents of each site every block appears.
//!
//! Counting happens in a [`Counter`] (a hash map per worker; counters add up), which
//! [`Counter::finish`] freezes into a [`Census`]: two parallel arrays sorted by key, a 64-bit key
//! and a 32-bit count per distinct (site, block), 12 bytes each. Censuses add up too
//! ([`Census::merge`]), so shards of a corpus can be counted apart, written to files
//! ([`Census::write_file`]) and merged, with the same counts as one run over the whole corpus.
//!
//! A document counts once per block however often it holds it. The key of a block is a keyed
//! hash of its site and its fingerprint ([`site_block_key`]), so one sorted array serves every
//! site. For `deboil census --top`, the census also keeps a short exemplar text of each site's
//! most repeated blocks: the text is taken when a second document of one worker's share holds
//! the block, so a block repeated only across shards is counted right but may have no exemplar.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::classify::SiteRepeat;
use crate::error::{Error, Result};
use crate::fingerprint::{NORMALIZATION_VERSION, site_block_key, site_key};

/// Most exemplar texts kept per site.
pub const EXEMPLARS_PER_SITE: usize = 50;
/// Longest exemplar text kept, in bytes (cut at a character boundary).
pub const EXEMPLAR_BYTES: usize = 120;
/// Blocks longer than this get no exemplar: site furniture is short, and keeping a text for every
/// long paragraph two documents share would cost memory in proportion to the corpus.
pub const EXEMPLAR_SOURCE_BYTES: usize = 200;

/// Counts documents per site and per (site, block) while a corpus is read.
///
/// Block keys are gathered in a buffer and, every [`FLUSH_KEYS`] keys and when counters merge
/// or finish, sorted, run-length counted and merged into sorted arrays: about 12 bytes per
/// distinct block, where a hash map would take several times that.
#[derive(Clone, Debug, Default)]
pub struct Counter {
    sites: FxHashMap<String, u32>,
    /// Counted blocks: keys sorted, with their document counts.
    keys: Vec<u64>,
    counts: Vec<u32>,
    /// Keys of documents added since the last flush (each document's keys distinct).
    pending: Vec<u64>,
    /// Smallest short text seen since the last flush, per key: exemplar candidates.
    candidates: FxHashMap<u64, Exemplar>,
    /// Exemplars of blocks seen in two documents or more within one flush window.
    exemplars: FxHashMap<u64, Exemplar>,
    distinct: Vec<u64>,
}

/// Keys buffered before they are sorted into the counts.
pub const FLUSH_KEYS: usize = 1 << 20;

/// A short text standing for a block, with its site.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Exemplar {
    site: String,
    text: String,
}

impl Counter {
    /// An empty counter.
    pub fn new() -> Self {
        Counter::default()
    }

    /// Counts one document of `site` holding these blocks (fingerprint and text). Short texts
    /// are kept, shortened, as exemplars of blocks that two documents hold.
    pub fn add_document<'t>(
        &mut self,
        site: &str,
        blocks: impl IntoIterator<Item = (u64, &'t str)>,
    ) {
        let site_hash = site_key(site);
        match self.sites.get_mut(site) {
            Some(docs) => *docs += 1,
            None => {
                self.sites.insert(site.to_string(), 1);
            }
        }
        let mut distinct = std::mem::take(&mut self.distinct);
        distinct.clear();
        for (fingerprint, text) in blocks {
            let key = site_block_key(site_hash, fingerprint);
            distinct.push(key);
            if text.len() <= EXEMPLAR_SOURCE_BYTES {
                self.offer_candidate(key, site, text);
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

    /// Keeps the smallest text seen for a key, so the exemplar does not depend on the order
    /// documents come in.
    fn offer_candidate(&mut self, key: u64, site: &str, text: &str) {
        let text = text.trim();
        match self.candidates.get_mut(&key) {
            Some(kept) if kept.text.as_str() <= text => {}
            Some(kept) => kept.text = shorten(text),
            None => {
                self.candidates.insert(
                    key,
                    Exemplar {
                        site: site.to_string(),
                        text: shorten(text),
                    },
                );
            }
        }
    }

    /// Sorts the buffered keys into the counts; candidates held by two documents of the window
    /// become exemplars.
    fn flush(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable();
        let (keys, counts) = run_lengths(&pending);
        drop(pending);
        for (key, exemplar) in self.candidates.drain() {
            let Ok(at) = keys.binary_search(&key) else {
                continue;
            };
            if counts[at] >= 2 {
                match self.exemplars.get_mut(&key) {
                    Some(kept) => keep_smaller(kept, exemplar),
                    None => {
                        self.exemplars.insert(key, exemplar);
                    }
                }
            }
        }
        merge_into(&mut self.keys, &mut self.counts, &keys, &counts);
    }

    /// Ends a window of documents: buffered keys are counted and exemplar candidates decided.
    /// Calling it at fixed points (such as after each chunk of a site's documents) makes the
    /// exemplars independent of how work is spread over threads.
    pub fn end_window(&mut self) {
        self.flush();
    }

    /// Adds another counter's counts to this one.
    pub fn merge(&mut self, mut other: Counter) {
        self.flush();
        other.flush();
        for (site, docs) in other.sites {
            *self.sites.entry(site).or_default() += docs;
        }
        if other.keys.len() > self.keys.len() {
            std::mem::swap(&mut self.keys, &mut other.keys);
            std::mem::swap(&mut self.counts, &mut other.counts);
        }
        merge_into(&mut self.keys, &mut self.counts, &other.keys, &other.counts);
        drop(other.keys);
        drop(other.counts);
        for (key, exemplar) in other.exemplars {
            match self.exemplars.get_mut(&key) {
                Some(kept) => keep_smaller(kept, exemplar),
                None => {
                    self.exemplars.insert(key, exemplar);
                }
            }
        }
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.sites.values().map(|&n| n as u64).sum()
    }

    /// Freezes the counts into a compact, sorted census.
    pub fn finish(mut self) -> Census {
        self.flush();
        let mut census = Census {
            sites: self.sites.into_iter().collect(),
            keys: self.keys,
            counts: self.counts,
            exemplars: self.exemplars.into_iter().collect(),
            site_docs: FxHashMap::default(),
        };
        census.prune_exemplars();
        census.index_sites();
        census
    }
}

/// Counts the runs of equal keys in a sorted slice.
fn run_lengths(sorted: &[u64]) -> (Vec<u64>, Vec<u32>) {
    let mut keys = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    for &key in sorted {
        if keys.last() == Some(&key) {
            let last = counts.last_mut().expect("counts follow keys");
            *last = last.saturating_add(1);
        } else {
            keys.push(key);
            counts.push(1);
        }
    }
    (keys, counts)
}

/// Exemplars of the same block from two shards: keep the smaller, so the result does not depend
/// on which shard came first.
fn keep_smaller(slot: &mut Exemplar, candidate: Exemplar) {
    if candidate < *slot {
        *slot = candidate;
    }
}

fn shorten(text: &str) -> String {
    let text = text.trim();
    if text.len() <= EXEMPLAR_BYTES {
        return text.to_string();
    }
    let mut end = EXEMPLAR_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Document counts per site and per (site, block), frozen and compact.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Census {
    /// Documents per site name.
    sites: BTreeMap<String, u32>,
    /// Keys of (site, block), sorted.
    keys: Vec<u64>,
    /// Documents holding each key.
    counts: Vec<u32>,
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
        fingerprints
            .iter()
            .map(|&fingerprint| SiteRepeat {
                docs: self.count(site_block_key(site_hash, fingerprint)),
                site_docs,
            })
            .collect()
    }

    fn count(&self, key: u64) -> u32 {
        self.keys
            .binary_search(&key)
            .map_or(0, |at| self.counts[at])
    }

    /// Adds another census's counts to this one.
    pub fn merge(&mut self, other: &Census) {
        for (site, docs) in &other.sites {
            *self.sites.entry(site.clone()).or_default() += docs;
        }
        merge_into(&mut self.keys, &mut self.counts, &other.keys, &other.counts);
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
        self.keys.len()
    }

    /// Sites counted, with their documents, by name.
    pub fn sites(&self) -> impl Iterator<Item = (&str, u32)> {
        self.sites.iter().map(|(name, &docs)| (name.as_str(), docs))
    }

    /// Bytes the counts take in memory: 12 per distinct block, plus sites and exemplars.
    pub fn memory_bytes(&self) -> usize {
        self.keys.capacity() * 8
            + self.counts.capacity() * 4
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

/// Merges the key-sorted arrays `right` into `keys`/`counts` in place, adding the counts of keys
/// both hold. The left arrays grow by the right's length and are filled from the back, so the
/// merge needs no second copy of the left side (the bulk of a census).
fn merge_into(
    keys: &mut Vec<u64>,
    counts: &mut Vec<u32>,
    right_keys: &[u64],
    right_counts: &[u32],
) {
    if right_keys.is_empty() {
        return;
    }
    let left_len = keys.len();
    let total = left_len + right_keys.len();
    // Grow by a quarter at least, not double: the arrays are most of the census's memory.
    let headroom = right_keys.len().max(left_len / 4);
    if keys.capacity() < total {
        keys.reserve_exact(headroom);
        counts.reserve_exact(headroom);
    }
    keys.resize(total, 0);
    counts.resize(total, 0);
    // Fill from the back: positions at and after `write` are done.
    let (mut i, mut j, mut write) = (left_len, right_keys.len(), total);
    while j > 0 {
        write -= 1;
        if i > 0 && keys[i - 1] > right_keys[j - 1] {
            i -= 1;
            keys[write] = keys[i];
            counts[write] = counts[i];
        } else if i > 0 && keys[i - 1] == right_keys[j - 1] {
            i -= 1;
            j -= 1;
            keys[write] = keys[i];
            counts[write] = counts[i].saturating_add(right_counts[j]);
        } else {
            j -= 1;
            keys[write] = right_keys[j];
            counts[write] = right_counts[j];
        }
    }
    // Left entries before `i` are already in place; the shared keys left a gap between them and
    // the merged tail: close it.
    let gap = write - i;
    if gap > 0 {
        keys.copy_within(write..total, i);
        counts.copy_within(write..total, i);
        keys.truncate(total - gap);
        counts.truncate(total - gap);
    }
}

/// Merges two key-sorted count arrays, adding the counts of keys both hold.
#[cfg(test)]
fn merge_sorted(
    left_keys: &[u64],
    left_counts: &[u32],
    right_keys: &[u64],
    right_counts: &[u32],
) -> (Vec<u64>, Vec<u32>) {
    let mut keys = Vec::with_capacity(left_keys.len() + right_keys.len());
    let mut counts = Vec::with_capacity(keys.capacity());
    let (mut i, mut j) = (0, 0);
    while i < left_keys.len() || j < right_keys.len() {
        let take_left =
            j >= right_keys.len() || (i < left_keys.len() && left_keys[i] <= right_keys[j]);
        let take_right =
            i >= left_keys.len() || (j < right_keys.len() && right_keys[j] <= left_keys[i]);
        let key = if take_left {
            left_keys[i]
        } else {
            right_keys[j]
        };
        let mut count = 0u32;
        if take_left {
            count = count.saturating_add(left_counts[i]);
            i += 1;
        }
        if take_right {
            count = count.saturating_add(right_counts[j]);
            j += 1;
        }
        keys.push(key);
        counts.push(count);
    }
    keys.shrink_to_fit();
    counts.shrink_to_fit();
    (keys, counts)
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
        let mut out = Vec::with_capacity(32 + self.keys.len() * 9);
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
        out.varint(self.keys.len() as u64)?;
        let mut previous = 0u64;
        for (&key, &count) in self.keys.iter().zip(&self.counts) {
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
    let mut keys = Vec::with_capacity(block_count);
    let mut counts = Vec::with_capacity(block_count);
    let mut key = 0u64;
    for i in 0..block_count {
        let delta = reader.varint()?;
        if i > 0 && delta == 0 {
            return Err(reader.at);
        }
        key = key.checked_add(delta).ok_or(reader.at)?;
        keys.push(key);
        counts.push(reader.count()?);
    }
    let exemplar_count = reader.length()?;
    let mut exemplars = BTreeMap::new();
    let mut key = 0u64;
    for _ in 0..exemplar_count {
        key = key.checked_add(reader.varint()?).ok_or(reader.at)?;
        let site = site_names.get(reader.length()?).ok_or(reader.at)?.clone();
        let text = reader.string()?;
        exemplars.insert(key, Exemplar { site, text });
    }
    if reader.at != reader.bytes.len() {
        return Err(reader.at);
    }
    let mut census = Census {
        sites,
        keys,
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
        let mut bytes = Vec::with_capacity(10);
        put_varint(&mut bytes, value);
        self.put(&bytes)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn census_of(docs: &[(&str, &[&str])]) -> Census {
        let mut counter = Counter::new();
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
        assert_eq!(left.keys, whole.keys);
        assert_eq!(left.counts, whole.counts);
    }

    proptest::proptest! {
        // Failures are kept as named tests, not as seed files at the top of the repository.
        #![proptest_config(proptest::test_runner::Config {
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        #[test]
        fn merging_in_place_equals_merging_into_a_copy(
            left in proptest::collection::btree_map(0u64..200, 1u32..5, 0..50),
            right in proptest::collection::btree_map(0u64..200, 1u32..5, 0..50),
        ) {
            let (lk, lc): (Vec<u64>, Vec<u32>) = left.into_iter().unzip();
            let (rk, rc): (Vec<u64>, Vec<u32>) = right.into_iter().unzip();
            let expected = merge_sorted(&lk, &lc, &rk, &rc);
            let (mut keys, mut counts) = (lk, lc);
            merge_into(&mut keys, &mut counts, &rk, &rc);
            proptest::prop_assert_eq!((keys, counts), expected);
        }
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
