//! Deciding the blocks of an HTML page once its article is found ([`super::article`]):
//! outside the article everything goes; inside it, boxes that look like furniture, blocks
//! named as furniture below the article's element, link lists and boilerplate go; the title
//! before it stays.

use super::article::{ATTEMPTS, Article, Attempt, Totals, find_article, is_ancestor};
use super::{Features, Local, Reason};
use crate::segment::{BlockKind, DomHints, Element, NO_ELEMENT, Segmented, Tag};

/// An article with less text than this is looked for again with fewer exclusions.
const MIN_ARTICLE_CHARS: u64 = 500;
/// Characters an attempt must keep for a later one landing in furniture not to replace it.
const MIN_FOUND_CHARS: u64 = 50;
/// Fewest words of a paragraph whose later copies inside the article go.
const MIN_COPY_WORDS: u32 = 15;
/// Blocks with more than this share of their characters in links are link lists.
const LINK_DENSE: f32 = 0.5;
/// Prose at least this long is kept inside furniture hints when the article hint is also on it.
const LONG_PROSE_WORDS: u32 = 30;

/// Decides every block of an HTML page from its local labels and the article found in its DOM.
/// `exact[i]` is a hash of block `i`'s text: of several copies inside the article, the first
/// stays. With `keep_comments`, readers' comments are kept too (see [`keep_comment_text`]).
pub(crate) fn decide(
    doc: &Segmented<'_>,
    features: &[Features],
    labels: &[Local],
    exact: &[u64],
    keep_comments: bool,
) -> Vec<Reason> {
    let totals = Totals::new(doc, features);
    let commented = keep_comments.then(|| comment_elements(&doc.elements));
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
        if let Some(commented) = &commented {
            keep_comment_text(doc, labels, commented, &mut reasons);
        }
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
                if hints & DomHints::COMMENTS != 0 {
                    Reason::Comments
                } else {
                    Reason::TemplateHint
                }
            } else if density > LINK_DENSE && !(long_prose && density < 0.8) {
                Reason::LinkDense
            } else if dom.is_some_and(|d| in_figcaption(elements, d.element)) {
                // The caption of a figure says what a picture shows, not what the article says.
                Reason::CaptionCredit
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

/// Whether the block is inside a `<figcaption>` (within three levels).
fn in_figcaption(elements: &[Element], element: u32) -> bool {
    let mut node = element;
    for _ in 0..3 {
        if node == NO_ELEMENT {
            return false;
        }
        if elements[node as usize].tag == Tag::FigCaption {
            return true;
        }
        node = elements[node as usize].parent;
    }
    false
}

/// Keeps the text of readers' comments: blocks that read as prose or as a short line of text
/// (not a bare label, not boilerplate by themselves) inside an element named as comments,
/// which the article's choice or its comment hints would drop. `commented` is
/// [`comment_elements`] of the page.
fn keep_comment_text(
    doc: &Segmented<'_>,
    labels: &[Local],
    commented: &[bool],
    reasons: &mut [Reason],
) {
    for ((block, label), reason) in doc.blocks.iter().zip(labels).zip(reasons.iter_mut()) {
        let in_comments = block
            .dom
            .as_ref()
            .is_some_and(|d| commented[d.element as usize]);
        if in_comments
            && matches!(reason, Reason::Comments | Reason::OutsideMainContent)
            && matches!(label, Local::Prose | Local::Short)
        {
            *reason = Reason::Content;
        }
    }
}

/// Per element: it, or an ancestor, is named as comments. Found in one pass, as
/// [`super::article::unlikely_elements`] finds furniture: a parent comes before its children.
fn comment_elements(elements: &[Element]) -> Vec<bool> {
    let mut commented = vec![false; elements.len()];
    for (i, e) in elements.iter().enumerate() {
        let parent_commented = e.parent != NO_ELEMENT && commented[e.parent as usize];
        commented[i] = parent_commented || e.hints.0 & DomHints::COMMENTS != 0;
    }
    commented
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

#[cfg(test)]
mod tests {
    use crate::census::Counter;
    use crate::emit::OutputFormat;
    use crate::{Cleaner, Config, SiteContext};

    fn clean(html: &str) -> String {
        Cleaner::new(Config::default())
            .clean_html(html, None, OutputFormat::Text)
            .text
    }

    const PROSE: [&str; 4] = [
        "The river rose over its banks in three places overnight, and the council closed the old bridge before dawn.",
        "Engineers said the water would fall by Friday, though more rain is forecast for the hills above the town.",
        "Shops along the quay stayed shut, and the owners, who have seen floods before, moved their stock upstairs.",
        "The mayor, speaking from the town hall, thanked the volunteers who filled sandbags through the night.",
    ];

    fn paragraphs(texts: &[&str]) -> String {
        texts.iter().map(|t| format!("<p>{t}</p>")).collect()
    }

    const NAV: &str = "<nav><ul><li><a href=/>Home</a></li><li><a href=/n>News</a></li>\
                       <li><a href=/s>Sport</a></li><li><a href=/w>Weather</a></li></ul></nav>";

    #[test]
    fn the_article_and_its_title_stay_and_the_furniture_goes() {
        let page = format!(
            "<html><body>{NAV}<header><h1>Floods close the old bridge</h1></header>\
             <div class=story>{}</div>\
             <aside class=sidebar><p>About us: we are a small newsroom, founded in 1990, and we \
             cover the valley, its towns, and its people every day of the year.</p></aside>\
             <footer><p>Copyright 2024 Valley News. All rights reserved.</p></footer></body></html>",
            paragraphs(&PROSE)
        );
        let expected = format!("Floods close the old bridge\n\n{}\n", PROSE.join("\n\n"));
        assert_eq!(clean(&page), expected);
    }

    #[test]
    fn a_short_article_is_not_traded_for_its_comment_thread() {
        let comment = "I have lived by the river for forty years, and I have never seen it so \
                       high, so fast, with so little warning from anyone in charge of the dams.";
        let comments: String = (0..8)
            .map(|i| format!("<li class=comment><p>Reader {i} wrote:</p><p>{comment}</p></li>"))
            .collect();
        let page = format!(
            "<html><body><div class=entry-content>{}</div>\
             <div id=comments><ol class=comment-list>{comments}</ol></div></body></html>",
            paragraphs(&PROSE[..2])
        );
        assert_eq!(clean(&page), format!("{}\n", PROSE[..2].join("\n\n")));
    }

    #[test]
    fn a_page_of_entries_keeps_every_entry() {
        // The first entry alone is the densest element, and the others score too far below it
        // to be its rivals; together they are the page's content.
        let entries: String = PROSE
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let body = if i == 0 {
                    paragraphs(&PROSE)
                } else {
                    format!("<p>In item {i}: {p}</p>")
                };
                format!("<div class=item><h2>An item of the list</h2><div class=words>{body}</div></div>")
            })
            .collect();
        let page = format!("<html><body>{NAV}<div class=items>{entries}</div></body></html>");
        let text = clean(&page);
        for (i, p) in PROSE.iter().enumerate().skip(1) {
            assert!(
                text.contains(&format!("In item {i}: {p}")),
                "item {i} missing: {text}"
            );
        }
        assert!(!text.contains("Weather"));
    }

    #[test]
    fn teasers_of_other_stories_do_not_widen_the_article() {
        let teaser = |i: usize| {
            format!(
                "<li><a href=/story-{i}>Another story number {i} about the valley</a> \
                 <span>VALLEY: The council said on Monday that the plans for the new \
                 bridge, the road and the school would be put to the vote in the spring, and \
                 that residents could...</span></li>"
            )
        };
        // Fewer than the article's paragraphs, they do not draw the article to them; but they
        // would double the prose of an element around it.
        let teasers: String = (0..4).map(teaser).collect();
        let page = format!(
            "<html><body><div class=main><div class=wrap><div class=ticker><ul>{teasers}</ul>\
             </div></div><div class=col><div class=story>{}</div></div></div></body></html>",
            paragraphs(&PROSE)
        );
        assert_eq!(clean(&page), format!("{}\n", PROSE.join("\n\n")));
    }

    #[test]
    fn a_lead_paragraph_beside_the_body_joins_the_article() {
        let lead = "Floods closed the old bridge on Tuesday as the river rose over its banks in three places.";
        let page = format!(
            "<html><body><div class=lead>{lead}</div><div class=body>{}</div></body></html>",
            paragraphs(&PROSE)
        );
        assert!(clean(&page).starts_with(lead));
    }

    #[test]
    fn furniture_inside_the_article_goes() {
        let related = "<div class=related><ul><li><a href=/a>Storm warning for the coast</a></li>\
                       <li><a href=/b>Bridge repairs to cost millions</a></li>\
                       <li><a href=/c>How to prepare your home for a flood</a></li></ul></div>";
        let page = format!(
            "<html><body><article>{}{related}{}</article></body></html>",
            paragraphs(&PROSE[..2]),
            paragraphs(&PROSE[2..])
        );
        assert_eq!(clean(&page), format!("{}\n", PROSE.join("\n\n")));
    }

    #[test]
    fn a_repeated_paragraph_stays_once_and_repeated_labels_stay() {
        let page = format!(
            "<html><body><article><p>Answer:</p>{}<p>Answer:</p>{}</article></body></html>",
            paragraphs(&PROSE),
            paragraphs(&PROSE[..1])
        );
        let text = clean(&page);
        assert_eq!(text.matches(PROSE[0]).count(), 1);
        assert_eq!(text.matches("Answer:").count(), 2);
    }

    #[test]
    fn a_block_the_site_repeats_cannot_draw_the_article_to_it() {
        // The promotion is longer than any paragraph of the article, on every page of the site.
        let promo = "Our reporters have covered the valley for thirty years, through floods, fires, \
                     elections and harvests, and with your support, given once or every month, \
                     we will keep doing it for thirty more, free for every reader in the valley.";
        let page = |i: usize| {
            format!(
                "<html><body><div class=box><p>{promo}</p></div>\
                 <div class=text><p>{}</p><p>Story {i} goes on here with a second sentence.</p></div>\
                 </body></html>",
                PROSE[i]
            )
        };
        let cleaner = Cleaner::new(Config::default());
        let mut counter = Counter::new();
        for i in 0..4 {
            cleaner.count_html(&mut counter, "valley.example", &page(i));
        }
        let census = counter.finish();
        let site = SiteContext {
            census: &census,
            site: "valley.example",
        };
        let text = cleaner
            .clean_html(&page(0), Some(site), OutputFormat::Text)
            .text;
        assert!(text.contains(PROSE[0]), "{text}");
        assert!(!text.contains("thirty more"), "{text}");
    }
}
