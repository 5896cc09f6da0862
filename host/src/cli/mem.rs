//! `p14p peek` and `p14p poke`: the device's memory map, item by item.

use crate::session::{self, Session};
use p14p_protocol::msg::{Command, DeviceError, Width};
use std::fmt::Write;

/// Parses an address or value: `0x…` hex, `0b…` binary, or decimal, with an
/// optional leading `-` (two's complement) and `_` separators.
pub fn parse_number(s: &str) -> Result<u32, String> {
    let t = s.trim().replace('_', "");
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, t),
    };
    let parsed = if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16)
    } else if let Some(bin) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        u64::from_str_radix(bin, 2)
    } else {
        t.parse::<u64>()
    };
    let v = parsed.map_err(|_| format!("`{s}` is not a number (use decimal or 0x hex)"))?;
    match (neg, u32::try_from(v)) {
        (false, Ok(v)) => Ok(v),
        (true, _) if v <= 1 << 31 => Ok((v as u32).wrapping_neg()),
        _ => Err(format!("`{s}` does not fit in 32 bits")),
    }
}

/// Reads `count` items of `width` at `addr`, in as many requests as the
/// device's reply limit needs: a `Data` reply carries at most
/// [`Command::PEEK_MAX`] (less than a frame holds). A device that still
/// answers `TooMany` (a smaller limit) gets the request again in halves.
pub async fn peek(
    session: &Session,
    addr: u32,
    width: Width,
    count: u32,
) -> session::Result<Vec<u8>> {
    let w = width.bytes();
    let limit = session.chunk_size().min(Command::PEEK_MAX) as u32;
    let mut per_request = (limit / w).clamp(1, u32::from(u16::MAX));
    let mut bytes = Vec::with_capacity((count * w) as usize);
    let mut done = 0;
    while done < count {
        let n = per_request.min(count - done);
        let at = addr.wrapping_add(done * w);
        match session.peek(at, width, n as u16).await {
            Ok(data) => bytes.extend(data),
            Err(session::Error::Device {
                error: DeviceError::TooMany,
                ..
            }) if n > 1 => {
                per_request = n / 2;
                continue;
            }
            Err(e) => return Err(e),
        }
        done += n;
    }
    Ok(bytes)
}

/// Formats peeked bytes: one `ADDR: 0xVALUE  (decimal)` line for a single
/// item, otherwise a hex dump of 16 bytes per row (items little-endian,
/// shown as numbers; bytes also as ASCII).
pub fn format(addr: u32, width: Width, bytes: &[u8]) -> String {
    let w = width.bytes() as usize;
    let item = |chunk: &[u8]| {
        chunk
            .iter()
            .rev()
            .fold(0u32, |acc, &b| acc << 8 | u32::from(b))
    };
    let mut out = String::new();
    if bytes.len() == w {
        let v = item(bytes);
        let _ = writeln!(
            out,
            "{addr:#010x}: {v:#0digits$x}  ({v})",
            digits = 2 + 2 * w
        );
        return out;
    }
    for (row, chunk) in bytes.chunks(16).enumerate() {
        let _ = write!(out, "{:#010x}:", addr.wrapping_add(row as u32 * 16));
        for it in chunk.chunks(w) {
            let _ = write!(out, " {:0digits$x}", item(it), digits = 2 * w);
        }
        if w == 1 {
            let pad = (16 - chunk.len()) * 3;
            let ascii: String = chunk
                .iter()
                .map(|&b| {
                    if b.is_ascii_graphic() || b == b' ' {
                        b as char
                    } else {
                        '.'
                    }
                })
                .collect();
            let _ = write!(out, "{:pad$}  |{ascii}|", "");
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_decimal_binary_and_negative() {
        assert_eq!(parse_number("0x4000_0000"), Ok(0x4000_0000));
        assert_eq!(parse_number("42"), Ok(42));
        assert_eq!(parse_number("0b101"), Ok(5));
        assert_eq!(parse_number("-1"), Ok(u32::MAX));
        assert!(parse_number("0x1_0000_0000").is_err());
        assert!(parse_number("x").is_err());
    }

    #[test]
    fn formats_one_value_and_dumps() {
        assert_eq!(
            format(0x10, Width::U32, &[0x2a, 0, 0, 0]),
            "0x00000010: 0x0000002a  (42)\n"
        );
        assert_eq!(
            format(0x10, Width::U16, &[1, 0, 0xff, 0xff]),
            "0x00000010: 0001 ffff\n"
        );
        assert_eq!(
            format(0, Width::U8, b"hi"),
            format!("0x00000000: 68 69{:42}  |hi|\n", "")
        );
    }
}
