//! `p14p exec CODE` and `p14p eval EXPR`: a string run on the device as
//! `p14p run` runs a file (mpremote's `exec` and `eval`). `-` reads the
//! code from stdin. With `--no-reset` the code runs in the device's
//! current state, so it sees (and leaves) the globals of earlier runs
//! without reset and of a stored main.

use super::run::run_source;
use super::Failure;
use crate::transport::{OpenOptions, Port};
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

/// The file name a command-line program carries in diagnostics and
/// tracebacks (Python's own `-c` says `<string>`).
const FILENAME: &str = "<string>";

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
pub async fn exec(
    code: &str,
    no_reset: bool,
    port: &Port,
    open: &OpenOptions,
) -> Result<ExitCode, Failure> {
    let source = code_or_stdin(code)?;
    // Imports of `NAME.py` are found in the current folder, as in the REPL.
    run_source(&source, FILENAME, Path::new(""), !no_reset, port, open).await
}

/// `p14p eval [--no-reset] EXPR`: prints the repr of the expression's
/// value (`None` too).
pub async fn eval(
    expr: &str,
    no_reset: bool,
    port: &Port,
    open: &OpenOptions,
) -> Result<ExitCode, Failure> {
    let expr = code_or_stdin(expr)?;
    let source = match eval_source(&expr) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(ExitCode::FAILURE);
        }
    };
    run_source(&source, FILENAME, Path::new(""), !no_reset, port, open).await
}

/// The program printing the repr of `expr`, or why `expr` is not one
/// expression (a statement belongs to `exec`).
fn eval_source(expr: &str) -> Result<String, String> {
    let expr = expr.trim();
    if ruff_python_parser::parse_expression(expr).is_err() {
        return Err(format!(
            "`{expr}` is not an expression (statements run with `p14p exec`)"
        ));
    }
    // On its own lines inside the parentheses, so a trailing comment or a
    // multi-line expression stays whole.
    Ok(format!("print(repr(\n{expr}\n))\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eval_wraps_an_expression_and_refuses_a_statement() {
        assert_eq!(
            eval_source(" 1 + 1  # two\n").unwrap(),
            "print(repr(\n1 + 1  # two\n))\n"
        );
        assert!(eval_source("x = 1").unwrap_err().contains("p14p exec"));
        assert!(eval_source("1; 2").is_err());
    }
}
