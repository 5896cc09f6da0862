//! The library: the Python in `lib/`, frozen into the firmware or carried
//! by the host.
//!
//! *Frozen* modules ([`SOURCES`]) are in every firmware: the cold methods
//! and builtins the device's native code falls back on, and the library
//! halves of the native modules every program may use (`_time`, `_sys`).
//! *Carried* modules ([`CARRIED`]: whole modules such as `struct`, and
//! `_math`) are compiled the same way but left out of the firmware; the
//! host stores one on the device the first time a program imports it, so
//! a module costs flash only on the boards whose programs use it.
//!
//! Each `lib/NAME.py` holds cold methods of builtin type NAME (plain
//! functions taking `self` first) and becomes the device module `_NAME`;
//! each `lib/builtins/*.py` holds cold builtin functions and becomes the
//! module `_b:` followed by their names, `:`-separated (so the device
//! finds a builtin's module from the blob's entry names alone). A type's
//! methods may be split the same way: `lib/NAME_PART.py` becomes `_NAME:`
//! and its methods' names (`_str:ljust:rjust:center:zfill`), found before
//! `_NAME`, so that a program using one loads only that module's few.
//! The host compiles them with its own compiler into one blob,
//! `device/frozen/library.bin`, which the device crate includes in every
//! firmware (`device/src/vm/frozen.rs`). The blob is committed: the
//! firmware build needs no compiler, and `library_blob_is_fresh` (below)
//! fails when it no longer matches `lib/`. Regenerate it with
//! `cargo run -p p14p -- freeze`.
//!
//! Blob layout, one entry per module: name length (1 byte), the name, the
//! image length (u32 little-endian), the image.
//!
//! The host keeps the images' debug info (keyed by hash, as for user
//! modules), so errors raised in library code get tracebacks with
//! `lib/NAME.py` lines.

use crate::compile::{self, Compiled, DebugInfo, Target};
use p14p_protocol::frozen::{NAME_LEN, STATELESS};
use std::sync::OnceLock;

/// `(module name, file name, source)` of every frozen library module: the
/// ones in every firmware's blob.
pub const SOURCES: [(&str, &str, &str); 16] = [
    // Builtin functions: the module's name is `_b:` and the builtins it
    // defines (the device finds a builtin's module by its name without
    // loading anything; `builtin_modules_name_their_functions` checks it).
    (
        "_b:bin:divmod:hex:oct",
        "lib/builtins/ints.py",
        include_str!("../../lib/builtins/ints.py"),
    ),
    (
        "_b:filter:reversed",
        "lib/builtins/iters.py",
        include_str!("../../lib/builtins/iters.py"),
    ),
    (
        "_b:dir:vars",
        "lib/builtins/names.py",
        include_str!("../../lib/builtins/names.py"),
    ),
    (
        "_b:pow",
        "lib/builtins/pow.py",
        include_str!("../../lib/builtins/pow.py"),
    ),
    ("_bytes", "lib/bytes.py", include_str!("../../lib/bytes.py")),
    ("_dict", "lib/dict.py", include_str!("../../lib/dict.py")),
    ("_int", "lib/int.py", include_str!("../../lib/int.py")),
    ("_list", "lib/list.py", include_str!("../../lib/list.py")),
    (
        "_special",
        "lib/special.py",
        include_str!("../../lib/special.py"),
    ),
    (
        "_machine",
        "lib/machine.py",
        include_str!("../../lib/machine.py"),
    ),
    ("_str", "lib/str.py", include_str!("../../lib/str.py")),
    // Some of a type's methods in a module of their own: `_str:` and the
    // methods it defines (found by name, as the builtins' modules are), so
    // that using one loads only its few.
    (
        "_str:ljust:rjust:center:zfill",
        "lib/str_pad.py",
        include_str!("../../lib/str_pad.py"),
    ),
    ("_case", "lib/case.py", include_str!("../../lib/case.py")),
    (
        "_format",
        "lib/format.py",
        include_str!("../../lib/format.py"),
    ),
    // Library halves of native modules (`time.ticks_diff` is `_time`'s).
    ("_sys", "lib/sys.py", include_str!("../../lib/sys.py")),
    ("_time", "lib/time.py", include_str!("../../lib/time.py")),
];

