//! The decisions that need neighbours: repeats inside the document, navigation runs, the main
//! content region, and short blocks judged by what surrounds them.

use super::lexicon::Category;
use super::{Features, Local, Reason};
use crate::hashed_keys::{FIBONACCI, HashedKeys};
use crate::segment::Segmented;

/// Blocks the document holds more than once. A repeat is boilerplate everywhere when its run of
/// consecutive repeated blocks holds boilerplate or a bare label (a donation box pasted twice);
/// otherwise the later copies are marked as repeats (a pull quote repeating a paragraph).
///
/// `keys[i]` is block `i`'s key as a repeat (its fingerprint, or with its digits too), numbered
/// below `numbered` (see [`KeyNumbers`]), so that repeats are counted in a vector.
/// Returns the later copies that read as prose: [`decide`] keeps those that lie inside the
/// article (a page that prints its article twice prints article text twice). Returns `None`,
/// leaving the labels alone, when no block repeats: then none of these blocks repeats either.
pub(crate) fn apply_document_repeats(
    keys: &[u32],
    numbered: usize,
    features: &[Features],
    labels: &mut [Local],
) -> Option<Vec<usize>> {
    let mut each = vec![KeySeen::default(); numbered];
    let mut any_repeat = false;
    for (&key, _) in keys.iter().zip(features).filter(|(_, f)| f.words > 0) {
        let seen = &mut each[key as usize];
        seen.count += 1;
        any_repeat |= seen.count >= 2;
    }
    if !any_repeat {
        return None;
    }
    // Each block's count looked up once: the runs and the copies below ask again and again.
    let repeats: Vec<bool> = keys
        .iter()
        .zip(features)
        .map(|(&key, f)| f.words > 0 && each[key as usize].count >= 2)
        .collect();
    let repeated = |i: usize| repeats[i];
    let mut i = 0;
    while i < labels.len() {
        if !repeated(i) {
            i += 1;
            continue;
        }
        let start = i;
        while i < labels.len() && repeated(i) {
            i += 1;
        }
        let run = start..i;
        if is_boilerplate_run(run.clone(), features, labels) {
            for j in run {
                each[keys[j] as usize].tainted = true;
            }
        }
    }
    let mut prose_copies = Vec::new();
    for (i, label) in labels.iter_mut().enumerate() {
        if !repeated(i) {
            continue;
        }
        let key = &mut each[keys[i] as usize];
        let first = !std::mem::replace(&mut key.met, true);
        if key.tainted {
            if !matches!(label, Local::Boilerplate(_)) {
                *label = Local::Boilerplate(Reason::RepeatedInDocument);
            }
        } else if !first {
            if *label == Local::Prose {
                prose_copies.push(i);
            }
            *label = Local::Boilerplate(Reason::RepeatedInDocument);
        }
    }
    Some(prose_copies)
}

/// What [`apply_document_repeats`] knows of one key.
#[derive(Clone, Copy, Default)]
struct KeySeen {
    /// Blocks with words that hold it.
    count: u32,
    /// Whether a run of repeats that is boilerplate holds it.
    tainted: bool,
    /// Whether a block holding it was met already, walking the document in order.
    met: bool,
}

/// Numbers keys 0, 1, 2 … in the order they are first met: two keys get the same number exactly
/// when they are equal, so that what is counted per key can be counted in a vector.
pub(crate) struct KeyNumbers {
    numbers: HashedKeys<u32>,
}

impl KeyNumbers {
    /// Room for `keys` distinct keys before the table grows.
    pub(crate) fn with_capacity(keys: usize) -> Self {
        KeyNumbers {
            numbers: HashedKeys::with_capacity(keys),
        }
    }

    /// The number of `key`: the one it got when first met, or the next one.
    #[inline]
    pub(crate) fn number(&mut self, key: u64) -> u32 {
        let next = self.numbers.len() as u32;
        self.numbers.get_or_insert(key, next)
    }

    /// How many numbers were given: every number is below it.
    pub(crate) fn len(&self) -> usize {
        self.numbers.len()
    }
}

/// The sentences of every block of a document long enough to hold one, cut once and read by
/// every round of [`mark_restatements`].
///
/// A sentence is known by a quick key first (see [`quick_key`]); only a document in which a
/// quick key repeats can restate its own sentences, and only there are the sentences hashed
/// whole. Most documents repeat no sentence, and are left uncut.
pub(crate) struct BlockSentences {
    sentences: Vec<Sentence>,
    /// Block `i`'s sentences are `sentences[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    /// Whether the sentences were cut and kept (see [`BlockSentences::of`]): when not, nothing
    /// reads them.
    cut: bool,
}

impl BlockSentences {
    /// The sentences of each block of `doc`, measured as `features` (see [`BlockSentences::cut`]).
    /// A document without a block long enough to restate others ([`MIN_RESTATEMENT_WORDS`]) is
    /// not cut at all: nothing there is read. Nor are the blocks after the last such block:
    /// only blocks before a block that restates them are read, in every round.
    pub(crate) fn of(doc: &Segmented<'_>, features: &[Features]) -> Self {
        let Some(last) = features
            .iter()
            .rposition(|f| f.words >= MIN_RESTATEMENT_WORDS)
        else {
            return Self::uncut();
        };
        Self::cut(doc, last + 1)
    }

    /// No sentences: [`mark_restatements`] finds nothing to mark.
    fn uncut() -> Self {
        BlockSentences {
            sentences: Vec::new(),
            starts: Vec::new(),
            cut: false,
        }
    }

    /// The sentences cut from `text`, block by block: when no sentence long enough to compare
    /// repeats, no block restates another, and they are let go. Otherwise each of them is known
    /// by the hash of its text from now on, not by its quick key.
    fn hashed_if_repeated(text: &str, mut sentences: Vec<Sentence>, starts: Vec<usize>) -> Self {
        if !repeats_a_quick_key(&sentences) {
            return Self::uncut();
        }
        for sentence in sentences.iter_mut().filter(|s| s.is_compared()) {
            let span = sentence.start..sentence.start + sentence.bytes;
            sentence.key = xxhash_rust::xxh3::xxh3_64(&text.as_bytes()[span]);
        }
        BlockSentences {
            sentences,
            starts,
            cut: true,
        }
    }

    /// Cuts the sentences of the first `blocks` blocks of `doc` (the others get none); a block
    /// shorter than one sentence gets none. The blocks lie in the text in order, so the end marks
    /// of all of them are found in one search over the text they span, not one search a block.
    fn cut(doc: &Segmented<'_>, blocks: usize) -> Self {
        // Sized for a sentence every 64 bytes, so that it seldom grows (sentences of prose run
        // to about 100 bytes).
        let mut sentences = Vec::with_capacity(doc.text.len() / 64 + 1);
        let mut starts = Vec::with_capacity(doc.blocks.len() + 1);
        debug_assert!(
            doc.blocks
                .windows(2)
                .all(|w| w[0].range.end <= w[1].range.start),
            "blocks out of text order"
        );
        let text = doc.text.as_bytes();
        let end = blocks
            .checked_sub(1)
            .map_or(0, |last| doc.blocks[last].range.end);
        let start = doc.blocks.first().map_or(0, |b| b.range.start).min(end);
        let mut marks = memchr::memchr3_iter(b'.', b'!', b'?', &text[start..end])
            .map(|mark| start + mark)
            .peekable();
        for (i, block) in doc.blocks.iter().enumerate() {
            starts.push(sentences.len());
            let range = block.range.clone();
            if i < blocks && range.len() >= MIN_SENTENCE_BYTES {
                // Marks before the block lie in blocks left uncut, or between blocks.
                let block_marks = std::iter::from_fn(|| marks.next_if(|&mark| mark < range.end))
                    .filter(|&mark| mark >= range.start)
                    .map(|mark| mark - range.start);
                push_sentences(
                    &text[range.clone()],
                    range.start,
                    block_marks,
                    &mut sentences,
                );
            }
        }
        starts.push(sentences.len());
        Self::hashed_if_repeated(&doc.text, sentences, starts)
    }

