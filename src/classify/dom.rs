//! What the DOM says of HTML blocks: furniture named by class, id or role, and link density.

use super::{Features, Local, Reason};
use crate::segment::{DomHints, Segmented};

/// A hint that covers more than this share of a page's words marks a wrapper of the whole page
/// (`<div class="site-content-footer-wrap">`), not furniture, and is ignored.
const WRAPPER_SHARE: f32 = 0.5;
/// Blocks with more than this share of their characters in links are link lists.
const LINK_DENSE: f32 = 0.5;
/// Prose at least this long is kept inside furniture hints when the article hint is also on it.
const LONG_PROSE_WORDS: u32 = 30;

/// Turns DOM evidence into local verdicts.
pub(crate) fn apply(doc: &Segmented<'_>, features: &[Features], labels: &mut [Local]) {
    let wrappers = wrapper_hints(doc, features);
    for ((block, f), label) in doc.blocks.iter().zip(features).zip(labels.iter_mut()) {
        let Some(dom) = &block.dom else { continue };
        if matches!(label, Local::Boilerplate(_)) {
            continue;
        }
        let hints = DomHints(dom.hints.0 & !wrappers);
        let long_prose = *label == Local::Prose && f.words >= LONG_PROSE_WORDS;
        if hints.any(DomHints::FURNITURE) && !(long_prose && hints.any(DomHints::ARTICLE)) {
            *label = Local::Boilerplate(if hints.any(DomHints::COMMENTS) {
                Reason::Comments
            } else {
                Reason::TemplateHint
            });
        } else if dom.link_density > LINK_DENSE && !(long_prose && dom.link_density < 0.8) {
            *label = Local::Boilerplate(Reason::LinkDense);
        }
    }
}

/// Hint bits that cover most of the page's words.
fn wrapper_hints(doc: &Segmented<'_>, features: &[Features]) -> u32 {
    let total: u32 = features.iter().map(|f| f.words).sum();
    if total == 0 {
        return 0;
    }
    let mut wrappers = 0;
    for bit in 0..16 {
        let mask = 1u32 << bit;
        let covered: u32 = doc
            .blocks
            .iter()
            .zip(features)
            .filter(|(b, _)| b.dom.as_ref().is_some_and(|d| d.hints.any(mask)))
            .map(|(_, f)| f.words)
            .sum();
        if covered as f32 > WRAPPER_SHARE * total as f32 {
            wrappers |= mask;
        }
    }
    wrappers & DomHints::FURNITURE
}
