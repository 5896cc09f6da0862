//! Tab completion at the terminal: a rustyline [`Helper`].
//!
//! What Tab offers, by where the cursor is:
//!
//! * in a line's leading blanks: one indentation level (four spaces);
//! * after `import ` or `from `: the modules a program can import (the
//!   device's native modules, the carried library's, `NAME.py` files in
//!   the current folder);
//! * after `from M import `: `M`'s members;
//! * after `name.`: when `name` is an imported native or library module,
//!   its members as the host knows them (the manifest's functions, the
//!   library half's names); otherwise, for a dotted name (`obj.attr.`), the
//!   live object's attributes, asked of the device by a small probe
//!   ([`super::Repl::attributes`]) whose output is captured, not shown;
//! * elsewhere: Python's keywords, the builtins and the names the session
//!   defined ([`super::names`]).
//!
//! Names starting with `_` are offered only once `_` is typed.

use super::keys::INDENT;
use super::names::Names;
use rustyline::completion::Completer;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::Context;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Python's keywords.
const KEYWORDS: [&str; 35] = [
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// The builtins every p14p device has (checked against the simulator:
/// CPython's builtins that are not in this list raise `NameError`).
pub const BUILTINS: [&str; 98] = [
    "abs",
    "all",
    "any",
    "bin",
    "bool",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
    "Ellipsis",
    "NotImplemented",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "Exception",
    "FileNotFoundError",
    "GeneratorExit",
    "ImportError",
    "IndexError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "NameError",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "RecursionError",
    "RuntimeError",
    "StopIteration",
    "SystemExit",
    "TypeError",
    "UnicodeDecodeError",
    "UnicodeError",
    "ValueError",
    "ZeroDivisionError",
    "__name__",
    "__build_class__",
    "input",
    "eval",
    "exec",
    "locals",
    "EOFError",
    "SyntaxError",
    "StopAsyncIteration",
    // Classes of carried modules (`library::BUILTIN_CLASSES`).
    "complex",
    "memoryview",
];

/// Method names of CPython's builtin types (and of files and exceptions):
/// the attribute probe asks the device which of them an object has, since
/// the device's `dir()` does not list a builtin type's methods.
pub const METHODS: [&str; 77] = [
    "append",
    "args",
    "bit_length",
    "capitalize",
    "center",
    "clear",
    "close",
    "copy",
    "count",
    "decode",
    "difference",
    "difference_update",
    "discard",
    "encode",
    "endswith",
    "extend",
    "find",
    "flush",
    "format",
    "from_bytes",
    "fromkeys",
    "get",
    "hex",
    "index",
    "insert",
    "intersection",
    "intersection_update",
    "is_integer",
    "isalnum",
    "isalpha",
    "isdigit",
    "isdisjoint",
    "islower",
    "isspace",
    "issubset",
    "issuperset",
    "isupper",
    "items",
    "join",
    "keys",
    "ljust",
    "lower",
    "lstrip",
    "name",
    "partition",
    "pop",
    "popitem",
    "read",
    "readinto",
    "readline",
    "readlines",
    "remove",
    "replace",
    "reverse",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "seek",
    "send",
    "setdefault",
    "sort",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "symmetric_difference",
    "tell",
    "throw",
    "title",
    "to_bytes",
    "union",
    "update",
    "upper",
];

/// Asks the device for the attributes of the object a dotted name holds
/// (`None`: it could not say).
pub type Probe = Box<dyn Fn(&str) -> Option<Vec<String>> + Send + Sync>;

/// What completion knows besides the session's names: fixed for a session.
#[derive(Debug, Default, Clone)]
pub struct Modules {
    /// Importable module names (native and library).
    pub names: Vec<String>,
    /// Each module's members.
    pub members: BTreeMap<String, Vec<String>>,
}

impl Modules {
    /// The device's native modules (name, functions and library-half
    /// names, as [`crate::compile::Target::natives`] lists them) and the
    /// carried library's whole modules.
    pub fn new(natives: &[(String, Vec<String>)]) -> Modules {
        let mut m = Modules::default();
        for (name, members) in natives {
            m.names.push(name.clone());
            m.members.insert(name.clone(), members.clone());
        }
        for &(name, _, _) in &crate::library::CARRIED {
            if !name.starts_with('_') && !m.members.contains_key(name) {
                m.names.push(name.to_string());
                m.members
                    .insert(name.to_string(), crate::library::module_names(name));
            }
        }
        m.names.sort();
        m
    }
}

/// The REPL's rustyline helper: completion only.
pub struct Helper {
    /// The session's names, updated by the REPL after each input.
    pub names: Arc<Mutex<Names>>,
    modules: Modules,
    probe: Option<Probe>,
}

impl Helper {
    /// A helper offering `modules` and the `names` the REPL keeps up to
    /// date; `probe` asks the device for live attributes.
    pub fn new(names: Arc<Mutex<Names>>, modules: Modules, probe: Option<Probe>) -> Helper {
        Helper {
            names,
            modules,
            probe,
        }
    }

    /// The completions of `line` at byte `pos`: where the replaced word
    /// starts and the candidates, sorted.
    pub fn candidates(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let before = &line[..pos];
        if before.trim().is_empty() {
            return (pos, vec![" ".repeat(INDENT - before.len() % INDENT)]);
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &before[start..];
        let head = before[..start].trim_start();
        if is_import_context(head) {
            let local = local_modules();
            let all = self.modules.names.iter().chain(&local);
            return (start, matching(all.map(String::as_str), word));
        }
        if let Some(module) = from_import_module(head) {
            let members = self.members_of(module);
            return (start, matching(members.iter().map(String::as_str), word));
        }
        if let Some((base, prefix)) = word.rsplit_once('.') {
            let start = start + base.len() + 1;
            let module = self
                .names
                .lock()
                .ok()
                .and_then(|n| n.modules.get(base).cloned());
            let attrs = match module {
                Some(m) => self.members_of(&m),
                None if is_dotted_name(base) => self
                    .probe
                    .as_ref()
                    .and_then(|probe| probe(base))
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            return (start, matching(attrs.iter().map(String::as_str), prefix));
        }
        let globals: Vec<String> = self
            .names
            .lock()
            .map(|n| n.globals.iter().cloned().collect())
            .unwrap_or_default();
        let all = KEYWORDS
            .iter()
            .chain(BUILTINS.iter())
            .copied()
            .chain(globals.iter().map(String::as_str));
        (start, matching(all, word))
    }

    /// The members of module `name`, as far as the host knows them.
    fn members_of(&self, name: &str) -> Vec<String> {
        self.modules.members.get(name).cloned().unwrap_or_default()
    }
}

/// What Tab did to a line in a front end that draws its own prompt
/// (`p14p ui`), as rustyline's list completion does at the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completed {
    /// The line after Tab.
    pub line: String,
    /// The candidates to show (several, and none longer in common than
    /// what is typed); empty otherwise.
    pub shown: Vec<String>,
}

impl Helper {
    /// Tab at the end of `line`: the one candidate put in, or the
    /// candidates' longest common beginning, or (when that adds nothing)
    /// the candidates to show.
    pub fn complete_line(&self, line: &str) -> Completed {
        let (start, candidates) = self.candidates(line, line.len());
        let typed = &line[start..];
        let common = candidates.iter().skip(1).fold(
            candidates.first().map_or("", String::as_str),
            |common, c| {
                let n = common
                    .char_indices()
                    .zip(c.chars())
                    .find(|((_, a), b)| a != b)
                    .map_or(common.len().min(c.len()), |((i, _), _)| i);
                &common[..n]
            },
        );
        if candidates.len() == 1 || common.len() > typed.len() {
            return Completed {
                line: format!("{}{common}", &line[..start]),
                shown: Vec::new(),
            };
        }
        Completed {
            line: line.to_string(),
            shown: if candidates.len() > 1 {
                candidates
            } else {
                Vec::new()
            },
        }
    }
}

/// Whether `head` (the line before the word) is `import `, `from ` or an
/// import list's `import a, `: a module name comes next.
fn is_import_context(head: &str) -> bool {
    let words: Vec<&str> = head.split_whitespace().collect();
    match words.as_slice() {
        ["import", ..] => head.ends_with(char::is_whitespace) || head.ends_with(','),
        ["from"] => head.ends_with(char::is_whitespace),
        _ => false,
    }
}

/// `M` when `head` is `from M import ` (or `from M import a, `).
fn from_import_module(head: &str) -> Option<&str> {
    let rest = head.strip_prefix("from")?.trim_start();
    let (module, tail) = rest.split_once(char::is_whitespace)?;
    let tail = tail.trim_start().strip_prefix("import")?;
    let ok = tail.starts_with(char::is_whitespace)
        && (tail.trim().is_empty() || tail.trim_end().ends_with(','));
    ok.then_some(module)
}

/// `a` or `a.b.c`: names only, so evaluating it on the device calls
/// nothing (beyond a property's getter).
fn is_dotted_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            part.starts_with(|c: char| c.is_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_alphanumeric() || c == '_')
        })
}

