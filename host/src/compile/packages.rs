//! Packages: folders of modules beside the program, resolved on the host.
//!
//! `import a.b`, `from a import b` and `from a.b import c`, where `a/` is
//! a folder beside the program (with `a/__init__.py`, or without it: a
//! namespace package) holding `b.py` (or a folder `b/`). The device keeps
//! one flat registry keyed by module name, so package `a`'s submodule is a
//! module named `a.b` (sent by the host as any module, from `a/b.py`) and
//! bound as attribute `b` of module `a` by the importer's own code
//! ([`crate::compile`]'s codegen emits, for each level of a dotted name,
//! `IMPORT_NAME a; IMPORT_NAME a.b; SWAP 2; STORE_ATTR b`): no opcode, no
//! device byte.
//!
//! Relative imports (`from . import x`, `from ..m import y`) become
//! absolute here, before scopes are built, from the package the module is
//! compiled in ([`Target::package`]): the rest of the compiler sees
//! `from a import x`.
//!
//! A file's place decides as CPython's path finder does in one folder:
//! `a/__init__.py` (a package), else `a.py`, else a folder `a/` (a
//! namespace package, an empty module here).

use super::{range as span, Target};
use crate::diag::Diagnostic;
use ruff_python_ast::{self as ast, Stmt};
use std::path::{Path, PathBuf};

/// Where module `name` (dotted) comes from in folder `dir`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A package's `__init__.py` (the module is the package).
    Package(PathBuf),
    /// A module file `….py`.
    File(PathBuf),
    /// A folder without `__init__.py`: a namespace package (no code).
    Namespace(PathBuf),
}

impl Source {
    /// The package a module from here is compiled in: itself for a
    /// package, else its parent (`None` at the top level).
    pub fn package_of(&self, name: &str) -> Option<String> {
        match self {
            Source::Package(_) | Source::Namespace(_) => Some(name.to_string()),
            Source::File(_) => name.rsplit_once('.').map(|(p, _)| p.to_string()),
        }
    }
}

/// Finds module `name` (dotted: `a.b` is `a/b.py`) in `dir`.
pub fn find(dir: &Path, name: &str) -> Option<Source> {
    let base = name
        .split('.')
        .fold(dir.to_path_buf(), |p, part| p.join(part));
    let init = base.join("__init__.py");
    if init.is_file() {
        return Some(Source::Package(init));
    }
    // Module names are identifiers: the last part has no dot to replace.
    let file = base.with_extension("py");
    if file.is_file() {
        return Some(Source::File(file));
    }
    base.is_dir().then_some(Source::Namespace(base))
}

/// True when `from module import name` names a submodule the host sees
/// (`module/name.py` or a folder `module/name/` beside the program), which
/// is imported before the name is read.
pub fn is_submodule(target: &Target, module: &str, name: &str) -> bool {
    let Some(dir) = &target.local else {
        return false;
    };
    matches!(
        find(dir, module),
        Some(Source::Package(_) | Source::Namespace(_))
    ) && find(dir, &format!("{module}.{name}")).is_some()
}

/// Rewrites every relative `from` import in `body` (at any depth) as the
/// absolute import of [`Target::package`]; one outside a package, or
/// above its top, is CPython's ImportError, here a compile error.
pub fn absolute(body: &mut [Stmt], target: &Target) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    stmts(body, target.package.as_deref(), &mut errors);
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn stmts(body: &mut [Stmt], package: Option<&str>, errors: &mut Vec<Diagnostic>) {
    for s in body {
        match s {
            Stmt::ImportFrom(i) if i.level > 0 => {
                match resolve(package, i) {
                    Ok(name) => {
                        i.module = Some(ast::Identifier::new(name, i.range));
                        i.level = 0;
                    }
                    Err(msg) => errors.push(Diagnostic::error(msg, span(i.range)).with_help(
                        "relative imports work inside a package folder beside the program",
                    )),
                }
            }
            Stmt::FunctionDef(f) => stmts(&mut f.body, package, errors),
            Stmt::ClassDef(c) => stmts(&mut c.body, package, errors),
            _ => super::star::each_block(s, &mut |b| stmts(b, package, errors)),
        }
    }
}

/// The absolute module a relative `from` names, or CPython's message.
fn resolve(package: Option<&str>, i: &ast::StmtImportFrom) -> Result<String, &'static str> {
    let Some(package) = package.filter(|p| !p.is_empty()) else {
        return Err("attempted relative import with no known parent package");
    };
    let mut parts: Vec<&str> = package.split('.').collect();
    for _ in 1..i.level {
        if parts.pop().is_none() || parts.is_empty() {
            return Err("attempted relative import beyond top-level package");
        }
    }
    let mut name = parts.join(".");
    if let Some(m) = &i.module {
        name.push('.');
        name.push_str(m.as_str());
    }
    Ok(name)
}

/// The dotted prefixes of `name`: `a`, `a.b`, `a.b.c` for `a.b.c`.
pub fn prefixes(name: &str) -> impl Iterator<Item = &str> {
    name.match_indices('.')
        .map(move |(i, _)| &name[..i])
        .chain(std::iter::once(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_run_from_the_top_package_down() {
        assert_eq!(prefixes("a.b.c").collect::<Vec<_>>(), ["a", "a.b", "a.b.c"]);
        assert_eq!(prefixes("m").collect::<Vec<_>>(), ["m"]);
    }

    #[test]
    fn a_package_wins_over_a_module_and_a_module_over_a_namespace() {
        let dir = std::env::temp_dir().join(format!("p14p-packages-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("p/q")).unwrap();
        std::fs::create_dir_all(dir.join("ns/sub")).unwrap();
        std::fs::write(dir.join("p/__init__.py"), "").unwrap();
        std::fs::write(dir.join("p.py"), "").unwrap();
        std::fs::write(dir.join("p/m.py"), "").unwrap();
        std::fs::write(dir.join("ns/sub.py"), "").unwrap();
        assert_eq!(
            find(&dir, "p"),
            Some(Source::Package(dir.join("p/__init__.py")))
        );
        assert_eq!(find(&dir, "p.m"), Some(Source::File(dir.join("p/m.py"))));
        assert_eq!(find(&dir, "p.q"), Some(Source::Namespace(dir.join("p/q"))));
        assert_eq!(
            find(&dir, "ns.sub"),
            Some(Source::File(dir.join("ns/sub.py")))
        );
        assert_eq!(find(&dir, "nope"), None);
        assert_eq!(
            Source::File(PathBuf::new()).package_of("p.m").as_deref(),
            Some("p")
        );
        assert_eq!(Source::File(PathBuf::new()).package_of("m"), None);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
