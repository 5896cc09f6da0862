//! `p14p ls`, `cat`, `rm`, `mkdir`, `cp`, `sha256sum`: the store as a
//! tree of folders.
//!
//! The store itself is flat: one name per file, up to the device's
//! `store_max_name` bytes. Folders are names with `/` in them
//! (`lib/util.py`, what `p14p sync` stores for a subfolder and what the
//! device's `import lib.util` looks for). An empty folder is a marker, an
//! empty data file whose name ends in `/` (`p14p mkdir lib`), as object
//! stores do it; `rm -r lib` removes the marker and every `lib/…`.
//!
//! The device keeps no source: a `.py` is stored as its compiled image.
//! `cat` of one finds the local file that compiles to the very same image
//! (same size and CRC-32) and prints that, or says plainly that the source
//! is not on the device; it never prints image bytes.

use super::connection::Connection;
use super::deploy::{prepare_with, put};
use super::sync::{local_files, prepare_local, Local};
use super::Failure;
use crate::program::target_for;
use crate::session::store::content_crc;
use crate::session::{Session, StoredFile};
use p14p_protocol::msg::FileKind;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How a stored file's kind reads in listings.
fn kind_name(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Image => "image",
        FileKind::Data => "data",
    }
}

/// The listing of `files` as a tree: a line per folder (`name/`, its
/// contents indented two spaces more), a line per file with its size,
/// kind and CRC-32. Folder markers show only as their folder.
pub fn tree_lines(files: &[StoredFile]) -> Vec<String> {
    let mut sorted: Vec<&StoredFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let mut lines = Vec::new();
    let mut open: Vec<&str> = Vec::new();
    for f in sorted {
        let mut parts: Vec<&str> = f.name.split('/').collect();
        let leaf = parts.pop().unwrap_or_default();
        let same = open.iter().zip(&parts).take_while(|(a, b)| a == b).count();
        open.truncate(same);
        for (depth, dir) in parts.iter().enumerate().skip(same) {
            lines.push(format!("{:27}{}{dir}/", "", "  ".repeat(depth)));
            open.push(dir);
        }
        if leaf.is_empty() {
            continue; // a folder marker: its folder line is printed
        }
        let main = if f.main { "  (main)" } else { "" };
        lines.push(format!(
            "{:>8}  {:<5}  {:08x}  {}{leaf}{main}",
            f.size,
            kind_name(f.kind),
            f.crc,
            "  ".repeat(parts.len())
        ));
    }
    lines
}

