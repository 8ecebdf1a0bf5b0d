//! Configuration: a builder with documented defaults that yields a checked [`Config`].

use crate::classify::CensusThresholds;
use crate::error::{Error, Result};

/// Default for [`ConfigBuilder::min_docs`].
pub const DEFAULT_MIN_DOCS: u32 = 2;
/// Default for [`ConfigBuilder::min_share`].
pub const DEFAULT_MIN_SHARE: f32 = 0.3;
/// Default for [`ConfigBuilder::max_doc_bytes`]: 64 MiB.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 64 << 20;

/// A checked configuration of the cleaner. Build one with [`Config::builder`].
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub(crate) census: CensusThresholds,
    pub(crate) max_doc_bytes: u64,
    pub(crate) keep_comments: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config::builder().build().expect("defaults are valid")
    }
}

impl Config {
    /// A builder starting from the defaults.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder {
            min_docs: DEFAULT_MIN_DOCS,
            min_share: DEFAULT_MIN_SHARE,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
            keep_comments: false,
        }
    }

    /// Census thresholds in force.
    pub fn census_thresholds(&self) -> CensusThresholds {
        self.census
    }

    /// Largest document cleaned; larger ones are skipped and reported.
    pub fn max_doc_bytes(&self) -> u64 {
        self.max_doc_bytes
    }

    /// Whether readers' comments below the article are kept (see
    /// [`ConfigBuilder::keep_comments`]).
    pub fn keeps_comments(&self) -> bool {
        self.keep_comments
    }
}

/// Builds a [`Config`]; every setting has a default.
#[derive(Clone, Debug)]
pub struct ConfigBuilder {
    min_docs: u32,
    min_share: f32,
    max_doc_bytes: u64,
    keep_comments: bool,
}

impl ConfigBuilder {
    /// A block is site boilerplate only if at least this many documents of its site hold it
    /// (default [`DEFAULT_MIN_DOCS`]; at least 2).
    pub fn min_docs(mut self, n: u32) -> Self {
        self.min_docs = n;
        self
    }

    /// ... and at least this share of the site's documents (default [`DEFAULT_MIN_SHARE`];
    /// between 0 and 1).
    pub fn min_share(mut self, share: f32) -> Self {
        self.min_share = share;
        self
    }

    /// Documents larger than this many bytes are skipped and reported
    /// (default [`DEFAULT_MAX_DOC_BYTES`]).
    pub fn max_doc_bytes(mut self, bytes: u64) -> Self {
        self.max_doc_bytes = bytes;
        self
    }

    /// Keep the text of readers' comments below the article, as part of the page's text
    /// (default: `false`, they go as `comments`). The comment system's own lines ("Leave a
    /// reply", "Comments (3)", "Reply") and each comment's author-and-date line still go.
    /// Whether comments belong to a page's text is a matter of convention: corpora of forum
    /// talk want them, and CleanEval's gold keeps them; scrapinghub's, dragnet's and
    /// CleanPortalEval's leave them out.
    pub fn keep_comments(mut self, keep: bool) -> Self {
        self.keep_comments = keep;
        self
    }

    /// Checks the settings and yields the configuration.
    pub fn build(self) -> Result<Config> {
        if self.min_docs < 2 {
            return Err(Error::Config(format!(
                "min-docs must be at least 2 (a block in one document is not repeated), got {}",
                self.min_docs
            )));
        }
        if !(self.min_share > 0.0 && self.min_share <= 1.0) {
            return Err(Error::Config(format!(
                "min-share must be above 0 and at most 1, got {}",
                self.min_share
            )));
        }
        if self.max_doc_bytes == 0 {
            return Err(Error::Config("max-doc-bytes must be above 0".into()));
        }
        Ok(Config {
            census: CensusThresholds {
                min_docs: self.min_docs,
                min_share: self.min_share,
            },
            max_doc_bytes: self.max_doc_bytes,
            keep_comments: self.keep_comments,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_build() {
        let config = Config::default();
        assert_eq!(config.census_thresholds().min_docs, DEFAULT_MIN_DOCS);
        assert!(!config.keeps_comments());
        assert!(
            Config::builder()
                .keep_comments(true)
                .build()
                .unwrap()
                .keeps_comments()
        );
    }

    #[test]
    fn out_of_range_values_are_refused() {
        assert!(Config::builder().min_docs(1).build().is_err());
        assert!(Config::builder().min_share(0.0).build().is_err());
        assert!(Config::builder().min_share(1.5).build().is_err());
        assert!(Config::builder().max_doc_bytes(0).build().is_err());
    }
}