/// `(module name, file name, source)` of every *carried* library module:
/// compiled by the host like the frozen ones, but left out of the
/// firmware. The host stores one on the device (`NAME.py`, kept across
/// resets, executed in place) the first time a program imports it
/// ([`crate::program::store_library`]), so a module costs flash only on
/// a board whose programs use it. Whole modules, `_math`, the library
/// half of the native `math` (stored when a program imports `math`), and
/// `_i2c`, `_spi`, `_uart`, the bus classes `machine`'s half serves
/// lazily ([`LAZY`]), and `_complex`, `_memoryview`, the builtin classes
/// of [`BUILTIN_CLASSES`].
pub const CARRIED: [(&str, &str, &str); 16] = [
    ("array", "lib/array.py", include_str!("../../lib/array.py")),
    (
        "asyncio",
        "lib/asyncio.py",
        include_str!("../../lib/asyncio.py"),
    ),
    (
        "binascii",
        "lib/binascii.py",
        include_str!("../../lib/binascii.py"),
    ),
    (
        "collections",
        "lib/collections.py",
        include_str!("../../lib/collections.py"),
    ),
    ("errno", "lib/errno.py", include_str!("../../lib/errno.py")),
    ("io", "lib/io.py", include_str!("../../lib/io.py")),
    ("json", "lib/json.py", include_str!("../../lib/json.py")),
    (
        "micropython",
        "lib/micropython.py",
        include_str!("../../lib/micropython.py"),
    ),
    (
        "random",
        "lib/random.py",
        include_str!("../../lib/random.py"),
    ),
    (
        "struct",
        "lib/struct.py",
        include_str!("../../lib/struct.py"),
    ),
    ("_math", "lib/math.py", include_str!("../../lib/math.py")),
    // `machine.I2C`, `SPI`, `UART`: what a program using only `Pin` (or
    // another bus) neither stores nor loads.
    ("_i2c", "lib/i2c.py", include_str!("../../lib/i2c.py")),
    ("_spi", "lib/spi.py", include_str!("../../lib/spi.py")),
    ("_uart", "lib/uart.py", include_str!("../../lib/uart.py")),
    // Builtin classes the device has no native code for.
    (
        "_complex",
        "lib/complex.py",
        include_str!("../../lib/complex.py"),
    ),
    (
        "_memoryview",
        "lib/memoryview.py",
        include_str!("../../lib/memoryview.py"),
    ),
];

/// `(builtin name, carried module)`: builtins that are classes of a
/// carried module rather than the device's. Where a load of the name
/// reaches the builtin, the compiler loads it from the module instead
/// (`IMPORT_NAME module; LOAD_ATTR name`), and a program naming it needs
/// the module (`compile::imports`), which the host stores on first use:
/// no device code, and flash only where a program uses them. A literal
/// such as `2j` is a call of `complex`. `complex` needs floats and
/// `memoryview` bytes; a firmware without them has no such builtin.
pub const BUILTIN_CLASSES: [(&str, &str); 2] =
    [("complex", "_complex"), ("memoryview", "_memoryview")];

/// The carried module serving builtin `name` on `target` ([`BUILTIN_CLASSES`]),
/// if any: none when the firmware lacks a feature the module needs.
pub fn builtin_class(name: &str, target: &Target) -> Option<&'static str> {
    let (_, module) = BUILTIN_CLASSES.iter().find(|(n, _)| *n == name)?;
    let needs = |list: &[&[u8]]| p14p_protocol::frozen::lists(list, module.as_bytes());
    let lacks = (needs(&p14p_protocol::frozen::NEEDS_FLOAT) && !target.floats)
        || (needs(&p14p_protocol::frozen::NEEDS_BYTES) && !target.bytes);
    (!lacks).then_some(*module)
}

