//! The corpus runner: the pipeline stages over many inputs, in parallel and deterministically.
//!
//! A run that counts its census reads a corpus of plain-text files once: a batch of whole sites
//! at a time, each document is read, cut and fingerprinted, the batch's sites are counted, and
//! the documents are judged with those counts while still in memory (the `by_site` module).
//! Other runs make two passes over the inputs (a document may name its site only once it is
//! read: a JSON Lines or WARC record's URL, an HTML page's canonical link). The census pass
//! reads every document, fingerprints its blocks and counts them per site (the workers add to
//! one shared copy of the counts); the clean pass reads every document again, classifies it
//! with the census, and writes the result. Either way memory stays flat whatever the corpus
//! size: one batch is held (and the next one's files, read meanwhile), or the corpus is read
//! twice.
//!
//! Output order never depends on the thread count: to standard output, documents are cleaned in
//! parallel chunks and written in input order; to a folder, every input has its own output file,
//! written to a temporary file beside it and renamed into place. Inputs of records (JSON Lines,
//! WARC) are streamed ([`crate::streaming`]): read a batch of records at a time, cleaned in
//! parallel.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::Cleaner;
use crate::census::{Census, Counter};
use crate::documents::{self, Settings};
use crate::emit::{OutputFormat, Style};
use crate::error::{Error, Result};
use crate::read::{self, Compression, Compressor, Format, Raw, Source};
use crate::streaming::{self, WriteError};

mod by_site;

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
    /// Input format, when forced (`--format`); otherwise by file name.
    pub format: Option<Format>,
    /// The JSON Lines field holding the text.
    pub text_field: String,
    /// Drop records whose cleaned text is empty.
    pub drop_empty: bool,
    /// Drop malformed JSON lines (counted) instead of passing them through.
    pub skip_bad: bool,
    /// Shape of cleaned text (HTML inputs).
    pub output_format: OutputFormat,
    /// Write a Dolma attribute file of the removed spans for each JSON Lines input, at its
    /// relative path below this folder.
    pub attributes: Option<PathBuf>,
    /// Write JSON Lines records unchanged (tag with `attributes`, do not cut).
    pub tag_only: bool,
    /// Skip inputs whose output file already exists (a restarted run; outputs are only ever
    /// complete). The census still counts every input, so the result is the same.
    pub resume: bool,
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
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
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
    /// Records dropped on purpose (`--skip-bad`, `--drop-empty`).
    pub dropped: u64,
    /// Records that could not be read (a bad JSON line, passed through or dropped).
    pub record_problems: u64,
    /// Inputs skipped by `--resume` because their output was already written.
    pub resumed: u64,
    /// Inputs named (files found, and arguments that matched nothing).
    pub inputs: u64,
    /// Inputs whose output was written (maybe partly, after a damaged stream).
    pub written: u64,
    /// Inputs that produced no output (unreadable, binary, too large, refused).
    /// `inputs == written + skipped + resumed` always holds.
    pub skipped: u64,
}

impl Summary {
    /// The count of one input that produced no output.
    fn skipped_input() -> Summary {
        Summary {
            failed: 1,
            skipped: 1,
            ..Summary::default()
        }
    }

    /// Counts the documents, drops, blocks and removals of one input's `result`.
    fn count_documents(&mut self, result: &documents::FileResult) {
        self.documents += result.documents;
        self.dropped += result.dropped;
        self.blocks += result.blocks;
        for &(reason, count) in &result.removed {
            *self.removed.entry(reason).or_default() += count;
        }
    }

