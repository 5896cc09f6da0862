//! `p14p exec CODE` and `p14p eval EXPR`: a string run on the device as
//! `p14p run` runs a file (mpremote's `exec` and `eval`). `-` reads the
//! code from stdin. With `--no-reset` the code runs in the device's
//! current state, so it sees (and leaves) the globals of earlier runs
//! without reset and of a stored main.

use super::connection::Connection;
use super::exec::{interruptible, write_stdout};
use super::run::{exit_status, run_source};
use super::Failure;
use crate::device::{eval_source, RunOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The file name a command-line program carries in diagnostics and
/// tracebacks (Python's own `-c` says `<string>`).
const FILENAME: &str = crate::device::STRING_FILENAME;

/// `code`, or stdin's text when it is `-`.
fn code_or_stdin(code: &str) -> Result<String, Failure> {
    if code != "-" {
        return Ok(code.to_string());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the code from stdin: {e}"))?;
    Ok(text)
}

/// `p14p exec [--no-reset] CODE`.
pub async fn exec(code: &str, no_reset: bool, conn: &Connection) -> Result<ExitCode, Failure> {
    let source = code_or_stdin(code)?;
    // Imports of `NAME.py` are found in the current folder, as in the REPL.
    run_source(&source, FILENAME, Path::new(""), !no_reset, conn).await
}

/// `p14p eval [--no-reset] EXPR`: prints the repr of the expression's
/// value (`None` too), after what the expression itself printed.
pub async fn eval(expr: &str, no_reset: bool, conn: &Connection) -> Result<ExitCode, Failure> {
    let expr = code_or_stdin(expr)?;
    if let Err(message) = eval_source(&expr) {
        eprintln!("error: {message}");
        return Ok(ExitCode::FAILURE);
    }
    let device = conn.device().await?;
    if !no_reset {
        device.reset().await?;
    }
    let options = RunOptions {
        filename: Some(FILENAME.to_string()),
        dir: Some(PathBuf::new()),
        ..RunOptions::default()
    };
    let run = device.eval_with(&expr, &options, write_stdout);
    let result = interruptible(device.session(), run).await;
    if let Ok(repr) = &result {
        write_stdout(format!("{repr}\n").as_bytes());
    }
    exit_status(result)
}
