//! The corpus runner: the pipeline stages over many inputs, in parallel and deterministically.
//!
//! A run has up to two passes over the inputs. The census pass reads every document, fingerprints
//! its blocks and counts them per site (each worker counts apart; the counts are merged). The clean
//! pass reads every document again, classifies it with the census, and writes the result. Reading
//! twice instead of holding the corpus keeps memory flat whatever the corpus size.
//!
//! Output order never depends on the thread count: to standard output, documents are cleaned in
//! parallel chunks and written in input order; to a folder, every input has its own output file,
//! written to a temporary file beside it and renamed into place.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::census::{Census, Counter};
use crate::emit::Style;
use crate::error::{Error, Result};
use crate::read::{self, Loaded, Source};
use crate::{Cleaner, SiteContext};

/// Where cleaned documents go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Standard output, documents in input order.
    Stdout,
    /// A folder: each input's output at the input's relative path below it.
    Dir(PathBuf),
}

/// Whether and how the site census is used.
#[derive(Clone, Debug, Default)]
pub enum CensusMode {
    /// Count the census over the inputs themselves in a first pass (when there is more than one
    /// document to count).
    #[default]
    Count,
    /// Use a census counted before (`--census FILE`).
    Given(std::sync::Arc<Census>),
    /// No census: every document is judged on its own evidence.
    Off,
}

/// What to emit for each document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Emit {
    /// The clean text.
    #[default]
    Clean,
    /// Every block with its verdict.
    Explain(Style),
}

/// A batch run's settings besides the cleaner's own configuration.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    /// Input paths, folders or globs; `-` is standard input. Empty means standard input.
    pub inputs: Vec<PathBuf>,
    /// Where outputs go.
    pub output: Option<PathBuf>,
    /// Census use.
    pub census: CensusMode,
    /// What to write.
    pub emit: Emit,
}

/// A problem with one input; the batch goes on with the others.
#[derive(Debug)]
pub struct Problem {
    /// The input concerned (`<stdin>` for standard input).
    pub input: String,
    /// What went wrong.
    pub error: Error,
    /// True if the input was still processed (a warning), false if it was skipped or failed.
    pub recovered: bool,
}

/// Counts over a finished run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// Documents cleaned and written.
    pub documents: u64,
    /// Inputs that failed or were skipped.
    pub failed: u64,
    /// Inputs processed with a warning (such as invalid UTF-8 replaced).
    pub warnings: u64,
    /// Bytes read by the clean pass.
    pub bytes_in: u64,
    /// Bytes of clean text written.
    pub bytes_out: u64,
    /// Blocks seen.
    pub blocks: u64,
    /// Blocks removed, per reason name.
    pub removed: BTreeMap<&'static str, u64>,
    /// Documents counted by the census pass (0 without one).
    pub census_documents: u64,
}

impl Summary {
    fn add(&mut self, other: Summary) {
        self.documents += other.documents;
        self.failed += other.failed;
        self.warnings += other.warnings;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.blocks += other.blocks;
        for (reason, n) in other.removed {
            *self.removed.entry(reason).or_default() += n;
        }
    }
}

/// Documents cleaned in parallel before their outputs go to standard output in order.
const STDOUT_CHUNK: usize = 256;

impl Batch {
    /// Runs the batch on the current rayon pool. `report` hears of every problem as it happens;
    /// the returned [`Summary`] counts them. An `Err` means the run as a whole could not proceed
    /// (for instance the output folder lies inside an input folder).
    pub fn run(&self, cleaner: &Cleaner, report: &(dyn Fn(&Problem) + Sync)) -> Result<Summary> {
        let inputs = if self.inputs.is_empty() {
            vec![PathBuf::from("-")]
        } else {
            self.inputs.clone()
        };
        let output = match &self.output {
            None => Output::Stdout,
            Some(dir) => Output::Dir(dir.clone()),
        };
        if let Output::Dir(dir) = &output {
            check_output_outside_inputs(dir, &inputs)?;
        }
        let (sources, not_found) = read::discover(&inputs);
        let mut summary = Summary::default();
        for error in not_found {
            summary.failed += 1;
            report(&Problem {
                input: error_subject(&error),
                error,
                recovered: false,
            });
        }
        let destinations = match &output {
            Output::Dir(dir) => Some(plan_destinations(&sources, dir, report, &mut summary)),
            Output::Stdout => None,
        };

        let census = match &self.census {
            CensusMode::Off => None,
            CensusMode::Given(census) => Some(census.clone()),
            CensusMode::Count if counts_census(&sources) => {
                let census = count_census(cleaner, &sources);
                summary.census_documents = census.documents();
                Some(std::sync::Arc::new(census))
            }
            CensusMode::Count => None,
        };
        let census = census.as_deref();

        let cleaned = match (&output, destinations) {
            (Output::Dir(_), Some(destinations)) => {
                clean_to_files(cleaner, census, self.emit, &destinations, report)
            }
            _ => clean_to_stdout(cleaner, census, self.emit, &sources, report)?,
        };
        summary.add(cleaned);
        Ok(summary)
    }
}

