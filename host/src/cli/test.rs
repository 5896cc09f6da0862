//! `p14p test PATHS… [--port P]… [--junit FILE] [--timeout S]`: the
//! hardware-in-the-loop test runner.
//!
//! ```text
//!  paths ─► tests (sorted *.py) ─► queue ─┬─► worker(port 1): reset, compile, load, run ─┐
//!                                         └─► worker(port 2): …                         ├─► results ─► report, JUnit
//! ```
//!
//! One worker per device, one test at a time per device; each test starts
//! from a `Reset` (fresh globals, images and heap). A test passes when it
//! ends without an uncaught exception and, where `NAME.exp` sits beside
//! `NAME.py`, its output equals that file. A test still running after
//! `--timeout` seconds is interrupted (`KeyboardInterrupt` on the device)
//! and reported as a timeout with the output so far.

use super::connection::Connection;
use super::exec::stop_run;
use super::Failure;
use crate::program::{load_program, missing_modules, target_for};
use crate::session::{Outcome, Session};
use crate::trace::{self, Sources};
use crate::transport::{OpenOptions, Port};
use std::collections::VecDeque;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Arguments of `p14p test`.
#[derive(Debug, Clone, clap::Args)]
pub struct TestArgs {
    /// Test files (*.py) or directories holding them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Seconds a test may run before it is interrupted and failed.
    #[arg(long, default_value_t = 10.0, value_name = "S")]
    pub timeout: f64,
}

/// One test program.
#[derive(Debug, Clone)]
pub struct TestCase {
    /// The .py file.
    pub path: PathBuf,
    /// Its expected output, if a .exp file exists.
    pub expected: Option<String>,
}

/// How a test ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Ended normally with the expected output.
    Pass,
    /// The reason, shown under the test's name (traceback, diff, ...).
    Fail {
        /// One line: what kind of failure.
        summary: String,
        /// Details: diagnostics, traceback with source lines, output diff.
        details: String,
    },
}

/// A finished test.
#[derive(Debug, Clone)]
pub struct TestResult {
    /// The test.
    pub case: TestCase,
    /// The device it ran on.
    pub port: String,
    /// Wall time.
    pub time: Duration,
    /// What it printed.
    pub output: String,
    /// Pass or fail.
    pub verdict: Verdict,
}

/// Finds the tests: files as given, directories searched (recursively) for
/// `*.py`, sorted by path.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<TestCase>, Failure> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let p = entry?.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e == "py") {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            found.sort();
            files.extend(found);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            return Err(format!("{}: no such file or directory", p.display()).into());
        }
    }
    files
        .into_iter()
        .map(|path| {
            let exp = path.with_extension("exp");
            let expected = match std::fs::read_to_string(&exp) {
                Ok(s) => Some(s),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("cannot read {}: {e}", exp.display()).into()),
            };
            Ok(TestCase { path, expected })
        })
        .collect()
}

/// Where a test worker's device comes from.
enum Worker {
    /// The connection of the command (of a `+` chain): already open, or
    /// opened before the workers start.
    Shared(Arc<Session>),
    /// Another `--port`: the worker opens it.
    Own(String, OpenOptions),
}

