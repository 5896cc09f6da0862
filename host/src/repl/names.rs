//! What the session has defined, learnt on the host from each input that
//! compiled: the globals it binds and the modules it imports under which
//! name. Tab completion offers them ([`super::complete`]); nothing here
//! asks the device, so a name bound by code the host did not see (a stored
//! main, `globals()['x'] = 1`) is not known, and one whose input failed
//! before binding it is offered all the same.

use crate::compile::scope::ScopeTable;
use ruff_python_ast::Stmt;
use std::collections::{BTreeMap, BTreeSet};

/// The session's names.
#[derive(Debug, Default, Clone)]
pub struct Names {
    /// Globals bound by the inputs so far.
    pub globals: BTreeSet<String>,
    /// Imported modules: the global naming it → the module's name
    /// (`import time as t`: `t` → `time`).
    pub modules: BTreeMap<String, String>,
    /// Functions and classes defined at top level: name → their header
    /// (`def f(a, b=1)`, `class C(Base)`) and docstring, for `help()`.
    pub defs: BTreeMap<String, Def>,
}

/// A function or class the session defined, as `help()` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Def {
    /// The header as written, without the colon: `def f(a, b=1)`.
    pub header: String,
    /// The docstring, if it has one.
    pub doc: Option<String>,
}

impl Names {
    /// Learns what `source` (an input that compiled) binds.
    pub fn learn(&mut self, source: &str) {
        let Ok(parsed) = ruff_python_parser::parse_module(source) else {
            return;
        };
        let body = &parsed.syntax().body;
        if let Ok(table) = ScopeTable::build(body) {
            for name in table.module_bindings() {
                // Rebinding a name makes it something else.
                self.modules.remove(&name);
                self.defs.remove(&name);
                self.globals.insert(name);
            }
        }
        imports(body, &mut self.modules);
        for stmt in body {
            if let Some((name, def)) = def_of(stmt, source) {
                self.defs.insert(name, def);
            }
        }
    }
}

/// The name and [`Def`] of a top-level `def` or `class` statement.
fn def_of(stmt: &Stmt, source: &str) -> Option<(String, Def)> {
    use ruff_text_size::Ranged;
    let (name, header_end, body) = match stmt {
        Stmt::FunctionDef(f) => {
            let end = f.returns.as_ref().map_or(f.parameters.end(), |r| r.end());
            (f.name.as_str(), end, &f.body)
        }
        Stmt::ClassDef(c) => {
            let end = c.arguments.as_ref().map_or(c.name.end(), |a| a.end());
            (c.name.as_str(), end, &c.body)
        }
        _ => return None,
    };
    // From the keyword on: decorators are not part of the header.
    let keyword = if matches!(stmt, Stmt::ClassDef(_)) {
        "class "
    } else {
        "def "
    };
    let text = source.get(stmt.start().to_usize()..header_end.to_usize())?;
    let header = text.get(text.find(keyword)?..)?.to_string();
    let doc = match body.first() {
        Some(Stmt::Expr(e)) => match &*e.value {
            ruff_python_ast::Expr::StringLiteral(s) => Some(cleandoc(s.value.to_str())),
            _ => None,
        },
        _ => None,
    };
    Some((name.to_string(), Def { header, doc }))
}

/// A docstring without the indentation of its body's lines (Python's
/// `inspect.cleandoc`, simplified).
fn cleandoc(doc: &str) -> String {
    let mut lines = doc.trim().lines();
    let first = lines.next().unwrap_or("").to_string();
    let rest: Vec<&str> = lines.collect();
    let indent = rest
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    std::iter::once(first)
        .chain(
            rest.iter()
                .map(|l| l.get(indent..).unwrap_or("").to_string()),
        )
        .collect::<Vec<_>>()
        .join("\n")
}

/// Records the `import` statements of `body` (and of the blocks in it, not
/// of functions and classes) in `modules`.
fn imports(body: &[Stmt], modules: &mut BTreeMap<String, String>) {
    for stmt in body {
        match stmt {
            Stmt::Import(i) => {
                for a in &i.names {
                    let module = a.name.as_str();
                    match &a.asname {
                        Some(alias) => modules.insert(alias.to_string(), module.to_string()),
                        // `import a.b` binds `a`, the package.
                        None => {
                            let top = module.split('.').next().unwrap_or(module);
                            modules.insert(top.to_string(), top.to_string())
                        }
                    };
                }
            }
            Stmt::If(s) => {
                imports(&s.body, modules);
                for c in &s.elif_else_clauses {
                    imports(&c.body, modules);
                }
            }
            Stmt::Try(s) => {
                imports(&s.body, modules);
                for h in &s.handlers {
                    let ruff_python_ast::ExceptHandler::ExceptHandler(h) = h;
                    imports(&h.body, modules);
                }
                imports(&s.orelse, modules);
                imports(&s.finalbody, modules);
            }
            Stmt::With(s) => imports(&s.body, modules),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globals_and_imported_modules_are_learnt() {
        let mut n = Names::default();
        n.learn("import time as t, machine\nx = 1\ndef f():\n    y = 2\n");
        n.learn("try:\n    import json\nexcept ImportError:\n    pass\nclass C: pass\n");
        let globals: Vec<&str> = n.globals.iter().map(String::as_str).collect();
        assert_eq!(globals, ["C", "f", "json", "machine", "t", "x"]);
        assert_eq!(n.modules.get("t").map(String::as_str), Some("time"));
        assert_eq!(n.modules.get("json").map(String::as_str), Some("json"));
        // Rebound: no longer the module.
        n.learn("t = 5");
        assert!(!n.modules.contains_key("t"));
        assert!(n.globals.contains("t"));
    }

    #[test]
    fn definitions_keep_their_header_and_docstring() {
        let mut n = Names::default();
        n.learn(
            "@dec\ndef area(w, h=2) -> int:\n    \"\"\"The area.\n\n    Of a box.\"\"\"\n    return w * h\n\
             class Box(object):\n    pass\n",
        );
        let area = &n.defs["area"];
        assert_eq!(area.header, "def area(w, h=2) -> int");
        assert_eq!(area.doc.as_deref(), Some("The area.\n\nOf a box."));
        assert_eq!(n.defs["Box"].header, "class Box(object)");
        assert_eq!(n.defs["Box"].doc, None);
        n.learn("area = 5");
        assert!(!n.defs.contains_key("area"));
    }
}
