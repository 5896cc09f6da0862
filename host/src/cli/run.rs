//! `p14p run`, `compile`, `dis`, `peek`, `poke`.

use super::exec::{load_program, missing_modules, offline_target, run_interruptible, target_for};
use super::Failure;
use crate::compile::{self, Compiled};
use crate::diag::Diagnostic;
use crate::session::{Outcome, Session};
use crate::trace::{self, Sources};
use crate::transport::{OpenOptions, Port};
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
pub async fn run_file(
    file: &Path,
    no_reset: bool,
    port: &Port,
    open: &OpenOptions,
) -> Result<ExitCode, Failure> {
    let source = read_source(file)?;
    let filename = file.display().to_string();
    let dir = crate::modules::dir_of(file);
    run_source(&source, &filename, &dir, !no_reset, port, open).await
}

/// Runs `source` (named `filename`; its imports found in `dir`) on the
/// device at `port` as `p14p run` does: after a reset when `reset`, else
/// in the device's current `__main__`, so the names an earlier run without
/// reset (or a stored main) defined are visible. The exit status is the
/// program's: 1 for a compile error or an uncaught exception, `sys.exit`'s.
pub async fn run_source(
    source: &str,
    filename: &str,
    dir: &Path,
    reset: bool,
    port: &Port,
    open: &OpenOptions,
) -> Result<ExitCode, Failure> {
    let session = Session::open(port, open).await?;
    if reset {
        session.reset().await?;
    }
    let target = target_for(session.info(), false);
    let program = match crate::modules::compile_program(source, filename, dir, &target) {
        Ok(p) => p,
        Err(failed) => {
            print_failures(&failed);
            return Ok(ExitCode::FAILURE);
        }
    };
    let missing = missing_modules(&session, &program).await?;
    if !missing.is_empty() {
        print_failures(&missing);
        return Ok(ExitCode::FAILURE);
    }
    let mut sources = Sources::new();
    let hash = load_program(&session, &program, &mut sources).await?;
    match run_interruptible(&session, hash).await? {
        Outcome::Done => Ok(ExitCode::SUCCESS),
        Outcome::Raised(exc) if exc.exit_status().is_some() => {
            let status = exc.exit_status().unwrap_or(1);
            if status == 1 && exc.detail.parse::<i64>().is_err() {
                // `sys.exit("message")`: CPython prints the message.
                eprintln!("{}", exc.detail);
            }
            Ok(ExitCode::from(status))
        }
        Outcome::Raised(exc) => {
            eprint!("{}", trace::render(&exc, &sources));
            Ok(ExitCode::FAILURE)
        }
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