    fn add(&mut self, other: Summary) {
        self.documents += other.documents;
        self.failed += other.failed;
        self.warnings += other.warnings;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.blocks += other.blocks;
        self.dropped += other.dropped;
        self.record_problems += other.record_problems;
        self.resumed += other.resumed;
        self.written += other.written;
        self.skipped += other.skipped;
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
    pub fn run(
        &self,
        cleaner: &Cleaner,
        report: &(dyn Fn(&Problem) + Sync),
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Summary> {
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
            check_output_folder(dir, &inputs)?;
        }
        if let Some(dir) = &self.attributes {
            check_output_folder(dir, &inputs)?;
        }
        let (sources, not_found) = read::discover(&inputs);
        let mut summary = Summary {
            inputs: (sources.len() + not_found.len()) as u64,
            ..Summary::default()
        };
        for error in not_found {
            summary.failed += 1;
            summary.skipped += 1;
            report(&Problem {
                input: error_subject(&error),
                error,
                recovered: false,
            });
        }
        let destinations = match &output {
            Output::Dir(dir) => Some(plan_destinations(
                &sources,
                dir,
                self.format,
                self.output_format,
                self.resume,
                report,
                &mut summary,
            )),
            Output::Stdout => None,
        };

        // A census counted in this run is counted a batch of sites at a time when it can be
        // (see [`by_site`]), with the cleaning.
        let one_pass = matches!(self.census, CensusMode::Count)
            && counts_census(&sources, self.format)
            && by_site::applies(&sources, self.format);
        let census = match &self.census {
            _ if one_pass => None,
            CensusMode::Off => None,
            CensusMode::Given(census) => Some(census.clone()),
            CensusMode::Count if counts_census(&sources, self.format) => {
                let census = count_census_with(
                    Counter::without_exemplars(),
                    can_be_counted,
                    cleaner,
                    &sources,
                    self.format,
                    &self.settings(),
                );
                summary.census_documents = census.documents();
                Some(std::sync::Arc::new(census))
            }
            CensusMode::Count => None,
        };
        let census = census.as_deref();

        let job = Job {
            cleaner,
            census,
            settings: self.settings(),
            format: self.format,
            report,
            progress,
            attributes: self.attributes.as_deref(),
        };
        let cleaned = match (&output, destinations) {
            (Output::Dir(_), Some(destinations)) if one_pass => {
                clean_to_files_by_site(&job, &sources, &destinations)
            }
            (Output::Dir(_), Some(destinations)) => clean_to_files(&job, &destinations),
            _ if one_pass => clean_to_stdout_by_site(&job, &sources)?,
            _ => clean_to_stdout(&job, &sources)?,
        };
        summary.add(cleaned);
        Ok(summary)
    }
}

impl Batch {
    fn settings(&self) -> Settings<'_> {
        Settings {
            text_field: &self.text_field,
            drop_empty: self.drop_empty,
            skip_bad: self.skip_bad,
            output_format: self.output_format,
            explain: match self.emit {
                Emit::Clean => None,
                Emit::Explain(style) => Some(style),
            },
            attributes: self.attributes.is_some(),
            tag_only: self.tag_only,
        }
    }
}

/// Everything the clean pass needs for every input.
struct Job<'a> {
    cleaner: &'a Cleaner,
    census: Option<&'a Census>,
    settings: Settings<'a>,
    format: Option<Format>,
    report: &'a (dyn Fn(&Problem) + Sync),
    progress: &'a (dyn Fn(u64) + Sync),
    attributes: Option<&'a Path>,
}

impl Job<'_> {
    /// What cleaning the documents of `source` needs.
    fn cleaning<'s>(&'s self, source: &'s Source) -> documents::Cleaning<'s> {
        documents::Cleaning {
            cleaner: self.cleaner,
            census: self.census,
            settings: &self.settings,
            source,
        }
    }

    /// Whether `source` is read as a stream of records (JSON Lines, WARC) rather than whole.
    fn streams(&self, source: &Source) -> bool {
        matches!(
            Format::of(source, self.format),
            Format::Jsonl | Format::Warc
        )
    }

    /// Where `source`'s Dolma attribute file goes, when one is asked for (JSON Lines inputs).
    fn attributes_path(&self, source: &Source) -> Option<PathBuf> {
        let dir = self.attributes?;
        (Format::of(source, self.format) == Format::Jsonl).then(|| attributes_path(dir, source))
    }
}

/// Reports a problem with the input `name`; `recovered` when it was cleaned all the same.
fn report_input(job: &Job<'_>, name: &str, message: String, recovered: bool) {
    (job.report)(&Problem {
        input: name.to_string(),
        error: Error::Input {
            input: name.to_string(),
            message,
        },
        recovered,
    });
}

/// Reports an error that stopped `source` from being cleaned.
fn report_error(job: &Job<'_>, source: &Source, error: Error) {
    (job.report)(&Problem {
        input: source.name(),
        error,
        recovered: false,
    });
}

/// Reports an error that stopped `source` from being cleaned, and counts it.
fn input_failed(job: &Job<'_>, source: &Source, error: Error, summary: &mut Summary) {
    summary.add(Summary::skipped_input());
    report_error(job, source, error);
}

/// A census needs at least two documents to say anything: two files, or one file of records.
fn counts_census(sources: &[Source], format: Option<Format>) -> bool {
    let files = sources.iter().filter(|s| can_be_counted(s)).count();
    files > 1
        || sources.iter().any(|s| {
            can_be_counted(s) && matches!(Format::of(s, format), Format::Jsonl | Format::Warc)
        })
}

