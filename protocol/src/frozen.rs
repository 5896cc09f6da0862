//! What the library's modules (`lib/*.py`) need of a firmware. One list
//! for both sides: the host compiles each module with exactly these
//! features on (so that the compiler refuses anything else in it); a
//! firmware without a feature leaves the frozen modules that need it out
//! of its copy of the blob, and the host refuses to store a carried one
//! on it (a diagnostic at the import).

/// Modules that make or read bytes (the device's feature `bytes`).
pub const NEEDS_BYTES: [&[u8]; 7] = [
    b"_bytes",
    b"_int",
    b"_memoryview",
    b"binascii",
    b"io",
    b"json",
    b"struct",
];

/// Modules that use floats (the device's feature `float`).
pub const NEEDS_FLOAT: [&[u8]; 4] = [b"_complex", b"_math", b"json", b"struct"];

/// True if `list` holds `name` (usable in `const` code: the device filters
/// its blob at compile time).
pub const fn lists(list: &[&[u8]], name: &[u8]) -> bool {
    let mut k = 0;
    while k < list.len() {
        let want = list[k];
        let mut same = want.len() == name.len();
        let mut i = 0;
        while same && i < name.len() {
            same = want[i] == name[i];
            i += 1;
        }
        if same {
            return true;
        }
        k += 1;
    }
    false
}

/// The blob's entry header: the module name's length (low 7 bits), and
/// [`STATELESS`].
pub const NAME_LEN: u8 = 0x7F;

/// Flag in an entry's name-length byte: the module keeps no state (its
/// top level defines functions and immutable constants only, which the
/// freezer checks), so the device may drop it when a collection finds
/// nothing else referring to it, and load it again on its next use: a
/// library module costs heap only while it is used.
pub const STATELESS: u8 = 0x80;
