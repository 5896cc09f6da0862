//! `p14p repl`: interactive Python on the device.
//!
//! Each input is compiled on the host as its own image (with
//! `Target::repl`, so expression statements echo their repr on the device)
//! and runs in the device's persistent `__main__`, so earlier names stay
//! visible. On a terminal, input comes from rustyline with history; piped
//! input (tests, scripts) is grouped the same way but without prompts or
//! banner, so stdout holds exactly the program's output.
//!
//! `import name` finds `name.py` in the current folder (see
//! [`crate::modules`]); such modules are sent when first imported and
//! again when their file changed.
//!
//! Ctrl-E starts paste mode ([`paste`]): the text pasted after it runs as
//! written, as one program. At a terminal, Tab completes ([`complete`]) and
//! continuation lines are auto-indented ([`input::indent_for`]). `help()`
//! is answered by the host ([`help`]); `dir()` is compiled as
//! `sorted(locals())`, the session's globals at top level.

pub mod complete;
pub mod help;
pub mod input;
pub mod keys;
pub mod names;
pub mod paste;

use crate::cli::connection::Connection;
use crate::cli::exec::{run_interruptible, stop_run};
use crate::cli::run::print_failures;
use crate::cli::Failure;
use crate::compile::Target;
use crate::program::{missing_modules, store_library, target_for};
use crate::session::{self, Outcome, Session};
use crate::trace::{self, Sources};
use complete::Helper;
use input::Grouper;
use keys::Keys;
use names::Names;
use paste::Paste;
use rustyline::error::ReadlineError;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The file name REPL inputs carry in tracebacks and diagnostics.
const FILENAME: &str = "<stdin>";

/// A REPL over one session.
#[derive(Debug)]
pub struct Repl {
    session: Arc<Session>,
    sources: Sources,
    target: Target,
    /// Modules sent from files in the current folder: name → image hash.
    modules: std::collections::HashMap<String, u32>,
    /// Carried library modules made importable this session.
    library: std::collections::HashSet<&'static str>,
    /// The names the inputs so far defined (for completion).
    names: Arc<Mutex<Names>>,
}

impl Repl {
    /// Resets the device (a fresh `__main__`) and prepares to evaluate.
    pub async fn new(session: impl Into<Arc<Session>>) -> session::Result<Repl> {
        let session = session.into();
        session.reset().await?;
        Ok(Repl::attached(session))
    }

    /// Prepares to evaluate in the device's current `__main__`, without a
    /// reset: the globals of a stored main that was interrupted stay
    /// visible (`p14p attach`, as MicroPython's REPL after Ctrl-C).
    pub fn attached(session: impl Into<Arc<Session>>) -> Repl {
        let session = session.into();
        let target = target_for(session.info(), true);
        Repl {
            session,
            sources: Sources::new(),
            target,
            modules: std::collections::HashMap::new(),
            library: std::collections::HashSet::new(),
            names: Arc::default(),
        }
    }

    /// Takes in the debug info of images sent before this REPL started
    /// (by earlier commands of a `+` chain), for its tracebacks.
    pub fn learn_sources(&mut self, sources: Sources) {
        self.sources.extend(sources);
    }

    /// The completion of this REPL's inputs, for a front end to call
    /// (rustyline here, `p14p ui`'s pane): the names the inputs defined
    /// (kept up to date as they run), the device's modules, and a probe
    /// for live attributes that runs on the device. Call it while no input
    /// runs, inside `tokio::task::block_in_place` (the probe blocks on the
    /// runtime).
    pub fn completer(&self) -> Helper {
        let modules = complete::Modules::new(&self.target.natives);
        let session = self.session.clone();
        let target = self.probe_target();
        let runtime = tokio::runtime::Handle::current();
        let probe: complete::Probe =
            Box::new(move |expr| runtime.block_on(attributes(&session, &target, expr)));
        Helper::new(self.names.clone(), modules, Some(probe))
    }

    /// The session.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// The session, shared: for requests made while an input runs
    /// (`p14p ui` interrupts it and samples the heap meanwhile).
    pub fn shared_session(&self) -> Arc<Session> {
        Arc::clone(&self.session)
    }

    /// Compiles and runs one complete input, echoing the values of its
    /// expression statements. Compile errors and Python exceptions are
    /// printed on stderr and return `Ok(false)`; only a failing link is an
    /// `Err`.
    pub async fn eval(&mut self, input: &str) -> session::Result<bool> {
        let names = self.names.lock().map(|n| n.clone()).unwrap_or_default();
        if let Some(request) = help::request(input, &names) {
            return self.help(request, &names).await;
        }
        let target = self.target.clone();
        self.eval_with(input, &target).await
    }

