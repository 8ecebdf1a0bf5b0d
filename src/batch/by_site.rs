//! The one-pass run, for a corpus of plain-text files: a batch of whole sites at a time, every
//! document is read, cut into blocks and fingerprinted once, its site's census is counted from
//! the batch, and the documents are judged with it while they are still in memory.
//!
//! The census of a site depends on that site's documents alone, so counting it from the batch
//! that holds all of them gives the counts a census of the whole corpus gives, and the same
//! output. A plain-text file's site is the folder that holds it, known before it is read; a
//! JSON Lines, WARC or HTML document may name its own site (its URL's host), so runs with such
//! inputs count the whole corpus first (see [`super::count_census_with`]).
//!
//! Memory holds one batch: a few hundred documents, or one site's, and the next batch's bytes,
//! read while it is cleaned (see [`read_ahead`]). A batch whose documents and blocks come to
//! more than [`BATCH_BYTES`] is not held: its sites are counted and then read again to clean,
//! as the two-pass run does.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{
    Destination, Job, Outcome, STDOUT_CHUNK, Summary, TextProblem, Whole, can_be_counted,
    checked_text, clean_one, count_census_with, outcome, report_text_problems, whole_or_report,
    without_utf8_bom,
};
use crate::Prepared;
use crate::census::{Counter, SiteCounts, SiteTally};
use crate::classify::SiteRepeat;
use crate::documents;
use crate::read::{self, Compression, Format, Raw, Source};

/// Bytes one batch may hold (documents and their blocks); a larger batch is read twice
/// instead.
pub(super) const BATCH_BYTES: u64 = 128 << 20;

/// Whether a run that counts its census can count it a batch of sites at a time: every input
/// is a plain-text file, whose site is its folder.
pub(super) fn applies(sources: &[Source], format: Option<Format>) -> bool {
    sources
        .iter()
        .all(|s| matches!(s, Source::File(_)) && Format::of(s, format) == Format::Text)
}

/// The inputs cut into batches: runs of consecutive inputs of at least [`STDOUT_CHUNK`] inputs
/// (but the last) that hold every input of their sites.
pub(super) fn batches(sources: &[Source]) -> Vec<Range<usize>> {
    let mut last_of_site: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, source) in sources.iter().enumerate() {
        last_of_site.insert(source.site(), i);
    }
    let mut batches = Vec::new();
    let mut start = 0;
    let mut end = 0;
    for (i, source) in sources.iter().enumerate() {
        end = end.max(last_of_site[source.site()]);
        if i == end && (i + 1 - start >= STDOUT_CHUNK || i + 1 == sources.len()) {
            batches.push(start..i + 1);
            start = i + 1;
        }
    }
    batches
}

/// What cleans one batch of a run (see [`cleaning_ahead`]): given the range of the run's inputs
/// it holds and which of them are wanted, each input's outcome and the documents its census
/// counted, as [`clean_batch`] gives them.
pub(super) type CleanBatch<'a> = dyn Fn(Range<usize>, &(dyn Fn(usize) -> bool + Sync)) -> (Vec<Option<Outcome>>, u64)
    + Sync
    + 'a;

