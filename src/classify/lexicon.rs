//! The boilerplate lexicon: phrases that mark calls to action, legal notices, navigation and the
//! like, kept as data tables (one a language, in `lexicon/`) and matched in one pass.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// The kinds of boilerplate a lexicon phrase points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Category {
    /// Calls to action: subscribe, donate, sign up.
    CallToAction = 0,
    /// Sharing and social buttons.
    Share,
    /// Copyright, privacy, cookies, terms.
    Legal,
    /// Advertising labels.
    Ad,
    /// Comment-system notices.
    Comments,
    /// Navigation words.
    Navigation,
    /// Lists of other articles.
    Related,
    /// Photo credits.
    Credit,
    /// Dates and bylines.
    Meta,
}

/// Number of categories.
pub const CATEGORIES: usize = 9;

impl Category {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "cta" => Category::CallToAction,
            "share" => Category::Share,
            "legal" => Category::Legal,
            "ad" => Category::Ad,
            "comments" => Category::Comments,
            "nav" => Category::Navigation,
            "related" => Category::Related,
            "credit" => Category::Credit,
            "meta" => Category::Meta,
            _ => return None,
        })
    }
}

/// The tables compiled into deboil, one per language.
const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("lexicon/en.tsv")),
    ("de", include_str!("lexicon/de.tsv")),
    ("fr", include_str!("lexicon/fr.tsv")),
    ("es", include_str!("lexicon/es.tsv")),
];

/// Stop-word lists compiled into deboil, one per language.
const STOPWORDS: &[(&str, &str)] = &[
    ("en", include_str!("lexicon/stopwords-en.txt")),
    ("de", include_str!("lexicon/stopwords-de.txt")),
    ("fr", include_str!("lexicon/stopwords-fr.txt")),
    ("es", include_str!("lexicon/stopwords-es.txt")),
];

/// What the lexicon found in one block.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Hits {
    /// Sum of phrase weights, per [`Category`].
    pub weight: [u8; CATEGORIES],
    /// Bytes of the (lower-cased) block covered by matched phrases.
    pub covered_bytes: u32,
}

impl Hits {
    /// The weight found for one category.
    pub fn of(&self, category: Category) -> u8 {
        self.weight[category as usize]
    }

    /// Total weight over all categories but [`Category::Meta`], which is too common in prose.
    pub fn boilerplate_weight(&self) -> u32 {
        self.weight
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != Category::Meta as usize)
            .map(|(_, &w)| w as u32)
            .sum()
    }
}

/// A compiled lexicon.
pub struct Lexicon {
    matcher: AhoCorasick,
    /// Category and weight of each pattern, by pattern index.
    entries: Vec<(Category, u8, bool, bool)>,
    stopwords: rustc_hash::FxHashSet<&'static str>,
}

/// The lexicon of every compiled-in language, built on first use.
pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(Lexicon::builtin);

impl Lexicon {
    fn builtin() -> Self {
        let mut patterns = Vec::new();
        let mut entries = Vec::new();
        for (_, table) in TABLES {
            for line in table.lines() {
                let line = line.trim_end();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let mut fields = line.splitn(3, '\t');
                let (Some(category), Some(weight), Some(phrase)) =
                    (fields.next(), fields.next(), fields.next())
                else {
                    continue;
                };
                let (Some(category), Ok(weight)) = (Category::parse(category), weight.parse())
                else {
                    continue;
                };
                let phrase = phrase.to_lowercase();
                let starts_word = phrase.chars().next().is_some_and(char::is_alphanumeric);
                let ends_word = phrase.chars().last().is_some_and(char::is_alphanumeric);
                patterns.push(phrase);
                entries.push((category, weight, starts_word, ends_word));
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            // The lexicon is small: a full DFA costs little memory and scans fastest.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .expect("the built-in lexicon compiles");
        let stopwords = STOPWORDS
            .iter()
            .flat_map(|(_, list)| list.lines().map(str::trim).filter(|w| !w.is_empty()))
            .collect();
        Lexicon {
            matcher,
            entries,
            stopwords,
        }
    }

    /// Finds the lexicon's phrases in `lowercase`, a block's text already lower-cased.
    pub fn hits(&self, lowercase: &str) -> Hits {
        let mut hits = Hits::default();
        let bytes = lowercase.as_bytes();
        for m in self.matcher.find_iter(lowercase) {
            let (category, weight, starts_word, ends_word) = self.entries[m.pattern().as_usize()];
            if starts_word && ends_in_word(&lowercase[..m.start()]) {
                continue;
            }
            if ends_word && starts_in_word(&lowercase[m.end()..]) {
                continue;
            }
            let slot = &mut hits.weight[category as usize];
            *slot = slot.saturating_add(weight);
            hits.covered_bytes += (m.end() - m.start()) as u32;
        }
        debug_assert!(hits.covered_bytes as usize <= bytes.len());
        hits
    }

    /// Whether `word` (lower-case) is a stop word of a compiled-in language.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.contains(word)
    }
}

fn ends_in_word(before: &str) -> bool {
    before
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

fn starts_in_word(after: &str) -> bool {
    after.chars().next().is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_on_word_boundaries_only() {
        let hits = LEXICON.hits("subscribe to our newsletter");
        assert_eq!(hits.of(Category::CallToAction), 4);
        let hits = LEXICON.hits("the subscribers' homework");
        assert_eq!(hits.of(Category::CallToAction), 2);
        assert_eq!(hits.of(Category::Navigation), 0, "'home' inside 'homework'");
    }

    #[test]
    fn symbols_match_without_word_boundaries() {
        let hits = LEXICON.hits("©2020 acme inc. all rights reserved");
        assert_eq!(hits.of(Category::Legal), 4);
    }

    #[test]
    fn stopwords_cover_several_languages() {
        assert!(LEXICON.is_stopword("the"));
        assert!(LEXICON.is_stopword("und"));
        assert!(!LEXICON.is_stopword("pentagon"));
    }
}
