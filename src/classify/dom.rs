//! What the DOM says of HTML blocks: which element holds the article, which furniture sits
//! inside it, and which blocks are link lists.
//!
//! The article is found the way paragraph-scoring extractors find it: every paragraph of
//! text credits the elements above it (its container fully, the next one half, the ones above
//! less), weighted by its length and commas; an element's credit shrinks with its share of
//! link text, and names such as `content` or `sidebar` in its class or id raise or lower it.
//! The best element, widened to an ancestor that unites several good candidates, plus
//! siblings that score nearly as well, holds the article. Unlike those extractors, deboil
//! lets only blocks it does not already know as boilerplate vote: a donation box, a cookie
//! notice or a block the site repeats on every page (the census) cannot pull the article
//! toward it.

use std::ops::Range;

use super::{Features, Local, Reason};
use crate::segment::{BlockKind, DomHints, Element, NO_ELEMENT, Segmented, Tag};

/// Blocks shorter than this many characters do not vote for their containers.
const MIN_VOTER_CHARS: u32 = 25;
/// Ancestors a paragraph credits, its container included.
const CREDITED_ANCESTORS: usize = 5;
/// Candidates compared when looking for a common ancestor.
const TOP_CANDIDATES: usize = 5;
/// Candidates scoring at least this share of the best are its rivals.
const RIVAL_SHARE: f32 = 0.75;
/// Rivals that must share an ancestor for it to replace the best candidate.
const RIVALS_TO_UNITE: usize = 3;
/// An article with less text than this is looked for again with fewer exclusions.
const MIN_ARTICLE_CHARS: u64 = 500;
/// Characters an attempt must keep for a later one landing in furniture not to replace it.
const MIN_FOUND_CHARS: u64 = 50;
/// How much more prose an element around the best candidate must hold to be the content.
const WIDEN_PROSE_GROWTH: f32 = 1.4;
/// Fewest words of a paragraph whose later copies inside the article go.
const MIN_COPY_WORDS: u32 = 8;
/// Blocks with more than this share of their characters in links are link lists.
const LINK_DENSE: f32 = 0.5;
/// Prose at least this long is kept inside furniture hints when the article hint is also on it.
const LONG_PROSE_WORDS: u32 = 30;

/// How strict one attempt at finding the article is; failed attempts relax it.
#[derive(Clone, Copy, Debug)]
struct Attempt {
    /// Elements whose names mark furniture (`sidebar`, `comments`) do not vote.
    strip_unlikely: bool,
    /// Class and id names weigh on candidates.
    weigh_classes: bool,
    /// Lists, tables and boxes inside the article that look like furniture are dropped.
    clean_conditionally: bool,
}

const ATTEMPTS: [Attempt; 4] = [
    Attempt {
        strip_unlikely: true,
        weigh_classes: true,
        clean_conditionally: true,
    },
    Attempt {
        strip_unlikely: false,
        weigh_classes: true,
        clean_conditionally: true,
    },
    Attempt {
        strip_unlikely: false,
        weigh_classes: false,
        clean_conditionally: true,
    },
    Attempt {
        strip_unlikely: false,
        weigh_classes: false,
        clean_conditionally: false,
    },
];

/// Sums over blocks, to total any element's range in constant time.
struct Totals {
    chars: Vec<u64>,
    link_chars: Vec<u64>,
    commas: Vec<u64>,
    paragraphs: Vec<u32>,
    list_items: Vec<u32>,
    heading_chars: Vec<u64>,
}