/// Runs `run` with a way to clean each batch of `sources` (`batches`, asked for in order), each
/// batch's inputs read while the one before is cleaned (see [`read_ahead`]).
pub(super) fn cleaning_ahead<R>(
    job: &Job<'_>,
    sources: &[Source],
    batches: &[Range<usize>],
    run: impl FnOnce(&CleanBatch<'_>) -> R,
) -> R {
    let max_doc_bytes = job.cleaner.config().max_doc_bytes();
    read_ahead(sources, batches, max_doc_bytes, |read| {
        run(&|batch, wanted| clean_batch(job, &sources[batch.clone()], wanted, read(batch)))
    })
}

/// Runs `run` with a way to get each batch's inputs read (see [`clean_batch`]): they are read
/// on a thread of their own, each batch while the one before is cleaned, so that a corpus that
/// is not in the operating system's cache is read from the disk while the workers judge the
/// text already read, rather than with every worker waiting on the disk at the start of each
/// batch. The reader runs one batch ahead at most: memory holds the batch being cleaned and
/// the next one. `batches` are the ranges of `sources` the batches hold, in the order `run`
/// asks for them; a batch asked for out of that order is read when asked.
fn read_ahead<R>(
    sources: &[Source],
    batches: &[Range<usize>],
    max_doc_bytes: u64,
    run: impl FnOnce(&(dyn Fn(Range<usize>) -> Loaded + Sync)) -> R,
) -> R {
    std::thread::scope(|scope| {
        // No room in the channel: the reader waits with the next batch read until it is asked
        // for, and reads the one after only then.
        let (sender, receiver) = std::sync::mpsc::sync_channel(0);
        scope.spawn(move || {
            for batch in batches {
                let loaded = load_batch(&sources[batch.clone()], max_doc_bytes, BATCH_BYTES);
                // Sending fails once `run` is over (it may stop early, at a closed pipe).
                if sender.send((batch.clone(), loaded)).is_err() {
                    break;
                }
            }
        });
        let receiver = std::sync::Mutex::new(receiver);
        let next = |batch: Range<usize>| {
            let read = receiver.lock().ok().and_then(|r| r.recv().ok());
            match read {
                Some((read, loaded)) if read == batch => loaded,
                _ => load_batch(&sources[batch], max_doc_bytes, BATCH_BYTES),
            }
        };
        let result = run(&next);
        // The reader's next send fails now, and it ends (the scope waits for it).
        drop(receiver);
        result
    })
}

/// The inputs of a batch read (see [`load_batch`]).
struct Loaded {
    /// Each input's bytes or the problem reading it, in order; `None` when the batch holds
    /// more than its budget.
    loads: Option<Vec<crate::Result<Raw>>>,
    /// What is left of the batch's budget, for its blocks.
    budget: Budget,
}

/// Reads every input of a batch whole, unless they hold more than `budget` bytes: reading
/// stops once an input spends it. [`READERS`] threads read at once: a disk (or a network file
/// system) serves several requests at a time faster than one after another, and the threads
/// mostly wait on it.
fn load_batch(sources: &[Source], max_doc_bytes: u64, budget: u64) -> Loaded {
    let budget = Budget {
        left: AtomicI64::new(i64::try_from(budget).unwrap_or(i64::MAX)),
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let read_some = || {
        let mut read = Vec::new();
        while !budget.is_spent() {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(source) = sources.get(i) else { break };
            let raw = read::load_bytes(source, max_doc_bytes, Compression::of(source));
            let size = match &raw {
                Ok(Raw::Bytes { bytes, .. }) => bytes.len(),
                _ => 0,
            };
            budget.take(size);
            read.push((i, raw));
        }
        read
    };
    let readers = READERS.min(sources.len()).max(1);
    let mut read: Vec<(usize, crate::Result<Raw>)> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..readers).map(|_| scope.spawn(read_some)).collect();
        let mut read = read_some();
        for helper in helpers {
            // A reader that panicked leaves its inputs out: the batch is then read again.
            read.extend(helper.join().unwrap_or_default());
        }
        read
    });
    if budget.is_spent() || read.len() != sources.len() {
        return Loaded {
            loads: None,
            budget,
        };
    }
    read.sort_unstable_by_key(|&(i, _)| i);
    Loaded {
        loads: Some(read.into_iter().map(|(_, raw)| raw).collect()),
        budget,
    }
}

/// Threads that read a batch's inputs at once (see [`load_batch`]).
const READERS: usize = 4;

/// Cleans the inputs of one batch (those `wanted`; the others are counted only), read already
/// (`loaded`, see [`read_ahead`]), in parallel. Returns each input's outcome, `None` for one
/// not wanted or not cleaned (its problem reported), and the documents the batch's census
/// counted.
fn clean_batch(
    job: &Job<'_>,
    sources: &[Source],
    wanted: &(dyn Fn(usize) -> bool + Sync),
    loaded: Loaded,
) -> (Vec<Option<Outcome>>, u64) {
    let Loaded { loads, budget } = loaded;
    let Some(loads) = loads else {
        return clean_batch_twice(job, sources, wanted);
    };
    let wholes = wholes_of(job, sources, loads, wanted);
    let Some(pages) = read_pages(job, sources, &wholes, wanted, &budget) else {
        drop(wholes);
        return clean_batch_twice(job, sources, wanted);
    };
    let census = BatchCensus::count(sources, &pages);
    let census_documents = census.documents();
    let outcomes = clean_pages(job, sources, &wholes, pages, &census, wanted);
    (outcomes, census_documents)
}

/// The bytes a batch may still hold.
struct Budget {
    left: AtomicI64,
}

