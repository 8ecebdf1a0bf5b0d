//! Files of records (JSON Lines, WARC) read as a stream. A batch of records is read while the
//! batch before is cleaned, its records cleaned in parallel and written in input order: memory
//! holds two batches whatever the size of the file (or of standard input), one large file keeps
//! every thread busy, and the output does not depend on the thread count.

use std::io::{self, BufReader, Read, Write};

use rayon::prelude::*;

use crate::Cleaner;
use crate::census::Counter;
use crate::documents::{self, Cleaning, FileResult, Settings};
use crate::read::jsonl::{LineInfo, LineReader};
use crate::read::warc::{Next, RawRecord, RecordReader};
use crate::read::{self, Compression, Source};

/// Bytes read in one batch (at most one record more).
const BATCH_BYTES: u64 = 8 << 20;
/// Most lines in one batch.
const BATCH_LINES: usize = 4096;
/// Most WARC records in one batch.
const BATCH_RECORDS: usize = 512;
/// Buffer of the reader below the line and record readers.
const READ_BUFFER: usize = 1 << 16;

/// What streaming one input produced, besides its output.
#[derive(Debug, Default)]
pub struct Streamed {
    /// Counts over its records (its `record_problems` were handed out as they came).
    pub result: FileResult,
    /// Problems with single records (a bad or too long line).
    pub record_problems: u64,
    /// A read error that ended the input early: everything before it was cleaned.
    pub fault: Option<String>,
    /// Byte offset of the first invalid UTF-8, replaced with U+FFFD.
    pub invalid_utf8_at: Option<u64>,
    /// Bytes read (decompressed).
    pub bytes_in: u64,
    /// Bytes of output written (before compression).
    pub bytes_out: u64,
}

/// A write that failed while streaming: to the output, or to the Dolma attribute file.
#[derive(Debug)]
pub enum WriteError {
    /// Writing the cleaned records failed.
    Output(io::Error),
    /// Writing the attribute lines failed.
    Attributes(io::Error),
}

/// Where a streamed input's problems and progress go.
pub struct Listener<'a> {
    /// Hears each problem with a single record, in input order.
    pub record_problem: &'a mut dyn FnMut(String),
    /// Hears how many more bytes were read.
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// Cleans the JSON Lines stream `reader` (decompressed as `compression` says), writing the
/// records to `out` and, when given, their Dolma attribute lines to `attributes`. Read errors end
/// the input as a [`Streamed::fault`].
pub fn clean_jsonl(
    cleaning: Cleaning<'_>,
    reader: Box<dyn Read + Send>,
    compression: Compression,
    out: &mut dyn Write,
    attributes: Option<&mut dyn Write>,
    listener: Listener<'_>,
) -> Result<Streamed, WriteError> {
    let max_bytes = cleaning.cleaner.config().max_doc_bytes();
    let mut lines = Lines::new(reader, compression, max_bytes);
    let mut streamed = drive(
        || lines.read_batch(),
        |line: &Line| clean_line(cleaning, line),
        out,
        attributes,
        listener,
    )?;
    streamed.invalid_utf8_at = lines.invalid_utf8_at;
    Ok(streamed)
}

/// Cleans the WARC stream `reader` (decompressed as `compression` says), writing a JSON line
/// to `out` for each record that holds a document. A damaged record or a read error ends the
/// input as a [`Streamed::fault`].
pub fn clean_warc(
    cleaning: Cleaning<'_>,
    reader: Box<dyn Read + Send>,
    compression: Compression,
    out: &mut dyn Write,
    listener: Listener<'_>,
) -> Result<Streamed, WriteError> {
    let max_bytes = cleaning.cleaner.config().max_doc_bytes();
    let mut records = Records {
        reader: RecordReader::new(BufReader::with_capacity(READ_BUFFER, reader), max_bytes),
        compression,
        max_bytes,
    };
    drive(
        || records.read_batch(),
        |record: &Item<RawRecord>| clean_record(cleaning, record),
        out,
        None,
        listener,
    )
}