    /// Answers a `help` input ([`help`]): on the host, except for a live
    /// object, which the device describes.
    async fn help(&mut self, request: help::Request<'_>, names: &Names) -> session::Result<bool> {
        let about = match request {
            help::Request::Intro => {
                println!("{}", help::TEXT);
                return Ok(true);
            }
            help::Request::Hint => {
                println!("{}", help::HINT);
                return Ok(true);
            }
            help::Request::About(about) => about,
        };
        if let Some(def) = names.defs.get(about) {
            print!("{}", help::about_def(def));
            return Ok(true);
        }
        if let Some(module) = help::module_named(about, names) {
            if let Some(text) = help::about_module(module, &self.session.info().natives) {
                print!("{text}");
                return Ok(true);
            }
        }
        self.describe(about).await
    }

    /// `help(X)` for a live object: a probe prints X's type, repr and
    /// attributes (captured); an exception evaluating X is reported as
    /// the input's would be, by its last line.
    async fn describe(&mut self, about: &str) -> session::Result<bool> {
        let source = format!(
            "(lambda o: (print(type(o).__name__), print(repr(o)), print({})))({about})\n",
            attribute_list("o")
        );
        let Some((outcome, out)) = capture(&self.session, &self.probe_target(), &source).await?
        else {
            eprintln!("help: the device could not describe {about}");
            return Ok(false);
        };
        if let Outcome::Raised(exc) = outcome {
            let text = trace::render(&exc, &self.sources);
            eprintln!("{}", text.trim_end().rsplit('\n').next().unwrap_or(""));
            return Ok(false);
        }
        let out = String::from_utf8_lossy(&out);
        let lines: Vec<&str> = out.trim_end_matches('\n').split('\n').collect();
        let [type_name, repr @ .., attrs] = lines.as_slice() else {
            return Ok(false);
        };
        let attrs = sorted_words(attrs);
        print!(
            "{}",
            help::about_object(about, type_name, &repr.join("\n"), &attrs)
        );
        Ok(true)
    }

    /// Compiles and runs a pasted program ([`paste`]): as [`Repl::eval`],
    /// but as a file runs, without echoing expression values.
    pub async fn eval_paste(&mut self, text: &str) -> session::Result<bool> {
        let target = Target {
            repl: false,
            ..self.target.clone()
        };
        self.eval_with(text, &target).await
    }

    /// The attributes of the object dotted name `expr` holds, asked of the
    /// device ([`attributes`]): what Tab offers after `expr.`.
    pub async fn attributes(&self, expr: &str) -> Option<Vec<String>> {
        attributes(&self.session, &self.probe_target(), expr).await
    }

    /// The target of probes: as the inputs', without echo.
    fn probe_target(&self) -> Target {
        Target {
            repl: false,
            ..self.target.clone()
        }
    }

    async fn eval_with(&mut self, input: &str, target: &Target) -> session::Result<bool> {
        let dir = std::path::Path::new("");
        let program = match crate::modules::compile_program(input, FILENAME, dir, target) {
            Ok(p) => p,
            Err(failed) => {
                print_failures(&failed);
                return Ok(false);
            }
        };
        if let Ok(mut names) = self.names.lock() {
            names.learn(input);
        }
        let missing = missing_modules(&self.session, &program).await?;
        if !missing.is_empty() {
            print_failures(&missing);
            return Ok(false);
        }
        // Carried library modules: checked against the store once per
        // session (a module loaded into RAM instead must not be loaded
        // again: that would drop its state).
        let library: Vec<&str> = program
            .library
            .iter()
            .copied()
            .filter(|m| !self.library.contains(m))
            .collect();
        store_library(&self.session, &library).await?;
        self.library.extend(library);
        // A module is sent again only when its file changed: loading an
        // image drops the device's cached module, so the next import runs
        // the new code (and an unchanged one keeps its state).
        for m in &program.modules {
            if self.modules.get(&m.name) != Some(&m.compiled.hash) {
                let hash = self.session.load(&m.compiled.image, Some(&m.name)).await?;
                self.sources.insert(hash, m.compiled.debug.clone());
                self.modules.insert(m.name.clone(), hash);
            }
        }
        let hash = self.session.load(&program.main.image, None).await?;
        self.sources.insert(hash, program.main.debug);
        let outcome = match run_interruptible(&self.session, hash).await {
            // `machine.reset()` (or a fault): the device starts afresh and
            // the REPL goes on with it, as MicroPython's after a reset.
            Err(crate::session::Error::Restarted { fault }) => {
                match fault {
                    None => eprintln!("p14p: the device reset"),
                    Some(_) => eprintln!("p14p: {}", crate::session::Error::Restarted { fault }),
                }
                self.modules.clear();
                self.library.clear();
                return Ok(true);
            }
            r => r?,
        };
        match outcome {
            Outcome::Done => Ok(true),
            // `sys.exit()` ends the input quietly (MicroPython's).
            Outcome::Raised(exc) if exc.exit_status().is_some() => Ok(true),
            Outcome::Raised(exc) => {
                eprint!("{}", trace::render(&exc, &self.sources));
                Ok(false)
            }
        }
    }
}