    /// [`BlockSentences::cut`] with one search for end marks in each block: what it replaced,
    /// kept to test it against.
    #[cfg(test)]
    fn cut_block_by_block(doc: &Segmented<'_>, blocks: usize) -> Self {
        let mut sentences = Vec::new();
        let mut starts = Vec::new();
        for i in 0..doc.blocks.len() {
            starts.push(sentences.len());
            let text = doc.block_text(i);
            if i < blocks && text.len() >= MIN_SENTENCE_BYTES {
                let start = doc.blocks[i].range.start;
                push_sentences(
                    text.as_bytes(),
                    start,
                    memchr::memchr3_iter(b'.', b'!', b'?', text.as_bytes()),
                    &mut sentences,
                );
            }
        }
        starts.push(sentences.len());
        Self::hashed_if_repeated(&doc.text, sentences, starts)
    }

    fn of_block(&self, i: usize) -> &[Sentence] {
        &self.sentences[self.starts[i]..self.starts[i + 1]]
    }
}

/// Blocks that restate, sentence for sentence, the text of two or more earlier blocks: an
/// article's paragraphs pasted again as one block at its end (a page's hidden copy of its own
/// text), or a summary made of its paragraphs. Such a block is a later copy even though no earlier
/// block matches it whole.
///
/// `blocks[k]` is the document's block that `features[k]` and `labels[k]` describe: each round
/// of deciding looks at the blocks still kept, so that what one round decides, cleaning its
/// output again decides the same way (a copy kept once its first copy is gone may then restate
/// two kept blocks).
///
/// Returns whether a block long enough to restate others held a sentence of a block before it.
/// When none did, nothing was marked, and no later round finds a restatement: it looks at some
/// of these blocks, whose sentences before each one are some of those seen here.
pub(crate) fn mark_restatements(
    sentences: &BlockSentences,
    blocks: &[usize],
    features: &[Features],
    labels: &mut [Local],
) -> bool {
    if !sentences.cut {
        return false;
    }
    let mut found = false;
    // Where each sentence was first seen.
    let mut seen = HashedKeys::with_capacity(sentences.sentences.len());
    for (k, (&i, label)) in blocks.iter().zip(labels.iter_mut()).enumerate() {
        let block_sentences = sentences.of_block(i);
        if block_sentences.is_empty() {
            continue;
        }
        if features[k].words >= MIN_RESTATEMENT_WORDS
            && restates_earlier_blocks(block_sentences, &seen, &mut found)
        {
            *label = Local::Boilerplate(Reason::RepeatedInDocument);
            continue;
        }
        for sentence in block_sentences.iter().filter(|s| s.is_compared()) {
            seen.get_or_insert(sentence.key, k);
        }
    }
    found
}

/// Whether nearly all the text of a block is in sentences seen before, in two blocks or more.
/// Sets `found` when any of them was seen before.
fn restates_earlier_blocks(
    sentences: &[Sentence],
    seen: &HashedKeys<usize>,
    found: &mut bool,
) -> bool {
    let all_bytes: usize = sentences.iter().map(|s| s.bytes).sum();
    let mut restated_bytes = 0;
    let mut first_source = None;
    let mut from_several_blocks = false;
    for sentence in sentences.iter().filter(|s| s.is_compared()) {
        if let Some(block) = seen.get(sentence.key) {
            restated_bytes += sentence.bytes;
            from_several_blocks |= *first_source.get_or_insert(block) != block;
        }
    }
    *found |= first_source.is_some();
    from_several_blocks && restated_bytes * 10 >= all_bytes * RESTATED_TENTHS
}

/// Words of the shortest block that may restate others.
const MIN_RESTATEMENT_WORDS: u32 = 30;
/// Bytes of the shortest sentence compared (about eight words): shorter ones ("Thank you.",
/// "1 tsp.") recur by chance.
const MIN_SENTENCE_BYTES: usize = 40;
/// Tenths of a block's text that must be in restated sentences.
const RESTATED_TENTHS: usize = 8;

/// A sentence of a block: where it lies in the document's text, and a key its text is known by.
struct Sentence {
    /// The sentence's [`quick_key`] as cut, the hash of its text once
    /// [`BlockSentences::hashed_if_repeated`] kept it; 0 for a sentence too short to compare.
    key: u64,
    /// Where it starts in the document's text.
    start: usize,
    /// Its length in bytes.
    bytes: usize,
}

impl Sentence {
    /// Whether it is long enough to be looked for in other blocks ([`MIN_SENTENCE_BYTES`]).
    fn is_compared(&self) -> bool {
        self.bytes >= MIN_SENTENCE_BYTES
    }
}

/// Whether two sentences long enough to compare have the same quick key: when none do, no two
/// such sentences have the same text.
fn repeats_a_quick_key(sentences: &[Sentence]) -> bool {
    let mut first_with = HashedKeys::with_capacity(sentences.len());
    sentences
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_compared())
        .any(|(i, s)| first_with.get_or_insert(s.key, i) != i)
}

/// A key of a sentence of [`MIN_SENTENCE_BYTES`] or more, read from its length and from eight
/// bytes at its start, in its middle and at its end: equal sentences get equal keys, and
/// sentences that differ seldom do (sentences cut from one template may: then the document's
/// sentences are hashed whole, as they would be were one repeated). Hashing every sentence
/// whole cost several times as much, where most documents repeat none. Five words read
/// instead of three cost more than the few documents they spare. Shorter sentences, never
/// compared, get 0.
fn quick_key(sentence: &[u8]) -> u64 {
    let len = sentence.len();
    if len < MIN_SENTENCE_BYTES {
        return 0;
    }
    let eight_at =
        |at: usize| u64::from_le_bytes(sentence[at..at + 8].try_into().expect("8 bytes"));
    let (head, middle, tail) = (eight_at(0), eight_at(len / 2 - 4), eight_at(len - 8));
    let mixed = (head ^ middle.rotate_left(21)).wrapping_mul(FIBONACCI);
    (mixed.rotate_left(32) ^ tail).wrapping_mul(FIBONACCI) ^ len as u64
}

/// Appends to `out` each sentence of `text`, whitespace at either end left out, as starting
/// in `text`. A sentence ends at `.`, `!` or `?` before whitespace or the end of the text.
#[cfg(test)]
fn sentences_of(text: &str, out: &mut Vec<Sentence>) {
    let bytes = text.as_bytes();
    push_sentences(bytes, 0, memchr::memchr3_iter(b'.', b'!', b'?', bytes), out);
}

