//! `help()` in the REPL, answered by the host: the device has no `help`
//! builtin (it would cost flash on every board for text the host already
//! has).
//!
//! An input that is exactly `help()`, `help(X)` or `help` (and the session
//! did not bind `help` itself) never reaches the compiler:
//!
//! * `help()` prints [`TEXT`]: what the REPL is and its keys;
//! * `help(f)` for a function or class the session defined prints its
//!   header and docstring, as compiled ([`super::names::Def`]);
//! * `help(m)` for an imported module (or `help('time')`) lists its
//!   members: a native module's functions with their argument counts and
//!   types from the device's manifest, a library module's names;
//! * `help(X)` for anything else asks the device for X's type, repr and
//!   attributes (see `Repl::describe`).

use super::names::{Def, Names};
use crate::session::reply::NativeModuleInfo;
use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::Ranged;

/// What `help()` prints.
pub const TEXT: &str = "\
This is p14p's REPL: each input is compiled on this computer and runs on
the device, in its __main__, so the names you define stay. An expression's
value is printed. `import NAME` also finds NAME.py in the current folder.

Keys:
  Ctrl-C     interrupt the running input; at the prompt, drop the input
  Ctrl-D     exit (on an empty line)
  Ctrl-E     paste mode: paste code as written, blank lines and all;
             Ctrl-D runs it as one program, Ctrl-C cancels
  Tab        complete keywords, builtins, your names, modules after
             `import`, a module's or an object's attributes after `.`;
             in a line's leading blanks, indent
  Backspace  in leading blanks: one indentation level back
  Up, Down   history

help(X) describes X: a function or class you defined, a module, any object.
dir() lists your names, dir(X) X's attributes.";

/// What the bare name `help` prints (as CPython's).
pub const HINT: &str = "Type help() for help, or help(object) for help about object.";

/// A `help` input.
#[derive(Debug, PartialEq, Eq)]
pub enum Request<'a> {
    /// `help()`.
    Intro,
    /// `help` alone.
    Hint,
    /// `help(X)`: X's source text.
    About(&'a str),
}

