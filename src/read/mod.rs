//! Reading: finding the input files (files, folders, globs, stdin) and decoding them to text.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where one document comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input.
    Stdin,
    /// A file.
    File(FileSource),
}

/// An input file and what follows from where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSource {
    /// The file's path, as found.
    pub path: PathBuf,
    /// Its path below the input it was found in (the file name for a file given by itself); the
    /// output goes to the same relative path below the output folder.
    pub relative: PathBuf,
    /// Its site, when nothing in the document names one: the folder that holds it, relative to
    /// the input folder (so `site/page.txt` layouts work as they are), or the folder as written
    /// for a file given by itself.
    pub site: String,
    /// A pipe or device given by name (such as the `/dev/fd/63` of a shell's `<(zcat …)`): it
    /// can be read once only, so it is cleaned but not counted into a census.
    pub read_once: bool,
}

impl Source {
    /// A name for messages: the path, or `<stdin>`.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".to_string(),
            Source::File(f) => f.path.display().to_string(),
        }
    }

    /// The site this document belongs to when its content names none.
    pub fn site(&self) -> &str {
        match self {
            Source::Stdin => "",
            Source::File(f) => &f.site,
        }
    }
}

/// The input folders among the arguments (for the output-inside-input check).
pub fn input_folders(args: &[PathBuf]) -> Vec<PathBuf> {
    args.iter().filter(|p| p.is_dir()).cloned().collect()
}

/// Expands the input arguments into sources, in a stable order: `-` is stdin, a file is itself, a
/// folder is every file below it (recursively, sorted by path, hidden files and folders skipped),
/// and a pattern with `*`, `?` or `[` that names no existing path is a glob. An argument that
/// matches nothing yields an error and the others are still returned.
pub fn discover(args: &[PathBuf]) -> (Vec<Source>, Vec<Error>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            sources.push(Source::Stdin);
        } else if arg.is_file() {
            sources.push(Source::File(single_file(arg)));
        } else if arg.is_dir() {
            walk_folder(arg, &mut sources, &mut errors);
        } else if arg.exists() && !is_glob(arg) {
            // Neither a file nor a folder, but there: a pipe or a device, read as a file.
            sources.push(Source::File(FileSource {
                read_once: true,
                ..single_file(arg)
            }));
        } else if is_glob(arg) {
            match expand_glob(arg) {
                Ok(found) if !found.is_empty() => sources.extend(found),
                Ok(_) => errors.push(Error::NotFound { path: arg.clone() }),
                Err(e) => errors.push(e),
            }
        } else {
            errors.push(Error::NotFound { path: arg.clone() });
        }
    }
    (sources, errors)
}

fn single_file(path: &Path) -> FileSource {
    let name = path.file_name().map(PathBuf::from).unwrap_or_default();
    FileSource {
        path: path.to_path_buf(),
        relative: name,
        site: folder_name(path.parent().unwrap_or(Path::new("."))),
        read_once: false,
    }
}

/// The name of a folder, as a site: its last component (of its absolute path for `.` and `..`).
fn folder_name(folder: &Path) -> String {
    let named = match folder.file_name() {
        Some(name) => return name.to_string_lossy().into_owned(),
        None => std::path::absolute(folder).ok(),
    };
    let canonical = named.and_then(|p| p.canonicalize().ok());
    canonical
        .as_deref()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn walk_folder(root: &Path, sources: &mut Vec<Source>, errors: &mut Vec<Error>) {
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            // A link that leads nowhere is still an input: reading it reports the error, so
            // nothing is dropped silently.
            Ok(entry)
                if entry.file_type().is_file()
                    || entry.path_is_symlink() && !entry.path().is_dir() =>
            {
                sources.push(Source::File(below(root, entry.path())));
            }
            Ok(_) => {}
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("file system loop"));
                errors.push(Error::io(path, io));
            }
        }
    }
}

