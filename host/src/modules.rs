//! A program and the modules it imports from `.py` files next to it.
//!
//! `import name` resolves, on the host as on the device, to (in order): a
//! native module of the device (its manifest); `name.py` in the program's
//! folder, compiled here and sent before the program with
//! `LoadBegin { name: Some("name") }`; a library module (`lib/`): frozen
//! into the firmware, or *carried* by the host, which stores it on the
//! device before the program runs (as it does `_math` for the native
//! `math`; see [`crate::library::CARRIED`]); an image stored on the device
//! (`name.py` in its store). A dotted name is a package's module beside
//! the program (`a.b`: `a/b.py`; `a`: `a/__init__.py`, or the folder `a/`
//! alone, a namespace package: an empty module; see
//! [`crate::compile::packages`]). The
//! walk follows the imports of every compiled module, once per name, so
//! modules that import each other are fine. An import that resolves to
//! nothing is a diagnostic at the import, before anything runs.

use crate::compile::packages::{self, Source};
use crate::compile::{self, Compiled, Target};
use crate::diag::Diagnostic;
use std::collections::{BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// One compiled module of a program.
#[derive(Debug, Clone)]
pub struct Module {
    /// The import name.
    pub name: String,
    /// The compiled file.
    pub compiled: Compiled,
}

/// An import that no file next to the program and no native module
/// provides: the device's store may still hold it.
#[derive(Debug, Clone)]
pub struct Unresolved {
    /// The module name.
    pub name: String,
    /// Where it is imported (the first place).
    pub at: Diagnostic,
    /// The importing file's name and source, to render `at`.
    pub filename: String,
    /// The importing file's source.
    pub source: String,
}

/// A compile failure in one of the program's files.
#[derive(Debug, Clone)]
pub struct Failed {
    /// File name.
    pub filename: String,
    /// Its source.
    pub source: String,
    /// What is wrong.
    pub diags: Vec<Diagnostic>,
}

/// The main program and every module it needs from files.
#[derive(Debug, Clone)]
pub struct Program {
    /// The main file.
    pub main: Compiled,
    /// The imported modules, in discovery order.
    pub modules: Vec<Module>,
    /// Imports still to be found on the device's store.
    pub unresolved: Vec<Unresolved>,
    /// The carried library modules the program needs (the host stores
    /// them on the device before it runs), in discovery order.
    pub library: Vec<&'static str>,
}

impl Program {
    /// Every compiled image (modules, then main): what tracebacks map.
    pub fn all(&self) -> impl Iterator<Item = &Compiled> {
        self.modules
            .iter()
            .map(|m| &m.compiled)
            .chain(std::iter::once(&self.main))
    }

    /// The diagnostics for unresolved imports that the device's store
    /// (`stored`: its file names) does not hold either.
    pub fn missing(&self, stored: &[String]) -> Vec<Failed> {
        self.unresolved
            .iter()
            .filter(|u| {
                // As the device looks: `a.b` in `a/b.py` (a synced
                // folder), or a package in `a/b/__init__.py`.
                let path = u.name.replace('.', "/");
                let names = [format!("{path}.py"), format!("{path}/__init__.py")];
                !stored.iter().any(|s| names.contains(s))
            })
            .map(|u| Failed {
                filename: u.filename.clone(),
                source: u.source.clone(),
                diags: vec![u.at.clone()],
            })
            .collect()
    }
}

/// Compiles `source` (the file `filename`, in folder `dir`) and every module
/// it imports, transitively, from `dir`. `target.repl` applies to the main
/// source only.
pub fn compile_program(
    source: &str,
    filename: &str,
    dir: &Path,
    target: &Target,
) -> Result<Program, Vec<Failed>> {
    // `from m import *` reads the names of m.py beside the program.
    let target = &Target {
        local: Some(dir.to_path_buf()),
        ..target.clone()
    };
    let main = compile::compile(source, filename, target).map_err(|diags| {
        vec![Failed {
            filename: filename.into(),
            source: source.into(),
            diags,
        }]
    })?;
    let module_target = Target {
        repl: false,
        ..target.clone()
    };
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<(String, Diagnostic, String, String)> = VecDeque::new();
    let enqueue = |c: &Compiled, q: &mut VecDeque<_>, seen: &mut BTreeSet<String>| {
        for i in &c.imports {
            if seen.insert(i.name.clone()) {
                let at = Diagnostic::error(format!("no module named '{}'", i.name), i.span.clone())
                    .with_help(format!(
                        "put {}.py next to the program, or store it on the device: `p14p push {}.py`",
                        i.name, i.name
                    ));
                q.push_back((
                    i.name.clone(),
                    at,
                    c.debug.filename.clone(),
                    c.debug.source.clone(),
                ));
            }
        }
    };
    enqueue(&main, &mut queue, &mut seen);
    let mut modules = Vec::new();
    let mut unresolved = Vec::new();
    let mut failed = Vec::new();
    let mut library = Vec::new();
    while let Some((name, at, from_file, from_source)) = queue.pop_front() {
        // A native module's library half is carried when the firmware
        // leaves it out (`math`'s `_math`); a local file never stands for it.
        let native = target.natives.iter().any(|(m, _)| *m == name);
        let name = if native { format!("_{name}") } else { name };
        let found = packages::find(dir, &name);
        if native || found.is_none() {
            if let Some((module, c)) = crate::library::carried(&name) {
                match lacks(module, target) {
                    // A library module's own import of one (array's lazy
                    // `import struct`, for floats and bytes only) fails on
                    // the device if ever reached, not here.
                    Some(_) if crate::library::is_file(&from_file) => {}
                    Some(lacks) => failed.push(Failed {
                        filename: from_file,
                        source: from_source,
                        diags: vec![Diagnostic::error(
                            format!(
                                "module '{}' needs {lacks}, which this firmware leaves out",
                                module.trim_start_matches('_')
                            ),
                            at.span.clone(),
                        )],
                    }),
                    None if !library.contains(&module) => {
                        library.push(module);
                        enqueue(c, &mut queue, &mut seen);
                    }
                    None => {}
                }
                continue;
            }
            if native || crate::library::is_module(&name) {
                continue;
            }
        }
        // A namespace package (a folder without `__init__.py`) is an empty
        // module; a package's `__init__.py` is the package's module.
        let read = match &found {
            Some(Source::Package(p) | Source::File(p)) => {
                std::fs::read_to_string(p).map(|s| (p, s))
            }
            Some(Source::Namespace(p)) => Ok((p, String::new())),
            None => Err(std::io::ErrorKind::NotFound.into()),
        };
        let module_target = Target {
            package: found.as_ref().and_then(|f| f.package_of(&name)),
            ..module_target.clone()
        };
        match read {
            Ok((path, src)) => {
                let fname = path.display().to_string();
                match compile::compile(&src, &fname, &module_target) {
                    Ok(c) => {
                        enqueue(&c, &mut queue, &mut seen);
                        modules.push(Module { name, compiled: c });
                    }
                    Err(diags) => failed.push(Failed {
                        filename: fname,
                        source: src,
                        diags,
                    }),
                }
            }
            Err(_) => unresolved.push(Unresolved {
                name,
                at,
                filename: from_file,
                source: from_source,
            }),
        }
    }
    if !failed.is_empty() {
        return Err(failed);
    }
    Ok(Program {
        main,
        modules,
        unresolved,
        library,
    })
}

/// The carried library modules `compiled` imports, transitively (with a
/// native module's carried half, `_math` for `math`), that `target` can
/// run: what a program stored on the device needs stored beside it, so
/// that it runs at boot without a host.
pub fn library_needed(compiled: &Compiled, target: &Target) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let mut queue: VecDeque<String> = compiled.imports.iter().map(|i| i.name.clone()).collect();
    while let Some(name) = queue.pop_front() {
        let name = if target.natives.iter().any(|(m, _)| *m == name) {
            format!("_{name}")
        } else {
            name
        };
        if let Some((module, c)) = crate::library::carried(&name) {
            if !out.contains(&module) && lacks(module, target).is_none() {
                out.push(module);
                queue.extend(c.imports.iter().map(|i| i.name.clone()));
            }
        }
    }
    out
}