/// Whether the census pass may read `source`: a file it can read again to clean (not standard
/// input, a pipe or a device).
fn can_be_counted(source: &Source) -> bool {
    matches!(source, Source::File(file) if !file.read_once)
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

/// An output folder must be a folder (or not exist yet), outside every input folder.
fn check_output_folder(output: &Path, inputs: &[PathBuf]) -> Result<()> {
    if output.exists() && !output.is_dir() {
        return Err(Error::OutputNotAFolder {
            path: output.to_path_buf(),
        });
    }
    check_output_outside_inputs(output, inputs)
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

/// The absolute paths of the files among `sources`, symbolic links resolved.
fn absolute_inputs(sources: &[Source]) -> std::collections::HashSet<PathBuf> {
    sources
        .iter()
        .filter_map(|s| match s {
            Source::File(f) => Some(absolute(&f.path)),
            Source::Stdin => None,
        })
        .collect()
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
    format: Option<Format>,
    output_format: OutputFormat,
    resume: bool,
    report: &(dyn Fn(&Problem) + Sync),
    summary: &mut Summary,
) -> Vec<Destination<'a>> {
    // An output can overwrite an input only where a file is already there: the inputs' real
    // paths are resolved (`canonicalize`, a `readlink` a path component) only once an output
    // path exists, not for every input of a run into a new folder; and in a folder that does
    // not exist yet, no output path is looked at.
    let new_folder = !dir.exists();
    let mut inputs: Option<std::collections::HashSet<PathBuf>> = None;
    let mut overwrites_input = |path: &Path| {
        !new_folder
            && path.exists()
            && inputs
                .get_or_insert_with(|| absolute_inputs(sources))
                .contains(&absolute(path))
    };
    let mut taken: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut planned = Vec::with_capacity(sources.len());
    for source in sources {
        let (name, relative) = match source {
            Source::Stdin => (PathBuf::from("<stdin>"), PathBuf::from("stdin.txt")),
            Source::File(f) => (
                f.path.clone(),
                documents::output_name(f, Format::of(source, format), output_format),
            ),
        };
        let path = dir.join(&relative);
        let problem = if overwrites_input(&path) {
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
                summary.skipped += 1;
                report(&Problem {
                    input: name.display().to_string(),
                    error,
                    recovered: false,
                });
            }
            None if resume && path.is_file() => {
                // Outputs are renamed into place only when whole, so one that exists is complete.
                summary.resumed += 1;
                taken.insert(path, name);
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

/// The census of `sources`, as `deboil census` counts it (exemplar texts included, for
/// [`Census::top`]): each site's files counted in fixed chunks in path order, so the census
/// does not depend on the thread count or the order of the inputs.
pub fn count_census(cleaner: &Cleaner, sources: &[Source]) -> Census {
    // Nothing reads the inputs again after this census: a pipe given by name is counted too.
    let every_file = |source: &Source| matches!(source, Source::File(_));
    count_census_with(
        Counter::new(),
        every_file,
        cleaner,
        sources,
        None,
        &Settings::default(),
    )
}

/// The census pass. Each site's single-document files (text, HTML), in path order, are cut into
/// chunks of `CENSUS_CHUNK`; a file of records (JSON Lines, WARC) is a chunk of its own. Each
/// chunk is counted by one worker into the counts they share. As the chunks do not depend on
/// the thread count or the order of the inputs, neither does the census, exemplar texts
/// included. Unreadable inputs are skipped silently here; the clean pass reports them. The
/// clean pass reads no exemplar texts, so its census is counted without them.
fn count_census_with(
    counter: Counter,
    counted: impl Fn(&Source) -> bool,
    cleaner: &Cleaner,
    sources: &[Source],
    format: Option<Format>,
    settings: &Settings<'_>,
) -> Census {
    let max_bytes = cleaner.config().max_doc_bytes();
    let mut by_site: BTreeMap<&str, Vec<&Source>> = BTreeMap::new();
    let mut record_files: Vec<&Source> = Vec::new();
    for source in sources.iter().filter(|s| counted(s)) {
        match Format::of(source, format) {
            Format::Jsonl | Format::Warc => record_files.push(source),
            Format::Text | Format::Html => by_site.entry(source.site()).or_default().push(source),
        }
    }
    record_files.sort_by_key(|s| s.name());
    record_files.dedup_by_key(|s| s.name());
    let mut chunks: Vec<&[&Source]> = record_files.chunks(1).collect();
    for documents in by_site.values_mut() {
        documents.sort_by_key(|s| s.name());
        documents.dedup_by_key(|s| s.name());
        chunks.extend(documents.chunks(CENSUS_CHUNK));
    }
    // The workers' counters share one store, so the counts are held once, not once a worker.
    chunks.par_iter().for_each_init(
        || counter.sibling(),
        |counter, chunk| {
            for source in *chunk {
                let compression = Compression::of(source);
                let stream = || read::open_stream(source, compression).ok();
                match Format::of(source, format) {
                    Format::Jsonl => {
                        if let Some(reader) = stream() {
                            streaming::count_jsonl(cleaner, counter, settings, source, reader);
                        }
                    }
                    Format::Warc => {
                        if let Some(reader) = stream() {
                            streaming::count_warc(cleaner, counter, source, reader);
                        }
                    }
                    format @ (Format::Text | Format::Html) => {
                        if let Ok(Raw::Bytes { bytes, .. }) =
                            read::load_bytes(source, max_bytes, compression)
                        {
                            documents::count_file(
                                cleaner, counter, settings, source, format, &bytes,
                            );
                        }
                    }
                }
            }
            // Chunks end windows at fixed points, so exemplars do not depend on which worker
            // counted which chunk.
            counter.end_window();
        },
    );
    counter.finish()
}

/// One input's result in the clean pass.
struct Outcome {
    bytes: Vec<u8>,
    summary: Summary,
}

/// Where an input's Dolma attribute file goes below `dir`: at the input's relative path.
fn attributes_path(dir: &Path, source: &Source) -> PathBuf {
    match source {
        Source::File(file) => dir.join(&file.relative),
        Source::Stdin => dir.join("stdin.jsonl"),
    }
}

/// Streams one input of records (JSON Lines, WARC) to `out` (and the attribute lines of JSON
/// Lines to `attributes`), reporting its problems. `Ok(None)` when it could not be opened.
fn stream_one(
    job: &Job<'_>,
    source: &Source,
    out: &mut dyn Write,
    attributes: Option<&mut dyn Write>,
) -> std::result::Result<Option<Summary>, WriteError> {
    let compression = Compression::of(source);
    let reader = match read::open_stream(source, compression) {
        Ok(reader) => reader,
        Err(error) => {
            report_error(job, source, error);
            return Ok(None);
        }
    };
    let name = source.name();
    let problem = |message: String, recovered: bool| report_input(job, &name, message, recovered);
    let mut record_problem = |message: String| problem(message, false);
    let listener = streaming::Listener {
        record_problem: &mut record_problem,
        progress: job.progress,
    };
    let streamed = match Format::of(source, job.format) {
        Format::Warc => {
            streaming::clean_warc(job.cleaning(source), reader, compression, out, listener)?
        }
        _ => streaming::clean_jsonl(
            job.cleaning(source),
            reader,
            compression,
            out,
            attributes,
            listener,
        )?,
    };
    let mut summary = Summary {
        record_problems: streamed.record_problems,
        bytes_in: streamed.bytes_in,
        bytes_out: streamed.bytes_out,
        ..Summary::default()
    };
    summary.count_documents(&streamed.result);
    if let Some(offset) = streamed.invalid_utf8_at {
        summary.warnings += 1;
        problem(read::invalid_utf8_at(offset), true);
    }
    if let Some(fault) = streamed.fault {
        summary.failed += 1;
        problem(fault, false);
    }
    Ok(Some(summary))
}

/// Why streaming an input to an output stopped short.
enum StreamError {
    /// The output could not be written (standard output, or the output file).
    Output(io::Error),
    /// Anything else: the input's attribute file could not be made or written.
    Input(Error),
}

/// [`stream_one`] with the input's attribute file (JSON Lines, when asked for) written beside,
/// under a temporary name, and renamed into place once complete.
fn stream_with_attributes(
    job: &Job<'_>,
    source: &Source,
    out: &mut dyn Write,
) -> std::result::Result<Option<Summary>, StreamError> {
    let path = job.attributes_path(source);
    let file = path
        .as_deref()
        .map(AtomicFile::create)
        .transpose()
        .map_err(StreamError::Input)?;
    let mut lines = file
        .as_ref()
        .map(AtomicFile::writer)
        .transpose()
        .map_err(StreamError::Input)?;
    let streamed = stream_one(
        job,
        source,
        out,
        lines.as_mut().map(|w| w as &mut dyn Write),
    )
    .map_err(|error| match error {
        WriteError::Output(e) => StreamError::Output(e),
        WriteError::Attributes(e) => {
            StreamError::Input(Error::io(path.clone().unwrap_or_default(), e))
        }
    })?;
    if streamed.is_some() {
        if let (Some(file), Some(lines)) = (&file, lines) {
            file.finish(lines).map_err(StreamError::Input)?;
        }
        if let Some(file) = file {
            file.commit().map_err(StreamError::Input)?;
        }
    }
    Ok(streamed)
}

/// Streams one input of records to its output file, written under a temporary name and renamed
/// into place once complete.
fn stream_to_file(job: &Job<'_>, destination: &Destination<'_>) -> Summary {
    let source = destination.source;
    let streamed = AtomicFile::create(&destination.path).and_then(|output| {
        let mut out = output.writer()?;
        let streamed = stream_with_attributes(job, source, &mut out).map_err(|e| match e {
            StreamError::Output(e) => Error::io(output.path(), e),
            StreamError::Input(error) => error,
        })?;
        if streamed.is_some() {
            output.finish(out)?;
            output.commit()?;
        }
        Ok(streamed)
    });
    match streamed {
        Ok(Some(summary)) => Summary {
            written: 1,
            ..summary
        },
        Ok(None) => Summary::skipped_input(),
        Err(error) => {
            report_error(job, source, error);
            Summary::skipped_input()
        }
    }
}

/// Reads and cleans one input read whole (text, HTML), reporting its problems. `None` when
/// nothing could be cleaned.
fn clean_one(job: &Job<'_>, source: &Source) -> Option<Outcome> {
    let max_bytes = job.cleaner.config().max_doc_bytes();
    let raw = read::load_bytes(source, max_bytes, Compression::of(source));
    let whole = whole_or_report(job, source, raw)?;
    let mut summary = Summary::default();
    let bytes = without_utf8_bom(&whole.bytes);
    let format = Format::of(source, job.format);
    let result = if format == Format::Text {
        let text = text_or_report(job, source, &whole.bytes, &mut summary)?;
        documents::clean_text_file(job.cleaning(source), format, &text)
    } else {
        if let Some(offset) = read::binary_at(&whole.bytes) {
            report_binary(job, source, offset);
            return None;
        }
        documents::clean_file(job.cleaning(source), format, bytes)
    };
    Some(outcome(
        job,
        source,
        bytes.len(),
        whole.fault,
        result,
        summary,
    ))
}

/// An input read whole, as cleaning takes it.
struct Whole {
    /// Its (decompressed) bytes.
    bytes: Vec<u8>,
    /// Where decompression failed, if it did (everything before is kept).
    fault: Option<String>,
}

/// The bytes of an input read whole, or `None` with its problem reported: too large, or
/// unreadable.
fn whole_or_report(job: &Job<'_>, source: &Source, raw: Result<Raw>) -> Option<Whole> {
    match raw {
        Ok(Raw::Bytes { bytes, fault }) => Some(Whole { bytes, fault }),
        Ok(Raw::TooLarge { bytes }) => {
            let max_bytes = job.cleaner.config().max_doc_bytes();
            report_input(
                job,
                &source.name(),
                read::over_limit(bytes, max_bytes),
                false,
            );
            None
        }
        Err(error) => {
            report_error(job, source, error);
            None
        }
    }
}

/// A problem an input's bytes showed when read as text: the message, and whether the input
/// was cleaned all the same (a warning).
type TextProblem = (String, bool);

fn binary_problem(offset: usize) -> TextProblem {
    let message = format!("binary content (NUL byte at byte offset {offset}); skipped");
    (message, false)
}

fn report_binary(job: &Job<'_>, source: &Source, offset: usize) {
    let (message, recovered) = binary_problem(offset);
    report_input(job, &source.name(), message, recovered);
}

/// [`checked_text`], its problems reported (warnings counted into `summary`).
fn text_or_report<'b>(
    job: &Job<'_>,
    source: &Source,
    bytes: &'b [u8],
    summary: &mut Summary,
) -> Option<std::borrow::Cow<'b, str>> {
    let (text, problems) = checked_text(bytes);
    report_text_problems(job, source, problems, summary);
    text
}

/// Reports the problems [`checked_text`] found, counting warnings into `summary`.
fn report_text_problems(
    job: &Job<'_>,
    source: &Source,
    problems: Vec<TextProblem>,
    summary: &mut Summary,
) {
    for (message, recovered) in problems {
        summary.warnings += u64::from(recovered);
        report_input(job, &source.name(), message, recovered);
    }
}

/// The text of a plain-text input's `bytes`, which must be UTF-8 (checked once, here, and
/// cleaned as checked): invalid sequences and NUL bytes are replaced, each a warning. `None`
/// for binary data. Returns the problems found, to be reported.
fn checked_text(bytes: &[u8]) -> (Option<std::borrow::Cow<'_, str>>, Vec<TextProblem>) {
    if let Some(offset) = read::binary_at(bytes) {
        return (None, vec![binary_problem(offset)]);
    }
    let bytes = without_utf8_bom(bytes);
    let mut problems = Vec::new();
    let mut text = match read::utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(e) => {
            problems.push((read::invalid_utf8_at(e.valid_up_to() as u64), true));
            String::from_utf8_lossy(bytes)
        }
    };
    if let Some(offset) = read::replace_nul_bytes(&mut text) {
        let message = format!("NUL byte at byte offset {offset}; NUL bytes replaced with U+FFFD");
        problems.push((message, true));
    }
    (Some(text), problems)
}

/// The outcome of an input cleaned into `result` from `bytes_in` bytes (a decompression
/// `fault` is reported and counted as a failure: what came before it was cleaned).
fn outcome(
    job: &Job<'_>,
    source: &Source,
    bytes_in: usize,
    fault: Option<String>,
    result: documents::FileResult,
    mut summary: Summary,
) -> Outcome {
    if let Some(fault) = fault {
        summary.failed += 1;
        report_input(job, &source.name(), fault, false);
    }
    summary.count_documents(&result);
    summary.bytes_in = bytes_in as u64;
    summary.bytes_out = result.output.len() as u64;
    (job.progress)(bytes_in as u64);
    Outcome {
        bytes: result.output,
        summary,
    }
}

/// `bytes` without the UTF-8 byte order mark they may start with.
fn without_utf8_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn clean_to_stdout(job: &Job<'_>, sources: &[Source]) -> Result<Summary> {
    to_stdout(|out, summary| {
        // Inputs of records (JSON Lines, WARC) are streamed, one after the other; the inputs
        // between them are cleaned a chunk at a time.
        for group in sources.chunk_by(|a, b| job.streams(a) == job.streams(b)) {
            if job.streams(&group[0]) {
                for source in group {
                    stream_to_stdout(job, source, out, summary)?;
                }
            } else {
                clean_whole_to_stdout(job, group, headed(job, sources), out, summary)?;
            }
        }
        Ok(())
    })
}

/// Runs `write` with a buffered standard output and the run's summary, then flushes it.
fn to_stdout(
    write: impl FnOnce(&mut io::BufWriter<io::Stdout>, &mut Summary) -> Result<()>,
) -> Result<Summary> {
    let mut out = io::BufWriter::with_capacity(1 << 16, io::stdout());
    let mut summary = Summary::default();
    write(&mut out, &mut summary)?;
    if let Err(e) = out.flush() {
        return stdout_error(e, summary);
    }
    Ok(summary)
}

/// Whether each input's output goes under a heading naming it: explained views of several
/// pages one after another are told apart so, as `head` does with several files.
fn headed(job: &Job<'_>, sources: &[Source]) -> bool {
    job.settings.explain.is_some() && sources.len() > 1
}

/// Streams one input of records (JSON Lines, WARC) to standard output.
fn stream_to_stdout(
    job: &Job<'_>,
    source: &Source,
    out: &mut impl Write,
    summary: &mut Summary,
) -> Result<()> {
    match stream_with_attributes(job, source, out) {
        Ok(Some(streamed)) => {
            summary.add(streamed);
            summary.written += 1;
        }
        Ok(None) => summary.add(Summary::skipped_input()),
        Err(StreamError::Input(error)) => input_failed(job, source, error, summary),
        Err(StreamError::Output(e)) => return stdout_error(e, std::mem::take(summary)).map(|_| ()),
    }
    Ok(())
}

/// Cleans inputs read whole (not records) to standard output, in order.
fn clean_whole_to_stdout(
    job: &Job<'_>,
    sources: &[Source],
    headed: bool,
    out: &mut (impl Write + Send),
    summary: &mut Summary,
) -> Result<()> {
    let chunks = (0..sources.len())
        .step_by(STDOUT_CHUNK)
        .map(|start| start..sources.len().min(start + STDOUT_CHUNK));
    write_in_order(chunks, headed.then_some(sources), out, summary, |chunk| {
        sources[chunk]
            .par_iter()
            .map(|source| clean_one(job, source))
            .collect()
    })
}

/// Cleans the inputs (plain-text files) to standard output in order, counting their census a
/// batch of sites at a time (see [`by_site`]).
fn clean_to_stdout_by_site(job: &Job<'_>, sources: &[Source]) -> Result<Summary> {
    let census_documents = std::sync::atomic::AtomicU64::new(0);
    let batches = by_site::batches(sources);
    let headed = headed(job, sources);
    let mut summary = by_site::cleaning_ahead(job, sources, &batches, |clean_batch| {
        let clean = |batch: std::ops::Range<usize>| {
            let (outcomes, counted) = clean_batch(batch, &|_| true);
            census_documents.fetch_add(counted, std::sync::atomic::Ordering::Relaxed);
            outcomes
        };
        let heads = headed.then_some(sources);
        to_stdout(|out, summary| {
            write_in_order(batches.iter().cloned(), heads, out, summary, clean)
        })
    })?;
    summary.census_documents = census_documents.into_inner();
    Ok(summary)
}

/// Cleans the inputs a chunk at a time (`clean` gives the outcomes of the inputs a range holds,
/// in order) and writes the outputs in order, each under a heading naming its input when
/// `heads` gives the inputs. Each chunk's outputs are written while the next chunk is cleaned,
/// so that no worker waits for the writing.
fn write_in_order(
    chunks: impl Iterator<Item = std::ops::Range<usize>>,
    heads: Option<&[Source]>,
    out: &mut (impl Write + Send),
    summary: &mut Summary,
    clean: impl Fn(std::ops::Range<usize>) -> Vec<Option<Outcome>> + Sync,
) -> Result<()> {
    let mut cleaned: Vec<Option<Outcome>> = Vec::new();
    let mut written = 0..0;
    for chunk in chunks {
        let heads_written = heads.map(|sources| &sources[written.clone()]);
        let (wrote, next) = rayon::join(
            || write_outcomes(out, std::mem::take(&mut cleaned), heads_written, summary),
            || clean(chunk.clone()),
        );
        if let Err(e) = wrote {
            return stdout_error(e, std::mem::take(summary)).map(|_| ());
        }
        cleaned = next;
        written = chunk;
    }
    let heads_written = heads.map(|sources| &sources[written]);
    if let Err(e) = write_outcomes(out, cleaned, heads_written, summary) {
        return stdout_error(e, std::mem::take(summary)).map(|_| ());
    }
    Ok(())
}

/// Writes cleaned outputs in order, counting them into `summary`; with `heads` (the inputs
/// the outputs are of), each output under a heading naming its input.
fn write_outcomes(
    out: &mut impl Write,
    outcomes: Vec<Option<Outcome>>,
    heads: Option<&[Source]>,
    summary: &mut Summary,
) -> io::Result<()> {
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match outcome {
            Some(outcome) => {
                if let Some(source) = heads.and_then(|sources| sources.get(i)) {
                    let gap = if summary.written > 0 { "\n" } else { "" };
                    writeln!(out, "{gap}==> {} <==", source.name())?;
                }
                out.write_all(&outcome.bytes)?;
                summary.add(outcome.summary);
                summary.written += 1;
            }
            None => {
                summary.failed += 1;
                summary.skipped += 1;
            }
        }
    }
    Ok(())
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

fn clean_to_files(job: &Job<'_>, destinations: &[Destination<'_>]) -> Summary {
    destinations
        .par_iter()
        .map(|destination| {
            if job.streams(destination.source) {
                return stream_to_file(job, destination);
            }
            write_outcome(job, destination, clean_one(job, destination.source))
        })
        .reduce(Summary::default, add_summaries)
}

