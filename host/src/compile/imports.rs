//! The modules a program imports, found in its AST, so the host can
//! compile and send each one before the program (see `cli::modules`).

use super::{packages, Target};
use ruff_python_ast::visitor::{walk_stmt, Visitor};
use ruff_python_ast::{Stmt, StmtImport, StmtImportFrom};
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
/// submodule the host sees ([`packages::is_submodule`]).
pub fn imports(body: &[Stmt], target: &Target) -> Vec<Import> {
    let mut v = Collect(Vec::new(), target);
    for s in body {
        v.visit_stmt(s);
    }
    v.0
}

struct Collect<'t>(Vec<Import>, &'t Target);

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
                }
            }
            _ => {}
        }
        walk_stmt(self, stmt);
    }
}