impl Totals {
    fn new(doc: &Segmented<'_>, features: &[Features]) -> Totals {
        let n = doc.blocks.len() + 1;
        let mut t = Totals {
            chars: Vec::with_capacity(n),
            link_chars: Vec::with_capacity(n),
            commas: Vec::with_capacity(n),
            paragraphs: Vec::with_capacity(n),
            list_items: Vec::with_capacity(n),
            heading_chars: Vec::with_capacity(n),
        };
        let (mut chars, mut links, mut commas, mut paragraphs, mut items, mut headings) =
            (0u64, 0u64, 0u64, 0u32, 0u32, 0u64);
        t.push(chars, links, commas, paragraphs, items, headings);
        for (block, f) in doc.blocks.iter().zip(features) {
            let c = f.chars as u64;
            chars += c;
            let density = block.dom.as_ref().map_or(0.0, |d| d.link_density);
            links += (density * f.chars as f32).round() as u64;
            commas += f.commas as u64;
            match block.kind {
                BlockKind::Paragraph => paragraphs += 1,
                BlockKind::ListItem => items += 1,
                BlockKind::Heading(_) => headings += c,
                _ => {}
            }
            t.push(chars, links, commas, paragraphs, items, headings);
        }
        t
    }

    fn push(&mut self, chars: u64, links: u64, commas: u64, paragraphs: u32, items: u32, h: u64) {
        self.chars.push(chars);
        self.link_chars.push(links);
        self.commas.push(commas);
        self.paragraphs.push(paragraphs);
        self.list_items.push(items);
        self.heading_chars.push(h);
    }

    fn chars(&self, r: &Range<u32>) -> u64 {
        self.chars[r.end as usize] - self.chars[r.start as usize]
    }

    fn link_density(&self, r: &Range<u32>) -> f32 {
        let chars = self.chars(r);
        if chars == 0 {
            return 0.0;
        }
        let links = self.link_chars[r.end as usize] - self.link_chars[r.start as usize];
        links as f32 / chars as f32
    }

    fn commas(&self, r: &Range<u32>) -> u64 {
        self.commas[r.end as usize] - self.commas[r.start as usize]
    }

    fn paragraphs(&self, r: &Range<u32>) -> u32 {
        self.paragraphs[r.end as usize] - self.paragraphs[r.start as usize]
    }

    fn list_items(&self, r: &Range<u32>) -> u32 {
        self.list_items[r.end as usize] - self.list_items[r.start as usize]
    }

    fn heading_chars(&self, r: &Range<u32>) -> u64 {
        self.heading_chars[r.end as usize] - self.heading_chars[r.start as usize]
    }
}

/// The page's article: the blocks it holds, and the element that holds most of it.
#[derive(Clone, Debug)]
pub(crate) struct Article {
    /// Per block: inside the article.
    pub inside: Vec<bool>,
    /// The element chosen as the article's container.
    pub top: u32,
    /// The element, or an ancestor, is named as furniture (comments, sidebar, footer).
    pub in_furniture: bool,
}

/// Decides every block of an HTML page from its local labels and the article found in its DOM.
/// `exact[i]` is a hash of block `i`'s text: of several copies inside the article, the first
/// stays.
pub(crate) fn decide(
    doc: &Segmented<'_>,
    features: &[Features],
    labels: &[Local],
    exact: &[u64],
) -> Vec<Reason> {
    let totals = Totals::new(doc, features);
    let mut best: Option<(u64, Vec<Reason>)> = None;
    for attempt in ATTEMPTS {
        let Some(article) = find_article(doc, features, labels, &totals, attempt) else {
            continue;
        };
        // A relaxed attempt that lands in furniture (a comment thread) only rescues a page
        // where the stricter ones found next to nothing.
        let found = best.as_ref().map_or(0, |(kept, _)| *kept);
        if article.in_furniture && found >= MIN_FOUND_CHARS {
            continue;
        }
        let mut reasons = judge_inside(doc, features, labels, &totals, &article, attempt);
        drop_later_copies(exact, features, &mut reasons);
        keep_title(doc, features, labels, &mut reasons);
        let kept: u64 = reasons
            .iter()
            .zip(features)
            .filter(|(r, _)| r.keeps())
            .map(|(_, f)| f.chars as u64)
            .sum();
        if kept >= MIN_ARTICLE_CHARS {
            return reasons;
        }
        if best.as_ref().is_none_or(|(b, _)| kept > *b) {
            best = Some((kept, reasons));
        }
    }
    match best {
        Some((_, reasons)) => reasons,
        None => labels
            .iter()
            .map(|label| match label {
                Local::Boilerplate(reason) => *reason,
                _ => Reason::OutsideMainContent,
            })
            .collect(),
    }
}

