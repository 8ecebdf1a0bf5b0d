//! The command-line interface; the doc comments here are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Strips boilerplate (navigation, calls to action, cookie and donation notices, repeated site
/// furniture) from scraped web documents and keeps the article text.
#[derive(Debug, Parser)]
#[command(name = "deboil", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Clean documents: write each one's article text, without its boilerplate.
    ///
    /// Inputs are files, folders (read recursively, hidden entries skipped), glob patterns, or `-`
    /// for standard input (the default). With several inputs, a first pass counts which blocks
    /// repeat across the documents of each site (the census); the second pass cleans. A
    /// document's site is its URL's host, else the top folder below the input folder (see
    /// `deboil census --help`).
    Clean(CleanArgs),
    /// Count which blocks repeat across the documents of each site, and write or show the census.
    ///
    /// A document's site is the host of its URL when the record names one; otherwise the top
    /// folder below the input folder (so a corpus laid out as `corpus/site/page.txt` works as it
    /// is, whether `corpus/` or `corpus/site/` is given); a flat folder is one site. Shards of a corpus can be counted apart (`census -o shard.census
    /// SHARD`), merged (`census --merge -o all.census *.census`), and used to clean each shard
    /// (`clean --census all.census SHARD`), with the same output as one run over everything.
    Census(CensusCommandArgs),
    /// Print shell completions for SHELL to standard output.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    Man,
    /// Score deboil against benchmark datasets with gold text.
    ///
    /// Each DATASET folder holds `text/<id>.txt`, `gold/<id>.txt` and `meta.tsv` (id, url, site).
    /// Prints mean token precision, recall and F1, as the reference scorer computes them.
    Eval(EvalArgs),
}

#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files, folders or glob patterns to clean; `-` reads standard input.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,

    /// Write outputs below this folder, each at its input's relative path, instead of to
    /// standard output. Every file is written whole or not at all.
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Instead of clean text, list every block with its verdict: `+` kept or `-` removed, the
    /// reason, and the text. Several pages written to standard output each come under a
    /// heading `==> NAME <==`.
    #[arg(long)]
    pub explain: bool,

    /// When to colour `--explain` output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Worker threads (default, or 0: one per core). A corpus of plain-text files is also read
    /// ahead, the next batch of files while the workers clean one, by up to four threads of its
    /// own that mostly wait on the disk.
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Skip (and report) documents larger than this many bytes: a text or HTML file, a JSON
    /// line, a WARC record [default: 67108864].
    #[arg(long, value_name = "BYTES")]
    pub max_doc_bytes: Option<u64>,

    /// No progress bar, no summary, no warnings (such as invalid UTF-8 replaced); errors are
    /// still reported.
    #[arg(short, long)]
    pub quiet: bool,

    /// Input format, instead of guessing it from each file name (`.txt`, `.html`, `.jsonl`,
    /// `.warc`, `.wet`, each maybe ending in `.gz` or `.zst`; anything else is text).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<deboil::read::Format>,

    /// The JSON Lines field that holds the document text.
    #[arg(long, default_value = "text", value_name = "FIELD")]
    pub text_field: String,

    /// Drop records (JSON Lines, WARC) whose cleaned text is empty, instead of keeping them with
    /// empty text.
    #[arg(long)]
    pub drop_empty: bool,

    /// Drop malformed JSON lines (and records without the text field), counting them, instead of
    /// passing them through unchanged.
    #[arg(long)]
    pub skip_bad: bool,

    /// Shape of the text cleaned from HTML: plain text, or Markdown (headings as `#`, list items
    /// as `- `, tables as pipe tables).
    #[arg(long, value_enum, default_value_t = deboil::emit::OutputFormat::Text, value_name = "FORMAT")]
    pub output_format: deboil::emit::OutputFormat,

    /// For each JSON Lines input, also write a Dolma attribute file below DIR (at the input's
    /// relative path): one line a record, `{"id": …, "attributes": {"deboil__boilerplate":
    /// [[start, end, reason], …]}}`, offsets in Unicode characters of the original text.
    #[arg(long, value_name = "DIR")]
    pub attributes: Option<PathBuf>,

    /// Write JSON Lines records unchanged: with --attributes, tag boilerplate instead of cutting
    /// it.
    #[arg(long, requires = "attributes")]
    pub tag_only: bool,

    /// With -o: skip inputs whose output already exists, to restart an interrupted run where it
    /// stopped (outputs are written whole or not at all, so an existing one is complete).
    #[arg(long, requires = "output")]
    pub resume: bool,

    /// Write the run's summary (documents, bytes, blocks removed by reason, failures) to FILE as
    /// JSON.
    #[arg(long, value_name = "FILE")]
    pub stats: Option<PathBuf>,

    #[command(flatten)]
    pub census: CensusArgs,

    #[command(flatten)]
    pub judging: JudgingArgs,
}