/// Python for the names of `o`'s attributes, space-separated: its
/// `dir()` and those of the [`complete::METHODS`] it has (the device's
/// `dir()` leaves a builtin type's methods out).
fn attribute_list(o: &str) -> String {
    let methods: String = complete::METHODS
        .iter()
        .map(|m| format!("'{m}',"))
        .collect();
    format!("' '.join(dir({o}) + [n for n in ({methods}) if hasattr({o}, n)])")
}

/// The words of `line`, sorted, without duplicates.
fn sorted_words(line: &str) -> Vec<String> {
    let mut words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    words.sort();
    words.dedup();
    words
}

/// Compiles `source` (a probe: it must define no global), runs it in the
/// device's `__main__` and returns its outcome and output, captured, not
/// shown. `None` when it does not compile or load. A probe still running
/// after [`PROBE_TIME`] (a property looping) is interrupted.
async fn capture(
    session: &Session,
    target: &Target,
    source: &str,
) -> session::Result<Option<(Outcome, Vec<u8>)>> {
    let Ok(compiled) = crate::compile::compile(source, "<probe>", target) else {
        return Ok(None);
    };
    let Ok(hash) = session.load(&compiled.image, None).await else {
        return Ok(None);
    };
    let mut out = Vec::new();
    let outcome = {
        let mut run = Box::pin(session.run(hash, |b| out.extend_from_slice(b)));
        match tokio::time::timeout(PROBE_TIME, &mut run).await {
            Ok(outcome) => outcome,
            Err(_) => stop_run(session, &mut run).await,
        }
    }?;
    Ok(Some((outcome, out)))
}

/// How long a probe may run before it is stopped.
const PROBE_TIME: Duration = Duration::from_secs(2);

/// The attributes of the object dotted name `expr` holds, asked of the
/// device by a probe (`capture`) printing `attribute_list`. It defines
/// no global. `None` when the name does not evaluate (`NameError`) or the
/// probe fails.
pub async fn attributes(session: &Session, target: &Target, expr: &str) -> Option<Vec<String>> {
    let source = format!("print((lambda o: {})({expr}))\n", attribute_list("o"));
    match capture(session, target, &source).await {
        Ok(Some((Outcome::Done, out))) => Some(sorted_words(&String::from_utf8_lossy(&out))),
        _ => None,
    }
}

/// `p14p repl [PORT]`: on a fresh `__main__` (the device is reset), or,
/// after earlier commands of a `+` chain on the same connection, in the
/// `__main__` they left (`p14p run app.py + repl` looks at app's globals,
/// as `python -i` does).
pub async fn main(conn: &Connection) -> Result<ExitCode, Failure> {
    let fresh = !conn.is_open();
    let device = conn.device().await?;
    let mut repl = if fresh {
        Repl::new(device.shared_session()).await?
    } else {
        let mut repl = Repl::attached(device.shared_session());
        repl.learn_sources(device.sources());
        repl
    };
    drive(&mut repl).await?;
    Ok(ExitCode::SUCCESS)
}

/// Reads inputs for `repl` until the end of input: at a terminal with
/// prompts and line editing, else line by line from piped stdin.
pub async fn drive(repl: &mut Repl) -> Result<(), Failure> {
    if std::io::stdin().is_terminal() {
        interactive(repl).await
    } else {
        piped(repl).await
    }
}