/// The `help` request `input` is, if it is one: a single expression
/// statement `help`, `help()` or `help(X)`, and `help` is not a name the
/// session bound (then it is the user's own).
pub fn request<'a>(input: &'a str, names: &Names) -> Option<Request<'a>> {
    if names.globals.contains("help") {
        return None;
    }
    let parsed = ruff_python_parser::parse_module(input).ok()?;
    let [Stmt::Expr(stmt)] = parsed.syntax().body.as_slice() else {
        return None;
    };
    let is_help = |e: &Expr| matches!(e, Expr::Name(n) if n.id.as_str() == "help");
    match &*stmt.value {
        e if is_help(e) => Some(Request::Hint),
        Expr::Call(c) if is_help(&c.func) && c.arguments.keywords.is_empty() => {
            match c.arguments.args.as_ref() {
                [] => Some(Request::Intro),
                [arg] if !matches!(arg, Expr::Starred(_)) => input
                    .get(arg.range().start().to_usize()..arg.range().end().to_usize())
                    .map(Request::About),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The module `about` names: an imported module's global (`t` after
/// `import time as t`) or a string literal (`'time'`).
pub fn module_named<'a>(about: &'a str, names: &'a Names) -> Option<&'a str> {
    if let Some(m) = names.modules.get(about) {
        return Some(m);
    }
    let quoted = about
        .strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| about.strip_prefix('"').and_then(|s| s.strip_suffix('"')))?;
    Some(quoted)
}

/// Help on a definition: its header and docstring.
pub fn about_def(def: &Def) -> String {
    match &def.doc {
        Some(doc) => format!("{}\n\n{}\n", def.header, indent(doc)),
        None => format!("{}\n", def.header),
    }
}

/// Help on module `name`: its native functions (from the device's
/// manifest) and its library names; `None` when the device has no such
/// module and the library none either.
pub fn about_module(name: &str, natives: &[NativeModuleInfo]) -> Option<String> {
    let native = natives.iter().find(|m| m.name == name);
    // A native module's library half (`_time`), or a whole library module.
    let library = {
        let half = crate::library::module_names(&format!("_{name}"));
        if native.is_some() || !half.is_empty() {
            half
        } else {
            crate::library::module_names(name)
        }
    };
    if native.is_none() && library.is_empty() {
        return None;
    }
    let mut out = format!("module {name}\n");
    if let Some(m) = native {
        out.push_str("\nnative functions:\n");
        for (f, min, max, types) in m.functions.iter().filter(|f| !f.0.starts_with('_')) {
            out.push_str(&format!("    {f}({})\n", arguments(*min, *max, types)));
        }
    }
    let is_native = |n: &str| native.is_some_and(|m| m.functions.iter().any(|f| f.0 == n));
    let public: Vec<&str> = library
        .iter()
        .map(String::as_str)
        .filter(|n| !n.starts_with('_') && !is_native(n))
        .collect();
    if !public.is_empty() {
        let what = if native.is_some() { "also" } else { "names" };
        out.push_str(&format!("\n{what}:\n{}\n", wrap(&public, 76, "    ")));
    }
    Some(out)
}

/// Describes argument counts and types: `2 arguments: int, bytes`.
fn arguments(min: u8, max: u8, types: &str) -> String {
    let count = match (min, max) {
        (0, 0) => return String::new(),
        (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
        (a, u8::MAX) => format!("{a} or more arguments"),
        (a, b) => format!("{a} to {b} arguments"),
    };
    let names: Vec<&str> = types
        .chars()
        .filter_map(|c| {
            Some(match c {
                'i' => "int",
                'b' => "bool",
                's' => "str",
                'y' => "bytes",
                'o' => "object",
                '|' => "|",
                _ => return None,
            })
        })
        .collect();
    if names.is_empty() {
        count
    } else {
        format!("{count}: {}", names.join(", ").replace("|, ", "optional "))
    }
}

/// Help on a live object from what the device said: its type, repr and
/// attributes.
pub fn about_object(about: &str, type_name: &str, repr: &str, attrs: &[String]) -> String {
    const LONGEST: usize = 200;
    let repr = if repr.chars().count() > LONGEST {
        let cut: String = repr.chars().take(LONGEST).collect();
        format!("{cut}...")
    } else {
        repr.to_string()
    };
    let mut out = format!("{about}: {type_name}\n    {repr}\n");
    let public: Vec<&str> = attrs
        .iter()
        .map(String::as_str)
        .filter(|n| !n.starts_with('_'))
        .collect();
    if !public.is_empty() {
        out.push_str(&format!("\nattributes:\n{}\n", wrap(&public, 76, "    ")));
    }
    out
}

/// `words` joined by spaces, in lines of at most `width`, each indented.
fn wrap(words: &[&str], width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = Vec::new();
    for w in words {
        match lines.last_mut() {
            Some(line) if line.len() + 1 + w.len() <= width => {
                line.push(' ');
                line.push_str(w);
            }
            _ => lines.push(format!("{indent}{w}")),
        }
    }
    lines.join("\n")
}

/// `text` indented by four spaces.
fn indent(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("    {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_inputs_are_recognised() {
        let names = Names::default();
        assert_eq!(request("help()", &names), Some(Request::Intro));
        assert_eq!(request("help", &names), Some(Request::Hint));
        assert_eq!(request("help(x.y)", &names), Some(Request::About("x.y")));
        assert_eq!(
            request("help('time')", &names),
            Some(Request::About("'time'"))
        );
        assert_eq!(request("print(help)", &names), None);
        assert_eq!(request("help(); x = 1", &names), None);
        assert_eq!(request("help(a, b)", &names), None);
        let mut own = Names::default();
        own.learn("def help(): pass");
        assert_eq!(request("help()", &own), None);
    }

    #[test]
    fn module_help_lists_native_functions_and_library_names() {
        let natives = vec![NativeModuleInfo {
            name: "time".into(),
            functions: vec![
                ("sleep_ms".into(), 1, 1, "i".into()),
                ("ticks_ms".into(), 0, 0, String::new()),
                ("_private".into(), 0, 0, String::new()),
            ],
        }];
        let text = about_module("time", &natives).unwrap();
        assert!(text.starts_with("module time\n"), "{text}");
        assert!(text.contains("    sleep_ms(1 argument: int)\n"), "{text}");
        assert!(text.contains("    ticks_ms()\n"), "{text}");
        assert!(text.contains("ticks_diff"), "{text}");
        assert!(!text.contains("_private"), "{text}");
        // A name both halves have is listed once.
        assert_eq!(text.matches("sleep_ms").count(), 1, "{text}");
        let json = about_module("json", &natives).unwrap();
        assert!(json.contains("dumps"), "{json}");
        assert_eq!(about_module("nothing", &natives), None);
    }

    #[test]
    fn object_and_definition_help() {
        let d = Def {
            header: "def f(x)".into(),
            doc: Some("Doubles.\n\nReally.".into()),
        };
        assert_eq!(about_def(&d), "def f(x)\n\n    Doubles.\n\n    Really.\n");
        let text = about_object("xs", "list", "[1, 2]", &["append".into(), "_p".into()]);
        assert_eq!(text, "xs: list\n    [1, 2]\n\nattributes:\n    append\n");
    }
}
