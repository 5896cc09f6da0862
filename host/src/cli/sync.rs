//! `p14p sync DIR`: make the device's store match a folder, subfolders
//! included, sending only what changed.
//!
//! The store is flat; a file in a subfolder is stored under its path
//! relative to DIR with `/` between the parts (`lib/util.py`), which is the
//! name the device's `import lib.util` looks for (see `vm::import`) and
//! the tree `p14p ls` draws. `.py` files are compiled with DIR as their
//! program folder and their folder as their package, as `p14p run` would
//! compile them, so `from lib import util` and relative imports resolve.
//! A folder without `__init__.py` holding `.py` files (a namespace
//! package) gets an empty module stored as its `__init__.py`, so that
//! `import lib` finds a module on the device too.
//!
//! Hidden files and folders (`.git`) and `__pycache__` are left out.
//! With `--watch` ([`super::watch`]) the sync repeats on every change.

use super::connection::Connection;
use super::deploy::{prepare_with, put, Prepared};
use super::Failure;
use crate::modules::Failed;
use crate::program::target_for;
use crate::session::store::content_crc;
use crate::session::Session;
use p14p_protocol::msg::FileKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A local file and the store name it syncs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Local {
    /// The file.
    pub path: PathBuf,
    /// Its name in the store: the path under the folder, `/`-separated.
    pub name: String,
}

/// Every file under `dir` (recursively, sorted by store name), less
/// hidden entries and `__pycache__`.
pub fn local_files(dir: &Path) -> Result<Vec<Local>, Failure> {
    let mut out = Vec::new();
    walk(dir, "", &mut out)?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<Local>) -> Result<(), Failure> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "__pycache__" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            walk(&path, &format!("{prefix}{name}/"), out)?;
        } else if path.is_file() {
            out.push(Local {
                path,
                name: format!("{prefix}{name}"),
            });
        }
    }
    Ok(())
}

/// The namespace packages among `files`: folders (store prefixes like
/// `lib/`) holding a `.py` file but no `__init__.py`.
pub fn namespace_inits(files: &[Local]) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    for f in files.iter().filter(|f| f.name.ends_with(".py")) {
        let mut parts: Vec<&str> = f.name.split('/').collect();
        parts.pop();
        for depth in 1..=parts.len() {
            let dir = parts[..depth].join("/");
            if !dirs.contains(&dir) {
                dirs.push(dir);
            }
        }
    }
    dirs.into_iter()
        .map(|d| format!("{d}/__init__.py"))
        .filter(|init| !files.iter().any(|f| &f.name == init))
        .collect()
}

/// The empty module stored as a namespace package's `__init__.py`
/// (`name`, from [`namespace_inits`]).
pub fn namespace_init(session: &Session, name: String) -> Result<Prepared, Failure> {
    let empty = crate::compile::compile("", &name, &target_for(session.info(), false))
        .map_err(|_| "cannot compile an empty module")?;
    Ok(Prepared {
        name,
        kind: FileKind::Image,
        bytes: empty.image,
        library: Vec::new(),
    })
}

/// The package a module stored as `name` is compiled in: its folder,
/// dotted (`lib/util.py` → `lib`), `None` at the top.
fn package_of(name: &str) -> Option<String> {
    name.rsplit_once('/').map(|(dir, _)| dir.replace('/', "."))
}

/// Compiles or reads `local` as the sync stores it (see the module docs).
/// `Ok(Err(_))`: it does not compile (nothing printed).
pub fn prepare_local(
    session: &Session,
    dir: &Path,
    local: &Local,
) -> Result<Result<Prepared, Failed>, Failure> {
    let mut target = target_for(session.info(), false);
    target.local = Some(dir.to_path_buf());
    target.package = package_of(&local.name);
    prepare_with(&local.path, local.name.clone(), &target)
}

/// What one pass of [`sync_pass`] did.
#[derive(Debug, Default)]
pub struct Synced {
    /// Store names sent (added or updated).
    pub sent: Vec<String>,
    /// Files already the same on the device.
    pub same: usize,
    /// Store names removed (`--delete`).
    pub removed: Vec<String>,
    /// Bytes sent.
    pub bytes: usize,
    /// The file that did not compile: nothing after it was sent.
    pub failed: Option<Failed>,
}

