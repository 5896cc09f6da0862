//! Snapshots: the disassembly of small fixtures (`fixtures/dis/*.py`) and
//! the rendered diagnostics of rejected programs (`fixtures/errors/*.py`).
//! Review changes with `cargo insta review`.

use p14p::compile::{compile, dis::disassemble, Target};
use std::path::Path;

fn fixture(dir: &str, name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(name);
    std::fs::read_to_string(p).unwrap()
}

fn dis(name: &str) -> String {
    let src = fixture("dis", name);
    let c = compile(&src, name, &Target::full()).unwrap_or_else(|d| {
        panic!(
            "{}",
            d.iter().map(|d| d.render(name, &src)).collect::<String>()
        )
    });
    disassemble(&c)
}

fn errors(name: &str, target: &Target) -> String {
    let src = fixture("errors", name);
    match compile(&src, name, target) {
        Ok(_) => panic!("{name} compiled"),
        Err(d) => d.iter().map(|d| d.render(name, &src)).collect(),
    }
}

macro_rules! dis_snapshots {
    ($($test:ident => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!(dis($file));
        }
    )*};
}

dis_snapshots! {
    dis_basics => "basics.py",
    dis_functions => "functions.py",
    dis_exceptions => "exceptions.py",
    dis_classes => "classes.py",
}

macro_rules! error_snapshots {
    ($($test:ident => $file:literal,)*) => {$(
        #[test]
        fn $test() {
            insta::assert_snapshot!(errors($file, &Target::full()));
        }
    )*};
}

error_snapshots! {
    error_indent => "indent.py",
    error_async => "async.py",
    error_match => "match.py",
    error_global_after_use => "global_after_use.py",
    error_star_import => "star_import.py",
    error_unclosed => "unclosed.py",
    error_break_outside => "break_outside.py",
    error_nonlocal_unbound => "nonlocal_unbound.py",
}

#[test]
fn error_float_literal_without_floats() {
    let no_floats = Target {
        floats: false,
        ..Target::full()
    };
    insta::assert_snapshot!(errors("float_literal.py", &no_floats));
}

#[test]
fn error_bytes_literal_without_bytes() {
    let no_bytes = Target {
        bytes: false,
        ..Target::full()
    };
    insta::assert_snapshot!(errors("bytes_literal.py", &no_bytes));
}

#[test]
fn repl_echoes_expression_statements() {
    let repl = Target {
        repl: true,
        ..Target::full()
    };
    let c = compile("1 + 1\nx = 2\nx\n", "<stdin>", &repl).unwrap();
    let d = disassemble(&c);
    assert_eq!(d.matches("PRINT_EXPR").count(), 2, "{d}");
    let c = compile("1 + 1\n", "a.py", &Target::full()).unwrap();
    assert!(!disassemble(&c).contains("PRINT_EXPR"));
}

#[test]
fn debug_info_maps_pcs_to_lines() {
    let c = compile("x = 1\n\ny = x\n", "a.py", &Target::full()).unwrap();
    assert_eq!(c.debug.codes[0].name, "<module>");
    assert_eq!(c.debug.line_of(0, 0), Some(1));
    // LOAD_INT (3 bytes) + STORE_GLOBAL (3 bytes): line 3 starts at pc 6.
    assert_eq!(c.debug.line_of(0, 6), Some(3));
}
