//! `from module import *`, resolved on the host: before scopes are built,
//! the compiler replaces the star with the names the module binds, as
//! CPython's import would (its `__all__`, else every top-level name not
//! starting with `_`), so the rest of the compiler sees an ordinary
//! `from module import a, b, c` and the device needs nothing new.
//!
//! The host knows every module a program can import: a native module's
//! names come from the device's manifest (with its library half's), a
//! program's own module from the file beside it ([`Target::local`]), a
//! library module from `lib/`. A module the host cannot see (one only in
//! the device's store, say) is a compile error that says so.

use super::{range as span, Target};
use crate::diag::Diagnostic;
use ruff_python_ast::{self as ast, Expr, Stmt};
use ruff_text_size::TextRange;

/// Replaces each module-level `from M import *` in `body` with M's public
/// names; a star inside a function or class, or of a module the host
/// cannot see, is an error.
pub fn expand(body: &mut [Stmt], target: &Target) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    stmts(body, target, true, &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn stmts(body: &mut [Stmt], target: &Target, top: bool, errors: &mut Vec<Diagnostic>) {
    for s in body {
        match s {
            Stmt::ImportFrom(i) if i.names.iter().any(|a| a.name.as_str() == "*") => {
                if !top {
                    errors.push(Diagnostic::error(
                        "import * only allowed at module level",
                        span(i.range),
                    ));
                    continue;
                }
                // A relative import is refused by the code generator.
                let Some(module) = i.module.as_ref().filter(|_| i.level == 0) else {
                    continue;
                };
                match names_of(module.as_str(), target) {
                    Some(names) => i.names = names.iter().map(|n| alias(n, i.range)).collect(),
                    None => errors.push(
                        Diagnostic::error(
                            format!("cannot see the names of module '{}'", module.as_str()),
                            span(module.range),
                        )
                        .with_help(format!(
                            "`import *` is resolved on the host: put {}.py next to the program, or import the names you use",
                            module.as_str()
                        )),
                    ),
                }
            }
            Stmt::FunctionDef(f) => stmts(&mut f.body, target, false, errors),
            Stmt::ClassDef(c) => stmts(&mut c.body, target, false, errors),
            _ => each_block(s, &mut |b| stmts(b, target, top, errors)),
        }
    }
}

/// Calls `f` on each statement block nested directly in `s` (an `if`'s
/// branches, a loop's body and `else`, a `try`'s clauses, a `with`'s body).
pub(super) fn each_block(s: &mut Stmt, f: &mut dyn FnMut(&mut [Stmt])) {
    match s {
        Stmt::If(i) => {
            f(&mut i.body);
            for c in &mut i.elif_else_clauses {
                f(&mut c.body);
            }
        }
        Stmt::For(l) => {
            f(&mut l.body);
            f(&mut l.orelse);
        }
        Stmt::While(l) => {
            f(&mut l.body);
            f(&mut l.orelse);
        }
        Stmt::With(w) => f(&mut w.body),
        Stmt::Try(t) => {
            f(&mut t.body);
            for h in &mut t.handlers {
                let ast::ExceptHandler::ExceptHandler(h) = h;
                f(&mut h.body);
            }
            f(&mut t.orelse);
            f(&mut t.finalbody);
        }
        _ => {}
    }
}

fn alias(name: &str, range: TextRange) -> ast::Alias {
    ast::Alias {
        range,
        node_index: ast::AtomicNodeIndex::default(),
        name: ast::Identifier::new(name, range),
        asname: None,
    }
}

/// The names `from module import *` binds, if the host can see `module`.
fn names_of(module: &str, target: &Target) -> Option<Vec<String>> {
    if let Some((_, names)) = target.natives.iter().find(|(m, _)| m == module) {
        // Not the names a `__getattr__` serves (`machine.I2C`): as in
        // CPython, `*` binds what the module holds, and loads nothing more.
        return Some(
            names
                .iter()
                .filter(|n| !n.starts_with('_') && crate::library::lazy(module, n).is_none())
                .cloned()
                .collect(),
        );
    }
    let local = target
        .local
        .as_ref()
        .and_then(|d| super::packages::find(d, module));
    match local {
        Some(super::packages::Source::Package(p) | super::packages::Source::File(p)) => {
            if let Ok(src) = std::fs::read_to_string(p) {
                return Some(public_names(&src));
            }
        }
        Some(super::packages::Source::Namespace(_)) => return Some(Vec::new()),
        None => {}
    }
    crate::library::source(module).map(public_names)
}

/// The names a star import of module source `src` binds: its `__all__` (a
/// list or tuple of str literals), else the names its top level binds
/// (definitions, assignments, imports, also under `if`/`try`/loops) that
/// do not start with `_`. Source that does not parse binds nothing here
/// (its own compilation reports the error).
pub fn public_names(src: &str) -> Vec<String> {
    let Ok(module) = super::parse(src) else {
        return Vec::new();
    };
    let mut names = Vec::new();
    let mut all = None;
    bound(&module.body, &mut names, &mut all);
    let mut names = all.unwrap_or_else(|| {
        names.retain(|n: &String| !n.starts_with('_'));
        names
    });
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.clone()));
    names
}

