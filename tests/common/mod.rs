//! Helpers the integration test files share (named pipes exist on Unix only).
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A named pipe `name` made in `dir`, as a shell's `<(…)` hands a program: readable once,
/// neither a file nor a folder.
pub fn named_pipe(dir: &Path, name: &str) -> PathBuf {
    let pipe = dir.join(name);
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success(), "mkfifo {}", pipe.display());
    pipe
}