/// A file found below an input folder. Its site is the top folder below the input (so both
/// `corpus/` and `corpus/site/` name the pages of `corpus/site/` after `site`), or the input
/// folder's own name for files directly in it.
fn below(root: &Path, path: &Path) -> FileSource {
    let relative = path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let mut components = relative.components();
    let first = components.next();
    let site = match (first, components.next()) {
        (Some(top), Some(_)) => top.as_os_str().to_string_lossy().into_owned(),
        _ => folder_name(root),
    };
    FileSource {
        path: path.to_path_buf(),
        relative,
        site,
        read_once: false,
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn is_glob(arg: &Path) -> bool {
    arg.to_str().is_some_and(|s| s.contains(['*', '?', '[']))
}

/// Expands a glob: walks from the longest literal folder prefix and keeps the files that match.
fn expand_glob(arg: &Path) -> Result<Vec<Source>> {
    let pattern = arg.to_string_lossy().into_owned();
    let matcher = globset::GlobBuilder::new(&pattern)
        .literal_separator(true)
        .build()
        .map_err(|e| Error::BadGlob {
            pattern: pattern.clone(),
            message: e.kind().to_string(),
        })?
        .compile_matcher();
    let root = literal_prefix(arg);
    let walk_root = if root.as_os_str().is_empty() {
        Path::new(".")
    } else {
        &root
    };
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(walk_root)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let path = if root.as_os_str().is_empty() {
            entry.path().strip_prefix(".").unwrap_or(entry.path())
        } else {
            entry.path()
        };
        if entry.file_type().is_file() && matcher.is_match(path) {
            let mut source = below(&root, path);
            source.path = path.to_path_buf();
            found.push(Source::File(source));
        }
    }
    Ok(found)
}

fn literal_prefix(pattern: &Path) -> PathBuf {
    pattern
        .components()
        .take_while(|c| {
            !c.as_os_str()
                .to_string_lossy()
                .contains(['*', '?', '[', '{'])
        })
        .collect()
}

/// A decoded document and anything worth a warning about its decoding.
#[derive(Debug)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// Set when the bytes were not valid UTF-8: the offset of the first invalid byte.
    pub invalid_utf8_at: Option<usize>,
}

/// What reading a source produced.
#[derive(Debug)]
pub enum Loaded {
    /// A text document.
    Text(Decoded),
    /// A binary file (it holds a NUL byte at this offset); it is skipped.
    Binary {
        /// Offset of the first NUL byte.
        offset: usize,
    },
    /// The file is larger than the configured limit; it is skipped.
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
}

/// Reads a source whole (decompressing `.gz` and `.zst` by its name), refusing inputs above
/// `max_bytes`, and decodes it as text.
pub fn load(source: &Source, max_bytes: u64) -> Result<Loaded> {
    let raw = load_bytes(source, max_bytes, Compression::of(source))?;
    match raw {
        Raw::TooLarge { bytes } => Ok(Loaded::TooLarge { bytes }),
        Raw::Bytes { bytes, .. } => Ok(decode(bytes)),
    }
}

/// An input's bytes, decompressed.
#[derive(Debug)]
pub enum Raw {
    /// The bytes, and where decompression failed if it did (everything before is kept).
    Bytes {
        /// The (decompressed) bytes.
        bytes: Vec<u8>,
        /// A damaged or truncated compressed stream: what went wrong, at which offset of the
        /// decompressed data.
        fault: Option<String>,
    },
    /// Larger than the limit; skipped.
    TooLarge {
        /// Its size in bytes, or the limit when a compressed stream expanded beyond it.
        bytes: u64,
    },
}

/// Reads a source's bytes, decompressing them as `compression` says.
pub fn load_bytes(source: &Source, max_bytes: u64, compression: Compression) -> Result<Raw> {
    let mut expected = 0u64;
    let reader: Box<dyn Read + Send> = match source {
        Source::Stdin => Box::new(std::io::stdin()),
        Source::File(file) => {
            // Opened first and its size asked of the open file: one path lookup, not two. A
            // file that cannot be opened is still reported as too large when it is.
            let opened = std::fs::File::open(&file.path);
            let size = match &opened {
                Ok(opened) => opened.metadata(),
                Err(_) => std::fs::metadata(&file.path),
            }
            .map_err(|e| Error::io(&file.path, e))?
            .len();
            if compression == Compression::None && size > max_bytes {
                return Ok(Raw::TooLarge { bytes: size });
            }
            expected = size;
            Box::new(opened.map_err(|e| Error::io(&file.path, e))?)
        }
    };
    let name = source.name();
    let reader = decompressing(reader, compression, &name)?;
    // Room for the whole file at once (compressed data usually expands about four times).
    let guess = match compression {
        Compression::None => expected + 1,
        _ => expected.saturating_mul(4),
    };
    // One byte past the limit tells a larger input (a limit of `u64::MAX` is no limit).
    let past_limit = max_bytes.saturating_add(1);
    let mut bytes = Vec::with_capacity(guess.min(past_limit) as usize);
    let result = reader.take(past_limit).read_to_end(&mut bytes);
    if bytes.len() as u64 > max_bytes {
        return Ok(Raw::TooLarge { bytes: max_bytes });
    }
    match result {
        Ok(_) => Ok(Raw::Bytes { bytes, fault: None }),
        Err(e) if compression != Compression::None => Ok(Raw::Bytes {
            fault: Some(stream_fault(compression, bytes.len() as u64, &e)),
            bytes,
        }),
        Err(e) => Err(Error::io(&name, e)),
    }
}