/// Reads piped stdin line by line, without prompts. A line holding only
/// `\x05` starts paste mode, one holding only `\x04` runs the paste and
/// one holding only `\x03` drops it ([`paste`]).
async fn piped(repl: &mut Repl) -> Result<(), Failure> {
    let mut grouper = Grouper::new();
    let mut pasting: Option<Paste> = None;
    // stdin is locked per line, not for the whole loop: a program's
    // `input()` reads the next lines itself (as CPython's piped REPL).
    let next = || {
        let mut line = String::new();
        match std::io::stdin().read_line(&mut line) {
            Ok(0) => None,
            Ok(_) => {
                let end = line.trim_end_matches(['\n', '\r']).len();
                line.truncate(end);
                Some(Ok(line))
            }
            Err(e) => Some(Err(e)),
        }
    };
    loop {
        let line = tokio::task::block_in_place(next);
        let Some(line) = line else {
            // The end of input finishes what was begun, paste or block.
            if let Some(text) = pasting.and_then(Paste::finish) {
                repl.eval_paste(&text).await?;
            } else if let Some(input) = grouper.finish() {
                repl.eval(&input).await?;
            }
            return Ok(());
        };
        let line = line?;
        let inputs = match (pasting.as_mut(), line.trim_end_matches('\r')) {
            (Some(_), paste::FINISH) => {
                if let Some(text) = pasting.take().and_then(Paste::finish) {
                    repl.eval_paste(&text).await?;
                }
                continue;
            }
            (Some(_), paste::CANCEL) => {
                pasting = None;
                continue;
            }
            (Some(p), _) => {
                p.push(&line);
                continue;
            }
            (None, paste::ENTER) => {
                pasting = Some(Paste::new());
                // What was typed before Ctrl-E is complete as it stands.
                grouper.finish().into_iter().collect()
            }
            (None, _) => grouper.push(&line),
        };
        for input in inputs {
            repl.eval(&input).await?;
        }
    }
}

fn banner(repl: &Repl) -> String {
    let info = repl.session.info();
    format!(
        "p14p {} on {} (firmware {}), heap {} KiB, port {}\n\
         Ctrl-C interrupts, Ctrl-D exits.",
        env!("CARGO_PKG_VERSION"),
        info.board,
        info.firmware,
        info.heap_bytes / 1024,
        repl.session.port(),
    )
}

/// Where the history lives: `$XDG_STATE_HOME/p14p/history`, else
/// `~/.p14p_history`.
fn history_path() -> Option<PathBuf> {
    if let Some(state) = std::env::var_os("XDG_STATE_HOME").filter(|s| !s.is_empty()) {
        return Some(PathBuf::from(state).join("p14p").join("history"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".p14p_history"))
}

/// The terminal REPL: prompts, history, Ctrl-C/Ctrl-D, paste mode.
async fn interactive(repl: &mut Repl) -> Result<(), Failure> {
    println!("{}", banner(repl));
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .indent_size(keys::INDENT)
        .build();
    let mut editor: rustyline::Editor<Helper, rustyline::history::DefaultHistory> =
        rustyline::Editor::with_config(config)?;
    editor.set_helper(Some(repl.completer()));
    let keys = Keys::bind(&mut editor);
    let history = history_path();
    if let Some(h) = &history {
        // A missing history file is the normal first run.
        let _ = editor.load_history(h);
    }
    let mut grouper = Grouper::new();
    loop {
        keys.primary
            .store(!grouper.pending(), std::sync::atomic::Ordering::Relaxed);
        let line = if grouper.pending() {
            // Auto-indent: the continuation line starts indented as the
            // block needs (Backspace takes one level back, see `keys`).
            let indent = grouper.indent();
            tokio::task::block_in_place(|| editor.readline_with_initial("... ", (&indent, "")))
        } else {
            tokio::task::block_in_place(|| editor.readline(">>> "))
        };
        if Keys::take(&keys.paste) {
            if let Some(text) = paste_mode(&mut editor, &keys)? {
                repl.eval_paste(&text).await?;
            }
            continue;
        }
        let inputs = match line {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                // A bracketed paste arrives as one string with newlines:
                // grouped line by line, as if typed, except that its blank
                // lines do not end a block that goes on after them.
                if line.contains('\n') {
                    grouper.push_paste(&line)
                } else {
                    grouper.push(&line)
                }
            }
            Err(ReadlineError::Interrupted) => {
                println!("KeyboardInterrupt");
                grouper.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        };
        for input in inputs {
            repl.eval(&input).await?;
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(h);
    }
    Ok(())
}

/// Paste mode at a terminal: lines (or bracketed pastes) as written until
/// Ctrl-D, which returns the text; Ctrl-C returns `None`.
fn paste_mode<H: rustyline::Helper, I: rustyline::history::History>(
    editor: &mut rustyline::Editor<H, I>,
    keys: &Keys,
) -> Result<Option<String>, Failure> {
    use std::sync::atomic::Ordering;
    println!("{}", paste::BANNER);
    keys.pasting.store(true, Ordering::Relaxed);
    let mut text = Paste::new();
    let result = loop {
        match tokio::task::block_in_place(|| editor.readline(paste::PROMPT)) {
            Ok(line) => {
                text.push(&line);
                if Keys::take(&keys.finish) {
                    break Ok(text.finish());
                }
            }
            Err(ReadlineError::Eof) => break Ok(text.finish()),
            Err(ReadlineError::Interrupted) => break Ok(None),
            Err(e) => break Err(e.into()),
        }
    };
    keys.pasting.store(false, Ordering::Relaxed);
    result
}