/// Appends to `out` each sentence of `bytes`, which starts at `offset` in the document's text
/// and whose `.`, `!` and `?` are at `marks`, in order (see [`BlockSentences`]: a sentence ends
/// at a mark before whitespace or the end, and is known by its bytes as they are, whitespace at
/// either end left out: a page's copy of its own text repeats its sentences byte for byte).
fn push_sentences(
    bytes: &[u8],
    offset: usize,
    marks: impl Iterator<Item = usize>,
    out: &mut Vec<Sentence>,
) {
    let mut start = 0;
    let mut push = |from: usize, to: usize| {
        let untrimmed = &bytes[from..to];
        let after_space = untrimmed.trim_ascii_start();
        let sentence = after_space.trim_ascii_end();
        if !sentence.is_empty() {
            out.push(Sentence {
                key: quick_key(sentence),
                start: offset + from + (untrimmed.len() - after_space.len()),
                bytes: sentence.len(),
            });
        }
    };
    for mark in marks {
        if bytes.get(mark + 1).is_none_or(u8::is_ascii_whitespace) {
            push(start, mark + 1);
            start = mark + 1;
        }
    }
    push(start, bytes.len());
}

/// A run of repeated blocks is boilerplate when boilerplate or bare labels outweigh its prose: a
/// donation box pasted twice, a menu repeated in the footer; not an article printed twice.
fn is_boilerplate_run(
    run: std::ops::Range<usize>,
    features: &[Features],
    labels: &[Local],
) -> bool {
    let (mut furniture, mut prose) = (0u32, 0u32);
    for j in run {
        match labels[j] {
            Local::Boilerplate(_) => furniture += features[j].words.max(1),
            Local::Label => furniture += features[j].words.max(1),
            // Long prose the lexicon alone may not condemn still counts against a repeat.
            Local::Prose if super::lexicon_verdict(&features[j]).is_some() => {
                furniture += features[j].words
            }
            Local::Prose => prose += features[j].words,
            Local::Short => {}
        }
    }
    furniture > 0 && furniture >= prose
}

/// Final decisions from the local labels and the neighbourhood of each block. `prose_copies`
/// are the later copies of prose blocks (see [`apply_document_repeats`]), labelled as repeats.
/// With `keep_comments`, no comment thread is cut off the page: the main region runs over
/// readers' comments as over the article.
pub(crate) fn decide(
    features: &[Features],
    mut labels: Vec<Local>,
    prose_copies: &[usize],
    keep_comments: bool,
) -> Vec<Reason> {
    mark_tables(features, &mut labels);
    mark_navigation_runs(features, &mut labels);
    let whole = main_region(features, &labels);
    let article_start = whole.as_ref().map_or(0, |r| r.start);
    let thread = if keep_comments {
        None
    } else {
        comment_thread_start(features, &labels, article_start)
    }
    .unwrap_or(labels.len());
    let region = if thread < labels.len() {
        main_region(&features[..thread], &labels[..thread])
    } else {
        whole
    };
    let mut reasons: Vec<Reason> = labels
        .iter()
        .enumerate()
        .map(|(i, label)| match label {
            Local::Boilerplate(reason) => *reason,
            _ if i >= thread => Reason::Comments,
            _ => Reason::OutsideMainContent,
        })
        .collect();
    let region = widen_if_not_an_article(region, thread, features, &labels);
    let Some(mut region) = region else {
        return reasons;
    };
    if let Some(cut) = related_list_start(features, &labels, region.clone()) {
        for i in cut..region.end {
            if !matches!(labels[i], Local::Boilerplate(_)) {
                reasons[i] = Reason::RelatedLinks;
            }
        }
        region.end = cut;
    }
    for i in region.clone() {
        reasons[i] = match labels[i] {
            Local::Boilerplate(reason) => reason,
            Local::Prose => Reason::Content,
            Local::Short | Local::Label => Reason::Context,
        };
    }
    for i in region.clone() {
        if reasons[i] == Reason::Context {
            reasons[i] = judge_short_by_neighbours(i, &labels, &reasons);
        }
    }
    // Only now, so that neither the region nor the short blocks beside a copy are judged
    // differently: a copy of article text inside the article, or straight after it (the
    // article printed twice), is article text.
    // The copies come in order: the article's end moves on over each one that follows it.
    let mut copies_end = region.end;
    for &i in prose_copies {
        if i == copies_end && i < thread {
            copies_end += 1;
        }
        if (region.start..copies_end).contains(&i) {
            reasons[i] = Reason::Content;
        }
    }
    let region_kept = region.clone().any(|i| reasons[i].keeps());
    if let Some(title) = title_before(region.start, features, &labels).filter(|_| region_kept) {
        reasons[title] = Reason::Heading;
    }
    keep_stretches_within_text(&mut reasons, features);
    reasons
}

/// A stretch of blocks removed only for their form or place (labels in a run, repeats inside
/// the document, short blocks between them) that lies between two kept blocks is part of the
/// text: the page's text goes on after it, so it is a list, a table of contents or the entries
/// of a directory inside the page, not furniture around it. A stretch holding one block that
/// its own words condemn (a notice, an advert, a call to action) stays removed; a date line or
/// a numbered line the site repeats only among the list's entries (see
/// [`is_list_within_text`]).
fn keep_stretches_within_text(reasons: &mut [Reason], features: &[Features]) {
    let blocks = reasons.len();
    let mut start = 0;
    for stretch in reasons.chunk_by_mut(|a, b| a.keeps() == b.keeps()) {
        let end = start + stretch.len();
        let within_text = start > 0 && end < blocks;
        if within_text && !stretch[0].keeps() && is_list_within_text(stretch, &features[start..end])
        {
            stretch.fill(Reason::Context);
        }
        start = end;
    }
}

/// Whether a removed stretch between kept blocks reads as a list: every block removed for its
/// form alone, or, among the list's entries (labels in a run, repeats), a date line, as a list
/// of events gives each entry its date, or a line with a number that the site repeats. The
/// census folds numbers, so a page marker ("[page 13]") or a quantity ("2 cups flour") matches
/// its site's other pages whatever the number. A date line alone between paragraphs is the
/// article's dateline and stays removed.
fn is_list_within_text(stretch: &[Reason], features: &[Features]) -> bool {
    let entries = stretch
        .iter()
        .any(|r| matches!(r, Reason::Navigation | Reason::RepeatedInDocument));
    let entry_detail = |r: Reason, f: &Features| match r {
        Reason::Metadata => true,
        Reason::RepeatedInSite => f.has_digit,
        _ => false,
    };
    stretch
        .iter()
        .zip(features)
        .all(|(&r, f)| removed_for_form(r) || (entries && entry_detail(r, f)))
}

/// Reasons that say where a block stands or how it looks, not what it says.
fn removed_for_form(reason: Reason) -> bool {
    matches!(
        reason,
        Reason::Navigation | Reason::RepeatedInDocument | Reason::Surrounded
    )
}

/// A page whose main region holds little of its text is not an article with furniture around it
/// (a list, a table of contents, a forum page, lyrics): then everything before the comment thread
/// that is not boilerplate by itself is the content.
fn widen_if_not_an_article(
    region: Option<std::ops::Range<usize>>,
    thread: usize,
    features: &[Features],
    labels: &[Local],
) -> Option<std::ops::Range<usize>> {
    let text_words = |range: std::ops::Range<usize>| -> u32 {
        range
            .filter(|&j| match labels[j] {
                Local::Prose => true,
                Local::Short | Local::Label => features[j].terminal,
                Local::Boilerplate(_) => false,
            })
            .map(|j| features[j].words)
            .sum()
    };
    // The region lies before the thread: the words around it and in it make up the whole.
    let (all, held) = match region.clone() {
        Some(r) => {
            let held = text_words(r.clone());
            (
                text_words(0..r.start) + held + text_words(r.end..thread),
                held,
            )
        }
        None => (text_words(0..thread), 0),
    };
    if (held as f32) < MIN_REGION_SHARE * all as f32 {
        let start = (0..thread).find(|&j| !matches!(labels[j], Local::Boilerplate(_)))?;
        let end = (0..thread)
            .rev()
            .find(|&j| !matches!(labels[j], Local::Boilerplate(_)))?
            + 1;
        Some(start..end)
    } else {
        region
    }
}

