//! The process exit codes of the `deboil` binary.

/// How a run ended, as the exit code says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Everything was processed.
    Success,
    /// The run went through, but at least one input failed or was skipped.
    PartialFailure,
    /// The run could not proceed: bad arguments, unusable output, failed evaluation.
    Fatal,
    /// Ctrl-C or a termination signal stopped the run (outputs being written were removed).
    Interrupted,
}

impl ExitCode {
    /// The number the process exits with.
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::PartialFailure => 1,
            ExitCode::Fatal => 2,
            // 128 + SIGINT, as shells report a run stopped by Ctrl-C.
            ExitCode::Interrupted => 130,
        }
    }

    /// Exits the process with this code.
    pub fn exit(self) -> ! {
        std::process::exit(self.code())
    }
}
