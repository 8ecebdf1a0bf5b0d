//! Evaluation: cleaning a benchmark dataset and scoring the result against its gold text.
//!
//! A dataset is a folder holding `text/<id>.txt` (pages as plain text), `gold/<id>.txt` (what a
//! human kept) and optionally `meta.tsv` (a header line, then `id`, `url`, `site`, … per page).
//! The score is the one of the reference scorer (`score.py`): text is NFKC-normalised,
//! lower-cased and cut into word tokens; the overlap of the two bags of tokens gives precision,
//! recall and F1 per document, and the figures reported are their means over the documents whose
//! gold is not empty.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use rayon::prelude::*;
use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::census::Counter;
use crate::error::{Error, Result};
use crate::{Cleaner, SiteContext};

/// One page of a dataset.
#[derive(Clone, Debug)]
pub struct Page {
    /// Its id (the file stem).
    pub id: String,
    /// The page as plain text.
    pub input: PathBuf,
    /// The gold text.
    pub gold: PathBuf,
    /// Its site, from `meta.tsv` (empty when unknown).
    pub site: String,
}

/// A benchmark dataset on disk.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// The dataset's name (its folder name).
    pub name: String,
    /// Its pages, sorted by id.
    pub pages: Vec<Page>,
}

impl Dataset {
    /// Opens the dataset in `root`, with its plain-text pages as inputs.
    pub fn open(root: &Path) -> Result<Dataset> {
        Dataset::open_as(root, Input::Text)
    }

    /// Opens the dataset in `root`, with the given inputs.
    pub fn open_as(root: &Path, input: Input) -> Result<Dataset> {
        let (folder, extension) = match input {
            Input::Text => ("text", "txt"),
            Input::Html => ("html", "html"),
        };
        let text_dir = root.join(folder);
        let gold_dir = root.join("gold");
        for dir in [&text_dir, &gold_dir] {
            if !dir.is_dir() {
                return Err(Error::Dataset {
                    path: root.to_path_buf(),
                    message: format!("no {} folder", dir.display()),
                });
            }
        }
        let sites = read_sites(&root.join("meta.tsv"))?;
        let mut pages = Vec::new();
        for entry in std::fs::read_dir(&gold_dir).map_err(|e| Error::io(&gold_dir, e))? {
            let entry = entry.map_err(|e| Error::io(&gold_dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(id) = name.strip_suffix(".txt") else {
                continue;
            };
            pages.push(Page {
                id: id.to_string(),
                input: text_dir.join(format!("{id}.{extension}")),
                gold: entry.path(),
                site: sites.get(id).cloned().unwrap_or_default(),
            });
        }
        pages.sort_by(|a, b| a.id.cmp(&b.id));
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| root.display().to_string());
        Ok(Dataset { name, pages })
    }
}

/// `meta.tsv`: the `site` column per `id`, located by the header.
fn read_sites(path: &Path) -> Result<HashMap<String, String>> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Ok(HashMap::new());
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split('\t').collect();
    let column = |name: &str| header.iter().position(|h| *h == name);
    let (Some(id_col), Some(site_col)) = (column("id"), column("site")) else {
        return Err(Error::Dataset {
            path: path.to_path_buf(),
            message: "meta.tsv lacks an `id` or `site` column".into(),
        });
    };
    Ok(lines
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            Some((
                fields.get(id_col)?.to_string(),
                fields.get(site_col)?.to_string(),
            ))
        })
        .collect())
}

/// Which pages of a dataset are cleaned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Input {
    /// `text/<id>.txt`: the pages as plain text.
    #[default]
    Text,
    /// `html/<id>.html`: the pages as HTML.
    Html,
}

/// Precision, recall and F1 of one prediction, or a mean of many.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Score {
    /// Share of predicted tokens that are in the gold.
    pub precision: f64,
    /// Share of gold tokens that were predicted.
    pub recall: f64,
    /// Harmonic mean of the two.
    pub f1: f64,
}

static WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[\p{L}\p{N}\p{Mn}\p{Mc}_]+").expect("valid regex"));

/// The bag of word tokens of `text`, as the reference scorer cuts it.
pub fn tokens(text: &str) -> HashMap<String, u32> {
    let normal: String = text.nfkc().collect::<String>().to_lowercase();
    let mut bag = HashMap::new();
    for word in WORD.find_iter(&normal) {
        *bag.entry(word.as_str().to_string()).or_default() += 1;
    }
    bag
}

/// Scores `predicted` against `gold`; `None` when the gold has no tokens.
pub fn score(gold: &str, predicted: &str) -> Option<Score> {
    let gold = tokens(gold);
    let predicted = tokens(predicted);
    let gold_total: u32 = gold.values().sum();
    if gold_total == 0 {
        return None;
    }
    let predicted_total: u32 = predicted.values().sum();
    let overlap: u32 = predicted
        .iter()
        .map(|(word, &n)| n.min(gold.get(word).copied().unwrap_or(0)))
        .sum();
    let precision = if predicted_total == 0 {
        0.0
    } else {
        overlap as f64 / predicted_total as f64
    };
    let recall = overlap as f64 / gold_total as f64;
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Some(Score {
        precision,
        recall,
        f1,
    })
}