/// A main region holding less than this share of the page's sentence text means the page is not
/// an article (measured: 0.5 lifts cleaneval by 0.015 F1 and costs dragnet 0.007).
const MIN_REGION_SHARE: f32 = 0.5;
/// Openers a thread needs when no comment notice ("12 comments", "Reply") marks it: dated
/// entries of a blog index or a change log look like short threads.
const BARE_THREAD_OPENERS: usize = 5;
/// Prose words an article needs before a comment thread can follow it.
const ARTICLE_BEFORE_THREAD: u32 = 40;
/// Most blocks one comment of a thread may take (between two chains of comment headers).
const MAX_COMMENT_BLOCKS: usize = 40;
/// Most blocks between two comment headers (an author and date line, a "Reply") in a thread.
const THREAD_GAP: usize = 8;

/// Where the comment thread after the article begins, if there is one.
///
/// A comment opens with a standing author-and-date line (or a comment notice) followed by its
/// text. A thread is a chain of at least three such openers, each within a few blocks of the
/// last, after the article's prose (counted from `article_start`, where the main region would
/// start without a thread). A chain followed by more prose than it holds is not a thread but a
/// dated list inside the page (past reports before an interview), and is passed over.
fn comment_thread_start(
    features: &[Features],
    labels: &[Local],
    article_start: usize,
) -> Option<usize> {
    let marks: Vec<usize> = (article_start..labels.len().saturating_sub(1))
        .filter(|&i| is_comment_mark(labels[i]))
        .collect();
    let prose_words = |range| words_in(features, labels, range, &[Local::Prose]);
    let chains = chains_of(&marks, labels);
    for (c, chain) in chains.iter().enumerate() {
        let Some(first) = chain.first_opener else {
            continue;
        };
        if chain.openers < 3 || prose_words(article_start..first) < ARTICLE_BEFORE_THREAD {
            continue;
        }
        if posts_count_their_own_comments(features, labels, article_start..chain.last + 1) {
            continue;
        }
        let notices = (first.saturating_sub(THREAD_GAP)..=chain.last)
            .filter(|&j| labels[j] == Local::Boilerplate(Reason::Comments))
            .count();
        // Without a comment notice, only a long chain under an article that stands above
        // its replies is a thread: dated items alike are a digest or a blog's front page.
        if notices == 0
            && (chain.openers < BARE_THREAD_OPENERS
                || !stands_above_its_items(features, labels, article_start, chain))
        {
            continue;
        }
        // A long comment breaks the chain of headers; the thread goes on through the later
        // chains that open comments too.
        let mut last = chain.last;
        if stands_above_its_replies(features, labels, article_start, first, &chains[c..]) {
            for later in &chains[c + 1..] {
                let notices = (later.start..=later.last)
                    .any(|j| labels[j] == Local::Boilerplate(Reason::Comments));
                if later.openers < 2 || !notices || later.start - last > MAX_COMMENT_BLOCKS {
                    break;
                }
                last = later.last;
            }
        }
        let span_end = (last + THREAD_GAP).min(labels.len());
        if prose_words(span_end..labels.len()) > prose_words(first..span_end) {
            continue;
        }
        return Some(notice_before(first, labels));
    }
    None
}

/// Whether the stretch `range` is a run of posts that each carry their own comment notice
/// ("Comments (3)", "Permalink | 2 comments", "Leave a comment"): the front page of a blog or a
/// list of stories, each with its own thread elsewhere, not one article and its comments (a
/// thread names its comments once; a commenter's own count of comments sits beside a short
/// reply, not after a post).
fn posts_count_their_own_comments(
    features: &[Features],
    labels: &[Local],
    range: std::ops::Range<usize>,
) -> bool {
    let notices: Vec<usize> = range
        .filter(|&j| {
            is_comment_mark(labels[j])
                && features[j].has_digit
                && !features[j].terminal
                && features[j].words <= COMMENT_NOTICE_WORDS
                && features[j].hits(Category::Comments) >= 2
        })
        .collect();
    let posts: Vec<u32> = notices
        .windows(2)
        .map(|w| words_in(features, labels, w[0]..w[1], &[Local::Prose, Local::Short]))
        .collect();
    let long_posts = posts.iter().filter(|&&words| words >= POST_WORDS).count();
    long_posts >= 3 && 2 * long_posts >= posts.len()
}

/// Words of a post of a blog's front page; replies to one article are mostly shorter.
const POST_WORDS: u32 = 40;

/// Longest comment notice of a post's footer, in words ("Posted by Jane at 10:05 PM |
/// Permalink | Comments (3) | TrackBack (0)").
const COMMENT_NOTICE_WORDS: u32 = 16;

/// Whether the text before a chain of comment headers is much longer than a typical comment
/// after it: an article with its replies, not a blog's front page of dated posts alike.
fn stands_above_its_replies(
    features: &[Features],
    labels: &[Local],
    article_start: usize,
    first: usize,
    chains: &[Chain],
) -> bool {
    let prose = |range| words_in(features, labels, range, &[Local::Prose, Local::Short]);
    let replies = chains.windows(2).map(|w| prose(w[0].last..w[1].start));
    much_longer_than_typical(prose(article_start..first), replies.collect()).unwrap_or(false)
}

/// Whether the text before a chain is much longer than the typical text between two of its
/// openers: an article above its comments, not the first of a page of dated items alike.
fn stands_above_its_items(
    features: &[Features],
    labels: &[Local],
    article_start: usize,
    chain: &Chain,
) -> bool {
    let prose = |range| words_in(features, labels, range, &[Local::Prose, Local::Short]);
    let openers: Vec<usize> = (chain.start..=chain.last)
        .filter(|&i| is_comment_mark(labels[i]) && opens_text(i, labels))
        .collect();
    let items = openers.windows(2).map(|w| prose(w[0]..w[1]));
    let Some(&first) = openers.first() else {
        return true;
    };
    much_longer_than_typical(prose(article_start..first), items.collect()).unwrap_or(true)
}

/// Whether `article` words are [`ARTICLE_OVER_REPLY`] times the median of `units` or more;
/// `None` when there are no units to compare with.
fn much_longer_than_typical(article: u32, units: Vec<u32>) -> Option<bool> {
    median(units).map(|typical| article >= ARTICLE_OVER_REPLY * typical.max(1))
}

/// The middle value (the upper one of an even count); `None` when there are none.
fn median(mut units: Vec<u32>) -> Option<u32> {
    units.sort_unstable();
    units.get(units.len() / 2).copied()
}

/// Words of the blocks in `range` labelled one of `kinds`.
fn words_in(
    features: &[Features],
    labels: &[Local],
    range: std::ops::Range<usize>,
    kinds: &[Local],
) -> u32 {
    range
        .filter(|&j| kinds.contains(&labels[j]))
        .map(|j| features[j].words)
        .sum()
}