impl Budget {
    /// Takes `bytes` from the budget; false once it is spent.
    fn take(&self, bytes: usize) -> bool {
        let bytes = i64::try_from(bytes).unwrap_or(i64::MAX);
        self.left.fetch_sub(bytes, Ordering::Relaxed) >= bytes
    }

    fn is_spent(&self) -> bool {
        self.left.load(Ordering::Relaxed) < 0
    }
}

/// Each input of the batch read whole, from what reading it gave (`loads`); one that could not
/// be read is reported if it is `wanted`.
fn wholes_of(
    job: &Job<'_>,
    sources: &[Source],
    loads: Vec<crate::Result<Raw>>,
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Option<Whole>> {
    sources
        .iter()
        .zip(loads)
        .enumerate()
        .map(|(i, (source, raw))| match raw {
            Ok(Raw::Bytes { bytes, fault }) => Some(Whole { bytes, fault }),
            raw if wanted(i) => whole_or_report(job, source, raw),
            _ => None,
        })
        .collect()
}

/// The page of every input read, in parallel, or `None` when their blocks take more than is
/// left of the budget: a page of many short lines holds more in its blocks than in its text.
fn read_pages<'w>(
    job: &Job<'_>,
    sources: &[Source],
    wholes: &'w [Option<Whole>],
    wanted: &(dyn Fn(usize) -> bool + Sync),
    budget: &Budget,
) -> Option<Vec<Option<Page<'w>>>> {
    let pages: Vec<Option<Page<'w>>> = sources
        .par_iter()
        .zip(wholes)
        .enumerate()
        .map(|(i, (source, whole))| {
            // Once the budget is spent, nothing more is prepared.
            if budget.is_spent() {
                return None;
            }
            let page = Page::of(job, source, whole.as_ref()?, wanted(i))?;
            budget.take(page.heap_bytes());
            Some(page)
        })
        .collect();
    (!budget.is_spent()).then_some(pages)
}

/// Cleans the pages of the inputs `wanted`, in parallel, with their sites' census: each
/// input's outcome, its problems reported.
fn clean_pages(
    job: &Job<'_>,
    sources: &[Source],
    wholes: &[Option<Whole>],
    pages: Vec<Option<Page<'_>>>,
    census: &BatchCensus<'_>,
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> Vec<Option<Outcome>> {
    sources
        .par_iter()
        .zip(wholes)
        .zip(pages)
        .enumerate()
        .map(|(i, ((source, whole), page))| {
            let (whole, page) = (whole.as_ref()?, page?);
            if !wanted(i) {
                return None;
            }
            let mut summary = Summary::default();
            report_text_problems(job, source, page.problems, &mut summary);
            let prepared = page.prepared?;
            let repeats = census.repeats(i, source, &prepared.fingerprints);
            let result =
                documents::clean_prepared(job.cleaner, &job.settings, &prepared, Some(&repeats));
            let bytes_in = without_utf8_bom(&whole.bytes).len();
            let fault = whole.fault.clone();
            Some(outcome(job, source, bytes_in, fault, result, summary))
        })
        .collect()
}

/// One document of a batch, read and checked: what the census counts of it and what
/// cleaning it needs.
struct Page<'a> {
    /// The document as cleaning reads it: `None` for binary data, which is not cleaned.
    prepared: Option<Prepared<'a>>,
    /// The keys the census counts the document by, when it counts the document (see
    /// [`can_be_counted`]).
    census_keys: Option<CensusKeys>,
    /// The problems met reading it as text, reported when it is cleaned.
    problems: Vec<TextProblem>,
}

/// The keys the census counts a document by: its blocks' fingerprints, or other keys when
/// the census reads other text than cleaning does.
enum CensusKeys {
    /// The fingerprints of the prepared document.
    Prepared,
    /// Keys of their own.
    Own(Vec<u64>),
}

impl<'a> Page<'a> {
    /// The keys the census counts the page by, if it is counted.
    fn counted_keys(&self) -> Option<&[u64]> {
        match self.census_keys.as_ref()? {
            CensusKeys::Own(keys) => Some(keys),
            CensusKeys::Prepared => Some(&self.prepared.as_ref()?.fingerprints),
        }
    }