/// One page's score.
#[derive(Clone, Debug)]
pub struct PageScore {
    /// The page's id.
    pub id: String,
    /// Its score.
    pub score: Score,
}

/// The result of evaluating a dataset.
#[derive(Clone, Debug)]
pub struct Report {
    /// The dataset's name.
    pub dataset: String,
    /// Per-page scores, by id.
    pub pages: Vec<PageScore>,
    /// Pages skipped because their gold is empty.
    pub skipped_empty_gold: usize,
    /// Mean precision, recall and F1 over the scored pages.
    pub mean: Score,
}

impl Report {
    /// The `n` pages with the lowest F1, worst first.
    pub fn worst(&self, n: usize) -> Vec<&PageScore> {
        let mut pages: Vec<&PageScore> = self.pages.iter().collect();
        pages.sort_by(|a, b| a.score.f1.total_cmp(&b.score.f1).then(a.id.cmp(&b.id)));
        pages.truncate(n);
        pages
    }
}

/// How to evaluate.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Count a census over the dataset's pages (grouped by their `meta.tsv` site) and use it.
    pub census: bool,
    /// Write every page's clean text to this folder as `<id>.txt` (for `score.py` or a diff).
    pub keep: Option<PathBuf>,
    /// Which pages to clean.
    pub input: Input,
}

/// Cleans every page of `dataset` and scores it against its gold.
pub fn evaluate(dataset: &Dataset, cleaner: &Cleaner, options: &Options) -> Result<Report> {
    let inputs: Vec<String> = dataset
        .pages
        .par_iter()
        .map(|page| read_lossy(&page.input))
        .collect::<Result<_>>()?;
    let census = options.census.then(|| {
        let mut counter = Counter::without_exemplars();
        for (page, text) in dataset.pages.iter().zip(&inputs) {
            match options.input {
                Input::Text => cleaner.count(&mut counter, &page.site, text),
                Input::Html => cleaner.count_html(&mut counter, &page.site, text),
            }
        }
        counter.finish()
    });
    if let Some(dir) = &options.keep {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let scored: Vec<Option<PageScore>> = dataset
        .pages
        .par_iter()
        .zip(&inputs)
        .map(|(page, text)| {
            let site = census.as_ref().map(|census| SiteContext {
                census,
                site: &page.site,
            });
            let cleaned = match options.input {
                Input::Text => cleaner.clean_with(text, site),
                Input::Html => cleaner.clean_html(text, site, crate::emit::OutputFormat::Text),
            };
            if let Some(dir) = &options.keep {
                let path = dir.join(format!("{}.txt", page.id));
                crate::batch::write_atomically(&path, cleaned.text.as_bytes())?;
            }
            let gold = read_lossy(&page.gold)?;
            Ok(score(&gold, &cleaned.text).map(|score| PageScore {
                id: page.id.clone(),
                score,
            }))
        })
        .collect::<Result<_>>()?;
    let skipped_empty_gold = scored.iter().filter(|s| s.is_none()).count();
    let pages: Vec<PageScore> = scored.into_iter().flatten().collect();
    let mean = mean_score(&pages);
    Ok(Report {
        dataset: dataset.name.clone(),
        pages,
        skipped_empty_gold,
        mean,
    })
}

fn mean_score(pages: &[PageScore]) -> Score {
    let n = pages.len().max(1) as f64;
    let sum = |f: fn(&Score) -> f64| pages.iter().map(|p| f(&p.score)).sum::<f64>() / n;
    Score {
        precision: sum(|s| s.precision),
        recall: sum(|s| s.recall),
        f1: sum(|s| s.f1),
    }
}

fn read_lossy(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    Ok(crate::read::text_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_as_the_reference_scorer() {
        let s = score("The cat sat on the mat", "the cat, the dog").unwrap();
        // overlap: the×2, cat → 3; predicted 4, gold 6
        assert!((s.precision - 0.75).abs() < 1e-9);
        assert!((s.recall - 0.5).abs() < 1e-9);
        assert!((s.f1 - 0.6).abs() < 1e-9);
        assert_eq!(score("", "anything"), None);
        assert_eq!(score("gold", "").unwrap().f1, 0.0);
    }

    #[test]
    fn tokens_are_nfkc_lowercased_words() {
        let bag = tokens("Ｆｕｌｌ width, ﬁne ÉTÉ 42_x");
        assert_eq!(bag.get("full"), Some(&1));
        assert_eq!(bag.get("fine"), Some(&1));
        assert_eq!(bag.get("été"), Some(&1));
        assert_eq!(bag.get("42_x"), Some(&1));
    }
}