/// How many times longer than a typical reply an article is.
const ARTICLE_OVER_REPLY: u32 = 4;

/// A run of comment marks, each within [`THREAD_GAP`] blocks of the last.
struct Chain {
    start: usize,
    last: usize,
    first_opener: Option<usize>,
    openers: usize,
}

fn chains_of(marks: &[usize], labels: &[Local]) -> Vec<Chain> {
    let mut chains = Vec::new();
    let mut k = 0;
    while k < marks.len() {
        let len = 1 + marks[k..]
            .windows(2)
            .take_while(|w| w[1] - w[0] <= THREAD_GAP)
            .count();
        let chain_marks = &marks[k..k + len];
        k += len;
        let mut openers = chain_marks
            .iter()
            .copied()
            .filter(|&i| opens_text(i, labels));
        let first_opener = openers.next();
        chains.push(Chain {
            start: chain_marks[0],
            last: chain_marks[len - 1],
            first_opener,
            openers: first_opener.map_or(0, |_| 1 + openers.count()),
        });
    }
    chains
}

/// Where a "Related stories" heading after the article's text opens a list of teasers: the
/// article ends there, when what follows holds less prose than what came before.
fn related_list_start(
    features: &[Features],
    labels: &[Local],
    region: std::ops::Range<usize>,
) -> Option<usize> {
    let prose_words = |range| words_in(features, labels, range, &[Local::Prose]);
    let prose_blocks = |range: std::ops::Range<usize>| -> usize {
        range.filter(|&j| labels[j] == Local::Prose).count()
    };
    region.clone().find(|&i| {
        labels[i] == Local::Boilerplate(Reason::RelatedLinks)
            && features[i].words <= RELATED_HEADING_WORDS
            && prose_words(region.start..i) >= ARTICLE_BEFORE_THREAD
            && prose_words(i..region.end) < prose_words(region.start..i)
            && prose_blocks(i..region.end) <= MAX_TEASERS
    })
}

/// Most paragraphs a list of teasers holds: more after the heading is the article going on
/// past a widget inside it ("Most read").
const MAX_TEASERS: usize = 6;
/// Longest "Related stories" heading, in words.
const RELATED_HEADING_WORDS: u32 = 6;

/// Whether the mark at `i` is followed by text within three blocks (after a "Reply", a name).
fn opens_text(i: usize, labels: &[Local]) -> bool {
    labels[i + 1..]
        .iter()
        .take(3)
        .any(|l| matches!(l, Local::Prose | Local::Short))
}

fn is_comment_mark(label: Local) -> bool {
    matches!(
        label,
        Local::Boilerplate(Reason::Comments | Reason::Metadata)
    )
}

/// The thread starts at the comment notice ("12 comments") just before its first comment.
fn notice_before(first: usize, labels: &[Local]) -> usize {
    let mut start = first;
    while start > 0 && first - (start - 1) <= THREAD_GAP && is_comment_mark(labels[start - 1]) {
        start -= 1;
    }
    start
}

/// Rows of a data table (standings, a chart, a price list), [`MIN_TABLE_ROWS`] or more in a
/// run, are text, however short their cells: a table is what such a page has to say. A table
/// in a sidebar stays outside the article all the same.
fn mark_tables(features: &[Features], labels: &mut [Local]) {
    let row = |j: usize, labels: &[Local]| {
        features[j].table_row && matches!(labels[j], Local::Short | Local::Label | Local::Prose)
    };
    let mut i = 0;
    while i < labels.len() {
        if !row(i, labels) {
            i += 1;
            continue;
        }
        let start = i;
        while i < labels.len() && row(i, labels) {
            i += 1;
        }
        if i - start >= MIN_TABLE_ROWS {
            labels[start..i].fill(Local::Prose);
        }
    }
}

/// Rows of the shortest data table.
const MIN_TABLE_ROWS: usize = 3;

