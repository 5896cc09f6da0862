//! The modules a program imports, found in its AST, so the host can
//! compile and send each one before the program (see `cli::modules`).

use super::{packages, Target};
use ruff_python_ast::visitor::{walk_expr, walk_stmt, Visitor};
use ruff_python_ast::{Expr, ExprAttribute, ExprName, Number, Stmt, StmtImport, StmtImportFrom};
use ruff_text_size::Ranged;
use std::ops::Range;

/// One module an import statement needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The module name (absolute: relative imports were resolved; `a.b`
    /// of a package's submodule).
    pub name: String,
    /// Byte range of the module name in the source (for diagnostics).
    pub span: Range<usize>,
}

/// Every import statement of `body`, including those inside functions,
/// classes and conditionals, in source order (a name once per statement).
/// A dotted name needs each of its packages first (`import a.b`: `a`,
/// `a.b`), and `from a import b` also needs `a.b` when `b` is a
/// submodule the host sees ([`packages::is_submodule`]). A name a native
/// module's half serves lazily ([`crate::library::LAZY`]) needs its
/// carried module, at the name: `from machine import I2C`, or
/// `machine.I2C` where `machine` is the module (its name, or the name an
/// `import machine as m` binds), come after the imports.
pub fn imports(body: &[Stmt], target: &Target) -> Vec<Import> {
    let mut v = Collect(Vec::new(), target, Vec::new(), Vec::new());
    for s in body {
        v.visit_stmt(s);
    }
    // `machine.I2C` needs `_i2c` if `machine` names the module here (or,
    // in a REPL line, in an earlier line: its own name).
    for (object, lazy, span) in std::mem::take(&mut v.3) {
        let module =
            v.2.iter()
                .find(|(a, _)| *a == object)
                .map_or(object.as_str(), |p| &p.1);
        if crate::library::LAZY
            .iter()
            .any(|l| l.0 == module && l.1 == lazy)
        {
            v.0.push(Import {
                name: lazy.to_string(),
                span,
            });
        }
    }
    v.0
}

/// The imports so far, the target, the names `import M [as a]` binds to
/// a module with lazy names (`(a, M)`), and each `x.NAME` whose `NAME`
/// some module serves lazily (`(x, its carried module, span)`).
#[allow(clippy::type_complexity)]
struct Collect<'t>(
    Vec<Import>,
    &'t Target,
    Vec<(String, String)>,
    Vec<(String, &'static str, Range<usize>)>,
);

impl Collect<'_> {
    fn push(&mut self, name: &str, span: Range<usize>) {
        for p in packages::prefixes(name) {
            self.0.push(Import {
                name: p.to_string(),
                span: span.clone(),
            });
        }
    }
}

impl<'a> Visitor<'a> for Collect<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(StmtImport { names, .. }) => {
                for a in names {
                    let span = a.name.range.start().to_usize()..a.name.range.end().to_usize();
                    self.push(&a.name, span);
                    if let Some(alias) = &a.asname {
                        self.2.push((alias.to_string(), a.name.to_string()));
                    }
                }
            }
            Stmt::ImportFrom(StmtImportFrom {
                module: Some(m),
                level: 0,
                names,
                ..
            }) => {
                let span = m.range.start().to_usize()..m.range.end().to_usize();
                self.push(m, span.clone());
                for a in names {
                    if packages::is_submodule(self.1, m, &a.name) {
                        self.0.push(Import {
                            name: format!("{m}.{}", a.name),
                            span: span.clone(),
                        });
                    }
                    if let Some(lazy) = crate::library::lazy(m, &a.name) {
                        self.0.push(Import {
                            name: lazy.to_string(),
                            span: a.name.range.start().to_usize()..a.name.range.end().to_usize(),
                        });
                    }
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        // A builtin class of a carried module (`memoryview`, `complex`, and
        // `complex` of a literal `2j`) needs that module. A name the
        // program binds itself stores it needlessly, which is harmless.
        let builtin = match expr {
            Expr::Name(ExprName { id, .. }) => Some(id.as_str()),
            Expr::NumberLiteral(n) if matches!(n.value, Number::Complex { .. }) => Some("complex"),
            _ => None,
        };
        if let Some(module) = builtin.and_then(|b| crate::library::builtin_class(b, self.1)) {
            if !self.0.iter().any(|i| i.name == module) {
                let r = expr.range();
                self.0.push(Import {
                    name: module.to_string(),
                    span: r.start().to_usize()..r.end().to_usize(),
                });
            }
        }
        if let Expr::Attribute(ExprAttribute { value, attr, .. }) = expr {
            if let Expr::Name(ExprName { id, .. }) = value.as_ref() {
                let lazy = crate::library::LAZY
                    .iter()
                    .find_map(|(m, _)| crate::library::lazy(m, attr));
                if let Some(lazy) = lazy {
                    let span = attr.range.start().to_usize()..attr.range.end().to_usize();
                    self.3.push((id.to_string(), lazy, span));
                }
            }
        }
        walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::imports;
    use crate::compile::{parse, Target};

    fn names(src: &str) -> Vec<String> {
        let body = parse(src).unwrap().body;
        imports(&body, &Target::full())
            .into_iter()
            .map(|i| i.name)
            .collect()
    }

    /// A program naming `machine.I2C`, `SPI` or `UART` needs that class's
    /// module (the host stores it); one using only `Pin` does not.
    #[test]
    fn the_bus_classes_need_their_carried_module() {
        assert_eq!(names("from machine import Pin, I2C"), ["machine", "_i2c"]);
        assert_eq!(names("import machine\nmachine.Pin(1)"), ["machine"]);
        assert_eq!(
            names("import machine\nu = machine.UART(1)"),
            ["machine", "_uart"]
        );
        assert_eq!(
            names("import machine as m\ndef f():\n    return m.SPI(0)"),
            ["machine", "_spi"]
        );
        // A REPL line: `machine` imported by an earlier one.
        assert_eq!(names("machine.I2C(0).scan()"), ["_i2c"]);
        // Another object's attribute of that name.
        assert_eq!(names("import time as m2\nx.I2C\nm2.SPI"), ["time"]);
    }

    /// `memoryview` and `complex` (a literal `2j` too) are classes of
    /// carried modules: a program naming them needs the module, once.
    #[test]
    fn builtin_classes_need_their_carried_module() {
        assert_eq!(
            names("m = memoryview(b'ab')\nmemoryview(m)"),
            ["_memoryview"]
        );
        assert_eq!(names("z = 2j + complex(1)"), ["_complex"]);
        assert!(names("print(1.5)").is_empty());
    }
}
