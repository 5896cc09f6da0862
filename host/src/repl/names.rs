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
                // Rebinding a module's name makes it something else.
                self.modules.remove(&name);
                self.globals.insert(name);
            }
        }
        imports(body, &mut self.modules);
    }
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
}