/// A census needs at least two documents to say anything; standard input alone has one.
fn counts_census(sources: &[Source]) -> bool {
    sources
        .iter()
        .filter(|s| matches!(s, Source::File(_)))
        .count()
        > 1
}

fn error_subject(error: &Error) -> String {
    match error {
        Error::Io { path, .. } | Error::NotFound { path } | Error::WouldOverwriteInput { path } => {
            path.display().to_string()
        }
        Error::OutputCollision { input, .. } => input.display().to_string(),
        Error::BadGlob { pattern, .. } => pattern.clone(),
        other => other.to_string(),
    }
}

/// Outputs must not land inside an input folder: a second run would read them as inputs.
fn check_output_outside_inputs(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    let output_abs = absolute(output);
    for input in read::input_folders(inputs) {
        let input_abs = absolute(&input);
        if output_abs.starts_with(&input_abs) {
            return Err(Error::OutputInsideInput {
                output: output.to_path_buf(),
                input,
            });
        }
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// One input and the file its output goes to.
struct Destination<'a> {
    source: &'a Source,
    path: PathBuf,
}

/// Maps every input to its output file below `dir`, refusing collisions and overwrites of inputs.
fn plan_destinations<'a>(
    sources: &'a [Source],
    dir: &Path,
    report: &(dyn Fn(&Problem) + Sync),
    summary: &mut Summary,
) -> Vec<Destination<'a>> {
    let inputs: std::collections::HashSet<PathBuf> = sources
        .iter()
        .filter_map(|s| match s {
            Source::File(f) => Some(absolute(&f.path)),
            Source::Stdin => None,
        })
        .collect();
    let mut taken: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut planned = Vec::with_capacity(sources.len());
    for source in sources {
        let (name, relative) = match source {
            Source::Stdin => (PathBuf::from("<stdin>"), PathBuf::from("stdin.txt")),
            Source::File(f) => (f.path.clone(), f.relative.clone()),
        };
        let path = dir.join(&relative);
        let problem = if inputs.contains(&absolute(&path)) {
            Some(Error::WouldOverwriteInput { path: name.clone() })
        } else {
            taken.get(&path).map(|other| Error::OutputCollision {
                input: name.clone(),
                output: path.clone(),
                other: other.clone(),
            })
        };
        match problem {
            Some(error) => {
                summary.failed += 1;
                report(&Problem {
                    input: name.display().to_string(),
                    error,
                    recovered: false,
                });
            }
            None => {
                taken.insert(path.clone(), name);
                planned.push(Destination { source, path });
            }
        }
    }
    planned
}

/// Documents of one site counted together by one worker in the census pass.
const CENSUS_CHUNK: usize = 256;

/// The census pass. Each site's documents, in path order, are cut into chunks of
/// [`CENSUS_CHUNK`]; each chunk is counted by one worker and the counts are added up. As the
/// chunks do not depend on the thread count or the order of the inputs, neither does the census,
/// exemplar texts included. Unreadable inputs are skipped silently here; the clean pass reports
/// them.
pub fn count_census(cleaner: &Cleaner, sources: &[Source]) -> Census {
    let max_bytes = cleaner.config().max_doc_bytes();
    let mut by_site: BTreeMap<&str, Vec<&Source>> = BTreeMap::new();
    for source in sources.iter().filter(|s| matches!(s, Source::File(_))) {
        by_site.entry(source.site()).or_default().push(source);
    }
    let mut chunks = Vec::new();
    for documents in by_site.values_mut() {
        documents.sort_by_key(|s| s.name());
        documents.dedup_by_key(|s| s.name());
        chunks.extend(documents.chunks(CENSUS_CHUNK));
    }
    chunks
        .par_iter()
        .map(|chunk| {
            let mut counter = Counter::new();
            for source in *chunk {
                if let Ok(Loaded::Text(decoded)) = read::load(source, max_bytes) {
                    cleaner.count(&mut counter, source.site(), &decoded.text);
                }
            }
            counter
        })
        .reduce(Counter::new, |mut a, b| {
            a.merge(b);
            a
        })
        .finish()
}

/// One input's result in the clean pass.
struct Outcome {
    text: String,
    summary: Summary,
}

