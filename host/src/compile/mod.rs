//! Python source → p14p image.
//!
//! ```text
//! source ─ ruff parser ─► AST ─ scope ─► symbol table ─ codegen (+ emit) ─► image
//!                          │                                   └─► DebugInfo (host only)
//!                          └─ syntax errors / unsupported constructs ─► Diagnostics
//! ```
//!
//! | module          | what |
//! |-----------------|------|
//! | [`scope`]       | symbol table: local / global / free / cell per scope |
//! | [`emit`]        | assembler: labels, stack depth, handler ranges, lines |
//! | `codegen`       | statements and expressions → instructions |
//! | [`unsupported`] | constructs the device rejects, with What/Why/Instead |
//! | [`dis`]         | the disassembler behind `p14p dis` |
//! | [`imports`]     | the modules a program imports |
//! | [`packages`]    | package folders, dotted and relative imports |
//! | [`star`]        | `from m import *`, resolved on the host |

pub mod dis;
pub mod emit;
pub mod imports;
pub mod packages;
pub mod scope;
pub mod size;
pub mod star;
pub mod unsupported;

mod codegen;
mod incomplete;

pub use imports::Import;
pub use incomplete::is_incomplete;

use crate::diag::Diagnostic;
use ruff_python_ast::token::TokenKind;
use ruff_python_ast::PythonVersion;
use ruff_python_parser::{Mode, ParseErrorType, ParseOptions};
use ruff_text_size::TextRange;

/// What the compiler may assume of the target device.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Interactive input: expression statements echo their repr (`PRINT_EXPR`).
    pub repl: bool,
    /// The device has floats.
    pub floats: bool,
    /// The device has arbitrary-precision ints.
    pub bigint: bool,
    /// The device has `bytes` and `bytearray`.
    pub bytes: bool,
    /// Native modules the device provides: (module, its functions).
    pub natives: Vec<(String, Vec<String>)>,
    /// The port's own native modules (a `board`), with each function's
    /// declaration: the compiler checks every call of one.
    pub port_modules: Vec<(String, Vec<NativeSig>)>,
    /// The program's directory: `from M import *` reads the names of a
    /// module M.py there ([`star`]). `None`: only native and library
    /// modules are seen.
    pub local: Option<std::path::PathBuf>,
    /// The package the source is a module of (`a` for `a/b.py` and for
    /// `a/__init__.py`): what relative imports are relative to
    /// ([`packages`]). `None`: a top-level module or the program.
    pub package: Option<String>,
}

/// A port's native function as its manifest declares it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NativeSig {
    /// Its name.
    pub name: String,
    /// Fewest positional arguments.
    pub min: u8,
    /// Most positional arguments.
    pub max: u8,
    /// Its argument types, one letter each (`NativeFunction::typed`),
    /// `|` before the optional ones; empty when undeclared.
    pub signature: String,
}

impl Target {
    /// A target with every optional feature (floats, big ints, bytes) and no
    /// native modules, for compiling without asking any device (the
    /// compiler's own tests). `p14p compile` asks the simulator instead
    /// (`program::offline_target`).
    pub fn full() -> Self {
        Target {
            repl: false,
            floats: true,
            bigint: true,
            bytes: true,
            natives: Vec::new(),
            port_modules: Vec::new(),
            local: None,
            package: None,
        }
    }
}

/// One compiled module: the image for the device, the debug info for the host.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The image bytes (see `p14p_protocol::image`).
    pub image: Vec<u8>,
    /// The image hash (as in its header).
    pub hash: u32,
    /// Host-side debug info: never sent to the device.
    pub debug: DebugInfo,
    /// The modules it imports, in source order (see [`imports`]).
    pub imports: Vec<Import>,
}

/// Per-image debug info, used to turn device tracebacks into source lines.
#[derive(Debug, Clone, Default)]
pub struct DebugInfo {
    /// File name as given to the compiler.
    pub filename: String,
    /// The source text.
    pub source: String,
    /// Per code object (by index): its qualified name and its pc → line map.
    pub codes: Vec<CodeDebug>,
}

/// Debug info of one code object.
#[derive(Debug, Clone, Default)]
pub struct CodeDebug {
    /// Name as Python shows it in tracebacks (`<module>`, `f`, `<lambda>`, `<listcomp>`).
    pub name: String,
    /// Sorted `(pc, line)` pairs: the instruction at `pc` and after (until the
    /// next entry) comes from 1-based `line`.
    pub lines: Vec<(u16, u32)>,
    /// The name of every local slot: the image names only the parameter
    /// slots (an error about another names it by number, `trace` by name).
    pub slots: Vec<String>,
}

impl DebugInfo {
    /// The 1-based source line of instruction `pc` in code object `code`.
    pub fn line_of(&self, code: u16, pc: u16) -> Option<u32> {
        let lines = &self.codes.get(code as usize)?.lines;
        let i = lines.partition_point(|&(p, _)| p <= pc);
        lines.get(i.checked_sub(1)?).map(|&(_, l)| l)
    }

    /// The text of 1-based source line `line` (without its newline).
    pub fn source_line(&self, line: u32) -> Option<&str> {
        self.source.lines().nth((line as usize).checked_sub(1)?)
    }
}

fn range(r: TextRange) -> std::ops::Range<usize> {
    r.start().to_usize()..r.end().to_usize()
}

/// ruff's messages start with a capital; rustc-style messages do not
/// (unless the first word is an acronym or a name like `IPython`).
fn lower_first(msg: &str) -> String {
    let mut c = msg.chars();
    match (c.next(), c.next()) {
        (Some(a), Some(b)) if a.is_ascii_uppercase() && !b.is_ascii_uppercase() => {
            a.to_ascii_lowercase().to_string() + &msg[1..]
        }
        _ => msg.to_string(),
    }
}