    /// The page of `whole`, an input's bytes; its problems are reported when it is `wanted`.
    fn of(job: &Job<'_>, source: &Source, whole: &'a Whole, wanted: bool) -> Option<Page<'a>> {
        let (text, problems) = if wanted {
            checked_text(&whole.bytes)
        } else {
            (None, Vec::new())
        };
        let prepared = text.map(|text| job.cleaner.prepare(text));
        let census_keys = can_be_counted(source).then(|| census_keys(job, whole, &prepared));
        let page = Page {
            prepared,
            census_keys,
            problems,
        };
        // A binary page is reported even when the census does not count it.
        (page.prepared.is_some() || page.census_keys.is_some() || !page.problems.is_empty())
            .then_some(page)
    }

    /// Bytes the page holds besides the input's: its blocks, their keys, and its text when
    /// it is a repaired copy.
    fn heap_bytes(&self) -> usize {
        let prepared = self.prepared.as_ref().map_or(0, |p| {
            let text = match &p.doc.text {
                std::borrow::Cow::Owned(text) => text.len(),
                std::borrow::Cow::Borrowed(_) => 0,
            };
            p.doc.blocks.len() * std::mem::size_of::<crate::segment::Block>()
                + p.fingerprints.len() * 8
                + text
        });
        let own_keys = match &self.census_keys {
            Some(CensusKeys::Own(keys)) => keys.len() * 8,
            _ => 0,
        };
        prepared + own_keys
    }
}

/// The keys the census pass counts a document by: the fingerprints of the blocks of the text
/// of all its bytes, read leniently (see [`crate::documents::count_file`]). Cleaning reads
/// the same text when the bytes are UTF-8 without a byte order mark, nearly always; then its
/// fingerprints serve.
fn census_keys(job: &Job<'_>, whole: &Whole, prepared: &Option<Prepared<'_>>) -> CensusKeys {
    let read_alike = prepared.as_ref().is_some_and(|p| {
        matches!(&p.doc.text, std::borrow::Cow::Borrowed(text) if text.len() == whole.bytes.len())
    });
    if read_alike {
        CensusKeys::Prepared
    } else {
        CensusKeys::Own(job.cleaner.fingerprints(&read::text_lossy(&whole.bytes)))
    }
}

/// The census of a batch's sites, counted from their documents, and where each document's
/// blocks are found in it.
struct BatchCensus<'s> {
    /// Each site's counts.
    sites: FxHashMap<&'s str, SiteCounts>,
    /// For each input counted by the fingerprints it is cleaned with, where the counts of its
    /// blocks start in its site's [`SiteCounts::block_docs`].
    found_at: Vec<Option<usize>>,
}

impl<'s> BatchCensus<'s> {
    /// Counts the census of the pages of `sources`, each site's documents in input order (a
    /// file given twice is counted once), each site on every worker.
    fn count(sources: &'s [Source], pages: &[Option<Page<'_>>]) -> Self {
        let mut seen: HashSet<&Path> = HashSet::new();
        let mut found_at = vec![None; sources.len()];
        let mut documents_of_site: FxHashMap<&str, (Vec<&[u64]>, usize)> = FxHashMap::default();
        for (i, (source, page)) in sources.iter().zip(pages).enumerate() {
            let Source::File(file) = source else {
                continue;
            };
            let Some(page) = page else {
                continue;
            };
            let Some(keys) = page.counted_keys() else {
                continue;
            };
            if !seen.insert(&file.path) {
                continue;
            }
            let (documents, blocks) = documents_of_site.entry(source.site()).or_default();
            if matches!(page.census_keys, Some(CensusKeys::Prepared)) {
                found_at[i] = Some(*blocks);
            }
            documents.push(keys);
            *blocks += keys.len();
        }
        let workers = rayon::current_num_threads();
        let sites = documents_of_site
            .into_par_iter()
            .map(|(site, (documents, _))| (site, SiteTally::count(&documents, workers)))
            .collect();
        BatchCensus { sites, found_at }
    }

    /// Documents counted.
    fn documents(&self) -> u64 {
        let documents = |counts: &SiteCounts| u64::from(counts.tally.documents());
        self.sites.values().map(documents).sum()
    }

    /// What the census knows of each block of input `i`, `source`, whose blocks have these
    /// `fingerprints`. A site none of whose files could be counted (a pipe given by name) has
    /// a census all the same: an empty one.
    fn repeats(&self, i: usize, source: &Source, fingerprints: &[u64]) -> Vec<SiteRepeat> {
        let Some(counts) = self.sites.get(source.site()) else {
            return vec![SiteRepeat::default(); fingerprints.len()];
        };
        match self.found_at[i] {
            Some(at) => {
                let site_docs = counts.tally.documents();
                let block_docs = &counts.block_docs[at..at + fingerprints.len()];
                let repeat = |&docs: &u32| SiteRepeat { docs, site_docs };
                block_docs.iter().map(repeat).collect()
            }
            None => counts.tally.lookup(fingerprints),
        }
    }
}

