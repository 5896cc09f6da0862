//! Where an image's bytes go: `p14p compile --size` and the density
//! report (`scripts/density.sh`) print it, part by part, so a change to
//! the format or the compiler shows what it saved.

use p14p_protocol::image::Image;
use p14p_protocol::opcode::instructions;

/// An image's bytes by part; the parts add up to the image's length.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// The fixed header.
    pub header: usize,
    /// The table of code record offsets.
    pub code_table: usize,
    /// The names (length bytes and text).
    pub names: usize,
    /// The constants.
    pub consts: usize,
    /// The code records' fixed parts.
    pub code_headers: usize,
    /// The cell tables.
    pub cells: usize,
    /// The slot-name tables.
    pub slot_names: usize,
    /// Opcode bytes.
    pub opcodes: usize,
    /// Operand bytes.
    pub operands: usize,
    /// Handler tables.
    pub handlers: usize,
}

impl Breakdown {
    /// The parts as `(name, bytes)`, in image order.
    pub fn parts(&self) -> [(&'static str, usize); 10] {
        [
            ("header", self.header),
            ("code table", self.code_table),
            ("names", self.names),
            ("constants", self.consts),
            ("code headers", self.code_headers),
            ("cells", self.cells),
            ("slot names", self.slot_names),
            ("opcodes", self.opcodes),
            ("operands", self.operands),
            ("handlers", self.handlers),
        ]
    }

    /// The sum of the parts.
    pub fn total(&self) -> usize {
        self.parts().iter().map(|p| p.1).sum()
    }
}

/// The breakdown of a well-formed image (`None` if it does not parse).
pub fn breakdown(bytes: &[u8]) -> Option<Breakdown> {
    let img = Image::parse(bytes).ok()?;
    let s = img.sections();
    let mut b = Breakdown {
        header: s.header.len(),
        code_table: s.code_table.len(),
        names: s.names.len(),
        consts: s.consts.len(),
        ..Breakdown::default()
    };
    for i in 0..img.n_codes {
        let c = img.code(i).ok()?;
        b.cells += c.cells.len();
        let slots = c.slot_names_len();
        b.slot_names += slots;
        b.code_headers += c.code_offset - c.offset - c.cells.len();
        for ins in instructions(c.code) {
            let ins = ins.ok()?;
            b.opcodes += 1;
            b.operands += ins.operand_len as usize;
        }
        b.handlers += c.handlers_len();
    }
    Some(b)
}

/// The breakdown as text: one line a part, then the total.
pub fn render(b: &Breakdown) -> String {
    let mut out = String::new();
    for (name, n) in b.parts() {
        out += &format!("  {name:<13}{n:>6}\n");
    }
    out += &format!("  {:<13}{:>6}\n", "total", b.total());
    out
}