/// Cleans the inputs (plain-text files) to their destinations, counting their census a batch
/// of sites at a time (see [`by_site`]). Inputs without a destination (resumed, refused) are
/// counted all the same.
fn clean_to_files_by_site(
    job: &Job<'_>,
    sources: &[Source],
    destinations: &[Destination<'_>],
) -> Summary {
    let destinations = by_site::destinations_by_input(sources, destinations);
    let batches = by_site::batches(sources);
    by_site::cleaning_ahead(job, sources, &batches, |clean_batch| {
        let mut summary = Summary::default();
        for batch in &batches {
            let destinations = &destinations[batch.clone()];
            let wanted = |i: usize| destinations[i].is_some();
            let (outcomes, counted) = clean_batch(batch.clone(), &wanted);
            summary.census_documents += counted;
            let written = outcomes
                .into_par_iter()
                .zip(destinations)
                .filter_map(|(outcome, destination)| {
                    Some(write_outcome(job, (*destination)?, outcome))
                })
                .reduce(Summary::default, add_summaries);
            summary.add(written);
        }
        summary
    })
}

fn add_summaries(mut a: Summary, b: Summary) -> Summary {
    a.add(b);
    a
}

/// Writes an input's outcome to its destination; its summary, or a failure's when it was not
/// cleaned or could not be written (reported).
fn write_outcome(
    job: &Job<'_>,
    destination: &Destination<'_>,
    outcome: Option<Outcome>,
) -> Summary {
    let failed = Summary::skipped_input();
    let Some(outcome) = outcome else {
        return failed;
    };
    let compression = Compression::of_path(&destination.path);
    let written = compression
        .compress(&outcome.bytes)
        .map_err(|e| Error::io(&destination.path, e))
        .and_then(|bytes| write_atomically(&destination.path, &bytes));
    match written {
        Ok(()) => Summary {
            written: 1,
            ..outcome.summary
        },
        Err(error) => {
            (job.report)(&Problem {
                input: destination.source.name(),
                error,
                recovered: false,
            });
            failed
        }
    }
}

/// Writes `bytes` to a temporary file in `path`'s folder and renames it over `path`, so that a
/// reader (or a crash) never sees a half-written output.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    // Written whole at once: through a buffer, each output was copied once more for nothing.
    write_atomically_to(path, |mut file| file.write_all(bytes))
}

