//! The census: in how many documents of each site every block appears.
//!
//! Counts are keyed by site and block fingerprint; a document counts once per block however often
//! it holds it. Censuses add up ([`Census::merge`]), so shards of a corpus can be counted apart.

use std::collections::HashMap;

use crate::classify::SiteRepeat;
use crate::fingerprint::{site_block_key, site_key};

/// Document counts per site and per (site, block).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Census {
    site_docs: HashMap<u64, u32>,
    block_docs: HashMap<u64, u32>,
}

impl Census {
    /// An empty census.
    pub fn new() -> Self {
        Census::default()
    }

    /// Counts one document of `site` holding blocks with these fingerprints.
    pub fn add_document(&mut self, site: &str, fingerprints: &[u64]) {
        let site = site_key(site);
        *self.site_docs.entry(site).or_default() += 1;
        let mut distinct = fingerprints.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        for fp in distinct {
            *self.block_docs.entry(site_block_key(site, fp)).or_default() += 1;
        }
    }

    /// Adds another census's counts to this one.
    pub fn merge(&mut self, other: Census) {
        for (site, n) in other.site_docs {
            *self.site_docs.entry(site).or_default() += n;
        }
        for (key, n) in other.block_docs {
            *self.block_docs.entry(key).or_default() += n;
        }
    }

    /// What the census knows of each block of a document of `site`.
    pub fn lookup(&self, site: &str, fingerprints: &[u64]) -> Vec<SiteRepeat> {
        let site = site_key(site);
        let site_docs = self.site_docs.get(&site).copied().unwrap_or(0);
        fingerprints
            .iter()
            .map(|&fp| SiteRepeat {
                docs: self
                    .block_docs
                    .get(&site_block_key(site, fp))
                    .copied()
                    .unwrap_or(0),
                site_docs,
            })
            .collect()
    }

    /// Documents counted.
    pub fn documents(&self) -> u64 {
        self.site_docs.values().map(|&n| n as u64).sum()
    }

    /// Reads a census file written by `deboil census`.
    pub fn read_file(path: &std::path::Path) -> crate::Result<Census> {
        Err(crate::Error::Census {
            path: path.to_path_buf(),
            message: "census files are not supported yet".into(),
        })
    }

    /// Distinct (site, block) fingerprints counted.
    pub fn distinct_blocks(&self) -> usize {
        self.block_docs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_documents_not_occurrences() {
        let mut census = Census::new();
        census.add_document("a", &[1, 1, 2]);
        census.add_document("a", &[1]);
        census.add_document("b", &[1]);
        let seen = census.lookup("a", &[1, 2, 3]);
        assert_eq!(
            seen[0],
            SiteRepeat {
                docs: 2,
                site_docs: 2
            }
        );
        assert_eq!(seen[1].docs, 1);
        assert_eq!(seen[2].docs, 0);
        assert_eq!(census.lookup("b", &[1])[0].docs, 1);
    }

    #[test]
    fn merging_equals_counting_together() {
        let mut whole = Census::new();
        let mut left = Census::new();
        let mut right = Census::new();
        for (i, fps) in [[1u64, 2], [2, 3], [3, 4]].iter().enumerate() {
            whole.add_document("s", fps);
            if i % 2 == 0 { &mut left } else { &mut right }.add_document("s", fps);
        }
        left.merge(right);
        assert_eq!(left, whole);
    }
}