/// [`clean_batch`] for a batch too large to hold: its census counted first, each input then
/// read again to clean.
fn clean_batch_twice(
    job: &Job<'_>,
    sources: &[Source],
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> (Vec<Option<Outcome>>, u64) {
    let census = count_census_with(
        Counter::without_exemplars(),
        can_be_counted,
        job.cleaner,
        sources,
        job.format,
        &job.settings,
    );
    let job = Job {
        census: Some(&census),
        ..*job
    };
    let outcomes = sources
        .par_iter()
        .enumerate()
        .map(|(i, source)| wanted(i).then(|| clean_one(&job, source)).flatten())
        .collect();
    (outcomes, census.documents())
}

/// The destination of each input, in input order (`destinations` follows the inputs' order,
/// leaving some out).
pub(super) fn destinations_by_input<'d, 's>(
    sources: &'s [Source],
    destinations: &'d [Destination<'s>],
) -> Vec<Option<&'d Destination<'s>>> {
    let mut next = destinations.iter().peekable();
    sources
        .iter()
        .map(|source| next.next_if(|d| std::ptr::eq(d.source, source)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::FileSource;
    use crate::{Cleaner, Config};

    fn file(site: &str, name: &str) -> Source {
        Source::File(FileSource {
            path: format!("{site}/{name}").into(),
            relative: name.into(),
            site: site.to_string(),
            read_once: false,
        })
    }

    #[test]
    fn a_batch_holds_every_input_of_its_sites() {
        // Site "a" comes back after "b": the three go together.
        let sources = [
            file("a", "1"),
            file("b", "1"),
            file("a", "2"),
            file("c", "1"),
        ];
        assert_eq!(batches(&sources[..3]), vec![(0..3)]);
        assert_eq!(batches(&sources), vec![(0..4)]);
    }

    #[test]
    fn batches_hold_a_chunk_of_inputs_or_more() {
        let sources: Vec<Source> = (0..STDOUT_CHUNK * 2 + 10)
            .map(|i| file(&format!("site{}", i / 100), "page"))
            .collect();
        // Sites of 100 inputs: a batch ends at the first site end at or after a chunk.
        assert_eq!(batches(&sources), [0..300, 300..522]);
        let one_site: Vec<Source> = (0..STDOUT_CHUNK * 3).map(|_| file("s", "p")).collect();
        assert_eq!(batches(&one_site), vec![(0..STDOUT_CHUNK * 3)]);
    }

    /// Pages of distinct texts in a folder of their own, the last one missing (named but never
    /// written): their sources, in order.
    fn numbered_pages(dir: &std::path::Path, pages: usize) -> Vec<Source> {
        (0..pages)
            .map(|i| {
                let path = dir.join(format!("{i:03}.txt"));
                if i + 1 < pages {
                    std::fs::write(&path, format!("page {i}\n")).unwrap();
                }
                Source::File(FileSource {
                    path,
                    relative: format!("{i:03}.txt").into(),
                    site: "s".to_string(),
                    read_once: false,
                })
            })
            .collect()
    }

    /// The text each load read, or "error" where it failed.
    fn texts(loaded: &Loaded) -> Option<Vec<String>> {
        let text = |raw: &crate::Result<Raw>| match raw {
            Ok(Raw::Bytes { bytes, .. }) => String::from_utf8_lossy(bytes).into_owned(),
            _ => "error".to_string(),
        };
        Some(loaded.loads.as_ref()?.iter().map(text).collect())
    }

    /// Read by several threads at once, a batch's inputs come back in their order, one that
    /// cannot be read in its place; over the budget, nothing is held.
    #[test]
    fn a_batch_is_read_in_order_by_several_readers() {
        let dir = tempfile::tempdir().unwrap();
        let sources = numbered_pages(dir.path(), 40);
        let mut expected: Vec<String> = (0..39).map(|i| format!("page {i}\n")).collect();
        expected.push("error".to_string());
        let loaded = load_batch(&sources, u64::MAX, u64::MAX);
        assert_eq!(texts(&loaded), Some(expected));
        // 39 pages of 7 or 8 bytes: 200 bytes are spent before the end.
        assert_eq!(texts(&load_batch(&sources, u64::MAX, 200)), None);
        assert!(texts(&load_batch(&sources, u64::MAX, 1_000)).is_some());
    }

    /// Each batch asked for is the batch read, in order or not.
    #[test]
    fn batches_read_ahead_are_the_batches_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let sources = numbered_pages(dir.path(), 30);
        let batches = [0..10, 10..20, 20..30];
        let alone: Vec<_> = batches
            .iter()
            .map(|b| texts(&load_batch(&sources[b.clone()], u64::MAX, u64::MAX)))
            .collect();
        let ahead: Vec<_> = read_ahead(&sources, &batches, u64::MAX, |read| {
            batches.iter().map(|b| texts(&read(b.clone()))).collect()
        });
        assert_eq!(ahead, alone);
        let reversed: Vec<_> = read_ahead(&sources, &batches, u64::MAX, |read| {
            batches
                .iter()
                .rev()
                .map(|b| texts(&read(b.clone())))
                .collect()
        });
        assert_eq!(reversed, alone.into_iter().rev().collect::<Vec<_>>());
        // A run that stops early ends the reader too.
        read_ahead(&sources, &batches, u64::MAX, |read| drop(read(0..10)));
    }

    /// A batch over its budget is read twice, and cleans alike, its problems told once.
    #[test]
    fn a_batch_too_large_to_hold_cleans_alike() {
        let dir = tempfile::tempdir().unwrap();
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/census");
        let mut text_bytes = 0;
        for site in ["harbour-news", "valley-gazette"] {
            std::fs::create_dir(dir.path().join(site)).unwrap();
            for entry in std::fs::read_dir(fixtures.join(site)).unwrap() {
                let path = entry.unwrap().path();
                let copy = dir.path().join(site).join(path.file_name().unwrap());
                text_bytes += std::fs::copy(&path, copy).unwrap();
            }
        }
        let odd = dir.path().join("harbour-news");
        std::fs::write(odd.join("binary.txt"), b"\x89PNG\0\0").unwrap();
        std::fs::write(odd.join("latin-1.txt"), b"Caf\xE9 menu\n").unwrap();
        let (sources, _) = read::discover(&[dir.path().to_path_buf()]);
        assert_eq!(sources.len(), 9);
        let cleaner = Cleaner::new(Config::default());
        let run = |budget: u64, wanted: &(dyn Fn(usize) -> bool + Sync)| {
            let told = std::sync::Mutex::new(Vec::new());
            let report = |problem: &super::super::Problem| {
                told.lock().unwrap().push(problem.error.to_string());
            };
            let job = Job {
                cleaner: &cleaner,
                census: None,
                settings: documents::Settings::default(),
                format: None,
                report: &report,
                progress: &|_| {},
                attributes: None,
            };
            let max_doc_bytes = cleaner.config().max_doc_bytes();
            let loaded = load_batch(&sources, max_doc_bytes, budget);
            let (outcomes, counted) = clean_batch(&job, &sources, wanted, loaded);
            let outcomes: Vec<Option<(Vec<u8>, Summary)>> = outcomes
                .into_iter()
                .map(|o| o.map(|o| (o.bytes, o.summary)))
                .collect();
            let mut told = told.into_inner().unwrap();
            told.sort();
            (outcomes, counted, told)
        };
        let held = run(u64::MAX, &|_| true);
        assert_eq!(held.1, sources.len() as u64);
        assert_eq!(held.0.iter().filter(|o| o.is_some()).count(), 8);
        assert_eq!(held.2.len(), 2, "{:?}", held.2);
        // Read twice at once, and after the texts were held but their blocks were not.
        assert_eq!(run(0, &|_| true), held);
        assert_eq!(run(text_bytes + 20, &|_| true), held);
        // Inputs not wanted are counted all the same.
        let odd = |i: usize| i % 2 == 1;
        let some = run(u64::MAX, &odd);
        assert_eq!(some.1, held.1);
        for (i, outcome) in some.0.iter().enumerate() {
            assert_eq!(outcome, if odd(i) { &held.0[i] } else { &None });
        }
        assert_eq!(run(0, &odd), some);
    }
}