/// `(native module, carried module)`: the carried module's public names
/// are attributes of the native module, served by its library half's
/// `__getattr__` (PEP 562), which imports the carried module the first
/// time a program asks for one. `machine`'s bus classes live so, one
/// module each (`lib/i2c.py`, `spi.py`, `uart.py`): `from machine import
/// Pin` loads `_machine` alone (1,204 bytes of heap, not 4,868 with the
/// buses beside `Pin`), `from machine import I2C` adds `_i2c` alone, and
/// the host stores a bus module only for a program that names its class
/// ([`lazy`], `compile::imports`).
pub const LAZY: [(&str, &str); 3] = [
    ("machine", "_i2c"),
    ("machine", "_spi"),
    ("machine", "_uart"),
];

/// The carried module that serves attribute `name` of native module
/// `module` lazily ([`LAZY`]), if any.
pub fn lazy(module: &str, name: &str) -> Option<&'static str> {
    LAZY.iter()
        .find(|(m, c)| *m == module && lazy_names(c).iter().any(|n| n == name))
        .map(|(_, c)| *c)
}

/// The public names of the carried module `module` serves lazily.
pub fn lazy_names(module: &str) -> Vec<String> {
    module_names(module)
        .into_iter()
        .filter(|n| !n.starts_with('_'))
        .collect()
}

/// Every library module's `(name, file, source)`: the frozen ones, then
/// the carried ones.
fn all() -> impl Iterator<Item = &'static (&'static str, &'static str, &'static str)> {
    SOURCES.iter().chain(CARRIED.iter())
}

/// Where the blob lives, from the repository root.
pub const BLOB_PATH: &str = "device/frozen/library.bin";

/// The target module `name` is compiled for: no optional feature but
/// those it needs ([`p14p_protocol::frozen`]), so that its image runs on
/// every firmware that keeps it (a firmware without a feature leaves out
/// the modules that need it).
fn target(name: &str) -> Target {
    let needs = |list: &[&[u8]]| p14p_protocol::frozen::lists(list, name.as_bytes());
    Target {
        floats: needs(&p14p_protocol::frozen::NEEDS_FLOAT),
        bytes: needs(&p14p_protocol::frozen::NEEDS_BYTES),
        ..Target::default()
    }
}

/// The library compiled (once per process): module name and image, the
/// frozen modules first (in blob order), then the carried ones.
pub fn compiled() -> &'static [(&'static str, Compiled)] {
    static C: OnceLock<Vec<(&'static str, Compiled)>> = OnceLock::new();
    C.get_or_init(|| {
        all()
            .map(|&(name, file, src)| {
                let c = compile::compile(src, file, &target(name))
                    .unwrap_or_else(|d| panic!("{file} does not compile: {d:?}"));
                (name, c)
            })
            .collect()
    })
}

/// The blob the firmware includes: the frozen modules, each flagged
/// [`STATELESS`] when [`stateless`] says so.
pub fn blob() -> Vec<u8> {
    let mut out = Vec::new();
    for ((name, c), (_, _, src)) in compiled().iter().zip(SOURCES.iter()) {
        assert!(
            name.len() as u8 <= NAME_LEN,
            "library module name too long: {name}"
        );
        let flag = if stateless(src) { STATELESS } else { 0 };
        out.push(name.len() as u8 | flag);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(c.image.len() as u32).to_le_bytes());
        out.extend_from_slice(&c.image);
    }
    out
}