/// `p14p ls`.
pub async fn ls(conn: &Connection) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    for line in tree_lines(&session.store_list().await?) {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Files under `root` (a few levels deep, build output left out) whose
/// path ends with the store name `name`: where its source may be.
fn candidates(root: &Path, name: &str) -> Vec<(PathBuf, Local)> {
    let mut found = Vec::new();
    let exact = root.join(name);
    if exact.is_file() {
        found.push((
            root.to_path_buf(),
            Local {
                path: exact,
                name: name.to_string(),
            },
        ));
    }
    let Ok(all) = local_files(root) else {
        return found;
    };
    let suffix = format!("/{name}");
    for f in all {
        if f.name.starts_with("target/") || !f.name.ends_with(&suffix) {
            continue;
        }
        let base = &f.name[..f.name.len() - name.len()];
        found.push((
            root.join(base),
            Local {
                path: f.path,
                name: name.to_string(),
            },
        ));
    }
    found
}

/// The local source of the stored image `f`: a `.py` under `root` that
/// compiles (as `sync` compiles it) to exactly the stored bytes.
pub fn find_source(session: &Session, root: &Path, f: &StoredFile) -> Option<PathBuf> {
    for (dir, local) in candidates(root, &f.name) {
        let Ok(Ok(p)) = prepare_local(session, &dir, &local) else {
            continue;
        };
        if p.bytes.len() as u32 == f.size && content_crc(&p.bytes) == f.crc {
            return Some(local.path);
        }
    }
    None
}

/// `p14p cat NAME [--source DIR]`.
pub async fn cat(
    name: &str,
    source: Option<&Path>,
    conn: &Connection,
) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let files = session.store_list().await?;
    let f = files
        .iter()
        .find(|f| f.name == name)
        .ok_or_else(|| format!("no file {name} on the device"))?;
    if f.kind == FileKind::Image {
        let root = source.unwrap_or(Path::new("."));
        let Some(path) = find_source(session, root, f) else {
            return Err(format!(
                "{name} is a compiled image ({} bytes); the device keeps no source, and no \
                 file under {} compiles to it (give the folder it was pushed from with --source)",
                f.size,
                root.display()
            )
            .into());
        };
        eprintln!(
            "p14p: {name} is a compiled image; its source is {}",
            path.display()
        );
        let text = std::fs::read(&path)?;
        std::io::stdout().write_all(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    let bytes = session.store_read(name, f.size).await?;
    std::io::stdout().write_all(&bytes)?;
    Ok(ExitCode::SUCCESS)
}

/// `p14p rm [-r] NAME…`.
pub async fn rm(names: &[String], recursive: bool, conn: &Connection) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let files = session.store_list().await?;
    for n in names {
        let folder = format!("{}/", n.trim_end_matches('/'));
        let inside: Vec<&str> = files
            .iter()
            .map(|f| f.name.as_str())
            .filter(|f| f.starts_with(&folder))
            .collect();
        if files.iter().any(|f| &f.name == n) && !n.ends_with('/') {
            session
                .store_remove(n)
                .await
                .map_err(|e| format!("{n}: {e}"))?;
        } else if inside.is_empty() {
            return Err(format!("{n}: no such file or folder on the device").into());
        } else if !recursive {
            return Err(format!("{n} is a folder (remove it with rm -r)").into());
        } else {
            for name in inside {
                session
                    .store_remove(name)
                    .await
                    .map_err(|e| format!("{name}: {e}"))?;
                println!("removed {name}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `p14p mkdir NAME…`: a folder marker each (see the module docs).
pub async fn mkdir(names: &[String], conn: &Connection) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    for n in names {
        let marker = format!("{}/", n.trim_end_matches('/'));
        session
            .store_put(&marker, FileKind::Data, &[], |_| {})
            .await
            .map_err(|e| format!("{n}: {e}"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A `cp` operand: `:NAME` is on the device (as mpremote writes it).
fn on_device(operand: &str) -> Option<&str> {
    operand.strip_prefix(':')
}

/// `p14p cp SRC DST`: one side on the device (`:NAME`), one on the host.
pub async fn cp(src: &str, dst: &str, conn: &Connection) -> Result<ExitCode, Failure> {
    match (on_device(src), on_device(dst)) {
        (None, Some(to)) => {
            let path = Path::new(src);
            let file = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| format!("{src}: not a file"))?;
            // `:` or `:lib/`: keep the file's own name.
            let name = if to.is_empty() || to.ends_with('/') {
                format!("{to}{file}")
            } else {
                to.to_string()
            };
            let session = conn.session().await?;
            let mut target = target_for(session.info(), false);
            target.local = path.parent().map(Path::to_path_buf);
            target.package = name.rsplit_once('/').map(|(d, _)| d.replace('/', "."));
            let Some(p) = super::deploy::printed(prepare_with(path, name, &target)?) else {
                return Ok(ExitCode::FAILURE);
            };
            let n = put(session, &p).await?;
            println!("{src} -> :{} ({n} bytes)", p.name);
            Ok(ExitCode::SUCCESS)
        }
        (Some(from), None) => {
            let session = conn.session().await?;
            let files = session.store_list().await?;
            let f = files
                .iter()
                .find(|f| f.name == from)
                .ok_or_else(|| format!("no file {from} on the device"))?;
            let mut out = PathBuf::from(dst);
            if out.is_dir() {
                out = out.join(from.rsplit('/').next().unwrap_or(from));
            }
            if f.kind == FileKind::Image && out.extension().is_none_or(|e| e != "p14i") {
                return Err(format!(
                    "{from} is a compiled image; the device keeps no source (copy it to a \
                     .p14i file to get the image, or see `p14p cat {from}`)"
                )
                .into());
            }
            let bytes = session.store_read(from, f.size).await?;
            std::fs::write(&out, &bytes)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            println!(":{from} -> {} ({} bytes)", out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        (Some(_), Some(_)) => Err("cp copies between the host and the device; \
             both operands are on the device"
            .into()),
        (None, None) => Err("cp needs one operand on the device, written :NAME".into()),
    }
}

/// `p14p sha256sum NAME…`: the SHA-256 of each stored file's bytes (an
/// image's, for a `.py`), as `sha256sum` prints it.
pub async fn sha256sum(names: &[String], conn: &Connection) -> Result<ExitCode, Failure> {
    let session = conn.session().await?;
    let files = session.store_list().await?;
    for n in names {
        let f = files
            .iter()
            .find(|f| &f.name == n)
            .ok_or_else(|| format!("no file {n} on the device"))?;
        let bytes = session.store_read(n, f.size).await?;
        println!("{}  {n}", crate::sha256::hex(&bytes));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, size: u32, main: bool) -> StoredFile {
        StoredFile {
            name: name.into(),
            kind: if name.ends_with(".py") {
                FileKind::Image
            } else {
                FileKind::Data
            },
            size,
            crc: size,
            main,
        }
    }

    #[test]
    fn the_listing_is_a_tree() {
        let files = [
            file("main.py", 120, true),
            file("lib/util.py", 80, false),
            file("lib/__init__.py", 30, false),
            file("lib/deep/x.py", 40, false),
            file("empty/", 0, false),
            file("zz.txt", 3, false),
        ];
        let text = tree_lines(&files).join("\n");
        insta::assert_snapshot!(text);
    }
}
