//! The modules a program imports, found in its AST, so the host can
//! compile and send each one before the program (see `cli::modules`).

use ruff_python_ast::visitor::{walk_stmt, Visitor};
use ruff_python_ast::{Stmt, StmtImport, StmtImportFrom};
use std::ops::Range;

/// One `import name` / `from name import …` in a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The module name (absolute; dotted names are rejected by codegen).
    pub name: String,
    /// Byte range of the module name in the source (for diagnostics).
    pub span: Range<usize>,
}

/// Every import statement of `body`, including those inside functions,
/// classes and conditionals, in source order (a name once per statement).
pub fn imports(body: &[Stmt]) -> Vec<Import> {
    let mut v = Collect(Vec::new());
    for s in body {
        v.visit_stmt(s);
    }
    v.0
}

struct Collect(Vec<Import>);

impl<'a> Visitor<'a> for Collect {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(StmtImport { names, .. }) => {
                for a in names {
                    self.0.push(Import {
                        name: a.name.to_string(),
                        span: a.name.range.start().to_usize()..a.name.range.end().to_usize(),
                    });
                }
            }
            Stmt::ImportFrom(StmtImportFrom {
                module: Some(m),
                level: 0,
                ..
            }) => self.0.push(Import {
                name: m.to_string(),
                span: m.range.start().to_usize()..m.range.end().to_usize(),
            }),
            _ => {}
        }
        walk_stmt(self, stmt);
    }
}