/// The `NAME.py` files of the current folder, as module names.
fn local_modules() -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(".") else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let name = e.ok()?.file_name().into_string().ok()?;
        let stem = name.strip_suffix(".py")?;
        is_dotted_name(stem).then(|| stem.to_string())
    })
    .collect()
}

/// The names of `all` starting with `prefix`, sorted, without duplicates;
/// private ones (`_x`) only when `prefix` starts with `_`.
fn matching<'a>(all: impl Iterator<Item = &'a str>, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = all
        .filter(|n| n.starts_with(prefix) && (prefix.starts_with('_') || !n.starts_with('_')))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

impl Completer for Helper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.candidates(line, pos))
    }
}

impl Hinter for Helper {
    type Hint = String;
}

impl Highlighter for Helper {}

impl Validator for Helper {}

impl rustyline::Helper for Helper {}

#[cfg(test)]
mod tests {
    use super::*;

    fn helper() -> Helper {
        let natives = vec![(
            "time".to_string(),
            vec![
                "sleep".to_string(),
                "sleep_ms".to_string(),
                "ticks_ms".to_string(),
            ],
        )];
        let names = Arc::new(Mutex::new(Names::default()));
        names
            .lock()
            .unwrap()
            .learn("import time as t\ncounter = 0\ndef compute(): pass\n");
        let probe: Probe = Box::new(|expr| {
            (expr == "counter").then(|| vec!["bit_length".to_string(), "to_bytes".to_string()])
        });
        Helper::new(names, Modules::new(&natives), Some(probe))
    }