fn bound(body: &[Stmt], names: &mut Vec<String>, all: &mut Option<Vec<String>>) {
    for s in body {
        match s {
            Stmt::FunctionDef(f) => names.push(f.name.to_string()),
            Stmt::ClassDef(c) => names.push(c.name.to_string()),
            Stmt::Assign(a) => {
                if let [Expr::Name(n)] = &a.targets[..] {
                    if n.id.as_str() == "__all__" {
                        *all = str_list(&a.value);
                    }
                }
                a.targets.iter().for_each(|t| target_names(t, names));
            }
            Stmt::AnnAssign(a) => target_names(&a.target, names),
            Stmt::AugAssign(a) => target_names(&a.target, names),
            Stmt::Import(i) => {
                for a in &i.names {
                    let bound = a.asname.as_ref().unwrap_or(&a.name);
                    names.push(bound.split('.').next().unwrap_or(bound).to_string());
                }
            }
            Stmt::ImportFrom(i) => {
                let own = i.names.iter().filter(|a| a.name.as_str() != "*");
                names.extend(own.map(|a| a.asname.as_ref().unwrap_or(&a.name).to_string()));
            }
            Stmt::If(i) => {
                bound(&i.body, names, all);
                for c in &i.elif_else_clauses {
                    bound(&c.body, names, all);
                }
            }
            Stmt::For(l) => {
                target_names(&l.target, names);
                bound(&l.body, names, all);
                bound(&l.orelse, names, all);
            }
            Stmt::While(l) => {
                bound(&l.body, names, all);
                bound(&l.orelse, names, all);
            }
            Stmt::With(w) => {
                for item in &w.items {
                    if let Some(t) = &item.optional_vars {
                        target_names(t, names);
                    }
                }
                bound(&w.body, names, all);
            }
            Stmt::Try(t) => {
                bound(&t.body, names, all);
                for h in &t.handlers {
                    let ast::ExceptHandler::ExceptHandler(h) = h;
                    bound(&h.body, names, all);
                }
                bound(&t.orelse, names, all);
                bound(&t.finalbody, names, all);
            }
            _ => {}
        }
    }
}

fn target_names(t: &Expr, names: &mut Vec<String>) {
    match t {
        Expr::Name(n) => names.push(n.id.to_string()),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, names)),
        Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, names)),
        Expr::Starred(s) => target_names(&s.value, names),
        _ => {}
    }
}

/// The strs of a list or tuple of str literals (`__all__`).
fn str_list(e: &Expr) -> Option<Vec<String>> {
    let elts = match e {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => return None,
    };
    elts.iter()
        .map(|e| match e {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::public_names;

    #[test]
    fn public_names_follow_cpython() {
        let src = "import os, a.b\nfrom m import x as y, z\nK = 1\n_hidden = 2\ndef f(): pass\nclass C: pass\nif K:\n    g = 3\nfor i in (): pass\nu, (v, *w) = 1, (2, 3)\n";
        assert_eq!(
            public_names(src),
            ["os", "a", "y", "z", "K", "f", "C", "g", "i", "u", "v", "w"]
        );
        assert_eq!(
            public_names("__all__ = ['f', '_g']\ndef f(): pass\ndef _g(): pass\nh = 1\n"),
            ["f", "_g"]
        );
    }
}
