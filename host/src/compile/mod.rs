//! Python source → p14p image. (Interface; the compiler fills it in.)

use crate::diag::Diagnostic;

/// What the compiler may assume of the target device.
#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Interactive input: expression statements echo their repr (`PRINT_EXPR`).
    pub repl: bool,
    /// The device has floats.
    pub floats: bool,
    /// The device has arbitrary-precision ints.
    pub bigint: bool,
    /// Native modules the device provides: (module, [functions]).
    pub natives: Vec<(String, Vec<String>)>,
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
}

impl DebugInfo {
    /// The 1-based source line of instruction `pc` in code object `code`.
    pub fn line_of(&self, code: u16, pc: u16) -> Option<u32> {
        let lines = &self.codes.get(code as usize)?.lines;
        let i = lines.partition_point(|&(p, _)| p <= pc);
        lines.get(i.checked_sub(1)?).map(|&(_, l)| l)
    }
}

/// Compiles `source` (named `filename` in messages) for `target`.
pub fn compile(source: &str, filename: &str, target: &Target) -> Result<Compiled, Vec<Diagnostic>> {
    let _ = (source, filename, target);
    Err(vec![Diagnostic::error(
        "the compiler is not written yet",
        0..0,
    )])
}
