//! The `deboil` command line: a thin layer over the library.

mod cli;
mod exit_codes;

use std::io::{IsTerminal, Write};
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Parser;

use deboil::batch::{Batch, CensusMode, Emit, Problem};
use deboil::emit::Style;
use deboil::eval::{self, Dataset};
use deboil::{Census, Cleaner, Config, Error};

use cli::{CensusCommandArgs, CleanArgs, Cli, Command, EvalArgs};
use exit_codes::ExitCode;

fn main() {
    keep_freed_memory();
    let cli = Cli::parse();
    // Stopped by Ctrl-C or a termination signal, a run removes the outputs it is writing.
    // Without the handler (if it cannot be installed) the signal still stops the run, and an
    // output is only ever renamed into place complete; only temporary files could stay.
    let _ = ctrlc::set_handler(|| {
        deboil::batch::remove_unfinished_and_exit(ExitCode::Interrupted.code())
    });
    let code = match run(cli) {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                ExitCode::Success
            } else {
                eprintln!("deboil: error: {}", describe(&error));
                ExitCode::Fatal
            }
        }
    };
    code.exit();
}

/// Tells glibc's allocator to keep the memory a run frees for the run's next documents. By
/// default it gives freed memory back to the system as soon as 128 KiB lie free at the top of a
/// heap, and maps blocks of 128 KiB or more on their own (a threshold it raises as it goes); a
/// batch run frees and allocates a document's buffers (its text, blocks, measurements)
/// thousands of times a second, and every page handed back comes back as a fresh page the
/// kernel must zero. With blocks up to 32 MiB taken from the heap, and 32 MiB free at its top
/// before any is given back: 4,500 page faults instead of 20,000 over the 100 MB benchmark
/// corpus, a third less system time, the same peak memory (`benches/RESULTS.md`, 2026-12-02).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    const LIMIT: libc::c_int = 32 << 20;
    // SAFETY: `mallopt` only sets the allocator's parameters, under its own lock; it is
    // called before any thread starts. A refused setting (return value 0) leaves the default,
    // which is as correct, only slower.
    #[allow(unsafe_code)]
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LIMIT);
        libc::mallopt(libc::M_TRIM_THRESHOLD, LIMIT);
    }
}

/// Other allocators keep freed memory by themselves.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}

/// The error and its causes, each cause once: the library's errors already print their source
/// (an I/O error names the file, then what the system said), so a cause whose text the message
/// before it holds is not repeated.
fn describe(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if !message.contains(&text) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&text);
        }
    }
    message
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    matches!(error.downcast_ref::<Error>(), Some(Error::BrokenPipe))
        || error
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Clean(args) => clean(args),
        Command::Census(args) => census(args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "deboil", &mut std::io::stdout());
            Ok(ExitCode::Success)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut std::io::stdout())?;
            Ok(ExitCode::Success)
        }
        Command::Eval(args) => evaluate(args),
    }
}

fn thread_pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    let threads = threads.unwrap_or(0);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")
}

fn config(
    census: &cli::CensusArgs,
    judging: &cli::JudgingArgs,
    max_doc_bytes: Option<u64>,
) -> Result<Config> {
    let mut builder = Config::builder()
        .min_docs(census.min_docs)
        .min_share(census.min_share)
        .keep_comments(judging.keep_comments);
    if let Some(bytes) = max_doc_bytes {
        builder = builder.max_doc_bytes(bytes);
    }
    Ok(builder.build()?)
}

/// Refuses, before any work (which over a large corpus takes a while), a file to write that is
/// a folder: it would fail only once the work is done.
fn refuse_folder(path: &std::path::Path, what: &str) -> Result<()> {
    if path.is_dir() {
        anyhow::bail!("{}: is a folder; {what}", path.display());
    }
    Ok(())
}

fn clean(args: CleanArgs) -> Result<ExitCode> {
    if let Some(path) = &args.stats {
        refuse_folder(path, "--stats names the JSON file to write")?;
    }
    let cleaner = Cleaner::new(config(&args.census, &args.judging, args.max_doc_bytes)?);
    let census = if args.census.no_census {
        CensusMode::Off
    } else if let Some(path) = &args.census.census {
        CensusMode::Given(Arc::new(deboil::census::Census::read_file(path)?))
    } else {
        CensusMode::Count
    };
    let emit = if args.explain {
        let color = args
            .color
            .enabled(std::io::stdout().is_terminal() && args.output.is_none());
        Emit::Explain(if color { Style::Color } else { Style::Plain })
    } else {
        Emit::Clean
    };
    let quiet = args.quiet;
    let batch = Batch {
        inputs: args.inputs,
        output: args.output,
        census,
        emit,
        format: args.format,
        text_field: args.text_field,
        drop_empty: args.drop_empty,
        skip_bad: args.skip_bad,
        output_format: args.output_format,
        resume: args.resume,
        attributes: args.attributes,
        tag_only: args.tag_only,
    };
    let bar = progress_bar(quiet);
    let report = |problem: &Problem| {
        if quiet && problem.recovered {
            return;
        }
        let kind = if problem.recovered {
            "warning"
        } else {
            "error"
        };
        bar.suspend(|| {
            let _ = writeln!(
                std::io::stderr().lock(),
                "deboil: {kind}: {}",
                problem.error
            );
        });
    };
    let started = std::time::Instant::now();
    let bytes_done = std::sync::atomic::AtomicU64::new(0);
    let progress = |bytes: u64| {
        // A hidden bar shows nothing: its message, formatted per input, is not built.
        if bar.is_hidden() {
            return;
        }
        let total = bytes_done.fetch_add(bytes, std::sync::atomic::Ordering::Relaxed) + bytes;
        let megabytes = total as f64 / 1e6;
        let rate = megabytes / started.elapsed().as_secs_f64().max(1e-3);
        bar.inc(1);
        bar.set_message(format!("{megabytes:.1} MB, {rate:.1} MB/s"));
    };
    let summary = thread_pool(args.threads)?.install(|| batch.run(&cleaner, &report, &progress))?;
    bar.finish_and_clear();
    if let Some(path) = &args.stats {
        let json = serde_json::to_vec_pretty(&summary)?;
        deboil::batch::write_atomically(path, &json)?;
    }
    if !quiet {
        print_summary(&summary, started.elapsed());
    }
    Ok(if summary.failed > 0 || summary.record_problems > 0 {
        ExitCode::PartialFailure
    } else {
        ExitCode::Success
    })
}