/// Opens a source as a stream of its (decompressed) bytes, for inputs read a record at a time
/// instead of whole (JSON Lines, WARC).
pub fn open_stream(source: &Source, compression: Compression) -> Result<Box<dyn Read + Send>> {
    let reader: Box<dyn Read + Send> = match source {
        Source::Stdin => Box::new(std::io::stdin()),
        Source::File(file) => {
            Box::new(std::fs::File::open(&file.path).map_err(|e| Error::io(&file.path, e))?)
        }
    };
    decompressing(reader, compression, &source.name())
}

/// `reader`'s bytes decompressed as `compression` says; `name` names the input in errors.
fn decompressing(
    reader: Box<dyn Read + Send>,
    compression: Compression,
    name: &str,
) -> Result<Box<dyn Read + Send>> {
    Ok(match compression {
        Compression::None => reader,
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(reader)),
        Compression::Zstd => {
            Box::new(zstd::stream::read::Decoder::new(reader).map_err(|e| Error::io(name, e))?)
        }
    })
}

/// The bytes `reader` holds ready (empty at the end), reading more when it holds none; a read
/// interrupted by a signal is tried again.
pub fn fill<R: std::io::BufRead>(reader: &mut R) -> std::io::Result<&[u8]> {
    loop {
        match reader.fill_buf() {
            Ok(_) => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    // Filled now: this returns what the first call read (the borrow checker cannot yet let
    // the loop return it).
    reader.fill_buf()
}

/// How a document (a file, a JSON line, a WARC record) of `bytes` over `limit` is reported.
pub fn over_limit(bytes: u64, limit: u64) -> String {
    format!("{bytes} bytes exceeds the limit of {limit} bytes (--max-doc-bytes); skipped")
}

/// How text that is not valid UTF-8 from `offset` on is reported.
pub fn invalid_utf8_at(offset: u64) -> String {
    format!("invalid UTF-8 at byte offset {offset}; invalid bytes replaced with U+FFFD")
}

/// What went wrong reading a stream after `bytes` good (decompressed) bytes: everything before
/// was cleaned.
pub fn stream_fault(compression: Compression, bytes: u64, error: &std::io::Error) -> String {
    match compression {
        Compression::None => {
            format!("read error after {bytes} bytes: {error}; the data before was cleaned")
        }
        _ => format!(
            "{} stream damaged or truncated after {bytes} decompressed bytes: {error}; the data before was cleaned",
            compression.name()
        ),
    }
}

/// How an input is compressed, by its file name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Not compressed.
    None,
    /// gzip (`.gz`), single or multi-member.
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Compression {
    /// The compression of a source (standard input is read as it is).
    pub fn of(source: &Source) -> Compression {
        match source {
            Source::Stdin => Compression::None,
            Source::File(file) => Compression::of_path(&file.path),
        }
    }

    /// The compression a path's extension names.
    pub fn of_path(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") => Compression::Gzip,
            Some("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// A writer that compresses what it is given into `inner`; [`Compressor::finish`] ends the
    /// compressed stream and returns `inner`.
    pub fn writer<W: std::io::Write>(self, inner: W) -> std::io::Result<Compressor<W>> {
        Ok(match self {
            Compression::None => Compressor::Plain(inner),
            Compression::Gzip => Compressor::Gzip(flate2::write::GzEncoder::new(
                inner,
                flate2::Compression::default(),
            )),
            Compression::Zstd => Compressor::Zstd(zstd::stream::write::Encoder::new(inner, 3)?),
        })
    }

    /// Compresses `bytes` for writing to a file of this compression; uncompressed, they are
    /// returned as they are, not copied.
    pub fn compress(self, bytes: &[u8]) -> std::io::Result<std::borrow::Cow<'_, [u8]>> {
        use std::io::Write as _;
        if self == Compression::None {
            return Ok(std::borrow::Cow::Borrowed(bytes));
        }
        let mut writer = self.writer(Vec::with_capacity(bytes.len()))?;
        writer.write_all(bytes)?;
        Ok(std::borrow::Cow::Owned(writer.finish()?))
    }
}

/// A writer compressing into another one (see [`Compression::writer`]).
pub enum Compressor<W: std::io::Write> {
    /// Written as it is.
    Plain(W),
    /// gzip.
    Gzip(flate2::write::GzEncoder<W>),
    /// Zstandard.
    Zstd(zstd::stream::write::Encoder<'static, W>),
}

impl<W: std::io::Write> Compressor<W> {
    /// Ends the compressed stream; returns the writer it went to.
    pub fn finish(self) -> std::io::Result<W> {
        match self {
            Compressor::Plain(inner) => Ok(inner),
            Compressor::Gzip(encoder) => encoder.finish(),
            Compressor::Zstd(encoder) => encoder.finish(),
        }
    }
}

impl<W: std::io::Write> std::io::Write for Compressor<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Compressor::Plain(inner) => inner.write(bytes),
            Compressor::Gzip(encoder) => encoder.write(bytes),
            Compressor::Zstd(encoder) => encoder.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Compressor::Plain(inner) => inner.flush(),
            Compressor::Gzip(encoder) => encoder.flush(),
            Compressor::Zstd(encoder) => encoder.flush(),
        }
    }
}

/// What kind of document file an input is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, one document a file.
    Text,
    /// HTML, one page a file.
    Html,
    /// JSON Lines, one document a line (Dolma, datatrove).
    Jsonl,
    /// WARC or WET, many records a file.
    Warc,
}