/// Blocks between an article's title and its first paragraph that are not themselves text:
/// a byline, a date, share buttons, a photo credit.
const MAX_BLOCKS_AFTER_TITLE: usize = 12;

/// Keeps the article's title: the nearest `<h1>` (else `<h2>`) before its first kept block,
/// with nothing but removed furniture and headings between them.
fn keep_title(
    doc: &Segmented<'_>,
    features: &[Features],
    labels: &[Local],
    reasons: &mut [Reason],
) {
    let Some(first) = reasons.iter().position(|r| r.keeps()) else {
        return;
    };
    let window = first.saturating_sub(MAX_BLOCKS_AFTER_TITLE)..first;
    let mut candidate = None;
    for j in window.rev() {
        if labels[j] == Local::Prose {
            break;
        }
        let BlockKind::Heading(level) = doc.blocks[j].kind else {
            continue;
        };
        if level > 2 || features[j].words < 2 || matches!(labels[j], Local::Boilerplate(_)) {
            continue;
        }
        if level == 1 {
            candidate = Some(j);
            break;
        }
        candidate.get_or_insert(j);
    }
    if let Some(title) = candidate {
        reasons[title] = Reason::Heading;
    }
}

/// Of several kept copies of one paragraph, only the first stays; short labels repeated inside
/// an article ("It should read:", "Answer") belong to it.
fn drop_later_copies(exact: &[u64], features: &[Features], reasons: &mut [Reason]) {
    let mut seen = rustc_hash::FxHashSet::default();
    for ((hash, reason), f) in exact.iter().zip(reasons.iter_mut()).zip(features) {
        if reason.keeps() && f.words >= MIN_COPY_WORDS && !seen.insert(*hash) {
            *reason = Reason::RepeatedInDocument;
        }
    }
}

/// Per element: it, or an ancestor, is named as furniture (but not inside a table, where
/// layout names mean little).
fn unlikely_elements(elements: &[Element]) -> Vec<bool> {
    let mut unlikely = vec![false; elements.len()];
    let mut in_table = vec![false; elements.len()];
    for (i, e) in elements.iter().enumerate() {
        let (parent_unlikely, parent_table) = if e.parent == NO_ELEMENT {
            (false, false)
        } else {
            (unlikely[e.parent as usize], in_table[e.parent as usize])
        };
        in_table[i] = parent_table || e.tag == Tag::Table;
        unlikely[i] = parent_unlikely || (e.unlikely && !in_table[i]);
    }
    unlikely
}

/// Whether a block of this kind votes for its containers.
fn votes(kind: BlockKind) -> bool {
    match kind {
        BlockKind::Paragraph
        | BlockKind::TableCell
        | BlockKind::Preformatted
        | BlockKind::ListItem
        | BlockKind::Quote => true,
        BlockKind::Heading(level) => level >= 2,
        _ => false,
    }
}

fn initial_score(e: &Element, weigh_classes: bool) -> f32 {
    let tag = match e.tag {
        Tag::Div => 5.0,
        Tag::Pre | Tag::Td | Tag::Blockquote => 3.0,
        Tag::Address | Tag::List | Tag::DefinitionItem | Tag::Li | Tag::Form => -3.0,
        Tag::Heading(_) | Tag::Th => -5.0,
        _ => 0.0,
    };
    tag + if weigh_classes {
        e.class_weight as f32
    } else {
        0.0
    }
}