/// Reads batches with `read_batch` while the batch before is cleaned with `clean`, one result
/// per item in order, and writes the results in order.
fn drive<T: Send + Sync>(
    mut read_batch: impl FnMut() -> Batch<T> + Send,
    clean: impl Fn(&T) -> FileResult + Sync,
    out: &mut dyn Write,
    mut attributes: Option<&mut dyn Write>,
    listener: Listener<'_>,
) -> Result<Streamed, WriteError> {
    let mut streamed = Streamed::default();
    let mut batch = read_batch();
    loop {
        let more = batch.fault.is_none() && !batch.finished;
        let (next, results) = rayon::join(
            || more.then(&mut read_batch),
            || batch.items.par_iter().map(&clean).collect::<Vec<_>>(),
        );
        for mut result in results {
            out.write_all(&result.output).map_err(WriteError::Output)?;
            streamed.bytes_out += result.output.len() as u64;
            if let Some(attributes) = attributes.as_deref_mut() {
                attributes
                    .write_all(&result.attributes)
                    .map_err(WriteError::Attributes)?;
            }
            for problem in result.record_problems.drain(..) {
                streamed.record_problems += 1;
                (listener.record_problem)(problem);
            }
            streamed.result.absorb(&result);
        }
        streamed.bytes_in += batch.bytes;
        (listener.progress)(batch.bytes);
        streamed.fault = streamed.fault.take().or(batch.fault.take());
        match next {
            Some(next) => batch = next,
            None => break,
        }
    }
    Ok(streamed)
}

/// Counts the records of the JSON Lines stream `reader` into `counter`, one after the other (so
/// the census does not depend on the thread count); stops at a read error.
pub fn count_jsonl(
    cleaner: &Cleaner,
    counter: &mut Counter,
    settings: &Settings<'_>,
    source: &Source,
    reader: Box<dyn Read + Send>,
) {
    let max_bytes = cleaner.config().max_doc_bytes();
    let mut lines = LineReader::new(BufReader::with_capacity(READ_BUFFER, reader), max_bytes);
    let mut line = Vec::new();
    while let Ok(Some(info)) = lines.read_line(&mut line) {
        if info.too_long.is_none() {
            let text = read::text_lossy(&line);
            documents::count_jsonl_line(cleaner, counter, settings, source, &text);
        }
    }
}

/// Counts the documents of the WARC stream `reader` into `counter`, one after the other; stops
/// at a damaged record or a read error.
pub fn count_warc(
    cleaner: &Cleaner,
    counter: &mut Counter,
    source: &Source,
    reader: Box<dyn Read + Send>,
) {
    let max_bytes = cleaner.config().max_doc_bytes();
    let mut records = RecordReader::new(BufReader::with_capacity(READ_BUFFER, reader), max_bytes);
    while let Some(Ok(Ok(next))) = records.next_record() {
        if let Next::Record(raw) = next {
            documents::count_warc_record(cleaner, counter, source, &raw.record());
        }
    }
}

/// Cleans one line.
fn clean_line(cleaning: Cleaning<'_>, line: &Line) -> FileResult {
    let mut result = FileResult::default();
    match &line.text {
        Ok(text) => documents::clean_jsonl_line(cleaning, line.number, text, &mut result),
        Err(problem) => result
            .record_problems
            .push(format!("line {}: {problem}", line.number)),
    }
    result
}

/// Cleans one WARC record.
fn clean_record(cleaning: Cleaning<'_>, item: &Item<RawRecord>) -> FileResult {
    let mut result = FileResult::default();
    match item {
        Ok(raw) => documents::clean_warc_record(cleaning, &raw.record(), &mut result),
        Err(problem) => result.record_problems.push(problem.clone()),
    }
    result
}

/// A record read, or why it was not kept.
type Item<T> = Result<T, String>;