/// What carried library module `name` needs that `target` lacks (`None`:
/// nothing), in words for a diagnostic.
fn lacks(name: &str, target: &Target) -> Option<&'static str> {
    match crate::library::needs(name) {
        (true, _) if !target.floats => Some("floats"),
        (_, true) if !target.bytes => Some("bytes"),
        _ => None,
    }
}

/// The folder of `file` (empty, i.e. the current folder, for a bare file
/// name, so module file names stay as short as the program's).
pub fn dir_of(file: &Path) -> PathBuf {
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A carried module the firmware cannot run (struct needs floats) is a
    /// diagnostic at the import, before anything is sent.
    #[test]
    fn a_carried_module_needing_a_missing_feature_is_refused_at_the_import() {
        let no_floats = Target {
            bytes: true,
            ..Target::default()
        };
        let failed = compile_program("import struct\n", "p.py", Path::new(""), &no_floats)
            .expect_err("refused");
        let d = &failed[0].diags[0];
        assert!(d.message.contains("'struct' needs floats"), "{}", d.message);
        assert_eq!(d.span, 7..13);
        let floats = Target {
            floats: true,
            ..no_floats.clone()
        };
        let p = compile_program("import struct\n", "p.py", Path::new(""), &floats).unwrap();
        assert_eq!(p.library, ["struct"]);
        assert!(p.unresolved.is_empty());
        // array's own `import struct` (for floats and bytes) does not stop
        // an array of ints on a firmware without floats.
        let p = compile_program("import array\n", "p.py", Path::new(""), &no_floats).unwrap();
        assert_eq!(p.library, ["array"]);
    }
}