/// Finds the article's blocks for one attempt.
fn find_article(
    doc: &Segmented<'_>,
    features: &[Features],
    labels: &[Local],
    totals: &Totals,
    attempt: Attempt,
) -> Option<Article> {
    let elements = &doc.elements;
    if elements.is_empty() {
        return None;
    }
    let unlikely = if attempt.strip_unlikely {
        unlikely_elements(elements)
    } else {
        vec![false; elements.len()]
    };
    let mut scores: Vec<Option<f32>> = vec![None; elements.len()];
    let mut order: Vec<u32> = Vec::new();
    for ((block, f), label) in doc.blocks.iter().zip(features).zip(labels) {
        let Some(dom) = &block.dom else { continue };
        let min_chars = if block.kind == BlockKind::ListItem {
            MIN_VOTER_CHARS * 4
        } else {
            MIN_VOTER_CHARS
        };
        if !votes(block.kind) || f.chars < min_chars {
            continue;
        }
        if matches!(label, Local::Boilerplate(_)) {
            continue;
        }
        if dom.element != NO_ELEMENT && unlikely[dom.element as usize] {
            continue;
        }
        let content = 2.0 + f.commas as f32 + (f.chars / 100).min(3) as f32;
        let mut node = dom.container;
        for level in 0..CREDITED_ANCESTORS {
            if node == NO_ELEMENT {
                break;
            }
            let e = &elements[node as usize];
            if e.tag == Tag::Html || e.parent == NO_ELEMENT {
                break;
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                _ => (level * 3) as f32,
            };
            let score = scores[node as usize].get_or_insert_with(|| {
                order.push(node);
                initial_score(e, attempt.weigh_classes)
            });
            *score += content / divider;
            if e.tag == Tag::Body {
                break;
            }
            node = e.parent;
        }
    }
    for &node in &order {
        let e = &elements[node as usize];
        if let Some(score) = scores[node as usize].as_mut() {
            *score *= 1.0 - totals.link_density(&e.blocks);
        }
    }
    let mut ranked: Vec<(u32, f32)> = order
        .iter()
        .filter_map(|&n| scores[n as usize].map(|s| (n, s)))
        .filter(|&(_, s)| s > 0.0)
        .collect();
    // Stable: equal scores keep document order.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranked.truncate(TOP_CANDIDATES);
    let body = elements
        .iter()
        .position(|e| e.tag == Tag::Body)
        .map(|i| i as u32);
    let top = match ranked.first() {
        None => body?,
        Some(&(top, _)) if Some(top) == body => top,
        Some(&(top, top_score)) => {
            let top = unite_rivals(elements, &scores, &ranked, top, top_score);
            let top = climb_while_rising(elements, &scores, top);
            climb_only_children(elements, top)
        }
    };
    let top = widen_to_prose(doc, features, labels, &unlikely, top);
    let mut inside = with_siblings(doc, features, totals, &scores, top);
    // Furniture-named elements are not part of this attempt's page at all.
    for (block, inside) in doc.blocks.iter().zip(inside.iter_mut()) {
        if let Some(dom) = &block.dom
            && dom.element != NO_ELEMENT
            && unlikely[dom.element as usize]
        {
            *inside = false;
        }
    }
    if std::env::var("DEBOIL_DEBUG_DOM").is_ok() {
        let e = &elements[top as usize];
        eprintln!(
            "attempt {:?}: top {} {:?} blocks {:?} score {:?}; ranked {:?}",
            attempt, top, e.tag, e.blocks, scores[top as usize], ranked
        );
    }
    let in_furniture = unlikely_elements(elements)[top as usize];
    Some(Article {
        inside,
        top,
        in_furniture,
    })
}

/// A page whose prose runs well beyond the best candidate, in one element around it, is not
/// one article but several texts of a kind (a list of stories, a thread, a catalogue): that
/// element, the one whose blocks sum to the most, holds the content.
fn widen_to_prose(
    doc: &Segmented<'_>,
    features: &[Features],
    labels: &[Local],
    unlikely: &[bool],
    top: u32,
) -> u32 {
    let elements = &doc.elements;
    let Some(widest) = max_sum_element(doc, features, labels, unlikely) else {
        return top;
    };
    if !is_ancestor(elements, widest, top) {
        return top;
    }
    let prose_words = |id: u32| -> u32 {
        elements[id as usize]
            .blocks
            .clone()
            .filter(|&b| labels[b as usize] == Local::Prose)
            .map(|b| features[b as usize].words)
            .sum()
    };
    if prose_words(widest) as f32 >= WIDEN_PROSE_GROWTH * prose_words(top) as f32 {
        widest
    } else {
        top
    }
}