/// Parses `source`: the module body, or the syntax errors as diagnostics
/// (the first error only: later ones are usually its echoes).
pub fn parse(source: &str) -> Result<ruff_python_ast::ModModule, Vec<Diagnostic>> {
    let options = ParseOptions::from(Mode::Module).with_target_version(PythonVersion::PY311);
    let parsed = ruff_python_parser::parse_unchecked(source, options);
    if let Some(e) = parsed.errors().first() {
        if let Some(d) = unclosed_bracket(&parsed) {
            return Err(vec![d]);
        }
        let mut span = range(e.location);
        let text = source.get(span.clone()).unwrap_or("");
        if matches!(e.error, ParseErrorType::UnexpectedIndentation) || text.trim().is_empty() {
            // ruff points at the indentation itself; point at what is
            // indented instead (the rest of the line).
            let line_end = source[span.start..]
                .find('\n')
                .map_or(source.len(), |i| span.start + i);
            let rest = &source[span.start..line_end];
            let start = span.start + (rest.len() - rest.trim_start().len());
            if start < line_end {
                span = start..span.start + rest.trim_end().len();
            }
        }
        return Err(vec![Diagnostic::error(
            lower_first(&e.error.to_string()),
            span,
        )]);
    }
    if let Some(e) = parsed.unsupported_syntax_errors().first() {
        return Err(vec![Diagnostic::error(
            lower_first(&e.to_string()),
            range(e.range),
        )]);
    }
    match parsed.try_into_module() {
        Some(m) => Ok(m.into_syntax()),
        None => Err(vec![Diagnostic::error("not a module", 0..0)]),
    }
}

/// CPython's `'(' was never closed`: a bracket still open at the end of
/// the input explains the error better than where the parser gave up.
fn unclosed_bracket<T>(parsed: &ruff_python_parser::Parsed<T>) -> Option<Diagnostic> {
    let mut open: Vec<(TokenKind, TextRange)> = Vec::new();
    for t in parsed.tokens().iter() {
        match t.kind() {
            TokenKind::Lpar | TokenKind::Lsqb | TokenKind::Lbrace => open.push(t.as_tuple()),
            TokenKind::Rpar | TokenKind::Rsqb | TokenKind::Rbrace => {
                open.pop();
            }
            _ => {}
        }
    }
    let (kind, at) = open.pop()?;
    let c = match kind {
        TokenKind::Lpar => '(',
        TokenKind::Lsqb => '[',
        _ => '{',
    };
    Some(Diagnostic::error(
        format!("'{c}' was never closed"),
        range(at),
    ))
}

/// Compiles the source a running program gave `eval` (`eval`: an
/// expression, whose value the code returns) or `exec` (a module body)
/// for `target`: its names by name (the namespace the device runs it in,
/// then the globals, then the builtins), as CPython's. Named `<string>`,
/// as CPython names it. The error is `SyntaxError`'s text, as CPython's
/// `str()` of it reads (`invalid syntax (<string>, line 1)`).
pub fn compile_dynamic(source: &str, eval: bool, target: &Target) -> Result<Compiled, String> {
    const NAME: &str = "<string>";
    // `eval` ignores leading blanks, as CPython's.
    let source = if eval {
        source.trim_start_matches([' ', '\t'])
    } else {
        source
    };
    let syntax = |d: &[Diagnostic]| match d.first() {
        Some(d) => {
            let line = source[..d.span.start.min(source.len())]
                .matches('\n')
                .count()
                + 1;
            format!("{} ({NAME}, line {line})", d.message)
        }
        None => format!("invalid syntax ({NAME}, line 1)"),
    };
    let mut body = if eval {
        let parsed = ruff_python_parser::parse_expression(source).map_err(|e| {
            let d = Diagnostic::error(lower_first(&e.error.to_string()), range(e.location));
            syntax(&[d])
        })?;
        let value = parsed.into_syntax().body;
        let range = ruff_text_size::Ranged::range(&*value);
        vec![ruff_python_ast::Stmt::Expr(ruff_python_ast::StmtExpr {
            node_index: Default::default(),
            range,
            value,
        })]
    } else {
        parse(source)
            .map_err(|d| syntax(&d))?
            .body
            .into_iter()
            .collect()
    };
    packages::absolute(&mut body, target).map_err(|d| syntax(&d))?;
    star::expand(&mut body, target).map_err(|d| syntax(&d))?;
    let scopes = scope::ScopeTable::build(&body).map_err(|d| syntax(&d))?;
    let (image, codes) = codegen::Codegen::new(source, target, &scopes)
        .dynamic(eval)
        .module(&body)
        .map_err(|d| syntax(&d))?;
    let hash = p14p_protocol::image::fnv1a(&image[16..]);
    Ok(Compiled {
        imports: imports::imports(&body, target),
        image,
        hash,
        debug: DebugInfo {
            filename: NAME.into(),
            source: source.into(),
            codes,
        },
    })
}

/// Compiles `source` (named `filename` in messages) for `target`.
pub fn compile(source: &str, filename: &str, target: &Target) -> Result<Compiled, Vec<Diagnostic>> {
    let mut module = parse(source)?;
    packages::absolute(&mut module.body, target)?;
    star::expand(&mut module.body, target)?;
    let scopes = scope::ScopeTable::build(&module.body)?;
    let (image, codes) = codegen::Codegen::new(source, target, &scopes).module(&module.body)?;
    let hash = p14p_protocol::image::fnv1a(&image[16..]);
    Ok(Compiled {
        imports: imports::imports(&module.body, target),
        image,
        hash,
        debug: DebugInfo {
            filename: filename.into(),
            source: source.into(),
            codes,
        },
    })
}
