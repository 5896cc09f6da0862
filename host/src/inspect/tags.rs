//! Names and short reprs for the device's heap block tags.
//!
//! The device sends bare tag numbers ([`p14p_protocol::heap::tag`], which
//! the device allocates with too); the host owns the names, so the firmware
//! carries no strings for them. An unknown tag (a newer firmware) is shown
//! by number.

use p14p_protocol::heap::{int_layout, str_layout, tag, FREE, LEN};

/// The display name of block tag `t`.
pub fn name(t: u8) -> String {
    let s = match u32::from(t) {
        FREE => "(free)",
        tag::INT => "int",
        tag::FLOAT => "float",
        tag::STR => "str",
        tag::BYTES => "bytes (and bytearray buffers)",
        tag::BYTEARRAY => "bytearray",
        tag::TUPLE => "tuple",
        tag::LIST => "list",
        tag::ARRAY => "array (list items, tables)",
        tag::RAW => "raw (dict index, buffers)",
        tag::DICT => "dict",
        tag::ENTRIES => "dict entries",
        tag::RANGE => "range",
        tag::FUNC => "function",
        tag::CELL => "cell",
        tag::BOUND => "bound method",
        tag::ITER => "iterator",
        tag::RANGE_ITER => "range iterator",
        tag::ENUMERATE => "enumerate",
        tag::ZIP => "zip",
        tag::MAP => "map",
        tag::EXC => "exception",
        tag::GEN => "generator",
        tag::FRAME => "frame",
        tag::IMAGE => "image (code)",
        tag::SLICE => "slice",
        tag::DICTVIEW => "dict view",
        tag::CLASS => "class",
        tag::INST => "instance",
        tag::SUPER => "super",
        tag::WRAP => "method wrapper",
        tag::SET => "set",
        tag::FILE => "file",
        _ => return format!("tag {t}"),
    };
    s.to_string()
}

/// One character per tag for the block map (`.` free).
pub fn glyph(t: u8) -> char {
    match u32::from(t) {
        FREE => '.',
        tag::STR => 's',
        tag::LIST | tag::ARRAY => 'l',
        tag::TUPLE => 't',
        tag::DICT | tag::ENTRIES | tag::RAW | tag::SET => 'd',
        tag::INT | tag::FLOAT => 'n',
        tag::FUNC | tag::CELL | tag::BOUND => 'f',
        tag::FRAME | tag::GEN => 'F',
        tag::IMAGE => 'I',
        tag::CLASS | tag::INST | tag::SUPER | tag::WRAP => 'o',
        _ => '#',
    }
}

fn word(head: &[u8], i: usize) -> Option<u32> {
    let b = head.get(i * 4..i * 4 + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A short repr from an object's tag and first payload bytes (the layouts
/// of [`p14p_protocol::heap`]).
pub fn short_repr(t: u8, bytes: u32, head: &[u8]) -> String {
    match u32::from(t) {
        tag::STR => {
            let len = word(head, str_layout::LEN).unwrap_or(0) as usize;
            let text = head.get(str_layout::DATA * 4..).unwrap_or_default();
            let shown = &text[..text.len().min(len)];
            let s = String::from_utf8_lossy(shown);
            let more = if len > shown.len() { "…" } else { "" };
            format!("{:?}{more} ({len} bytes)", s.as_ref())
        }
        tag::TUPLE | tag::LIST | tag::DICT | tag::SET => {
            format!("{}, len {}", name(t), word(head, LEN).unwrap_or(0))
        }
        tag::ARRAY => format!("{} slots", (bytes / 4).saturating_sub(1)),
        tag::INT => {
            let lo = u64::from(word(head, int_layout::LOW).unwrap_or(0));
            let hi = u64::from(word(head, int_layout::HIGH).unwrap_or(0));
            format!("{}", (hi << 32 | lo) as i64)
        }
        _ => name(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_reprs() {
        assert_eq!(name(3), "str");
        assert_eq!(name(120), "tag 120");
        let mut head = vec![0, 0, 0, 0, 20, 0, 0, 0, 20, 0, 0, 0];
        head.extend(b"hello world!");
        assert_eq!(
            short_repr(tag::STR as u8, 40, &head),
            "\"hello world!\"… (20 bytes)"
        );
        assert_eq!(
            short_repr(tag::LIST as u8, 12, &[3, 0, 0, 0]),
            "list, len 3"
        );
        assert_eq!(
            short_repr(
                tag::INT as u8,
                12,
                &[0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
            ),
            "-2"
        );
    }
}