/// True if module source `src` keeps no state: its top level only defines
/// functions, imports names and binds immutable constants (numbers, strs,
/// bytes, tuples of them, other names). Such a module, loaded again, is
/// the same module, so the device may drop it between uses
/// ([`STATELESS`]); a class (`_machine`'s `Pin`: its identity matters to
/// `isinstance`) or a list (`_sys`'s `path`, which a program may change)
/// makes it stateful.
pub fn stateless(src: &str) -> bool {
    use ruff_python_ast::{Expr, Stmt};
    fn immutable(e: &Expr) -> bool {
        match e {
            Expr::NumberLiteral(_)
            | Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::Name(_) => true,
            Expr::UnaryOp(u) => immutable(&u.operand),
            Expr::Tuple(t) => t.elts.iter().all(immutable),
            _ => false,
        }
    }
    let Ok(module) = compile::parse(src) else {
        return false;
    };
    module.body.iter().all(|s| match s {
        Stmt::FunctionDef(_) | Stmt::Import(_) | Stmt::ImportFrom(_) => true,
        Stmt::Expr(e) => matches!(*e.value, Expr::StringLiteral(_)),
        Stmt::Assign(a) => immutable(&a.value),
        _ => false,
    })
}

/// The source of library module `name` (frozen or carried), if there is one.
pub fn source(name: &str) -> Option<&'static str> {
    all().find(|&&(n, _, _)| n == name).map(|&(_, _, src)| src)
}

/// True if `name` is a library module, frozen or carried (`import _str`).
pub fn is_module(name: &str) -> bool {
    all().any(|&(n, _, _)| n == name)
}

/// True if `filename` is a library module's file (`lib/array.py`), as its
/// images' debug info names it.
pub fn is_file(filename: &str) -> bool {
    all().any(|&(_, file, _)| file == filename)
}

/// Carried library module `name`, compiled; `None` if `name` is frozen or
/// no library module.
pub fn carried(name: &str) -> Option<(&'static str, &'static Compiled)> {
    compiled()[SOURCES.len()..]
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, c)| (*n, c))
}

/// What a firmware must have for library module `name`: `(floats, bytes)`
/// ([`p14p_protocol::frozen`]).
pub fn needs(name: &str) -> (bool, bool) {
    let t = target(name);
    (t.floats, t.bytes)
}

/// The names library module `name` defines at its top level (functions,
/// classes, assignments, and the names of a one-line `from M import a, b`),
/// in source order: for a native module's library half (`_time`), the
/// attributes the compiler accepts beside the native row's (`from time
/// import ticks_diff`); `_math` names the kernels the device has but its
/// manifest leaves out by importing them. Empty for no such module.
pub fn module_names(name: &str) -> Vec<String> {
    let Some(&(_, _, src)) = all().find(|&&(n, _, _)| n == name) else {
        return Vec::new();
    };
    let imported = src
        .lines()
        .filter_map(|l| l.strip_prefix("from ")?.split_once(" import ").map(|p| p.1))
        .flat_map(|names| names.split(',').map(|n| n.trim().to_string()));
    src.lines()
        .filter_map(|l| {
            let l = l
                .strip_prefix("def ")
                .or(l.strip_prefix("class "))
                .unwrap_or(l);
            let end = l
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(l.len());
            let (id, rest) = l.split_at(end);
            let defined =
                rest.starts_with(['(', ':']) || rest.starts_with(" = ") || rest.starts_with(": ");
            let ident = id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
            (defined && ident).then(|| id.to_string())
        })
        .chain(imported)
        .collect()
}

/// Debug info of library image `hash`.
pub fn debug(hash: u32) -> Option<&'static DebugInfo> {
    compiled()
        .iter()
        .find(|(_, c)| c.hash == hash)
        .map(|(_, c)| &c.debug)
}

#[cfg(test)]
mod tests {
    use super::{NAME_LEN, SOURCES, STATELESS};
    /// The committed blob is what `lib/` compiles to today.
    #[test]
    fn library_blob_is_fresh() {
        let committed = include_bytes!("../../device/frozen/library.bin");
        assert!(
            committed[..] == super::blob()[..],
            "device/frozen/library.bin is stale: run `cargo run -p p14p -- freeze`"
        );
    }

