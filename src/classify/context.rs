//! The decisions that need neighbours: repeats inside the document, navigation runs, the main
//! content region, and short blocks judged by what surrounds them.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::{Features, Local, Reason};
use crate::segment::Segmented;

/// Blocks the document holds more than once. A repeat is boilerplate everywhere when its run of
/// consecutive repeated blocks holds boilerplate or a bare label (a donation box pasted twice);
/// otherwise only the later copies go (a pull quote repeating a paragraph).
pub(crate) fn apply_document_repeats(
    fingerprints: &[u64],
    features: &[Features],
    labels: &mut [Local],
) {
    let mut counts: HashMap<u64, u32> = HashMap::default();
    for (fp, f) in fingerprints.iter().zip(features) {
        if f.words > 0 {
            *counts.entry(*fp).or_default() += 1;
        }
    }
    if counts.values().all(|&n| n < 2) {
        return;
    }
    let repeated = |i: usize| features[i].words > 0 && counts[&fingerprints[i]] >= 2;
    let mut tainted: HashSet<u64> = HashSet::default();
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
        if run
            .clone()
            .any(|j| matches!(labels[j], Local::Boilerplate(_) | Local::Label))
        {
            tainted.extend(run.map(|j| fingerprints[j]));
        }
    }
    let mut seen: HashSet<u64> = HashSet::default();
    for (i, label) in labels.iter_mut().enumerate() {
        if !repeated(i) {
            continue;
        }
        let fp = fingerprints[i];
        let first = seen.insert(fp);
        if tainted.contains(&fp) {
            if !matches!(label, Local::Boilerplate(_)) {
                *label = Local::Boilerplate(Reason::RepeatedInDocument);
            }
        } else if !first {
            *label = Local::Boilerplate(Reason::RepeatedInDocument);
        }
    }
}

/// Final decisions from the local labels and the neighbourhood of each block.
pub(crate) fn decide(doc: &Segmented<'_>, features: &[Features], labels: &[Local]) -> Vec<Reason> {
    let mut labels = labels.to_vec();
    mark_navigation_runs(&mut labels);
    let region = main_region(features, &labels);
    let mut reasons: Vec<Reason> = labels
        .iter()
        .map(|label| match label {
            Local::Boilerplate(reason) => *reason,
            _ => Reason::OutsideMainContent,
        })
        .collect();
    let Some(region) = region else {
        return reasons;
    };
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
    let region_kept = region.clone().any(|i| reasons[i].keeps());
    if let Some(title) = title_before(region.start, features, &labels).filter(|_| region_kept) {
        reasons[title] = Reason::Heading;
    }
    let _ = doc;
    reasons
}

/// Labels in a run of labels and boilerplate (a menu, a footer) are navigation.
fn mark_navigation_runs(labels: &mut [Local]) {
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
        let run = &mut labels[start..i];
        let bare_labels = run.iter().filter(|l| **l == Local::Label).count();
        if bare_labels >= 2 && run.len() >= 3 {
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
/// photo credit in between.
fn title_before(start: usize, features: &[Features], labels: &[Local]) -> Option<usize> {
    let mut j = start;
    for _ in 0..3 {
        j = j.checked_sub(1)?;
        match labels[j] {
            Local::Boilerplate(Reason::Metadata | Reason::CaptionCredit) => continue,
            Local::Short | Local::Label if (2..=30).contains(&features[j].words) => {
                return (!features[j].terminal).then_some(j);
            }
            _ => return None,
        }
    }
    None
}