/// `p14p test`: the tests spread over `ports`; the one `conn` serves runs
/// on `conn` (the chain's connection), the others are opened here.
pub async fn main(
    args: &TestArgs,
    ports: &[String],
    conn: &Connection,
) -> Result<ExitCode, Failure> {
    let tests = collect(&args.paths)?;
    if tests.is_empty() {
        return Err("no tests found (looked for *.py)".into());
    }
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .map_err(|_| format!("--timeout {}: not a duration", args.timeout))?;
    let queue = Arc::new(Mutex::new(tests.into_iter().collect::<VecDeque<_>>()));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<TestResult>();
    let mut workers = Vec::new();
    let mut shared = false;
    for name in ports {
        let (queue, tx) = (Arc::clone(&queue), tx.clone());
        let port = Port::parse(&crate::config::port_alias(name));
        let device = if !shared && port == *conn.port() {
            shared = true;
            match conn.device().await {
                Ok(d) => Worker::Shared(d.shared_session()),
                Err(e) => {
                    // As a worker that cannot reach its device: its tests
                    // go to the others.
                    eprintln!("p14p: {name}: {e}");
                    continue;
                }
            }
        } else {
            Worker::Own(name.clone(), conn.options().clone())
        };
        workers.push(tokio::spawn(async move {
            worker(device, &queue, timeout, &tx).await
        }));
    }
    drop(tx);
    let mut results = Vec::new();
    while let Some(r) = rx.recv().await {
        print!("{}", report_line(&r));
        results.push(r);
    }
    for w in workers {
        // A worker that could not reach its device leaves its tests to the
        // others; if every device failed, the tests are left over below.
        if let Ok(Err(e)) = w.await {
            eprintln!("p14p: {e}");
        }
    }
    let left: Vec<TestCase> = queue
        .lock()
        .map(|mut q| q.drain(..).collect())
        .unwrap_or_default();
    for case in left {
        let r = TestResult {
            case,
            port: String::new(),
            time: Duration::ZERO,
            output: String::new(),
            verdict: Verdict::Fail {
                summary: "not run: no device could take it".into(),
                details: String::new(),
            },
        };
        print!("{}", report_line(&r));
        results.push(r);
    }
    results.sort_by(|a, b| a.case.path.cmp(&b.case.path));
    let failed = results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .count();
    println!("{} passed, {} failed", results.len() - failed, failed);
    if let Some(path) = &args.junit {
        std::fs::write(path, junit(&results))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Runs tests from `queue` on one device until the queue is empty.
async fn worker(
    device: Worker,
    queue: &Mutex<VecDeque<TestCase>>,
    timeout: Duration,
    results: &tokio::sync::mpsc::UnboundedSender<TestResult>,
) -> Result<(), String> {
    let session = match device {
        Worker::Shared(session) => session,
        Worker::Own(port_name, open) => Arc::new(
            Session::open(&Port::parse(&crate::config::port_alias(&port_name)), &open)
                .await
                .map_err(|e| format!("{port_name}: {e}"))?,
        ),
    };
    loop {
        let Some(case) = queue.lock().ok().and_then(|mut q| q.pop_front()) else {
            return Ok(());
        };
        let start = Instant::now();
        let (output, verdict) = match run_one(&session, &case, timeout).await {
            Ok(r) => r,
            Err(e) => (
                String::new(),
                Verdict::Fail {
                    summary: format!("device error: {e}"),
                    details: String::new(),
                },
            ),
        };
        let _ = results.send(TestResult {
            case,
            port: session.port().to_string(),
            time: start.elapsed(),
            output,
            verdict,
        });
    }
}

/// Reset, compile, load, run with a deadline, judge.
async fn run_one(
    session: &Session,
    case: &TestCase,
    timeout: Duration,
) -> Result<(String, Verdict), Failure> {
    let source = std::fs::read_to_string(&case.path)
        .map_err(|e| format!("cannot read {}: {e}", case.path.display()))?;
    let filename = case.path.display().to_string();
    session.reset().await?;
    let target = target_for(session.info(), false);
    let dir = crate::modules::dir_of(&case.path);
    let program = crate::modules::compile_program(&source, &filename, &dir, &target);
    let failed = match &program {
        Ok(p) => missing_modules(session, p).await?,
        Err(failed) => failed.clone(),
    };
    let program = match program {
        Ok(p) if failed.is_empty() => p,
        _ => {
            let details = failed
                .iter()
                .flat_map(|f| f.diags.iter().map(|d| d.render(&f.filename, &f.source)))
                .collect();
            let summary = "does not compile".to_string();
            return Ok((String::new(), Verdict::Fail { summary, details }));
        }
    };
    let mut sources = Sources::new();
    let hash = load_program(session, &program, &mut sources).await?;
    let mut output = Vec::new();
    let outcome;
    let mut timed_out = false;
    {
        let run = session.run(hash, |b| output.extend_from_slice(b));
        tokio::pin!(run);
        outcome = match tokio::time::timeout(timeout, &mut run).await {
            Ok(o) => o?,
            Err(_) => {
                timed_out = true;
                stop_run(session, &mut run).await?
            }
        };
    }
    let output = String::from_utf8_lossy(&output).into_owned();
    let verdict = match outcome {
        _ if timed_out => Verdict::Fail {
            summary: format!(
                "timed out after {:.1}s (interrupted)",
                timeout.as_secs_f64()
            ),
            details: indent_output(&output),
        },
        // `sys.exit(0)` ends a test quietly; another code fails it.
        Outcome::Raised(exc) if exc.exit_status() == Some(0) => compare(&case.expected, &output),
        Outcome::Raised(exc) => Verdict::Fail {
            summary: format!("raised {}", trace::exception_line(&exc)),
            details: trace::render(&exc, &sources),
        },
        Outcome::Done => compare(&case.expected, &output),
    };
    Ok((output, verdict))
}

/// The verdict of a run that ended normally: its output against the
/// `.exp` file, if the case has one.
fn compare(expected: &Option<String>, output: &str) -> Verdict {
    match expected {
        Some(exp) if exp != output => Verdict::Fail {
            summary: "output differs from the .exp file".into(),
            details: diff(exp, output),
        },
        _ => Verdict::Pass,
    }
}

fn indent_output(output: &str) -> String {
    if output.is_empty() {
        return String::new();
    }
    let mut s = String::from("output so far:\n");
    for line in output.lines() {
        let _ = writeln!(s, "  {line}");
    }
    s
}

/// A line diff of expected and actual output: `-` lines only expected,
/// `+` lines only printed, ` ` common (longest common subsequence).
pub fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    // lcs[i][j]: common length of a[i..] and b[j..].
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = String::from("--- expected\n+++ output\n");
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            let _ = writeln!(out, "  {}", a[i]);
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            let _ = writeln!(out, "- {}", a[i]);
            i += 1;
        } else {
            let _ = writeln!(out, "+ {}", b[j]);
            j += 1;
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the outputs differ in the final newline)\n");
    }
    out
}