    /// The freezer flags as stateless the modules that define functions
    /// and constants only, and not `_sys` (lists a program may change)
    /// or `_machine` (the `Pin` class, whose identity `isinstance` needs).
    #[test]
    fn stateless_modules_are_flagged() {
        let flagged: Vec<&str> = SOURCES
            .iter()
            .filter(|(_, _, src)| super::stateless(src))
            .map(|(name, _, _)| *name)
            .collect();
        for name in [
            "_str", "_bytes", "_list", "_case", "_special", "_time", "_b:pow",
        ] {
            assert!(flagged.contains(&name), "{name} should be stateless");
        }
        for name in ["_sys", "_machine"] {
            assert!(!flagged.contains(&name), "{name} keeps state");
        }
        assert!(!super::stateless("x = []\ndef f(): pass\n"));
        assert!(!super::stateless("class C: pass\n"));
        assert!(super::stateless(
            "\"doc\"\nK = (1, -2, 'a')\nfrom time import ticks_ms\n"
        ));
        // The flag is the name-length byte's high bit in the blob.
        let blob = super::blob();
        assert_eq!(blob[0] & STATELESS, STATELESS);
        assert_eq!(usize::from(blob[0] & NAME_LEN), SOURCES[0].0.len());
    }

    /// Every library module is found by name, and its debug info by hash.
    #[test]
    fn library_debug_by_hash() {
        for (name, c) in super::compiled() {
            assert!(super::is_module(name));
            assert_eq!(
                super::debug(c.hash).map(|d| &d.filename),
                Some(&c.debug.filename)
            );
        }
        assert!(!super::is_module("_nothing"));
    }

    /// A library half's names are its top-level definitions and imports,
    /// and nothing from inside a body.
    #[test]
    fn module_names_are_the_top_level_definitions() {
        let names = super::module_names("_time");
        for n in ["ticks_add", "ticks_diff", "sleep", "time"] {
            assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
        }
        assert!(!names.iter().any(|x| x == "seconds"), "{names:?}");
        // An imported name is a module attribute too.
        let names = super::module_names("_math");
        for n in ["pi", "floor", "sqrt", "copysign"] {
            assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
        }
        assert!(!names.iter().any(|x| x == "x" || x == "math"), "{names:?}");
        let names = super::module_names("_sys");
        for n in ["argv", "exit", "implementation", "stdout", "version_info"] {
            assert!(names.iter().any(|x| x == n), "{n} in {names:?}");
        }
        assert!(
            !names.iter().any(|x| x == "write" || x == "name"),
            "{names:?}"
        );
        assert!(super::module_names("_nothing").is_empty());
    }

    /// `machine`'s lazy names are the bus modules' classes, one each,
    /// exactly those its half's `__getattr__` (`lib/machine.py`) imports,
    /// and the modules are carried, not frozen.
    #[test]
    fn machine_serves_the_bus_classes_lazily() {
        let (_, _, src) = super::SOURCES.iter().find(|m| m.0 == "_machine").unwrap();
        for (module, class) in [("_i2c", "I2C"), ("_spi", "SPI"), ("_uart", "UART")] {
            assert_eq!(super::lazy_names(module), [class]);
            assert!(
                src.contains(&format!("from {module} import {class}\n")),
                "lib/machine.py's __getattr__ imports {class}"
            );
            assert!(super::carried(module).is_some());
            assert_eq!(super::lazy("machine", class), Some(module));
        }
        assert_eq!(super::lazy("machine", "Pin"), None);
        assert_eq!(super::lazy("time", "I2C"), None);
    }

    /// A builtins module's name lists exactly the public functions its
    /// source defines (the device trusts the name to find them), and so
    /// does a type's split-off module (`_str:ljust:…`).
    #[test]
    fn builtin_modules_name_their_functions() {
        let mut seen = 0;
        for (name, _, src) in super::SOURCES {
            let Some((_, listed)) = name.split_once(':') else {
                continue;
            };
            let defined: Vec<&str> = src
                .lines()
                .filter_map(|l| l.strip_prefix("def "))
                .filter_map(|l| l.split('(').next())
                .filter(|f| !f.starts_with('_'))
                .collect();
            assert_eq!(listed.split(':').collect::<Vec<_>>(), defined, "{name}");
            seen += 1;
        }
        assert!(seen > 4, "the four builtins' modules and _str's split");
    }
}