/// One sync of `dir` to the device's store, telling `report` a line per
/// change (`add lib/util.py (120 bytes)`) as it is made.
pub async fn sync_pass(
    session: &Session,
    dir: &Path,
    dry_run: bool,
    delete: bool,
    report: &mut (dyn FnMut(&str) + Send),
) -> Result<Synced, Failure> {
    let device: BTreeMap<String, (u32, u32)> = session
        .store_list()
        .await?
        .into_iter()
        .map(|f| (f.name, (f.size, f.crc)))
        .collect();
    let files = local_files(dir)?;
    let mut done = Synced::default();
    let mut wanted: Vec<String> = Vec::new();
    let mut library: Vec<&'static str> = Vec::new();
    let mut prepared = Vec::new();
    for local in &files {
        wanted.push(local.name.clone());
        let p = match prepare_local(session, dir, local)? {
            Ok(p) => p,
            Err(failed) => {
                done.failed = Some(failed);
                return Ok(done);
            }
        };
        prepared.push(p);
    }
    for init in namespace_inits(&files) {
        wanted.push(init.clone());
        prepared.push(namespace_init(session, init)?);
    }
    for p in &prepared {
        for m in &p.library {
            if !library.contains(m) {
                library.push(m);
            }
        }
        let crc = content_crc(&p.bytes);
        if device.get(&p.name) == Some(&(p.bytes.len() as u32, crc)) {
            done.same += 1;
            continue;
        }
        let verb = if device.contains_key(&p.name) {
            "update"
        } else {
            "add"
        };
        if dry_run {
            report(&format!(
                "would {verb} {} ({} bytes)",
                p.name,
                p.bytes.len()
            ));
            done.bytes += p.bytes.len();
        } else {
            done.bytes += put(session, p).await?;
            report(&format!("{verb} {} ({} bytes)", p.name, p.bytes.len()));
        }
        done.sent.push(p.name.clone());
    }
    // The library modules DIR's programs import are wanted too: stored
    // beside them, and never removed as strays.
    wanted.extend(library.iter().map(|m| format!("{m}.py")));
    if !dry_run {
        crate::program::store_library(session, &library).await?;
    }
    if delete {
        for name in device.keys().filter(|n| !wanted.contains(n)) {
            // A folder marker (`p14p mkdir`) stays while DIR has the folder.
            if let Some(folder) = name.strip_suffix('/') {
                if dir.join(folder).is_dir() {
                    continue;
                }
            }
            if dry_run {
                report(&format!("would remove {name}"));
            } else {
                session.store_remove(name).await?;
                report(&format!("remove {name}"));
            }
            done.removed.push(name.clone());
        }
    }
    Ok(done)
}

/// `p14p sync DIR [--dry-run] [--delete]`.
pub async fn sync(
    dir: &Path,
    dry_run: bool,
    delete: bool,
    conn: &Connection,
) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let done = sync_pass(session, dir, dry_run, delete, &mut |line| {
        println!("{line}")
    })
    .await?;
    if let Some(failed) = done.failed {
        super::run::print_failures(&[failed]);
        return Ok(ExitCode::FAILURE);
    }
    let prefix = if dry_run {
        "would transfer"
    } else {
        "transferred"
    };
    println!(
        "{prefix} {} file(s) ({} bytes), {} unchanged, {} removed",
        done.sent.len(),
        done.bytes,
        done.same,
        done.removed.len()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(name: &str) -> Local {
        Local {
            path: PathBuf::from(name),
            name: name.into(),
        }
    }

    #[test]
    fn namespace_packages_get_an_init() {
        let files = [
            local("main.py"),
            local("lib/util.py"),
            local("lib/deep/x.py"),
            local("pkg/__init__.py"),
            local("pkg/m.py"),
            local("data/readme.txt"),
        ];
        assert_eq!(
            namespace_inits(&files),
            vec!["lib/__init__.py", "lib/deep/__init__.py"]
        );
        assert_eq!(package_of("lib/deep/x.py").as_deref(), Some("lib.deep"));
        assert_eq!(package_of("main.py"), None);
    }
}