/// Reads and cleans one input, reporting its problems. `None` when it could not be cleaned.
fn clean_one(
    cleaner: &Cleaner,
    census: Option<&Census>,
    emit: Emit,
    source: &Source,
    report: &(dyn Fn(&Problem) + Sync),
) -> Option<Outcome> {
    let mut summary = Summary::default();
    let fail = |error: Error| {
        report(&Problem {
            input: source.name(),
            error,
            recovered: false,
        });
    };
    let decoded = match read::load(source, cleaner.config().max_doc_bytes()) {
        Ok(Loaded::Text(decoded)) => decoded,
        Ok(Loaded::Binary { offset }) => {
            fail(Error::Input {
                input: source.name(),
                message: format!("binary content (NUL byte at byte offset {offset}); skipped"),
            });
            return None;
        }
        Ok(Loaded::TooLarge { bytes }) => {
            fail(Error::Input {
                input: source.name(),
                message: format!(
                    "{bytes} bytes exceeds the limit of {} bytes (--max-doc-bytes); skipped",
                    cleaner.config().max_doc_bytes()
                ),
            });
            return None;
        }
        Err(error) => {
            fail(error);
            return None;
        }
    };
    if let Some(offset) = decoded.invalid_utf8_at {
        summary.warnings += 1;
        report(&Problem {
            input: source.name(),
            error: Error::Input {
                input: source.name(),
                message: format!(
                    "invalid UTF-8 at byte offset {offset}; invalid bytes replaced with U+FFFD"
                ),
            },
            recovered: true,
        });
    }
    let site = census.map(|census| SiteContext {
        census,
        site: source.site(),
    });
    let text = &decoded.text;
    let cleaned = cleaner.clean_with(text, site);
    summary.documents = 1;
    summary.bytes_in = text.len() as u64;
    summary.blocks = cleaned.blocks.len() as u64;
    for block in cleaned.removed() {
        *summary.removed.entry(block.reason.name()).or_default() += 1;
    }
    let text = match emit {
        Emit::Clean => cleaned.text,
        Emit::Explain(style) => cleaner.explain(text, site, style),
    };
    summary.bytes_out = text.len() as u64;
    Some(Outcome { text, summary })
}

fn clean_to_stdout(
    cleaner: &Cleaner,
    census: Option<&Census>,
    emit: Emit,
    sources: &[Source],
    report: &(dyn Fn(&Problem) + Sync),
) -> Result<Summary> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut summary = Summary::default();
    for chunk in sources.chunks(STDOUT_CHUNK) {
        let outcomes: Vec<Option<Outcome>> = chunk
            .par_iter()
            .map(|source| clean_one(cleaner, census, emit, source, report))
            .collect();
        for outcome in outcomes {
            match outcome {
                Some(outcome) => {
                    if let Err(e) = out.write_all(outcome.text.as_bytes()) {
                        return stdout_error(e, summary);
                    }
                    summary.add(outcome.summary);
                }
                None => summary.failed += 1,
            }
        }
    }
    if let Err(e) = out.flush() {
        return stdout_error(e, summary);
    }
    Ok(summary)
}

/// A closed pipe downstream (`deboil clean … | head`) ends the run quietly; other write errors
/// are errors.
fn stdout_error(e: io::Error, summary: Summary) -> Result<Summary> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Err(Error::BrokenPipe)
    } else {
        let _ = summary;
        Err(Error::io("<stdout>", e))
    }
}

fn clean_to_files(
    cleaner: &Cleaner,
    census: Option<&Census>,
    emit: Emit,
    destinations: &[Destination<'_>],
    report: &(dyn Fn(&Problem) + Sync),
) -> Summary {
    destinations
        .par_iter()
        .map(|destination| {
            let Some(outcome) = clean_one(cleaner, census, emit, destination.source, report) else {
                return Summary {
                    failed: 1,
                    ..Summary::default()
                };
            };
            match write_atomically(&destination.path, outcome.text.as_bytes()) {
                Ok(()) => outcome.summary,
                Err(error) => {
                    report(&Problem {
                        input: destination.source.name(),
                        error,
                        recovered: false,
                    });
                    Summary {
                        failed: 1,
                        ..Summary::default()
                    }
                }
            }
        })
        .reduce(Summary::default, |mut a, b| {
            a.add(b);
            a
        })
}

/// Writes `bytes` to a temporary file in `path`'s folder and renames it over `path`, so that a
/// reader (or a crash) never sees a half-written output.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut temp = tempfile::Builder::new()
        .prefix(".deboil-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    temp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    make_readable(temp.as_file()).map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Temporary files are created readable by their owner only; outputs are ordinary files.
fn make_readable(file: &std::fs::File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    let _ = file;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.txt");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = std::fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["b.txt"]);
    }

    #[test]
    fn output_inside_input_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("out");
        let err = check_output_outside_inputs(&inside, &[dir.path().to_path_buf()]).unwrap_err();
        assert!(matches!(err, Error::OutputInsideInput { .. }));
        let outside = tempfile::tempdir().unwrap();
        check_output_outside_inputs(outside.path(), &[dir.path().to_path_buf()]).unwrap();
    }
}