/// The lines printed for one finished test.
pub fn report_line(r: &TestResult) -> String {
    let mut s = String::new();
    let name = r.case.path.display();
    let on = if r.port.is_empty() {
        String::new()
    } else {
        format!(" [{}, {:.2}s]", r.port, r.time.as_secs_f64())
    };
    match &r.verdict {
        Verdict::Pass => {
            let _ = writeln!(s, "PASS {name}{on}");
        }
        Verdict::Fail { summary, details } => {
            let _ = writeln!(s, "FAIL {name}{on}: {summary}");
            for line in details.lines() {
                let _ = writeln!(s, "    {line}");
            }
        }
    }
    s
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 forbids most control characters even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// The results as a JUnit XML document (one `<testsuite>`; the class name
/// is the test's directory, the name its file stem).
pub fn junit(results: &[TestResult]) -> String {
    let failures = results
        .iter()
        .filter(|r| r.verdict != Verdict::Pass)
        .count();
    let total: f64 = results.iter().map(|r| r.time.as_secs_f64()).sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites tests=\"{}\" failures=\"{failures}\" time=\"{total:.3}\">",
        results.len()
    );
    let _ = writeln!(
        x,
        "  <testsuite name=\"p14p\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" time=\"{total:.3}\">",
        results.len()
    );
    for r in results {
        let class = r
            .case
            .path
            .parent()
            .map(|p| p.display().to_string().replace(['/', '\\'], "."))
            .unwrap_or_default();
        let name = r
            .case
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = write!(
            x,
            "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" time=\"{:.3}\"",
            xml_escape(&class),
            xml_escape(&name),
            xml_escape(&r.case.path.display().to_string()),
            r.time.as_secs_f64()
        );
        x.push_str(">\n");
        if let Verdict::Fail { summary, details } = &r.verdict {
            let _ = writeln!(
                x,
                "      <failure message=\"{}\">{}</failure>",
                xml_escape(summary),
                xml_escape(details)
            );
        }
        if !r.output.is_empty() {
            let _ = writeln!(
                x,
                "      <system-out>{}</system-out>",
                xml_escape(&r.output)
            );
        }
        if !r.port.is_empty() {
            let _ = writeln!(
                x,
                "      <properties><property name=\"port\" value=\"{}\"/></properties>",
                xml_escape(&r.port)
            );
        }
        x.push_str("    </testcase>\n");
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_marks_missing_and_extra_lines() {
        let d = diff("a\nb\nc\n", "a\nx\nc\n");
        assert_eq!(d, "--- expected\n+++ output\n  a\n- b\n+ x\n  c\n");
        assert!(diff("a\n", "a").contains("final newline"));
    }

    #[test]
    fn junit_escapes_and_counts() {
        let case = TestCase {
            path: PathBuf::from("tests/hil/a.py"),
            expected: None,
        };
        let results = vec![
            TestResult {
                case: case.clone(),
                port: "sim".into(),
                time: Duration::from_millis(5),
                output: "1 < 2\n".into(),
                verdict: Verdict::Pass,
            },
            TestResult {
                case,
                port: "sim".into(),
                time: Duration::from_millis(5),
                output: String::new(),
                verdict: Verdict::Fail {
                    summary: "raised ValueError: \"x\"".into(),
                    details: "Traceback".into(),
                },
            },
        ];
        let x = junit(&results);
        assert!(x.contains("tests=\"2\" failures=\"1\""), "{x}");
        assert!(x.contains("classname=\"tests.hil\" name=\"a\""), "{x}");
        assert!(x.contains("<system-out>1 &lt; 2\n</system-out>"), "{x}");
        assert!(
            x.contains("message=\"raised ValueError: &quot;x&quot;\""),
            "{x}"
        );
    }
}