/// One line read: its number, and its text or why it was not kept.
struct Line {
    number: usize,
    text: Item<String>,
}

/// Records read together.
struct Batch<T> {
    items: Vec<T>,
    /// Bytes they took in the stream.
    bytes: u64,
    /// The stream ended after them.
    finished: bool,
    /// A read error ended the stream after them.
    fault: Option<String>,
}

impl<T> Batch<T> {
    fn empty() -> Self {
        Batch {
            items: Vec::new(),
            bytes: 0,
            finished: false,
            fault: None,
        }
    }
}

/// A stream's lines, read a batch at a time.
struct Lines {
    reader: LineReader<BufReader<Box<dyn Read + Send>>>,
    compression: Compression,
    max_bytes: u64,
    buffer: Vec<u8>,
    /// Byte offset of the first invalid UTF-8 met.
    invalid_utf8_at: Option<u64>,
}

impl Lines {
    fn new(reader: Box<dyn Read + Send>, compression: Compression, max_bytes: u64) -> Self {
        Lines {
            reader: LineReader::new(BufReader::with_capacity(READ_BUFFER, reader), max_bytes),
            compression,
            max_bytes,
            buffer: Vec::new(),
            invalid_utf8_at: None,
        }
    }

    fn read_batch(&mut self) -> Batch<Line> {
        let start = self.reader.offset();
        let mut batch = Batch::empty();
        while batch.items.len() < BATCH_LINES && self.reader.offset() - start < BATCH_BYTES {
            match self.reader.read_line(&mut self.buffer) {
                Ok(Some(info)) => {
                    let text = self.text_of(info);
                    batch.items.push(Line {
                        number: info.number,
                        text,
                    });
                }
                Ok(None) => {
                    batch.finished = true;
                    break;
                }
                Err(e) => {
                    batch.fault = Some(read::stream_fault(
                        self.compression,
                        self.reader.offset(),
                        &e,
                    ));
                    break;
                }
            }
        }
        batch.bytes = self.reader.offset() - start;
        batch
    }

    /// The text of the line just read into the buffer, or why it is not kept.
    fn text_of(&mut self, info: LineInfo) -> Result<String, String> {
        if let Some(length) = info.too_long {
            return Err(read::over_limit(length, self.max_bytes));
        }
        let bytes = std::mem::take(&mut self.buffer);
        Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let at = info.offset + e.utf8_error().valid_up_to() as u64;
                self.invalid_utf8_at.get_or_insert(at);
                String::from_utf8_lossy(e.as_bytes()).into_owned()
            }
        })
    }
}

/// A WARC stream's records, read a batch at a time.
struct Records {
    reader: RecordReader<BufReader<Box<dyn Read + Send>>>,
    compression: Compression,
    max_bytes: u64,
}

impl Records {
    fn read_batch(&mut self) -> Batch<Item<RawRecord>> {
        let start = self.reader.offset();
        let mut batch = Batch::empty();
        while batch.items.len() < BATCH_RECORDS && self.reader.offset() - start < BATCH_BYTES {
            match self.reader.next_record() {
                Some(Ok(Ok(Next::Record(raw)))) => batch.items.push(Ok(raw)),
                Some(Ok(Ok(Next::TooLarge { offset, bytes }))) => batch.items.push(Err(format!(
                    "byte offset {offset}: a record of {}",
                    read::over_limit(bytes, self.max_bytes)
                ))),
                Some(Ok(Err(fault))) => {
                    batch.fault = Some(documents::warc_fault(&fault));
                    break;
                }
                Some(Err(e)) => {
                    batch.fault = Some(read::stream_fault(
                        self.compression,
                        self.reader.offset(),
                        &e,
                    ));
                    break;
                }
                None => {
                    batch.finished = true;
                    break;
                }
            }
        }
        batch.bytes = self.reader.offset() - start;
        batch
    }
}
