//! Times the stages of the plain-text pipeline in process, over a folder of pages held in memory
//! (no file is read or written while timing): segmenting, fingerprinting, folding, counting the
//! census, and cleaning without and with it. One thread; each stage's best of REPS runs.
//!
//! ```sh
//! cargo run --release --example stages -- DIR [REPS] [STAGE]
//! ```
//!
//! A page's site is the folder holding it, as in a corpus laid out as `site/page.txt`. With
//! STAGE, only the stages whose name starts with it run (the census, which cleaning with it
//! needs, counts as one of them).

use std::path::Path;
use std::time::Instant;

use deboil::census::Counter;
use deboil::{Cleaner, Config, SiteContext};

/// A page's site and text.
struct Page {
    site: String,
    text: String,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: stages DIR [REPS] [STAGE]");
    let reps: usize = args
        .next()
        .map_or(3, |n| n.parse().expect("REPS is a number"));
    let only = args.next();
    let mut pages = Vec::new();
    read_pages(Path::new(&dir), &mut pages);
    let megabytes = pages.iter().map(|p| p.text.len()).sum::<usize>() as f64 / 1e6;
    let time = |name: &str, stage: &mut dyn FnMut() -> usize| {
        if only.as_deref().is_some_and(|o| !name.starts_with(o)) {
            return;
        }
        let mut best = f64::MAX;
        let mut result = 0;
        for _ in 0..reps {
            let start = Instant::now();
            result = stage();
            best = best.min(start.elapsed().as_secs_f64());
        }
        println!(
            "{name:20} {best:7.3} s {:8.1} MB/s  ({result})",
            megabytes / best
        );
    };

    let cleaner = Cleaner::new(Config::default());
    time("segment", &mut || {
        let blocks = |p: &Page| deboil::segment::segment_text(&p.text).blocks.len();
        pages.iter().map(blocks).sum()
    });
    time("fingerprint", &mut || {
        pages
            .iter()
            .map(|p| cleaner.fingerprints(&p.text).len())
            .sum()
    });
    let whole: String = pages.iter().map(|p| p.text.as_str()).collect();
    time("fold", &mut || deboil::fingerprint::normalize(&whole).len());
    let mut census = None;
    time("census", &mut || {
        let mut counter = Counter::new();
        for page in &pages {
            cleaner.count(&mut counter, &page.site, &page.text);
        }
        let counted = counter.finish();
        let distinct = counted.distinct_blocks();
        census = Some(counted);
        distinct
    });
    time("clean", &mut || {
        pages
            .iter()
            .map(|p| cleaner.clean(&p.text).text.len())
            .sum()
    });
    let Some(census) = census else { return };
    time("clean with census", &mut || {
        let clean = |p: &Page| {
            let site = SiteContext {
                census: &census,
                site: &p.site,
            };
            cleaner.clean_with(&p.text, Some(site)).text.len()
        };
        pages.iter().map(clean).sum()
    });
}

/// Every file below `dir`, in path order, with the name of the folder holding it as its site.
fn read_pages(dir: &Path, pages: &mut Vec<Page>) {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("DIR is a readable folder")
        .map(|entry| entry.expect("a folder entry").path())
        .collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            read_pages(&path, pages);
            continue;
        }
        let site = dir
            .file_name()
            .map_or_else(String::new, |name| name.to_string_lossy().into_owned());
        let bytes = std::fs::read(&path).expect("a readable file");
        let text = String::from_utf8_lossy(&bytes).into_owned();
        pages.push(Page { site, text });
    }
}