impl Format {
    /// The format a path's name says, looking through a `.gz` or `.zst` ending.
    pub fn of_path(path: &Path) -> Format {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        let name = name
            .strip_suffix(".gz")
            .or_else(|| name.strip_suffix(".zst"))
            .unwrap_or(&name);
        let extension = name.rsplit_once('.').map_or("", |(_, e)| e);
        match extension {
            "jsonl" | "ndjson" | "json" => Format::Jsonl,
            "warc" | "wet" | "arc" => Format::Warc,
            "html" | "htm" | "xhtml" => Format::Html,
            _ => Format::Text,
        }
    }

    /// The format of a source: `forced` if given, else by name (standard input is text).
    pub fn of(source: &Source, forced: Option<Format>) -> Format {
        forced.unwrap_or(match source {
            Source::Stdin => Format::Text,
            Source::File(file) => Format::of_path(&file.path),
        })
    }
}

/// Decodes an HTML page: a byte-order mark first, then the charset the HTTP header declares
/// (`declared`), then a `<meta charset>` in the first kilobytes, then UTF-8 if the bytes are valid
/// UTF-8, else a guess from the bytes (chardetng). A declared charset that is unknown is ignored;
/// undecodable bytes become U+FFFD. Never fails.
pub fn decode_html(bytes: &[u8], declared: Option<&str>) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let encoding = declared
        .and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| meta_charset(bytes))
        .unwrap_or_else(|| {
            if std::str::from_utf8(bytes).is_ok() {
                encoding_rs::UTF_8
            } else {
                let mut detector = chardetng::EncodingDetector::new();
                detector.feed(bytes, true);
                detector.guess(None, true)
            }
        });
    // A page declared as one charset that is valid UTF-8 throughout is almost surely UTF-8.
    if encoding != encoding_rs::UTF_8
        && let Ok(text) = std::str::from_utf8(bytes)
        && !text.is_ascii()
    {
        return text.to_string();
    }
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// `bytes` as UTF-8 text. Valid text, nearly all of it, is checked by a SIMD validator
/// (`simdutf8`, several times faster than the standard library's); only invalid text is
/// checked again by [`std::str::from_utf8`], whose error tells where it fails.
pub fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

/// `bytes` as text, invalid UTF-8 replaced with U+FFFD: as [`String::from_utf8_lossy`], but
/// valid text (nearly all of it) is checked by the faster [`utf8`].
pub fn text_lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// The charset a `<meta>` tag declares in the first 4 KiB of a page.
fn meta_charset(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// The host of a URL, without `www.` and port: the site of a document that names its URL.
pub fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// Bytes at the start of a file looked at to tell binary data from text.
pub const BINARY_SNIFF_BYTES: usize = 8192;

/// Where a NUL byte shows the data to be binary: within its first [`BINARY_SNIFF_BYTES`], as
/// git and grep judge. Text with a stray NUL further on (a page with trailing garbage) is
/// still text.
pub fn binary_at(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, &bytes[..bytes.len().min(BINARY_SNIFF_BYTES)])
}

/// Replaces NUL bytes (which text cannot hold) with U+FFFD; returns where the first was.
pub fn replace_nul_bytes(text: &mut std::borrow::Cow<'_, str>) -> Option<usize> {
    let offset = memchr::memchr(0, text.as_bytes())?;
    *text = std::borrow::Cow::Owned(text.replace('\0', "\u{FFFD}"));
    Some(offset)
}