#[derive(Debug, Args)]
pub struct JudgingArgs {
    /// Keep the text of readers' comments below the article (the comment system's own lines and
    /// each comment's author-and-date line still go). Off by default: most corpora want the
    /// article alone.
    #[arg(long)]
    pub keep_comments: bool,
}

#[derive(Debug, Args)]
pub struct CensusArgs {
    /// Judge every document on its own evidence, without counting repeats across its site.
    #[arg(long, conflicts_with = "census")]
    pub no_census: bool,

    /// Use a census counted beforehand (`deboil census -o FILE`) instead of counting one.
    #[arg(long, value_name = "FILE")]
    pub census: Option<PathBuf>,

    /// A block is site boilerplate only if at least this many documents of its site hold it.
    #[arg(long, default_value_t = deboil::config::DEFAULT_MIN_DOCS, value_name = "N")]
    pub min_docs: u32,

    /// ... and at least this share of the site's documents (0 to 1).
    #[arg(long, default_value_t = deboil::config::DEFAULT_MIN_SHARE, value_name = "SHARE")]
    pub min_share: f32,
}

#[derive(Debug, Args)]
pub struct CensusCommandArgs {
    /// Files, folders or globs to count; with `--merge`, census files; with `--top`, one census
    /// file.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,

    /// Write the census to FILE (written whole or not at all).
    #[arg(short, long, value_name = "FILE", required_unless_present = "top")]
    pub output: Option<PathBuf>,

    /// The inputs are census files: add them up.
    #[arg(long)]
    pub merge: bool,

    /// Show each site's N most repeated blocks with the number of documents holding them.
    #[arg(long, value_name = "N", conflicts_with = "merge")]
    pub top: Option<usize>,

    /// Worker threads (default, or 0: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    /// Skip documents larger than this many bytes: a text or HTML file, a JSON line, a WARC
    /// record [default: 67108864].
    #[arg(long, value_name = "BYTES")]
    pub max_doc_bytes: Option<u64>,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Dataset folders.
    #[arg(required = true, value_name = "DATASET")]
    pub datasets: Vec<PathBuf>,

    /// Also list the N pages with the lowest F1 per dataset.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub worst: usize,

    /// Write each page's clean text to DIR/<dataset>/<id>.txt.
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,

    /// Print one JSON object per dataset.
    #[arg(long)]
    pub json: bool,

    /// Which pages to clean: `text/<id>.txt` or `html/<id>.html`.
    #[arg(long, value_enum, default_value_t = deboil::eval::Input::Text)]
    pub input: deboil::eval::Input,

    /// Worker threads (default, or 0: one per core).
    #[arg(short = 'j', long, value_name = "N")]
    pub threads: Option<usize>,

    #[command(flatten)]
    pub census: CensusArgs,

    #[command(flatten)]
    pub judging: JudgingArgs,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When writing to a terminal.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour, given whether the output is a terminal.
    pub fn enabled(self, terminal: bool) -> bool {
        match self {
            ColorChoice::Auto => terminal,
            ColorChoice::Always => true,
            ColorChoice::Never => false,
        }
    }
}
