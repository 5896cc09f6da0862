//! `p14p run`, `compile`, `dis`, `peek`, `poke`.

use super::connection::Connection;
use super::exec::{interruptible, write_stdout};
use super::Failure;
use crate::compile::{self, Compiled};
use crate::device::{self, RunOptions};
use crate::diag::Diagnostic;
use crate::program::offline_target;
use std::path::Path;
use std::process::ExitCode;

fn read_source(file: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()).into())
}

/// Prints diagnostics rustc-style on stderr.
pub fn print_diagnostics(diags: &[Diagnostic], filename: &str, source: &str) {
    for d in diags {
        let text = d.render(filename, source);
        eprint!("{text}");
        if !text.ends_with('\n') {
            eprintln!();
        }
    }
}

/// Prints the compile failures of a program's files.
pub fn print_failures(failed: &[crate::modules::Failed]) {
    for f in failed {
        print_diagnostics(&f.diags, &f.filename, &f.source);
    }
}

/// `p14p run [--no-reset] FILE`: reset (unless `no_reset`), compile FILE
/// and the modules it imports from files next to it, load them all, run
/// FILE.
pub async fn run_file(file: &Path, no_reset: bool, conn: &Connection) -> Result<ExitCode, Failure> {
    let source = read_source(file)?;
    let filename = file.display().to_string();
    let dir = crate::modules::dir_of(file);
    run_source(&source, &filename, &dir, !no_reset, conn).await
}

/// Runs `source` (named `filename`; its imports found in `dir`) on the
/// device of `conn` as `p14p run` does: after a reset when `reset`, else
/// in the device's current `__main__`, so the names an earlier run without
/// reset (or a stored main) defined are visible. The exit status is the
/// program's: 1 for a compile error or an uncaught exception, `sys.exit`'s.
pub async fn run_source(
    source: &str,
    filename: &str,
    dir: &Path,
    reset: bool,
    conn: &Connection,
) -> Result<ExitCode, Failure> {
    let device = conn.device().await?;
    if reset {
        device.reset().await?;
    }
    let options = RunOptions {
        filename: Some(filename.to_string()),
        dir: Some(dir.to_path_buf()),
        ..RunOptions::default()
    };
    let run = device.exec_with(source, &options, write_stdout);
    exit_status(interruptible(device.session(), run).await)
}

/// The exit status of a program that ended with `result`, with its
/// diagnostics or traceback printed on stderr: 0, 1 for a compile error or
/// an uncaught exception, `sys.exit`'s status. A failure of the device or
/// the link is p14p's own (exit status 2).
pub fn exit_status<T>(result: device::Result<T>) -> Result<ExitCode, Failure> {
    match result {
        Ok(_) => Ok(ExitCode::SUCCESS),
        Err(device::Error::Compile(text)) => {
            eprint!("{text}");
            Ok(ExitCode::FAILURE)
        }
        Err(device::Error::Exception {
            exception,
            traceback,
        }) => match exception.exit_status() {
            Some(status) => {
                if status == 1 && exception.detail.parse::<i64>().is_err() {
                    // `sys.exit("message")`: CPython prints the message.
                    eprintln!("{}", exception.detail);
                }
                Ok(ExitCode::from(status))
            }
            None => {
                eprint!("{traceback}");
                Ok(ExitCode::FAILURE)
            }
        },
        Err(e) => Err(e.into()),
    }
}

async fn compile_offline(file: &Path) -> Result<Result<(Compiled, String), ExitCode>, Failure> {
    let source = read_source(file)?;
    let filename = file.display().to_string();
    let target = offline_target().await?;
    Ok(match compile::compile(&source, &filename, &target) {
        Ok(c) => Ok((c, source)),
        Err(diags) => {
            print_diagnostics(&diags, &filename, &source);
            Err(ExitCode::FAILURE)
        }
    })
}

/// `p14p compile FILE -o OUT [--size]`.
pub async fn compile_file(
    file: &Path,
    output: Option<&Path>,
    size: bool,
) -> Result<ExitCode, Failure> {
    let (compiled, _) = match compile_offline(file).await? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    let out = output.map_or_else(|| file.with_extension("p14i"), Path::to_path_buf);
    std::fs::write(&out, &compiled.image)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!(
        "{}: {} bytes, hash {:08x}",
        out.display(),
        compiled.image.len(),
        compiled.hash
    );
    if size {
        if let Some(b) = crate::compile::size::breakdown(&compiled.image) {
            print!("{}", crate::compile::size::render(&b));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `p14p freeze [-o BLOB]`: the frozen library's blob, written where the
/// device crate includes it unless told otherwise.
pub fn freeze(output: Option<&Path>) -> Result<ExitCode, Failure> {
    let default = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate::library::BLOB_PATH);
    let out = output.unwrap_or(&default);
    let blob = crate::library::blob();
    std::fs::write(out, &blob).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    for (name, c) in crate::library::compiled() {
        println!("{name}: {} bytes, hash {:08x}", c.image.len(), c.hash);
    }
    println!("{}: {} bytes", out.display(), blob.len());
    Ok(ExitCode::SUCCESS)
}

/// `p14p dis FILE`.
pub async fn dis_file(file: &Path) -> Result<ExitCode, Failure> {
    let (compiled, _) = match compile_offline(file).await? {
        Ok(c) => c,
        Err(code) => return Ok(code),
    };
    print!("{}", crate::compile::dis::disassemble(&compiled));
    Ok(ExitCode::SUCCESS)
}
