//! Typed errors of the library. Every error that concerns an input names it.

use std::io;
use std::path::PathBuf;

/// Anything that can go wrong in deboil's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// An input path does not exist or matches nothing.
    #[error("{}: no such file or folder", path.display())]
    NotFound {
        /// The path as given.
        path: PathBuf,
    },
    /// A glob pattern is malformed.
    #[error("{pattern}: invalid glob pattern: {message}")]
    BadGlob {
        /// The pattern as given.
        pattern: String,
        /// What is wrong with it.
        message: String,
    },
    /// The output folder lies inside an input folder, so outputs would become inputs.
    #[error(
        "output folder {} is inside input folder {}; choose an output folder outside the inputs",
        output.display(),
        input.display()
    )]
    OutputInsideInput {
        /// The output folder.
        output: PathBuf,
        /// The input folder that holds it.
        input: PathBuf,
    },
    /// The output folder given is an existing file.
    #[error("output folder {} is a file; choose a folder", path.display())]
    OutputNotAFolder {
        /// The path given as output folder.
        path: PathBuf,
    },
    /// Two inputs would be written to the same output file.
    #[error("{}: output {} is already written by {}", input.display(), output.display(), other.display())]
    OutputCollision {
        /// The input that lost.
        input: PathBuf,
        /// The output path both map to.
        output: PathBuf,
        /// The input that was first.
        other: PathBuf,
    },
    /// An output would overwrite an input.
    #[error("{}: refusing to overwrite an input file", path.display())]
    WouldOverwriteInput {
        /// The input file.
        path: PathBuf,
    },
    /// An input could not be used as it is (binary, too large, badly encoded, malformed).
    #[error("{input}: {message}")]
    Input {
        /// The input's name (a path, or `<stdin>`), with the record or line where it helps.
        input: String,
        /// What is wrong and what was done about it.
        message: String,
    },
    /// Standard output was closed by the reader (as `head` does); the run stops quietly.
    #[error("standard output closed")]
    BrokenPipe,
    /// A configuration value is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A census file is damaged, of another version, or not a census.
    #[error("{}: {message}", path.display())]
    Census {
        /// The census file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A dataset folder for evaluation lacks a part.
    #[error("{}: {message}", path.display())]
    Dataset {
        /// The dataset folder.
        path: PathBuf,
        /// What is missing.
        message: String,
    },
}

impl Error {
    /// An I/O error concerning `path`.
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with deboil's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