/// Decodes bytes as UTF-8 (lossily, noting where it first failed); bytes holding NUL near their
/// start are binary (see [`binary_at`]).
pub fn decode(bytes: Vec<u8>) -> Loaded {
    if let Some(offset) = binary_at(&bytes) {
        return Loaded::Binary { offset };
    }
    let bytes = strip_bom(bytes);
    match String::from_utf8(bytes) {
        Ok(text) => Loaded::Text(Decoded {
            text,
            invalid_utf8_at: None,
        }),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            Loaded::Text(Decoded {
                text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                invalid_utf8_at: Some(offset),
            })
        }
    }
}

fn strip_bom(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    bytes
}

pub mod jsonl;
pub mod warc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_charsets_are_honoured_and_guessed() {
        let latin1 = b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>";
        assert!(decode_html(latin1, None).contains("café"));
        assert!(
            decode_html(b"<p>caf\xe9 cr\xe8me br\xfbl\xe9e au go\xfbt</p>", None).contains("café")
        );
        // A wrong declaration on valid UTF-8 does not garble it.
        assert!(
            decode_html("<meta charset=windows-1252><p>café</p>".as_bytes(), None).contains("café")
        );
        assert!(decode_html(b"<p>x</p>", Some("no-such-charset")).contains("x"));
        assert_eq!(
            url_host("https://www.example.org:8080/a?b"),
            Some("example.org")
        );
        assert_eq!(url_host("not a url"), None);
    }

    #[test]
    fn decodes_utf8_and_reports_invalid_bytes() {
        let Loaded::Text(d) = decode(b"caf\xc3\xa9".to_vec()) else {
            panic!("text expected")
        };
        assert_eq!(d.text, "café");
        assert_eq!(d.invalid_utf8_at, None);
        let Loaded::Text(d) = decode(b"ab\xffcd".to_vec()) else {
            panic!("text expected")
        };
        assert_eq!(d.text, "ab\u{fffd}cd");
        assert_eq!(d.invalid_utf8_at, Some(2));
    }

    #[test]
    fn utf8_agrees_with_the_standard_library_on_where_text_goes_wrong() {
        // Long enough for the SIMD validator's wide path, with the fault late and early.
        let long = "é a long line of text ".repeat(20);
        assert_eq!(utf8(long.as_bytes()), Ok(long.as_str()));
        for fault in [&b"\xff"[..], b"\xc3", b"\xe2\x80", b"\xed\xa0\x80"] {
            for at in [0, 3, long.len()] {
                let mut bytes = long.as_bytes()[..at].to_vec();
                bytes.extend_from_slice(fault);
                bytes.extend_from_slice(long.as_bytes());
                let error = utf8(&bytes).expect_err("invalid UTF-8 is refused");
                assert_eq!(error.valid_up_to(), at);
                assert_eq!(Err(error), std::str::from_utf8(&bytes));
            }
        }
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(
            decode(b"ab\0c".to_vec()),
            Loaded::Binary { offset: 2 }
        ));
    }

    #[test]
    fn bom_is_dropped() {
        let Loaded::Text(d) = decode(b"\xEF\xBB\xBFhi".to_vec()) else {
            panic!("text expected")
        };
        assert_eq!(d.text, "hi");
    }

    #[test]
    fn folders_give_relative_paths_and_sites() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("siteb")).unwrap();
        std::fs::write(dir.path().join("siteb/p2.txt"), "x").unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join(".hidden"), "x").unwrap();
        let (sources, errors) = discover(&[dir.path().to_path_buf()]);
        assert!(errors.is_empty());
        let found: Vec<(PathBuf, String)> = sources
            .iter()
            .map(|s| match s {
                Source::File(f) => (f.relative.clone(), f.site.clone()),
                Source::Stdin => unreachable!(),
            })
            .collect();
        let root_name = dir
            .path()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        assert_eq!(
            found,
            [
                (PathBuf::from("a.txt"), root_name),
                (PathBuf::from("siteb/p2.txt"), "siteb".to_string())
            ]
        );
        // The same site whether the corpus or the site folder is given.
        let (inner, _) = discover(&[dir.path().join("siteb")]);
        assert!(matches!(&inner[0], Source::File(f) if f.site == "siteb"));
    }

    #[test]
    fn missing_inputs_are_errors_not_silence() {
        let (sources, errors) = discover(&[PathBuf::from("/no/such/deboil/input")]);
        assert!(sources.is_empty());
        assert!(matches!(errors[0], Error::NotFound { .. }));
    }
}