/// Labels in a run of labels and boilerplate (a menu, a footer) are navigation; a run of bare
/// labels between two paragraphs, or after a sentence that announces it with a colon, is a list
/// inside the text and stays.
fn mark_navigation_runs(features: &[Features], labels: &mut [Local]) {
    let mut i = 0;
    while i < labels.len() {
        if !matches!(labels[i], Local::Label | Local::Boilerplate(_)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < labels.len() && matches!(labels[i], Local::Label | Local::Boilerplate(_)) {
            i += 1;
        }
        let inside_prose =
            start > 0 && labels[start - 1] == Local::Prose && labels.get(i) == Some(&Local::Prose);
        // A sentence ending in a colon announces the list that follows ("It needs:").
        let announced = start > 0
            && matches!(labels[start - 1], Local::Prose | Local::Short)
            && features[start - 1].announces;
        let run = &mut labels[start..i];
        let bare_labels = run.iter().filter(|l| **l == Local::Label).count();
        let is_list = (inside_prose || announced) && bare_labels == run.len();
        if bare_labels >= 2 && run.len() >= 3 && !is_list {
            for label in run.iter_mut().filter(|l| **l == Local::Label) {
                *label = Local::Boilerplate(Reason::Navigation);
            }
        }
    }
}

/// The stretch of the document with the most article text: the maximum-sum run of block scores,
/// where prose counts for its words and boilerplate against them.
fn main_region(features: &[Features], labels: &[Local]) -> Option<std::ops::Range<usize>> {
    let mut best: Option<(f32, usize, usize)> = None;
    let mut sum = 0.0f32;
    let mut start = 0;
    for (i, (f, label)) in features.iter().zip(labels).enumerate() {
        if sum <= 0.0 {
            sum = 0.0;
            start = i;
        }
        sum += score(f, *label);
        if sum > 0.0 && best.is_none_or(|(b, _, _)| sum > b) {
            best = Some((sum, start, i + 1));
        }
    }
    best.map(|(_, start, end)| start..end)
}

fn score(f: &Features, label: Local) -> f32 {
    let words = f.words as f32;
    match label {
        Local::Prose => words.min(200.0),
        Local::Short if f.terminal => words * 0.5,
        Local::Short => -2.0,
        Local::Label => -3.0,
        // A later copy of article text is dropped, but says nothing against its surroundings.
        Local::Boilerplate(Reason::RepeatedInDocument) if f.terminal || f.commas > 0 => 0.0,
        Local::Boilerplate(_) => -(words.min(30.0) + 3.0),
    }
}

/// A short block inside the main region stays unless boilerplate surrounds it; a label stays when
/// article text follows it (a heading).
fn judge_short_by_neighbours(i: usize, labels: &[Local], reasons: &[Reason]) -> Reason {
    let removed = |j: usize| !reasons[j].keeps();
    let before_removed = i == 0 || removed(i - 1);
    let after_removed = i + 1 >= labels.len() || removed(i + 1);
    if before_removed && after_removed {
        return Reason::Surrounded;
    }
    if labels[i] == Local::Label && next_kept_is_text(i, labels, reasons) {
        return Reason::Heading;
    }
    Reason::Context
}

fn next_kept_is_text(i: usize, labels: &[Local], reasons: &[Reason]) -> bool {
    (i + 1..labels.len())
        .find(|&j| reasons[j].keeps())
        .is_some_and(|j| matches!(labels[j], Local::Prose | Local::Short))
}

/// The title of an article sits just before its first paragraph, maybe with a date, byline or
/// photo credit in between. A menu just above it may have swallowed it into its run; a title is
/// longer than a menu entry, so a run's last entry of three words or more can still be the title.
fn title_before(start: usize, features: &[Features], labels: &[Local]) -> Option<usize> {
    let mut j = start;
    for _ in 0..3 {
        j = j.checked_sub(1)?;
        let f = &features[j];
        let words = f.words;
        match labels[j] {
            Local::Boilerplate(Reason::Metadata | Reason::CaptionCredit) => continue,
            Local::Boilerplate(Reason::RepeatedInSite) if f.has_date || f.byline => continue,
            Local::Short | Local::Label if (2..=30).contains(&words) => {
                return (!f.terminal).then_some(j);
            }
            Local::Boilerplate(Reason::Navigation) if (3..=30).contains(&words) => {
                let title_like = !f.terminal && !super::is_list_of_items(f);
                return (title_like && f.lexicon.boilerplate_weight() == 0).then_some(j);
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Features, Local, Reason};
    use crate::{Cleaner, Config};

    /// A block measured as the classifier measures it, trimmed first.
    fn measured(block: &str, lower: &mut String) -> Features {
        use crate::classify::features::{measure_for_judging, trim};
        measure_for_judging(trim(block), lower)
    }

    /// A sentence of its own for each `n` (fingerprints fold digits, so words must differ).
    fn sentence(topic: &str, n: usize) -> String {
        const PLACES: [&str; 8] = [
            "harbour", "mill", "school", "bridge", "market", "library", "station", "orchard",
        ];
        const PEOPLE: [&str; 8] = [
            "farmers", "teachers", "nurses", "drivers", "grocers", "bakers", "anglers", "tenants",
        ];
        format!(
            "The council met again on {topic} near the {} and heard from {} who had waited \
             months for an answer about the {}, before the vote was put off until the spring.",
            PLACES[n % 8],
            PEOPLE[n % 8],
            PLACES[(n + 3) % 8]
        )
    }

    /// A paragraph of two sentences of its own for each `n` below 4.
    fn paragraph(n: usize) -> String {
        format!(
            "{} {}",
            sentence("the budget", n),
            sentence("the roads", n + 4)
        )
    }

    #[test]
    fn a_block_pasting_several_paragraphs_again_is_a_later_copy() {
        let paragraphs: Vec<String> = (0..4).map(paragraph).collect();
        let copy = paragraphs[..3].join(" ");
        let page = format!(
            "{}\n\n{copy}\n\nAll rights reserved\n",
            paragraphs.join("\n\n")
        );
        let cleaned = Cleaner::new(Config::default()).clean(&page);
        assert_eq!(cleaned.text, format!("{}\n", paragraphs.join("\n\n")));
        let reasons: Vec<&str> = cleaned.removed().map(|b| b.reason.name()).collect();
        assert_eq!(reasons, ["repeated-in-document", "legal"]);
    }

    #[test]
    fn an_article_printed_twice_keeps_both_copies_but_a_copy_in_the_footer_goes() {
        let paragraphs: Vec<String> = (0..3).map(paragraph).collect();
        let article = paragraphs.join("\n\n");
        let menu = "Home\n\nNews\n\nSport\n\nWeather";
        let twice = format!("{menu}\n\n{article}\n\n{article}\n\nAll rights reserved\n");
        let cleaned = Cleaner::new(Config::default()).clean(&twice);
        assert_eq!(cleaned.text, format!("{article}\n\n{article}\n"));
        let again = Cleaner::new(Config::default()).clean(&cleaned.text);
        assert_eq!(again.text, cleaned.text);
        // The copy of the first paragraph after the footer's menu lies outside the article.
        let quoted = format!("{menu}\n\n{article}\n\n{menu}\n\n{}\n", paragraphs[0]);
        let cleaned = Cleaner::new(Config::default()).clean(&quoted);
        assert_eq!(cleaned.text, format!("{article}\n"));
        let copy = cleaned.removed().last().expect("the copy is removed");
        assert_eq!(copy.reason.name(), "repeated-in-document");
    }

    #[test]
    fn copies_decided_without_their_first_copy_are_decided_alike_again() {
        // A paragraph shown first among teasers, then three times in the article, once with a
        // stray comma (the same fingerprint, another first sentence). With the teaser gone,
        // the last copy's sentences come from two kept blocks, a restatement: deciding on the
        // blocks still kept finds it in the first place, as cleaning the output would.
        let opening = "The quarry will close at the end of the month after ninety years of work";
        let rest = "Its owners blame the price of diesel and a fall in orders from builders. \
                    The parish council hopes to turn the pit into a lake for anglers and walkers.";
        let copy = format!("{opening}. {rest}");
        let stray = format!("{opening}, . {rest}");
        let menu = "Home\n\nNews\n\nSport\n\nWeather\n\nTravel\n\nJobs\n\nCars\n\nHomes\n\n\
                    Dating\n\nPuzzles\n\nPodcasts\n\nLetters\n\nObituaries\n\nEvents\n\nShop";
        let page = format!(
            "{menu}\n\n{copy}\n\n{menu}\n\n{}\n\n{stray}\n\n{}\n\n{copy}\n\n{}\n\n{copy}\n\n{}\n",
            paragraph(0),
            paragraph(1),
            paragraph(2),
            paragraph(3)
        );
        let cleaner = Cleaner::new(Config::default());
        let once = cleaner.clean(&page);
        for n in 0..4 {
            assert!(once.text.contains(&paragraph(n)), "{}", once.text);
        }
        assert_eq!(cleaner.clean(&once.text).text, once.text);
    }

    #[test]
    fn a_list_announced_by_a_colon_is_text_not_a_menu() {
        let intro = sentence("the budget", 0);
        // Short enough that the article does not reach it across a menu: labels between kept
        // text are a list anyway (`labels_between_kept_text_are_…`).
        let outro = "The cake keeps for a week in a tin and tastes better on the second day.";
        let items = "Flour\n\nButter\n\nTwo eggs\n\nA pinch of salt";
        let announce = "For the cake you will need the following things";
        let page = |end: &str| {
            format!("Home\n\nRecipes\n\n{intro}\n\n{announce}{end}\n\n{items}\n\n{outro}\n")
        };
        let cleaned = Cleaner::new(Config::default()).clean(&page(":"));
        assert_eq!(
            cleaned.text,
            format!("{intro}\n\n{announce}:\n\n{items}\n\n{outro}\n")
        );
        // Without the colon, the short lines after a line that is not a paragraph read as a
        // menu.
        let cleaned = Cleaner::new(Config::default()).clean(&page(""));
        assert!(!cleaned.text.contains("Butter"), "{}", cleaned.text);
    }

    #[test]
    fn labels_between_kept_text_are_a_list_but_not_a_call_to_action_among_them() {
        let intro = sentence("the budget", 0);
        let outro = sentence("the roads", 1);
        let page = |items: &str| {
            format!(
                "Home\n\nRecipes\n\n{intro}\n\n{items}\n\nMix them well.\n\n{outro}\n\nContact us\n"
            )
        };
        // Short lines after a paragraph and before a short sentence are a run of labels (not
        // inside prose), but the text goes on after them: they are a list.
        let items = "Flour\n\nButter\n\nTwo eggs\n\nA pinch of salt";
        let cleaned = Cleaner::new(Config::default()).clean(&page(items));
        assert_eq!(
            cleaned.text,
            format!("{intro}\n\n{items}\n\nMix them well.\n\n{outro}\n")
        );
        let again = Cleaner::new(Config::default()).clean(&cleaned.text);
        assert_eq!(again.text, cleaned.text);
        // A block condemned by its own words makes the stretch furniture.
        let items = "Flour\n\nButter\n\nSubscribe to our newsletter\n\nTwo eggs\n\nA pinch of salt";
        let cleaned = Cleaner::new(Config::default()).clean(&page(items));
        assert!(!cleaned.text.contains("Butter"), "{}", cleaned.text);
        assert!(cleaned.text.contains("Mix them well."), "{}", cleaned.text);
    }

    #[test]
    fn dates_among_the_entries_of_a_list_stay_but_a_dateline_between_paragraphs_goes() {
        let intro = paragraph(0);
        let outro = sentence("the roads", 1);
        let items = "Spring fair\n\n12 May 2005\n\nSummer fete\n\n3 July 2005\n\n\
                     Harvest supper\n\n9 October 2005";
        let dateline = "Posted on 14 March 2005";
        let page = format!(
            "Home\n\nEvents\n\n{intro}\n\n{items}\n\nAll are welcome.\n\n{outro}\n\n\
             {dateline}\n\n{outro} And more.\n\nContact us\n"
        );
        let cleaned = Cleaner::new(Config::default()).clean(&page);
        assert_eq!(
            cleaned.text,
            format!("{intro}\n\n{items}\n\nAll are welcome.\n\n{outro}\n\n{outro} And more.\n")
        );
        let again = Cleaner::new(Config::default()).clean(&cleaned.text);
        assert_eq!(again.text, cleaned.text);
    }

    #[test]
    fn a_data_table_is_text_but_a_menu_beside_it_is_not() {
        let table = "Pos\tClub\tPoints\n\n1\tArsenal\t38\n\n2\tChelsea\t35\n\n3\tFulham\t31\n\n\
                     4\tEverton\t30";
        let page =
            format!("Home\n\nFixtures\n\nTables\n\nLeague standings\n\n{table}\n\nContact us\n");
        let cleaned = Cleaner::new(Config::default()).clean(&page);
        assert!(cleaned.text.contains(table), "{}", cleaned.text);
        assert!(!cleaned.text.contains("Fixtures"), "{}", cleaned.text);
        let again = Cleaner::new(Config::default()).clean(&cleaned.text);
        assert_eq!(again.text, cleaned.text);
        // Two rows are not yet a table: the short lines read as a menu.
        let rows = "1\tArsenal\t38\n\n2\tChelsea\t35";
        let page = format!("Home\n\nFixtures\n\nTables\n\n{rows}\n\nContact us\n");
        let cleaned = Cleaner::new(Config::default()).clean(&page);
        assert!(!cleaned.text.contains("Arsenal"), "{}", cleaned.text);
    }

    /// The labels [`super::mark_restatements`] leaves on the blocks `active` of `text`, with the
    /// shortcut of [`super::BlockSentences::of`] and with every sentence cut and looked up; and
    /// whether the latter found a sentence of an earlier block.
    fn restatements_both_ways(text: &str, active: &[usize]) -> (Vec<Local>, Vec<Local>, bool) {
        let doc = crate::segment::segment_text(text);
        let mut lower = String::new();
        let features: Vec<Features> = active
            .iter()
            .map(|&i| measured(doc.block_text(i), &mut lower))
            .collect();
        let labels: Vec<Local> = active
            .iter()
            .zip(&features)
            .map(|(&i, f)| crate::classify::judge_alone(f, doc.blocks[i].indent, false))
            .collect();
        let all_features: Vec<Features> = (0..doc.blocks.len())
            .map(|i| measured(doc.block_text(i), &mut lower))
            .collect();
        let shortcut = super::BlockSentences::of(&doc, &all_features);
        let full = super::BlockSentences::cut(&doc, doc.blocks.len());
        let (mut fast, mut slow) = (labels.clone(), labels);
        let found_fast = super::mark_restatements(&shortcut, active, &features, &mut fast);
        let found = super::mark_restatements(&full, active, &features, &mut slow);
        assert_eq!(found_fast, found);
        (fast, slow, found)
    }

    #[test]
    fn a_document_without_repeats_has_none_among_some_of_its_blocks() {
        let blocks = ["Home", "News", "Home", "Sport", "News", "Weather"];
        let text = blocks.join("\n\n");
        let doc = crate::segment::segment_text(&text);
        let mut lower = String::new();
        let features: Vec<Features> = (0..doc.blocks.len())
            .map(|i| measured(doc.block_text(i), &mut lower))
            .collect();
        let mut numbers = super::KeyNumbers::with_capacity(blocks.len());
        let keys: Vec<u32> = blocks
            .iter()
            .map(|b| numbers.number(xxhash_rust::xxh3::xxh3_64(b.as_bytes())))
            .collect();
        assert_eq!(keys, [0, 1, 0, 2, 1, 3]);
        let mut labels = vec![Local::Label; blocks.len()];
        let copies = super::apply_document_repeats(&keys, numbers.len(), &features, &mut labels);
        assert_eq!(copies, Some(Vec::new()));
        let marked: Vec<bool> = labels
            .iter()
            .map(|l| matches!(l, Local::Boilerplate(_)))
            .collect();
        assert_eq!(marked, [true, true, true, false, true, false]);
        // Without the second "Home" and "News", nothing repeats, and nothing is marked.
        let some = [0, 1, 3, 5];
        let keys: Vec<u32> = some.iter().map(|&i| keys[i]).collect();
        let features: Vec<Features> = some.iter().map(|&i| features[i].clone()).collect();
        let mut labels = vec![Local::Label; some.len()];
        assert_eq!(
            super::apply_document_repeats(&keys, numbers.len(), &features, &mut labels),
            None
        );
        assert_eq!(labels, vec![Local::Label; some.len()]);
    }

    #[test]
    fn a_restatement_is_found_with_the_shortcuts() {
        let paragraphs: Vec<String> = (0..4).map(paragraph).collect();
        let copy = paragraphs[..3].join(" ");
        let page = format!("{}\n\n{copy}\n", paragraphs.join("\n\n"));
        let active: Vec<usize> = (0..5).collect();
        let (fast, slow, found) = restatements_both_ways(&page, &active);
        assert_eq!(fast, slow);
        assert_eq!(fast[4], Local::Boilerplate(Reason::RepeatedInDocument));
        assert!(found);
    }

    proptest::proptest! {
        #![proptest_config(crate::test_support::no_seed_files())]

        #[test]
        fn sentences_cut_in_one_search_are_those_cut_block_by_block(
            text in "(([A-Za-z]{1,7}|[.!?]|1\\.5|[ \t]|\n|\n\n){0,40}[.!?]?\n?){0,12}",
            cut_share in 0usize..=4,
        ) {
            let doc = crate::segment::segment_text(&text);
            let blocks = doc.blocks.len() * cut_share / 4;
            let sentences = |s: &super::BlockSentences| -> Vec<Vec<(u64, usize, usize)>> {
                if !s.cut {
                    return Vec::new();
                }
                (0..doc.blocks.len())
                    .map(|i| s.of_block(i).iter().map(|s| (s.key, s.start, s.bytes)).collect())
                    .collect()
            };
            let fast = super::BlockSentences::cut(&doc, blocks);
            let slow = super::BlockSentences::cut_block_by_block(&doc, blocks);
            proptest::prop_assert_eq!(fast.cut, slow.cut);
            proptest::prop_assert_eq!(sentences(&fast), sentences(&slow));
        }

        #[test]
        fn keys_share_a_number_exactly_when_they_are_equal(
            keys in proptest::collection::vec(0u64..6, 0..40),
        ) {
            let mut numbers = super::KeyNumbers::with_capacity(keys.len());
            let numbered: Vec<u32> = keys.iter().map(|&key| numbers.number(key)).collect();
            let distinct: std::collections::HashSet<u64> = keys.iter().copied().collect();
            proptest::prop_assert_eq!(numbers.len(), distinct.len());
            for i in 0..keys.len() {
                proptest::prop_assert!((numbered[i] as usize) < numbers.len());
                for j in 0..keys.len() {
                    proptest::prop_assert_eq!(keys[i] == keys[j], numbered[i] == numbered[j]);
                }
            }
        }

        #[test]
        fn restatements_are_marked_alike_with_and_without_the_shortcuts(
            blocks in proptest::collection::vec((0usize..10, 1usize..4), 0..10),
            skip in proptest::collection::vec(proptest::bool::ANY, 10),
        ) {
            let pool: Vec<String> = (0..6)
                .map(|n| sentence("the budget", n))
                .chain(["Home".to_string(), "Thank you.".to_string()])
                .chain((0..2).map(|n| sentence("the roads", n)))
                .collect();
            let text: Vec<String> = blocks
                .iter()
                .map(|&(start, len)| pool[start..(start + len).min(pool.len())].join(" "))
                .collect();
            let text = text.join("\n\n");
            let doc = crate::segment::segment_text(&text);
            let every: Vec<usize> = (0..doc.blocks.len()).collect();
            let some: Vec<usize> = every.iter().copied().filter(|&i| !skip[i % 10]).collect();
            let (fast, slow, found_in_every) = restatements_both_ways(&text, &every);
            proptest::prop_assert_eq!(fast, slow);
            let (fast, slow, found_in_some) = restatements_both_ways(&text, &some);
            proptest::prop_assert_eq!(&fast, &slow);
            // A round that finds no sentence again leaves a later round, over fewer blocks,
            // nothing to find.
            if !found_in_every {
                proptest::prop_assert!(!found_in_some);
                let doc = crate::segment::segment_text(&text);
                let mut lower = String::new();
                let unmarked: Vec<Local> = some
                    .iter()
                    .map(|&i| {
                        let f = measured(doc.block_text(i), &mut lower);
                        crate::classify::judge_alone(&f, doc.blocks[i].indent, false)
                    })
                    .collect();
                proptest::prop_assert_eq!(slow, unmarked);
            }
        }
    }

    #[test]
    fn sentences_are_cut_at_their_end_marks_and_keyed_as_they_are() {
        let mut sentences = Vec::new();
        let vote = "The vote on the new bridge was put off again";
        super::sentences_of(&format!("{vote}.  {vote}! 1.5 m? Why"), &mut sentences);
        let spans: Vec<(usize, usize)> = sentences.iter().map(|s| (s.start, s.bytes)).collect();
        assert_eq!(spans, [(0, 45), (47, 45), (93, 6), (100, 3)]);
        assert_ne!(sentences[0].key, sentences[1].key);
        // Too short to compare: not keyed.
        assert_eq!((sentences[2].key, sentences[3].key), (0, 0));
        let mut again = Vec::new();
        super::sentences_of(&format!("Why? {vote}."), &mut again);
        assert_eq!(again[1].key, sentences[0].key);
    }

    #[test]
    fn sentences_are_hashed_only_where_one_repeats() {
        // Paragraphs whose sentences differ in their middles, not only in their quarters.
        let (first, second) = (paragraph(0), paragraph(3));
        let unrepeated = format!("{first}\n\n{second}\n");
        let doc = crate::segment::segment_text(&unrepeated);
        assert!(!super::BlockSentences::cut(&doc, doc.blocks.len()).cut);
        let repeated = format!("{first}\n\n{second} {first}\n");
        let doc = crate::segment::segment_text(&repeated);
        let cut = super::BlockSentences::cut(&doc, doc.blocks.len());
        assert!(cut.cut);
        for sentence in cut.sentences.iter().filter(|s| s.is_compared()) {
            let text = &repeated.as_bytes()[sentence.start..sentence.start + sentence.bytes];
            assert_eq!(sentence.key, xxhash_rust::xxh3::xxh3_64(text));
        }
        let first_keys = cut.of_block(0).iter().map(|s| s.key);
        let copied_keys = cut.of_block(1).iter().rev().map(|s| s.key);
        assert!(first_keys.rev().zip(copied_keys).all(|(a, b)| a == b));
    }

    #[test]
    fn dated_items_alike_are_a_digest_not_a_comment_thread() {
        let item = |n| format!("{} {}", sentence("the budget", n), sentence("the roads", n));
        let mut page = String::new();
        for n in 0..7 {
            page.push_str(&format!(
                "Council delays vote on the {} plan\n\n{}\n\n(Weekly Report, May {})\n\n",
                [
                    "harbour", "mill", "school", "bridge", "market", "library", "station"
                ][n],
                item(n),
                n + 1
            ));
        }
        let cleaned = Cleaner::new(Config::default()).clean(&page).text;
        for n in 0..7 {
            assert!(cleaned.contains(&item(n)), "item {n} lost:\n{cleaned}");
        }
    }

    #[test]
    fn posts_with_their_own_comment_counts_are_a_front_page_not_a_thread() {
        // A blog's front page: dated posts, each closed by its own comment count; the first
        // one longer than the rest, as an article above its replies would be.
        let post = |n: usize| {
            let paragraphs = if n == 0 { 6 } else { 2 + n % 2 };
            (0..paragraphs)
                .map(|k| sentence(["the budget", "the roads", "the park"][n % 3], n + k))
                .collect::<Vec<_>>()
                .join("\n\n")
        };
        let mut page = String::new();
        for n in 0..6 {
            page.push_str(&format!(
                "January {}, 2005\n\nA note on the {} plan\n\n{}\n\n\
                 10:1{n} PM | Permalink | Comments ({})\n\n",
                30 - n,
                ["harbour", "mill", "school", "bridge", "market", "library"][n],
                post(n),
                n + 2
            ));
        }
        let cleaned = Cleaner::new(Config::default()).clean(&page).text;
        for n in 0..6 {
            assert!(cleaned.contains(&post(n)), "post {n} lost:\n{cleaned}");
        }
        assert!(!cleaned.contains("Permalink"), "{cleaned}");
    }

    #[test]
    fn replies_under_a_long_article_are_a_comment_thread() {
        let mut page = String::from("Council delays vote\n\n");
        for n in 0..8 {
            page.push_str(&sentence("the budget", n));
            page.push(' ');
            page.push_str(&sentence("the roads", n));
            page.push_str("\n\n");
        }
        for n in 0..6 {
            page.push_str(&format!(
                "{}\n\nMay {}, 2024 at 10:1{n} pm\n\nI agree with the {} here, it has gone on too long.\n\n",
                ["Ann", "Bob", "Cy", "Di", "Ed", "Flo"][n],
                n + 1,
                ["farmers", "teachers", "nurses", "drivers", "grocers", "bakers"][n]
            ));
        }
        let cleaned = Cleaner::new(Config::default()).clean(&page).text;
        assert!(cleaned.contains(&sentence("the roads", 7)), "{cleaned}");
        assert!(!cleaned.contains("I agree"), "{cleaned}");
    }
}