/// The element whose blocks sum to the most: prose counts for its words, furniture against.
fn max_sum_element(
    doc: &Segmented<'_>,
    features: &[Features],
    labels: &[Local],
    unlikely: &[bool],
) -> Option<u32> {
    let mut sums = Vec::with_capacity(doc.blocks.len() + 1);
    sums.push(0.0f64);
    for ((block, f), label) in doc.blocks.iter().zip(features).zip(labels) {
        let dom = block.dom.as_ref();
        let density = dom.map_or(0.0, |d| d.link_density);
        let excluded = dom.is_some_and(|d| d.element != NO_ELEMENT && unlikely[d.element as usize]);
        let words = f.words as f64;
        let value = match label {
            _ if excluded => -(words.min(30.0) + 3.0),
            Local::Boilerplate(_) => -(words.min(30.0) + 3.0),
            _ if density > 0.5 => -(words.min(30.0) + 3.0),
            Local::Prose => words,
            Local::Short if f.terminal => words * 0.5,
            Local::Short => -1.0,
            Local::Label => -2.0,
        };
        sums.push(sums.last().unwrap() + value);
    }
    doc.elements
        .iter()
        .enumerate()
        .filter(|(_, e)| e.tag != Tag::Html)
        .map(|(i, e)| {
            (
                i as u32,
                sums[e.blocks.end as usize] - sums[e.blocks.start as usize],
            )
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(i, _)| i)
}

/// Where several candidates nearly as good as the best share an ancestor, the article spans
/// them: the ancestor is the candidate.
fn unite_rivals(
    elements: &[Element],
    scores: &[Option<f32>],
    ranked: &[(u32, f32)],
    top: u32,
    top_score: f32,
) -> u32 {
    let rivals: Vec<u32> = ranked[1..]
        .iter()
        .filter(|&&(_, s)| s / top_score >= RIVAL_SHARE)
        .map(|&(n, _)| n)
        .filter(|&n| !is_ancestor(elements, top, n))
        .collect();
    if rivals.len() < RIVALS_TO_UNITE {
        return top;
    }
    let mut node = elements[top as usize].parent;
    while node != NO_ELEMENT && elements[node as usize].tag != Tag::Body {
        let holding = rivals
            .iter()
            .filter(|&&r| is_ancestor(elements, node, r))
            .count();
        if holding >= RIVALS_TO_UNITE {
            return node;
        }
        node = elements[node as usize].parent;
    }
    let _ = scores;
    top
}

fn is_ancestor(elements: &[Element], ancestor: u32, node: u32) -> bool {
    ancestor < node && node < elements[ancestor as usize].end
}

/// Parents credited with more than the candidate hold more of the article.
fn climb_while_rising(elements: &[Element], scores: &[Option<f32>], top: u32) -> u32 {
    let Some(mut last) = scores[top as usize] else {
        return top;
    };
    let threshold = last / 3.0;
    let mut node = elements[top as usize].parent;
    while node != NO_ELEMENT && elements[node as usize].tag != Tag::Body {
        let Some(score) = scores[node as usize] else {
            node = elements[node as usize].parent;
            continue;
        };
        if score < threshold {
            break;
        }
        if score > last {
            return node;
        }
        last = score;
        node = elements[node as usize].parent;
    }
    top
}

/// An only child stands for its parent, so that siblings of the parent can join.
fn climb_only_children(elements: &[Element], mut top: u32) -> u32 {
    loop {
        let parent = elements[top as usize].parent;
        if parent == NO_ELEMENT
            || elements[parent as usize].tag == Tag::Body
            || elements[parent as usize].children != 1
        {
            return top;
        }
        top = parent;
    }
}

/// The candidate's blocks, plus those of siblings that score well, share its class, or are
/// paragraphs of plain prose.
fn with_siblings(
    doc: &Segmented<'_>,
    features: &[Features],
    totals: &Totals,
    scores: &[Option<f32>],
    top: u32,
) -> Vec<bool> {
    let elements = &doc.elements;
    let mut inside = vec![false; doc.blocks.len()];
    let mut include = |r: &Range<u32>| {
        for i in r.start..r.end {
            inside[i as usize] = true;
        }
    };
    let top_el = &elements[top as usize];
    let parent = top_el.parent;
    if parent == NO_ELEMENT || top_el.tag == Tag::Body {
        include(&top_el.blocks);
        return inside;
    }
    let top_score = scores[top as usize].unwrap_or(0.0);
    let threshold = (top_score * 0.2).max(10.0);
    let parent_el = &elements[parent as usize];
    // Children of the parent, and runs of text directly in it, in document order.
    let mut child = parent + 1;
    let mut covered = parent_el.blocks.start;
    while child < parent_el.end {
        let e = &elements[child as usize];
        for b in covered..e.blocks.start.max(covered) {
            if loose_paragraph_joins(doc, features, b as usize) {
                include(&(b..b + 1));
            }
        }
        let joins = if child == top {
            true
        } else if let Some(score) = scores[child as usize] {
            let bonus = if top_el.class_key != 0 && e.class_key == top_el.class_key {
                top_score * 0.2
            } else {
                0.0
            };
            score + bonus >= threshold
        } else {
            is_paragraph_like(doc, child) && paragraph_joins(totals, features, doc, &e.blocks)
        };
        if joins {
            include(&e.blocks);
        }
        covered = covered.max(e.blocks.end);
        child = e.end;
    }
    for b in covered..parent_el.blocks.end {
        if loose_paragraph_joins(doc, features, b as usize) {
            include(&(b..b + 1));
        }
    }
    inside
}

/// A `<p>`, or another element holding one block of its own text (a `<div>` used as one).
fn is_paragraph_like(doc: &Segmented<'_>, id: u32) -> bool {
    let e = &doc.elements[id as usize];
    e.tag == Tag::P
        || (e.blocks.len() == 1
            && doc.blocks[e.blocks.start as usize]
                .dom
                .as_ref()
                .is_some_and(|d| d.element == id))
}

/// A sibling paragraph joins the article if it is long with few links, or a short sentence
/// without links.
fn paragraph_joins(
    totals: &Totals,
    features: &[Features],
    doc: &Segmented<'_>,
    blocks: &Range<u32>,
) -> bool {
    let chars = totals.chars(blocks);
    let density = totals.link_density(blocks);
    if chars > 80 {
        return density < 0.25;
    }
    chars > 0
        && density == 0.0
        && blocks.clone().all(|b| {
            let _ = doc;
            features[b as usize].terminal
        })
}

fn loose_paragraph_joins(doc: &Segmented<'_>, features: &[Features], b: usize) -> bool {
    let f = &features[b];
    let density = doc.blocks[b].dom.as_ref().map_or(0.0, |d| d.link_density);
    if f.chars > 80 {
        density < 0.25
    } else {
        f.chars > 0 && density == 0.0 && f.terminal
    }
}

/// Decides the blocks once the article is known: outside it, everything goes; inside, boxes
/// that look like furniture, blocks with furniture hints below the article's element, link
/// lists and boilerplate go.
fn judge_inside(
    doc: &Segmented<'_>,
    features: &[Features],
    labels: &[Local],
    totals: &Totals,
    article: &Article,
    attempt: Attempt,
) -> Vec<Reason> {
    let elements = &doc.elements;
    let dropped = if attempt.clean_conditionally {
        furniture_boxes(doc, totals, article, attempt)
    } else {
        vec![false; doc.blocks.len()]
    };
    let mut reasons = Vec::with_capacity(doc.blocks.len());
    for (i, (block, label)) in doc.blocks.iter().zip(labels).enumerate() {
        let reason = if let Local::Boilerplate(reason) = label {
            *reason
        } else if !article.inside[i] {
            Reason::OutsideMainContent
        } else if dropped[i] {
            Reason::TemplateHint
        } else {
            let f = &features[i];
            let dom = block.dom.as_ref();
            let hints = dom.map_or(0, |d| hints_below(elements, d.element, article.top));
            let long_prose = *label == Local::Prose && f.words >= LONG_PROSE_WORDS;
            let density = dom.map_or(0.0, |d| d.link_density);
            if hints & DomHints::FURNITURE != 0 && !long_prose {
                if std::env::var("DEBOIL_DEBUG_DOM").is_ok() {
                    eprintln!(
                        "hint {:#x} on {:?}",
                        hints,
                        &doc.block_text(i)[..doc.block_text(i).len().min(40)]
                    );
                }
                if hints & DomHints::COMMENTS != 0 {
                    Reason::Comments
                } else {
                    Reason::TemplateHint
                }
            } else if density > LINK_DENSE && !(long_prose && density < 0.8) {
                Reason::LinkDense
            } else if *label == Local::Prose {
                Reason::Content
            } else {
                Reason::Context
            }
        };
        reasons.push(reason);
    }
    reasons
}

/// Hints of the elements from `element` up to, not including, `top`.
fn hints_below(elements: &[Element], element: u32, top: u32) -> u32 {
    let mut hints = 0;
    let mut node = element;
    // Stops at the article's element or, for a block of a sibling, at their common ancestor.
    while node != NO_ELEMENT && node != top && !is_ancestor(elements, node, top) {
        let e = &elements[node as usize];
        hints |= e.hints.0;
        node = e.parent;
    }
    hints
}

/// Lists, tables, forms and boxes inside the article that look like furniture rather than
/// text: named as furniture, mostly links, or more images or inputs than paragraphs.
fn furniture_boxes(
    doc: &Segmented<'_>,
    totals: &Totals,
    article: &Article,
    attempt: Attempt,
) -> Vec<bool> {
    let elements = &doc.elements;
    let mut dropped = vec![false; doc.blocks.len()];
    // Blocks inside the article before each block, to ask whether an element holds any.
    let mut inside_before = Vec::with_capacity(doc.blocks.len() + 1);
    inside_before.push(0u32);
    for &inside in &article.inside {
        inside_before.push(inside_before.last().unwrap() + u32::from(inside));
    }
    let mut i = 0u32;
    while (i as usize) < elements.len() {
        let e = &elements[i as usize];
        let in_article = inside_before[e.blocks.end as usize]
            > inside_before[e.blocks.start as usize]
            && i != article.top
            && !is_ancestor(elements, i, article.top);
        if in_article
            && matches!(
                e.tag,
                Tag::Div | Tag::List | Tag::Table | Tag::Form | Tag::Section
            )
            && looks_like_furniture(e, totals, attempt)
        {
            for b in e.blocks.clone() {
                dropped[b as usize] = true;
            }
            i = e.end;
            continue;
        }
        i += 1;
    }
    dropped
}

fn looks_like_furniture(e: &Element, totals: &Totals, attempt: Attempt) -> bool {
    let r = &e.blocks;
    let weight = if attempt.weigh_classes {
        e.class_weight as f32
    } else {
        0.0
    };
    if weight < 0.0 {
        return true;
    }
    if totals.commas(r) >= 10 {
        return false;
    }
    let chars = totals.chars(r);
    let paragraphs = totals.paragraphs(r) as f32;
    let images = e.images as f32;
    let items = totals.list_items(r) as f32;
    let is_list = e.tag == Tag::List || items > 0.0 && paragraphs == 0.0;
    let density = totals.link_density(r);
    if images > 1.0 && paragraphs / images < 0.5 {
        return true;
    }
    if !is_list && items > paragraphs + 100.0 {
        return true;
    }
    if e.inputs as f32 > (paragraphs / 3.0).floor() {
        return true;
    }
    let mostly_headings = chars > 0 && totals.heading_chars(r) as f32 >= 0.9 * chars as f32;
    if !is_list
        && chars < 25
        && (e.images == 0 || e.images > 2)
        && density > 0.0
        && !mostly_headings
    {
        return true;
    }
    if !is_list && weight < 25.0 && density > 0.2 {
        return true;
    }
    weight >= 25.0 && density > 0.5
}
