//! Finding the article in a page's DOM.
//!
//! The article is found the way paragraph-scoring extractors find it: every paragraph of
//! text credits the elements above it (its container fully, the next one half, the ones above
//! less), weighted by its length and commas; an element's credit shrinks with its share of
//! link text, and names such as `content` or `sidebar` in its class or id raise or lower it.
//! The best element, widened to an ancestor that unites several good candidates, plus
//! siblings that score nearly as well, holds the article. Unlike those extractors, deboil
//! lets only blocks it does not already know as boilerplate vote: a donation box, a cookie
//! notice or a block the site repeats on every page (the census) cannot pull the article
//! toward it. And where an element around the best one holds far more prose, the page is a
//! list of texts (stories, posts, entries), and that element is the content.

use std::ops::Range;

use super::{Features, Local};
use crate::segment::{BlockKind, Element, NO_ELEMENT, Segmented, Tag};

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
/// How much more prose an element around the best candidate must hold to be the content.
const WIDEN_PROSE_GROWTH: f32 = 1.4;

/// How strict one attempt at finding the article is; failed attempts relax it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Attempt {
    /// Elements whose names mark furniture (`sidebar`, `comments`) do not vote.
    pub(crate) strip_unlikely: bool,
    /// Class and id names weigh on candidates.
    pub(crate) weigh_classes: bool,
    /// Lists, tables and boxes inside the article that look like furniture are dropped.
    pub(crate) clean_conditionally: bool,
}

pub(crate) const ATTEMPTS: [Attempt; 4] = [
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
pub(crate) struct Totals {
    chars: Vec<u64>,
    link_chars: Vec<u64>,
    commas: Vec<u64>,
    paragraphs: Vec<u32>,
    list_items: Vec<u32>,
    heading_chars: Vec<u64>,
}

impl Totals {
    pub(crate) fn new(doc: &Segmented<'_>, features: &[Features]) -> Totals {
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

    pub(crate) fn chars(&self, r: &Range<u32>) -> u64 {
        self.chars[r.end as usize] - self.chars[r.start as usize]
    }

    pub(crate) fn link_density(&self, r: &Range<u32>) -> f32 {
        let chars = self.chars(r);
        if chars == 0 {
            return 0.0;
        }
        let links = self.link_chars[r.end as usize] - self.link_chars[r.start as usize];
        links as f32 / chars as f32
    }

    pub(crate) fn commas(&self, r: &Range<u32>) -> u64 {
        self.commas[r.end as usize] - self.commas[r.start as usize]
    }

    pub(crate) fn paragraphs(&self, r: &Range<u32>) -> u32 {
        self.paragraphs[r.end as usize] - self.paragraphs[r.start as usize]
    }

    pub(crate) fn list_items(&self, r: &Range<u32>) -> u32 {
        self.list_items[r.end as usize] - self.list_items[r.start as usize]
    }

    pub(crate) fn heading_chars(&self, r: &Range<u32>) -> u64 {
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

/// Per element: it, or an ancestor, is named as furniture (but not inside a table, where
/// layout names mean little).
pub(crate) fn unlikely_elements(elements: &[Element]) -> Vec<bool> {
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
pub(crate) fn find_article(
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
            let top = unite_rivals(elements, &ranked, top, top_score);
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
    // Teasers of other pages (a headline link and the opening of a story cut short) read as
    // prose, but an article with teasers around it is not a page of texts.
    let prose_words = |id: u32| -> u32 {
        elements[id as usize]
            .blocks
            .clone()
            .filter(|&b| {
                labels[b as usize] == Local::Prose && !is_teaser(doc, features, b as usize)
            })
            .map(|b| features[b as usize].words)
            .sum()
    };
    if prose_words(widest) as f32 >= WIDEN_PROSE_GROWTH * prose_words(top) as f32 {
        widest
    } else {
        top
    }
}

/// Share of a teaser's characters in its link (the headline) at least.
const TEASER_LINK_SHARE: f32 = 0.1;

/// A headline link followed by the opening of a story cut short ("… may soon...").
fn is_teaser(doc: &Segmented<'_>, features: &[Features], b: usize) -> bool {
    features[b].truncated
        && doc.blocks[b]
            .dom
            .as_ref()
            .is_some_and(|d| d.link_density >= TEASER_LINK_SHARE)
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
fn unite_rivals(elements: &[Element], ranked: &[(u32, f32)], top: u32, top_score: f32) -> u32 {
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
    top
}

pub(crate) fn is_ancestor(elements: &[Element], ancestor: u32, node: u32) -> bool {
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
            is_paragraph_like(doc, child)
                && paragraph_joins(
                    totals.chars(&e.blocks),
                    totals.link_density(&e.blocks),
                    e.blocks.clone().all(|b| features[b as usize].terminal),
                )
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
fn paragraph_joins(chars: u64, link_density: f32, sentence: bool) -> bool {
    if chars > 80 {
        link_density < 0.25
    } else {
        chars > 0 && link_density == 0.0 && sentence
    }
}

/// A run of text directly in the article's parent, judged as a sibling paragraph.
fn loose_paragraph_joins(doc: &Segmented<'_>, features: &[Features], b: usize) -> bool {
    let f = &features[b];
    let density = doc.blocks[b].dom.as_ref().map_or(0.0, |d| d.link_density);
    paragraph_joins(f.chars as u64, density, f.terminal)
}