/// A progress bar on standard error when it is a terminal (and not `--quiet`); hidden otherwise.
fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::no_length();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} inputs, {msg}, elapsed {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar
}

fn print_summary(summary: &deboil::batch::Summary, elapsed: std::time::Duration) {
    let seconds = elapsed.as_secs_f64().max(1e-9);
    let mut line = format!(
        "deboil: {} documents, {:.1} MB in, {:.1} MB out, {:.1} MB/s",
        summary.documents,
        summary.bytes_in as f64 / 1e6,
        summary.bytes_out as f64 / 1e6,
        summary.bytes_in as f64 / 1e6 / seconds
    );
    if summary.failed > 0 {
        let inputs = if summary.failed == 1 {
            "input"
        } else {
            "inputs"
        };
        line.push_str(&format!(", {} {inputs} failed", summary.failed));
    }
    if summary.resumed > 0 {
        line.push_str(&format!(", {} already written (--resume)", summary.resumed));
    }
    if summary.dropped > 0 {
        line.push_str(&format!(", {} records dropped", summary.dropped));
    }
    let removed: Vec<String> = summary
        .removed
        .iter()
        .map(|(reason, n)| format!("{reason} {n}"))
        .collect();
    eprintln!("{line}");
    if !removed.is_empty() {
        eprintln!(
            "deboil: blocks removed of {}: {}",
            summary.blocks,
            removed.join(", ")
        );
    }
}

fn census(args: CensusCommandArgs) -> Result<ExitCode> {
    if let Some(n) = args.top {
        return show_top(&args, n);
    }
    let output = args.output.as_deref().context("--output is required")?;
    refuse_folder(output, "--output names the census file to write")?;
    let census = if args.merge {
        let mut merged = Census::new();
        for path in &args.inputs {
            merged.merge(&Census::read_file(path)?);
        }
        merged
    } else {
        let mut builder = Config::builder();
        if let Some(bytes) = args.max_doc_bytes {
            builder = builder.max_doc_bytes(bytes);
        }
        let cleaner = Cleaner::new(builder.build()?);
        let (sources, missing) = deboil::read::discover(&args.inputs);
        for error in &missing {
            eprintln!("deboil: error: {error}");
        }
        let census =
            thread_pool(args.threads)?.install(|| deboil::batch::count_census(&cleaner, &sources));
        if !missing.is_empty() {
            census.write_file(output)?;
            return Ok(ExitCode::PartialFailure);
        }
        census
    };
    census.write_file(output)?;
    eprintln!(
        "deboil: census of {} documents, {} sites, {} distinct blocks written to {}",
        census.documents(),
        census.sites().count(),
        census.distinct_blocks(),
        output.display()
    );
    Ok(ExitCode::Success)
}

fn show_top(args: &CensusCommandArgs, n: usize) -> Result<ExitCode> {
    let [path] = args.inputs.as_slice() else {
        anyhow::bail!("--top reads one census file");
    };
    let census = Census::read_file(path)?;
    let mut out = std::io::stdout().lock();
    for site in census.top(n) {
        writeln!(out, "{}\t{} documents", site.site, site.documents)?;
        for (docs, text) in site.blocks {
            writeln!(out, "  {docs:>8}  {text}")?;
        }
    }
    Ok(ExitCode::Success)
}

fn evaluate(args: EvalArgs) -> Result<ExitCode> {
    if let Some(dir) = args
        .keep
        .as_ref()
        .filter(|dir| dir.exists() && !dir.is_dir())
    {
        anyhow::bail!("{}: is a file; --keep names a folder", dir.display());
    }
    let cleaner = Cleaner::new(config(&args.census, &args.judging, None)?);
    let pool = thread_pool(args.threads)?;
    let mut out = std::io::stdout().lock();
    for root in &args.datasets {
        let dataset = Dataset::open_as(root, args.input)?;
        let keep = args.keep.as_ref().map(|dir| dir.join(&dataset.name));
        let options = eval::Options {
            census: !args.census.no_census,
            keep,
            input: args.input,
        };
        let report = pool.install(|| eval::evaluate(&dataset, &cleaner, &options))?;
        if args.json {
            writeln!(
                out,
                "{{\"dataset\":\"{}\",\"docs\":{},\"skipped_empty_gold\":{},\"precision\":{:.4},\"recall\":{:.4},\"f1\":{:.4}}}",
                report.dataset,
                report.pages.len(),
                report.skipped_empty_gold,
                report.mean.precision,
                report.mean.recall,
                report.mean.f1
            )?;
        } else {
            writeln!(
                out,
                "{:<16} docs {:>4}  P {:.4}  R {:.4}  F1 {:.4}",
                report.dataset,
                report.pages.len(),
                report.mean.precision,
                report.mean.recall,
                report.mean.f1
            )?;
        }
        for page in report.worst(args.worst) {
            writeln!(
                out,
                "    worst {}  P {:.3}  R {:.3}  F1 {:.3}",
                page.id, page.score.precision, page.score.recall, page.score.f1
            )?;
        }
    }
    Ok(ExitCode::Success)
}