    fn complete(line: &str) -> Vec<String> {
        helper().candidates(line, line.len()).1
    }

    #[test]
    fn keywords_builtins_and_session_names() {
        assert_eq!(
            complete("co"),
            ["complex", "compute", "continue", "counter"]
        );
        assert_eq!(complete("x = pri"), ["print"]);
        assert_eq!(complete("isinst"), ["isinstance"]);
        let (start, _) = helper().candidates("x = pri", 7);
        assert_eq!(start, 4);
    }

    #[test]
    fn modules_after_import_and_members_after_a_dot() {
        assert_eq!(complete("import ti"), ["time"]);
        assert_eq!(complete("import js"), ["json"]);
        assert_eq!(complete("from st"), ["struct"]);
        assert_eq!(complete("t.sl"), ["sleep", "sleep_ms"]);
        assert_eq!(complete("from time import ti"), ["ticks_ms"]);
        assert!(complete("from json import ").contains(&"dumps".to_string()));
        let (start, _) = helper().candidates("x = t.sl", 8);
        assert_eq!(start, 6);
    }

    #[test]
    fn live_attributes_come_from_the_probe() {
        assert_eq!(complete("counter.b"), ["bit_length"]);
        // Not a dotted name: nothing is evaluated.
        assert!(complete("f().b").is_empty());
        assert!(complete("missing.x").is_empty());
    }

    #[test]
    fn a_line_completes_to_the_one_candidate_or_the_common_beginning() {
        let h = helper();
        let done = |line: &str| h.complete_line(line);
        assert_eq!(done("isinst").line, "isinstance");
        assert_eq!(done("x = t.sl").line, "x = t.sleep");
        assert!(done("x = t.sl").shown.is_empty());
        // Nothing more in common: the line stays, the candidates show.
        let both = done("x = t.sleep");
        assert_eq!(both.line, "x = t.sleep");
        assert_eq!(both.shown, ["sleep", "sleep_ms"]);
        assert_eq!(done("counter.b").line, "counter.bit_length");
        assert_eq!(done("    ").line, "        ");
        let none = done("zzz");
        assert_eq!((none.line.as_str(), none.shown.len()), ("zzz", 0));
    }

    #[test]
    fn tab_in_leading_blanks_indents() {
        assert_eq!(complete(""), ["    "]);
        assert_eq!(complete("  "), ["  "]);
    }
}