/// Like [`write_atomically`], with the content written by `write` (buffered).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut io::BufWriter<&std::fs::File>) -> io::Result<()>,
) -> Result<()> {
    write_atomically_to(path, |file| {
        let mut writer = io::BufWriter::with_capacity(1 << 16, file);
        write(&mut writer)?;
        writer.flush()
    })
}

/// The temporary file of `path` written by `write`, then renamed into place.
fn write_atomically_to(
    path: &Path,
    write: impl FnOnce(&std::fs::File) -> io::Result<()>,
) -> Result<()> {
    let file = AtomicFile::create(path)?;
    write(file.temp.as_file()).map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// An output file written under a temporary name in its folder and renamed into place once
/// complete, so that a reader (or a crash) never sees it half-written; dropped uncommitted, it
/// leaves nothing behind, and an interrupted run removes it (see [`remove_unfinished_and_exit`]).
struct AtomicFile {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
    _unfinished: Unfinished,
}

/// The temporary files of outputs being written, for [`remove_unfinished_and_exit`].
static UNFINISHED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn unfinished() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // Only pushes and removals happen under the lock: a panic cannot leave the list half-changed.
    UNFINISHED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A temporary file listed in [`UNFINISHED`] while it lives.
struct Unfinished(PathBuf);

impl Drop for Unfinished {
    fn drop(&mut self) {
        let mut list = unfinished();
        if let Some(at) = list.iter().position(|path| *path == self.0) {
            list.swap_remove(at);
        }
    }
}

/// Removes the temporary files of the outputs being written, then exits the process with
/// `code`: what a handler of Ctrl-C or of a termination signal calls, so that an interrupted
/// run leaves no partial file behind (finished outputs stay; an output is only ever renamed
/// into place complete). The list stays locked until the exit, so no new temporary file can
/// appear meanwhile.
pub fn remove_unfinished_and_exit(code: i32) -> ! {
    let list = unfinished();
    for path in list.iter() {
        let _ = std::fs::remove_file(path);
    }
    std::process::exit(code)
}

impl AtomicFile {
    fn create(path: &Path) -> Result<AtomicFile> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let temp_in = |dir: &Path| {
            let mut builder = tempfile::Builder::new();
            builder.prefix(".deboil-").suffix(".tmp");
            ordinary_file_mode(&mut builder);
            builder.tempfile_in(dir)
        };
        // Created and listed under one lock, so that an interruption finds every one.
        let mut list = unfinished();
        // The folder is made when the file cannot be created without it: most outputs go to a
        // folder made for an earlier one, and asking to make it each time cost two system calls
        // an output.
        let temp = match temp_in(dir) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => std::fs::create_dir_all(dir)
                .and_then(|()| temp_in(dir))
                .map_err(|e| Error::io(dir, e))?,
            created => created.map_err(|e| Error::io(dir, e))?,
        };
        list.push(temp.path().to_path_buf());
        drop(list);
        Ok(AtomicFile {
            _unfinished: Unfinished(temp.path().to_path_buf()),
            temp,
            path: path.to_path_buf(),
        })
    }

    /// Where the file goes once complete.
    fn path(&self) -> &Path {
        &self.path
    }

    /// A buffered writer into the temporary file, compressing as the final name says.
    fn writer(&self) -> Result<Compressor<io::BufWriter<&std::fs::File>>> {
        let buffered = io::BufWriter::with_capacity(1 << 16, self.temp.as_file());
        Compression::of_path(&self.path)
            .writer(buffered)
            .map_err(|e| Error::io(&self.path, e))
    }

    /// Ends the compressed stream of `writer` and flushes it into the temporary file.
    fn finish(&self, writer: Compressor<io::BufWriter<&std::fs::File>>) -> Result<()> {
        writer
            .finish()
            .and_then(|mut buffered| buffered.flush())
            .map_err(|e| Error::io(&self.path, e))
    }

    /// Renames the complete file into place.
    fn commit(self) -> Result<()> {
        self.temp
            .persist(&self.path)
            .map_err(|e| Error::io(&self.path, e.error))?;
        Ok(())
    }
}

/// Outputs are ordinary files: created with the mode a shell's `>` gives (read and write for
/// all, less the user's umask), not the owner-only mode of temporary files, which a change of
/// mode before the rename then had to undo (a system call an output).
fn ordinary_file_mode(builder: &mut tempfile::Builder<'_, '_>) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let _ = builder;
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
    fn an_output_folder_that_is_a_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("taken");
        std::fs::write(&file, "x").unwrap();
        let err = check_output_folder(&file, &[]).unwrap_err();
        assert!(matches!(err, Error::OutputNotAFolder { .. }));
        assert!(err.to_string().contains("taken"), "{err}");
        check_output_folder(&dir.path().join("new"), &[]).unwrap();
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
